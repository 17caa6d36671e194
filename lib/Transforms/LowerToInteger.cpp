//===- LowerToInteger.cpp - qlow ops to linalg + arith on integers --------===//
//
// Lowers the integer form (int_conv2d, int_matmul, rescale), the quantized
// ops that have no integer form (requantize, add, mul, pools, clamp, concat,
// layout ops, constants) and the float ops to linalg/tensor/arith/math,
// exactly as docs/integer-spec.md says, with a dialect conversion that turns
// every `!quant` type into its storage integer type. Boundary
// quantize/dequantize are emitted inside new qlow.float_islands so that all
// float arithmetic stays in islands.
//
//===----------------------------------------------------------------------===//
#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Transforms/LinalgBuilders.h"
#include "qlow/Transforms/LowerPatterns.h"
#include "qlow/Transforms/Passes.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/ControlFlow/Transforms/StructuralTypeConversions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <limits>
#include <set>

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWLOWERTOINTEGER
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;
namespace qref = ::qlow::ref;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

/// The signless integer that holds a storage value: i8 for i8/u8 and
/// narrower storage (i4 values live in i8, as in qlow.const), iN beyond.
static IntegerType getContainerType(quant::QuantizedType q) {
  unsigned width = std::max(8u, q.getStorageTypeIntegralWidth());
  return IntegerType::get(q.getContext(), width);
}

void mlir::qlow::addQlowStorageTypeConversions(TypeConverter &converter) {
  converter.addConversion([](Type t) { return t; });
  converter.addConversion(
      [](quant::QuantizedType q) -> Type { return getContainerType(q); });
  converter.addConversion([](RankedTensorType t) -> Type {
    if (auto q = dyn_cast<quant::QuantizedType>(t.getElementType()))
      return RankedTensorType::get(t.getShape(), getContainerType(q),
                                   t.getEncoding());
    return t;
  });
}

//===----------------------------------------------------------------------===//
// Parameters, shared by the pre-check (which reports) and the patterns
//===----------------------------------------------------------------------===//

namespace {
/// Reports through `op` only when `emit` is set (the pre-check); patterns
/// call the same functions silently.
struct Reporter {
  Operation *op;
  bool emit;
  LogicalResult fail(const Twine &msg) const {
    if (emit)
      op->emitOpError() << msg;
    return failure();
  }
};
} // namespace

static QuantParams quantParams(Type t) {
  FailureOr<QuantParams> p = getQuantParams(t);
  assert(succeeded(p) && "verified quantized type");
  return *p;
}

static std::string fmt(double v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%.9g", v);
  return s;
}

static FailureOr<FixedPoint> getMultiplier(const Reporter &r, double real,
                                           const Twine &what) {
  if (std::optional<FixedPoint> m = computeFixedPoint(real))
    return *m;
  (void)r.fail("cannot represent the real multiplier " + fmt(real) + " (" +
               what +
               ") as a fixed-point multiplier: it must be finite and in "
               "(0, 2^31)");
  return failure();
}

/// The integer clamp interval of a fused activation on an output with
/// parameters `out` (spec section 11).
static std::pair<int64_t, int64_t> getActivationBounds(FloatAttr lo,
                                                       FloatAttr hi,
                                                       const QuantParams &out) {
  std::optional<float> realMin, realMax;
  if (lo)
    realMin = static_cast<float>(lo.getValueAsDouble());
  if (hi)
    realMax = static_cast<float>(hi.getValueAsDouble());
  auto [l, h] = qref::activationBounds(
      realMin, realMax, static_cast<float>(out.scale()),
      static_cast<int32_t>(out.zeroPoint()), static_cast<int32_t>(out.qmin),
      static_cast<int32_t>(out.qmax));
  return {l, h};
}

/// Moving a tensor from `inType` to `outType` (requantize, clamp, concat);
/// per-axis parameters on either side become per-channel tables.
static FailureOr<RescaleSpec> getRequantizeSpec(const Reporter &r, Type inType,
                                                Type outType, int64_t lo,
                                                int64_t hi) {
  QuantParams in = quantParams(inType), out = quantParams(outType);
  if (in.isPerAxis() && out.isPerAxis() && in.axis != out.axis)
    return r.fail("cannot requantize between different per-axis dimensions");
  RescaleSpec spec;
  spec.axis = in.isPerAxis() ? in.axis : out.axis;
  size_t n = std::max(in.scales.size(), out.scales.size());
  for (size_t i = 0; i < n; ++i) {
    FailureOr<FixedPoint> m = getMultiplier(
        r, in.scale(i) / out.scale(i),
        "input scale " + fmt(in.scale(i)) + " / output scale " +
            fmt(out.scale(i)));
    if (failed(m))
      return failure();
    spec.multipliers.push_back(*m);
  }
  spec.inputZeroPoints.assign(in.zeroPoints.begin(), in.zeroPoints.end());
  spec.outputZeroPoints.assign(out.zeroPoints.begin(), out.zeroPoints.end());
  spec.min = lo;
  spec.max = hi;
  spec.inputUnsigned = !in.isSigned;
  return spec;
}

namespace {
struct AddLowering {
  qref::AddParams params;
  QuantParams a, b, out;
  int64_t lo, hi;
};
} // namespace

static FailureOr<AddLowering> getAddLowering(const Reporter &r, AddOp op) {
  AddLowering l;
  l.a = quantParams(op.getLhs().getType());
  l.b = quantParams(op.getRhs().getType());
  l.out = quantParams(op.getOutput().getType());
  if (l.a.bits > 10 || l.b.bits > 10)
    return r.fail("quantized add supports storage of at most 10 bits");
  std::optional<qref::AddParams> p = qref::computeAddParams(
      l.a.scale(), l.b.scale(), l.out.scale(),
      qref::maxCenteredMagnitude(l.a.zeroPoint(), l.a.qmin, l.a.qmax),
      qref::maxCenteredMagnitude(l.b.zeroPoint(), l.b.qmin, l.b.qmax));
  if (!p)
    return r.fail("cannot derive the fixed-point multipliers of an add with "
                  "scales " +
                  fmt(l.a.scale()) + ", " + fmt(l.b.scale()) + " -> " +
                  fmt(l.out.scale()) +
                  ": each must be finite and positive, and each input/output "
                  "ratio small enough that the rescaled operands fit i32 "
                  "(integer spec section 7)");
  l.params = *p;
  std::tie(l.lo, l.hi) =
      getActivationBounds(op.getClampMinAttr(), op.getClampMaxAttr(), l.out);
  return l;
}

