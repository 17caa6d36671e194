//===- NormOps.cpp - ONNX normalizations and softmax ----------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// Softmax over one axis (13 on), or before 13 over the input coerced to
/// 2-D at `axis` (default 1): over every axis from `axis` on.
struct Softmax : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    Value x = onnxValue(in(0));
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = axisAttr("axis", version < 13 ? 1 : -1, rank);
    int64_t last = version < 13 ? rank - 1 : axis;
    SmallVector<int64_t> reduced(type.getShape());
    for (int64_t i = axis; i <= last; ++i)
      reduced[i] = 1;
    auto rtype = f32(reduced);
    // Reduces over axes [axis, last] one at a time.
    auto reduce = [&](auto tag, Value v) {
      using ReduceOp = decltype(tag);
      SmallVector<int64_t> shape(type.getShape());
      for (int64_t i = axis; i <= last; ++i) {
        shape[i] = 1;
        v = ReduceOp::create(b, loc, f32(shape), v, uint32_t(i));
      }
      return v;
    };
    defineOutput(island(out(), type,
                        [&]() -> Value {
                          Value m = reduce(tosa::ReduceMaxOp(), x);
                          Value d = tosa::SubOp::create(b, loc, type, x, m);
                          Value e = tosa::ExpOp::create(b, loc, type, d);
                          Value sum = reduce(tosa::ReduceSumOp(), e);
                          Value r =
                              tosa::ReciprocalOp::create(b, loc, rtype, sum);
                          return tosaMul(e, r, type);
                        }),
                 false);
  }
};

struct BatchNormalization : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    if (version < 9 && intAttr("spatial", 1) != 1)
      nodeError("spatial = 0 (statistics per element) is not supported");
    const std::string &x = in(0), &y = out();
    if (intAttr("training_mode", 0) != 0)
      nodeError("training_mode = 1 is not supported (inference only)");
    SmallVector<int64_t> shape = shapeOf(x);
    if (shape.size() != 4 && shape.size() != 2)
      nodeError("BatchNormalization supports [N,C,H,W] and [N,C] inputs");
    SmallVector<Value> params;
    for (int i = 1; i <= 4; ++i) {
      if (DenseElementsAttr c = constantOf(i))
        params.push_back(materialize(c));
      else
        params.push_back(onnxValue(in(i)));
      if (cast<RankedTensorType>(params.back().getType()).getRank() != 1)
        nodeError("the parameters must have rank 1");
    }
    bool nhwc = shape.size() == 4;
    Value input = nhwc ? nhwcValue(x) : onnxValue(x);
    float epsilon = floatAttr("epsilon", 1e-5f);
    defineOutput(BatchNormOp::create(b, loc, input.getType(), input, params[0],
                                     params[1], params[2], params[3],
                                     b.getF32FloatAttr(epsilon), nameAttr(y)),
                 nhwc);
  }
};

struct LayerNormalization : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &y = out();
    Value x = onnxValue(in(0));
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = axisAttr("axis", -1, rank);
    float epsilon = floatAttr("epsilon", 1e-5f);
    int64_t stash = intAttr("stash_type", onnx::TensorProto::FLOAT);
    if (stash != onnx::TensorProto::FLOAT)
      nodeError("stash_type = " + llvm::Twine(stash) + " (" +
                dataTypeName(int32_t(stash)) +
                ") is not supported: qlow computes the mean and the variance "
                "in float32 (stash_type = 1)");
    Value scale = has(1) ? inputForRank(1, rank) : Value();
    Value bias = has(2) ? inputForRank(2, rank) : Value();
    int64_t count = 1;
    SmallVector<int64_t> reduced(type.getShape());
    for (int64_t i = axis; i < rank; ++i) {
      count *= reduced[i];
      reduced[i] = 1;
    }
    // Y, and the optional Mean and InvStdDev (the input's shape with the
    // normalized axes set to 1), when the node names them.
    auto rtype = f32(reduced);
    SmallVector<Type> types = {type};
    for (int i = 1; i <= 2; ++i)
      if (hasOutput(i))
        types.push_back(rtype);
    SmallVector<Value> results = islandResults(y, types, [&] {
      auto sum = [&](Value v) {
        SmallVector<int64_t> s(type.getShape());
        for (int64_t i = axis; i < rank; ++i) {
          s[i] = 1;
          v = tosa::ReduceSumOp::create(b, loc, f32(s), v, uint32_t(i));
        }
        return v;
      };
      Value invN = tosaScalar(rank, 1.0f / float(count));
      Value mean = tosaMul(sum(x), invN, rtype);
      Value d = tosa::SubOp::create(b, loc, type, x, mean);
      Value var = tosaMul(sum(tosaMul(d, d, type)), invN, rtype);
      Value ve =
          tosa::AddOp::create(b, loc, rtype, var, tosaScalar(rank, epsilon));
      Value inv = tosa::RsqrtOp::create(b, loc, rtype, ve);
      Value y = tosaMul(d, inv, type);
      if (scale)
        y = tosaMul(y, scale, type);
      if (bias)
        y = tosa::AddOp::create(b, loc, type, y, bias);
      SmallVector<Value> yielded = {y};
      if (hasOutput(1))
        yielded.push_back(mean);
      if (hasOutput(2))
        yielded.push_back(inv);
      return yielded;
    });
    defineOutput(results[0], false);
    for (int i = 1, r = 1; i <= 2; ++i)
      if (hasOutput(i))
        define(out(i), results[r++], false);
  }
};

