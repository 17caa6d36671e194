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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SmallBitVector.h"

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


/// Where a weight tile comes from: `transfer_read` at zero indices of a
/// chain of unit-stride subviews of a constant global whose last two
/// dimensions are the tile's [K][N]; the offsets into the global's other
/// dimensions, and into K and N.
struct WeightTile {
  memref::GlobalOp global;
  SmallVector<OpFoldResult> offsets; // one per global dimension
};

/// A value known to be a multiple of `m`: a constant, or the induction
/// variable of an scf.for with constant bounds and step that are.
bool isMultipleOf(OpFoldResult v, int64_t m) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c % m == 0;
  auto iv = dyn_cast<BlockArgument>(cast<Value>(v));
  if (!iv)
    return false;
  auto loop = dyn_cast_or_null<scf::ForOp>(iv.getOwner()->getParentOp());
  if (!loop || loop.getInductionVar() != iv)
    return false;
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  return lb && step && *lb % m == 0 && *step % m == 0;
}

std::optional<WeightTile> traceWeightTile(Value b, int64_t k, int64_t n) {
  auto read = b.getDefiningOp<vector::TransferReadOp>();
  if (!read || !read.getPermutationMap().isMinorIdentity() ||
      read.hasOutOfBoundsDim() || read.getMask() ||
      !llvm::all_of(read.getIndices(), [](Value i) {
        return getConstantIntValue(i) == 0;
      }))
    return std::nullopt;
  SmallVector<memref::SubViewOp> subviews;
  Value v = read.getBase();
  while (auto sv = v.getDefiningOp<memref::SubViewOp>()) {
    subviews.push_back(sv);
    v = sv.getSource();
  }
  auto getGlobal = v.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue() ||
      !isa<DenseIntElementsAttr>(*global.getInitialValue()))
    return std::nullopt;
  MemRefType gType = global.getType();
  int64_t rank = gType.getRank();
  if (rank < 2 || !gType.hasStaticShape() ||
      !gType.getElementType().isInteger(8) || !gType.getLayout().isIdentity())
    return std::nullopt;
  // Forward through the subviews: the global dimension of each view
  // dimension, and the accumulated offsets.
  OpBuilder b0(read);
  WeightTile tile{global, SmallVector<OpFoldResult>(rank, b0.getIndexAttr(0))};
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  for (memref::SubViewOp sv : llvm::reverse(subviews)) {
    if (!llvm::all_of(sv.getMixedStrides(), [](OpFoldResult s) {
          return getConstantIntValue(s) == 1;
        }))
      return std::nullopt;
    SmallVector<OpFoldResult> offs = sv.getMixedOffsets();
    for (auto [i, o] : llvm::enumerate(offs)) {
      OpFoldResult &acc = tile.offsets[dims[i]];
      if (std::optional<int64_t> c = getConstantIntValue(o); c && *c == 0)
        continue;
      if (std::optional<int64_t> c = getConstantIntValue(acc); c && *c == 0)
        acc = o;
      else
        return std::nullopt; // two non-zero offsets: not needed so far
    }
    llvm::SmallBitVector dropped = sv.getDroppedDims();
    SmallVector<int64_t> kept;
    for (auto [i, d] : llvm::enumerate(dims))
      if (!dropped.test(i))
        kept.push_back(d);
    dims = kept;
  }
  if (dims.size() != 2 || dims[0] != rank - 2 || dims[1] != rank - 1)
    return std::nullopt;
  int64_t kTot = gType.getDimSize(rank - 2), nTot = gType.getDimSize(rank - 1);
  // Tiles must start on whole groups of 4 along K and whole vectors of 8
  // along N, or be the whole dimension.
  if (!(k == kTot || (k % 4 == 0 && isMultipleOf(tile.offsets[rank - 2], 4))))
    return std::nullopt;
  if (!(n == nTot || (n % 8 == 0 && isMultipleOf(tile.offsets[rank - 1], 8))))
    return std::nullopt;
  return tile;
}