static FailureOr<FixedPoint> getMulMultiplier(const Reporter &r, MulOp op) {
  QuantParams a = quantParams(op.getLhs().getType());
  QuantParams b = quantParams(op.getRhs().getType());
  QuantParams out = quantParams(op.getOutput().getType());
  return getMultiplier(r, a.scale() * b.scale() / out.scale(),
                       "lhs scale * rhs scale / output scale");
}

/// Multipliers of an average pool for every window count that occurs;
/// index = count, unused entries {0, 0}.
static FailureOr<SmallVector<FixedPoint>>
getAvgPoolMultipliers(const Reporter &r, AvgPool2DOp op) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  auto outT = cast<RankedTensorType>(op.getOutput().getType());
  QuantParams x = quantParams(in), out = quantParams(outT);
  ArrayRef<int64_t> k = op.getKernel();
  std::set<int64_t> counts;
  for (int64_t oh = 0; oh < outT.getDimSize(1); ++oh)
    for (int64_t ow = 0; ow < outT.getDimSize(2); ++ow)
      counts.insert(validWindowCount(oh, ow, in.getDimSize(1),
                                     in.getDimSize(2), k, op.getStrides(),
                                     op.getPadding()));
  SmallVector<FixedPoint> table(k[0] * k[1] + 1);
  for (int64_t c : counts) {
    if (c < 1)
      return r.fail("a pooling window has no valid element");
    FailureOr<FixedPoint> m =
        getMultiplier(r, x.scale() / (out.scale() * double(c)),
                      "input scale / (output scale * " + Twine(c) + ")");
    if (failed(m))
      return failure();
    table[c] = *m;
  }
  return table;
}

static FailureOr<FixedPoint> getGlobalAvgPoolMultiplier(const Reporter &r,
                                                        GlobalAvgPoolOp op) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  QuantParams x = quantParams(in);
  QuantParams out = quantParams(op.getOutput().getType());
  int64_t count = in.getDimSize(1) * in.getDimSize(2);
  return getMultiplier(r, x.scale() / (out.scale() * double(count)),
                       "input scale / (output scale * " + Twine(count) + ")");
}

static bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type t) {
    auto s = dyn_cast<ShapedType>(t);
    return !s || s.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

LogicalResult mlir::qlow::checkQlowLowerable(Operation *root) {
  bool ok = true;
  root->walk([&](Operation *op) {
    if (!isa<QlowDialect>(op->getDialect()))
      return;
    Reporter r{op, /*emit=*/true};
    auto check = [&](LogicalResult result) { ok &= succeeded(result); };
    if (!isa<FloatIslandOp, YieldOp>(op) && !hasStaticShapes(op)) {
      check(r.fail("qlow-lower supports static shapes only"));
      return;
    }
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      if (isQuantized(conv.getOutput()))
        check(r.fail("quantized convolutions must be rewritten to "
                     "qlow.int_conv2d + qlow.rescale by qlow-fold before "
                     "lowering"));
    } else if (auto mm = dyn_cast<MatmulOp>(op)) {
      if (isQuantized(mm.getOutput()))
        check(r.fail("quantized matmuls must be rewritten to "
                     "qlow.int_matmul + qlow.rescale by qlow-fold before "
                     "lowering"));
    } else if (auto rq = dyn_cast<RequantizeOp>(op)) {
      QuantParams out = quantParams(rq.getOutput().getType());
      check(getRequantizeSpec(r, rq.getInput().getType(),
                              rq.getOutput().getType(), out.qmin, out.qmax));
    } else if (auto add = dyn_cast<AddOp>(op)) {
      if (isQuantized(add.getOutput()))
        check(getAddLowering(r, add));
    } else if (auto mul = dyn_cast<MulOp>(op)) {
      if (isQuantized(mul.getOutput()))
        check(getMulMultiplier(r, mul));
    } else if (auto clamp = dyn_cast<ClampOp>(op)) {
      if (isQuantized(clamp.getOutput()))
        check(getRequantizeSpec(r, clamp.getInput().getType(),
                                clamp.getOutput().getType(), 0, 0));
    } else if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
      if (isQuantized(pool.getOutput()))
        check(getAvgPoolMultipliers(r, pool));
    } else if (auto gpool = dyn_cast<GlobalAvgPoolOp>(op)) {
      if (isQuantized(gpool.getOutput()))
        check(getGlobalAvgPoolMultiplier(r, gpool));
    } else if (auto concat = dyn_cast<ConcatOp>(op)) {
      if (isQuantized(concat.getOutput()))
        for (Value in : concat.getInputs())
          if (getElementTypeOrSelf(in) !=
              getElementTypeOrSelf(concat.getOutput()))
            check(getRequantizeSpec(r, in.getType(),
                                    concat.getOutput().getType(), 0, 0));
    } else if (auto c = dyn_cast<ConstOp>(op)) {
      auto type = cast<ShapedType>(c.getValue().getType());
      unsigned want = getContainerType(getQuantElementType(c.getType()))
                          .getWidth();
      if (type.getElementTypeBitWidth() != want &&
          !isa<DenseIntElementsAttr>(c.getValue()))
        check(r.fail("cannot widen a non-dense constant to its storage type"));
    }
  });
  return success(ok);
}

//===----------------------------------------------------------------------===//
// Helpers for the patterns
//===----------------------------------------------------------------------===//

/// Runs `build` inside a new qlow.float_island with `reason` (or in place if
/// `op` already is in an island) and returns the value it built.
static Value buildInFloatIsland(ConversionPatternRewriter &rewriter,
                                Operation *op, StringRef reason,
                                Type resultType,
                                llvm::function_ref<Value()> build) {
  if (op->getParentOfType<FloatIslandOp>())
    return build();
  Location loc = op->getLoc();
  auto island = FloatIslandOp::create(rewriter, loc, TypeRange{resultType},
                                      reason,
                                      op->getAttrOfType<StringAttr>("name"));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.createBlock(&island.getBody());
  Value v = build();
  YieldOp::create(rewriter, loc, ValueRange{v});
  return island.getResult(0);
}

/// The minimum of a storage container as the container type sees it.
static int64_t containerMin(const QuantParams &p, unsigned width) {
  return p.isSigned ? -(int64_t(1) << (width - 1)) : 0;
}

