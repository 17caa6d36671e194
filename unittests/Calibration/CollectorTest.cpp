//===- CollectorTest.cpp - calibration methods on data with outliers ------===//
#include "qlow/Calibration/Collector.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

using namespace mlir::qlow;

namespace {

/// 100 samples of 100 values uniform in [-1, 1], with one outlier of 50 in
/// sample 50: the shape of an activation with a rare spike.
TensorCollector collectWithOutlier(double averagingConstant = 0.01) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  TensorCollector c;
  for (int s = 0; s < 100; ++s) {
    std::vector<float> v(100);
    for (float &x : v)
      x = u(rng);
    if (s == 50)
      v[3] = 50.0f;
    c.addSample(v, averagingConstant);
  }
  return c;
}

CalibrationMethodOptions method(CalibrationMethod m) {
  CalibrationMethodOptions o;
  o.method = m;
  return o;
}

TEST(Collector, MinMaxKeepsTheOutlier) {
  TensorStats s = collectWithOutlier().finalize(method(CalibrationMethod::MinMax));
  EXPECT_FLOAT_EQ(s.max, 50.0);
  EXPECT_LT(s.min, -0.99);
  EXPECT_GE(s.min, -1.0);
}

TEST(Collector, PercentileClipsTheOutlier) {
  CalibrationMethodOptions o = method(CalibrationMethod::Percentile);
  o.percentile = 99.9;
  TensorStats s = collectWithOutlier().finalize(o);
  // The range ends within one histogram bin of the bulk of the data.
  ASSERT_TRUE(s.histogram);
  double bin = (s.histogram->max - s.histogram->min) / s.histogram->counts.size();
  EXPECT_LT(s.max, 1.0 + bin + 1e-9);
  EXPECT_GT(s.max, 0.9);
  EXPECT_LT(s.min, -0.9);
}

TEST(Collector, MovingAverageDampsTheOutlier) {
  TensorStats s =
      collectWithOutlier().finalize(method(CalibrationMethod::MovingAverageMinMax));
  // One spike moves the average max by about 0.01 * 49 and then decays.
  EXPECT_LT(s.max, 2.0);
  EXPECT_GT(s.max, 0.9);
  EXPECT_LT(s.min, -0.9);
}

TEST(Collector, MseKeepsALoneOutlier) {
  // One value at 50 against 9999 in [-1, 1]: clipping it costs 49^2 = 2401
  // of squared error, while spending the range on it costs only
  // 9999 * (51/255)^2 / 12 = 33, so the MSE-optimal range keeps it.
  TensorStats s = collectWithOutlier().finalize(method(CalibrationMethod::MSE));
  EXPECT_GT(s.max, 45.0);
}

TEST(Collector, MseClipsAHeavyTail) {
  // Laplace-distributed values (scale 0.1) quantized to 4 bits: the rare far
  // values of the tail cost less clipped than the coarser step they would
  // force on the bulk. (At 8 bits the step is fine enough that keeping the
  // tail wins for this distribution: MSE clips only where it pays.)
  std::mt19937 rng(3);
  std::exponential_distribution<float> e(10.0f);
  std::bernoulli_distribution sign(0.5);
  std::vector<float> v(20000);
  for (float &x : v)
    x = sign(rng) ? e(rng) : -e(rng);
  TensorCollector c;
  c.addSample(v, 0.01);
  CalibrationMethodOptions o = method(CalibrationMethod::MSE);
  o.bits = 4;
  TensorStats s = c.finalize(o);
  EXPECT_LT(s.max, 0.7 * c.max());
  EXPECT_GT(s.min, 0.7 * c.min());
  EXPECT_GT(s.max, 0.1);
  EXPECT_LT(s.min, -0.1);
}

TEST(Collector, MseKeepsARangeWithoutOutliers) {
  TensorCollector c;
  std::vector<float> v;
  for (int i = 0; i <= 1000; ++i)
    v.push_back(-1.0f + 2.0f * float(i) / 1000.0f);
  c.addSample(v, 0.01);
  TensorStats s = c.finalize(method(CalibrationMethod::MSE));
  EXPECT_GT(s.max, 0.9);
  EXPECT_LT(s.min, -0.9);
}

TEST(Collector, HistogramCoversEveryValueAfterMerging) {
  TensorCollector c(/*maxBins=*/64);
  std::vector<float> v = {0.0f, 0.001f, -0.002f, 3.0f, -7.5f, 1000.0f, 0.5f};
  c.addSample(v, 0.01);
  c.addSample({-2000.0f}, 0.01);
  TensorHistogram h = c.histogram();
  uint64_t total = 0;
  for (uint64_t n : h.counts)
    total += n;
  EXPECT_EQ(total, 8u);
  EXPECT_LE(h.counts.size(), 64u);
  EXPECT_LE(h.min, -2000.0);
  EXPECT_GT(h.max, 1000.0);
  EXPECT_EQ(c.min(), -2000.0);
  EXPECT_EQ(c.max(), 1000.0);
}

TEST(Collector, NaNIgnoredInfinityFlagged) {
  TensorCollector c;
  c.addSample({1.0f, NAN, -1.0f}, 0.01);
  EXPECT_EQ(c.numValues(), 2u);
  EXPECT_FALSE(c.sawNonFinite());
  c.addSample({INFINITY}, 0.01);
  EXPECT_TRUE(c.sawNonFinite());
  EXPECT_EQ(c.max(), 1.0);
}

TEST(Collector, MethodNames) {
  for (auto m : {CalibrationMethod::MinMax, CalibrationMethod::MovingAverageMinMax,
                 CalibrationMethod::Percentile, CalibrationMethod::MSE})
    EXPECT_EQ(parseCalibrationMethod(calibrationMethodName(m)), m);
  EXPECT_FALSE(parseCalibrationMethod("kl"));
}

} // namespace
