//===- ContractToPairwiseMulAdd.cpp - 8/16-bit contractions for x86 ------===//
//
// A vector.contract of sign-extended 8- or 16-bit operands accumulating in
// i32 (the inner loop of every quantized convolution and matmul) is lowered
// so that consecutive reduction elements are multiplied and summed in pairs:
//
//   acc[m][n] += a[m][2p] * b[2p][n] + a[m][2p+1] * b[2p+1][n]
//
// written as a multiply of sign-extended 16-bit vectors (the pair of `a`
// broadcast against the interleaved pair of rows of `b`) followed by the sum
// of its even and odd lanes. LLVM's x86 backend turns exactly this into
// vpmaddwd (16 multiply-accumulates per instruction with AVX2, where the
// outer-product lowering needs a 32-bit vpmulld per 8) and, with AVX-VNNI or
// AVX-512 VNNI, into vpdpwssd (the accumulate included). No intrinsics: the
// same IR is correct, just slower, on any x86-64.
//
// Exact: 16-bit products fit i32, and i32 addition wraps identically in any
// order, so the pairing changes nothing. An odd reduction length is padded
// with a zero.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace {

/// The narrow integer vector `v` was extended from: sign-extended from at
/// most 16 bits or zero-extended from at most 15 (both then fit i16);
/// `isUnsigned` tells which.
Value getNarrowSource(Value v, bool &isUnsigned) {
  Value in;
  unsigned limit;
  if (auto ext = v.getDefiningOp<arith::ExtSIOp>()) {
    in = ext.getIn();
    isUnsigned = false;
    limit = 16;
  } else if (auto ext = v.getDefiningOp<arith::ExtUIOp>()) {
    in = ext.getIn();
    isUnsigned = true;
    limit = 15;
  } else {
    return {};
  }
  auto type = dyn_cast<VectorType>(in.getType());
  if (!type || !type.getElementType().isInteger() ||
      type.getElementTypeBitWidth() > limit)
    return {};
  return in;
}

DenseI64ArrayAttr mask(OpBuilder &b, ArrayRef<int64_t> indices) {
  return b.getDenseI64ArrayAttr(indices);
}

