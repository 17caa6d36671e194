//===- Collector.h - per-tensor statistics from calibration runs -*- C++ -*-===//
//
// One pass over the calibration data: each observed tensor's collector sees
// every value once and keeps its global min/max, an exponential moving
// average of per-sample min/max, and a histogram whose bin width doubles
// (merging bin pairs) whenever the values outgrow it, so no second pass is
// needed to fix its range. The calibration method turns that into the range
// the quantizer uses.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_CALIBRATION_COLLECTOR_H
#define QLOW_CALIBRATION_COLLECTOR_H

#include "qlow/Transforms/CalibrationStats.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mlir::qlow {

enum class CalibrationMethod {
  MinMax,              ///< the observed range
  MovingAverageMinMax, ///< EMA of per-sample min/max (TF's default for QAT)
  Percentile,          ///< clip the histogram's tails to a percentile
  MSE,                 ///< the range minimizing the expected squared error
};

/// Parses "minmax", "moving-average", "percentile", "mse".
std::optional<CalibrationMethod> parseCalibrationMethod(StringRef name);
StringRef calibrationMethodName(CalibrationMethod method);

struct CalibrationMethodOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99;   ///< for Percentile
  double averagingConstant = 0.01; ///< EMA weight of each new sample
  unsigned bits = 8;           ///< quantization width MSE optimizes for
};

class TensorCollector {
public:
  explicit TensorCollector(unsigned maxBins = 2048) : maxBins(maxBins) {}

  /// Adds one sample's values (NaNs are ignored; infinities are an error
  /// that the caller reports: they have no range).
  void addSample(llvm::ArrayRef<float> values, double averagingConstant);

  bool empty() const { return count == 0; }
  uint64_t numValues() const { return count; }
  bool sawNonFinite() const { return nonFinite; }
  double min() const { return lo; }
  double max() const { return hi; }

  /// The histogram over [first edge, last edge), contiguous.
  TensorHistogram histogram() const;

  /// Final statistics for `method`: min/max is the chosen range, the
  /// histogram is kept for later re-quantization.
  TensorStats finalize(const CalibrationMethodOptions &options) const;

private:
  void addToHistogram(double v);

  unsigned maxBins;
  uint64_t count = 0;
  bool nonFinite = false;
  double lo = 0, hi = 0;
  std::optional<double> emaLo, emaHi;
  /// Bins are [k * width, (k + 1) * width), anchored at zero, so merging
  /// pairs (doubling the width) is exact.
  double width = 0;
  std::map<int64_t, uint64_t> bins;
};

/// The range that minimizes the expected squared quantization error of the
/// histogram's values for `bits`-bit affine quantization, each end searched
/// between zero and its observed value.
std::pair<double, double> mseOptimalRange(const TensorHistogram &histogram,
                                          double min, double max,
                                          unsigned bits);

} // namespace mlir::qlow

#endif // QLOW_CALIBRATION_COLLECTOR_H
