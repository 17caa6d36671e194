//===- ReduceOps.cpp - ONNX reductions ------------------------------------===//
//
// ReduceMean over H and W of an NCHW tensor is a global average pool and
// ReduceMax over them a max pool with the whole plane as its window, so both
// quantize like the pools they are; every other reduction is TOSA in a float
// island.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

struct Reduce : NodeImporter {
  using NodeImporter::NodeImporter;

  void convert() override {
    StringRef op = node->op_type();
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x);
    int64_t rank = inShape.size();
    // Axes as an attribute, or as an input from ReduceSum-13 and the other
    // reductions' 18.
    bool axesInput = version >= (op == "ReduceSum" ? 13 : 18);
    SmallVector<int64_t> axes = axesInput ? (has(1) ? requireInts(1, "the axes")
                                                    : SmallVector<int64_t>())
                                          : intsAttr("axes", {});
    bool keepDims = intAttr("keepdims", 1) != 0;
    if (axes.empty()) {
      if (axesInput && intAttr("noop_with_empty_axes", 0)) {
        alias();
        return;
      }
      axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    }
    SmallVector<bool> reduced(rank, false);
    for (int64_t a : axes) {
      a = normalizeAxis(a, rank, "axis");
      if (reduced[a])
        nodeError("axis " + llvm::Twine(a) + " is reduced twice");
      reduced[a] = true;
    }
    bool spatial =
        rank == 4 && !reduced[0] && !reduced[1] && reduced[2] && reduced[3];
    if (spatial && (op == "ReduceMean" || op == "ReduceMax"))
      return globalPool(op == "ReduceMax", keepDims);

    // The NHWC form serves when the rank is kept.
    bool nhwc = false;
    Value v = keepDims ? anyLayout(x, nhwc) : onnxValue(x);
    auto type = cast<RankedTensorType>(v.getType());
    if (!isFloatTensor(type))
      nodeError("the input must be float");
    SmallVector<int64_t> shape(type.getShape());
    int64_t count = 1;
    SmallVector<uint32_t> layoutAxes;
    for (int64_t d = 0; d < rank; ++d)
      if (reduced[d]) {
        int64_t pos = layoutAxis(d, nhwc);
        count *= shape[pos];
        shape[pos] = 1;
        layoutAxes.push_back(uint32_t(pos));
      }
    auto kept = f32(shape);
    SmallVector<int64_t> outShape = shapeOf(y);
    auto resultType = keepDims ? kept : f32(outShape);
    Value result = island(y, resultType, [&]() -> Value {
      // One TOSA reduction per axis.
      auto reduceAll = [&](auto tag, Value t) {
        using ReduceOp = decltype(tag);
        SmallVector<int64_t> s(type.getShape());
        for (uint32_t a : layoutAxes) {
          s[a] = 1;
          t = ReduceOp::create(b, loc, f32(s), t, a);
        }
        return t;
      };
      Value r;
      if (op == "ReduceSum")
        r = reduceAll(tosa::ReduceSumOp(), v);
      else if (op == "ReduceMean")
        r = tosaMul(reduceAll(tosa::ReduceSumOp(), v),
                    tosaScalar(rank, 1.0f / float(count)), kept);
      else if (op == "ReduceMax")
        r = reduceAll(tosa::ReduceMaxOp(), v);
      else if (op == "ReduceMin")
        r = reduceAll(tosa::ReduceMinOp(), v);
      else if (op == "ReduceProd")
        r = reduceAll(tosa::ReduceProductOp(), v);
      else if (op == "ReduceL1")
        r = reduceAll(tosa::ReduceSumOp(),
                      tosa::AbsOp::create(b, loc, type, v));
      else if (op == "ReduceSumSquare" || op == "ReduceL2") {
        r = reduceAll(tosa::ReduceSumOp(), tosaMul(v, v, type));
        if (op == "ReduceL2")
          r = math::SqrtOp::create(b, loc, r);
      } else if (op == "ReduceLogSum") {
        r = tosa::LogOp::create(b, loc, kept,
                                reduceAll(tosa::ReduceSumOp(), v));
      } else { // ReduceLogSumExp, shifted by the maximum (no overflow)
        Value m = reduceAll(tosa::ReduceMaxOp(), v);
        Value e = tosa::ExpOp::create(b, loc, type,
                                      tosa::SubOp::create(b, loc, type, v, m));
        r = tosa::AddOp::create(
            b, loc, kept,
            tosa::LogOp::create(b, loc, kept,
                                reduceAll(tosa::ReduceSumOp(), e)),
            m);
      }
      return keepDims ? r : tosaReshape(r, outShape);
    });
    defineOutput(result, nhwc);
  }