/// Clamps a float scalar to the optional [lo, hi] (fused activation).
static Value emitFloatClamp(OpBuilder &b, Location loc, Value v, FloatAttr lo,
                            FloatAttr hi) {
  Type t = v.getType();
  if (lo)
    v = arith::MaximumFOp::create(
        b, loc, v, createFloatConstant(b, loc, t, lo.getValueAsDouble()));
  if (hi)
    v = arith::MinimumFOp::create(
        b, loc, v, createFloatConstant(b, loc, t, hi.getValueAsDouble()));
  return v;
}

/// Applies a fused float clamp to a whole tensor, if there is one.
static Value applyFloatClamp(OpBuilder &b, Location loc, Value v, FloatAttr lo,
                             FloatAttr hi) {
  if (!lo && !hi)
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  return buildElementwise(b, loc, type, v, {}, -1,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return emitFloatClamp(nb, nl, args[0], lo, hi);
                          });
}

/// Reads an int_conv2d/int_matmul activation: with `isUnsigned` the i8 holds
/// a u8 value and reads as x XOR 0x80 (x - 128 as signed), then extsi.
static Value readActivation(OpBuilder &b, Location loc, Value x,
                            bool isUnsigned) {
  if (isUnsigned) {
    unsigned w = x.getType().getIntOrFloatBitWidth();
    x = arith::XOrIOp::create(
        b, loc, x, createIntConstant(b, loc, x.getType(), int64_t(1) << (w - 1)));
  }
  return castInt(b, loc, x, b.getI32Type(), /*isUnsigned=*/false);
}

namespace {
template <typename Op>
struct QlowConversion : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  RankedTensorType convert(Type t) const {
    return cast<RankedTensorType>(this->getTypeConverter()->convertType(t));
  }
};

//===----------------------------------------------------------------------===//
// Calibration, constants, (de|re)quantization, rescale
//===----------------------------------------------------------------------===//

struct ObserveLowering : QlowConversion<ObserveOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(ObserveOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

struct ConstLowering : QlowConversion<ConstOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(ConstOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convert(op.getType());
    ElementsAttr value = op.getValue();
    TypedAttr attr;
    if (value.getType() == type) {
      attr = cast<TypedAttr>(value);
    } else if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
      auto q = getQuantElementType(op.getType());
      unsigned width = type.getElementTypeBitWidth();
      bool isSigned = q.isSigned();
      attr = dense.mapValues(type.getElementType(), [&](const APInt &v) {
        return isSigned ? v.sext(width) : v.zext(width);
      });
    } else {
      return rewriter.notifyMatchFailure(op, "cannot widen the constant");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, attr);
    return success();
  }
};

struct QuantizeLowering : QlowConversion<QuantizeOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convert(op.getType());
    QuantParams p = quantParams(op.getType());
    Value v = buildInFloatIsland(
        rewriter, op, "quantize at model boundary", type, [&] {
          return buildQuantize(rewriter, op.getLoc(), adaptor.getInput(), type,
                               p);
        });
    rewriter.replaceOp(op, v);
    return success();
  }
};

struct DequantizeLowering : QlowConversion<DequantizeOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convert(op.getType());
    QuantParams p = quantParams(op.getInput().getType());
    Value v = buildInFloatIsland(
        rewriter, op, "dequantize at model boundary", type, [&] {
          return buildDequantize(rewriter, op.getLoc(), adaptor.getInput(),
                                 type, p);
        });
    rewriter.replaceOp(op, v);
    return success();
  }
};

struct RescaleLowering : QlowConversion<RescaleOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(RescaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RescaleSpec spec;
    for (auto [m, s] : llvm::zip(op.getMultiplier(), op.getShift()))
      spec.multipliers.push_back(FixedPoint{m, s});
    spec.inputZeroPoints = {op.getInputZp()};
    spec.outputZeroPoints = {op.getOutputZp()};
    spec.axis = op.getAxis();
    spec.min = op.getMin();
    spec.max = op.getMax();
    // input_unsigned reads an i8 input with extui; an i32 input is an i32.
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    spec.inputUnsigned =
        op.getInputUnsigned() && inType.getElementTypeBitWidth() <= 8;
    rewriter.replaceOp(op, buildRescale(rewriter, op.getLoc(),
                                        adaptor.getInput(),
                                        convert(op.getType()), spec));
    return success();
  }
};

struct RequantizeLowering : QlowConversion<RequantizeOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    QuantParams out = quantParams(op.getType());
    FailureOr<RescaleSpec> spec =
        getRequantizeSpec({op, false}, op.getInput().getType(), op.getType(),
                          out.qmin, out.qmax);
    if (failed(spec))
      return rewriter.notifyMatchFailure(op, "invalid multiplier");
    rewriter.replaceOp(op, buildRescale(rewriter, op.getLoc(),
                                        adaptor.getInput(),
                                        convert(op.getType()), *spec));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer form: int_conv2d, int_matmul
//===----------------------------------------------------------------------===//

static bool hasNonZeroWeightZp(ArrayRef<int32_t> zps) {
  return llvm::any_of(zps, [](int32_t z) { return z != 0; });
}

