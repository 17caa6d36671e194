//===- QlowOps.cpp - qlow op verifiers and folders ------------------------===//
#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

/// Verifies every quantized operand/result type of `op` (scales, zero points,
/// per-axis dimension).
static LogicalResult verifyQuantTypes(Operation *op) {
  auto check = [&](Type t, StringRef what, unsigned idx) -> LogicalResult {
    auto q = getQuantElementType(t);
    if (!q)
      return success();
    auto shaped = dyn_cast<ShapedType>(t);
    ArrayRef<int64_t> shape = shaped ? shaped.getShape() : ArrayRef<int64_t>();
    return verifyQuantType(q, shape, [&]() {
      return op->emitOpError() << what << " #" << idx << ": ";
    });
  };
  for (auto [i, t] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(t, "operand", i)))
      return failure();
  for (auto [i, t] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(t, "result", i)))
      return failure();
  return success();
}

static bool isPerTensor(Type t) {
  return isa_and_nonnull<quant::UniformQuantizedType>(getQuantElementType(t));
}

/// A compute op is either entirely float or has quantized activations: a
/// quantized input with a float result (or the reverse) is a missing
/// quantize/dequantize, not something an op can mean.
static LogicalResult verifyActivationKinds(Operation *op,
                                           ArrayRef<Value> activations,
                                           Value result) {
  bool q = isQuantized(result);
  for (Value v : activations) {
    if (isQuantized(v) != q)
      return op->emitOpError()
             << "mixes quantized and float activations: operand " << v.getType()
             << " with result " << result.getType()
             << " (insert qlow.quantize or qlow.dequantize)";
    if (!q && !isFloatTensor(v.getType()))
      return op->emitOpError()
             << "expects float or quantized tensors, got " << v.getType();
    if (!q && getElementTypeOrSelf(v) != getElementTypeOrSelf(result))
      return op->emitOpError() << "float operand " << v.getType()
                               << " and result " << result.getType()
                               << " must have the same element type";
  }
  if (!q && !isFloatTensor(result.getType()))
    return op->emitOpError() << "expects a float or quantized result, got "
                             << result.getType();
  return success();
}

static LogicalResult verifyArraySize(Operation *op, StringRef name,
                                     ArrayRef<int64_t> values, size_t size,
                                     int64_t minValue) {
  if (values.size() != size)
    return op->emitOpError() << "expects '" << name << "' to have " << size
                             << " values, got " << values.size();
  for (int64_t v : values)
    if (v < minValue)
      return op->emitOpError() << "expects '" << name << "' values >= "
                               << minValue << ", got " << v;
  return success();
}

static LogicalResult verifyRank(Operation *op, StringRef what, Type t,
                                int64_t rank) {
  auto r = cast<RankedTensorType>(t).getRank();
  if (r != rank)
    return op->emitOpError() << "expects " << what << " of rank " << rank
                             << ", got " << t;
  return success();
}

static LogicalResult verifyDim(Operation *op, StringRef what, int64_t actual,
                               int64_t expected) {
  if (ShapedType::isDynamic(actual) || ShapedType::isDynamic(expected) ||
      actual == expected)
    return success();
  return op->emitOpError() << what << " is " << actual << ", expected "
                           << expected;
}

/// Output extent of a strided, dilated, padded window.
static int64_t windowOutputSize(int64_t in, int64_t k, int64_t stride,
                                int64_t dilation, int64_t padBefore,
                                int64_t padAfter) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  return (in + padBefore + padAfter - dilation * (k - 1) - 1) / stride + 1;
}

static LogicalResult verifyClampRange(Operation *op, FloatAttr lo,
                                      FloatAttr hi) {
  if (lo && std::isnan(lo.getValueAsDouble()))
    return op->emitOpError() << "clamp minimum is NaN";
  if (hi && std::isnan(hi.getValueAsDouble()))
    return op->emitOpError() << "clamp maximum is NaN";
  if (lo && hi && lo.getValueAsDouble() > hi.getValueAsDouble())
    return op->emitOpError() << "clamp minimum " << lo.getValueAsDouble()
                             << " is greater than maximum "
                             << hi.getValueAsDouble();
  return success();
}

