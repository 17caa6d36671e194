//===- Registry.cpp - the table of ONNX converters, op versions -----------===//
#include "Importer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <onnx/defs/schema.h>

#include <algorithm>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

const ConverterInfo *ConverterRegistry::find(StringRef domain,
                                             StringRef op) const {
  StringRef d = isDefaultDomain(domain) ? StringRef() : domain;
  for (const ConverterInfo &c : entries)
    if (c.domain == d && c.op == op)
      return &c;
  return nullptr;
}

const ConverterRegistry &converters() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry r;
    r.setFamily("Convolutions");
    registerConvConverters(r);
    r.setFamily("Matrix products");
    registerMatMulConverters(r);
    r.setFamily("Element-wise and activations");
    registerElementwiseConverters(r);
    r.setFamily("Pooling");
    registerPoolConverters(r);
    r.setFamily("Comparisons, logic and selection");
    registerLogicConverters(r);
    r.setFamily("Resize");
    registerResizeConverters(r);
    r.setFamily("Reductions");
    registerReduceConverters(r);
    r.setFamily("Normalization and softmax");
    registerNormConverters(r);
    r.setFamily("Shapes, layout and data movement");
    registerShapeConverters(r);
    r.setFamily("Quantized models");
    registerQuantConverters(r);
    r.setFamily("ONNX Runtime's QOperator contrib ops (com.microsoft)");
    registerQOperatorConverters(r);
    r.setFamily("Shape arithmetic (evaluated at compile time)");
    registerShapeArithmeticConverters(r);
    return r;
  }();
  return registry;
}

namespace {
/// The default-domain op versions that opsets 18 to 21 added, which
/// libonnx 1.12 (opsets up to 17) does not know: (op, since-version).
struct NewVersion {
  const char *op;
  int64_t version;
};
constexpr NewVersion kNewVersions[] = {
    // Opset 18: axes as an input of every Reduce*, Split's num_outputs,
    // Pad's axes, Resize's antialias/axes/keep_aspect_ratio_policy.
    {"ReduceL1", 18},
    {"ReduceL2", 18},
    {"ReduceLogSum", 18},
    {"ReduceLogSumExp", 18},
    {"ReduceMax", 18},
    {"ReduceMean", 18},
    {"ReduceMin", 18},
    {"ReduceProd", 18},
    {"ReduceSumSquare", 18},
    {"Split", 18},
    {"Pad", 18},
    {"Resize", 18},
    {"ScatterElements", 18},
    {"ScatterND", 18},
    {"LpPool", 18},
    {"Col2Im", 18},
    {"CenterCropPad", 18},
    {"Mish", 18},
    {"BitwiseAnd", 18},
    {"BitwiseOr", 18},
    {"BitwiseXor", 18},
    {"BitwiseNot", 18},
    {"GroupNormalization", 18},
    {"OptionalGetElement", 18},
    {"OptionalHasElement", 18},
    // Opset 19: new data types (float8, ...), AveragePool's dilations,
    // Pad's wrap mode, Resize's half_pixel_symmetric.
    {"AveragePool", 19},
    {"Cast", 19},
    {"CastLike", 19},
    {"Constant", 19},
    {"DequantizeLinear", 19},
    {"Equal", 19},
    {"Identity", 19},
    {"If", 19},
    {"Loop", 19},
    {"Pad", 19},
    {"QuantizeLinear", 19},
    {"Reshape", 19},
    {"Resize", 19},
    {"Scan", 19},
    {"Shape", 19},
    {"Size", 19},
    {"DeformConv", 19},
    // Opset 20.
    {"Gelu", 20},
    {"GridSample", 20},
    {"ReduceMax", 20},
    {"ReduceMin", 20},
    {"ConstantOfShape", 20},
    {"DFT", 20},
    {"IsInf", 20},
    {"IsNaN", 20},
    {"AffineGrid", 20},
    {"ImageDecoder", 20},
    {"RegexFullMatch", 20},
    {"StringConcat", 20},
    {"StringSplit", 20},
    // Opset 21: int4/uint4 and 16-bit integer types; block-wise
    // quantization in QuantizeLinear/DequantizeLinear.
    {"Cast", 21},
    {"CastLike", 21},
    {"Constant", 21},
    {"ConstantOfShape", 21},
    {"DequantizeLinear", 21},
    {"Flatten", 21},
    {"GroupNormalization", 21},
    {"Identity", 21},
    {"If", 21},
    {"Loop", 21},
    {"Pad", 21},
    {"QLinearMatMul", 21},
    {"QuantizeLinear", 21},
    {"Reshape", 21},
    {"Scan", 21},
    {"Shape", 21},
    {"Size", 21},
    {"Squeeze", 21},
    {"Transpose", 21},
    {"Unsqueeze", 21},
};
} // namespace

std::optional<int64_t> opVersion(StringRef domain, StringRef op,
                                 int64_t opset) {
  if (!isDefaultDomain(domain))
    return 1;
  std::optional<int64_t> v;
  if (const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
          op.str(), int(std::min(opset, kLibOnnxMaxOpset)), ""))
    v = schema->since_version();
  for (const NewVersion &n : kNewVersions)
    if (op == n.op && n.version <= opset && (!v || n.version > *v))
      v = n.version;
  return v;
}

} // namespace mlir::qlow::onnx_import

using namespace mlir::qlow::onnx_import;

void mlir::qlow::printOnnxOpTable(llvm::raw_ostream &os) {
  // Markdown, one section per family, one row per op.
  std::vector<std::string> families;
  for (const ConverterInfo &c : converters().all())
    if (!llvm::is_contained(families, c.family))
      families.push_back(c.family);
  os << "<!-- Generated by `qlow-translate --onnx-op-table` from the "
        "importer's converter table (lib/Import/Onnx); refresh with "
        "scripts/update-docs.sh. -->\n"
        "# ONNX ops qlow imports\n\n"
        "Each op is imported at the versions listed (an ONNX op's version "
        "is the newest since-version at or below the model's opset); a "
        "node of any other version is an error naming the op, the node "
        "and the version. Opsets 7 to 21 of the default domain are "
        "accepted. See [onnx.md](../onnx.md) for the layouts and the "
        "quantized models.\n";
  for (const std::string &family : families) {
    os << "\n## " << family << "\n\n"
       << "| op | versions | becomes | notes |\n|---|---|---|---|\n";
    for (const ConverterInfo &c : converters().all()) {
      if (c.family != family)
        continue;
      std::string versions;
      for (int64_t v : c.versions)
        versions += (versions.empty() ? "" : ", ") + std::to_string(v);
      os << "| " << (c.domain.empty() ? "" : c.domain + ".") << c.op << " | "
         << versions << " | " << c.becomes << " | " << c.notes << " |\n";
    }
  }
}
