//===- UnaryTables.cpp - 8-bit lookup tables of float islands -------------===//
#include "qlow/Transforms/UnaryTables.h"

#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// The splat value of a constant, or nullopt.
std::optional<double> splatValue(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  if (isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().convertToDouble();
  if (attr.getElementType().isInteger(1))
    return attr.getSplatValue<bool>() ? 1.0 : 0.0;
  return double(attr.getSplatValue<APInt>().getSExtValue());
}

/// True for the operands an island reads that are constants.
bool isConstant(Value v) { return matchPattern(v, m_Constant()); }

double erfOf(double x) { return std::erf(x); }

/// A value's elements at the evaluation points.
using Lanes = std::vector<double>;

} // namespace

Value mlir::qlow::getUnaryIslandInput(FloatIslandOp island) {
  if (island->getNumResults() != 1)
    return Value();
  auto resultType = dyn_cast<RankedTensorType>(island->getResult(0).getType());
  if (!resultType || !resultType.getElementType().isF32())
    return Value();
  Value input;
  Block &body = island.getBody().front();
  for (Operation &op : body)
    for (Value operand : op.getOperands()) {
      if (operand.getParentBlock() == &body || isConstant(operand))
        continue;
      if (input && operand != input)
        return Value(); // a second tensor
      input = operand;
    }
  if (!input || input.getType() != resultType)
    return Value();
  return input;
}

