//===- LowerToInteger.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWLOWERTOINTEGER
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowLowerToIntegerPass : qlow::impl::QlowLowerToIntegerBase<QlowLowerToIntegerPass> {
  using QlowLowerToIntegerBase::QlowLowerToIntegerBase;
  void runOnOperation() override {
    getOperation().emitError("QlowLowerToInteger is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
