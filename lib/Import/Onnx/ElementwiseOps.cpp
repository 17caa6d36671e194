//===- ElementwiseOps.cpp - ONNX element-wise ops and activations ---------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cfloat>
#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// Add, Sub, Mul, Div with NumPy broadcasting.
struct Binary : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    StringRef opType = node->op_type();
    if (elemTypeOf(out()) != onnx::TensorProto::FLOAT)
      return integerBinary(opType);
    SmallVector<int64_t> outShape = shapeOf(out());
    int64_t rank = outShape.size();
    Tensor &lt = tensor(in(0)), &rt = tensor(in(1));
    // NHWC when an operand has that form and the other can follow it.
    auto follows = [&](Tensor &t) { return t.nhwc || t.constant; };
    bool nhwc = rank == 4 && (lt.nhwc || rt.nhwc) && follows(lt) && follows(rt);
    RankedTensorType type = f32(nhwc ? toNHWC(outShape) : outShape);

    // The rhs constant may be rewritten (Sub: negated, Div: inverted).
    DenseElementsAttr rc = rt.constant;
    if (rc && opType == "Sub")
      rc = mapFloats(constantForRank(rc, rank, false),
                     [](float v) { return -v; });
    if (rc && opType == "Div")
      rc = mapFloats(constantForRank(rc, rank, false),
                     [](float v) { return 1.0f / v; });
    auto operand = [&](StringRef name, DenseElementsAttr c) -> Value {
      if (c)
        return materialize(constantForRank(c, rank, nhwc));
      Value v = nhwc ? nhwcValue(name) : onnxValue(name);
      return toRank(v, rank, name);
    };
    Value lhs = operand(in(0), lt.constant);
    Value rhs = operand(in(1), rc);
    if (opType == "Mul" && !lt.constant && !rt.constant)
      if (Value silu = fuseSiLU(lhs, rhs, type)) {
        defineOutput(silu, nhwc);
        return;
      }
    Value result;
    if (opType == "Add" || (opType == "Sub" && rc))
      result = AddOp::create(b, loc, type, lhs, rhs, FloatAttr(), FloatAttr(),
                             nameAttr(out()));
    else if (opType == "Mul" || (opType == "Div" && rc))
      result = MulOp::create(b, loc, type, lhs, rhs, FloatAttr(), FloatAttr(),
                             nameAttr(out()));
    else if (opType == "Sub") {
      // a - b = a + (-1 * b)
      SmallVector<int64_t> ones(rank, 1);
      Value minusOne = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(f32(ones), -1.0f));
      Value neg = MulOp::create(b, loc, cast<RankedTensorType>(rhs.getType()),
                                rhs, minusOne, FloatAttr(), FloatAttr(),
                                nameAttr(auxName(out(), "neg")));
      result = AddOp::create(b, loc, type, lhs, neg, FloatAttr(), FloatAttr(),
                             nameAttr(out()));
    } else {
      // Div by a run-time tensor: a * reciprocal(b) in float.
      result = island(out(), type, [&]() -> Value {
        Value r = tosa::ReciprocalOp::create(b, loc, rhs.getType(), rhs);
        return tosaMul(lhs, r, type);
      });
    }
    defineOutput(result, nhwc);
  }

private:
  Value fuseSiLU(Value a, Value c, RankedTensorType type);

  /// Integer tensors: wrapping arithmetic in an island (ONNX's integer Div
  /// truncates toward zero, as C does).
  void integerBinary(StringRef opType) {
    int32_t dtype = elemTypeOf(out());
    SmallVector<int64_t> shape = shapeOf(out(), true);
    int64_t rank = shape.size();
    bool unsignedA, unsignedB;
    Value a = integersAtRank(0, rank, unsignedA);
    Value c = integersAtRank(1, rank, unsignedB);
    auto type = RankedTensorType::get(
        shape, cast<RankedTensorType>(a.getType()).getElementType());
    if (a.getType().isInteger(1) || type.getElementType().isInteger(1))
      nodeError("arithmetic on bool tensors is not supported");
    Value r = island(out(), type, [&]() -> Value {
      return elementwise(type, {a, c},
                         [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
                           if (opType == "Add")
                             return arith::AddIOp::create(nb, l, v[0], v[1]);
                           if (opType == "Sub")
                             return arith::SubIOp::create(nb, l, v[0], v[1]);
                           if (opType == "Mul")
                             return arith::MulIOp::create(nb, l, v[0], v[1]);
                           if (unsignedA)
                             return arith::DivUIOp::create(nb, l, v[0], v[1]);
                           return arith::DivSIOp::create(nb, l, v[0], v[1]);
                         });
    });
    if (dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::INT8)
      r = quant::StorageCastOp::create(
          b, loc, type.clone(makeQuantType(1.0, 0, dtype, -1)), r);
    defineOutput(r, false);
  }
};

