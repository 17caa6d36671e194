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
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWX86LOWERVECTORS
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

/// The 32x32->64 products of requantization, `p = extsi(x) * extsi(m)` on
/// i32 vectors, used only through their low and high words (trunci(p),
/// trunci(p >> 32)), computed as even and odd lanes of 64-bit multiplies
/// (pmuldq on the sign-extended even dwords, and on the odd ones shifted
/// down) whose words are then interleaved back: no cross-lane shuffles,
/// where widening the whole vector to i64 costs two zero-extensions, an
/// extract and two permutes per 8 lanes.
struct MulExtendedByEvenOddLanes : OpRewritePattern<arith::MulIOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Whether `v` (an i64 vector) sign-extends an i32 vector: through
  /// extsi, broadcasts and shape casts of one, or a constant in range.
  static bool hasI32Source(Value v) {
    if (auto ext = v.getDefiningOp<arith::ExtSIOp>())
      return getElementTypeOrSelf(ext.getIn()).isInteger(32);
    DenseIntElementsAttr cst;
    if (matchPattern(v, m_Constant(&cst)))
      return llvm::all_of(cst.getValues<APInt>(),
                          [](const APInt &x) { return x.isSignedIntN(32); });
    if (auto bc = v.getDefiningOp<vector::BroadcastOp>())
      return hasI32Source(bc.getSource());
    if (auto sc = v.getDefiningOp<vector::ShapeCastOp>())
      return hasI32Source(sc.getSource());
    return false;
  }

  /// That i32 vector (hasI32Source(v) must hold), created after `v`.
  static Value buildI32Source(PatternRewriter &rewriter, Value v) {
    Type i32Type = cast<ShapedType>(v.getType()).clone(rewriter.getI32Type());
    if (auto ext = v.getDefiningOp<arith::ExtSIOp>())
      return ext.getIn();
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointAfterValue(v);
    DenseIntElementsAttr cst;
    if (matchPattern(v, m_Constant(&cst))) {
      SmallVector<int32_t> values;
      for (const APInt &x : cst.getValues<APInt>())
        values.push_back(static_cast<int32_t>(x.getSExtValue()));
      return arith::ConstantOp::create(
          rewriter, v.getLoc(),
          DenseElementsAttr::get(cast<ShapedType>(i32Type),
                                 ArrayRef<int32_t>(values)));
    }
    if (auto bc = v.getDefiningOp<vector::BroadcastOp>())
      return vector::BroadcastOp::create(
          rewriter, v.getLoc(), i32Type,
          buildI32Source(rewriter, bc.getSource()));
    auto sc = v.getDefiningOp<vector::ShapeCastOp>();
    return vector::ShapeCastOp::create(rewriter, v.getLoc(), i32Type,
                                       buildI32Source(rewriter, sc.getSource()));
  }

  LogicalResult matchAndRewrite(arith::MulIOp mul,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(mul.getType());
    if (!type || type.getRank() != 1 || !type.getElementType().isInteger(64) ||
        type.getNumElements() % 4 != 0 || type.isScalable())
      return failure();
    if (!hasI32Source(mul.getLhs()) || !hasI32Source(mul.getRhs()))
      return failure();
    // Users: trunci(p) (low word) and trunci(shr(p, 32)) (high word).
    SmallVector<arith::TruncIOp> lows, highs;
    for (Operation *user : mul->getUsers()) {
      if (auto t = dyn_cast<arith::TruncIOp>(user)) {
        if (!getElementTypeOrSelf(t.getType()).isInteger(32))
          return failure();
        lows.push_back(t);
        continue;
      }
      if (!isa<arith::ShRSIOp, arith::ShRUIOp>(user) || !user->hasOneUse())
        return failure();
      APInt amount;
      if (user->getOperand(0) != mul.getResult() ||
          !matchPattern(user->getOperand(1), m_ConstantInt(&amount)) ||
          amount != 32)
        return failure();
      auto t = dyn_cast<arith::TruncIOp>(*user->getUsers().begin());
      if (!t || !getElementTypeOrSelf(t.getType()).isInteger(32))
        return failure();
      highs.push_back(t);
    }

    Value x32 = buildI32Source(rewriter, mul.getLhs());
    Value m32 = buildI32Source(rewriter, mul.getRhs());
    Location loc = mul.getLoc();
    int64_t n = type.getNumElements();
    auto i32Vec = VectorType::get({n}, rewriter.getI32Type());
    auto i64Vec = VectorType::get({n / 2}, rewriter.getI64Type());
    Value c32 = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(i64Vec, rewriter.getI64IntegerAttr(32)));
    auto lanes = [&](Value v32) {
      Value v = vector::BitCastOp::create(rewriter, loc, i64Vec, v32);
      Value even = arith::ShRSIOp::create(
          rewriter, loc, arith::ShLIOp::create(rewriter, loc, v, c32), c32);
      Value odd = arith::ShRSIOp::create(rewriter, loc, v, c32);
      return std::make_pair(even, odd);
    };
    auto [xe, xo] = lanes(x32);
    auto [me, mo] = lanes(m32);
    Value pe = vector::BitCastOp::create(
        rewriter, loc, i32Vec, arith::MulIOp::create(rewriter, loc, xe, me));
    Value po = vector::BitCastOp::create(
        rewriter, loc, i32Vec, arith::MulIOp::create(rewriter, loc, xo, mo));
    SmallVector<int64_t> loMask, hiMask;
    for (int64_t j = 0; j < n; j += 2) {
      loMask.append({j, n + j});
      hiMask.append({j + 1, n + j + 1});
    }
    if (!lows.empty()) {
      Value lo = vector::ShuffleOp::create(rewriter, loc, pe, po,
                                           rewriter.getDenseI64ArrayAttr(loMask));
      for (arith::TruncIOp t : lows)
        rewriter.replaceOp(t, lo);
    }
    if (!highs.empty()) {
      Value hi = vector::ShuffleOp::create(rewriter, loc, pe, po,
                                           rewriter.getDenseI64ArrayAttr(hiMask));
      for (arith::TruncIOp t : highs) {
        Operation *shr = t.getIn().getDefiningOp();
        rewriter.replaceOp(t, hi);
        rewriter.eraseOp(shr);
      }
    }
    rewriter.eraseOp(mul);
    return success();
  }
};