struct IntConv2DLowering : QlowConversion<IntConv2DOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(IntConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    auto fType = cast<RankedTensorType>(adaptor.getFilter().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type inElem = inType.getElementType();
    unsigned width = inType.getElementTypeBitWidth();
    bool isUnsigned = op.getInputUnsigned();
    int64_t groups = op.getGroups();
    Type i32 = b.getI32Type();

    // pad_value is in the signed domain; the tensor holds the storage bits,
    // which read back through the XOR.
    int64_t pad = op.getPadValue();
    if (isUnsigned)
      pad ^= int64_t(1) << (width - 1);
    Value padded = padNHWC(b, loc, input, op.getPadding(),
                           createIntConstant(b, loc, inElem, pad));

    Value init = broadcastChannels(b, loc, adaptor.getBias(), outType, 3);
    Value acc = buildGroupedConv2D(
        b, loc, padded, adaptor.getFilter(), init, op.getStrides(),
        op.getDilation(), groups,
        [&](OpBuilder &nb, Location nl, Value x, Value w, Value a) -> Value {
          Value xv = readActivation(nb, nl, x, isUnsigned);
          Value wv = castInt(nb, nl, w, i32, /*isUnsigned=*/false);
          return arith::AddIOp::create(
              nb, nl, a, arith::MulIOp::create(nb, nl, xv, wv));
        });

    ArrayRef<int32_t> zw = op.getWeightZp();
    if (hasNonZeroWeightZp(zw)) {
      // acc -= zw[o] * (window sum of x over o's group).
      int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
              ow = outType.getDimSize(2), o = outType.getDimSize(3);
      int64_t og = o / groups;
      auto sumType = RankedTensorType::get({n, oh, ow, groups}, i32);
      Value sums = buildGroupedWindowReduction(
          b, loc, padded, createFilled(b, loc, sumType,
                                       createIntConstant(b, loc, i32, 0)),
          {fType.getDimSize(1), fType.getDimSize(2)}, op.getStrides(),
          op.getDilation(), groups,
          [&](OpBuilder &nb, Location nl, Value x, Value a) -> Value {
            return arith::AddIOp::create(
                nb, nl, a, readActivation(nb, nl, x, isUnsigned));
          });
      auto xType = RankedTensorType::get({n, oh, ow, groups, og}, i32);
      auto sumXType = RankedTensorType::get({n, oh, ow, groups, 1}, i32);
      auto zwType = RankedTensorType::get({1, 1, 1, groups, og}, i32);
      Value accX = expandTo(b, loc, acc, xType, {{0}, {1}, {2}, {3, 4}});
      Value sumX = expandTo(b, loc, sums, sumXType, {{0}, {1}, {2}, {3, 4}});
      Value zwT = arith::ConstantOp::create(
          b, loc, DenseIntElementsAttr::get(zwType, zw));
      Value res = buildElementwise(
          b, loc, xType, {accX, sumX, zwT}, {}, -1,
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::SubIOp::create(
                nb, nl, args[0], arith::MulIOp::create(nb, nl, args[2], args[1]));
          });
      acc = collapseTo(b, loc, res, outType, {{0}, {1}, {2}, {3, 4}});
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct IntMatmulLowering : QlowConversion<IntMatmulOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(IntMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Type i32 = b.getI32Type();
    bool isUnsigned = op.getInputUnsigned();
    auto lhsType = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t k = lhsType.getDimSize(lhsType.getRank() - 1);
    int64_t n = outType.getDimSize(outType.getRank() - 1);
    int64_t rows = lhsType.getNumElements() / k;

    // [B,M,K] x [K,N]: the weights are shared, so fold B into M.
    auto lhs2Type = RankedTensorType::get({rows, k}, lhsType.getElementType());
    auto out2Type = RankedTensorType::get({rows, n}, i32);
    Value lhs = adaptor.getLhs();
    if (lhsType.getRank() == 3)
      lhs = collapseTo(b, loc, lhs, lhs2Type, {{0, 1}, {2}});
    Value init = broadcastChannels(b, loc, adaptor.getBias(), out2Type, 1);

    Value acc;
    if (!isUnsigned) {
      acc = linalg::MatmulOp::create(b, loc, TypeRange{out2Type},
                                     ValueRange{lhs, adaptor.getRhs()},
                                     ValueRange{init})
                .getResult(0);
    } else {
      AffineExpr dM, dN, dK;
      bindDims(ctx, dM, dN, dK);
      using IT = utils::IteratorType;
      acc = buildGeneric(
          b, loc, {lhs, adaptor.getRhs()}, init,
          {AffineMap::get(3, 0, {dM, dK}, ctx),
           AffineMap::get(3, 0, {dK, dN}, ctx),
           AffineMap::get(3, 0, {dM, dN}, ctx)},
          {IT::parallel, IT::parallel, IT::reduction},
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            Value x = readActivation(nb, nl, args[0], isUnsigned);
            Value w = castInt(nb, nl, args[1], i32, /*isUnsigned=*/false);
            return arith::AddIOp::create(nb, nl, args[2],
                                         arith::MulIOp::create(nb, nl, x, w));
          });
    }

    ArrayRef<int32_t> zw = op.getWeightZp();
    if (hasNonZeroWeightZp(zw)) {
      // acc -= zw[n] * (row sum of x).
      AffineExpr dM, dK;
      bindDims(ctx, dM, dK);
      using IT = utils::IteratorType;
      auto sumType = RankedTensorType::get({rows, 1}, i32);
      Value zero = createFilled(b, loc, RankedTensorType::get({rows}, i32),
                                createIntConstant(b, loc, i32, 0));
      Value sums = buildGeneric(
          b, loc, {lhs}, zero,
          {AffineMap::get(2, 0, {dM, dK}, ctx), AffineMap::get(2, 0, {dM}, ctx)},
          {IT::parallel, IT::reduction},
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::AddIOp::create(
                nb, nl, args[1], readActivation(nb, nl, args[0], isUnsigned));
          });
      sums = expandTo(b, loc, sums, sumType, {{0, 1}});
      Value zwT = createI32TableConstant(b, loc, zw);
      acc = buildElementwise(
          b, loc, out2Type, {acc, sums}, zwT, 1,
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::SubIOp::create(
                nb, nl, args[0], arith::MulIOp::create(nb, nl, args[2], args[1]));
          });
    }
    if (outType.getRank() == 3)
      acc = expandTo(b, loc, acc, outType, {{0, 1}, {2}});
    rewriter.replaceOp(op, acc);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Float conv / matmul
//===----------------------------------------------------------------------===//

struct Conv2DLowering : QlowConversion<Conv2DOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getOutput()))
      return rewriter.notifyMatchFailure(op, "quantized conv needs qlow-fold");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    Value padded = padNHWC(b, loc, adaptor.getInput(), op.getPadding(),
                           createFloatConstant(b, loc, elem, 0.0));
    Value init =
        adaptor.getBias()
            ? broadcastChannels(b, loc, adaptor.getBias(), outType, 3)
            : createFilled(b, loc, outType, createFloatConstant(b, loc, elem, 0.0));
    Value acc = buildGroupedConv2D(
        b, loc, padded, adaptor.getFilter(), init, op.getStrides(),
        op.getDilation(), op.getGroups(),
        [](OpBuilder &nb, Location nl, Value x, Value w, Value a) -> Value {
          return arith::AddFOp::create(nb, nl, a,
                                       arith::MulFOp::create(nb, nl, x, w));
        });
    rewriter.replaceOp(op, applyFloatClamp(b, loc, acc, op.getClampMinAttr(),
                                           op.getClampMaxAttr()));
    return success();
  }
};