/// x * Sigmoid(x) (SiLU, Swish) as one island with both ops, so that the
/// model has one float op there, not two; the Sigmoid's own island is left
/// to canonicalization when nothing else reads it.
Value Binary::fuseSiLU(Value a, Value c, RankedTensorType type) {
  for (auto [first, second] : {std::pair(a, c), std::pair(c, a)}) {
    Value x = first, s = second;
    auto sig = s.getDefiningOp<FloatIslandOp>();
    if (!sig || x.getType() != type || s.getType() != type)
      continue;
    Block &body = sig.getBody().front();
    auto sigmoid = dyn_cast<tosa::SigmoidOp>(body.front());
    if (!sigmoid || sigmoid.getInput() != x ||
        &*std::next(body.begin()) != body.getTerminator())
      continue;
    return islandResults(
        out(), type,
        [&] {
          Value y = tosa::SigmoidOp::create(b, loc, type, x);
          return SmallVector<Value>{tosaMul(x, y, type)};
        },
        "no quantized kernel for SiLU (x * Sigmoid(x))")[0];
  }
  return Value();
}

/// A qlow.clamp of input 0 to [lo, hi] (either may be absent).
struct Clamp : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override { clamp(0.0f, std::nullopt); }

protected:
  void clamp(std::optional<float> lo, std::optional<float> hi) {
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    auto toAttr = [&](std::optional<float> v) {
      return v && std::isfinite(*v) ? b.getF32FloatAttr(*v) : FloatAttr();
    };
    if (lo && hi && *lo > *hi)
      nodeError("the minimum is greater than the maximum");
    defineOutput(ClampOp::create(b, loc, x.getType(), x, toAttr(lo), toAttr(hi),
                                 nameAttr(out())),
                 nhwc);
  }
};

/// Clip: bounds as attributes (version 6) or as constant inputs (11 on).
struct Clip : Clamp {
  using Clamp::Clamp;
  void convert() override {
    if (version < 11)
      return clamp(floatAttr("min", -FLT_MAX), floatAttr("max", FLT_MAX));
    // On a quantized tensor (QDQ models: PyTorch exports its 7-bit
    // activation range as QuantizeLinear -> Clip(0, 127) ->
    // DequantizeLinear) the bounds are integers of the storage type: a clamp
    // of the real values they stand for, on the quantized tensor.
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    if ((has(1) && !constantOf(1)) || (has(2) && !constantOf(2)))
      return runtimeBounds(x, nhwc);
    quant::QuantizedType qt = getQuantElementType(x.getType());
    auto bound = [&](int i, StringRef what) -> std::optional<float> {
      if (!has(i))
        return std::nullopt;
      DenseElementsAttr c = requireConstant(i, what);
      if (c.getType().getNumElements() != 1)
        nodeError(what + " must be a scalar");
      if (isa<FloatType>(c.getElementType()))
        return floatsOf(c)[0];
      auto u = dyn_cast_or_null<quant::UniformQuantizedType>(qt);
      if (!u)
        nodeError(what + " is an integer, but the input is not a per-tensor "
                         "quantized tensor");
      int64_t v = intsOf(c)[0];
      return float(double(v - u.getZeroPoint()) * u.getScale());
    };
    std::optional<float> lo = bound(1, "the minimum of Clip");
    std::optional<float> hi = bound(2, "the maximum of Clip");
    clamp(lo, hi);
  }

private:
  /// Bounds computed at run time: TOSA maximum/minimum in an island.
  void runtimeBounds(Value x, bool nhwc) {
    auto type = cast<RankedTensorType>(x.getType());
    if (!isFloatTensor(type))
      return integerBounds();
    int64_t rank = type.getRank();
    auto scalar = [&](int i, StringRef what) -> Value {
      if (!has(i))
        return Value();
      if (DenseElementsAttr c = constantOf(i))
        return materialize(constantForRank(c, rank, false));
      Value v = onnxValue(in(i));
      auto t = cast<RankedTensorType>(v.getType());
      if (t.getNumElements() != 1 || !isFloatTensor(t))
        nodeError(what + " must be one float");
      return named(ReshapeOp::create(b, loc, f32(SmallVector<int64_t>(rank, 1)),
                                     v, StringAttr()),
                   auxName(in(i), "bcast"));
    };
    Value lo = scalar(1, "the minimum of Clip");
    Value hi = scalar(2, "the maximum of Clip");
    defineOutput(island(out(), type,
                        [&]() -> Value {
                          Value v = x;
                          if (lo)
                            v = tosa::MaximumOp::create(b, loc, type, v, lo);
                          if (hi)
                            v = tosa::MinimumOp::create(b, loc, type, v, hi);
                          return v;
                        }),
                 nhwc);
  }