/// Window checks shared by convolutions and pools over NHWC tensors.
static LogicalResult verifyWindow(Operation *op, Type inputType,
                                  Type outputType, int64_t kh, int64_t kw,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> padding,
                                  ArrayRef<int64_t> dilation, int64_t channels) {
  if (failed(verifyArraySize(op, "strides", strides, 2, 1)) ||
      failed(verifyArraySize(op, "padding", padding, 4, 0)) ||
      failed(verifyArraySize(op, "dilation", dilation, 2, 1)))
    return failure();
  auto in = cast<RankedTensorType>(inputType).getShape();
  auto out = cast<RankedTensorType>(outputType).getShape();
  int64_t oh = windowOutputSize(in[1], kh, strides[0], dilation[0], padding[0],
                                padding[1]);
  int64_t ow = windowOutputSize(in[2], kw, strides[1], dilation[1], padding[2],
                                padding[3]);
  if ((!ShapedType::isDynamic(oh) && oh < 1) ||
      (!ShapedType::isDynamic(ow) && ow < 1))
    return op->emitOpError() << "window is larger than the padded input";
  if (failed(verifyDim(op, "result batch", out[0], in[0])) ||
      failed(verifyDim(op, "result height", out[1], oh)) ||
      failed(verifyDim(op, "result width", out[2], ow)) ||
      failed(verifyDim(op, "result channels", out[3], channels)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Observe / quantize / dequantize / requantize / const
//===----------------------------------------------------------------------===//

LogicalResult ObserveOp::verify() {
  if (!isFloatTensor(getInput().getType()))
    return emitOpError() << "observes float tensors only, got "
                         << getInput().getType();
  if (getName().empty())
    return emitOpError() << "needs a non-empty tensor name";
  return success();
}

LogicalResult QuantizeOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  if (!isFloatTensor(getInput().getType()))
    return emitOpError() << "expects a float input, got "
                         << getInput().getType();
  auto q = getQuantElementType(getOutput().getType());
  if (!q)
    return emitOpError() << "expects a quantized result, got "
                         << getOutput().getType();
  if (failed(verifyCompatibleShape(getInput().getType(),
                                   getOutput().getType())))
    return emitOpError() << "input and result shapes differ";
  return success();
}

LogicalResult DequantizeOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  if (!isQuantized(getInput()))
    return emitOpError() << "expects a quantized input, got "
                         << getInput().getType();
  if (!isFloatTensor(getOutput().getType()))
    return emitOpError() << "expects a float result, got "
                         << getOutput().getType();
  if (failed(verifyCompatibleShape(getInput().getType(),
                                   getOutput().getType())))
    return emitOpError() << "input and result shapes differ";
  return success();
}

LogicalResult RequantizeOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  if (!isQuantized(getInput()) || !isQuantized(getOutput()))
    return emitOpError() << "expects quantized input and result";
  if (failed(verifyCompatibleShape(getInput().getType(),
                                   getOutput().getType())))
    return emitOpError() << "input and result shapes differ";
  return success();
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

/// requantize(requantize(x)) -> requantize(x), only where the middle type
/// cannot saturate: its real range must cover the input's, or dropping it
/// would drop a clamp.
struct CollapseRequantizeChain : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<RequantizeOp>();
    if (!inner)
      return failure();
    auto src = getQuantParams(inner.getInput().getType());
    auto mid = getQuantParams(inner.getOutput().getType());
    if (failed(src) || failed(mid) || src->isPerAxis() || mid->isPerAxis())
      return failure();
    auto realRange = [](const QuantParams &p) {
      return std::make_pair((p.qmin - p.zeroPoint()) * p.scale(),
                            (p.qmax - p.zeroPoint()) * p.scale());
    };
    auto [srcLo, srcHi] = realRange(*src);
    auto [midLo, midHi] = realRange(*mid);
    if (midLo > srcLo || midHi < srcHi)
      return failure();
    rewriter.replaceOpWithNewOp<RequantizeOp>(op, op.getType(),
                                              inner.getInput(),
                                              op.getNameAttr());
    return success();
  }
};

void RequantizeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<CollapseRequantizeChain>(context);
}

