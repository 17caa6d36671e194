//===- X86Vectorize.cpp - qlow-x86-vectorize ------------------------------===//
//
// Turns the linalg-on-tensors IR of a model into vectorized loop nests for
// x86-64 vector units, with upstream MLIR machinery only:
//
//  1. normalize: tensor.pad -> fill + insert_slice, named ops generalized,
//     unit-extent dimensions dropped (qlow-lower's grouped convolutions
//     carry a unit group or channel-per-group dimension), element-wise
//     producers fused into their consumers (never into windows, which would
//     recompute them);
//  2. fuse epilogues: each reduction (conv, matmul, pool) whose only user
//     is an element-wise op (the requantizing qlow.rescale generic, a
//     float activation) is fused into that consumer's tiles together with
//     the op producing its initial value (the bias broadcast or fill):
//     tileConsumerAndFuseProducersUsingSCF, so the i32 accumulators of a
//     tile never go to memory;
//  3. tile every remaining linalg op to vector-sized tiles: the innermost
//     output dimension becomes the vector lanes, the one before it a register
//     block (conv: output columns x output channels), and window dimensions
//     are tiled to 1 so that every indexing map becomes a projected
//     permutation once unit dimensions are dropped;
//  4. vectorize (linalg::vectorize; contractions become vector.contract and
//     are lowered to outer products, i.e. broadcast-multiply-accumulate rows;
//     other reductions become vector.multi_reduction), hoist loop-invariant
//     transfers.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>
#include <vector>

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWX86VECTORIZE
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {
/// True when `op` reads or writes i1 tensors. Those stay scalar loops: a
/// memref of i1 holds a byte per element, but a vector of i1 is loaded and
/// stored as packed bits, so a vectorized access would read the wrong bits.
bool readsOrWritesBools(linalg::LinalgOp op) {
  return llvm::any_of(op->getOperandTypes(), [](Type t) {
    return getElementTypeOrSelf(t).isInteger(1);
  });
}
} // namespace

namespace {

//===----------------------------------------------------------------------===//
// Tile size selection
//===----------------------------------------------------------------------===//

int64_t largestDivisorAtMost(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, std::max<int64_t>(limit, 1)); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// The widest scalar (in bits) the op reads, writes or computes.
unsigned getMaxBitWidth(linalg::LinalgOp op) {
  unsigned bits = 8;
  auto account = [&](Type t) {
    t = getElementTypeOrSelf(t);
    if (t.isIntOrFloat())
      bits = std::max(bits, t.getIntOrFloatBitWidth());
  };
  for (Value v : op->getOperands())
    account(v.getType());
  op.getBlock()->walk([&](Operation *inner) {
    for (Type t : inner->getResultTypes())
      account(t);
  });
  return bits;
}

/// The bit width of the accumulator (the op's first init), for register
/// blocking.
unsigned getInitBitWidth(linalg::LinalgOp op) {
  if (op.getNumDpsInits() == 0)
    return 32;
  Type t = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  return t.isIntOrFloat() ? t.getIntOrFloatBitWidth() : 32;
}

/// A sum of `coefficient * dim` terms; nullopt for anything else.
std::optional<SmallVector<std::pair<unsigned, int64_t>>>
getLinearTerms(AffineExpr expr) {
  SmallVector<std::pair<unsigned, int64_t>> terms;
  std::function<bool(AffineExpr, int64_t)> visit = [&](AffineExpr e,
                                                        int64_t scale) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      terms.push_back({d.getPosition(), scale});
      return true;
    }
    if (isa<AffineConstantExpr>(e))
      return true;
    auto bin = dyn_cast<AffineBinaryOpExpr>(e);
    if (!bin)
      return false;
    if (bin.getKind() == AffineExprKind::Add)
      return visit(bin.getLHS(), scale) && visit(bin.getRHS(), scale);
    if (bin.getKind() == AffineExprKind::Mul) {
      if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
        return visit(bin.getLHS(), scale * c.getValue());
      if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
        return visit(bin.getRHS(), scale * c.getValue());
    }
    return false;
  };
  if (!visit(expr, 1))
    return std::nullopt;
  return terms;
}

