//===- Fold.cpp - fold quantization parameters into integer arithmetic ----===//
//
// The heart of the compiler: for y = sum_k (x_k - zx)(w_k - zw),
//   sum x*w - zw * sum x - zx * sum w + K * zx * zw,
// with constant weights the last two terms and the quantized bias become one
// int32 bias, so the inner loop is a plain i8 x i8 -> i32 dot product; the
// real multiplier sx*sw/sy becomes an int32 multiplier and shift per output
// channel, and the fused activation becomes the output clamp. All constants
// come from the integer spec's own functions (docs/integer-spec.md).
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWFOLD
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;
namespace ref = ::qlow::ref;

namespace {

/// quantize(dequantize(x)) is x when the types agree, else one requantize.
struct FoldDequantizeQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dq = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dq)
      return failure();
    Value x = dq.getInput();
    if (x.getType() == op.getType())
      rewriter.replaceOp(op, x);
    else
      rewriter.replaceOpWithNewOp<RequantizeOp>(op, op.getType(), x,
                                                op.getNameAttr());
    return success();
  }
};

/// An input as the integer ops read it: its storage value, with u8 storage
/// read as signed `x - 128` (the zero point moves with it), so every inner
/// loop multiplies signed 8-bit values.
struct IntegerOperand {
  Value storage;
  int64_t zeroPoint;
  bool isUnsigned;
};

static IntegerOperand toStorage(PatternRewriter &rewriter, Location loc,
                                Value v, const QuantParams &p) {
  Value storage = quant::StorageCastOp::create(rewriter, loc,
                                               getStorageType(v.getType()), v);
  int64_t shift = p.isSigned ? 0 : 128;
  return {storage, p.zeroPoint() - shift, !p.isSigned};
}

/// Constant integer weights in the signed domain (u8 weights shifted by
/// -128 with their zero points), with their per-channel zero points.
struct IntegerWeights {
  std::vector<int32_t> values;
  SmallVector<int64_t> zeroPoints; // per channel (or one)
  QuantParams params;
};

static FailureOr<IntegerWeights> getIntegerWeights(Operation *op, Value w) {
  auto c = w.getDefiningOp<ConstOp>();
  if (!c)
    return op->emitError() << "quantized weights must be a qlow.const to be "
                              "folded";
  FailureOr<QuantParams> p = getQuantParams(w.getType());
  if (failed(p))
    return failure();
  IntegerWeights out;
  out.params = *p;
  int32_t shift = p->isSigned ? 0 : 128;
  auto attr = cast<DenseElementsAttr>(c.getValue());
  for (APInt v : attr.getValues<APInt>())
    out.values.push_back(
        (p->isSigned ? int32_t(v.getSExtValue()) : int32_t(v.getZExtValue())) -
        shift);
  for (int64_t z : p->zeroPoints)
    out.zeroPoints.push_back(z - shift);
  return out;
}