LogicalResult ConstOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  auto resultType = cast<RankedTensorType>(getOutput().getType());
  auto q = getQuantElementType(resultType);
  if (!q)
    return emitOpError() << "expects a quantized result type, got "
                         << resultType;
  auto valueType = cast<ShapedType>(getValue().getType());
  if (valueType.getShape() != resultType.getShape())
    return emitOpError() << "value shape " << valueType
                         << " does not match result " << resultType;
  auto intType = dyn_cast<IntegerType>(valueType.getElementType());
  if (!intType || intType.getWidth() < q.getStorageTypeIntegralWidth() ||
      intType.getWidth() > 8)
    return emitOpError() << "value must hold storage integers (i8 for "
                         << q.getStorageTypeIntegralWidth()
                         << "-bit storage), got " << valueType.getElementType();
  auto dense = dyn_cast<DenseIntElementsAttr>(getValue());
  if (!dense)
    return emitOpError() << "value must be a dense integer attribute";
  int64_t lo = q.getStorageTypeMin(), hi = q.getStorageTypeMax();
  for (APInt v : dense.getValues<APInt>()) {
    int64_t x = q.isSigned() ? v.getSExtValue() : int64_t(v.getZExtValue());
    if (x < lo || x > hi)
      return emitOpError() << "value " << x << " is outside the storage range ["
                           << lo << ", " << hi << "]";
  }
  return success();
}

OpFoldResult ConstOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

/// Bias checks shared by conv and matmul: rank 1, one value per output
/// channel, float (quantized biases are made by qlow-fold as int32).
static LogicalResult verifyBias(Operation *op, Value bias, int64_t channels) {
  if (!bias)
    return success();
  auto t = cast<RankedTensorType>(bias.getType());
  if (t.getRank() != 1)
    return op->emitOpError() << "expects a rank-1 bias, got " << t;
  if (!isa<FloatType>(t.getElementType()))
    return op->emitOpError() << "expects a float bias, got " << t;
  return verifyDim(op, "bias size", t.getDimSize(0), channels);
}

/// Weights of a quantized conv/matmul: quantized, per tensor or per axis on
/// the output-channel dimension.
static LogicalResult verifyWeightQuant(Operation *op, Value w,
                                       int64_t channelAxis) {
  auto p = getQuantParams(w.getType());
  if (failed(p))
    return op->emitOpError() << "quantized activations need quantized "
                                "weights, got "
                             << w.getType();
  if (p->isPerAxis() && p->axis != channelAxis)
    return op->emitOpError() << "weights may be per-axis only on the output "
                                "channel dimension "
                             << channelAxis << ", got dimension " << p->axis;
  return success();
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifyRank(*this, "input", getInput().getType(), 4)) ||
      failed(verifyRank(*this, "filter", getFilter().getType(), 4)) ||
      failed(verifyRank(*this, "result", getOutput().getType(), 4)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto filterType = cast<RankedTensorType>(getFilter().getType());
  auto f = filterType.getShape();
  if (!filterType.hasStaticShape())
    return emitOpError() << "expects a static filter shape, got " << filterType;
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError() << "expects groups >= 1, got " << groups;
  if (!ShapedType::isDynamic(in[3]) && in[3] % groups != 0)
    return emitOpError() << "input channels " << in[3]
                         << " are not divisible by groups " << groups;
  if (f[0] % groups != 0)
    return emitOpError() << "output channels " << f[0]
                         << " are not divisible by groups " << groups;
  if (!ShapedType::isDynamic(in[3]) &&
      failed(verifyDim(*this, "filter input channels", f[3], in[3] / groups)))
    return failure();
  if (failed(verifyWindow(*this, getInput().getType(), getOutput().getType(),
                          f[1], f[2], getStrides(), getPadding(),
                          getDilation(), f[0])) ||
      failed(verifyBias(*this, getBias(), f[0])) ||
      failed(verifyClampRange(*this, getClampMinAttr(), getClampMaxAttr())) ||
      failed(verifyActivationKinds(*this, {getInput()}, getOutput())))
    return failure();
  if (isQuantized(getInput())) {
    if (!isPerTensor(getInput().getType()) ||
        !isPerTensor(getOutput().getType()))
      return emitOpError() << "expects per-tensor quantized input and result";
    return verifyWeightQuant(*this, getFilter(), 0);
  }
  if (!isFloatTensor(getFilter().getType()))
    return emitOpError() << "float convolution needs float weights, got "
                         << getFilter().getType();
  return success();
}