private:
  /// ReduceMean / ReduceMax over H and W: [N,1,1,C] in NHWC.
  void globalPool(bool isMax, bool keepDims) {
    const std::string &y = out();
    Value pooled =
        buildGlobalPool(isMax, in(0), keepDims ? y : auxName(y, "pool"));
    if (keepDims) {
      defineOutput(pooled, true);
      return;
    }
    // [N,1,1,C] holds its elements in the order of [N,C].
    defineOutput(
        ReshapeOp::create(
            b, loc,
            cast<RankedTensorType>(pooled.getType()).clone(shapeOf(y, isMax)),
            pooled, nameAttr(y)),
        false);
  }
};

/// ArgMax and ArgMin: TOSA argmax in an island (of the negated input for
/// ArgMin; of the input reversed along the axis for select_last_index),
/// int64 indices.
struct ArgMax : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool isMin = node->op_type() == "ArgMin";
    Value x = onnxValue(in(0));
    auto type = cast<RankedTensorType>(x.getType());
    if (!isFloatTensor(type))
      nodeError("the input must be float");
    int64_t rank = type.getRank();
    int64_t axis = axisAttr("axis", 0, rank);
    // keepdims is in the inferred result shape.
    bool last = intAttr("select_last_index", 0) != 0;
    int64_t dim = type.getDimSize(axis);
    SmallVector<int64_t> reduced(type.getShape());
    reduced.erase(reduced.begin() + axis);
    SmallVector<int64_t> outShape = shapeOf(out(), true);
    auto result = RankedTensorType::get(outShape, b.getI64Type());
    defineOutput(
        island(out(), result,
               [&]() -> Value {
                 Value v = x;
                 if (isMin)
                   v = tosa::NegateOp::create(b, loc, type, v,
                                              tosaScalar(1, 0.0f),
                                              tosaScalar(1, 0.0f));
                 if (last)
                   v = tosa::ReverseOp::create(b, loc, type, v, int32_t(axis));
                 auto i32 = RankedTensorType::get(reduced, b.getI32Type());
                 Value idx =
                     tosa::ArgMaxOp::create(b, loc, i32, v, uint32_t(axis));
                 return elementwise(
                     result, {tosaReshape(idx, outShape)},
                     [&](OpBuilder &nb, Location l, ValueRange e) -> Value {
                       Value i =
                           arith::ExtSIOp::create(nb, l, nb.getI64Type(), e[0]);
                       if (!last)
                         return i;
                       Value top = arith::ConstantOp::create(
                           nb, l, nb.getI64IntegerAttr(dim - 1));
                       return arith::SubIOp::create(nb, l, top, i);
                     });
               }),
        false);
  }
};