  /// Clip of integer data (int8/uint8 at scale 1, int32, int64) with
  /// run-time bounds.
  void integerBounds() {
    int32_t dtype = elemTypeOf(out());
    SmallVector<int64_t> shape = shapeOf(out(), true);
    int64_t rank = shape.size();
    bool isUnsigned;
    SmallVector<Value> operands = {integersAtRank(0, rank, isUnsigned)};
    bool hasLo = has(1), hasHi = has(2);
    bool unused;
    if (hasLo)
      operands.push_back(integersAtRank(1, rank, unused));
    if (hasHi)
      operands.push_back(integersAtRank(2, rank, unused));
    auto type = RankedTensorType::get(
        shape, cast<RankedTensorType>(operands[0].getType()).getElementType());
    Value r = island(out(), type, [&]() -> Value {
      return elementwise(
          type, operands, [&](OpBuilder &nb, Location l, ValueRange v) {
            Value y = v[0];
            int k = 1;
            if (hasLo)
              y = isUnsigned
                      ? arith::MaxUIOp::create(nb, l, y, v[k++]).getResult()
                      : arith::MaxSIOp::create(nb, l, y, v[k++]).getResult();
            if (hasHi)
              y = isUnsigned
                      ? arith::MinUIOp::create(nb, l, y, v[k]).getResult()
                      : arith::MinSIOp::create(nb, l, y, v[k]).getResult();
            return y;
          });
    });
    if (dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::INT8)
      r = quant::StorageCastOp::create(
          b, loc, type.clone(makeQuantType(1.0, 0, dtype, -1)), r);
    defineOutput(r, false);
  }
};

/// The activations and math functions qlow has no quantized kernel for:
/// TOSA (and element-wise math where TOSA has no op) in an island.
struct UnaryIsland : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    auto type = cast<RankedTensorType>(x.getType());
    if (!isFloatTensor(type))
      nodeError("the input must be float");
    defineOutput(island(out(), type, [&] { return build(x, type); }), nhwc);
  }

private:
  Value scalar(float v) { return tosaScalar(rankOf, v); }
  Value mul(Value a, Value c) { return tosaMul(a, c, a.getType()); }
  Value add(Value a, Value c) {
    return tosa::AddOp::create(b, loc, a.getType(), a, c);
  }
  Value sub(Value a, Value c) {
    return tosa::SubOp::create(b, loc, a.getType(), a, c);
  }
  Value exp(Value a) { return tosa::ExpOp::create(b, loc, a.getType(), a); }
  /// x < 0 ? neg : pos
  Value selectNegative(Value x, Value neg, Value pos) {
    auto type = cast<RankedTensorType>(x.getType());
    Value isNeg = tosa::GreaterOp::create(b, loc, type.clone(b.getI1Type()),
                                          scalar(0.0f), x);
    return tosa::SelectOp::create(b, loc, type, isNeg, neg, pos);
  }
  /// log(1 + exp(x)) as ONNX defines Softplus.
  Value softplus(Value x) {
    return tosa::LogOp::create(b, loc, x.getType(), add(exp(x), scalar(1.0f)));
  }

  Value build(Value x, RankedTensorType type) {
    StringRef op = node->op_type();
    rankOf = type.getRank();
    if (op == "Sigmoid")
      return tosa::SigmoidOp::create(b, loc, type, x);
    if (op == "Tanh")
      return tosa::TanhOp::create(b, loc, type, x);
    if (op == "Erf")
      return tosa::ErfOp::create(b, loc, type, x);
    if (op == "Exp")
      return exp(x);
    if (op == "Log")
      return tosa::LogOp::create(b, loc, type, x);
    if (op == "Abs")
      return tosa::AbsOp::create(b, loc, type, x);
    if (op == "Reciprocal")
      return tosa::ReciprocalOp::create(b, loc, type, x);
    if (op == "Floor")
      return tosa::FloorOp::create(b, loc, type, x);
    if (op == "Ceil")
      return tosa::CeilOp::create(b, loc, type, x);
    if (op == "Sqrt")
      return math::SqrtOp::create(b, loc, x);
    if (op == "Round") // halves to even, as ONNX rounds
      return math::RoundEvenOp::create(b, loc, x);
    if (op == "Sin")
      return math::SinOp::create(b, loc, x);
    if (op == "Cos")
      return math::CosOp::create(b, loc, x);
    if (op == "Sign") {
      auto i1 = type.clone(b.getI1Type());
      Value pos = tosa::GreaterOp::create(b, loc, i1, x, scalar(0.0f));
      Value neg = tosa::GreaterOp::create(b, loc, i1, scalar(0.0f), x);
      Value one =
          tosa::SelectOp::create(b, loc, type, pos, scalar(1.0f), scalar(0.0f));
      return tosa::SelectOp::create(b, loc, type, neg, scalar(-1.0f), one);
    }
    if (op == "Softsign") // x / (1 + |x|)
      return mul(x,
                 tosa::ReciprocalOp::create(
                     b, loc, type,
                     add(tosa::AbsOp::create(b, loc, type, x), scalar(1.0f))));
    if (op == "Softplus")
      return softplus(x);
    if (op == "Mish") // x tanh(softplus(x))
      return mul(x, tosa::TanhOp::create(b, loc, type, softplus(x)));
    if (op == "LeakyRelu") // max(x, 0) + alpha * min(x, 0)
      return add(tosa::MaximumOp::create(b, loc, type, x, scalar(0.0f)),
                 mul(tosa::MinimumOp::create(b, loc, type, x, scalar(0.0f)),
                     scalar(floatAttr("alpha", 0.01f))));
    if (op == "ThresholdedRelu") {
      Value above =
          tosa::GreaterOp::create(b, loc, type.clone(b.getI1Type()), x,
                                  scalar(floatAttr("alpha", 1.0f)));
      return tosa::SelectOp::create(b, loc, type, above, x, scalar(0.0f));
    }
    if (op == "Elu" || op == "Selu") {
      // Elu: x < 0 ? alpha (exp(x) - 1) : x; Selu: gamma times that.
      float alpha =
          floatAttr("alpha", op == "Elu" ? 1.0f : 1.67326319217681884765625f);
      Value neg = mul(sub(exp(x), scalar(1.0f)), scalar(alpha));
      Value r = selectNegative(x, neg, x);
      return op == "Selu"
                 ? mul(r,
                       scalar(floatAttr("gamma", 1.05070102214813232421875f)))
                 : r;
    }
    if (op == "Celu") {
      // max(0, x) + min(0, alpha (exp(x / alpha) - 1))
      float alpha = floatAttr("alpha", 1.0f);
      Value e = mul(sub(exp(mul(x, scalar(1.0f / alpha))), scalar(1.0f)),
                    scalar(alpha));
      return add(tosa::MaximumOp::create(b, loc, type, x, scalar(0.0f)),
                 tosa::MinimumOp::create(b, loc, type, e, scalar(0.0f)));
    }
    // HardSigmoid: clamp(alpha * x + beta, 0, 1); HardSwish: x * that with
    // alpha = 1/6, beta = 1/2.
    bool swish = op == "HardSwish";
    float alpha = swish ? 1.0f / 6.0f : floatAttr("alpha", 0.2f);
    float beta = swish ? 0.5f : floatAttr("beta", 0.5f);
    Value hs = tosa::ClampOp::create(
        b, loc, type, add(mul(x, scalar(alpha)), scalar(beta)),
        b.getF32FloatAttr(0.0f), b.getF32FloatAttr(1.0f));
    return swish ? mul(x, hs) : hs;
  }

  int64_t rankOf = 0;
};

