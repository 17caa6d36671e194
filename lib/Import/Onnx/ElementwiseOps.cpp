//===- ElementwiseOps.cpp - ONNX element-wise ops and activations ---------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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
};

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
};

/// The activations qlow has no quantized kernel for: TOSA in an island.
struct UnaryIsland : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    StringRef op = node->op_type();
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    Value result = island(out(), type, [&]() -> Value {
      if (op == "Sigmoid")
        return tosa::SigmoidOp::create(b, loc, type, x);
      if (op == "Tanh")
        return tosa::TanhOp::create(b, loc, type, x);
      if (op == "Erf")
        return tosa::ErfOp::create(b, loc, type, x);
      if (op == "LeakyRelu") {
        // max(x, 0) + alpha * min(x, 0)
        float alpha = floatAttr("alpha", 0.01f);
        Value zero = tosaScalar(rank, 0.0f);
        Value pos = tosa::MaximumOp::create(b, loc, type, x, zero);
        Value neg = tosa::MinimumOp::create(b, loc, type, x, zero);
        Value scaled = tosaMul(neg, tosaScalar(rank, alpha), type);
        return tosa::AddOp::create(b, loc, type, pos, scaled);
      }
      // HardSigmoid: clamp(alpha * x + beta, 0, 1); HardSwish: x * that
      // with alpha = 1/6, beta = 1/2.
      bool swish = op == "HardSwish";
      float alpha = swish ? 1.0f / 6.0f : floatAttr("alpha", 0.2f);
      float beta = swish ? 0.5f : floatAttr("beta", 0.5f);
      Value ax = tosaMul(x, tosaScalar(rank, alpha), type);
      Value axb = tosa::AddOp::create(b, loc, type, ax, tosaScalar(rank, beta));
      Value hs = tosa::ClampOp::create(
          b, loc, type, axb, b.getF32FloatAttr(0.0f), b.getF32FloatAttr(1.0f));
      return swish ? tosaMul(x, hs, type) : hs;
    });
    defineOutput(result, nhwc);
  }
};

/// ai.onnx Gelu (approximate = "none" | "tanh"), com.microsoft Gelu (erf),
/// FastGelu (tanh, optional bias) and BiasGelu (erf, bias). libonnx 1.12 has
/// no schema for any of them: while it checks and infers the model, each is
/// shown as an Identity of its first input (they are element-wise), and
/// qlow checks them itself.
struct Gelu : NodeImporter {
  using NodeImporter::NodeImporter;

  /// Checks the input count (libonnx cannot) and gives the stand-in.
  static std::optional<onnx::NodeProto> standIn(const onnx::NodeProto &n,
                                                int64_t) {
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
    onnx::NodeProto identity;
    identity.set_name(n.name());
    identity.set_op_type("Identity");
    identity.add_input(n.input(0));
    identity.add_output(n.output(0));
    return identity;
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
              "bounds as attributes (6) or constant inputs (11 on); of a "
              "quantized tensor, integer bounds (the real values they stand "
              "for)");
  r.add<UnaryIsland>("LeakyRelu", {6, 16}, "island (TOSA)",
                     "reason `no quantized kernel for LeakyRelu`");
  r.add<UnaryIsland>("Sigmoid", {6, 13}, "island (TOSA)", "");
  r.add<UnaryIsland>("Tanh", {6, 13}, "island (TOSA)", "");
  r.add<UnaryIsland>("HardSigmoid", {6}, "island (TOSA)", "");
  r.add<UnaryIsland>("HardSwish", {14}, "island (TOSA)", "");
  r.add<UnaryIsland>("Erf", {9, 13}, "island (TOSA)", "");
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
