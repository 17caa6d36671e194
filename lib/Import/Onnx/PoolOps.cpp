//===- PoolOps.cpp - ONNX pooling -----------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// MaxPool and AveragePool, 2-D.
struct Pool : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool isMax = node->op_type() == "MaxPool";
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x, isMax),
                         outShape = shapeOf(y, isMax);
    if (inShape.size() != 4)
      nodeError("only 2-D pooling (NCHW inputs) is supported");
    SmallVector<int64_t> kernel = intsAttr("kernel_shape", {});
    SmallVector<int64_t> strides = intsAttr("strides", {1, 1});
    SmallVector<int64_t> dilations = intsAttr("dilations", {1, 1});
    if (kernel.size() != 2 || strides.size() != 2)
      nodeError("kernel_shape and strides must have 2 entries");
    if (dilations != SmallVector<int64_t>{1, 1})
      nodeError("dilated pooling is not supported");
    if (intAttr("storage_order", 0) != 0)
      nodeError("storage_order = 1 is not supported");
    SmallVector<int64_t> padding =
        windowPadding({inShape[2], inShape[3]}, kernel, strides, dilations);
    // ceil_mode: extra padding at the end makes the last partial window.
    int64_t extra[2];
    for (int i = 0; i < 2; ++i) {
      int64_t covered = inShape[2 + i] + padding[2 * i] + padding[2 * i + 1];
      extra[i] = std::max<int64_t>(0, (outShape[2 + i] - 1) * strides[i] +
                                          kernel[i] - covered);
      padding[2 * i + 1] += extra[i];
    }
    bool countPad = intAttr("count_include_pad", 0) != 0;
    bool padded = llvm::any_of(padding, [](int64_t p) { return p != 0; });
    Value input = nhwcValue(x);
    // MaxPool may read quantized data (QOperator models): it keeps its type.
    RankedTensorType type =
        cast<RankedTensorType>(input.getType()).clone(toNHWC(outShape));
    Value result;
    if (!isMax && countPad && padded) {
      // Padding counts as zeros: a depthwise convolution with weights
      // 1/(kh*kw) over the zero-padded input.
      if (extra[0] || extra[1])
        nodeError("ceil_mode with count_include_pad = 1 is not supported");
      int64_t c = inShape[1];
      auto wType = f32({c, kernel[0], kernel[1], 1});
      Value w = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(wType, 1.0f / float(kernel[0] * kernel[1])));
      result =
          Conv2DOp::create(b, loc, type, input, w, Value(), strides, padding,
                           dilations, c, FloatAttr(), FloatAttr(), nameAttr(y));
    } else {
      if (padding[0] >= kernel[0] || padding[1] >= kernel[0] ||
          padding[2] >= kernel[1] || padding[3] >= kernel[1])
        nodeError("padding as large as the kernel is not supported");
      if (isMax)
        result = MaxPool2DOp::create(b, loc, type, input, kernel, strides,
                                     padding, nameAttr(y));
      else
        result = AvgPool2DOp::create(b, loc, type, input, kernel, strides,
                                     padding, nameAttr(y));
    }
    defineOutput(result, true);
  }
};

/// GlobalAveragePool and GlobalMaxPool (a max pool whose window is the
/// whole plane).
struct GlobalPool : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    defineOutput(
        buildGlobalPool(node->op_type() == "GlobalMaxPool", in(0), out()),
        true);
  }
};

} // namespace

void registerPoolConverters(ConverterRegistry &r) {
  r.add<Pool>("MaxPool", {1, 8, 10, 11, 12}, "`qlow.max_pool2d`",
              "`ceil_mode` (extra end padding), `auto_pad`; no dilation, "
              "`storage_order` 0, no Indices output; keeps a quantized "
              "input's type");
  r.add<Pool>("AveragePool", {7, 10, 11, 19},
              "`qlow.avg_pool2d`, or `qlow.conv2d`",
              "`count_include_pad=1` with padding: depthwise conv with "
              "weights `1/(kh*kw)` over the zero-padded input (not with "
              "`ceil_mode`); no dilation")
      .standIn = [](const onnx::NodeProto &n, int64_t version,
                    ConstantInts constants) -> std::optional<StandIn> {
    // AveragePool-19's dilations (which qlow rejects unless all 1).
    if (version < 19)
      return std::nullopt;
    for (const onnx::AttributeProto &a : n.attribute())
      if (a.name() == "dilations")
        for (int64_t d : a.ints())
          if (d != 1)
            fail("dilated pooling is not supported (" + describe(n) + ")");
    return StandIn(withoutAttributes(n, {"dilations"}));
  };
  r.add<GlobalPool>("GlobalAveragePool", {1}, "`qlow.global_avg_pool`", "NCHW");
  r.add<GlobalPool>("GlobalMaxPool", {1}, "`qlow.max_pool2d`",
                    "NCHW; a window of the whole plane (keeps a quantized "
                    "input's type)");
}

} // namespace mlir::qlow::onnx_import
