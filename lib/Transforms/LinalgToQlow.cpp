//===- LinalgToQlow.cpp - linalg named ops on tensors to qlow ops ---------===//
#include "qlow/Transforms/ImportPatterns.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cfloat>

using namespace mlir;
using namespace mlir::qlow;
using namespace mlir::qlow::import;

namespace {

/// The op works on tensors of one float element type (no mixed-precision
/// accumulation, which qlow ops cannot express) and has one result.
bool isPlainFloatLinalg(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op->getNumResults() != 1)
    return false;
  Type elem = getElementTypeOrSelf(op->getResult(0).getType());
  if (!isFloatTensor(op->getResult(0).getType()) ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  return llvm::all_of(op->getOperands(), [&](Value v) {
    return isa<RankedTensorType>(v.getType()) &&
           getElementTypeOrSelf(v.getType()) == elem;
  });
}

/// A scalar float constant's value.
std::optional<APFloat> getScalarFloat(Value v) {
  FloatAttr attr;
  if (v && matchPattern(v, m_Constant(&attr)))
    return attr.getValue();
  return std::nullopt;
}

/// The value every element of `init` starts with when it is a fill of a
/// constant or a splat constant.
std::optional<APFloat> getUniformInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return getScalarFloat(fill.getInputs()[0]);
  if (DenseElementsAttr attr = getDenseConstant(init))
    if (attr.isSplat() && isa<FloatType>(attr.getElementType()))
      return attr.getSplatValue<APFloat>();
  return std::nullopt;
}

/// Accumulating ops (conv, matmul) start from their init: a zero init is
/// nothing to do, a uniform one becomes a splat constant added afterwards, any
/// other defined tensor is added as is. An uninitialized (tensor.empty) init
/// cannot be imported.
FailureOr<Value> importInit(PatternRewriter &rewriter, Location loc,
                            Value init) {
  if (isZeroFloatConstant(init))
    return Value();
  if (std::optional<APFloat> v = getUniformInit(init)) {
    if (v->isZero())
      return Value();
    auto type = cast<RankedTensorType>(init.getType());
    if (!type.hasStaticShape())
      return init;
    return Value(arith::ConstantOp::create(
        rewriter, auxLoc(loc), DenseElementsAttr::get(type, *v)));
  }
  if (init.getDefiningOp<tensor::EmptyOp>())
    return failure();
  return init;
}

Value addInit(PatternRewriter &rewriter, Location loc, Value result,
              Value init) {
  if (!init)
    return result;
  return AddOp::create(rewriter, auxLoc(loc), result.getType(), result, init,
                       FloatAttr(), FloatAttr(), StringAttr());
}

SmallVector<int64_t> toVector(DenseIntElementsAttr attr) {
  return llvm::to_vector(attr.getValues<int64_t>());
}

/// Folds a `tensor.pad` of the H and W dimensions of an NHWC input whose pad
/// value satisfies `isNeutral` into [top, bottom, left, right] padding.
/// Returns the unpadded input (or `input` unchanged, with zero padding).
Value foldPad(Value input, SmallVector<int64_t> &padding,
              function_ref<bool(const APFloat &)> isNeutral,
              ArrayRef<int64_t> kernel = {}) {
  padding.assign(4, 0);
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!pad || pad->getParentOfType<FloatIslandOp>())
    return input;
  ArrayRef<int64_t> lo = pad.getStaticLow(), hi = pad.getStaticHigh();
  if (lo.size() != 4 || hi.size() != 4 ||
      llvm::any_of(lo, ShapedType::isDynamic) ||
      llvm::any_of(hi, ShapedType::isDynamic) || lo[0] || hi[0] || lo[3] ||
      hi[3] || llvm::any_of(lo, [](int64_t v) { return v < 0; }) ||
      llvm::any_of(hi, [](int64_t v) { return v < 0; }))
    return input;
  std::optional<APFloat> value = getScalarFloat(pad.getConstantPaddingValue());
  if (!value || !isNeutral(*value))
    return input;
  SmallVector<int64_t> p = {lo[1], hi[1], lo[2], hi[2]};
  // Pools need every window to hold at least one real value.
  if (!kernel.empty() && (p[0] >= kernel[0] || p[1] >= kernel[0] ||
                          p[2] >= kernel[1] || p[3] >= kernel[1]))
    return input;
  padding = p;
  return pad.getSource();
}

