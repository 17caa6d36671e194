//===- Quantize.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWQUANTIZE
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowQuantizePass : qlow::impl::QlowQuantizeBase<QlowQuantizePass> {
  using QlowQuantizeBase::QlowQuantizeBase;
  void runOnOperation() override {
    getOperation().emitError("QlowQuantize is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
