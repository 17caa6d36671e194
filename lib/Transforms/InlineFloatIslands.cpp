//===- InlineFloatIslands.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWINLINEFLOATISLANDS
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowInlineFloatIslandsPass : qlow::impl::QlowInlineFloatIslandsBase<QlowInlineFloatIslandsPass> {
  using QlowInlineFloatIslandsBase::QlowInlineFloatIslandsBase;
  void runOnOperation() override {
    getOperation().emitError("QlowInlineFloatIslands is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
