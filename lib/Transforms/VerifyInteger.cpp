//===- VerifyInteger.cpp - no float arithmetic outside islands ------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWVERIFYINTEGER
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

static bool isFloatLike(Type t) {
  return isa<FloatType>(getElementTypeOrSelf(t));
}

struct QlowVerifyIntegerPass
    : mlir::qlow::impl::QlowVerifyIntegerBase<QlowVerifyIntegerPass> {
  void runOnOperation() override {
    bool failedFloat = false, failedQuant = false;
    getOperation().walk([&](Operation *op) {
      if (isa<FloatIslandOp, func::FuncOp, ModuleOp>(op) ||
          isInFloatIsland(op))
        return;
      auto types = llvm::concat<const Type>(op->getOperandTypes(),
                                            op->getResultTypes());
      if (!failedQuant && llvm::any_of(types, [](Type t) {
            return isQuantized(t);
          })) {
        op->emitError() << "a !quant type survived lowering";
        failedQuant = true;
      }
      // Float constants (e.g. an island's inputs) and the function boundary
      // are data, not arithmetic.
      if (failedFloat || matchPattern(op, m_Constant()) ||
          isa<func::ReturnOp, func::CallOp>(op))
        return;
      if (llvm::any_of(types, isFloatLike)) {
        op->emitError() << "floating-point operation outside a "
                           "qlow.float_island";
        failedFloat = true;
      }
    });
    if (failedFloat || failedQuant)
      signalPassFailure();
  }
};

} // namespace
