//===- ExposeObservations.cpp - probes become function results ------------===//
//
// Calibration runs the instrumented model as native code; rather than call
// back into the runtime from every probe, the probed tensors simply become
// extra outputs, which the calibrator reads after each run.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWEXPOSEOBSERVATIONS
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

struct QlowExposeObservationsPass
    : mlir::qlow::impl::QlowExposeObservationsBase<QlowExposeObservationsPass> {
  using QlowExposeObservationsBase::QlowExposeObservationsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp func;
    for (auto f : module.getOps<func::FuncOp>()) {
      if (f.isExternal() || (!funcName.empty() && f.getSymName() != funcName))
        continue;
      if (func) {
        emitError(module.getLoc())
            << "qlow-expose-observations: several functions; choose one "
               "with func=NAME";
        return signalPassFailure();
      }
      func = f;
    }
    if (!func) {
      emitError(module.getLoc()) << "qlow-expose-observations: no function "
                                 << (funcName.empty() ? "with a body"
                                                      : "@" + funcName);
      return signalPassFailure();
    }
    if (!func.getBody().hasOneBlock()) {
      func.emitError() << "expects a function with one block";
      return signalPassFailure();
    }

    SmallVector<ObserveOp> probes;
    func.walk([&](ObserveOp op) { probes.push_back(op); });
    SmallVector<Attribute> names;
    SmallVector<Value> exposed;
    for (ObserveOp probe : probes) {
      Value v = probe.getInput();
      // A probe inside an island reaches the function through the island's
      // results.
      for (auto island = probe->getParentOfType<FloatIslandOp>(); island;
           island = island->getParentOfType<FloatIslandOp>()) {
        auto yield = cast<YieldOp>(island.getBody().front().getTerminator());
        yield.getValuesMutable().append(v);
        OpBuilder b(island);
        SmallVector<Type> types(island.getResultTypes());
        types.push_back(v.getType());
        auto grown = FloatIslandOp::create(b, island.getLoc(), types,
                                           island.getReasonAttr(),
                                           island.getNameAttr());
        grown.getBody().takeBody(island.getBody());
        island.replaceAllUsesWith(
            grown.getResults().take_front(island.getNumResults()));
        island.erase();
        v = grown.getResults().back();
      }
      names.push_back(probe.getNameAttr());
      // A copy of its own: an exposed tensor is often a function argument,
      // a view of one, or another result, and each result must become its
      // own buffer.
      OpBuilder b(func.getBody().front().getTerminator());
      auto type = cast<RankedTensorType>(v.getType());
      Value init = tensor::EmptyOp::create(b, probe.getLoc(), type.getShape(),
                                           type.getElementType());
      exposed.push_back(
          linalg::CopyOp::create(b, probe.getLoc(), v, init).getResult(0));
      probe.getOutput().replaceAllUsesWith(probe.getInput());
      probe.erase();
    }

    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    ret.getOperandsMutable().append(exposed);
    SmallVector<Type> results(func.getResultTypes());
    for (Value v : exposed)
      results.push_back(v.getType());
    func.setType(FunctionType::get(&getContext(), func.getArgumentTypes(),
                                   results));
    func->setAttr("qlow.observed", ArrayAttr::get(&getContext(), names));
  }
};

} // namespace
