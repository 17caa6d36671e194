//===- LogicOps.cpp - ONNX comparisons, logic and Where -------------------===//
//
// On constants (shape arithmetic, masks) these fold; on run-time tensors
// they are TOSA in float islands: comparisons of float tensors give i1
// masks, Where selects between float tensors by a mask.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

std::optional<std::vector<Literal>> one(std::optional<Literal> l) {
  if (!l)
    return std::nullopt;
  return std::vector<Literal>{std::move(*l)};
}

/// Comparisons and logic: a bool result of `f` on the first and the last
/// input (one and the same for Not), exact on int64 as on floats.
template <typename F>
std::optional<std::vector<Literal>> foldPredicate(const FoldContext &c, F f) {
  SmallVector<const Literal *> ins;
  for (int i = 0; i < c.inputCount(); ++i)
    ins.push_back(c.value(i));
  return one(elementwiseFold(
      c, ins, onnx::TensorProto::BOOL,
      [&](ArrayRef<double> v) { return double(f(v[0], v.back())); },
      [&](ArrayRef<int64_t> v) { return int64_t(f(v[0], v.back())); }));
}

std::optional<std::vector<Literal>> foldWhere(const FoldContext &c) {
  const Literal *cond = c.value(0), *x = c.value(1), *y = c.value(2);
  if (!cond || !x || !y)
    return std::nullopt;
  if (x->dtype != y->dtype)
    c.nodeError("X and Y have different element types");
  return one(elementwiseFold(
      c, {cond, x, y}, x->dtype,
      [](ArrayRef<double> v) { return v[0] != 0 ? v[1] : v[2]; },
      [](ArrayRef<int64_t> v) { return v[0] != 0 ? v[1] : v[2]; }));
}

/// The run-time form: one island with the TOSA comparison, logic op or
/// select, every operand broadcast to the result's rank.
struct Logic : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    StringRef op = node->op_type();
    SmallVector<int64_t> outShape = shapeOf(out(), true);
    int64_t rank = outShape.size();
    SmallVector<Value> ops;
    for (int i = 0; i < node->input_size(); ++i)
      ops.push_back(operand(i, rank));
    bool isWhere = op == "Where";
    Type elem = isWhere
                    ? cast<RankedTensorType>(ops[1].getType()).getElementType()
                    : b.getI1Type();
    if (isWhere && ops[1].getType() != ops[2].getType() &&
        cast<RankedTensorType>(ops[2].getType()).getElementType() != elem)
      nodeError("X and Y have different element types");
    auto type = RankedTensorType::get(outShape, elem);
    defineOutput(
        island(
            out(), type,
            [&]() -> Value {
              if (op == "Equal")
                return tosa::EqualOp::create(b, loc, type, ops[0], ops[1]);
              if (op == "Greater")
                return tosa::GreaterOp::create(b, loc, type, ops[0], ops[1]);
              if (op == "Less")
                return tosa::GreaterOp::create(b, loc, type, ops[1], ops[0]);
              if (op == "GreaterOrEqual")
                return tosa::GreaterEqualOp::create(b, loc, type, ops[0],
                                                    ops[1]);
              if (op == "LessOrEqual")
                return tosa::GreaterEqualOp::create(b, loc, type, ops[1],
                                                    ops[0]);
              if (op == "Not")
                return tosa::LogicalNotOp::create(b, loc, type, ops[0]);
              if (op == "And")
                return tosa::LogicalAndOp::create(b, loc, type, ops[0], ops[1]);
              if (op == "Or")
                return tosa::LogicalOrOp::create(b, loc, type, ops[0], ops[1]);
              if (op == "Xor")
                return tosa::LogicalXorOp::create(b, loc, type, ops[0], ops[1]);
              return tosa::SelectOp::create(b, loc, type, ops[0], ops[1],
                                            ops[2]);
            }),
        false);
  }

private:
  /// Input `i` at `rank` (leading 1s): a float or bool tensor, a constant
  /// of either.
  Value operand(int i, int64_t rank) {
    if (DenseElementsAttr c = constantOf(i)) {
      if (isa<FloatType>(c.getElementType()))
        return materialize(constantForRank(c, rank, false));
      int32_t dtype = elemTypeOf(in(i));
      if (dtype != onnx::TensorProto::BOOL)
        nodeError("integer operands are supported only on constants");
      auto type = c.getType();
      SmallVector<int64_t> shape(rank - type.getRank(), 1);
      llvm::append_range(shape, type.getShape());
      SmallVector<bool> bits;
      for (int64_t v : intsOf(c))
        bits.push_back(v != 0);
      return arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get(shape, b.getI1Type()),
                                 llvm::ArrayRef(bits)));
    }
    Value v = onnxValue(in(i));
    auto type = cast<RankedTensorType>(v.getType());
    if (isQuantized(type))
      nodeError("operand '" + in(i) +
                "' is quantized; comparisons and "
                "selections run on float tensors");
    if (type.getRank() == rank)
      return v;
    SmallVector<int64_t> shape(rank - type.getRank(), 1);
    llvm::append_range(shape, type.getShape());
    return named(ReshapeOp::create(b, loc, type.clone(shape), v, StringAttr()),
                 auxName(in(i), "bcast"));
  }
};

} // namespace

void registerLogicConverters(ConverterRegistry &r) {
  StringRef folded = "island (TOSA)";
  StringRef notes = "on constants: evaluated at compile time";
  r.add<Logic>("Equal", {7, 11, 13, 19}, folded, notes).fold =
      [](const FoldContext &c) {
        return foldPredicate(c, [](auto a, auto b) { return a == b; });
      };
  r.add<Logic>("Less", {7, 9, 13}, folded, notes).fold =
      [](const FoldContext &c) {
        return foldPredicate(c, [](auto a, auto b) { return a < b; });
      };
  r.add<Logic>("LessOrEqual", {12, 16}, folded, notes).fold =
      [](const FoldContext &c) {
        return foldPredicate(c, [](auto a, auto b) { return a <= b; });
      };
  r.add<Logic>("Greater", {7, 9, 13}, folded, notes).fold =
      [](const FoldContext &c) {
        return foldPredicate(c, [](auto a, auto b) { return a > b; });
      };
  r.add<Logic>("GreaterOrEqual", {12, 16}, folded, notes).fold =
      [](const FoldContext &c) {
        return foldPredicate(c, [](auto a, auto b) { return a >= b; });
      };
  r.add<Logic>("Not", {1}, folded, notes).fold = [](const FoldContext &c) {
    return foldPredicate(c, [](auto a, auto) { return a == 0; });
  };
  r.add<Logic>("And", {7}, folded, notes).fold = [](const FoldContext &c) {
    return foldPredicate(c, [](auto a, auto b) { return a != 0 && b != 0; });
  };
  r.add<Logic>("Or", {7}, folded, notes).fold = [](const FoldContext &c) {
    return foldPredicate(c, [](auto a, auto b) { return a != 0 || b != 0; });
  };
  r.add<Logic>("Where", {9, 16}, folded, notes).fold = foldWhere;
  r.add<Logic>("Xor", {7}, folded, notes).fold = [](const FoldContext &c) {
    return foldPredicate(c,
                         [](auto a, auto b) { return (a != 0) != (b != 0); });
  };
}

} // namespace mlir::qlow::onnx_import