LogicalResult MatmulOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (lhs.getRank() != 2 && lhs.getRank() != 3)
    return emitOpError() << "expects lhs of rank 2 or 3, got " << lhs;
  if (rhs.getRank() != 2 && rhs.getRank() != lhs.getRank())
    return emitOpError() << "expects rhs of rank 2 or of the lhs rank, got "
                         << rhs;
  if (out.getRank() != lhs.getRank())
    return emitOpError() << "expects a result of rank " << lhs.getRank()
                         << ", got " << out;
  int64_t r = lhs.getRank();
  int64_t k = lhs.getDimSize(r - 1), n = rhs.getDimSize(rhs.getRank() - 1);
  if (failed(verifyDim(*this, "rhs reduction size",
                       rhs.getDimSize(rhs.getRank() - 2), k)) ||
      failed(verifyDim(*this, "result rows", out.getDimSize(r - 2),
                       lhs.getDimSize(r - 2))) ||
      failed(verifyDim(*this, "result columns", out.getDimSize(r - 1), n)) ||
      (r == 3 && failed(verifyDim(*this, "result batch", out.getDimSize(0),
                                  lhs.getDimSize(0)))) ||
      (r == 3 && rhs.getRank() == 3 &&
       failed(verifyDim(*this, "rhs batch", rhs.getDimSize(0),
                        lhs.getDimSize(0)))) ||
      failed(verifyBias(*this, getBias(), n)) ||
      failed(verifyClampRange(*this, getClampMinAttr(), getClampMaxAttr())) ||
      failed(verifyActivationKinds(*this, {getLhs()}, getOutput())))
    return failure();
  if (isQuantized(getLhs())) {
    if (!isPerTensor(lhs) || !isPerTensor(out))
      return emitOpError() << "expects per-tensor quantized lhs and result";
    return verifyWeightQuant(*this, getRhs(), rhs.getRank() - 1);
  }
  if (!isFloatTensor(rhs))
    return emitOpError() << "float matmul needs a float rhs, got " << rhs;
  return success();
}

/// NumPy broadcasting between equal-rank operands.
static LogicalResult verifyBroadcast(Operation *op, Value lhs, Value rhs,
                                     Value result) {
  auto a = cast<RankedTensorType>(lhs.getType());
  auto b = cast<RankedTensorType>(rhs.getType());
  auto c = cast<RankedTensorType>(result.getType());
  if (a.getRank() != b.getRank() || a.getRank() != c.getRank())
    return op->emitOpError() << "expects operands and result of equal rank";
  for (int64_t i = 0; i < a.getRank(); ++i) {
    int64_t x = a.getDimSize(i), y = b.getDimSize(i);
    if (x != y && x != 1 && y != 1 && !ShapedType::isDynamic(x) &&
        !ShapedType::isDynamic(y))
      return op->emitOpError() << "operand shapes " << a << " and " << b
                               << " do not broadcast (dimension " << i << ")";
    int64_t expected = x == 1 ? y : x;
    if (failed(verifyDim(op, "result dimension " + std::to_string(i),
                         c.getDimSize(i), expected)))
      return failure();
  }
  if (failed(verifyActivationKinds(op, {lhs, rhs}, result)))
    return failure();
  if (isQuantized(result) &&
      (!isPerTensor(a) || !isPerTensor(b) || !isPerTensor(c)))
    return op->emitOpError() << "expects per-tensor quantized operands";
  return success();
}

LogicalResult AddOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifyClampRange(*this, getClampMinAttr(), getClampMaxAttr())))
    return failure();
  return verifyBroadcast(*this, getLhs(), getRhs(), getOutput());
}

LogicalResult MulOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifyClampRange(*this, getClampMinAttr(), getClampMaxAttr())))
    return failure();
  return verifyBroadcast(*this, getLhs(), getRhs(), getOutput());
}

static LogicalResult verifyPool(Operation *op, Value input, Value output,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> padding) {
  if (failed(verifyQuantTypes(op)) ||
      failed(verifyRank(op, "input", input.getType(), 4)) ||
      failed(verifyRank(op, "result", output.getType(), 4)) ||
      failed(verifyArraySize(op, "kernel", kernel, 2, 1)))
    return failure();
  int64_t c = cast<RankedTensorType>(input.getType()).getDimSize(3);
  SmallVector<int64_t> unitDilation = {1, 1};
  if (failed(verifyWindow(op, input.getType(), output.getType(), kernel[0],
                          kernel[1], strides, padding, unitDilation, c)))
    return failure();
  // Padding must never fill a whole window, or a window has no values.
  if (padding[0] >= kernel[0] || padding[1] >= kernel[0] ||
      padding[2] >= kernel[1] || padding[3] >= kernel[1])
    return op->emitOpError() << "padding must be smaller than the kernel";
  if (failed(verifyActivationKinds(op, {input}, output)))
    return failure();
  if (isQuantized(output) &&
      (!isPerTensor(input.getType()) || !isPerTensor(output.getType())))
    return op->emitOpError() << "expects per-tensor quantized tensors";
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyPool(*this, getInput(), getOutput(), getKernel(),
                        getStrides(), getPadding())))
    return failure();
  // Max commutes with a monotonic requantization only when the parameters
  // agree, so a quantized max pool keeps its input's type.
  if (isQuantized(getOutput()) &&
      getElementTypeOrSelf(getInput()) != getElementTypeOrSelf(getOutput()))
    return emitOpError() << "quantized max pool must keep its input's "
                            "quantization, got "
                         << getInput().getType() << " -> "
                         << getOutput().getType();
  return success();
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool(*this, getInput(), getOutput(), getKernel(), getStrides(),
                    getPadding());
}

