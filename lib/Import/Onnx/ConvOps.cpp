//===- ConvOps.cpp - ONNX convolutions ------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"

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

} // namespace

void registerConvConverters(ConverterRegistry &r) {
  r.add<Conv>("Conv", {1, 11}, "`qlow.conv2d` (NHWC, OHWI)",
              "2-D only; `group` (depthwise, grouped), `pads`, `strides`, "
              "`dilations`, `auto_pad` (NOTSET/VALID/SAME_UPPER/SAME_LOWER); "
              "weights and bias must be constants");
}

} // namespace mlir::qlow::onnx_import
