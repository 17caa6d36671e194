//===- ContractToPairwiseMulAdd.cpp - 8/16-bit contractions for x86 ------===//
//
// A vector.contract of sign-extended 8- or 16-bit operands accumulating in
// i32 (the inner loop of every quantized convolution and matmul) is lowered
// so that consecutive reduction elements are multiplied and summed in pairs:
//
//   acc[m][n] += a[m][2p] * b[2p][n] + a[m][2p+1] * b[2p+1][n]
//
// with x86's pmaddwd: the pair of `a` (one i32) broadcast to every output
// lane, against the interleaved pair of rows of `b`. 16 multiply-accumulates
// per instruction with AVX2 (vpmaddwd ymm), where the outer-product lowering
// needs a 32-bit vpmulld per 8; SSE2's 128-bit form (every x86-64 has it)
// otherwise. With VNNI, LLVM fuses the accumulate (vpdpwssd).
//
// Exact: 16-bit products fit i32, and i32 addition wraps identically in any
// order, so the pairing changes nothing. An odd reduction length is padded
// with a zero.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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
  ContractToPairwiseMulAdd(MLIRContext *ctx, unsigned vectorBits,
                           PatternBenefit benefit)
      : OpRewritePattern(ctx, benefit), vectorBits(vectorBits) {}
  unsigned vectorBits;

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<qlow::x86::DotProductForm> form =
        qlow::x86::matchDotProductForm(op);
    if (!form)
      return failure();
    auto accType = cast<VectorType>(op.getAccType());
    bool aUnsigned = false, bUnsigned = false;
    Value a = getNarrowSource(op.getLhs(), aUnsigned);
    Value b = getNarrowSource(op.getRhs(), bUnsigned);
    if (!a || !b)
      return failure();

    bool hasM = form->hasM, rhsTransposed = form->rhsTransposed;

    Location loc = op.getLoc();
    Type i16 = rewriter.getI16Type(), i32 = rewriter.getI32Type();
    auto aType = cast<VectorType>(a.getType());
    auto bType = cast<VectorType>(b.getType());
    int64_t M = hasM ? aType.getDimSize(0) : 1;
    int64_t K = aType.getShape().back();
    int64_t N = accType.getShape().back();
    int64_t K2 = (K + 1) / 2, Kp = 2 * K2;
    // Outputs per vpmaddwd: 8 (AVX2, 256-bit) or 4 (SSE2, 128-bit).
    int64_t L = vectorBits / 32;
    int64_t chunks = (N + L - 1) / L, Np = chunks * L;

    // 16-bit operands, B as [K][N], both padded with zeros to [Kp][Np].
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
    a16 = qlow::x86::padWithZeros(rewriter, loc, a16, {M, Kp});
    b16 = qlow::x86::padWithZeros(rewriter, loc, b16, {Kp, Np});

    // The pair rows of B interleaved per output:
    // [b[2p][n], b[2p+1][n], b[2p][n+1], ...], cut into L-output chunks.
    SmallVector<int64_t> interleave;
    for (int64_t j = 0; j < Np; ++j)
      interleave.append({j, Np + j});
    SmallVector<SmallVector<Value>> pairs(K2);
    for (int64_t p = 0; p < K2; ++p) {
      Value r0 = vector::ExtractOp::create(rewriter, loc, b16, 2 * p);
      Value r1 = vector::ExtractOp::create(rewriter, loc, b16, 2 * p + 1);
      Value inter = vector::ShuffleOp::create(rewriter, loc, r0, r1,
                                              mask(rewriter, interleave));
      for (int64_t c = 0; c < chunks; ++c)
        pairs[p].push_back(vector::ExtractStridedSliceOp::create(
            rewriter, loc, inter, ArrayRef<int64_t>{2 * L * c},
            ArrayRef<int64_t>{2 * L}, ArrayRef<int64_t>{1}));
    }
    StringRef intrinsic = L == 8 ? "llvm.x86.avx2.pmadd.wd"
                                 : "llvm.x86.sse2.pmadd.wd";

    // Each pair of a row's elements is one i32: broadcast to every output
    // (vpbroadcastd) and multiply-added against the weight pairs.
    auto accChunkType = VectorType::get({L}, i32);
    Value result = qlow::x86::emitBroadcastDotProducts(
        rewriter, loc, a16, op.getAcc(), L, VectorType::get({2 * L}, i16),
        [&](Value accChunk, Value pair, int64_t p, int64_t c) -> Value {
          Value dot = LLVM::CallIntrinsicOp::create(
                          rewriter, loc, accChunkType,
                          rewriter.getStringAttr(intrinsic),
                          ValueRange{pair, pairs[p][c]})
                          .getResult(0);
          return arith::AddIOp::create(rewriter, loc, accChunk, dot);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qlow::x86::populateContractToPairwiseMulAddPatterns(
    RewritePatternSet &patterns, unsigned vectorBits, PatternBenefit benefit) {
  patterns.add<ContractToPairwiseMulAdd>(patterns.getContext(), vectorBits,
                                         benefit);
}