LogicalResult GlobalAvgPoolOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifyRank(*this, "input", getInput().getType(), 4)) ||
      failed(verifyRank(*this, "result", getOutput().getType(), 4)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto out = cast<RankedTensorType>(getOutput().getType()).getShape();
  if (failed(verifyDim(*this, "result batch", out[0], in[0])) ||
      failed(verifyDim(*this, "result height", out[1], 1)) ||
      failed(verifyDim(*this, "result width", out[2], 1)) ||
      failed(verifyDim(*this, "result channels", out[3], in[3])))
    return failure();
  if (failed(verifyActivationKinds(*this, {getInput()}, getOutput())))
    return failure();
  if (isQuantized(getOutput()) &&
      (!isPerTensor(getInput().getType()) || !isPerTensor(getOutput().getType())))
    return emitOpError() << "expects per-tensor quantized tensors";
  return success();
}

LogicalResult ConcatOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  auto out = cast<RankedTensorType>(getOutput().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= out.getRank())
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << out.getRank();
  int64_t total = 0;
  for (Value v : getInputs()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != out.getRank())
      return emitOpError() << "expects inputs of rank " << out.getRank()
                           << ", got " << t;
    for (int64_t i = 0; i < t.getRank(); ++i)
      if (i != axis &&
          failed(verifyDim(*this, "input dimension " + std::to_string(i),
                           t.getDimSize(i), out.getDimSize(i))))
        return failure();
    total = ShapedType::isDynamic(t.getDimSize(axis)) || ShapedType::isDynamic(total)
                ? ShapedType::kDynamic
                : total + t.getDimSize(axis);
    if (isQuantized(v) && !isPerTensor(t))
      return emitOpError() << "expects per-tensor quantized inputs";
  }
  if (failed(verifyDim(*this, "result concatenated dimension",
                       out.getDimSize(axis), total)))
    return failure();
  return verifyActivationKinds(*this, llvm::to_vector(getInputs()),
                               getOutput());
}

LogicalResult ClampOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifyClampRange(*this, getMinAttr(), getMaxAttr())))
    return failure();
  if (failed(verifyCompatibleShape(getInput().getType(),
                                   getOutput().getType())))
    return emitOpError() << "input and result shapes differ";
  if (failed(verifyActivationKinds(*this, {getInput()}, getOutput())))
    return failure();
  if (isQuantized(getOutput()) &&
      (!isPerTensor(getInput().getType()) || !isPerTensor(getOutput().getType())))
    return emitOpError() << "expects per-tensor quantized tensors";
  return success();
}

namespace {
/// clamp(producer(x)) -> producer(x) with the clamp as its fused activation.
struct FuseClampIntoProducer : OpRewritePattern<ClampOp> {
  FuseClampIntoProducer(MLIRContext *ctx, bool quantized)
      : OpRewritePattern(ctx), quantized(quantized) {}

  LogicalResult matchAndRewrite(ClampOp clamp,
                                PatternRewriter &rewriter) const override {
    Operation *producer = clamp.getInput().getDefiningOp();
    if (!producer || !isa<Conv2DOp, MatmulOp, AddOp>(producer) ||
        !producer->hasOneUse())
      return failure();
    if (isQuantized(clamp.getOutput()) != quantized)
      return failure();
    // Intersect with an activation the producer already has.
    auto bound = [&](StringRef attr, FloatAttr clampBound, bool isMin) {
      auto existing = producer->getAttrOfType<FloatAttr>(attr);
      if (!existing)
        return clampBound;
      if (!clampBound)
        return existing;
      double a = existing.getValueAsDouble(), b = clampBound.getValueAsDouble();
      return (isMin ? a >= b : a <= b) ? existing : clampBound;
    };
    FloatAttr lo = bound("clamp_min", clamp.getMinAttr(), true);
    FloatAttr hi = bound("clamp_max", clamp.getMaxAttr(), false);
    // Disjoint ranges would make an empty (invalid) fused range.
    if (lo && hi && lo.getValueAsDouble() > hi.getValueAsDouble())
      return failure();
    rewriter.modifyOpInPlace(producer, [&] {
      if (lo)
        producer->setAttr("clamp_min", lo);
      if (hi)
        producer->setAttr("clamp_max", hi);
      if (auto name = clamp.getNameAttr())
        producer->setAttr("name", name);
      producer->getResult(0).setType(clamp.getOutput().getType());
    });
    rewriter.replaceOp(clamp, producer->getResults());
    return success();
  }