/// A multiply-accumulate contraction (conv, matmul) with no dimension
/// shared by inputs and output (depthwise windows have one: the channel):
/// contraction indexing maps and a body yielding `out + a * b`, whatever
/// element-wise work produces a and b (casts, the x86 u8 shift).
bool isContractionWithoutBatch(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || !dims->batch.empty() || dims->k.empty())
    return false;
  Block *body = op.getBlock();
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield->getNumOperands() != 1)
    return false;
  Operation *add = yield->getOperand(0).getDefiningOp();
  if (!isa_and_present<arith::AddIOp, arith::AddFOp>(add))
    return false;
  BlockArgument out = body->getArguments().back();
  Value other = add->getOperand(0) == out   ? add->getOperand(1)
                : add->getOperand(1) == out ? add->getOperand(0)
                                            : Value();
  return other && isa_and_present<arith::MulIOp, arith::MulFOp>(
                      other.getDefiningOp());
}

struct TileSizeOptions {
  unsigned vectorBits = 256;
  /// Accumulator vectors a reduction's register block may hold.
  int64_t maxAccumulatorVectors = 8;
  /// Elements of one element-wise tile.
  int64_t maxElementwiseElements = 64;
  /// Unrolled reduction length per tile.
  int64_t maxReductionTile = 32;
};

