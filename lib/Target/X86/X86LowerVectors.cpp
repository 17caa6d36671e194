//===- X86LowerVectors.cpp - qlow-x86-lower-vectors -----------------------===//
//
// After bufferization: loop-invariant vector accumulators become loop-carried
// values, contiguous n-D transfers become 1-D loads and stores, and
// contractions become x86 dot-product kernels.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWX86LOWERVECTORS
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

struct QlowX86LowerVectorsPass
    : mlir::qlow::impl::QlowX86LowerVectorsBase<
          QlowX86LowerVectorsPass> {
  using QlowX86LowerVectorsBase::QlowX86LowerVectorsBase;

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

    // Contraction kernels: x86 byte dot products, pairwise multiply-adds,
    // outer products, in that order of preference.
    if (vectorISA != "generic" && vectorISA != "avx2" &&
        vectorISA != "avxvnni") {
      fn.emitError() << "qlow-x86-lower-vectors: unknown isa '" << vectorISA
                     << "' (generic, avx2 or avxvnni)";
      return signalPassFailure();
    }
    RewritePatternSet lowering(ctx);
    if (vectorISA != "generic")
      qlow::x86::populateContractToX86DotPatterns(
          lowering, vectorISA == "avxvnni", /*benefit=*/20);
    qlow::x86::populateContractToPairwiseMulAddPatterns(
        lowering, vectorISA == "generic" ? 128 : 256, /*benefit=*/10);
    vector::populateVectorContractLoweringPatterns(
        lowering, vector::VectorContractLowering::OuterProduct);
    vector::ShapeCastOp::getCanonicalizationPatterns(lowering, ctx);
    if (failed(applyPatternsGreedily(fn, std::move(lowering))))
      return signalPassFailure();

    // Element-wise arithmetic on n-D vectors (a tile's requantization)
    // becomes 1-D: LLVM lowers an n-D vector as separate rows, and packs
    // i32 -> i8 results row by row; one long vector packs across registers.
    TypeConverter typeConverter;
    ConversionTarget target(*ctx);
    RewritePatternSet linearize(ctx);
    vector::populateForVectorLinearize(typeConverter, target);
    // Only the arithmetic: vector ops (transfers, contraction results'
    // inserts) keep their shapes, joined by shape_casts.
    target.addLegalDialect<vector::VectorDialect>();
    vector::populateVectorLinearizeBasePatterns(typeConverter, target,
                                                linearize);
    if (failed(applyPartialConversion(fn, target, std::move(linearize))))
      return signalPassFailure();
  }
};

} // namespace
