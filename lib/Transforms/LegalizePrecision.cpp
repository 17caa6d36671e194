//===- LegalizePrecision.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWLEGALIZEPRECISION
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowLegalizePrecisionPass : qlow::impl::QlowLegalizePrecisionBase<QlowLegalizePrecisionPass> {
  using QlowLegalizePrecisionBase::QlowLegalizePrecisionBase;
  void runOnOperation() override {
    getOperation().emitError("QlowLegalizePrecision is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