/// InstanceNormalization: per sample and channel, over the spatial axes, in
/// an island (on the NHWC form of a rank-4 tensor); scale and bias per
/// channel.
struct InstanceNormalization : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    SmallVector<int64_t> shape = shapeOf(in(0));
    int64_t rank = shape.size();
    if (rank < 3)
      nodeError("the input must have rank 3 or more ([N, C, D...])");
    bool nhwc = rank == 4;
    Value x = nhwc ? nhwcValue(in(0)) : onnxValue(in(0));
    auto type = cast<RankedTensorType>(x.getType());
    int64_t c = shape[1], cpos = layoutAxis(1, nhwc);
    float epsilon = floatAttr("epsilon", 1e-5f);
    // The spatial axes of the layout, and the per-channel parameters
    // broadcast along the channel axis.
    SmallVector<int64_t> spatial;
    int64_t count = 1;
    for (int64_t d = 2; d < rank; ++d) {
      spatial.push_back(layoutAxis(d, nhwc));
      count *= shape[d];
    }
    SmallVector<int64_t> paramShape(rank, 1);
    paramShape[cpos] = c;
    auto param = [&](int i, StringRef what) -> Value {
      DenseElementsAttr v = constantOf(i);
      SmallVector<int64_t> dims =
          v ? SmallVector<int64_t>(v.getType().getShape()) : shapeOf(in(i));
      int64_t n = 1;
      for (int64_t d : dims)
        n *= d;
      if (n != c)
        nodeError(what + " must have one value per channel");
      if (v)
        return materialize(v.reshape(f32(paramShape)));
      return named(ReshapeOp::create(b, loc, f32(paramShape), onnxValue(in(i)),
                                     StringAttr()),
                   auxName(in(i), "bcast"));
    };
    Value scale = param(1, "the scale"), bias = param(2, "the bias");
    SmallVector<int64_t> reduced(type.getShape());
    for (int64_t a : spatial)
      reduced[a] = 1;
    auto rtype = f32(reduced);
    defineOutput(island(out(), type,
                        [&]() -> Value {
                          auto sum = [&](Value v) {
                            SmallVector<int64_t> s(type.getShape());
                            for (int64_t a : spatial) {
                              s[a] = 1;
                              v = tosa::ReduceSumOp::create(b, loc, f32(s), v,
                                                            uint32_t(a));
                            }
                            return v;
                          };
                          Value invN = tosaScalar(rank, 1.0f / float(count));
                          Value mean = tosaMul(sum(x), invN, rtype);
                          Value d = tosa::SubOp::create(b, loc, type, x, mean);
                          Value var =
                              tosaMul(sum(tosaMul(d, d, type)), invN, rtype);
                          Value inv = tosa::RsqrtOp::create(
                              b, loc, rtype,
                              tosa::AddOp::create(b, loc, rtype, var,
                                                  tosaScalar(rank, epsilon)));
                          Value y = tosaMul(tosaMul(d, inv, type), scale, type);
                          return tosa::AddOp::create(b, loc, type, y, bias);
                        }),
                 nhwc);
  }
};

} // namespace

void registerNormConverters(ConverterRegistry &r) {
  r.add<Softmax>("Softmax", {1, 11, 13},
                 "island: `reduce_max`, `sub`, `exp`, `reduce_sum`, "
                 "`reciprocal`, `mul`",
                 "before 13: over the input coerced to 2-D at `axis`");
  r.add<BatchNormalization>("BatchNormalization", {7, 9, 14, 15},
                            "`qlow.batch_norm`",
                            "inference only, `[N,C,H,W]` or `[N,C]`; "
                            "`qlow-fold-batch-norm` folds it into the conv");
  r.add<LayerNormalization>("LayerNormalization", {17},
                            "island: `reduce_sum`, `sub`, `mul`, `rsqrt`, ...",
                            "the optional outputs `Mean` and `InvStdDev` are "
                            "more results of the island; `stash_type` must "
                            "be 1 (float32)")
      .outputs = 3;
  r.add<InstanceNormalization>("InstanceNormalization", {1, 6},
                               "island: `reduce_sum`, `sub`, `mul`, `rsqrt`",
                               "over the spatial axes, NHWC for rank 4; "
                               "scale and bias per channel");
}

} // namespace mlir::qlow::onnx_import