/// PRelu: x < 0 ? slope * x : x, the slope broadcast to x.
struct PRelu : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    SmallVector<int64_t> shape = shapeOf(out());
    int64_t rank = shape.size();
    bool nhwc = rank == 4 && tensor(in(0)).nhwc && constantOf(1);
    Value x = nhwc ? nhwcValue(in(0)) : onnxValue(in(0));
    Value slope = constantOf(1)
                      ? materialize(constantForRank(constantOf(1), rank, nhwc))
                      : toRank(onnxValue(in(1)), rank, in(1));
    auto type = cast<RankedTensorType>(x.getType());
    defineOutput(
        island(out(), type,
               [&]() -> Value {
                 Value neg = tosaMul(x, slope, type);
                 Value isNeg =
                     tosa::GreaterOp::create(b, loc, type.clone(b.getI1Type()),
                                             tosaScalar(rank, 0.0f), x);
                 return tosa::SelectOp::create(b, loc, type, isNeg, neg, x);
               }),
        nhwc);
  }
};

/// Neg: a multiplication by -1 (quantizable).
struct Neg : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    defineOutput(scaleBy(x, -1.0f, out()), nhwc);
  }
};

/// Sum and Mean of any number of inputs (qlow.add chains, then a
/// multiplication by 1/n), Min and Max (a clamp when every operand but one
/// is a scalar constant, else TOSA in an island); all broadcast.
struct Variadic : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    StringRef op = node->op_type();
    SmallVector<int64_t> outShape = shapeOf(out(), true);
    int64_t rank = outShape.size();
    int n = node->input_size();
    if (n == 1) {
      alias();
      return;
    }
    if (elemTypeOf(out()) != onnx::TensorProto::FLOAT)
      return integerVariadic(op, outShape);
    if (op == "Min" || op == "Max") {
      // One run-time operand and scalar constants: a clamp.
      int runtime = -1;
      std::optional<float> bound;
      bool clampForm = true;
      for (int i = 0; i < n; ++i) {
        DenseElementsAttr c = constantOf(i);
        if (!c) {
          clampForm &= runtime < 0;
          runtime = i;
          continue;
        }
        clampForm &= c.getType().getNumElements() == 1 &&
                     isa<FloatType>(c.getElementType());
        if (!clampForm)
          break;
        float v = floatsOf(c)[0];
        bound = !bound
                    ? v
                    : (op == "Max" ? std::max(*bound, v) : std::min(*bound, v));
      }
      if (clampForm && runtime >= 0 && bound &&
          shapeOf(in(runtime)) == outShape) {
        bool nhwc;
        Value x = anyLayout(in(runtime), nhwc);
        FloatAttr lo = op == "Max" ? b.getF32FloatAttr(*bound) : FloatAttr();
        FloatAttr hi = op == "Min" ? b.getF32FloatAttr(*bound) : FloatAttr();
        defineOutput(
            ClampOp::create(b, loc, x.getType(), x, lo, hi, nameAttr(out())),
            nhwc);
        return;
      }
    }
    SmallVector<Value> operands;
    for (int i = 0; i < n; ++i)
      operands.push_back(inputForRank(i, rank));
    RankedTensorType type = f32(outShape);
    if (op == "Min" || op == "Max") {
      defineOutput(
          island(out(), type,
                 [&]() -> Value {
                   Value r = operands[0];
                   for (int i = 1; i < n; ++i) {
                     auto t = i + 1 == n ? type : broadcastType(r, operands[i]);
                     r = op == "Max" ? tosa::MaximumOp::create(b, loc, t, r,
                                                               operands[i])
                                           .getResult()
                                     : tosa::MinimumOp::create(b, loc, t, r,
                                                               operands[i])
                                           .getResult();
                   }
                   return r;
                 }),
          false);
      return;
    }
    // Sum and Mean: a chain of adds, the last named after the output.
    bool mean = op == "Mean";
    Value r = operands[0];
    for (int i = 1; i < n; ++i) {
      bool last = i + 1 == n && !mean;
      RankedTensorType t = i + 1 == n ? type : broadcastType(r, operands[i]);
      r = AddOp::create(
          b, loc, t, r, operands[i], FloatAttr(), FloatAttr(),
          nameAttr(last ? out() : auxName(out(), "sum" + std::to_string(i))));
    }
    if (mean)
      r = scaleBy(r, 1.0f / float(n), out());
    defineOutput(r, false);
  }

