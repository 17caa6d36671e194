//===- X86OptimizeTransfers.cpp - qlow-x86-optimize-transfers -------------===//
//
// After bufferization: loop-invariant vector accumulators become loop-carried
// values, and contiguous n-D transfers become 1-D loads and stores.
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWX86OPTIMIZETRANSFERS
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

struct QlowX86OptimizeTransfersPass
    : mlir::qlow::impl::QlowX86OptimizeTransfersBase<
          QlowX86OptimizeTransfersPass> {
  using QlowX86OptimizeTransfersBase::QlowX86OptimizeTransfersBase;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    MLIRContext *ctx = &getContext();
    linalg::hoistRedundantVectorTransfers(fn, /*verifyNonZeroTrip=*/true);

    RewritePatternSet patterns(ctx);
    vector::populateFlattenVectorTransferPatterns(patterns, vectorBits);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    vector::ShapeCastOp::getCanonicalizationPatterns(patterns, ctx);
    memref::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    memref::SubViewOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(fn, std::move(patterns))))
      return signalPassFailure();
    // Flattening may expose more invariant pairs.
    linalg::hoistRedundantVectorTransfers(fn, /*verifyNonZeroTrip=*/true);
  }
};

} // namespace
