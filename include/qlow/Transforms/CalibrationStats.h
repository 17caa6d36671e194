//===- CalibrationStats.h - the calibration statistics file -----*- C++ -*-===//
//
// The statistics file connects calibration (running the instrumented model)
// to quantization. Format (JSON):
//   {"version": 1,
//    "tensors": {"<tensor name>": {"min": -1.5, "max": 2.0,
//                                  "histogram": {"min": -1.5, "max": 2.0,
//                                                "counts": [3, 10, ...]}}}}
// The histogram is optional; its bins split [min, max] evenly.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_CALIBRATIONSTATS_H
#define QLOW_TRANSFORMS_CALIBRATIONSTATS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qlow {

struct TensorHistogram {
  double min = 0, max = 0;
  std::vector<uint64_t> counts;
};

struct TensorStats {
  double min = 0, max = 0;
  std::optional<TensorHistogram> histogram;

  /// The range that keeps `percentile` percent of the histogram's mass
  /// (clipping the tails evenly); the plain [min, max] at 100 or without a
  /// histogram.
  std::pair<double, double> range(double percentile) const;
};

struct CalibrationStats {
  llvm::StringMap<TensorStats> tensors;

  const TensorStats *lookup(StringRef name) const {
    auto it = tensors.find(name);
    return it == tensors.end() ? nullptr : &it->second;
  }
};

/// Parses and validates a statistics file: every error names the file and,
/// where it can, the tensor (min > max, non-finite values, malformed JSON,
/// negative or empty histograms).
llvm::Expected<CalibrationStats> readCalibrationStats(StringRef path);
llvm::Expected<CalibrationStats> parseCalibrationStats(StringRef json,
                                                       StringRef sourceName);
/// Serializes statistics in the format above (used by calibration).
std::string writeCalibrationStats(const CalibrationStats &stats);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_CALIBRATIONSTATS_H