bool isZero(const APFloat &v) { return v.isZero(); }

bool isLowest(const APFloat &v) {
  if (v.isInfinity() && v.isNegative())
    return true;
  APFloat lowest = APFloat::getLargest(v.getSemantics(), /*Negative=*/true);
  return v.bitwiseIsEqual(lowest) ||
         (v.isNegative() && v.convertToDouble() <= -FLT_MAX);
}

/// Output size of a window op as qlow computes it; the linalg op's result
/// must match it exactly.
bool windowMatches(RankedTensorType in, RankedTensorType out,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations, ArrayRef<int64_t> padding) {
  for (int i = 0; i < 2; ++i) {
    int64_t size = in.getDimSize(1 + i), got = out.getDimSize(1 + i);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(got))
      continue;
    int64_t expected = (size + padding[2 * i] + padding[2 * i + 1] -
                        dilations[i] * (kernel[i] - 1) - 1) /
                           strides[i] +
                       1;
    if (expected != got)
      return false;
  }
  return true;
}

enum class FilterLayout { HWCF, FHWC, DepthwiseHWC };

template <typename ConvOp, FilterLayout layout>
struct ConvPattern : ImportPattern<ConvOp> {
  using ImportPattern<ConvOp>::ImportPattern;
  LogicalResult importOp(ConvOp op,
                         PatternRewriter &rewriter) const override {
    if (!isPlainFloatLinalg(op))
      return failure();
    Value input = op.getInputs()[0], filter = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    auto ftype = cast<RankedTensorType>(filter.getType());
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    if (!ftype.hasStaticShape())
      return failure();
    SmallVector<int64_t> strides = toVector(op.getStrides());
    SmallVector<int64_t> dilations = toVector(op.getDilations());
    ArrayRef<int64_t> f = ftype.getShape();

    SmallVector<int64_t> kernel, perm, shape;
    int64_t groups = 1;
    switch (layout) {
    case FilterLayout::HWCF: // [KH,KW,C,F] -> [F,KH,KW,C]
      kernel = {f[0], f[1]};
      perm = {3, 0, 1, 2};
      shape = {f[3], f[0], f[1], f[2]};
      break;
    case FilterLayout::FHWC:
      kernel = {f[1], f[2]};
      perm = {0, 1, 2, 3};
      shape = llvm::to_vector(f);
      break;
    case FilterLayout::DepthwiseHWC: // [KH,KW,C] -> [C,KH,KW,1]
      kernel = {f[0], f[1]};
      perm = {2, 0, 1};
      shape = {f[2], f[0], f[1], 1};
      groups = f[2];
      break;
    }

    SmallVector<int64_t> padding;
    Value unpadded = foldPad(input, padding, isZero);
    if (!windowMatches(cast<RankedTensorType>(unpadded.getType()), type,
                       kernel, strides, dilations, padding)) {
      // Keep the pad as an op of its own rather than give up.
      unpadded = input;
      padding.assign(4, 0);
      if (!windowMatches(cast<RankedTensorType>(input.getType()), type,
                         kernel, strides, dilations, padding))
        return failure();
    }
    FailureOr<Value> initValue = importInit(rewriter, op.getLoc(), init);
    if (failed(initValue))
      return failure();
    Value w = permuteAndReshape(rewriter, op.getLoc(), filter, perm, shape);
    Value conv = Conv2DOp::create(rewriter, op.getLoc(), type, unpadded, w,
                                  Value(), strides, padding, dilations,
                                  static_cast<uint64_t>(groups), FloatAttr(),
                                  FloatAttr(), StringAttr());
    rewriter.replaceOp(op, addInit(rewriter, op.getLoc(), conv, *initValue));
    return success();
  }
};

