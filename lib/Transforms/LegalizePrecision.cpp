//===- LegalizePrecision.cpp - decide each op's precision -----------------===//
//
// Every quantizable op gets `qlow.precision`: "int8" unless the user
// overrides it by tensor name, and then only what the target can run: f16
// on a target without f16 arithmetic runs in f32, and int8 weights are
// narrowed where the target's kernels need it. Layers kept in float move into
// float islands (computing in f16 where so chosen), which qlow-quantize
// leaves alone.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/TargetCapabilities.h"
#include "qlow/Transforms/UnaryTables.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWLEGALIZEPRECISION
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// Rewrites the op inside `island` to compute in f16: operands truncated,
/// result extended back to the f32 the rest of the model expects.
static void computeInF16(Operation *op) {
  OpBuilder b(op);
  Type f16 = b.getF16Type();
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    if (!isFloatTensor(v.getType()))
      continue;
    operand.set(arith::TruncFOp::create(b, op->getLoc(),
                                        withElementType(v.getType(), f16), v));
  }
  b.setInsertionPointAfter(op);
  for (Value result : op->getResults()) {
    Type f32Type = result.getType();
    result.setType(withElementType(f32Type, f16));
    auto ext = arith::ExtFOp::create(b, op->getLoc(), f32Type, result);
    result.replaceAllUsesExcept(ext.getResult(), ext);
  }
}

struct QlowLegalizePrecisionPass
    : mlir::qlow::impl::QlowLegalizePrecisionBase<QlowLegalizePrecisionPass> {
  using QlowLegalizePrecisionBase::QlowLegalizePrecisionBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const TargetCapabilities *caps = lookupTargetCapabilities(target);
    if (!caps) {
      auto diag = emitError(module.getLoc()) << "unknown target '" << target
                                     << "'; known targets:";
      for (const TargetCapabilities &t : getTargetCapabilities())
        diag << " " << t.name;
      return signalPassFailure();
    }

    llvm::StringMap<std::string> requested;
    for (const std::string &o : overrides) {
      auto [name, precision] = StringRef(o).split('=');
      if (name.empty() ||
          (precision != "f32" && precision != "f16" && precision != "int8")) {
        emitError(module.getLoc()) << "invalid precision override '" << o
                           << "': expected NAME=f32|f16|int8";
        return signalPassFailure();
      }
      requested[name] = precision.str();
    }

    llvm::StringSet<> seen;
    SmallVector<std::pair<Operation *, std::string>> decisions;
    module.walk([&](Operation *op) {
      if (isInFloatIsland(op))
        return;
      auto island = dyn_cast<FloatIslandOp>(op);
      if (!isQuantizableOp(op) && !(island && isTabulatableIsland(island)))
        return;
      std::string name = getTensorName(op->getResult(0));
      seen.insert(name);
      std::string precision = "int8";
      if (auto it = requested.find(name); it != requested.end())
        precision = it->second;
      if (precision == "f16" && island) {
        op->emitRemark() << "'" << name
                         << "' is an element-wise float island; it runs in "
                            "f32, not f16";
        precision = "f32";
      }
      if (precision == "f16" && !caps->f16Arithmetic) {
        op->emitRemark() << "target " << caps->name
                         << " has no f16 arithmetic; '" << name
                         << "' runs in f32";
        precision = "f32";
      }
      decisions.push_back({op, precision});
    });

    for (const auto &entry : requested) {
      if (!seen.contains(entry.getKey())) {
        emitError(module.getLoc()) << "precision override names tensor '"
                           << entry.getKey()
                           << "', which the model does not have";
        return signalPassFailure();
      }
    }

    Builder b(module.getContext());
    for (auto &[op, precision] : decisions) {
      op->setAttr(kPrecisionAttr, b.getStringAttr(precision));
      if (precision == "int8") {
        if (caps->maxWeightBits < 8 && getWeightOperandIndex(op))
          op->setAttr(kWeightBitsAttr,
                      b.getI64IntegerAttr(caps->maxWeightBits));
        continue;
      }
      // A tabulatable island is already float; the attribute keeps
      // qlow-quantize from making it a table.
      if (isa<FloatIslandOp>(op))
        continue;
      wrapInFloatIsland(op, "precision override: " + precision);
      if (precision == "f16")
        computeInF16(op);
    }
  }
};

} // namespace
