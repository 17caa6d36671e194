//===- ContractToX86Dot.cpp - u8 x s8 contractions on x86 dot products ----===//
//
// A vector.contract of zero-extended 8-bit activations (the u8 form made by
// shiftToUnsignedActivations) and sign-extended 8-bit weights, accumulating
// in i32, becomes x86's 4-way byte dot products: per group of 4 reduction
// elements, the 4 activation bytes of a row are broadcast to every output
// lane and multiplied with the 4 weight bytes of each output, interleaved
// per lane ([n][4]):
//
//   avxvnni: acc = vpdpbusd(acc, a, w)                    (32 MACs, 1 op)
//   avx2:    acc += vpmaddwd(vpmaddubsw(a, w), 1)          (32 MACs, 3 ops)
//
// vpmaddubsw saturates its 16-bit pair sums, so the avx2 form is used only
// when the weights are constants within [-64, 64] (what qlow's 7-bit weight
// policy for AVX2 gives): |255 * (w0 + w1)| <= 32640 < 2^15, so nothing
// saturates and the result is exact. vpdpbusd accumulates exactly.
// The reduction and output dimensions are padded with zero weights to
// multiples of 4 and 8 (one 256-bit vector of i32 accumulators).
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>

using namespace mlir;

namespace {

/// The range of the constant a vector of weights was read from, through
/// transfer_read / shape_cast / transpose / broadcast and tensor slices and
/// reshapes.
std::optional<std::pair<int64_t, int64_t>> getConstantRange(Value v) {
  for (int depth = 0; depth < 16; ++depth) {
    DenseIntElementsAttr attr;
    if (matchPattern(v, m_Constant(&attr))) {
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (const APInt &x : attr.getValues<APInt>()) {
        lo = std::min(lo, x.getSExtValue());
        hi = std::max(hi, x.getSExtValue());
      }
      if (lo > hi)
        return std::nullopt;
      return std::make_pair(lo, hi);
    }
    Operation *def = v.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (auto global = dyn_cast<memref::GetGlobalOp>(def)) {
      // After bufferization: a constant global.
      auto g = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          global, global.getNameAttr());
      if (!g || !g.getConstant() || !g.getInitialValue())
        return std::nullopt;
      auto init = dyn_cast<DenseIntElementsAttr>(*g.getInitialValue());
      if (!init)
        return std::nullopt;
      v = Value();
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (const APInt &x : init.getValues<APInt>()) {
        lo = std::min(lo, x.getSExtValue());
        hi = std::max(hi, x.getSExtValue());
      }
      if (lo > hi)
        return std::nullopt;
      return std::make_pair(lo, hi);
    }
    if (auto read = dyn_cast<vector::TransferReadOp>(def))
      v = read.getBase();
    else if (isa<vector::ShapeCastOp, vector::TransposeOp, vector::BroadcastOp,
                 tensor::ExtractSliceOp, tensor::CollapseShapeOp,
                 tensor::ExpandShapeOp, memref::SubViewOp,
                 memref::CollapseShapeOp, memref::ExpandShapeOp>(def))
      v = def->getOperand(0);
    else
      return std::nullopt;
  }
  return std::nullopt;
}

/// The 8-bit vector `v` was extended from with `Ext`.
template <typename Ext>
Value getByteSource(Value v) {
  auto ext = v.getDefiningOp<Ext>();
  if (!ext)
    return {};
  auto type = dyn_cast<VectorType>(ext.getIn().getType());
  if (!type || !type.getElementType().isInteger(8))
    return {};
  return ext.getIn();
}

