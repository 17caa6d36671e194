//===- ConvOps.cpp - ONNX convolutions ------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

struct Conv : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    if (shapeOf(in(0)).size() != 4)
      nodeError("only 2-D convolutions (NCHW inputs) are supported, got rank " +
                llvm::Twine(shapeOf(in(0)).size()));
    Value input = nhwcValue(in(0));
    Value filter = weightValue(1, kToNHWC, "the weights of Conv");
    Value bias = has(2) ? biasValue(2, "the bias of Conv") : Value();
    defineOutput(buildConv(in(0), input, filter, bias, out()),
                 /*isNHWC=*/true);
  }
};

/// ConvTranspose as a convolution: the input with stride-1 zeros between
/// its pixels (a strided insert into zeros, in an island: it only moves
/// values), padded by dilation * (kernel - 1) - pads (cropped where that is
/// negative), convolved with the flipped kernel whose in/out channels are
/// swapped per group. So it runs on qlow's convolution kernels, INT8
/// included.
struct ConvTranspose : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x), outShape = shapeOf(y);
    if (inShape.size() != 4)
      nodeError("only 2-D transposed convolutions (NCHW inputs) are "
                "supported, got rank " +
                llvm::Twine(inShape.size()));
    DenseElementsAttr w = requireConstant(1, "the weights of ConvTranspose");
    auto ws = w.getType().getShape(); // [Ci, Co/g, kh, kw]
    int64_t groups = intAttr("group", 1);
    if (ws.size() != 4 || groups < 1 || ws[0] != inShape[1] || ws[0] % groups)
      nodeError("the weights must be [C_in, C_out/group, kH, kW] with C_in "
                "the input's channels, a multiple of group");
    int64_t cin = ws[0], cog = ws[1], cig = cin / groups, cout = cog * groups;
    SmallVector<int64_t> kernel = {ws[2], ws[3]};
    SmallVector<int64_t> strides = intsAttr("strides", {1, 1});
    SmallVector<int64_t> dilations = intsAttr("dilations", {1, 1});
    SmallVector<int64_t> outPad = intsAttr("output_padding", {0, 0});
    SmallVector<int64_t> pads = intsAttr("pads", {0, 0, 0, 0});
    SmallVector<int64_t> target = intsAttr("output_shape", {});
    std::string autoPad = stringAttr("auto_pad", "NOTSET");
    if (strides.size() != 2 || dilations.size() != 2 || outPad.size() != 2 ||
        pads.size() != 4)
      nodeError("strides, dilations, output_padding and pads must be 2-D");
    if (target.size() > 2)
      target.erase(target.begin(), target.end() - 2);
    // Per spatial axis: the pads at the begin and end.
    SmallVector<int64_t> begin(2), end(2);
    for (int i = 0; i < 2; ++i) {
      int64_t span = (kernel[i] - 1) * dilations[i] + 1;
      int64_t full = strides[i] * (inShape[2 + i] - 1) + outPad[i] + span;
      if (!target.empty() || autoPad == "SAME_UPPER" ||
          autoPad == "SAME_LOWER") {
        int64_t want =
            !target.empty() ? target[i] : inShape[2 + i] * strides[i];
        // As ONNX defines it, with floor division (a negative total, an
        // output larger than the full one, extends the end).
        int64_t total = full - want;
        int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
        bool upper = autoPad == "SAME_UPPER";
        begin[i] = upper ? half : total - half;
        end[i] = total - begin[i];
      } else if (autoPad == "NOTSET" || autoPad == "VALID") {
        begin[i] = autoPad == "VALID" ? 0 : pads[i];
        end[i] = autoPad == "VALID" ? 0 : pads[i + 2];
      } else {
        nodeError("unknown auto_pad '" + autoPad + "'");
      }
      if (full - begin[i] - end[i] != outShape[2 + i])
        nodeError("the output size " + llvm::Twine(full - begin[i] - end[i]) +
                  " along spatial axis " + llvm::Twine(i) +
                  " differs from the inferred " + llvm::Twine(outShape[2 + i]));
    }

    // The input with zeros between its pixels.
    Value input = nhwcValue(x);
    auto inType = cast<RankedTensorType>(input.getType());
    if (!isFloatTensor(inType))
      nodeError("the input must be float");
    int64_t n = inShape[0], h = inShape[2], wd = inShape[3];
    SmallVector<int64_t> zShape = {n, (h - 1) * strides[0] + 1,
                                   (wd - 1) * strides[1] + 1, cin};
    if (strides[0] != 1 || strides[1] != 1)
      input = island(auxName(y, "upsampled"), f32(zShape), [&]() -> Value {
        Value zeros = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(f32(zShape), 0.0f));
        return tensor::InsertSliceOp::create(
            b, loc, input, zeros,
            getAsIndexOpFoldResult(b.getContext(), {0, 0, 0, 0}),
            getAsIndexOpFoldResult(b.getContext(), inType.getShape()),
            getAsIndexOpFoldResult(b.getContext(),
                                   {1, strides[0], strides[1], 1}));
      });
    // The equivalent convolution's pads; a negative one crops the input.
    SmallVector<int64_t> padding(4), offsets = {0, 0, 0, 0};
    SmallVector<int64_t> cropped = zShape;
    for (int i = 0; i < 2; ++i) {
      int64_t reach = (kernel[i] - 1) * dilations[i];
      int64_t pb = reach - begin[i], pe = reach - end[i] + outPad[i];
      if (pb < 0) {
        offsets[1 + i] = -pb;
        cropped[1 + i] += pb;
        pb = 0;
      }
      if (pe < 0) {
        cropped[1 + i] += pe;
        pe = 0;
      }
      padding[2 * i] = pb;
      padding[2 * i + 1] = pe;
    }
    if (cropped != zShape)
      input = SliceOp::create(b, loc, f32(cropped), input, offsets,
                              ArrayRef<int64_t>{1, 1, 1, 1},
                              nameAttr(auxName(y, "cropped")));
    // OHWI weights: flipped, each group's in and out channels swapped.
    std::vector<float> src = floatsOf(w), filter(src.size());
    int64_t kh = kernel[0], kw = kernel[1];
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t o = 0; o < cog; ++o)
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j)
            for (int64_t c = 0; c < cig; ++c)
              filter[(((g * cog + o) * kh + i) * kw + j) * cig + c] =
                  src[(((g * cig + c) * cog + o) * kh + (kh - 1 - i)) * kw +
                      (kw - 1 - j)];
    Value f = materialize(DenseElementsAttr::get(f32({cout, kh, kw, cig}),
                                                 llvm::ArrayRef(filter)));
    Value bias = has(2) ? biasValue(2, "the bias of ConvTranspose") : Value();
    defineOutput(Conv2DOp::create(b, loc, f32(toNHWC(outShape)), input, f, bias,
                                  ArrayRef<int64_t>{1, 1}, padding, dilations,
                                  groups, FloatAttr(), FloatAttr(),
                                  nameAttr(y)),
                 true);
  }
};

} // namespace

void registerConvConverters(ConverterRegistry &r) {
  r.add<Conv>("Conv", {1, 11}, "`qlow.conv2d` (NHWC, OHWI)",
              "2-D only; `group` (depthwise, grouped), `pads`, `strides`, "
              "`dilations`, `auto_pad` (NOTSET/VALID/SAME_UPPER/SAME_LOWER); "
              "weights and bias must be constants");
  r.add<ConvTranspose>("ConvTranspose", {1, 11},
                       "zeros inserted (island), `qlow.conv2d` with the "
                       "flipped kernel",
                       "2-D; `group`, `pads`, `strides`, `dilations`, "
                       "`output_padding`, `output_shape`, `auto_pad`; "
                       "constant weights and bias");
}

} // namespace mlir::qlow::onnx_import