private:
  /// Min, Max and Sum of integer tensors in an island.
  void integerVariadic(StringRef op, ArrayRef<int64_t> shape) {
    int32_t dtype = elemTypeOf(out());
    SmallVector<Value> operands;
    bool isUnsigned = false;
    for (int i = 0; i < node->input_size(); ++i)
      operands.push_back(integersAtRank(i, shape.size(), isUnsigned));
    auto type = RankedTensorType::get(
        shape, cast<RankedTensorType>(operands[0].getType()).getElementType());
    Value r = island(out(), type, [&]() -> Value {
      return elementwise(
          type, operands, [&](OpBuilder &nb, Location l, ValueRange v) {
            Value acc = v[0];
            for (Value x : v.drop_front()) {
              if (op == "Sum")
                acc = arith::AddIOp::create(nb, l, acc, x);
              else if (op == "Max")
                acc = isUnsigned
                          ? arith::MaxUIOp::create(nb, l, acc, x).getResult()
                          : arith::MaxSIOp::create(nb, l, acc, x).getResult();
              else
                acc = isUnsigned
                          ? arith::MinUIOp::create(nb, l, acc, x).getResult()
                          : arith::MinSIOp::create(nb, l, acc, x).getResult();
            }
            return acc;
          });
    });
    if (dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::INT8)
      r = quant::StorageCastOp::create(
          b, loc, type.clone(makeQuantType(1.0, 0, dtype, -1)), r);
    defineOutput(r, false);
  }

  RankedTensorType broadcastType(Value a, Value c) {
    auto s = broadcastShapes(cast<RankedTensorType>(a.getType()).getShape(),
                             cast<RankedTensorType>(c.getType()).getShape());
    if (!s)
      nodeError("the inputs do not broadcast");
    return f32(*s);
  }
};

/// Pow: x^2 as x * x (quantizable), x^1 as x, x^0.5 as a square root, other
/// exponents (constant or not) TOSA pow in an island.
struct Pow : NodeImporter {
  using NodeImporter::NodeImporter;
  void mixedPow();
  void convert() override {
    if (elemTypeOf(out()) != onnx::TensorProto::FLOAT ||
        elemTypeOf(in(1)) != onnx::TensorProto::FLOAT)
      return mixedPow();
    SmallVector<int64_t> outShape = shapeOf(out());
    int64_t rank = outShape.size();
    DenseElementsAttr e = constantOf(1);
    std::optional<float> exponent;
    if (e && e.getType().getNumElements() == 1)
      exponent = isa<FloatType>(e.getElementType()) ? floatsOf(e)[0]
                                                    : float(intsOf(e)[0]);
    if (exponent && shapeOf(in(0)) == outShape) {
      bool nhwc;
      Value x = anyLayout(in(0), nhwc);
      auto type = cast<RankedTensorType>(x.getType());
      if (*exponent == 1.0f) {
        alias();
        return;
      }
      if (*exponent == 2.0f) {
        defineOutput(MulOp::create(b, loc, type, x, x, FloatAttr(), FloatAttr(),
                                   nameAttr(out())),
                     nhwc);
        return;
      }
      defineOutput(island(out(), type,
                          [&]() -> Value {
                            if (*exponent == 0.5f)
                              return math::SqrtOp::create(b, loc, x);
                            return tosa::PowOp::create(
                                b, loc, type, x,
                                tosaScalar(type.getRank(), *exponent));
                          }),
                   nhwc);
      return;
    }
    Value x = inputForRank(0, rank);
    Value y =
        e ? materialize(constantForRank(
                isa<FloatType>(e.getElementType())
                    ? e
                    : DenseElementsAttr::get(
                          RankedTensorType::get(e.getType().getShape(),
                                                b.getF32Type()),
                          llvm::ArrayRef(llvm::to_vector(llvm::map_range(
                              intsOf(e), [](int64_t v) { return float(v); })))),
                rank, false))
          : inputForRank(1, rank);
    RankedTensorType type = f32(outShape);
    defineOutput(island(out(), type,
                        [&]() -> Value {
                          return tosa::PowOp::create(b, loc, type, x, y);
                        }),
                 false);
  }
};

