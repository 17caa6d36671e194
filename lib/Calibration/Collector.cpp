//===- Collector.cpp - per-tensor statistics from calibration runs --------===//
#include "qlow/Calibration/Collector.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

std::optional<CalibrationMethod>
mlir::qlow::parseCalibrationMethod(StringRef name) {
  if (name == "minmax")
    return CalibrationMethod::MinMax;
  if (name == "moving-average")
    return CalibrationMethod::MovingAverageMinMax;
  if (name == "percentile")
    return CalibrationMethod::Percentile;
  if (name == "mse")
    return CalibrationMethod::MSE;
  return std::nullopt;
}

StringRef mlir::qlow::calibrationMethodName(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::MovingAverageMinMax:
    return "moving-average";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::MSE:
    return "mse";
  }
  return "";
}

void TensorCollector::addToHistogram(double v) {
  if (width == 0) {
    // The first non-zero magnitude sets a width fine enough for it; zeros
    // before that wait in bin 0 (exact for any width).
    if (v == 0) {
      ++bins[0];
      return;
    }
    width = std::fabs(v) / double(maxBins);
  }
  int64_t k = int64_t(std::floor(v / width));
  ++bins[k];
  // Too many bins: double the width, merging pairs (floor division keeps
  // the edges anchored at zero).
  while (bins.rbegin()->first - bins.begin()->first + 1 > int64_t(maxBins)) {
    std::map<int64_t, uint64_t> merged;
    for (auto [idx, n] : bins)
      merged[idx >= 0 ? idx / 2 : -((-idx + 1) / 2)] += n;
    bins.swap(merged);
    width *= 2;
  }
}

void TensorCollector::addSample(llvm::ArrayRef<float> values,
                                double averagingConstant) {
  double sampleLo = INFINITY, sampleHi = -INFINITY;
  for (float f : values) {
    if (std::isnan(f))
      continue;
    if (std::isinf(f)) {
      nonFinite = true;
      continue;
    }
    double v = f;
    sampleLo = std::min(sampleLo, v);
    sampleHi = std::max(sampleHi, v);
    addToHistogram(v);
    ++count;
  }
  if (sampleLo > sampleHi)
    return;
  lo = emaLo ? std::min(lo, sampleLo) : sampleLo;
  hi = emaHi ? std::max(hi, sampleHi) : sampleHi;
  emaLo = emaLo ? *emaLo + averagingConstant * (sampleLo - *emaLo) : sampleLo;
  emaHi = emaHi ? *emaHi + averagingConstant * (sampleHi - *emaHi) : sampleHi;
}

TensorHistogram TensorCollector::histogram() const {
  TensorHistogram h;
  if (bins.empty())
    return h;
  int64_t first = bins.begin()->first, last = bins.rbegin()->first;
  double w = width == 0 ? 1.0 : width;
  h.min = double(first) * w;
  h.max = double(last + 1) * w;
  h.counts.assign(size_t(last - first + 1), 0);
  for (auto [idx, n] : bins)
    h.counts[size_t(idx - first)] = n;
  return h;
}

std::pair<double, double>
mlir::qlow::mseOptimalRange(const TensorHistogram &h, double min, double max,
                            unsigned bits) {
  if (h.counts.empty() || max <= min)
    return {min, max};
  double levels = double((uint64_t(1) << bits) - 1);
  double binWidth = (h.max - h.min) / double(h.counts.size());
  auto error = [&](double a, double b) {
    a = std::min(a, 0.0);
    b = std::max(b, 0.0);
    double step = (b - a) / levels;
    double e = 0;
    for (size_t i = 0; i < h.counts.size(); ++i) {
      if (!h.counts[i])
        continue;
      double x = h.min + (double(i) + 0.5) * binWidth;
      double d = x < a ? a - x : x > b ? x - b : 0.0;
      // Inside the range the rounding error is uniform: step^2 / 12.
      e += double(h.counts[i]) * (d > 0 ? d * d : step * step / 12.0);
    }
    return e;
  };
  // Coordinate descent: the best upper end for the current lower end, then
  // the best lower end for that, a few rounds (the two ends of an
  // activation's range clip independently, e.g. one rare positive spike).
  double bestA = min, bestB = max, best = error(min, max);
  constexpr int kSteps = 200;
  for (int round = 0; round < 3; ++round) {
    for (int i = 1; i <= kSteps; ++i) {
      double b = max * double(i) / kSteps;
      if (double e = error(bestA, b); e < best) {
        best = e;
        bestB = b;
      }
    }
    for (int i = 1; i <= kSteps; ++i) {
      double a = min * double(i) / kSteps;
      if (double e = error(a, bestB); e < best) {
        best = e;
        bestA = a;
      }
    }
  }
  return {bestA, bestB};
}

TensorStats
TensorCollector::finalize(const CalibrationMethodOptions &options) const {
  TensorStats s;
  s.min = lo;
  s.max = hi;
  TensorHistogram h = histogram();
  switch (options.method) {
  case CalibrationMethod::MinMax:
    break;
  case CalibrationMethod::MovingAverageMinMax:
    s.min = emaLo.value_or(lo);
    s.max = emaHi.value_or(hi);
    break;
  case CalibrationMethod::Percentile: {
    TensorStats full{lo, hi, h};
    std::tie(s.min, s.max) = full.range(options.percentile);
    break;
  }
  case CalibrationMethod::MSE:
    std::tie(s.min, s.max) = mseOptimalRange(h, lo, hi, options.bits);
    break;
  }
  if (!h.counts.empty())
    s.histogram = std::move(h);
  return s;
}