/// The constant global holding `global` ([..., K, N] bytes) interleaved for
/// the dot products: [..., ceil(K/4), ceil(N/8)*8*4], element
/// [..., q, n*4 + j] = W[..., 4q + j, n] (zeros beyond K, N). Created once
/// per global, next to it.
memref::GlobalOp getOrCreateInterleavedWeights(memref::GlobalOp global) {
  std::string name = (global.getSymName() + "_x86dot").str();
  auto module = global->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<memref::GlobalOp>(name))
    return existing;
  MemRefType type = global.getType();
  int64_t rank = type.getRank();
  int64_t kTot = type.getDimSize(rank - 2), nTot = type.getDimSize(rank - 1);
  int64_t kq = (kTot + 3) / 4, np = (nTot + 7) / 8 * 8;
  int64_t outer = 1;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank - 2; ++d) {
    outer *= type.getDimSize(d);
    shape.push_back(type.getDimSize(d));
  }
  shape.append({kq, np * 4});
  auto init = cast<DenseIntElementsAttr>(*global.getInitialValue());
  SmallVector<int8_t> src;
  for (const APInt &x : init.getValues<APInt>())
    src.push_back(static_cast<int8_t>(x.getSExtValue()));
  SmallVector<int8_t> dst(outer * kq * np * 4, 0);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t kk = 0; kk < kTot; ++kk)
      for (int64_t nn = 0; nn < nTot; ++nn)
        dst[((o * kq) + kk / 4) * np * 4 + nn * 4 + kk % 4] =
            src[(o * kTot + kk) * nTot + nn];
  OpBuilder b(global);
  b.setInsertionPointAfter(global);
  auto newType = MemRefType::get(shape, type.getElementType());
  auto tensorType = RankedTensorType::get(shape, type.getElementType());
  return memref::GlobalOp::create(
      b, global.getLoc(), name, b.getStringAttr("private"), newType,
      DenseElementsAttr::get(tensorType, ArrayRef<int8_t>(dst)),
      /*constant=*/true, b.getI64IntegerAttr(32));
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
    std::optional<qlow::x86::DotProductForm> form =
        qlow::x86::matchDotProductForm(op);
    if (!form)
      return failure();
    auto accType = cast<VectorType>(op.getAccType());
    Value a = getByteSource<arith::ExtUIOp>(op.getLhs());
    Value b = getByteSource<arith::ExtSIOp>(op.getRhs());
    if (!a || !b)
      return failure();
    if (!vnni) {
      auto range = getConstantRange(b);
      if (!range || range->first < -64 || range->second > 64)
        return failure();
    }

    bool hasM = form->hasM, rhsTransposed = form->rhsTransposed;

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type(),
         i32 = rewriter.getI32Type();
    auto aType = cast<VectorType>(a.getType());
    int64_t M = hasM ? aType.getDimSize(0) : 1;
    int64_t K = aType.getShape().back();
    int64_t N = accType.getShape().back();
    int64_t Kq = (K + 3) / 4, Kp = 4 * Kq;
    int64_t chunks = (N + 7) / 8, Np = 8 * chunks;

    // A as [M][Kp] bytes, B as [Kp][Np].
    Value a2 = hasM ? a
                    : vector::ShapeCastOp::create(
                          rewriter, loc, VectorType::get({1, K}, i8), a);
    a2 = qlow::x86::padWithZeros(rewriter, loc, a2, {M, Kp});
    Value b2 = rhsTransposed
                   ? vector::TransposeOp::create(rewriter, loc, b, {1, 0})
                         .getResult()
                   : b;
    b2 = qlow::x86::padWithZeros(rewriter, loc, b2, {Kp, Np});

    // Per group of 4 reduction elements, the weights interleaved per lane:
    // w[q][n*4 + j] = B[4q + j][n], cut into 8-lane (32-byte) chunks. From
    // constant weights, loaded from a copy interleaved at compile time;
    // otherwise shuffled here.
    SmallVector<int64_t> interleave;
    for (int64_t l = 0; l < Np; ++l)
      for (int64_t j = 0; j < 4; ++j)
        interleave.push_back(j * Np + l);
    SmallVector<SmallVector<Value>> w(Kq);
    std::optional<WeightTile> tile;
    if (!rhsTransposed)
      tile = traceWeightTile(b, K, N);
    if (tile) {
      memref::GlobalOp inter = getOrCreateInterleavedWeights(tile->global);
      Value base = memref::GetGlobalOp::create(rewriter, loc, inter.getType(),
                                               inter.getSymName());
      int64_t r = tile->offsets.size();
      auto index = [&](OpFoldResult o) -> Value {
        return getValueOrCreateConstantIndexOp(rewriter, loc, o);
      };
      SmallVector<Value> outer;
      for (int64_t d = 0; d < r - 2; ++d)
        outer.push_back(index(tile->offsets[d]));
      Value c4 = arith::ConstantIndexOp::create(rewriter, loc, 4);
      Value k0 = arith::DivUIOp::create(rewriter, loc,
                                        index(tile->offsets[r - 2]), c4);
      Value n0 = arith::MulIOp::create(rewriter, loc,
                                       index(tile->offsets[r - 1]), c4);
      for (int64_t q = 0; q < Kq; ++q)
        for (int64_t c = 0; c < chunks; ++c) {
          SmallVector<Value> idx = outer;
          idx.push_back(arith::AddIOp::create(
              rewriter, loc, k0,
              arith::ConstantIndexOp::create(rewriter, loc, q)));
          idx.push_back(arith::AddIOp::create(
              rewriter, loc, n0,
              arith::ConstantIndexOp::create(rewriter, loc, 32 * c)));
          w[q].push_back(vector::LoadOp::create(
              rewriter, loc, VectorType::get({32}, i8), base, idx));
        }
    }
    for (int64_t q = 0; q < Kq && !tile; ++q) {
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

    Value result = qlow::x86::emitBroadcastDotProducts(
        rewriter, loc, a2, op.getAcc(), 8, v32i8,
        [&](Value accChunk, Value bytes, int64_t q, int64_t c) -> Value {
          if (vnni)
            return intrinsic(v8i32, "llvm.x86.avx512.vpdpbusd.256",
                             ValueRange{accChunk, bytes, w[q][c]});
          Value pairs = intrinsic(v16i16, "llvm.x86.avx2.pmadd.ub.sw",
                                  ValueRange{bytes, w[q][c]});
          Value quads = intrinsic(v8i32, "llvm.x86.avx2.pmadd.wd",
                                  ValueRange{pairs, ones});
          return arith::AddIOp::create(rewriter, loc, accChunk, quads);
        });
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