struct ContractToX86Dot : OpRewritePattern<vector::ContractionOp> {
  ContractToX86Dot(MLIRContext *ctx, bool vnni, PatternBenefit benefit)
      : OpRewritePattern(ctx, benefit), vnni(vnni) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getKind() != vector::CombiningKind::ADD ||
        cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
      return failure();
    auto accType = dyn_cast<VectorType>(op.getAccType());
    if (!accType || !accType.getElementType().isInteger(32) ||
        accType.isScalable())
      return failure();
    Value a = getByteSource<arith::ExtUIOp>(op.getLhs());
    Value b = getByteSource<arith::ExtSIOp>(op.getRhs());
    if (!a || !b)
      return failure();
    if (!vnni) {
      auto range = getConstantRange(b);
      if (!range || range->first < -64 || range->second > 64)
        return failure();
    }

    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<vector::IteratorType> iterators = op.getIteratorTypesArray();
    MLIRContext *ctx = op.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    bool hasM;
    unsigned n, k;
    if (iterators.size() == 3 &&
        iterators[0] == vector::IteratorType::parallel &&
        iterators[1] == vector::IteratorType::parallel &&
        iterators[2] == vector::IteratorType::reduction &&
        maps[0] == AffineMap::get(3, 0, {d(0), d(2)}, ctx) &&
        maps[2] == AffineMap::get(3, 0, {d(0), d(1)}, ctx)) {
      hasM = true;
      n = 1;
      k = 2;
    } else if (iterators.size() == 2 &&
               iterators[0] == vector::IteratorType::parallel &&
               iterators[1] == vector::IteratorType::reduction &&
               maps[0] == AffineMap::get(2, 0, {d(1)}, ctx) &&
               maps[2] == AffineMap::get(2, 0, {d(0)}, ctx)) {
      hasM = false;
      n = 0;
      k = 1;
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
    Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type(),
         i32 = rewriter.getI32Type();
    auto aType = cast<VectorType>(a.getType());
    int64_t M = hasM ? aType.getDimSize(0) : 1;
    int64_t K = aType.getShape().back();
    int64_t N = accType.getShape().back();
    int64_t Kq = (K + 3) / 4, Kp = 4 * Kq;
    int64_t chunks = (N + 7) / 8, Np = 8 * chunks;

    auto zeros = [&](ArrayRef<int64_t> shape, Type elem) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(VectorType::get(shape, elem),
                                 rewriter.getIntegerAttr(elem, 0)));
    };
    auto padInto = [&](Value v, ArrayRef<int64_t> shape, Type elem) -> Value {
      if (cast<VectorType>(v.getType()).getShape() == shape)
        return v;
      SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
      return vector::InsertStridedSliceOp::create(
          rewriter, loc, v, zeros(shape, elem), offsets, strides);
    };

    // A as [M][Kp] bytes, B as [Kp][Np].
    Value a2 = hasM ? a
                    : vector::ShapeCastOp::create(
                          rewriter, loc, VectorType::get({1, K}, i8), a);
    a2 = padInto(a2, {M, Kp}, i8);
    Value b2 = rhsTransposed
                   ? vector::TransposeOp::create(rewriter, loc, b, {1, 0})
                         .getResult()
                   : b;
    b2 = padInto(b2, {Kp, Np}, i8);

    // Per group of 4 reduction elements, the weights interleaved per lane:
    // w[q][n*4 + j] = B[4q + j][n], cut into 8-lane (32-byte) chunks.
    SmallVector<int64_t> interleave;
    for (int64_t l = 0; l < Np; ++l)
      for (int64_t j = 0; j < 4; ++j)
        interleave.push_back(j * Np + l);
    SmallVector<SmallVector<Value>> w(Kq);
    for (int64_t q = 0; q < Kq; ++q) {
      Value block = vector::ExtractStridedSliceOp::create(
          rewriter, loc, b2, ArrayRef<int64_t>{4 * q, 0},
          ArrayRef<int64_t>{4, Np}, ArrayRef<int64_t>{1, 1});
      Value flat = vector::ShapeCastOp::create(
          rewriter, loc, VectorType::get({4 * Np}, i8), block);
      Value inter = vector::ShuffleOp::create(
          rewriter, loc, flat, flat, rewriter.getDenseI64ArrayAttr(interleave));
      for (int64_t c = 0; c < chunks; ++c)
        w[q].push_back(vector::ExtractStridedSliceOp::create(
            rewriter, loc, inter, ArrayRef<int64_t>{32 * c},
            ArrayRef<int64_t>{32}, ArrayRef<int64_t>{1}));
    }

    auto v8i32 = VectorType::get({8}, i32);
    auto v32i8 = VectorType::get({32}, i8);
    auto v16i16 = VectorType::get({16}, i16);
    Value ones;
    if (!vnni)
      ones = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(v16i16, rewriter.getIntegerAttr(i16, 1)));
    auto intrinsic = [&](Type type, StringRef name, ValueRange args) {
      return LLVM::CallIntrinsicOp::create(rewriter, loc, type,
                                           rewriter.getStringAttr(name), args)
          .getResult(0);
    };

    Value acc = op.getAcc();
    if (!hasM)
      acc = vector::ShapeCastOp::create(rewriter, loc,
                                        VectorType::get({1, N}, i32), acc);
    Value result = acc;
    for (int64_t m = 0; m < M; ++m) {
      Value rowBytes = vector::ExtractOp::create(rewriter, loc, a2, m);
      Value rowWords = vector::BitCastOp::create(
          rewriter, loc, VectorType::get({Kq}, i32), rowBytes);
      Value accRow = padInto(vector::ExtractOp::create(rewriter, loc, acc, m),
                             {Np}, i32);
      SmallVector<Value> accChunks;
      for (int64_t c = 0; c < chunks; ++c)
        accChunks.push_back(vector::ExtractStridedSliceOp::create(
            rewriter, loc, accRow, ArrayRef<int64_t>{8 * c},
            ArrayRef<int64_t>{8}, ArrayRef<int64_t>{1}));
      for (int64_t q = 0; q < Kq; ++q) {
        Value word = vector::ExtractOp::create(rewriter, loc, rowWords, q);
        Value bcast = vector::BitCastOp::create(
            rewriter, loc, v32i8,
            vector::BroadcastOp::create(rewriter, loc, v8i32, word));
        for (int64_t c = 0; c < chunks; ++c) {
          if (vnni) {
            accChunks[c] =
                intrinsic(v8i32, "llvm.x86.avx512.vpdpbusd.256",
                          ValueRange{accChunks[c], bcast, w[q][c]});
          } else {
            Value pairs = intrinsic(v16i16, "llvm.x86.avx2.pmadd.ub.sw",
                                    ValueRange{bcast, w[q][c]});
            Value quads = intrinsic(v8i32, "llvm.x86.avx2.pmadd.wd",
                                    ValueRange{pairs, ones});
            accChunks[c] =
                arith::AddIOp::create(rewriter, loc, accChunks[c], quads);
          }
        }
      }
      Value row = zeros({Np}, i32);
      for (int64_t c = 0; c < chunks; ++c)
        row = vector::InsertStridedSliceOp::create(
            rewriter, loc, accChunks[c], row, ArrayRef<int64_t>{8 * c},
            ArrayRef<int64_t>{1});
      if (Np != N)
        row = vector::ExtractStridedSliceOp::create(
            rewriter, loc, row, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{N},
            ArrayRef<int64_t>{1});
      result = vector::InsertOp::create(rewriter, loc, row, result, m);
    }
    if (!hasM)
      result = vector::ShapeCastOp::create(rewriter, loc, accType, result);
    rewriter.replaceOp(op, result);
    return success();
  }

  bool vnni;
};

} // namespace

void mlir::qlow::x86::populateContractToX86DotPatterns(
    RewritePatternSet &patterns, bool vnni, PatternBenefit benefit) {
  patterns.add<ContractToX86Dot>(patterns.getContext(), vnni, benefit);
}
