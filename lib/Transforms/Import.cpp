//===- Import.cpp - SCAFFOLD, being written -----------------------------===//
#include "qlow/Transforms/Passes.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWIMPORT
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
struct QlowImportPass : qlow::impl::QlowImportBase<QlowImportPass> {
  using QlowImportBase::QlowImportBase;
  void runOnOperation() override {
    getOperation().emitError("QlowImport is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