  bool quantized;
};
} // namespace

void mlir::qlow::populateFuseClampPatterns(RewritePatternSet &patterns,
                                           bool quantized) {
  patterns.add<FuseClampIntoProducer>(patterns.getContext(), quantized);
}

void ClampOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  populateFuseClampPatterns(results, /*quantized=*/false);
}

/// Layout-only ops keep the element type (and with it the quantization).
static LogicalResult verifySameElementType(Operation *op, Value in, Value out) {
  if (getElementTypeOrSelf(in) != getElementTypeOrSelf(out))
    return op->emitOpError() << "must keep the element type, got "
                             << in.getType() << " -> " << out.getType();
  if (isQuantized(in) && !isPerTensor(in.getType()))
    return op->emitOpError() << "expects a per-tensor quantized or float input";
  return success();
}

LogicalResult ReshapeOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifySameElementType(*this, getInput(), getOutput())))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in.getNumElements()
                         << " elements into " << out;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  // reshape(reshape(x)) is one reshape.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifySameElementType(*this, getInput(), getOutput())))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  ArrayRef<int64_t> perm = getPermutation();
  if (static_cast<int64_t>(perm.size()) != in.getRank() ||
      out.getRank() != in.getRank())
    return emitOpError() << "permutation must have one entry per dimension";
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return emitOpError() << "permutation is not a permutation of [0, "
                           << in.getRank() << ")";
    seen[p] = true;
  }
  for (auto [i, p] : llvm::enumerate(perm))
    if (failed(verifyDim(*this, "result dimension " + std::to_string(i),
                         out.getDimSize(i), in.getDimSize(p))))
      return failure();
  return success();
}

LogicalResult SliceOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifySameElementType(*this, getInput(), getOutput())))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  ArrayRef<int64_t> offsets = getOffsets(), strides = getStrides();
  int64_t rank = in.getRank();
  if (out.getRank() != rank || int64_t(offsets.size()) != rank ||
      int64_t(strides.size()) != rank)
    return emitOpError() << "offsets, strides and the result must have one "
                            "entry per input dimension";
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = out.getDimSize(d), dim = in.getDimSize(d);
    if (strides[d] < 1)
      return emitOpError() << "stride " << strides[d] << " of dimension " << d
                           << " is not positive";
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(dim))
      continue;
    if (offsets[d] < 0 || size < 1 ||
        offsets[d] + (size - 1) * strides[d] >= dim)
      return emitOpError() << "dimension " << d << " (size " << dim
                           << ") has no elements " << offsets[d] << " + i*"
                           << strides[d] << " for i < " << size;
  }
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput(); // offsets 0: a slice of the same shape is the input
  return {};
}

LogicalResult GatherOp::verify() {
  if (failed(verifyQuantTypes(*this)) ||
      failed(verifySameElementType(*this, getInput(), getOutput())))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  int64_t axis = getAxis(), rank = in.getRank();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (out.getRank() != rank)
    return emitOpError() << "the result must have the input's rank";
  ArrayRef<int64_t> indices = getIndices();
  if (indices.empty())
    return emitOpError() << "needs at least one index";
  for (int64_t d = 0; d < rank; ++d)
    if (failed(verifyDim(*this, "result dimension " + std::to_string(d),
                         out.getDimSize(d),
                         d == axis ? int64_t(indices.size())
                                   : in.getDimSize(d))))
      return failure();
  int64_t dim = in.getDimSize(axis);
  for (int64_t i : indices)
    if (i < 0 || (!ShapedType::isDynamic(dim) && i >= dim))
      return emitOpError() << "index " << i << " is out of range for a "
                           << "dimension of size " << dim;
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor) {
  // Every index in order: the identity.
  if (getInput().getType() == getOutput().getType() &&
      llvm::equal(getIndices(), llvm::seq<int64_t>(0, getIndices().size())))
    return getInput();
  return {};
}