std::optional<std::vector<double>>
mlir::qlow::evaluateUnaryIsland(FloatIslandOp island, ArrayRef<double> xs) {
  Value input = getUnaryIslandInput(island);
  if (!input)
    return std::nullopt;
  size_t n = xs.size();
  // Every value as lanes (a splat constant as n equal lanes).
  DenseMap<Value, Lanes> lanes;
  lanes[input] = Lanes(xs.begin(), xs.end());
  auto get = [&](Value v) -> const Lanes * {
    if (auto it = lanes.find(v); it != lanes.end())
      return &it->second;
    if (std::optional<double> c = splatValue(v))
      return &(lanes[v] = Lanes(n, *c));
    return nullptr;
  };
  Block &body = island.getBody().front();
  for (Operation &op : body) {
    if (isa<YieldOp>(op))
      break;
    if (op.getNumResults() != 1)
      return std::nullopt;
    if (isConstant(op.getResult(0))) {
      if (!splatValue(op.getResult(0)))
        return std::nullopt; // a non-splat constant: not element-wise alone
      continue;
    }
    StringRef name = op.getName().getStringRef();
    SmallVector<const Lanes *> ins;
    for (Value v : op.getOperands()) {
      // TOSA's mul has an i8 shift operand; negate has zero points.
      if (!isa<FloatType>(getElementTypeOrSelf(v.getType())) &&
          !getElementTypeOrSelf(v.getType()).isInteger(1))
        continue;
      const Lanes *l = get(v);
      if (!l)
        return std::nullopt;
      ins.push_back(l);
    }
    auto unary = [&](auto fn) -> std::optional<Lanes> {
      if (ins.size() != 1)
        return std::nullopt;
      Lanes r(n);
      for (size_t i = 0; i < n; ++i)
        r[i] = fn((*ins[0])[i]);
      return r;
    };
    auto binary = [&](auto fn) -> std::optional<Lanes> {
      if (ins.size() != 2)
        return std::nullopt;
      Lanes r(n);
      for (size_t i = 0; i < n; ++i)
        r[i] = fn((*ins[0])[i], (*ins[1])[i]);
      return r;
    };
    std::optional<Lanes> r;
    if (name == "tosa.sigmoid")
      r = unary([](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    else if (name == "tosa.tanh")
      r = unary([](double x) { return std::tanh(x); });
    else if (name == "tosa.erf")
      r = unary(erfOf);
    else if (name == "tosa.exp")
      r = unary([](double x) { return std::exp(x); });
    else if (name == "tosa.log")
      r = unary([](double x) { return std::log(x); });
    else if (name == "tosa.abs" || name == "math.absf")
      r = unary([](double x) { return std::fabs(x); });
    else if (name == "tosa.negate")
      r = unary([](double x) { return -x; });
    else if (name == "tosa.reciprocal")
      r = unary([](double x) { return 1.0 / x; });
    else if (name == "tosa.rsqrt")
      r = unary([](double x) { return 1.0 / std::sqrt(x); });
    else if (name == "tosa.floor")
      r = unary([](double x) { return std::floor(x); });
    else if (name == "tosa.ceil")
      r = unary([](double x) { return std::ceil(x); });
    else if (name == "math.sqrt")
      r = unary([](double x) { return std::sqrt(x); });
    else if (name == "math.roundeven")
      r = unary([](double x) { return std::nearbyint(x); });
    else if (name == "math.sin")
      r = unary([](double x) { return std::sin(x); });
    else if (name == "math.cos")
      r = unary([](double x) { return std::cos(x); });
    else if (name == "tosa.clamp") {
      auto lo = dyn_cast_or_null<FloatAttr>(op.getAttr("min_val"));
      auto hi = dyn_cast_or_null<FloatAttr>(op.getAttr("max_val"));
      if (lo && hi) {
        double a = lo.getValueAsDouble(), c = hi.getValueAsDouble();
        r = unary([&](double x) { return std::min(std::max(x, a), c); });
      }
    } else if (name == "tosa.mul" || name == "arith.mulf")
      r = binary([](double a, double b) { return a * b; });
    else if (name == "tosa.add" || name == "arith.addf")
      r = binary([](double a, double b) { return a + b; });
    else if (name == "tosa.sub" || name == "arith.subf")
      r = binary([](double a, double b) { return a - b; });
    else if (name == "arith.divf")
      r = binary([](double a, double b) { return a / b; });
    else if (name == "tosa.maximum")
      r = binary([](double a, double b) { return std::max(a, b); });
    else if (name == "tosa.minimum")
      r = binary([](double a, double b) { return std::min(a, b); });
    else if (name == "tosa.pow")
      r = binary([](double a, double b) { return std::pow(a, b); });
    else if (name == "tosa.greater")
      r = binary([](double a, double b) { return double(a > b); });
    else if (name == "tosa.greater_equal")
      r = binary([](double a, double b) { return double(a >= b); });
    else if (name == "tosa.equal")
      r = binary([](double a, double b) { return double(a == b); });
    else if (name == "tosa.select" && ins.size() == 3) {
      r = Lanes(n);
      for (size_t i = 0; i < n; ++i)
        (*r)[i] = (*ins[0])[i] != 0 ? (*ins[1])[i] : (*ins[2])[i];
    }
    if (!r)
      return std::nullopt;
    lanes[op.getResult(0)] = std::move(*r);
  }
  auto yield = cast<YieldOp>(body.getTerminator());
  const Lanes *result = get(yield.getValues()[0]);
  if (!result)
    return std::nullopt;
  return *result;
}

std::optional<SmallVector<int32_t>>
mlir::qlow::tabulateUnaryIsland(FloatIslandOp island,
                                quant::UniformQuantizedType in,
                                quant::UniformQuantizedType out) {
  int64_t qmin = in.getStorageTypeMin(), qmax = in.getStorageTypeMax();
  std::vector<double> xs;
  for (int64_t q = qmin; q <= qmax; ++q)
    xs.push_back(double(::qlow::ref::dequantize(
        int32_t(q), float(in.getScale()), int32_t(in.getZeroPoint()))));
  std::optional<std::vector<double>> ys = evaluateUnaryIsland(island, xs);
  if (!ys)
    return std::nullopt;
  SmallVector<int32_t> table;
  for (double y : *ys)
    table.push_back(::qlow::ref::quantize(
        float(y), float(out.getScale()), int32_t(out.getZeroPoint()),
        int32_t(out.getStorageTypeMin()), int32_t(out.getStorageTypeMax())));
  return table;
}

bool mlir::qlow::isTabulatableIsland(FloatIslandOp island) {
  if (auto p = island->getAttrOfType<StringAttr>(kPrecisionAttr);
      p && p.getValue() != "int8")
    return false;
  return evaluateUnaryIsland(island, {0.0}).has_value();
}