struct MatmulLowering : QlowConversion<MatmulOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getOutput()))
      return rewriter.notifyMatchFailure(op, "quantized matmul needs qlow-fold");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto lhsType = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(adaptor.getRhs().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    auto initFor = [&](RankedTensorType t) {
      return adaptor.getBias()
                 ? broadcastChannels(b, loc, adaptor.getBias(), t, -1)
                 : createFilled(b, loc, t, createFloatConstant(b, loc, elem, 0.0));
    };
    Value acc;
    if (rhsType.getRank() == 3) {
      acc = linalg::BatchMatmulOp::create(
                b, loc, TypeRange{outType},
                ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                ValueRange{initFor(outType)})
                .getResult(0);
    } else {
      int64_t k = lhsType.getDimSize(lhsType.getRank() - 1);
      int64_t rows = lhsType.getNumElements() / k;
      auto lhs2Type = RankedTensorType::get({rows, k}, elem);
      auto out2Type =
          RankedTensorType::get({rows, rhsType.getDimSize(1)}, elem);
      Value lhs = adaptor.getLhs();
      if (lhsType.getRank() == 3)
        lhs = collapseTo(b, loc, lhs, lhs2Type, {{0, 1}, {2}});
      acc = linalg::MatmulOp::create(b, loc, TypeRange{out2Type},
                                     ValueRange{lhs, adaptor.getRhs()},
                                     ValueRange{initFor(out2Type)})
                .getResult(0);
      if (outType.getRank() == 3)
        acc = expandTo(b, loc, acc, outType, {{0, 1}, {2}});
    }
    rewriter.replaceOp(op, applyFloatClamp(b, loc, acc, op.getClampMinAttr(),
                                           op.getClampMaxAttr()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Element-wise: add, mul, clamp, batch_norm
//===----------------------------------------------------------------------===//

struct AddLoweringPattern : QlowConversion<AddOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = convert(op.getType());
    SmallVector<Value, 2> ins = {adaptor.getLhs(), adaptor.getRhs()};
    if (!isQuantized(op.getOutput())) {
      FloatAttr lo = op.getClampMinAttr(), hi = op.getClampMaxAttr();
      rewriter.replaceOp(
          op, buildElementwise(
                  rewriter, loc, outType, ins, {}, -1,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    Value s = arith::AddFOp::create(nb, nl, args[0], args[1]);
                    return emitFloatClamp(nb, nl, s, lo, hi);
                  }));
      return success();
    }
    FailureOr<AddLowering> l = getAddLowering({op, false}, op);
    if (failed(l))
      return rewriter.notifyMatchFailure(op, "invalid multipliers");
    // Spec section 7: one rounding, everything in i32 (computeAddParams
    // keeps the centered sum below 2^30).
    Type i32 = rewriter.getI32Type();
    Type outElem = outType.getElementType();
    const qref::AddParams &params = l->params;
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, loc, outType, ins, {}, -1,
            [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
              auto c32 = [&](int64_t v) {
                return createIntConstant(nb, nl, i32, v);
              };
              auto term = [&](Value v, const QuantParams &p,
                              int32_t m) -> Value {
                Value x = castInt(nb, nl, v, i32, !p.isSigned);
                x = arith::SubIOp::create(nb, nl, x, c32(p.zeroPoint()));
                return arith::MulIOp::create(nb, nl, x, c32(m));
              };
              Value sum = arith::AddIOp::create(
                  nb, nl, term(args[0], l->a, params.a),
                  term(args[1], l->b, params.b));
              if (params.shift > 0) {
                sum = arith::AddIOp::create(
                    nb, nl, sum, c32(int64_t(1) << (params.shift - 1)));
                sum = arith::ShRSIOp::create(nb, nl, sum, c32(params.shift));
              }
              Value y =
                  arith::AddIOp::create(nb, nl, sum, c32(l->out.zeroPoint()));
              return emitClampAndTrunc(nb, nl, y, l->lo, l->hi, outElem);
            }));
    return success();
  }
};

struct MulLoweringPattern : QlowConversion<MulOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = convert(op.getType());
    SmallVector<Value, 2> ins = {adaptor.getLhs(), adaptor.getRhs()};
    FloatAttr clampLo = op.getClampMinAttr(), clampHi = op.getClampMaxAttr();
    if (!isQuantized(op.getOutput())) {
      rewriter.replaceOp(
          op, buildElementwise(
                  rewriter, loc, outType, ins, {}, -1,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    Value s = arith::MulFOp::create(nb, nl, args[0], args[1]);
                    return emitFloatClamp(nb, nl, s, clampLo, clampHi);
                  }));
      return success();
    }
    FailureOr<FixedPoint> m = getMulMultiplier({op, false}, op);
    if (failed(m))
      return rewriter.notifyMatchFailure(op, "invalid multiplier");
    QuantParams pa = quantParams(op.getLhs().getType());
    QuantParams pb = quantParams(op.getRhs().getType());
    QuantParams po = quantParams(op.getType());
    int64_t lo, hi;
    std::tie(lo, hi) = getActivationBounds(clampLo, clampHi, po);
    Type i64 = rewriter.getI64Type();
    Type outElem = outType.getElementType();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, outType, ins, {}, -1,
                [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                  auto centered = [&](Value v, const QuantParams &p) -> Value {
                    Value x = castInt(nb, nl, v, i64, !p.isSigned);
                    return arith::SubIOp::create(
                        nb, nl, x,
                        createIntConstant(nb, nl, i64, p.zeroPoint()));
                  };
                  Value prod = arith::MulIOp::create(
                      nb, nl, centered(args[0], pa), centered(args[1], pb));
                  Value y = emitApplyMultiplier(nb, nl, prod, *m);
                  y = arith::AddIOp::create(
                      nb, nl, y,
                      createIntConstant(nb, nl, i64, po.zeroPoint()));
                  return emitClampAndTrunc(nb, nl, y, lo, hi, outElem);
                }));
    return success();
  }
};

struct ClampLowering : QlowConversion<ClampOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(ClampOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = convert(op.getType());
    if (!isQuantized(op.getOutput())) {
      rewriter.replaceOp(op, applyFloatClamp(rewriter, loc, adaptor.getInput(),
                                             op.getMinAttr(), op.getMaxAttr()));
      return success();
    }
    QuantParams out = quantParams(op.getType());
    auto [lo, hi] = getActivationBounds(op.getMinAttr(), op.getMaxAttr(), out);
    FailureOr<RescaleSpec> spec = getRequantizeSpec(
        {op, false}, op.getInput().getType(), op.getType(), lo, hi);
    if (failed(spec))
      return rewriter.notifyMatchFailure(op, "invalid multiplier");
    rewriter.replaceOp(
        op, buildRescale(rewriter, loc, adaptor.getInput(), outType, *spec));
    return success();
  }
};

