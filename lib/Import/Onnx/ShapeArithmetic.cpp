//===- ShapeArithmetic.cpp - ONNX ops evaluated at compile time -----------===//
//
// The int64/bool arithmetic exporters put around reshapes (PyTorch's
// `x.view(x.size(0), -1)` with a dynamic batch axis: Shape, Gather,
// Unsqueeze, Concat, ...) is evaluated once the batch size is fixed: each op
// here has a fold (FoldFn) and no run-time form; a node that cannot be
// folded is an error naming it.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// The converter of an op qlow evaluates only at compile time.
struct CompileTimeOnly : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    std::string runtime;
    for (int i = 0; i < node->input_size(); ++i)
      if (has(i) && !tensor(in(i)).constant)
        runtime = in(i);
    nodeError("the value of '" + out() + "' depends on the run-time tensor '" +
              runtime + "'; qlow evaluates " + node->op_type() +
              " only at compile time (on constants and static shapes)");
  }
};

std::optional<std::vector<Literal>> one(std::optional<Literal> l) {
  if (!l)
    return std::nullopt;
  return std::vector<Literal>{std::move(*l)};
}

std::optional<std::vector<Literal>> foldShape(const FoldContext &c) {
  const SmallVector<int64_t> *shape = c.shape(0);
  if (!shape)
    return std::nullopt;
  int64_t rank = shape->size();
  // Shape-15's start and end, clamped to [0, rank].
  auto clampAxis = [&](int64_t a) {
    if (a < 0)
      a += rank;
    return std::min(std::max<int64_t>(a, 0), rank);
  };
  int64_t start = clampAxis(c.intAttr("start", 0));
  int64_t end = clampAxis(c.intAttr("end", rank));
  SmallVector<int64_t> dims(shape->begin() + start,
                            shape->begin() + std::max(start, end));
  return one(
      Literal::ofInts(dims, onnx::TensorProto::INT64, {int64_t(dims.size())}));
}

std::optional<std::vector<Literal>> foldSize(const FoldContext &c) {
  const SmallVector<int64_t> *shape = c.shape(0);
  if (!shape)
    return std::nullopt;
  int64_t n = 1;
  for (int64_t d : *shape)
    n *= d;
  return one(Literal::ofInts({n}, onnx::TensorProto::INT64, {}));
}

std::optional<std::vector<Literal>> foldConstantOfShape(const FoldContext &c) {
  const Literal *shape = c.value(0);
  if (!shape)
    return std::nullopt;
  for (int64_t d : shape->ints)
    if (d < 0)
      c.nodeError("the shape has a negative dimension");
  if (!Literal::fits(shape->ints))
    return std::nullopt;
  Literal value = Literal::ofInts({0}, onnx::TensorProto::FLOAT, {1});
  if (const onnx::AttributeProto *a = c.attr("value")) {
    std::optional<Literal> v = Literal::fromTensor(a->t());
    if (!v || v->size() != 1)
      c.nodeError("the value must be one number");
    value = *v;
  }
  Literal r = Literal::make(value.dtype, shape->ints);
  for (int64_t i = 0, n = r.size(); i < n; ++i)
    r.set(i, value.real(0));
  if (!value.isFloat())
    for (int64_t i = 0, n = r.size(); i < n; ++i)
      r.setInt(i, value.ints[0]);
  return one(r);
}

std::optional<std::vector<Literal>> foldRange(const FoldContext &c) {
  const Literal *start = c.value(0), *limit = c.value(1), *delta = c.value(2);
  if (!start || !limit || !delta)
    return std::nullopt;
  if (start->size() != 1 || limit->size() != 1 || delta->size() != 1)
    c.nodeError("start, limit and delta must be scalars");
  double s = start->real(0), l = limit->real(0), d = delta->real(0);
  if (d == 0)
    c.nodeError("delta is 0");
  double count = std::ceil((l - s) / d);
  if (!(count < double(Literal::kMaxElements)))
    return std::nullopt;
  int64_t n = std::max<int64_t>(int64_t(count), 0);
  Literal r = Literal::make(start->dtype, {n});
  for (int64_t i = 0; i < n; ++i) {
    if (start->isFloat())
      r.set(i, s + double(i) * d);
    else
      r.setInt(i, start->ints[0] + i * delta->ints[0]);
  }
  return one(r);
}

