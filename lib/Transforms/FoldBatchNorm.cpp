//===- FoldBatchNorm.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWFOLDBATCHNORM
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowFoldBatchNormPass : qlow::impl::QlowFoldBatchNormBase<QlowFoldBatchNormPass> {
  using QlowFoldBatchNormBase::QlowFoldBatchNormBase;
  void runOnOperation() override {
    getOperation().emitError("QlowFoldBatchNorm is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