struct BatchNormLowering : QlowConversion<BatchNormOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    double eps = op.getEpsilon().convertToDouble();
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, op.getLoc(), outType, adaptor.getInput(),
            {adaptor.getScale(), adaptor.getOffset(), adaptor.getMean(),
             adaptor.getVariance()},
            -1, [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
              Value x = args[0], scale = args[1], offset = args[2],
                    mean = args[3], var = args[4];
              Value d = arith::SubFOp::create(nb, nl, x, mean);
              Value v = arith::AddFOp::create(
                  nb, nl, var, createFloatConstant(nb, nl, elem, eps));
              Value n =
                  arith::DivFOp::create(nb, nl, d, math::SqrtOp::create(nb, nl, v));
              return arith::AddFOp::create(
                  nb, nl, arith::MulFOp::create(nb, nl, n, scale), offset);
            }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

struct MaxPool2DLowering : QlowConversion<MaxPool2DOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    RankedTensorType outType = convert(op.getType());
    Type elem = outType.getElementType();
    bool quantized = isQuantized(op.getOutput());
    bool isUnsigned = false;
    Value lowest;
    if (quantized) {
      // Padding holds the container's minimum: it never wins.
      QuantParams p = quantParams(op.getType());
      isUnsigned = !p.isSigned;
      lowest = createIntConstant(
          b, loc, elem, containerMin(p, elem.getIntOrFloatBitWidth()));
    } else {
      lowest = createFloatConstant(b, loc, elem,
                                   -std::numeric_limits<double>::infinity());
    }
    Value padded = padNHWC(b, loc, adaptor.getInput(), op.getPadding(), lowest);
    Value init = createFilled(b, loc, outType, lowest);
    rewriter.replaceOp(
        op, buildPool2D(b, loc, padded, init, op.getKernel(), op.getStrides(),
                        [&](OpBuilder &nb, Location nl, Value x,
                            Value acc) -> Value {
                          if (!quantized)
                            return arith::MaximumFOp::create(nb, nl, acc, x);
                          if (isUnsigned)
                            return arith::MaxUIOp::create(nb, nl, acc, x);
                          return arith::MaxSIOp::create(nb, nl, acc, x);
                        }));
    return success();
  }
};

static bool hasPadding(ArrayRef<int64_t> padding) {
  return llvm::any_of(padding, [](int64_t p) { return p != 0; });
}

struct AvgPool2DLowering : QlowConversion<AvgPool2DOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    RankedTensorType outType = convert(op.getType());
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    int64_t inH = inType.getDimSize(1), inW = inType.getDimSize(2);
    if (!isQuantized(op.getOutput()))
      return lowerFloat(op, adaptor, rewriter, outType, inH, inW);

    FailureOr<SmallVector<FixedPoint>> table =
        getAvgPoolMultipliers({op, false}, op);
    if (failed(table))
      return rewriter.notifyMatchFailure(op, "invalid multiplier");
    QuantParams x = quantParams(op.getInput().getType());
    QuantParams out = quantParams(op.getType());
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    Type inElem = inType.getElementType();

    // Padding holds the zero point, so x - zx is 0 there: the window sum is
    // the sum over the valid elements.
    Value padded = padNHWC(b, loc, adaptor.getInput(), padding,
                           createIntConstant(b, loc, inElem, x.zeroPoint()));
    auto accType = outType.clone(i32);
    Value zero = createFilled(b, loc, accType, createIntConstant(b, loc, i32, 0));
    Value acc = buildPool2D(
        b, loc, padded, zero, kernel, strides,
        [&](OpBuilder &nb, Location nl, Value v, Value a) -> Value {
          Value xv = castInt(nb, nl, v, i32, !x.isSigned);
          xv = arith::SubIOp::create(
              nb, nl, xv, createIntConstant(nb, nl, i32, x.zeroPoint()));
          return arith::AddIOp::create(nb, nl, a, xv);
        });

    int64_t full = kernel[0] * kernel[1];
    if (!hasPadding(padding)) {
      RescaleSpec spec;
      spec.multipliers = {(*table)[full]};
      spec.outputZeroPoints = {out.zeroPoint()};
      spec.min = out.qmin;
      spec.max = out.qmax;
      spec.rounding = qref::Rounding::HalfEven;
      rewriter.replaceOp(op, buildRescale(b, loc, acc, outType, spec));
      return success();
    }
    // The count varies at the borders: select the multiplier by count.
    SmallVector<int32_t> ms, ss;
    for (FixedPoint f : *table) {
      ms.push_back(f.multiplier);
      ss.push_back(f.shift);
    }
    Value mTable = createI32TableConstant(b, loc, ms);
    Value sTable = createI32TableConstant(b, loc, ss);
    Type outElem = outType.getElementType();
    rewriter.replaceOp(
        op, buildElementwise(
                b, loc, outType, acc, {}, -1,
                [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                  Value count = emitValidWindowCount(nb, nl, inH, inW, kernel,
                                                     strides, padding);
                  Value m = tensor::ExtractOp::create(nb, nl, mTable, count);
                  Value s = tensor::ExtractOp::create(nb, nl, sTable, count);
                  Value a = castInt(nb, nl, args[0], i64, false);
                  Value y = emitApplyMultiplier(nb, nl, a, m, s,
                                                qref::Rounding::HalfEven);
                  y = arith::AddIOp::create(
                      nb, nl, y,
                      createIntConstant(nb, nl, i64, out.zeroPoint()));
                  return emitClampAndTrunc(nb, nl, y, out.qmin, out.qmax,
                                           outElem);
                }));
    return success();
  }

  LogicalResult lowerFloat(AvgPool2DOp op, OpAdaptor adaptor,
                           ConversionPatternRewriter &rewriter,
                           RankedTensorType outType, int64_t inH,
                           int64_t inW) const {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Type elem = outType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    Value padded = padNHWC(b, loc, adaptor.getInput(), padding,
                           createFloatConstant(b, loc, elem, 0.0));
    Value zero =
        createFilled(b, loc, outType, createFloatConstant(b, loc, elem, 0.0));
    Value sum = buildPool2D(b, loc, padded, zero, kernel, strides,
                            [](OpBuilder &nb, Location nl, Value v,
                               Value a) -> Value {
                              return arith::AddFOp::create(nb, nl, a, v);
                            });
    bool padded2 = hasPadding(padding);
    double full = double(kernel[0] * kernel[1]);
    rewriter.replaceOp(
        op, buildElementwise(
                b, loc, outType, sum, {}, -1,
                [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                  Value count;
                  if (padded2) {
                    Value c = emitValidWindowCount(nb, nl, inH, inW, kernel,
                                                   strides, padding);
                    c = arith::IndexCastOp::create(nb, nl, nb.getI32Type(), c);
                    count = arith::SIToFPOp::create(nb, nl, elem, c);
                  } else {
                    count = createFloatConstant(nb, nl, elem, full);
                  }
                  return arith::DivFOp::create(nb, nl, args[0], count);
                }));
    return success();
  }
};

