//===- TosaToQlow.cpp - FP32 TOSA (1.0 forms) to qlow ops -----------------===//
#include "qlow/Transforms/ImportPatterns.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

#include <cfloat>
#include <cmath>

using namespace mlir;
using namespace mlir::qlow;
using namespace mlir::qlow::import;

//===----------------------------------------------------------------------===//
// What an FP32 model may contain
//===----------------------------------------------------------------------===//

/// The zero-point operands of `op` with a description, if it has any.
static SmallVector<std::pair<Value, StringRef>> getZeroPoints(Operation *op) {
  if (auto c = dyn_cast<tosa::Conv2DOp>(op))
    return {{c.getInputZp(), "input"}, {c.getWeightZp(), "weight"}};
  if (auto c = dyn_cast<tosa::DepthwiseConv2DOp>(op))
    return {{c.getInputZp(), "input"}, {c.getWeightZp(), "weight"}};
  if (auto m = dyn_cast<tosa::MatMulOp>(op))
    return {{m.getAZp(), "a"}, {m.getBZp(), "b"}};
  if (auto p = dyn_cast<tosa::AvgPool2dOp>(op))
    return {{p.getInputZp(), "input"}, {p.getOutputZp(), "output"}};
  return {};
}

/// TOSA ops whose data operands and result are tensors of numbers: on
/// integers, they are what an integer (quantized) TOSA model is made of.
static bool isTosaArithmetic(Operation *op) {
  return isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::TransposeConv2DOp,
             tosa::Conv3DOp, tosa::MatMulOp, tosa::AvgPool2dOp,
             tosa::MaxPool2dOp, tosa::AddOp, tosa::SubOp, tosa::MulOp,
             tosa::ClampOp, tosa::NegateOp>(op);
}

static bool isFloatElement(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  return shaped && isa<FloatType>(shaped.getElementType());
}

static LogicalResult checkImportable(Operation *op, bool emit) {
  if (!isa_and_present<tosa::TosaDialect>(op->getDialect()))
    return success();
  auto fail = [&](auto &&write) -> LogicalResult {
    if (emit) {
      InFlightDiagnostic diag = op->emitError();
      write(diag);
    }
    return failure();
  };
  if (isa<tosa::RescaleOp>(op))
    return fail([&](InFlightDiagnostic &d) {
      d << "qlow-import expects an FP32 model; integer TOSA ('"
        << op->getName() << "') is not supported";
    });
  if (!isTosaArithmetic(op))
    return success();
  Type data = op->getOperand(0).getType();
  Type result = op->getResult(0).getType();
  if (!isFloatElement(data) || !isFloatElement(result))
    return fail([&](InFlightDiagnostic &d) {
      d << "qlow-import expects an FP32 model; integer TOSA ('"
        << op->getName() << "' on " << data << " -> " << result
        << ") is not supported";
    });
  for (auto [zp, what] : getZeroPoints(op)) {
    if (!isFloatElement(zp.getType()) || isZeroFloatConstant(zp))
      continue;
    return fail([&, what = what](InFlightDiagnostic &d) {
      d << "qlow-import expects an FP32 model: the " << what
        << " zero point of '" << op->getName() << "' must be a constant 0";
    });
  }
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    DenseElementsAttr shift = getDenseConstant(mul.getShift());
    bool zero = shift && isa<IntegerType>(shift.getElementType()) &&
                llvm::all_of(shift.getValues<APInt>(),
                             [](const APInt &v) { return v.isZero(); });
    if (!zero)
      return fail([&](InFlightDiagnostic &d) {
        d << "qlow-import expects an FP32 model: the shift of 'tosa.mul' "
             "must be a constant 0";
      });
  }
  return success();
}