LogicalResult LutOp::verify() {
  if (failed(verifyQuantTypes(*this)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  auto qin = dyn_cast<quant::UniformQuantizedType>(in.getElementType());
  auto qout = dyn_cast<quant::UniformQuantizedType>(out.getElementType());
  if (!qin || !qout || qin.getStorageTypeIntegralWidth() != 8 ||
      qout.getStorageTypeIntegralWidth() != 8)
    return emitOpError() << "expects per-tensor quantized 8-bit input and "
                            "result, got "
                         << in << " -> " << out;
  if (in.getShape() != out.getShape())
    return emitOpError() << "must keep the shape, got " << in << " -> "
                         << out;
  int64_t entries = qin.getStorageTypeMax() - qin.getStorageTypeMin() + 1;
  if (int64_t(getTable().size()) != entries)
    return emitOpError() << "table has " << getTable().size()
                         << " entries; the input's storage range has "
                         << entries;
  for (int32_t v : getTable())
    if (v < qout.getStorageTypeMin() || v > qout.getStorageTypeMax())
      return emitOpError() << "table entry " << v
                           << " is outside the result's storage range ["
                           << qout.getStorageTypeMin() << ", "
                           << qout.getStorageTypeMax() << "]";
  return success();
}

LogicalResult BatchNormOp::verify() {
  if (!isFloatTensor(getInput().getType()) ||
      !isFloatTensor(getOutput().getType()))
    return emitOpError() << "is float only (fold it before quantizing)";
  auto in = cast<RankedTensorType>(getInput().getType());
  if (in.getRank() < 1)
    return emitOpError() << "expects a ranked input with a channel axis";
  int64_t c = in.getDimSize(in.getRank() - 1);
  for (Value v : {getScale(), getOffset(), getMean(), getVariance()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != 1 || !isa<FloatType>(t.getElementType()))
      return emitOpError() << "expects rank-1 float parameters, got " << t;
    if (failed(verifyDim(*this, "parameter size", t.getDimSize(0), c)))
      return failure();
  }
  if (getEpsilon().convertToDouble() < 0 ||
      std::isnan(getEpsilon().convertToDouble()))
    return emitOpError() << "expects a non-negative epsilon";
  if (in != getOutput().getType())
    return emitOpError() << "result type must equal the input type";
  return success();
}

//===----------------------------------------------------------------------===//
// Float islands
//===----------------------------------------------------------------------===//

LogicalResult FloatIslandOp::verify() {
  if (getReason().empty())
    return emitOpError() << "needs a reason";
  auto yield = cast<YieldOp>(getBody().front().getTerminator());
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "yields " << yield.getValues().getTypes()
                         << " but returns " << getResultTypes();
  return success();
}

//===----------------------------------------------------------------------===//
// Integer form
//===----------------------------------------------------------------------===//

static LogicalResult verifyIntElement(Operation *op, StringRef what, Value v,
                                      unsigned maxWidth) {
  auto t = cast<RankedTensorType>(v.getType());
  auto it = dyn_cast<IntegerType>(t.getElementType());
  if (!it || it.getWidth() > maxWidth)
    return op->emitOpError() << "expects " << what << " of at most i"
                             << maxWidth << " elements, got " << t;
  return success();
}

static LogicalResult verifyIntBiasAndZp(Operation *op, Value bias,
                                        ArrayRef<int32_t> weightZp,
                                        int64_t channels) {
  auto b = cast<RankedTensorType>(bias.getType());
  if (b.getRank() != 1 || !b.getElementType().isInteger(32))
    return op->emitOpError() << "expects an i32 bias of rank 1, got " << b;
  if (failed(verifyDim(op, "bias size", b.getDimSize(0), channels)))
    return failure();
  if (!weightZp.empty() && static_cast<int64_t>(weightZp.size()) != channels)
    return op->emitOpError() << "expects 0 or " << channels
                             << " weight zero points, got " << weightZp.size();
  for (int32_t z : weightZp)
    if (z < -128 || z > 127)
      return op->emitOpError() << "weight zero point " << z
                               << " does not fit i8";
  return success();
}

LogicalResult IntConv2DOp::verify() {
  if (failed(verifyRank(*this, "input", getInput().getType(), 4)) ||
      failed(verifyRank(*this, "filter", getFilter().getType(), 4)) ||
      failed(verifyRank(*this, "result", getOutput().getType(), 4)) ||
      failed(verifyIntElement(*this, "input", getInput(), 8)) ||
      failed(verifyIntElement(*this, "filter", getFilter(), 8)))
    return failure();
  if (!getElementTypeOrSelf(getOutput()).isInteger(32))
    return emitOpError() << "expects an i32 accumulator result";
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto filterType = cast<RankedTensorType>(getFilter().getType());
  auto f = filterType.getShape();
  if (!filterType.hasStaticShape())
    return emitOpError() << "expects a static filter shape, got " << filterType;
  int64_t groups = getGroups();
  if (groups < 1 || f[0] % groups != 0 ||
      (!ShapedType::isDynamic(in[3]) && in[3] != f[3] * groups))
    return emitOpError() << "channels do not match groups " << groups;
  if (getPadValue() < -128 || getPadValue() > 127)
    return emitOpError() << "pad value " << getPadValue()
                         << " does not fit the signed i8 input";
  if (failed(verifyWindow(*this, getInput().getType(), getOutput().getType(),
                          f[1], f[2], getStrides(), getPadding(),
                          getDilation(), f[0])))
    return failure();
  return verifyIntBiasAndZp(*this, getBias(), getWeightZp(), f[0]);
}

LogicalResult IntMatmulOp::verify() {
  if (failed(verifyIntElement(*this, "lhs", getLhs(), 8)) ||
      failed(verifyIntElement(*this, "rhs", getRhs(), 8)))
    return failure();
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if ((lhs.getRank() != 2 && lhs.getRank() != 3) || rhs.getRank() != 2 ||
      out.getRank() != lhs.getRank())
    return emitOpError() << "expects lhs [M,K] or [B,M,K], rhs [K,N] and a "
                            "result of the lhs rank";
  if (!out.getElementType().isInteger(32))
    return emitOpError() << "expects an i32 accumulator result";
  int64_t r = lhs.getRank();
  if (failed(verifyDim(*this, "rhs reduction size", rhs.getDimSize(0),
                       lhs.getDimSize(r - 1))) ||
      failed(verifyDim(*this, "result rows", out.getDimSize(r - 2),
                       lhs.getDimSize(r - 2))) ||
      failed(verifyDim(*this, "result columns", out.getDimSize(r - 1),
                       rhs.getDimSize(1))))
    return failure();
  return verifyIntBiasAndZp(*this, getBias(), getWeightZp(), rhs.getDimSize(1));
}

LogicalResult RescaleOp::verify() {
  if (failed(verifyIntElement(*this, "input", getInput(), 32)) ||
      failed(verifyIntElement(*this, "result", getOutput(), 32)))
    return failure();
  if (failed(verifyCompatibleShape(getInput().getType(),
                                   getOutput().getType())))
    return emitOpError() << "input and result shapes differ";
  ArrayRef<int32_t> m = getMultiplier(), s = getShift();
  if (m.empty() || m.size() != s.size())
    return emitOpError() << "expects as many multipliers as shifts, at least "
                            "one";
  for (int32_t v : m)
    if (v < 0)
      return emitOpError() << "multiplier " << v << " is negative";
  for (int32_t v : s)
    if (v < 0 || v > 62)
      return emitOpError() << "shift " << v << " is outside [0, 62]";
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (getAxis() < -1)
    return emitOpError() << "axis must be -1 (last) or a dimension, got "
                         << getAxis();
  if (m.size() > 1) {
    int64_t axis = getAxis() < 0 ? out.getRank() - 1 : getAxis();
    if (axis < 0 || axis >= out.getRank())
      return emitOpError() << "per-channel parameters need a dimension; axis "
                           << axis << " is out of range for rank "
                           << out.getRank();
    if (failed(verifyDim(*this, "per-channel dimension", out.getDimSize(axis),
                         m.size())))
      return failure();
  }
  unsigned width = out.getElementType().getIntOrFloatBitWidth();
  int64_t lo = -(int64_t(1) << (width - 1)), hi = (int64_t(1) << width) - 1;
  if (getMin() > getMax())
    return emitOpError() << "min " << getMin() << " is greater than max "
                         << getMax();
  if (getMin() < lo || getMax() > hi)
    return emitOpError() << "clamp range [" << getMin() << ", " << getMax()
                         << "] does not fit i" << width;
  return success();
}

#define GET_OP_CLASSES
#include "Qlow/IR/QlowOps.cpp.inc"