/// Max / Min of constant inputs (shape arithmetic: `max(size, 1)`).
FoldFn minMaxFold(bool isMax) {
  return [isMax](const FoldContext &c) -> std::optional<std::vector<Literal>> {
    if (!c.allConstant() || c.inputCount() == 0)
      return std::nullopt;
    SmallVector<const Literal *> ins;
    for (int i = 0; i < c.inputCount(); ++i)
      ins.push_back(c.value(i));
    auto pick = [&](auto v) {
      auto r = v[0];
      for (auto x : v)
        r = isMax ? std::max(r, x) : std::min(r, x);
      return r;
    };
    std::optional<Literal> r = elementwiseFold(
        c, ins, ins[0]->dtype, [&](ArrayRef<double> v) { return pick(v); },
        [&](ArrayRef<int64_t> v) { return pick(v); });
    return std::vector<Literal>{std::move(*r)};
  };
}

/// Pow with an integer base or exponent: computed in f64 (exact for the
/// integer results that fit its 53 bits), truncated to an integer result.
void Pow::mixedPow() {
  SmallVector<int64_t> shape = shapeOf(out(), true);
  int64_t rank = shape.size();
  auto operand = [&](int i, bool &isInt, bool &isUnsigned) -> Value {
    isInt = elemTypeOf(in(i)) != onnx::TensorProto::FLOAT;
    isUnsigned = false;
    return isInt ? integersAtRank(i, rank, isUnsigned) : inputForRank(i, rank);
  };
  bool intX, intY, unsignedX, unsignedY;
  Value x = operand(0, intX, unsignedX), y = operand(1, intY, unsignedY);
  Type elem = intX ? cast<RankedTensorType>(x.getType()).getElementType()
                   : b.getF32Type();
  auto type = RankedTensorType::get(shape, elem);
  Value r = island(out(), type, [&]() -> Value {
    return elementwise(
        type, {x, y}, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
          auto toF64 = [&](Value a, bool isInt, bool isUnsigned) -> Value {
            if (!isInt)
              return arith::ExtFOp::create(nb, l, nb.getF64Type(), a);
            return isUnsigned
                       ? arith::UIToFPOp::create(nb, l, nb.getF64Type(), a)
                             .getResult()
                       : arith::SIToFPOp::create(nb, l, nb.getF64Type(), a)
                             .getResult();
          };
          Value p = math::PowFOp::create(nb, l, toF64(v[0], intX, unsignedX),
                                         toF64(v[1], intY, unsignedY));
          if (intX)
            return arith::FPToSIOp::create(nb, l, elem, p);
          return arith::TruncFOp::create(nb, l, nb.getF32Type(), p);
        });
  });
  defineOutput(r, false);
}

/// The element-wise `fn` of one constant input (shape arithmetic, constant
/// subgraphs), in the input's precision.
FoldFn unaryFold(double (*fn)(double)) {
  return [fn](const FoldContext &c) -> std::optional<std::vector<Literal>> {
    const Literal *x = c.value(0);
    if (!x)
      return std::nullopt;
    Literal r = Literal::make(x->dtype, x->shape);
    for (int64_t i = 0, n = r.size(); i < n; ++i) {
      double v = x->real(i);
      if (x->dtype == onnx::TensorProto::FLOAT)
        r.set(i, double(float(fn(double(float(v))))));
      else
        r.set(i, fn(v));
    }
    return std::vector<Literal>{std::move(r)};
  };
}

/// ai.onnx Gelu (approximate = "none" | "tanh"), com.microsoft Gelu (erf),
/// FastGelu (tanh, optional bias) and BiasGelu (erf, bias). libonnx 1.12 has
/// no schema for any of them: while it checks and infers the model, each is
/// shown as an Identity of its first input (they are element-wise), and
/// qlow checks them itself.
struct Gelu : NodeImporter {
  using NodeImporter::NodeImporter;

  /// Checks the input count (libonnx cannot) and gives the stand-in.
  static std::optional<StandIn> standIn(const onnx::NodeProto &n, int64_t,
                                        ConstantInts) {
    // Gelu and com.microsoft Gelu take x; FastGelu x and an optional bias;
    // BiasGelu x and a bias.
    int minInputs = n.op_type() == "BiasGelu" ? 2 : 1;
    int maxInputs = n.op_type() == "Gelu" ? 1 : 2;
    int count = 0;
    for (const std::string &in : n.input())
      count += !in.empty();
    std::string expected = std::to_string(minInputs);
    if (maxInputs != minInputs)
      expected += " or " + std::to_string(maxInputs);
    if (n.input_size() > maxInputs || n.input_size() < 1 ||
        n.input(0).empty() || count < minInputs)
      fail("node '" + nodeName(n) + "' (op '" + n.op_type() + "') expects " +
           expected + (maxInputs == 1 ? " input" : " inputs") + ", got " +
           llvm::Twine(count));
    return identityStandIn(n);
  }