LogicalResult mlir::qlow::checkTosaOpImportable(Operation *op) {
  return checkImportable(op, /*emit=*/true);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Base of the TOSA patterns: the op must pass the FP32 checks and read and
/// write qlow-compatible float tensors.
template <typename OpTy>
struct TosaPattern : ImportPattern<OpTy> {
  using ImportPattern<OpTy>::ImportPattern;
  LogicalResult importOp(OpTy op, PatternRewriter &rewriter) const final {
    if (failed(checkImportable(op, /*emit=*/false)))
      return failure();
    for (Value v : op->getResults())
      if (!isFloatTensor(v.getType()) || !isa<RankedTensorType>(v.getType()))
        return failure();
    return rewrite(op, rewriter);
  }
  virtual LogicalResult rewrite(OpTy op, PatternRewriter &rewriter) const = 0;
};

bool allFloat(ValueRange values) {
  return llvm::all_of(values, [](Value v) {
    return isFloatTensor(v.getType()) && isa<RankedTensorType>(v.getType());
  });
}

/// The qlow bias for a TOSA conv bias of [channels] or [1] values: null for
/// an all-zero constant, the value itself, or a broadcast constant. A
/// run-time [1] bias is returned in `addAfter`, to be added to the result.
FailureOr<Value> importBias(PatternRewriter &rewriter, Location loc,
                            Value bias, int64_t channels, Value &addAfter) {
  if (isZeroFloatConstant(bias))
    return Value();
  auto type = cast<RankedTensorType>(bias.getType());
  if (type.getRank() != 1)
    return failure();
  if (type.getDimSize(0) == channels)
    return bias;
  if (type.getDimSize(0) != 1 || ShapedType::isDynamic(channels))
    return failure();
  auto wide = type.clone({channels});
  if (DenseElementsAttr attr = getDenseConstant(bias)) {
    auto splat = DenseElementsAttr::get(
        wide, *attr.getValues<APFloat>().begin());
    return Value(arith::ConstantOp::create(rewriter, auxLoc(loc), splat));
  }
  addAfter = bias;
  return Value();
}

/// Adds a run-time [1] bias to `result` (rank 4) with a broadcasting add.
Value addScalarBias(PatternRewriter &rewriter, Location loc, Value result,
                    Value bias) {
  if (!bias)
    return result;
  auto rtype = cast<RankedTensorType>(result.getType());
  SmallVector<int64_t> ones(rtype.getRank(), 1);
  auto btype = cast<RankedTensorType>(bias.getType());
  Value b = ReshapeOp::create(rewriter, auxLoc(loc), btype.clone(ones), bias,
                              StringAttr());
  return AddOp::create(rewriter, auxLoc(loc), rtype, result, b, FloatAttr(),
                       FloatAttr(), StringAttr());
}

struct ConstPattern : ImportPattern<tosa::ConstOp> {
  using ImportPattern::ImportPattern;
  LogicalResult importOp(tosa::ConstOp op,
                         PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValuesAttr());
    if (!value || value.getType() != op.getType() ||
        isQuantized(op.getType()))
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct Conv2DPattern : TosaPattern<tosa::Conv2DOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::Conv2DOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat({op.getInput(), op.getWeight(), op.getBias()}))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    Value addAfter;
    FailureOr<Value> bias = importBias(rewriter, op.getLoc(), op.getBias(),
                                       type.getDimSize(3), addAfter);
    if (failed(bias))
      return failure();
    Value conv = Conv2DOp::create(
        rewriter, op.getLoc(), type, op.getInput(), op.getWeight(), *bias,
        op.getStride(), op.getPad(), op.getDilation(), /*groups=*/1,
        FloatAttr(), FloatAttr(), StringAttr());
    rewriter.replaceOp(op, addScalarBias(rewriter, op.getLoc(), conv, addAfter));
    return success();
  }
};

/// Weights [KH,KW,C,M] become a grouped conv filter [C*M,KH,KW,1] with
/// output channel c*M + m.
struct DepthwiseConv2DPattern : TosaPattern<tosa::DepthwiseConv2DOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::DepthwiseConv2DOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat({op.getInput(), op.getWeight(), op.getBias()}))
      return failure();
    auto wtype = cast<RankedTensorType>(op.getWeight().getType());
    if (!wtype.hasStaticShape())
      return failure();
    int64_t kh = wtype.getDimSize(0), kw = wtype.getDimSize(1),
            c = wtype.getDimSize(2), m = wtype.getDimSize(3);
    auto type = cast<RankedTensorType>(op.getType());
    Value addAfter;
    FailureOr<Value> bias = importBias(rewriter, op.getLoc(), op.getBias(),
                                       c * m, addAfter);
    if (failed(bias))
      return failure();
    Value filter = permuteAndReshape(rewriter, op.getLoc(), op.getWeight(),
                                     {2, 3, 0, 1}, {c * m, kh, kw, 1});
    Value conv = Conv2DOp::create(
        rewriter, op.getLoc(), type, op.getInput(), filter, *bias,
        op.getStride(), op.getPad(), op.getDilation(), /*groups=*/c,
        FloatAttr(), FloatAttr(), StringAttr());
    rewriter.replaceOp(op, addScalarBias(rewriter, op.getLoc(), conv, addAfter));
    return success();
  }
};