std::optional<std::vector<Literal>> foldMod(const FoldContext &c) {
  const Literal *a = c.value(0), *b = c.value(1);
  if (!a || !b)
    return std::nullopt;
  bool fmod = c.intAttr("fmod", 0) != 0;
  if (a->isFloat() && !fmod)
    c.nodeError("fmod must be 1 for floating-point inputs");
  return one(elementwiseFold(
      c, {a, b}, a->dtype,
      [](ArrayRef<double> v) { return std::fmod(v[0], v[1]); },
      [&](ArrayRef<int64_t> v) -> int64_t {
        if (v[1] == 0)
          c.nodeError("integer modulo by zero");
        int64_t r = v[0] % v[1];
        // fmod = 0: the sign of the divisor (Python's %).
        if (!fmod && r != 0 && ((r < 0) != (v[1] < 0)))
          r += v[1];
        return r;
      }));
}

/// Mod of run-time tensors: fmod = 1 the C remainder (the dividend's sign),
/// fmod = 0 the divisor's sign (Python's %), integers only.
struct Mod : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool fmod = intAttr("fmod", 0) != 0;
    int32_t dtype = elemTypeOf(out());
    SmallVector<int64_t> shape = shapeOf(out(), true);
    int64_t rank = shape.size();
    if (dtype == onnx::TensorProto::FLOAT) {
      if (!fmod)
        nodeError("fmod must be 1 for floating-point inputs");
      Value a = inputForRank(0, rank), c = inputForRank(1, rank);
      auto type = f32(shape);
      defineOutput(
          island(out(), type,
                 [&]() -> Value {
                   return elementwise(
                       type, {a, c},
                       [](OpBuilder &nb, Location l, ValueRange v) -> Value {
                         return arith::RemFOp::create(nb, l, v[0], v[1]);
                       });
                 }),
          false);
      return;
    }
    bool isUnsigned, unused;
    Value a = integersAtRank(0, rank, isUnsigned);
    Value c = integersAtRank(1, rank, unused);
    auto type = RankedTensorType::get(
        shape, cast<RankedTensorType>(a.getType()).getElementType());
    Value r = island(out(), type, [&]() -> Value {
      return elementwise(
          type, {a, c}, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
            if (isUnsigned)
              return arith::RemUIOp::create(nb, l, v[0], v[1]);
            Value rem = arith::RemSIOp::create(nb, l, v[0], v[1]);
            if (fmod)
              return rem;
            // A nonzero remainder whose sign differs from the divisor's
            // gets the divisor added.
            Value zero = arith::ConstantOp::create(
                nb, l, nb.getIntegerAttr(rem.getType(), 0));
            Value nonzero = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::ne, rem, zero);
            Value remNeg = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::slt, rem, zero);
            Value divNeg = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::slt, v[1], zero);
            Value differ = arith::XOrIOp::create(nb, l, remNeg, divNeg);
            Value fix = arith::AndIOp::create(nb, l, nonzero, differ);
            Value sum = arith::AddIOp::create(nb, l, rem, v[1]);
            return arith::SelectOp::create(nb, l, fix, sum, rem);
          });
    });
    if (dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::INT8)
      r = quant::StorageCastOp::create(
          b, loc, type.clone(makeQuantType(1.0, 0, dtype, -1)), r);
    defineOutput(r, false);
  }
};

} // namespace

void registerShapeArithmeticConverters(ConverterRegistry &r) {
  StringRef folded = "evaluated at compile time";
  r.add<CompileTimeOnly>("Shape", {1, 13, 15, 19, 21}, folded,
                         "of a tensor's static shape; `start`/`end`")
      .fold = foldShape;
  r.add<CompileTimeOnly>("Size", {1, 13, 19, 21}, folded, "").fold = foldSize;
  r.add<CompileTimeOnly>("ConstantOfShape", {9, 20, 21}, folded, "").fold =
      foldConstantOfShape;
  r.add<CompileTimeOnly>("Range", {11}, folded, "").fold = foldRange;
  r.add<Mod>("Mod", {10, 13}, "island (`arith` remainders)",
             "`fmod` 0 (the divisor's sign) and 1; on constants evaluated at "
             "compile time")
      .fold = foldMod;
}

} // namespace mlir::qlow::onnx_import