/// Output parameters of a conv/matmul: multipliers per channel, the output
/// zero point and the clamp bounds from the fused activation.
static LogicalResult buildRescale(PatternRewriter &rewriter, Operation *op,
                                  Value acc, double inputScale,
                                  const QuantParams &weights,
                                  int64_t channels, Value &result) {
  Type outType = op->getResult(0).getType();
  FailureOr<QuantParams> out = getQuantParams(outType);
  if (failed(out))
    return failure();
  SmallVector<int32_t> multipliers, shifts;
  int64_t n = weights.isPerAxis() ? channels : 1;
  for (int64_t o = 0; o < n; ++o) {
    double real = inputScale * weights.scale(o) / out->scale();
    std::optional<ref::FixedPointMultiplier> m = ref::computeMultiplier(real);
    if (!m)
      return op->emitError() << "impossible requantization: real multiplier "
                             << real << " (input scale x weight scale / "
                             << "output scale) must be in (0, 2^31)";
    multipliers.push_back(m->multiplier);
    shifts.push_back(m->shift);
  }
  auto minAttr = op->getAttrOfType<FloatAttr>("clamp_min");
  auto maxAttr = op->getAttrOfType<FloatAttr>("clamp_max");
  std::optional<float> lo, hi;
  if (minAttr)
    lo = float(minAttr.getValueAsDouble());
  if (maxAttr)
    hi = float(maxAttr.getValueAsDouble());
  auto [qlo, qhi] = ref::activationBounds(
      lo, hi, float(out->scale()), int32_t(out->zeroPoint()),
      int32_t(out->qmin), int32_t(out->qmax));
  if (qlo > qhi)
    return op->emitError() << "fused activation range is empty after "
                              "quantization";
  Location loc = op->getLoc();
  Value r = RescaleOp::create(
      rewriter, loc, getStorageType(outType), acc,
      rewriter.getDenseI32ArrayAttr(multipliers),
      rewriter.getDenseI32ArrayAttr(shifts), rewriter.getSI32IntegerAttr(0),
      rewriter.getSI32IntegerAttr(int32_t(out->zeroPoint())),
      rewriter.getSI32IntegerAttr(qlo), rewriter.getSI32IntegerAttr(qhi),
      rewriter.getIntegerAttr(rewriter.getIntegerType(64, /*isSigned=*/true), -1), UnitAttr());
  result = quant::StorageCastOp::create(rewriter, loc, outType, r);
  return success();
}

/// The int32 bias with the input zero point folded in:
/// biasQ[o] - zx * sum_k w[o,k] + K * zx * zw[o].
static FailureOr<Value>
buildFoldedBias(PatternRewriter &rewriter, Operation *op, Value bias,
                const IntegerWeights &w, const IntegerOperand &x,
                double inputScale, int64_t channels, int64_t k,
                llvm::function_ref<int64_t(int64_t, int64_t)> weightIndex) {
  std::optional<std::vector<float>> biasData;
  if (bias) {
    biasData = getConstantFloats(bias);
    if (!biasData)
      return op->emitError() << "the bias must be constant to be folded";
  }
  // Every accumulator term is at most 128 * 128 in magnitude: K of them plus
  // the bias must fit int32.
  if (k * 128 * 128 >= (int64_t(1) << 31))
    return op->emitError() << "reduction of " << k
                           << " products may overflow the int32 accumulator";
  SmallVector<int32_t> folded;
  for (int64_t o = 0; o < channels; ++o) {
    int64_t sum = 0;
    for (int64_t i = 0; i < k; ++i)
      sum += w.values[weightIndex(o, i)];
    int32_t biasQ = 0;
    if (biasData) {
      // quantizeBias saturates; a bias that saturates is a wrong model.
      double real = (*biasData)[o] / (inputScale * w.params.scale(o));
      if (!(std::fabs(real) <= double(INT32_MAX)))
        return op->emitError()
               << "bias of output channel " << o << " (" << (*biasData)[o]
               << ") does not fit int32 at scale " << inputScale << " x "
               << w.params.scale(o);
      biasQ = ref::quantizeBias((*biasData)[o], inputScale, w.params.scale(o));
    }
    int64_t zw = w.zeroPoints[w.params.isPerAxis() ? o : 0];
    std::optional<int32_t> f = ref::foldBias(biasQ, sum, k, int32_t(x.zeroPoint),
                                             int32_t(zw));
    if (!f)
      return op->emitError() << "folded bias of output channel " << o
                             << " overflows int32";
    folded.push_back(*f);
  }
  auto type = RankedTensorType::get({channels}, rewriter.getI32Type());
  return arith::ConstantOp::create(
             rewriter, op->getLoc(), type,
             DenseElementsAttr::get(type, ArrayRef<int32_t>(folded)))
      .getResult();
}