/// An element-wise product of 16-bit-wide values in i32 lanes (a depthwise
/// convolution's `extsi(x) * extsi(w)`) as vpmaddwd: with `w`'s high halves
/// cleared, each lane's x_lo * w_lo + x_hi * 0 is exactly x * w. LLVM forms
/// vpmaddwd itself only for vectors that are legal as they stand: a 16-lane
/// product where AVX-512 prefers 256-bit vectors became vpmulld (two uops,
/// ten cycles of latency). Written as the intrinsic per 8 lanes, every
/// target gets vpmaddwd, and a following add of the accumulator can become
/// vpdpwssd with VNNI.
struct MulNarrowByPmaddwd : OpRewritePattern<arith::MulIOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Whether every lane of `v` provably fits i16: an extension of a value
  /// of at most 16 bits (15 unsigned), through broadcasts, shape casts and
  /// shuffles of one, or a constant in range.
  static bool fitsI16(Value v) {
    if (auto ext = v.getDefiningOp<arith::ExtSIOp>())
      return getElementTypeOrSelf(ext.getIn()).getIntOrFloatBitWidth() <= 16;
    if (auto ext = v.getDefiningOp<arith::ExtUIOp>())
      return getElementTypeOrSelf(ext.getIn()).getIntOrFloatBitWidth() <= 15;
    DenseIntElementsAttr cst;
    if (matchPattern(v, m_Constant(&cst)))
      return llvm::all_of(cst.getValues<APInt>(),
                          [](const APInt &x) { return x.isSignedIntN(16); });
    if (auto bc = v.getDefiningOp<vector::BroadcastOp>())
      return fitsI16(bc.getSource());
    if (auto sc = v.getDefiningOp<vector::ShapeCastOp>())
      return fitsI16(sc.getSource());
    if (auto sh = v.getDefiningOp<vector::ShuffleOp>())
      return fitsI16(sh.getV1()) && fitsI16(sh.getV2());
    return false;
  }

  /// `v` (fitsI16) with the high half of every lane cleared, built where
  /// it is cheapest: on the narrow value before its broadcasts (a
  /// depthwise weight row, not the tile it is broadcast to).
  static Value zeroHighHalves(PatternRewriter &rewriter, Value v) {
    auto i32Type = cast<ShapedType>(v.getType());
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointAfterValue(v);
    Location loc = v.getLoc();
    if (v.getDefiningOp<arith::ExtUIOp>())
      return v; // at most 15 bits: the high half is already 0
    if (auto ext = v.getDefiningOp<arith::ExtSIOp>()) {
      Value in = ext.getIn();
      auto inType = cast<ShapedType>(in.getType());
      if (inType.getElementTypeBitWidth() < 16)
        in = arith::ExtSIOp::create(rewriter, loc,
                                    inType.clone(rewriter.getI16Type()), in);
      return arith::ExtUIOp::create(rewriter, loc, i32Type, in);
    }
    DenseIntElementsAttr cst;
    if (matchPattern(v, m_Constant(&cst))) {
      SmallVector<int32_t> values;
      for (const APInt &x : cst.getValues<APInt>())
        values.push_back(static_cast<int32_t>(x.getSExtValue() & 0xFFFF));
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(i32Type, ArrayRef<int32_t>(values)));
    }
    if (auto bc = v.getDefiningOp<vector::BroadcastOp>())
      return vector::BroadcastOp::create(
          rewriter, loc, i32Type, zeroHighHalves(rewriter, bc.getSource()));
    if (auto sc = v.getDefiningOp<vector::ShapeCastOp>())
      return vector::ShapeCastOp::create(
          rewriter, loc, i32Type, zeroHighHalves(rewriter, sc.getSource()));
    auto sh = v.getDefiningOp<vector::ShuffleOp>();
    return vector::ShuffleOp::create(rewriter, loc,
                                     zeroHighHalves(rewriter, sh.getV1()),
                                     zeroHighHalves(rewriter, sh.getV2()),
                                     sh.getMask());
  }

  /// Whether `v` is (through broadcasts and shape casts) smaller than
  /// itself: the operand whose high halves are cheaper to clear.
  static bool isBroadcast(Value v) {
    if (v.getDefiningOp<vector::BroadcastOp>())
      return true;
    if (auto sc = v.getDefiningOp<vector::ShapeCastOp>())
      return isBroadcast(sc.getSource());
    return false;
  }

  LogicalResult matchAndRewrite(arith::MulIOp mul,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(mul.getType());
    constexpr int64_t kLanes = 8; // i32 lanes of one vpmaddwd ymm
    if (!type || type.getRank() != 1 || type.isScalable() ||
        !type.getElementType().isInteger(32) ||
        type.getNumElements() % kLanes != 0)
      return failure();
    Value x = mul.getLhs(), w = mul.getRhs();
    if (!fitsI16(x) || !fitsI16(w))
      return failure();
    if (isBroadcast(x) && !isBroadcast(w))
      std::swap(x, w);
    w = zeroHighHalves(rewriter, w);
    Location loc = mul.getLoc();
    auto chunkType = VectorType::get({kLanes}, rewriter.getI32Type());
    auto pairsType = VectorType::get({2 * kLanes}, rewriter.getI16Type());
    Value result = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(type, rewriter.getI32IntegerAttr(0)));
    for (int64_t c = 0; c < type.getNumElements(); c += kLanes) {
      auto chunk = [&](Value v) -> Value {
        Value part = vector::ExtractStridedSliceOp::create(
            rewriter, loc, v, ArrayRef<int64_t>{c}, ArrayRef<int64_t>{kLanes},
            ArrayRef<int64_t>{1});
        return vector::BitCastOp::create(rewriter, loc, pairsType, part);
      };
      Value product =
          LLVM::CallIntrinsicOp::create(
              rewriter, loc, chunkType,
              rewriter.getStringAttr("llvm.x86.avx2.pmadd.wd"),
              ValueRange{chunk(x), chunk(w)})
              .getResult(0);
      result = vector::InsertStridedSliceOp::create(
          rewriter, loc, product, result, ArrayRef<int64_t>{c},
          ArrayRef<int64_t>{1});
    }
    rewriter.replaceOp(mul, result);
    return success();
  }
};

