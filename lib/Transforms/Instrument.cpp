//===- Instrument.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWINSTRUMENT
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowInstrumentPass : qlow::impl::QlowInstrumentBase<QlowInstrumentPass> {
  using QlowInstrumentBase::QlowInstrumentBase;
  void runOnOperation() override {
    getOperation().emitError("QlowInstrument is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
