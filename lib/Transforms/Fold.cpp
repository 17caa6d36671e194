//===- Fold.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWFOLD
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowFoldPass : qlow::impl::QlowFoldBase<QlowFoldPass> {
  using QlowFoldBase::QlowFoldBase;
  void runOnOperation() override {
    getOperation().emitError("QlowFold is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