  void convert() override {
    StringRef op = node->op_type();
    bool microsoft = node->domain() == kMicrosoftDomain;
    for (const onnx::AttributeProto &a : node->attribute())
      if (microsoft || a.name() != "approximate" ||
          a.type() != onnx::AttributeProto::STRING)
        nodeError("unknown attribute '" + a.name() + "'" +
                  (microsoft ? "" : " (Gelu takes the string 'approximate')"));
    bool tanhForm = op == "FastGelu";
    if (!microsoft) {
      std::string approximate = stringAttr("approximate", "none");
      if (approximate != "none" && approximate != "tanh")
        nodeError("unknown approximate = '" + approximate +
                  "' (Gelu takes 'none' or 'tanh')");
      tanhForm = approximate == "tanh";
    }
    // Gelu(x + bias), the bias a vector along the last dimension.
    Value bias;
    bool nhwc = false;
    Value input;
    if (has(1)) {
      input = onnxValue(in(0));
      auto type = cast<RankedTensorType>(input.getType());
      DenseElementsAttr c = constantOf(1);
      SmallVector<int64_t> bs =
          c ? SmallVector<int64_t>(c.getType().getShape()) : shapeOf(in(1));
      if (type.getRank() < 1 || bs.size() != 1 ||
          bs[0] != type.getShape().back())
        nodeError("the bias must be a vector the size of the last dimension");
      bias = inputForRank(1, type.getRank());
    } else {
      input = anyLayout(in(0), nhwc);
    }
    auto type = cast<RankedTensorType>(input.getType());
    if (!type.getElementType().isF32())
      nodeError("the input must be float32");
    defineOutput(island(out(), type,
                        [&]() -> Value {
                          Value v = input;
                          if (bias)
                            v = tosa::AddOp::create(b, loc, type, v, bias);
                          return gelu(v, tanhForm);
                        }),
                 nhwc);
  }

private:
  Value gelu(Value v, bool tanhForm) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t rank = type.getRank();
    // erf:  0.5 x (1 + erf(x / sqrt(2)))
    // tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
    Value inner;
    if (tanhForm) {
      Value cube = tosaMul(tosaMul(v, v, type), v, type);
      Value sum = tosa::AddOp::create(
          b, loc, type, v, tosaMul(cube, tosaScalar(rank, 0.044715f), type));
      inner = tosa::TanhOp::create(
          b, loc, type,
          tosaMul(sum, tosaScalar(rank, 0.7978845608028654f), type));
    } else {
      inner = tosa::ErfOp::create(
          b, loc, type,
          tosaMul(v, tosaScalar(rank, 0.7071067811865476f), type));
    }
    Value onePlus =
        tosa::AddOp::create(b, loc, type, inner, tosaScalar(rank, 1.0f));
    Value half = tosaMul(v, tosaScalar(rank, 0.5f), type);
    return tosaMul(half, onePlus, type);
  }
};

/// Add, Sub, Mul, Div on constants (shape arithmetic): integer division
/// truncates, as ONNX Runtime's does.
FoldFn binaryFold(char op) {
  return [op](const FoldContext &c) -> std::optional<std::vector<Literal>> {
    const Literal *a = c.value(0), *b = c.value(1);
    if (!a || !b)
      return std::nullopt;
    if (a->dtype != b->dtype)
      c.nodeError("the inputs have different element types");
    std::optional<Literal> r = elementwiseFold(
        c, {a, b}, a->dtype,
        [&](ArrayRef<double> v) {
          // In the inputs' precision: float32 stays float32.
          if (a->dtype == onnx::TensorProto::FLOAT) {
            float x = float(v[0]), y = float(v[1]);
            return double(op == '+'   ? x + y
                          : op == '-' ? x - y
                          : op == '*' ? x * y
                                      : x / y);
          }
          return op == '+'   ? v[0] + v[1]
                 : op == '-' ? v[0] - v[1]
                 : op == '*' ? v[0] * v[1]
                             : v[0] / v[1];
        },
        [&](ArrayRef<int64_t> v) -> int64_t {
          if (op == '/' && v[1] == 0)
            c.nodeError("integer division by zero");
          // Wrapping arithmetic, computed without signed overflow.
          uint64_t x = uint64_t(v[0]), y = uint64_t(v[1]);
          return op == '+'                           ? int64_t(x + y)
                 : op == '-'                         ? int64_t(x - y)
                 : op == '*'                         ? int64_t(x * y)
                 : (v[0] == INT64_MIN && v[1] == -1) ? v[0]
                                                     : v[0] / v[1];
        });
    return std::vector<Literal>{std::move(*r)};
  };
}

} // namespace