struct ContractToPairwiseMulAdd : OpRewritePattern<vector::ContractionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getKind() != vector::CombiningKind::ADD ||
        cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
      return failure();
    auto accType = dyn_cast<VectorType>(op.getAccType());
    if (!accType || !accType.getElementType().isInteger(32) ||
        accType.isScalable())
      return failure();
    bool aUnsigned = false, bUnsigned = false;
    Value a = getNarrowSource(op.getLhs(), aUnsigned);
    Value b = getNarrowSource(op.getRhs(), bUnsigned);
    if (!a || !b)
      return failure();

    // Supported forms: C[m,n] += A[m,k] B[k,n] (or B[n,k]) and
    // C[n] += A[k] B[k,n] (or B[n,k]).
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<vector::IteratorType> iterators = op.getIteratorTypesArray();
    MLIRContext *ctx = op.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    bool hasM;
    unsigned n, k;
    if (iterators.size() == 3 &&
        iterators[0] == vector::IteratorType::parallel &&
        iterators[1] == vector::IteratorType::parallel &&
        iterators[2] == vector::IteratorType::reduction) {
      hasM = true;
      n = 1;
      k = 2;
      if (maps[0] != AffineMap::get(3, 0, {d(0), d(2)}, ctx) ||
          maps[2] != AffineMap::get(3, 0, {d(0), d(1)}, ctx))
        return failure();
    } else if (iterators.size() == 2 &&
               iterators[0] == vector::IteratorType::parallel &&
               iterators[1] == vector::IteratorType::reduction) {
      hasM = false;
      n = 0;
      k = 1;
      if (maps[0] != AffineMap::get(2, 0, {d(1)}, ctx) ||
          maps[2] != AffineMap::get(2, 0, {d(0)}, ctx))
        return failure();
    } else {
      return failure();
    }
    unsigned numDims = iterators.size();
    bool rhsTransposed;
    if (maps[1] == AffineMap::get(numDims, 0, {d(k), d(n)}, ctx))
      rhsTransposed = false;
    else if (maps[1] == AffineMap::get(numDims, 0, {d(n), d(k)}, ctx))
      rhsTransposed = true;
    else
      return failure();

    Location loc = op.getLoc();
    Type i16 = rewriter.getI16Type(), i32 = rewriter.getI32Type();
    auto aType = cast<VectorType>(a.getType());
    auto bType = cast<VectorType>(b.getType());
    int64_t M = hasM ? aType.getDimSize(0) : 1;
    int64_t K = aType.getShape().back();
    int64_t N = accType.getShape().back();
    int64_t K2 = (K + 1) / 2, Kp = 2 * K2;

    // 16-bit operands, B as [K][N], both padded with zeros to an even K.
    auto widen = [&](Value v, VectorType t, bool isUnsigned) -> Value {
      if (t.getElementType() == i16)
        return v;
      if (isUnsigned)
        return arith::ExtUIOp::create(rewriter, loc, t.clone(i16), v);
      return arith::ExtSIOp::create(rewriter, loc, t.clone(i16), v);
    };
    Value a16 = widen(a, aType, aUnsigned), b16 = widen(b, bType, bUnsigned);
    if (rhsTransposed)
      b16 = vector::TransposeOp::create(rewriter, loc, b16, {1, 0});
    if (!hasM)
      a16 = vector::ShapeCastOp::create(rewriter, loc,
                                        VectorType::get({1, K}, i16), a16);
    auto padded = [&](Value v, ArrayRef<int64_t> shape) -> Value {
      if (K == Kp)
        return v;
      Value zeros = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(VectorType::get(shape, i16),
                                 rewriter.getIntegerAttr(i16, 0)));
      return vector::InsertStridedSliceOp::create(rewriter, loc, v, zeros,
                                                  ArrayRef<int64_t>{0, 0},
                                                  ArrayRef<int64_t>{1, 1});
    };
    a16 = padded(a16, {M, Kp});
    b16 = padded(b16, {Kp, N});

    // The interleaved pair rows of B: [b[2p][0], b[2p+1][0], b[2p][1], ...].
    SmallVector<int64_t> interleave, broadcastPair(2 * N), even, odd;
    for (int64_t j = 0; j < N; ++j) {
      interleave.append({j, N + j});
      even.push_back(2 * j);
      odd.push_back(2 * j + 1);
    }
    auto wide = VectorType::get({2 * N}, i32);
    SmallVector<Value> pairs;
    for (int64_t p = 0; p < K2; ++p) {
      Value r0 = vector::ExtractOp::create(rewriter, loc, b16, 2 * p);
      Value r1 = vector::ExtractOp::create(rewriter, loc, b16, 2 * p + 1);
      Value pair = vector::ShuffleOp::create(rewriter, loc, r0, r1,
                                             mask(rewriter, interleave));
      pairs.push_back(arith::ExtSIOp::create(rewriter, loc, wide, pair));
    }

    Value result = op.getAcc();
    if (!hasM)
      result = vector::ShapeCastOp::create(
          rewriter, loc, VectorType::get({1, N}, i32), result);
    for (int64_t m = 0; m < M; ++m) {
      Value row = vector::ExtractOp::create(rewriter, loc, a16, m);
      Value acc = vector::ExtractOp::create(rewriter, loc, result, m);
      for (int64_t p = 0; p < K2; ++p) {
        for (int64_t j = 0; j < N; ++j) {
          broadcastPair[2 * j] = 2 * p;
          broadcastPair[2 * j + 1] = 2 * p + 1;
        }
        Value apair = vector::ShuffleOp::create(rewriter, loc, row, row,
                                                mask(rewriter, broadcastPair));
        Value prod = arith::MulIOp::create(
            rewriter, loc, arith::ExtSIOp::create(rewriter, loc, wide, apair),
            pairs[p]);
        Value sum = arith::AddIOp::create(
            rewriter, loc,
            vector::ShuffleOp::create(rewriter, loc, prod, prod,
                                      mask(rewriter, even)),
            vector::ShuffleOp::create(rewriter, loc, prod, prod,
                                      mask(rewriter, odd)));
        acc = arith::AddIOp::create(rewriter, loc, acc, sum);
      }
      result = vector::InsertOp::create(rewriter, loc, acc, result, m);
    }
    if (!hasM)
      result = vector::ShapeCastOp::create(rewriter, loc, accType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qlow::x86::populateContractToPairwiseMulAddPatterns(
    RewritePatternSet &patterns, PatternBenefit benefit) {
  patterns.add<ContractToPairwiseMulAdd>(patterns.getContext(), benefit);
}
