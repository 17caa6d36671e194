//===- Report.cpp - the compile report (OUT.report.json) ------------------===//
#include "qlow/Driver/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace qlow;
using namespace mlir::qlow;
namespace json = llvm::json;

static json::Value tensorJson(const TensorQuantizationInfo &t,
                              const CalibrationStats *stats) {
  json::Object o{{"name", t.name}, {"op", t.op}, {"precision", t.precision}};
  if (stats)
    if (const TensorStats *s = stats->lookup(t.name))
      o["range"] = json::Array{s->min, s->max};
  if (t.params) {
    const QuantParams &p = *t.params;
    o["storage"] = (p.isSigned ? "i" : "u") + std::to_string(p.bits);
    if (p.isPerAxis()) {
      o["axis"] = p.axis;
      o["scales"] = json::Array(p.scales);
      o["zero_points"] = json::Array(p.zeroPoints);
    } else {
      o["scale"] = p.scale();
      o["zero_point"] = p.zeroPoint();
      o["representable_range"] =
          json::Array{(p.qmin - p.zeroPoint()) * p.scale(),
                      (p.qmax - p.zeroPoint()) * p.scale()};
    }
  }
  return o;
}

std::string qlow::renderReport(const CompileReport &r) {
  json::Object top{{"model", r.model},
                   {"function", r.function},
                   {"target", r.target},
                   {"cpu", r.cpu},
                   {"precision", r.precision},
                   {"compile_seconds", r.compileSeconds},
                   {"object_bytes", int64_t(r.objectBytes)}};
  json::Object size;
  if (r.quantization) {
    const QuantizationInfo &q = *r.quantization;
    top["range_source"] = r.rangeSource;
    if (!r.calibrationMethod.empty())
      top["calibration"] =
          json::Object{{"method", r.calibrationMethod},
                       {"samples", int64_t(r.calibrationSamples)},
                       {"seconds", r.calibrationSeconds}};
    json::Array tensors;
    for (const TensorQuantizationInfo &t : q.tensors)
      tensors.push_back(tensorJson(t, r.stats));
    top["tensors"] = std::move(tensors);
    json::Array islands;
    for (const FloatIslandInfo &i : q.islands)
      islands.push_back(json::Object{{"name", i.name}, {"reason", i.reason}});
    top["float_islands"] = std::move(islands);
    size["weight_parameters"] = q.weightParameters;
    size["fp32_weight_bytes"] = q.fp32WeightBytes();
    size["quantized_weight_bytes"] = q.quantizedWeightBytes();
    size["ratio"] = q.quantizedWeightBytes() > 0
                        ? q.fp32WeightBytes() / q.quantizedWeightBytes()
                        : 0.0;
  } else {
    size["fp32_weight_bytes"] = r.fp32WeightBytes;
  }
  top["model_size"] = std::move(size);
  return llvm::formatv("{0:2}", json::Value(std::move(top))).str() + "\n";
}