struct GlobalAvgPoolLowering : QlowConversion<GlobalAvgPoolOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    RankedTensorType outType = convert(op.getType());
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(3);
    int64_t count = inType.getDimSize(1) * inType.getDimSize(2);
    bool quantized = isQuantized(op.getOutput());

    FixedPoint m;
    QuantParams x, out;
    if (quantized) {
      FailureOr<FixedPoint> fm = getGlobalAvgPoolMultiplier({op, false}, op);
      if (failed(fm))
        return rewriter.notifyMatchFailure(op, "invalid multiplier");
      m = *fm;
      x = quantParams(op.getInput().getType());
      out = quantParams(op.getType());
    }
    Type accElem = quantized ? b.getI32Type() : outType.getElementType();
    auto accType = RankedTensorType::get({n, c}, accElem);
    Value zero = createFilled(b, loc, accType,
                              quantized ? createIntConstant(b, loc, accElem, 0)
                                        : createFloatConstant(b, loc, accElem, 0.0));
    // Loops (n, c, h, w).
    AffineExpr dN, dC, dH, dW;
    bindDims(ctx, dN, dC, dH, dW);
    using IT = utils::IteratorType;
    Value sum = buildGeneric(
        b, loc, adaptor.getInput(), zero,
        {AffineMap::get(4, 0, {dN, dH, dW, dC}, ctx),
         AffineMap::get(4, 0, {dN, dC}, ctx)},
        {IT::parallel, IT::parallel, IT::reduction, IT::reduction},
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          if (!quantized)
            return arith::AddFOp::create(nb, nl, args[1], args[0]);
          Value v = castInt(nb, nl, args[0], accElem, !x.isSigned);
          v = arith::SubIOp::create(
              nb, nl, v, createIntConstant(nb, nl, accElem, x.zeroPoint()));
          return arith::AddIOp::create(nb, nl, args[1], v);
        });
    auto res2Type = RankedTensorType::get({n, c}, outType.getElementType());
    Value res;
    if (quantized) {
      RescaleSpec spec;
      spec.multipliers = {m};
      spec.outputZeroPoints = {out.zeroPoint()};
      spec.min = out.qmin;
      spec.max = out.qmax;
      spec.rounding = qref::Rounding::HalfEven;
      res = buildRescale(b, loc, sum, res2Type, spec);
    } else {
      Type elem = outType.getElementType();
      res = buildElementwise(
          b, loc, res2Type, sum, {}, -1,
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::DivFOp::create(
                nb, nl, args[0], createFloatConstant(nb, nl, elem, double(count)));
          });
    }
    rewriter.replaceOp(op, expandTo(b, loc, res, outType, {{0, 1, 2}, {3}}));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Layout: concat, reshape, transpose
//===----------------------------------------------------------------------===//

struct ConcatLowering : QlowConversion<ConcatOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = convert(op.getType());
    SmallVector<Value> inputs;
    Type outElem = getElementTypeOrSelf(op.getOutput());
    for (auto [orig, conv] : llvm::zip(op.getInputs(), adaptor.getInputs())) {
      if (!isQuantized(orig) || getElementTypeOrSelf(orig) == outElem) {
        inputs.push_back(conv);
        continue;
      }
      QuantParams out = quantParams(op.getType());
      FailureOr<RescaleSpec> spec = getRequantizeSpec(
          {op, false}, orig.getType(), op.getType(), out.qmin, out.qmax);
      if (failed(spec))
        return rewriter.notifyMatchFailure(op, "invalid multiplier");
      auto t = cast<RankedTensorType>(conv.getType())
                   .clone(outType.getElementType());
      inputs.push_back(buildRescale(rewriter, loc, conv, t, *spec));
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, outType, op.getAxis(),
                                                  inputs);
    return success();
  }
};

struct ReshapeLowering : QlowConversion<ReshapeOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     convert(op.getType())));
    return success();
  }
};

struct TransposeLowering : QlowConversion<TransposeOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType outType = convert(op.getType());
    Value init = createEmpty(rewriter, op.getLoc(), outType);
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(),
                                         adaptor.getInput(), init,
                                         op.getPermutation());
    rewriter.replaceOp(op, t->getResults());
    return success();
  }
};

struct SliceLowering : QlowConversion<SliceOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType outType = convert(op.getType());
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, outType, adaptor.getInput(), ValueRange(), ValueRange(),
        ValueRange(), op.getOffsets(), outType.getShape(), op.getStrides());
    return success();
  }
};

/// out[..., i, ...] = in[..., indices[i], ...]: a linalg.generic reading the
/// index table (a constant) along the gather axis and extracting from the
/// input.
struct GatherLowering : QlowConversion<GatherOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = convert(op.getType());
    int64_t rank = outType.getRank(), axis = op.getAxis();
    ArrayRef<int64_t> indices = op.getIndices();
    auto tableType = RankedTensorType::get({int64_t(indices.size())},
                                           rewriter.getI64Type());
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, indices));
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx)),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value input = adaptor.getInput();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{table},
        ValueRange{createEmpty(rewriter, loc, outType)}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(d == axis ? arith::IndexCastOp::create(
                                         b, l, b.getIndexType(), args[0])
                                         .getResult()
                                   : linalg::IndexOp::create(b, l, d)
                                         .getResult());
          Value v = tensor::ExtractOp::create(b, l, input, at);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

/// out = table[q - qmin]: a linalg.generic extracting from the 256-entry
/// table (a constant of the result's storage type) at the input integer
/// read as its storage type (u8 held in i8 read unsigned).
struct LutLowering : QlowConversion<LutOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(LutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qin = cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getInput().getType()));
    RankedTensorType outType = convert(op.getType());
    Type storage = outType.getElementType();
    SmallVector<APInt> entries;
    for (int32_t v : op.getTable())
      entries.push_back(APInt(storage.getIntOrFloatBitWidth(), uint64_t(v),
                              /*isSigned=*/true, /*implicitTrunc=*/true));
    auto tableType =
        RankedTensorType::get({int64_t(entries.size())}, storage);
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, entries));
    int64_t rank = outType.getRank();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    bool isSigned = qin.isSigned();
    int64_t qmin = qin.getStorageTypeMin();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{adaptor.getInput()},
        ValueRange{createEmpty(rewriter, loc, outType)}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value q = isSigned ? arith::ExtSIOp::create(b, l, b.getI32Type(),
                                                      args[0])
                                   .getResult()
                             : arith::ExtUIOp::create(b, l, b.getI32Type(),
                                                      args[0])
                                   .getResult();
          Value offset = arith::ConstantOp::create(
              b, l, b.getI32IntegerAttr(int32_t(-qmin)));
          Value index = arith::IndexCastOp::create(
              b, l, b.getIndexType(), arith::AddIOp::create(b, l, q, offset));
          Value v = tensor::ExtractOp::create(b, l, table, ValueRange{index});
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Islands and storage casts: type conversion only
//===----------------------------------------------------------------------===//