void registerElementwiseConverters(ConverterRegistry &r) {
  r.add<Binary>("Add", {7, 13, 14}, "`qlow.add`",
                "NumPy broadcasting (lower ranks get leading 1s)")
      .fold = binaryFold('+');
  r.add<Binary>("Sub", {7, 13, 14}, "`qlow.add`",
                "by a constant: add its negation; by a tensor: "
                "`a + (-1 * b)`")
      .fold = binaryFold('-');
  r.add<Binary>("Mul", {7, 13, 14}, "`qlow.mul`", "NumPy broadcasting").fold =
      binaryFold('*');
  r.add<Binary>("Div", {7, 13, 14}, "`qlow.mul` / island",
                "by a constant: multiply by its reciprocal; by a tensor: TOSA "
                "`reciprocal` + `mul`")
      .fold = binaryFold('/');
  r.add<Clamp>("Relu", {6, 13, 14}, "`qlow.clamp`",
               "fused into the producer by canonicalization");
  r.add<Clip>("Clip", {6, 11, 12, 13}, "`qlow.clamp`",
              "bounds as attributes (6) or inputs (11 on; run-time ones: an "
              "island); of a quantized tensor, integer bounds (the real "
              "values they stand for)");
  StringRef island = "island (TOSA)";
  r.add<UnaryIsland>("LeakyRelu", {6, 16}, island,
                     "reason `no quantized kernel for LeakyRelu`");
  r.add<UnaryIsland>("Sigmoid", {6, 13}, island, "");
  r.add<UnaryIsland>("Tanh", {6, 13}, island, "");
  r.add<UnaryIsland>("HardSigmoid", {6}, island, "");
  r.add<UnaryIsland>("HardSwish", {14}, island, "");
  r.add<UnaryIsland>("Erf", {9, 13}, island, "");
  r.add<UnaryIsland>("Exp", {6, 13}, island, "").fold =
      unaryFold([](double v) { return std::exp(v); });
  r.add<UnaryIsland>("Log", {6, 13}, island, "").fold =
      unaryFold([](double v) { return std::log(v); });
  r.add<UnaryIsland>("Abs", {6, 13}, island, "").fold =
      unaryFold([](double v) { return std::fabs(v); });
  r.add<UnaryIsland>("Reciprocal", {6, 13}, island, "").fold =
      unaryFold([](double v) { return 1.0 / v; });
  r.add<UnaryIsland>("Sqrt", {6, 13}, "island (`math.sqrt`)", "").fold =
      unaryFold([](double v) { return std::sqrt(v); });
  r.add<UnaryIsland>("Floor", {6, 13}, island, "").fold =
      unaryFold([](double v) { return std::floor(v); });
  r.add<UnaryIsland>("Ceil", {6, 13}, island, "").fold =
      unaryFold([](double v) { return std::ceil(v); });
  r.add<UnaryIsland>("Round", {11}, "island (`math.roundeven`)",
                     "halves to even")
      .fold = unaryFold([](double v) { return std::nearbyint(v); });
  r.add<UnaryIsland>("Sign", {9, 13}, island, "");
  r.add<UnaryIsland>("Sin", {7}, "island (`math.sin`)", "");
  r.add<UnaryIsland>("Cos", {7}, "island (`math.cos`)", "");
  r.add<UnaryIsland>("Softsign", {1}, island, "");
  r.add<UnaryIsland>("Softplus", {1}, island, "`log(exp(x) + 1)`");
  r.add<UnaryIsland>("Mish", {18}, island, "`x tanh(softplus(x))`").standIn =
      [](const onnx::NodeProto &n, int64_t, ConstantInts) {
        return identityStandIn(n); // libonnx 1.12 has no Mish
      };
  r.add<UnaryIsland>("Elu", {6}, island, "");
  r.add<UnaryIsland>("Selu", {6}, island, "");
  r.add<UnaryIsland>("Celu", {12}, island, "");
  r.add<UnaryIsland>("ThresholdedRelu", {10}, island, "");
  r.add<PRelu>("PRelu", {7, 9, 16}, island,
               "the slope broadcast to the input (constant or not)");
  r.add<Neg>("Neg", {6, 13}, "`qlow.mul` by -1", "").fold =
      unaryFold([](double v) { return -v; });
  r.add<Pow>("Pow", {7, 12, 13, 15}, "`qlow.mul` (x^2), or island",
             "x^1 is x, x^0.5 `math.sqrt`, other exponents TOSA `pow`");
  r.add<Variadic>("Sum", {8, 13}, "`qlow.add` chain", "broadcasting");
  r.add<Variadic>("Mean", {8, 13}, "`qlow.add` chain + `qlow.mul` by 1/n",
                  "broadcasting");
  r.add<Variadic>("Max", {8, 12, 13}, "`qlow.clamp`, or island",
                  "with scalar constants: a clamp (quantizable)")
      .fold = minMaxFold(true);
  r.add<Variadic>("Min", {8, 12, 13}, "`qlow.clamp`, or island",
                  "with scalar constants: a clamp (quantizable)")
      .fold = minMaxFold(false);
  r.add<Gelu>("Gelu", {20}, "island: `mul`, `erf` or `tanh`, `add`",
              "`approximate = \"none\"`: `0.5 x (1 + erf(x / sqrt(2)))`; "
              "`\"tanh\"`: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`")
      .standIn = Gelu::standIn;
  r.add<Gelu>(kMicrosoftDomain, "Gelu", {1}, "island (erf form)",
              "ONNX Runtime's contrib op; no attributes")
      .standIn = Gelu::standIn;
  r.add<Gelu>(kMicrosoftDomain, "FastGelu", {1}, "island (tanh form)",
              "of `x + bias` (bias optional, a vector along the last "
              "dimension)")
      .standIn = Gelu::standIn;
  r.add<Gelu>(kMicrosoftDomain, "BiasGelu", {1}, "island (erf form)",
              "of `x + bias`")
      .standIn = Gelu::standIn;
}

} // namespace mlir::qlow::onnx_import
