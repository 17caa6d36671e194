//===- Instrument.cpp - insert calibration probes -------------------------===//
//
// One qlow.observe per float activation that quantization will need a range
// for: the function arguments and the results of qlow ops (and of float
// islands, whose outputs may feed quantized ops). Weights need no probe:
// their ranges are known at compile time.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWINSTRUMENT
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// Routes every use of `v` (but the probe's own) through a new probe.
static void observe(OpBuilder &b, Value v, StringRef name) {
  auto probe = ObserveOp::create(b, v.getLoc(), v.getType(), v,
                                 b.getStringAttr(name));
  v.replaceAllUsesExcept(probe.getOutput(), probe);
}

struct QlowInstrumentPass
    : mlir::qlow::impl::QlowInstrumentBase<QlowInstrumentPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failedAny = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      OpBuilder b(func.getBody());
      for (BlockArgument arg : func.getArguments()) {
        if (!isFloatTensor(arg.getType()) ||
            (arg.hasOneUse() && isa<ObserveOp>(*arg.getUsers().begin())))
          continue;
        std::string name = getTensorName(arg);
        if (name.empty()) {
          func.emitError() << "argument #" << arg.getArgNumber()
                           << " has no stable name; run qlow-import first";
          failedAny = true;
          continue;
        }
        b.setInsertionPointToStart(&func.getBody().front());
        observe(b, arg, name);
      }
      func.walk([&](Operation *op) {
        if (op->getDialect() != op->getContext()->getLoadedDialect("qlow") ||
            isa<ObserveOp, YieldOp, ConstOp, QuantizeOp, DequantizeOp,
                RequantizeOp>(op) ||
            isInFloatIsland(op))
          return;
        // Already instrumented: the pass is idempotent.
        if (op->hasOneUse() && isa<ObserveOp>(*op->getUsers().begin()))
          return;
        b.setInsertionPointAfter(op);
        for (Value result : op->getResults()) {
          if (!isFloatTensor(result.getType()))
            continue;
          std::string name = getTensorName(result);
          if (name.empty()) {
            op->emitError() << "result has no stable name; run qlow-import "
                               "first";
            failedAny = true;
            continue;
          }
          observe(b, result, name);
        }
      });
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
