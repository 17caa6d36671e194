//===- Report.h - the compile report (OUT.report.json) ----------*- C++ -*-===//
#ifndef QLOW_DRIVER_REPORT_H
#define QLOW_DRIVER_REPORT_H

#include "qlow/Transforms/CalibrationStats.h"
#include "qlow/Transforms/QuantizationInfo.h"

#include <optional>
#include <string>

namespace qlow {

struct CompileReport {
  std::string model, function, target, cpu, precision;
  /// Where the ranges came from: "calibration" (with method and sample
  /// count) or "statistics file".
  std::string rangeSource, calibrationMethod;
  uint64_t calibrationSamples = 0;
  std::optional<mlir::qlow::QuantizationInfo> quantization;
  const mlir::qlow::CalibrationStats *stats = nullptr;
  /// FP32 weight bytes of the float model (for the FP32 build).
  double fp32WeightBytes = 0;
  double compileSeconds = 0, calibrationSeconds = 0;
  /// Bytes of the emitted object file.
  uint64_t objectBytes = 0;
};

/// The JSON text of the report: per tensor range, scale, zero point and
/// precision; weight size FP32 vs quantized; times.
std::string renderReport(const CompileReport &report);

} // namespace qlow

#endif // QLOW_DRIVER_REPORT_H