static Value weightConstant(PatternRewriter &rewriter, Location loc,
                            const IntegerWeights &w, ArrayRef<int64_t> shape) {
  SmallVector<int8_t> data(w.values.begin(), w.values.end());
  auto type = RankedTensorType::get(shape, rewriter.getI8Type());
  return arith::ConstantOp::create(
      rewriter, loc, type, DenseElementsAttr::get(type, ArrayRef<int8_t>(data)));
}

/// weight_zp attribute: empty in the symmetric case (no row-sum term).
static DenseI32ArrayAttr weightZpAttr(PatternRewriter &rewriter,
                                      const IntegerWeights &w,
                                      int64_t channels) {
  if (llvm::all_of(w.zeroPoints, [](int64_t z) { return z == 0; }))
    return rewriter.getDenseI32ArrayAttr({});
  SmallVector<int32_t> zps;
  for (int64_t o = 0; o < channels; ++o)
    zps.push_back(int32_t(w.zeroPoints[w.params.isPerAxis() ? o : 0]));
  return rewriter.getDenseI32ArrayAttr(zps);
}

static UnitAttr unitIf(PatternRewriter &rewriter, bool b) {
  return b ? rewriter.getUnitAttr() : UnitAttr();
}

/// What a conv/matmul needs to become integer: the accumulator op is built by
/// `buildAcc` from the storage input, the integer weights, the folded bias,
/// the weight zero points and the input's signedness.
struct IntegerLayer {
  Value input, weights, bias;
  int64_t channels, k;
  /// Index of weight (output channel o, reduction index i) in the weights'
  /// row-major data.
  llvm::function_ref<int64_t(int64_t, int64_t)> weightIndex;
  llvm::function_ref<Value(const IntegerOperand &x, Value w, Value bias,
                           DenseI32ArrayAttr weightZp, UnitAttr isUnsigned,
                           Type accType)>
      buildAcc;
};

static LogicalResult foldToInteger(PatternRewriter &rewriter, Operation *op,
                                   const IntegerLayer &layer) {
  FailureOr<QuantParams> xp = getQuantParams(layer.input.getType());
  FailureOr<IntegerWeights> w = getIntegerWeights(op, layer.weights);
  if (failed(xp) || failed(w))
    return failure();
  Location loc = op->getLoc();
  IntegerOperand x = toStorage(rewriter, loc, layer.input, *xp);
  FailureOr<Value> bias =
      buildFoldedBias(rewriter, op, layer.bias, *w, x, xp->scale(),
                      layer.channels, layer.k, layer.weightIndex);
  if (failed(bias))
    return failure();
  auto accType = RankedTensorType::get(
      cast<RankedTensorType>(op->getResult(0).getType()).getShape(),
      rewriter.getI32Type());
  auto wShape = cast<RankedTensorType>(layer.weights.getType()).getShape();
  Value acc = layer.buildAcc(x, weightConstant(rewriter, loc, *w, wShape),
                             *bias, weightZpAttr(rewriter, *w, layer.channels),
                             unitIf(rewriter, x.isUnsigned), accType);
  Value result;
  if (failed(buildRescale(rewriter, op, acc, xp->scale(), w->params,
                          layer.channels, result)))
    return failure();
  rewriter.replaceOp(op, result);
  return success();
}

struct Conv2DToInteger : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantized(op.getInput()))
      return failure();
    auto fshape = cast<RankedTensorType>(op.getFilter().getType()).getShape();
    int64_t k = fshape[1] * fshape[2] * fshape[3];
    auto build = [&](const IntegerOperand &x, Value w, Value bias,
                     DenseI32ArrayAttr zp, UnitAttr isUnsigned,
                     Type accType) -> Value {
      return IntConv2DOp::create(
          rewriter, op.getLoc(), accType, x.storage, w, bias,
          op.getStridesAttr(), op.getPaddingAttr(), op.getDilationAttr(),
          op.getGroupsAttr(), rewriter.getSI32IntegerAttr(int32_t(x.zeroPoint)),
          zp, isUnsigned);
    };
    return foldToInteger(
        rewriter, op,
        {op.getInput(), op.getFilter(), op.getBias(), fshape[0], k,
         [&](int64_t o, int64_t i) { return o * k + i; }, build});
  }
};