struct FloatIslandConversion : QlowConversion<FloatIslandOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(FloatIslandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(), types)))
      return failure();
    auto island = FloatIslandOp::create(rewriter, op.getLoc(), types,
                                        op.getReasonAttr(), op.getNameAttr());
    rewriter.inlineRegionBefore(op.getBody(), island.getBody(),
                                island.getBody().end());
    rewriter.replaceOp(op, island.getResults());
    return success();
  }
};

struct YieldConversion : QlowConversion<YieldOp> {
  using QlowConversion::QlowConversion;
  LogicalResult
  matchAndRewrite(YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<YieldOp>(op, adaptor.getValues());
    return success();
  }
};

struct StorageCastLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type want = getTypeConverter()->convertType(op.getType());
    Value in = adaptor.getInput();
    if (in.getType() == want) {
      rewriter.replaceOp(op, in);
      return success();
    }
    // Narrow storage (i4 values) lives in an i8 container: extend into it
    // with the quantized type's signedness, or truncate out of it.
    auto wantType = dyn_cast<RankedTensorType>(want);
    auto q = getQuantElementType(isQuantized(op.getType())
                                     ? op.getType()
                                     : op.getInput().getType());
    if (!wantType || !wantType.hasStaticShape() || !q)
      return rewriter.notifyMatchFailure(op, "unsupported storage cast");
    bool isUnsigned = !q.isSigned();
    Type elem = wantType.getElementType();
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), wantType, in, {}, -1,
                             [&](OpBuilder &b, Location loc, ValueRange args) {
                               return castInt(b, loc, args[0], elem,
                                              isUnsigned);
                             }));
    return success();
  }
};

} // namespace

void mlir::qlow::populateQlowToLinalgPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<ObserveLowering, ConstLowering, QuantizeLowering,
               DequantizeLowering, RescaleLowering, RequantizeLowering,
               IntConv2DLowering, IntMatmulLowering, Conv2DLowering,
               MatmulLowering, AddLoweringPattern, MulLoweringPattern,
               ClampLowering, BatchNormLowering, MaxPool2DLowering,
               AvgPool2DLowering, GlobalAvgPoolLowering, ConcatLowering,
               ReshapeLowering, TransposeLowering, SliceLowering,
               GatherLowering, LutLowering, FloatIslandConversion,
               YieldConversion, StorageCastLowering>(converter,
                                                     patterns.getContext());
}

void mlir::qlow::configureQlowToLinalgTarget(ConversionTarget &target,
                                             const TypeConverter &converter) {
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, tensor::TensorDialect>();
  target.addIllegalDialect<QlowDialect>();
  target.addDynamicallyLegalOp<FloatIslandOp, YieldOp>(
      [&converter](Operation *op) { return converter.isLegal(op); });
  target.addIllegalOp<quant::StorageCastOp>();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// True if `type` is or contains a `!quant` type.
static bool containsQuantType(Type type) {
  if (isa<quant::QuantizedType>(getElementTypeOrSelf(type)))
    return true;
  if (auto fn = dyn_cast<FunctionType>(type))
    return llvm::any_of(fn.getInputs(), containsQuantType) ||
           llvm::any_of(fn.getResults(), containsQuantType);
  return false;
}

/// Marks the arguments and results of `fn` whose type is a tensor of
/// unsigned 8-bit quantized elements with kUnsignedAttr.
static void markUnsignedBoundaries(func::FuncOp fn) {
  auto isUnsigned8 = [](Type t) {
    auto q = getQuantElementType(t);
    return q && !q.isSigned() && q.getStorageTypeIntegralWidth() == 8;
  };
  UnitAttr unit = UnitAttr::get(fn.getContext());
  for (auto [i, t] : llvm::enumerate(fn.getArgumentTypes()))
    if (isUnsigned8(t))
      fn.setArgAttr(i, kUnsignedAttr, unit);
  for (auto [i, t] : llvm::enumerate(fn.getResultTypes()))
    if (isUnsigned8(t))
      fn.setResultAttr(i, kUnsignedAttr, unit);
}

namespace {
struct QlowLowerToIntegerPass
    : mlir::qlow::impl::QlowLowerToIntegerBase<QlowLowerToIntegerPass> {
  using QlowLowerToIntegerBase::QlowLowerToIntegerBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    QlowLowerToIntegerBase::getDependentDialects(registry);
    registry.insert<QlowDialect, func::FuncDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (failed(checkQlowLowerable(module)))
      return signalPassFailure();

    // The boundary keeps what the erased types said about signedness.
    for (auto fn : module.getOps<func::FuncOp>())
      markUnsignedBoundaries(fn);

    TypeConverter converter;
    addQlowStorageTypeConversions(converter);

    ConversionTarget target(*ctx);
    configureQlowToLinalgTarget(target, converter);
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateQlowToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // Block arguments beyond the entry block, scf results/iter_args.
    cf::populateCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                       target);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);

    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // Nothing quantized may survive: an op qlow does not know that still
    // carries a `!quant` type is reported rather than left behind.
    WalkResult result = module.walk([&](Operation *op) {
      auto bad = [&](Type t) {
        if (!containsQuantType(t))
          return false;
        op->emitOpError() << "still has the quantized type " << t
                          << " after qlow-lower";
        return true;
      };
      for (Type t : op->getOperandTypes())
        if (bad(t))
          return WalkResult::interrupt();
      for (Type t : op->getResultTypes())
        if (bad(t))
          return WalkResult::interrupt();
      for (Region &r : op->getRegions())
        for (Block &blk : r)
          for (BlockArgument arg : blk.getArguments())
            if (bad(arg.getType()))
              return WalkResult::interrupt();
      if (auto fn = dyn_cast<func::FuncOp>(op))
        if (bad(fn.getFunctionType()))
          return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