/// [N,M,K] x [N,K,W]; a constant rhs with N == 1 becomes shared [K,W]
/// weights.
struct MatMulPattern : TosaPattern<tosa::MatMulOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::MatMulOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat({op.getA(), op.getB()}))
      return failure();
    Value rhs = op.getB();
    auto btype = cast<RankedTensorType>(rhs.getType());
    if (btype.getDimSize(0) == 1 && btype.hasStaticShape() &&
        getDenseConstant(rhs))
      rhs = permuteAndReshape(rewriter, op.getLoc(), rhs, {0, 1, 2},
                              {btype.getDimSize(1), btype.getDimSize(2)});
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getType(), op.getA(), rhs,
                                          Value(), FloatAttr(), FloatAttr(),
                                          StringAttr());
    return success();
  }
};

template <typename TosaOp, typename QlowOp>
struct BinaryPattern : TosaPattern<TosaOp> {
  using TosaPattern<TosaOp>::TosaPattern;
  LogicalResult rewrite(TosaOp op, PatternRewriter &rewriter) const override {
    Value a = op.getInput1(), b = op.getInput2();
    if (!allFloat({a, b}) ||
        cast<RankedTensorType>(a.getType()).getRank() !=
            cast<RankedTensorType>(b.getType()).getRank())
      return failure();
    rewriter.replaceOpWithNewOp<QlowOp>(op, op.getType(), a, b, FloatAttr(),
                                        FloatAttr(), StringAttr());
    return success();
  }
};

/// A clamp bound, or null when it is +-inf / +-FLT_MAX (or the element
/// type's largest value), which means "no bound".
FloatAttr clampBound(PatternRewriter &rewriter, Attribute bound) {
  auto f = dyn_cast<FloatAttr>(bound);
  if (!f)
    return {};
  APFloat v = f.getValue();
  if (v.isInfinity() || v.isNaN())
    return {};
  APFloat largest = APFloat::getLargest(v.getSemantics());
  double d = v.convertToDouble();
  if (std::fabs(d) >= FLT_MAX || std::fabs(d) >= largest.convertToDouble())
    return {};
  return rewriter.getF32FloatAttr(static_cast<float>(d));
}

struct ClampPattern : TosaPattern<tosa::ClampOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::ClampOp op,
                        PatternRewriter &rewriter) const override {
    if (!isa<FloatAttr>(op.getMinValAttr()) ||
        !isa<FloatAttr>(op.getMaxValAttr()))
      return failure();
    rewriter.replaceOpWithNewOp<ClampOp>(
        op, op.getType(), op.getInput(),
        clampBound(rewriter, op.getMinValAttr()),
        clampBound(rewriter, op.getMaxValAttr()), StringAttr());
    return success();
  }
};

struct MaxPool2DPattern : TosaPattern<tosa::MaxPool2dOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::MaxPool2dOp op,
                        PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<MaxPool2DOp>(op, op.getType(), op.getInput(),
                                             op.getKernel(), op.getStride(),
                                             op.getPad(), StringAttr());
    return success();
  }
};

struct AvgPool2DPattern : TosaPattern<tosa::AvgPool2dOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::AvgPool2dOp op,
                        PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<AvgPool2DOp>(op, op.getType(), op.getInput(),
                                             op.getKernel(), op.getStride(),
                                             op.getPad(), StringAttr());
    return success();
  }
};

struct ReshapePattern : TosaPattern<tosa::ReshapeOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::ReshapeOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat({op.getInput1()}))
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput1(),
                                           StringAttr());
    return success();
  }
};

struct TransposePattern : TosaPattern<tosa::TransposeOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::TransposeOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat({op.getInput1()}))
      return failure();
    SmallVector<int64_t> perm(op.getPerms().begin(), op.getPerms().end());
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), op.getInput1(),
                                             perm, StringAttr());
    return success();
  }
};

struct ConcatPattern : TosaPattern<tosa::ConcatOp> {
  using TosaPattern::TosaPattern;
  LogicalResult rewrite(tosa::ConcatOp op,
                        PatternRewriter &rewriter) const override {
    if (!allFloat(op.getInput1()))
      return failure();
    int64_t rank = cast<RankedTensorType>(op.getType()).getRank();
    int64_t axis = op.getAxisAttr().getInt();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return failure();
    rewriter.replaceOpWithNewOp<ConcatOp>(op, op.getType(), op.getInput1(),
                                          static_cast<uint64_t>(axis),
                                          StringAttr());
    return success();
  }
};

} // namespace

void mlir::qlow::populateTosaToQlowPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstPattern, Conv2DPattern, DepthwiseConv2DPattern,
               MatMulPattern, BinaryPattern<tosa::AddOp, AddOp>,
               BinaryPattern<tosa::MulOp, MulOp>, ClampPattern,
               MaxPool2DPattern, AvgPool2DPattern, ReshapePattern,
               TransposePattern, ConcatPattern>(patterns.getContext());
}