/// TopK: k rounds of argmax, each masking out what it found, in an island;
/// the values and (int64) indices sorted, ties to the lower index.
struct TopK : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    Value x = onnxValue(in(0));
    auto type = cast<RankedTensorType>(x.getType());
    if (!isFloatTensor(type))
      nodeError("the input must be float");
    int64_t rank = type.getRank();
    int64_t axis = axisAttr("axis", -1, rank);
    int64_t k = version < 10 ? intAttr("k", 1) : requireInts(1, "k").front();
    bool largest = intAttr("largest", 1) != 0;
    if (intAttr("sorted", 1) == 0)
      nodeError("sorted = 0 is not supported");
    int64_t dim = type.getDimSize(axis);
    constexpr int64_t kMaxK = 256;
    if (k < 1 || k > dim || k > kMaxK)
      nodeError("k = " + llvm::Twine(k) + " is not supported (1 to " +
                llvm::Twine(std::min(dim, kMaxK)) + ")");
    SmallVector<int64_t> one(type.getShape());
    one[axis] = 1;
    SmallVector<int64_t> outShape(type.getShape());
    outShape[axis] = k;
    SmallVector<int64_t> iotaShape(rank, 1);
    iotaShape[axis] = dim;
    auto i32 = [&](ArrayRef<int64_t> s) {
      return RankedTensorType::get(s, b.getI32Type());
    };
    SmallVector<Type> types = {f32(outShape),
                               RankedTensorType::get(outShape, b.getI64Type())};
    SmallVector<Value> results = islandResults(out(), types, [&] {
      Value cur = x;
      if (!largest)
        cur = tosa::NegateOp::create(b, loc, type, cur, tosaScalar(1, 0.0f),
                                     tosaScalar(1, 0.0f));
      SmallVector<int32_t> iotaValues(dim);
      for (int64_t i = 0; i < dim; ++i)
        iotaValues[i] = int32_t(i);
      Value iota = tosa::ConstOp::create(
          b, loc, i32(iotaShape),
          DenseElementsAttr::get(i32(iotaShape), llvm::ArrayRef(iotaValues)));
      Value minusInf =
          tosaScalar(rank, -std::numeric_limits<float>::infinity());
      SmallVector<int64_t> reduced(type.getShape());
      reduced.erase(reduced.begin() + axis);
      SmallVector<Value> values, indices;
      for (int64_t t = 0; t < k; ++t) {
        Value idx = tosaReshape(
            tosa::ArgMaxOp::create(b, loc, i32(reduced), cur, uint32_t(axis)),
            one);
        values.push_back(
            tosa::ReduceMaxOp::create(b, loc, f32(one), cur, uint32_t(axis)));
        indices.push_back(idx);
        if (t + 1 == k)
          break;
        Value hit = tosa::EqualOp::create(
            b, loc, RankedTensorType::get(type.getShape(), b.getI1Type()), iota,
            idx);
        cur = tosa::SelectOp::create(b, loc, type, hit, minusInf, cur);
      }
      Value v = values.size() == 1
                    ? values[0]
                    : tosa::ConcatOp::create(b, loc, f32(outShape), values,
                                             int32_t(axis))
                          .getResult();
      if (!largest)
        v = tosa::NegateOp::create(b, loc, f32(outShape), v,
                                   tosaScalar(1, 0.0f), tosaScalar(1, 0.0f));
      Value idx = indices.size() == 1
                      ? indices[0]
                      : tosa::ConcatOp::create(b, loc, i32(outShape), indices,
                                               int32_t(axis))
                            .getResult();
      Value idx64 = elementwise(
          cast<RankedTensorType>(types[1]), {idx},
          [](OpBuilder &nb, Location l, ValueRange e) -> Value {
            return arith::ExtSIOp::create(nb, l, nb.getI64Type(), e[0]);
          });
      return SmallVector<Value>{v, idx64};
    });
    defineOutput(results[0], false);
    if (hasOutput(1))
      define(out(1), results[1], false);
  }
};

} // namespace

void registerReduceConverters(ConverterRegistry &r) {
  StringRef island = "island (TOSA reductions)";
  StringRef axes = "`axes` as attribute or (13 for ReduceSum, 18 for the "
                   "others) constant input, `keepdims`, "
                   "`noop_with_empty_axes`";
  // ReduceSum takes its axes as an input from 13, libonnx knows that; the
  // others from 18, shown to libonnx as their version 13.
  StandInFn axes18 = axesInputToAttribute(18);
  r.add<Reduce>("ReduceMean", {1, 11, 13, 18},
                "`qlow.global_avg_pool` over H,W of NCHW; else island", axes)
      .standIn = axes18;
  r.add<Reduce>("ReduceMax", {1, 11, 12, 13, 18, 20},
                "`qlow.max_pool2d` over H,W of NCHW; else island", axes)
      .standIn = axes18;
  r.add<Reduce>("ReduceSum", {1, 11, 13}, island, axes);
  for (StringRef op : {"ReduceMin"})
    r.add<Reduce>(op, {1, 11, 12, 13, 18, 20}, island, axes).standIn = axes18;
  for (StringRef op : {"ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
                       "ReduceLogSum", "ReduceLogSumExp"})
    r.add<Reduce>(op, {1, 11, 13, 18}, island, axes).standIn = axes18;
  r.add<ArgMax>("ArgMax", {1, 11, 12, 13}, "island (TOSA `argmax`)",
                "int64 indices; `keepdims`, `select_last_index`");
  r.add<ArgMax>("ArgMin", {1, 11, 12, 13}, "island (TOSA `argmax` of -x)",
                "int64 indices; `keepdims`, `select_last_index`");
  r.add<TopK>("TopK", {1, 10, 11}, "island: k rounds of `argmax`",
              "constant k up to 256; `largest`, sorted results, ties to the "
              "lower index")
      .outputs = 2;
}

} // namespace mlir::qlow::onnx_import