struct MatmulToInteger : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!isQuantized(op.getLhs()))
      return failure();
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    if (rhsType.getRank() != 2)
      return op.emitError() << "a quantized matmul needs rank-2 constant "
                               "weights [K,N] to be folded";
    int64_t k = rhsType.getDimSize(0), channels = rhsType.getDimSize(1);
    auto build = [&](const IntegerOperand &x, Value w, Value bias,
                     DenseI32ArrayAttr zp, UnitAttr isUnsigned,
                     Type accType) -> Value {
      return IntMatmulOp::create(rewriter, op.getLoc(), accType, x.storage, w,
                                 bias, zp, isUnsigned);
    };
    return foldToInteger(
        rewriter, op,
        {op.getLhs(), op.getRhs(), op.getBias(), channels, k,
         [&](int64_t n, int64_t i) { return i * channels + n; }, build});
  }
};

/// requantize -> rescale by s_in / s_out between the zero points.
struct RequantizeToRescale : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<QuantParams> in = getQuantParams(op.getInput().getType());
    FailureOr<QuantParams> out = getQuantParams(op.getType());
    if (failed(in) || failed(out) || in->isPerAxis() || out->isPerAxis())
      return op.emitError() << "only per-tensor requantization can be folded";
    double real = in->scale() / out->scale();
    std::optional<ref::FixedPointMultiplier> m = ref::computeMultiplier(real);
    if (!m)
      return op.emitError() << "impossible requantization: scale ratio "
                            << real << " must be in (0, 2^31)";
    Location loc = op.getLoc();
    Value storage = quant::StorageCastOp::create(
        rewriter, loc, getStorageType(op.getInput().getType()), op.getInput());
    Value r = RescaleOp::create(
        rewriter, loc, getStorageType(op.getType()), storage,
        rewriter.getDenseI32ArrayAttr({m->multiplier}),
        rewriter.getDenseI32ArrayAttr({m->shift}),
        rewriter.getSI32IntegerAttr(int32_t(in->zeroPoint())),
        rewriter.getSI32IntegerAttr(int32_t(out->zeroPoint())),
        rewriter.getSI32IntegerAttr(int32_t(out->qmin)),
        rewriter.getSI32IntegerAttr(int32_t(out->qmax)),
        rewriter.getIntegerAttr(rewriter.getIntegerType(64, /*isSigned=*/true), -1), unitIf(rewriter, !in->isSigned));
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), r);
    return success();
  }
};

/// scast(scast(x)) back to x's own type is x.
struct FoldStorageCastPair : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::StorageCastOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, inner.getInput());
    return success();
  }
};

struct QlowFoldPass : mlir::qlow::impl::QlowFoldBase<QlowFoldPass> {
  using QlowFoldBase::QlowFoldBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // First the structural folds, so that clamps are fused before the
    // integer form fixes each op's output parameters.
    RewritePatternSet structural(ctx);
    structural.add<FoldDequantizeQuantize>(ctx);
    RequantizeOp::getCanonicalizationPatterns(structural, ctx);
    populateFuseClampPatterns(structural, /*quantized=*/true);
    populateFuseClampPatterns(structural, /*quantized=*/false);
    if (failed(applyPatternsOrFail(getOperation(), std::move(structural))))
      return signalPassFailure();

    RewritePatternSet integer(ctx);
    integer.add<Conv2DToInteger, MatmulToInteger, RequantizeToRescale,
                FoldStorageCastPair>(ctx);
    if (failed(applyPatternsOrFail(getOperation(), std::move(integer))))
      return signalPassFailure();
  }
};

} // namespace