struct QlowX86LowerVectorsPass
    : mlir::qlow::impl::QlowX86LowerVectorsBase<
          QlowX86LowerVectorsPass> {
  using QlowX86LowerVectorsBase::QlowX86LowerVectorsBase;

  void runOnOperation() override {
    if (vectorISA != "generic" && vectorISA != "avx2" &&
        vectorISA != "avxvnni") {
      getOperation().emitError()
          << "qlow-x86-lower-vectors: unknown isa '" << vectorISA
          << "' (generic, avx2 or avxvnni)";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> fns(getOperation().getOps<func::FuncOp>());
    for (func::FuncOp fn : fns)
      if (!fn.isExternal() && failed(lower(fn)))
        return signalPassFailure();
  }

  LogicalResult lower(func::FuncOp fn) {
    MLIRContext *ctx = &getContext();
    // Contraction kernels first, on the transfers as vectorization made
    // them (constant weight tiles are recognized there): x86 byte dot
    // products, pairwise multiply-adds, outer products, in that order of
    // preference.
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
      return failure();

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
      return failure();
    // Flattening may expose more invariant pairs.
    linalg::hoistRedundantVectorTransfers(fn, /*verifyNonZeroTrip=*/true);

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
      return failure();

    RewritePatternSet products(ctx);
    products.add<MulExtendedByEvenOddLanes>(ctx);
    if (vectorISA != "generic")
      products.add<MulNarrowByPmaddwd>(ctx);
    return applyPatternsGreedily(fn, std::move(products));
  }
};

} // namespace