/// Vector-friendly tile sizes for `op` (0: the whole dimension), or nullopt
/// when the op is left alone (dynamic shapes).
std::optional<SmallVector<int64_t>>
computeTileSizes(linalg::LinalgOp op, const TileSizeOptions &options) {
  if (op.hasDynamicShape())
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned n = ranges.size();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  bool hasReduction = llvm::any_of(iterators, [](utils::IteratorType t) {
    return t == utils::IteratorType::reduction;
  });

  SmallVector<int64_t> sizes(n, 1);
  for (unsigned d = 0; d < n; ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      sizes[d] = largestDivisorAtMost(ranges[d], options.maxReductionTile);

  // Lanes: the innermost dimension of the (first) output; register block:
  // the one before it.
  std::optional<unsigned> lane, block;
  if (op.getNumDpsInits() > 0) {
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    unsigned r = out.getNumResults();
    auto parallelDim = [&](unsigned i) -> std::optional<unsigned> {
      auto d = dyn_cast<AffineDimExpr>(out.getResult(i));
      if (d && iterators[d.getPosition()] == utils::IteratorType::parallel)
        return d.getPosition();
      return std::nullopt;
    };
    if (r >= 1)
      lane = parallelDim(r - 1);
    if (r >= 2)
      block = parallelDim(r - 2);
  }
  unsigned bits = getMaxBitWidth(op);
  int64_t laneLimit = std::max<int64_t>(4, 2 * options.vectorBits / bits);
  if (lane) {
    sizes[*lane] = largestDivisorAtMost(ranges[*lane], laneLimit);
    if (block && *block != *lane) {
      int64_t blockLimit;
      if (hasReduction) {
        int64_t laneBits = sizes[*lane] * getInitBitWidth(op);
        int64_t vectors =
            std::max<int64_t>(1, (laneBits + options.vectorBits - 1) /
                                     options.vectorBits);
        blockLimit = options.maxAccumulatorVectors / vectors;
      } else {
        blockLimit = options.maxElementwiseElements / sizes[*lane];
      }
      sizes[*block] = largestDivisorAtMost(ranges[*block], blockLimit);
      // A block of one pixel (7x7 outputs have no divisor up to the
      // limit) loads every weight once per pixel; one vector of 32-bit
      // lanes over up to maxAccumulatorVectors pixels reuses it.
      if (hasReduction && sizes[*block] == 1 && ranges[*block] > 1 &&
          isContractionWithoutBatch(op) && getInitBitWidth(op) == 32) {
        int64_t vectorLanes = options.vectorBits / 32;
        int64_t pixels = largestDivisorAtMost(ranges[*block],
                                              options.maxAccumulatorVectors);
        if (pixels > 1 && ranges[*lane] % vectorLanes == 0) {
          sizes[*lane] = vectorLanes;
          sizes[*block] = pixels;
        }
      }
    }
  }

  // Every compound index expression (a window `oh * s + kh * d`) keeps at
  // most one dimension wider than 1, the lanes or the register block, with
  // coefficient 1, so that dropping unit dimensions leaves projected
  // permutations (what the vectorizer needs). Window dimensions become
  // loops: a depthwise window or a pool is then an element-wise
  // multiply-accumulate or max per window position.
  auto rank = [&](unsigned d) {
    if (lane && d == *lane)
      return 0;
    if (block && d == *block)
      return 1;
    return 2;
  };
  for (AffineMap map : op.getIndexingMapsArray()) {
    for (AffineExpr expr : map.getResults()) {
      if (isa<AffineDimExpr, AffineConstantExpr>(expr))
        continue;
      auto terms = getLinearTerms(expr);
      if (!terms) {
        expr.walk([&](AffineExpr e) {
          if (auto d = dyn_cast<AffineDimExpr>(e))
            sizes[d.getPosition()] = 1;
        });
        continue;
      }
      std::optional<unsigned> keep;
      for (auto [d, coefficient] : *terms) {
        if (coefficient != 1 || sizes[d] == 1 || rank(d) == 2) {
          sizes[d] = 1;
          continue;
        }
        if (!keep || rank(d) < rank(*keep))
          keep = d;
      }
      for (auto [d, coefficient] : *terms)
        if (!keep || d != *keep)
          sizes[d] = 1;
    }
  }

  // A contraction whose register block ended up narrow (7x7 outputs have
  // no divisor up to the block limit; strided windows keep one pixel) gets
  // wider lanes instead: with one or two accumulators every multiply-add
  // waits for the previous one's latency.
  if (lane && hasReduction && isContractionWithoutBatch(op) &&
      getInitBitWidth(op) == 32) {
    int64_t laneVectors = std::max<int64_t>(
        1, sizes[*lane] * 32 / static_cast<int64_t>(options.vectorBits));
    int64_t blockSize = block && *block != *lane ? sizes[*block] : 1;
    if (laneVectors * blockSize < options.maxAccumulatorVectors) {
      int64_t vectorLanes = options.vectorBits / 32;
      int64_t widened = largestDivisorAtMost(
          ranges[*lane],
          options.maxAccumulatorVectors / blockSize * vectorLanes);
      if (widened % vectorLanes == 0 && widened > sizes[*lane])
        sizes[*lane] = widened;
    }
  }

  // Other reductions (pools, depthwise windows) loop over every reduction
  // dimension and accumulate element-wise: a global pool would otherwise
  // become one vector of its whole window.
  if (hasReduction && !isContractionWithoutBatch(op))
    for (unsigned d = 0; d < n; ++d)
      if (iterators[d] == utils::IteratorType::reduction)
        sizes[d] = 1;
  // A contraction keeps one reduction dimension (the innermost one left):
  // vector.contract then lowers to plain outer products.
  if (isContractionWithoutBatch(op)) {
    bool kept = false;
    for (unsigned d = n; d-- > 0;) {
      if (iterators[d] != utils::IteratorType::reduction || sizes[d] == 1)
        continue;
      if (kept)
        sizes[d] = 1;
      kept = true;
    }
  }

  for (unsigned d = 0; d < n; ++d)
    if (sizes[d] == ranges[d])
      sizes[d] = 0;
  return sizes;
}

bool needsTiling(ArrayRef<int64_t> sizes) {
  return llvm::any_of(sizes, [](int64_t s) { return s != 0; });
}

SmallVector<OpFoldResult> toFoldResults(MLIRContext *ctx,
                                        ArrayRef<int64_t> sizes) {
  Builder b(ctx);
  return llvm::map_to_vector(sizes, [&](int64_t s) -> OpFoldResult {
    return b.getIndexAttr(s);
  });
}

bool hasReductionLoops(linalg::LinalgOp op) {
  return op.getNumReductionLoops() > 0;
}

/// Bytes of a statically shaped tensor operand; 0 otherwise.
int64_t staticBytes(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return 0;
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

/// Whether `contraction`'s tiles should walk output channels outermost:
/// when its weights (second input) outweigh its activations (first input),
/// one channel tile's weights then stay in cache while every pixel uses
/// them, instead of streaming all the weights once per pixel (the late
/// layers of a ResNet: 9 MB of weights, 7x7 pixels). Otherwise the output
/// order keeps each input window in cache for all channels.
bool prefersChannelsOutermost(linalg::LinalgOp contraction) {
  if (contraction.getNumDpsInputs() != 2)
    return false;
  return staticBytes(contraction.getDpsInputOperand(1)->get()) >
         staticBytes(contraction.getDpsInputOperand(0)->get());
}

/// The permutation of `numLoops` tile loops that puts `first` outermost and
/// keeps the others in order.
SmallVector<int64_t> outermostFirst(unsigned numLoops, unsigned first) {
  SmallVector<int64_t> order{first};
  for (unsigned l = 0; l < numLoops; ++l)
    if (l != first)
      order.push_back(l);
  return order;
}

/// The loop of `op` that writes the innermost (channel) dimension of its
/// first output, if it is a plain dimension.
std::optional<unsigned> channelLoop(linalg::LinalgOp op) {
  if (op.getNumDpsInits() == 0)
    return std::nullopt;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() == 0)
    return std::nullopt;
  auto d = dyn_cast<AffineDimExpr>(out.getResults().back());
  if (!d)
    return std::nullopt;
  return d.getPosition();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Constant operands laid out with the lanes innermost
//===----------------------------------------------------------------------===//

/// `attr` with its dimensions permuted: result dim i is source dim
/// `perm[i]`. Null for element types that are not whole bytes.
DenseElementsAttr permuteConstant(DenseElementsAttr attr,
                                  ArrayRef<unsigned> perm) {
  auto type = cast<RankedTensorType>(attr.getType());
  Type elem = type.getElementType();
  if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  SmallVector<int64_t> shape;
  for (unsigned p : perm)
    shape.push_back(type.getDimSize(p));
  auto newType = RankedTensorType::get(shape, elem);
  if (attr.isSplat())
    return attr.reshape(newType);
  int64_t bytes = elem.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = attr.getRawData();
  int64_t rank = type.getRank(), n = type.getNumElements();
  SmallVector<int64_t> srcStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    srcStrides[i] = srcStrides[i + 1] * type.getDimSize(i + 1);
  std::vector<char> out(raw.size());
  SmallVector<int64_t> index(rank, 0); // in the new shape
  for (int64_t linear = 0; linear < n; ++linear) {
    int64_t src = 0;
    for (int64_t i = 0; i < rank; ++i)
      src += index[i] * srcStrides[perm[i]];
    std::memcpy(out.data() + linear * bytes, raw.data() + src * bytes, bytes);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < shape[i])
        break;
      index[i] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(newType, out);
}

/// Constant inputs (weights) read with the vector lanes (the output's
/// innermost dimension) in an outer dimension are rewritten with the lanes
/// innermost, so that a vector of lanes is one contiguous load (and a
/// contraction's outer products need no transposes).
void relayoutConstantOperands(func::FuncOp fn) {
  fn.walk([&](linalg::GenericOp op) {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1)
      return;
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (out.getNumResults() == 0)
      return;
    auto laneExpr = dyn_cast<AffineDimExpr>(out.getResults().back());
    if (!laneExpr)
      return;
    unsigned lane = laneExpr.getPosition();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    bool changed = false;
    for (OpOperand *operand : op.getDpsInputOperands()) {
      auto cst = operand->get().getDefiningOp<arith::ConstantOp>();
      auto attr = cst ? dyn_cast<DenseElementsAttr>(cst.getValue())
                      : DenseElementsAttr();
      AffineMap map = maps[operand->getOperandNumber()];
      if (!attr || !map.isProjectedPermutation() || map.getNumResults() < 2)
        continue;
      std::optional<unsigned> lanePos = map.getResultPosition(
          getAffineDimExpr(lane, op.getContext()));
      if (!lanePos || *lanePos == map.getNumResults() - 1)
        continue;
      SmallVector<unsigned> perm;
      for (unsigned i = 0; i < map.getNumResults(); ++i)
        if (i != *lanePos)
          perm.push_back(i);
      perm.push_back(*lanePos);
      DenseElementsAttr permuted = permuteConstant(attr, perm);
      if (!permuted)
        continue;
      OpBuilder b(cst);
      Value newCst = arith::ConstantOp::create(b, cst.getLoc(), permuted);
      SmallVector<AffineExpr> results;
      for (unsigned p : perm)
        results.push_back(map.getResult(p));
      maps[operand->getOperandNumber()] = AffineMap::get(
          map.getNumDims(), map.getNumSymbols(), results, op.getContext());
      operand->set(newCst);
      changed = true;
    }
    if (changed)
      op.setIndexingMapsAttr(
          ArrayAttr::get(op.getContext(),
                         llvm::map_to_vector(maps, [](AffineMap m) -> Attribute {
                           return AffineMapAttr::get(m);
                         })));
  });
}

/// A decomposed pad is `insert_slice %src into fill(empty)`. Creating the
/// filled buffer before `%src`'s producer lets empty-tensor elimination make
/// the producer write straight into the padded buffer (no copy).
void hoistPaddedBuffers(func::FuncOp fn) {
  fn.walk([&](tensor::InsertSliceOp insert) {
    auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
    Operation *src = insert.getSource().getDefiningOp();
    if (!fill || !src || src->getBlock() != fill->getBlock() ||
        !src->isBeforeInBlock(fill))
      return;
    auto empty =
        fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>();
    if (!empty || !empty.getDynamicSizes().empty() || !empty->hasOneUse() ||
        empty->getBlock() != src->getBlock())
      return;
    for (Value v : fill.getDpsInputs())
      if (Operation *def = v.getDefiningOp())
        if (def->getBlock() == src->getBlock() && !def->isBeforeInBlock(src))
          return;
    empty->moveBefore(src);
    fill->moveBefore(src);
  });
}

/// The canonicalization patterns of every loaded dialect and op.
void addCanonicalizationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

LogicalResult canonicalize(Operation *root) {
  RewritePatternSet patterns(root->getContext());
  addCanonicalizationPatterns(patterns);
  tensor::populateFoldTensorEmptyPatterns(patterns);
  return applyPatternsGreedily(root, std::move(patterns));
}

/// Drops unit-extent dimensions of linalg ops. Inside tiled loops
/// (`useSlices`), with rank-reducing extract/insert_slice rather than
/// reshapes, which keeps the loop-carried tiles matching subset pairs that
/// hoistLoopInvariantSubsets can turn into loop-carried vectors.
void dropUnitDims(Operation *root, bool useSlices = false) {
  MLIRContext *ctx = root->getContext();
  linalg::ControlDropUnitDims control;
  if (useSlices)
    control.rankReductionStrategy = linalg::ControlDropUnitDims::
        RankReductionStrategy::ExtractInsertSlice;
  {
    RewritePatternSet patterns(ctx);
    linalg::populateFoldUnitExtentDimsPatterns(patterns, control);
    walkAndApplyPatterns(root, std::move(patterns));
  }
  RewritePatternSet patterns(ctx);
  linalg::populateFoldUnitExtentDimsCanonicalizationPatterns(patterns,
                                                             control);
  addCanonicalizationPatterns(patterns);
  (void)applyPatternsGreedily(root, std::move(patterns));
}

/// ext(transpose(v)) -> transpose(ext(v)) and ext(broadcast(v)) ->
/// broadcast(ext(v)) for integer extensions, so that the broadcasts and
/// transposes the vectorizer puts on contraction operands reach the
/// contraction and fold into its indexing maps.
template <typename ExtOp>
struct HoistExtOverShuffles : OpRewritePattern<ExtOp> {
  using OpRewritePattern<ExtOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ExtOp ext,
                                PatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<VectorType>(ext.getType());
    if (!resultType)
      return failure();
    Type elem = resultType.getElementType();
    Operation *def = ext.getIn().getDefiningOp();
    if (auto t = dyn_cast_or_null<vector::TransposeOp>(def)) {
      auto srcType = cast<VectorType>(t.getVector().getType());
      Value e = ExtOp::create(rewriter, ext.getLoc(), srcType.clone(elem),
                              t.getVector());
      rewriter.replaceOpWithNewOp<vector::TransposeOp>(ext, e,
                                                       t.getPermutation());
      return success();
    }
    if (auto bc = dyn_cast_or_null<vector::BroadcastOp>(def)) {
      Type srcType = bc.getSource().getType();
      Type newSrcType = isa<VectorType>(srcType)
                            ? Type(cast<VectorType>(srcType).clone(elem))
                            : elem;
      Value e = ExtOp::create(rewriter, ext.getLoc(), newSrcType,
                              bc.getSource());
      rewriter.replaceOpWithNewOp<vector::BroadcastOp>(ext, resultType, e);
      return success();
    }
    return failure();
  }
};