template <typename MatOp>
struct MatmulPattern : ImportPattern<MatOp> {
  using ImportPattern<MatOp>::ImportPattern;
  LogicalResult importOp(MatOp op, PatternRewriter &rewriter) const override {
    if (!isPlainFloatLinalg(op) || op.hasUserDefinedMaps())
      return failure();
    FailureOr<Value> init =
        importInit(rewriter, op.getLoc(), op.getOutputs()[0]);
    if (failed(init))
      return failure();
    Value mm = MatmulOp::create(rewriter, op.getLoc(),
                                op->getResult(0).getType(), op.getInputs()[0],
                                op.getInputs()[1], Value(), FloatAttr(),
                                FloatAttr(), StringAttr());
    rewriter.replaceOp(op, addInit(rewriter, op.getLoc(), mm, *init));
    return success();
  }
};

/// linalg.add / linalg.mul overwrite their init.
template <typename LinalgOp, typename QlowOp>
struct ElementwisePattern : ImportPattern<LinalgOp> {
  using ImportPattern<LinalgOp>::ImportPattern;
  LogicalResult importOp(LinalgOp op,
                         PatternRewriter &rewriter) const override {
    if (!isPlainFloatLinalg(op) || op.getInputs().size() != 2)
      return failure();
    Value a = op.getInputs()[0], b = op.getInputs()[1];
    Type type = op->getResult(0).getType();
    if (a.getType() != type || b.getType() != type)
      return failure();
    rewriter.replaceOpWithNewOp<QlowOp>(op, type, a, b, FloatAttr(),
                                        FloatAttr(), StringAttr());
    return success();
  }
};

/// The init of a max pool is the value every window starts from: -inf (or
/// the lowest float) is nothing, a finite constant c is a clamp at c.
struct MaxPoolPattern : ImportPattern<linalg::PoolingNhwcMaxOp> {
  using ImportPattern::ImportPattern;
  LogicalResult importOp(linalg::PoolingNhwcMaxOp op,
                         PatternRewriter &rewriter) const override {
    if (!isPlainFloatLinalg(op))
      return failure();
    Value input = op.getInputs()[0];
    auto window = cast<RankedTensorType>(op.getInputs()[1].getType());
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    if (window.getRank() != 2 || !window.hasStaticShape())
      return failure();
    SmallVector<int64_t> kernel = llvm::to_vector(window.getShape());
    SmallVector<int64_t> strides = toVector(op.getStrides());
    SmallVector<int64_t> dilations = toVector(op.getDilations());
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
      return failure();
    std::optional<APFloat> start = getUniformInit(op.getOutputs()[0]);
    if (!start || start->isNaN())
      return failure();

    SmallVector<int64_t> padding;
    Value unpadded = foldPad(input, padding, isLowest, kernel);
    if (!windowMatches(cast<RankedTensorType>(unpadded.getType()), type,
                       kernel, strides, dilations, padding)) {
      unpadded = input;
      padding.assign(4, 0);
      if (!windowMatches(cast<RankedTensorType>(input.getType()), type,
                         kernel, strides, dilations, padding))
        return failure();
    }
    Value pool = MaxPool2DOp::create(rewriter, op.getLoc(), type, unpadded,
                                     kernel, strides, padding, StringAttr());
    if (!isLowest(*start))
      pool = ClampOp::create(
          rewriter, auxLoc(op.getLoc()), type, pool,
          rewriter.getF32FloatAttr(static_cast<float>(start->convertToDouble())),
          FloatAttr(), StringAttr());
    rewriter.replaceOp(op, pool);
    return success();
  }
};

} // namespace

void mlir::qlow::populateLinalgToQlowPatterns(RewritePatternSet &patterns) {
  patterns.add<
      ConvPattern<linalg::Conv2DNhwcHwcfOp, FilterLayout::HWCF>,
      ConvPattern<linalg::Conv2DNhwcFhwcOp, FilterLayout::FHWC>,
      ConvPattern<linalg::DepthwiseConv2DNhwcHwcOp, FilterLayout::DepthwiseHWC>,
      MatmulPattern<linalg::MatmulOp>, MatmulPattern<linalg::BatchMatmulOp>,
      ElementwisePattern<linalg::AddOp, AddOp>,
      ElementwisePattern<linalg::MulOp, MulOp>, MaxPoolPattern>(
      patterns.getContext());
}