/// Records the ops a rewriter creates (and which of them it erased).
struct CreatedOps : public RewriterBase::Listener {
  SmallVector<Operation *> ops;
  llvm::SmallPtrSet<Operation *, 16> erased;
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint) override {
    ops.push_back(op);
  }
  void notifyOperationErased(Operation *op) override { erased.insert(op); }
};

struct QlowX86VectorizePass
    : mlir::qlow::impl::QlowX86VectorizeBase<QlowX86VectorizePass> {
  using QlowX86VectorizeBase::QlowX86VectorizeBase;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (vectorISA != "generic" && vectorISA != "avx2" &&
        vectorISA != "avxvnni") {
      fn.emitError() << "qlow-x86-vectorize: unknown isa '" << vectorISA
                     << "' (generic, avx2 or avxvnni)";
      return signalPassFailure();
    }
    tileOptions.vectorBits = vectorBits;
    if (accumulators < 1) {
      fn.emitError() << "qlow-x86-vectorize: accumulators must be at least 1";
      return signalPassFailure();
    }
    tileOptions.maxAccumulatorVectors = accumulators;
    if (failed(normalize(fn)) || failed(fuseEpilogues(fn)) ||
        failed(tileToVectorSizes(fn)))
      return signalPassFailure();
    dropUnitDims(fn, /*useSlices=*/true);
    if (failed(vectorizeAll(fn)))
      return signalPassFailure();
    unshareEmptyTensors(fn);
  }

  /// One tensor.empty per use: CSE merges them, and two loops writing into
  /// the same empty tensor look like a conflict to one-shot bufferization,
  /// which then copies (undefined data) between their buffers.
  static void unshareEmptyTensors(func::FuncOp fn) {
    SmallVector<tensor::EmptyOp> empties;
    fn.walk([&](tensor::EmptyOp op) { empties.push_back(op); });
    for (tensor::EmptyOp empty : empties) {
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : empty->getUses())
        uses.push_back(&use);
      for (OpOperand *use : llvm::drop_begin(uses)) {
        OpBuilder b(use->getOwner());
        use->set(b.clone(*empty)->getResult(0));
      }
    }
  }

  TileSizeOptions tileOptions;

  /// Step 1.
  LogicalResult normalize(func::FuncOp fn) {
    MLIRContext *ctx = &getContext();
    if (vectorISA != "generic") {
      dropUnitDims(fn);
      qlow::x86::padChannelsToQuads(fn);
    }
    {
      RewritePatternSet patterns(ctx);
      linalg::populateDecomposePadPatterns(patterns);
      if (failed(applyPatternsGreedily(fn, std::move(patterns))))
        return failure();
    }
    hoistPaddedBuffers(fn);
    IRRewriter rewriter(ctx);
    SmallVector<linalg::LinalgOp> named;
    fn.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::GenericOp, linalg::FillOp>(op.getOperation()))
        named.push_back(op);
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    dropUnitDims(fn);
    relayoutConstantOperands(fn);
    // x86's byte dot products multiply unsigned activations by signed
    // weights; vpmaddubsw (avx2) needs weights within [-64, 64].
    if (vectorISA == "avxvnni")
      qlow::x86::shiftToUnsignedActivations(fn, 128);
    else if (vectorISA == "avx2")
      qlow::x86::shiftToUnsignedActivations(fn, 64);
    qlow::x86::pushElementwiseIntoPadding(fn);
    // Element-wise fusion, only where the consumer reads the producer
    // through a permutation of all its loops (into a window, a reduction or
    // a broadcast, each element would be recomputed several times).
    RewritePatternSet patterns(ctx);
    linalg::ControlFusionFn control = [](OpOperand *operand) {
      Operation *producer = operand->get().getDefiningOp();
      auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
      if (!producer || !producer->hasOneUse() || !consumer)
        return false;
      return consumer.getMatchingIndexingMap(operand).isPermutation();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    addCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(fn, std::move(patterns))))
      return failure();
    // Element-wise ops whose inner dimensions are contiguous in every
    // operand (an NHWC tensor's W and C) get them merged: long vectors even
    // for 3-channel images. The outer dimension stays, so that the op can
    // still write in place into a padded buffer's rows.
    {
      RewritePatternSet collapse(ctx);
      linalg::populateCollapseDimensions(
          collapse, [](linalg::LinalgOp op) -> SmallVector<ReassociationIndices> {
            unsigned n = op.getNumLoops();
            if (n < 3 || !isa<linalg::GenericOp>(op.getOperation()) ||
                op.getNumReductionLoops() != 0 || op.hasDynamicShape())
              return {};
            // An op that fills the inside of a padded buffer must keep its
            // shape to write there in place.
            for (Operation *user : op->getUsers())
              if (isa<tensor::InsertSliceOp>(user))
                return {};
            // The epilogue of a reduction keeps its shape too: it is fused
            // with the reduction later.
            for (Value in : op->getOperands())
              if (auto producer = in.getDefiningOp<linalg::LinalgOp>())
                if (producer.getNumReductionLoops() > 0)
                  return {};
            ReassociationIndices inner;
            for (unsigned d = 1; d < n; ++d)
              inner.push_back(d);
            if (!linalg::areDimSequencesPreserved(op.getIndexingMapsArray(),
                                                  {inner}))
              return {};
            return {inner};
          });
      addCanonicalizationPatterns(collapse);
      if (failed(applyPatternsGreedily(fn, std::move(collapse))))
        return failure();
    }
    // Requantization in 32-bit lanes where the shifts allow it.
    qlow::x86::narrowFixedPointArithmetic(fn);
    return canonicalize(fn);
  }

  /// Step 2: reductions fused into the tiles of their element-wise
  /// consumer.
  LogicalResult fuseEpilogues(func::FuncOp fn) {
    MLIRContext *ctx = &getContext();
    llvm::SetVector<Operation *> roots;
    llvm::DenseMap<Operation *, SmallVector<int64_t>> rootSizes;
    llvm::DenseMap<Operation *, SmallVector<int64_t>> rootOrder;
    fn.walk([&](linalg::GenericOp anchor) {
      if (!hasReductionLoops(anchor) || anchor->getNumResults() != 1 ||
          !anchor->getResult(0).hasOneUse())
        return;
      OpOperand &use = *anchor->getResult(0).getUses().begin();
      auto root = dyn_cast<linalg::GenericOp>(use.getOwner());
      if (!root || !linalg::isElementwise(root) ||
          !root.isDpsInput(&use) || root->getNumResults() != 1)
        return;
      AffineMap rootMap = root.getMatchingIndexingMap(&use);
      AffineMap anchorOut =
          anchor.getMatchingIndexingMap(anchor.getDpsInitOperand(0));
      if (!rootMap.isPermutation() || !anchorOut.isProjectedPermutation())
        return;
      std::optional<SmallVector<int64_t>> anchorSizes =
          computeTileSizes(anchor, tileOptions);
      if (!anchorSizes)
        return;
      // Root loop r reads tensor dim t where rootMap(r) = t; the anchor
      // loop writing tensor dim t is anchorOut(t).
      SmallVector<int64_t> sizes(root.getNumLoops(), 0);
      for (unsigned t = 0; t < rootMap.getNumResults(); ++t) {
        unsigned r = rootMap.getDimPosition(t);
        unsigned a = anchorOut.getDimPosition(t);
        sizes[r] = (*anchorSizes)[a];
      }
      if (!needsTiling(sizes))
        return;
      auto [it, inserted] = rootSizes.try_emplace(root, sizes);
      if (!inserted && it->second != sizes)
        return;
      roots.insert(root);
      if (prefersChannelsOutermost(anchor))
        rootOrder[root] = outermostFirst(
            root.getNumLoops(),
            rootMap.getDimPosition(rootMap.getNumResults() - 1));
    });

    IRRewriter rewriter(ctx);
    for (Operation *rootOp : roots) {
      auto root = cast<TilingInterface>(rootOp);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(toFoldResults(ctx, rootSizes[rootOp]));
      if (auto order = rootOrder.find(rootOp); order != rootOrder.end())
        tiling.setInterchange(order->second);
      scf::SCFTileAndFuseOptions fuse;
      fuse.setTilingOptions(tiling);
      fuse.setFusionControlFn(
          [](tensor::ExtractSliceOp slice, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            // Fused: a reduction read by the element-wise root, and what
            // produces the initial value of a fused op (a fill, the
            // broadcast bias). Each tile then computes exactly its own part;
            // nothing is recomputed. (While fusing, the original consumer
            // still uses the producer, so use counts say nothing here;
            // anchors were checked to have one user.)
            auto op = dyn_cast<linalg::LinalgOp>(producer.getOwner());
            if (!op)
              return std::nullopt;
            bool readByElementwise = true, usedAsInit = true;
            for (OpOperand &use : slice->getUses()) {
              auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
              readByElementwise &= user && linalg::isElementwise(user) &&
                                   user.isDpsInput(&use);
              usedAsInit &= user && user.isDpsInit(&use);
            }
            if ((hasReductionLoops(op) && readByElementwise) ||
                (!hasReductionLoops(op) && usedAsInit))
              return scf::SCFTileAndFuseOptions::ControlFnResult{};
            return std::nullopt;
          });
      rewriter.setInsertionPoint(rootOp);
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, fuse);
      if (failed(result))
        continue; // left to the per-op tiling below
      for (auto [original, replacement] : result->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
    }
    return canonicalize(fn);
  }

  /// Step 3.
  LogicalResult tileToVectorSizes(func::FuncOp fn) {
    MLIRContext *ctx = &getContext();
    SmallVector<linalg::LinalgOp> ops;
    fn.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(ctx);
    for (linalg::LinalgOp op : ops) {
      std::optional<SmallVector<int64_t>> sizes =
          computeTileSizes(op, tileOptions);
      if (!sizes || !needsTiling(*sizes))
        continue;
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(toFoldResults(ctx, *sizes));
      if (std::optional<unsigned> channels = channelLoop(op);
          channels && hasReductionLoops(op) && prefersChannelsOutermost(op))
        tiling.setInterchange(outermostFirst(op.getNumLoops(), *channels));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), tiling);
      if (failed(result))
        continue;
      rewriter.replaceOp(op, result->replacements);
    }
    return canonicalize(fn);
  }

  /// Step 4.
  LogicalResult vectorizeAll(func::FuncOp fn) {
    MLIRContext *ctx = &getContext();
    CreatedOps created;
    IRRewriter rewriter(ctx, &created);
    SmallVector<linalg::LinalgOp> ops;
    fn.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    FrozenRewritePatternSet toContract = [&] {
      RewritePatternSet patterns(ctx);
      // Broadcasting reads become explicit broadcasts, which then fold into
      // the contraction's indexing maps.
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      // Casts and element-wise ops move before broadcasts and transposes.
      vector::populateSinkVectorOpsPatterns(patterns);
      patterns.add<HoistExtOverShuffles<arith::ExtSIOp>,
                   HoistExtOverShuffles<arith::ExtUIOp>>(ctx);
      vector::populateVectorReductionToContractPatterns(patterns);
      return FrozenRewritePatternSet(std::move(patterns));
    }();
    for (linalg::LinalgOp op : ops) {
      if (op.hasDynamicShape() || readsOrWritesBools(op) ||
          failed(linalg::vectorizeOpPrecondition(op)))
        continue;
      bool contraction = isContractionWithoutBatch(op);
      created.ops.clear();
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/false);
      if (failed(result))
        continue;
      if (op->getNumResults() > 0)
        rewriter.replaceOp(op, result->replacements);
      else
        rewriter.eraseOp(op);
      // Contractions (multiply + multi_reduction) become vector.contract,
      // lowered to outer products below; other reductions stay
      // multi_reductions.
      if (contraction) {
        GreedyRewriteConfig config;
        config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
        SmallVector<Operation *> live;
        for (Operation *o : created.ops)
          if (!created.erased.contains(o))
            live.push_back(o);
        if (failed(applyOpPatternsGreedily(live, toContract, config)))
          return failure();
      }
    }

    RewritePatternSet patterns(ctx);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    patterns.add<HoistExtOverShuffles<arith::ExtSIOp>,
                 HoistExtOverShuffles<arith::ExtUIOp>>(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    // (vector.contract stays: qlow-x86-lower-vectors picks its kernel after
    // bufferization.)

    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    addCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(fn, std::move(patterns))))
      return failure();

    // Accumulator tiles become loop-carried vectors (innermost loops first,
    // so that a hoisted pair can be hoisted again from the enclosing loop),
    // then loop-invariant code leaves the loops; canonicalization forwards
    // the vectors written to a tensor to its readers, so a fused tile's
    // accumulators never go through memory.
    SmallVector<scf::ForOp> loops;
    fn.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops) {
      rewriter.setInsertionPoint(loop);
      (void)hoistLoopInvariantSubsets(
          rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));
    }
    if (failed(canonicalize(fn)))
      return failure();
    fn.walk([&](scf::ForOp loop) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
    });
    return canonicalize(fn);
  }
};

} // namespace
