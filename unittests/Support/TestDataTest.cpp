//===- TestDataTest.cpp - harness inputs ----------------------------------===//
#include "qlow/Support/TestData.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace qlow;

namespace {

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof(b));
  return b;
}

TEST(TestData, SplitMix64IsTheStandardGenerator) {
  // The first outputs of splitmix64 seeded with 0 (Vigna's reference).
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(splitmix64(0x9E3779B97F4A7C15ull), 0x6E789E6AA1B965F4ull);
}

TEST(TestData, ValuesArePinned) {
  // Pinned bit patterns: changing the generator changes every execution
  // test's inputs, so it must be deliberate.
  EXPECT_EQ(bitsOf(testInputValue(7, 0, 1.0f)), 0x3EE2D308u); // 0.443016291
  EXPECT_EQ(testInputValue(7, 1, 1.0f), -0.688211917f);
  EXPECT_EQ(testInputInteger(7, 0, 1.0f, 8), 44);
  EXPECT_EQ(testInputInteger(7, 1, 1.0f, 8), -69);
}

TEST(TestData, RangeIsHalfOpen) {
  for (float range : {1.0f, 1.5f, 3.5f, 1e-3f, 1e30f}) {
    bool negative = false, positive = false;
    for (uint64_t i = 0; i < 20000; ++i) {
      float v = testInputValue(42, i, range);
      ASSERT_TRUE(v >= -range && v < range) << v << " for range " << range;
      negative |= v < 0;
      positive |= v > 0;
    }
    EXPECT_TRUE(negative && positive);
  }
}

TEST(TestData, ScalingIsOneMultiply) {
  // The unit value times range, one f32 rounding.
  for (uint64_t i = 0; i < 1000; ++i) {
    float unit = testInputValue(3, i, 1.0f);
    EXPECT_EQ(bitsOf(testInputValue(3, i, 0.1f)), bitsOf(unit * 0.1f));
  }
}

TEST(TestData, SeedsAndIndicesDiffer) {
  EXPECT_NE(testInputValue(1, 0, 1.0f), testInputValue(2, 0, 1.0f));
  EXPECT_NE(testInputValue(1, 0, 1.0f), testInputValue(1, 1, 1.0f));
}

TEST(TestData, IntegersRoundTiesToEvenAndSaturate) {
  for (uint64_t i = 0; i < 20000; ++i) {
    float scaled = testInputValue(5, i, 2.0f) * 100.0f;
    int64_t v = testInputInteger(5, i, 2.0f, 8);
    double expected = std::nearbyint(static_cast<double>(scaled));
    expected = std::fmin(std::fmax(expected, -128.0), 127.0);
    ASSERT_EQ(v, static_cast<int64_t>(expected)) << scaled;
  }
  EXPECT_EQ(testInputInteger(5, 0, 1e6f, 1) == 0 ||
                testInputInteger(5, 0, 1e6f, 1) == -1,
            true);
  // Wide types do not saturate in range.
  for (uint64_t i = 0; i < 100; ++i)
    EXPECT_EQ(testInputInteger(9, i, 1000.0f, 32),
              static_cast<int64_t>(
                  std::nearbyint(testInputValue(9, i, 1000.0f) * 100.0f)));
}

} // namespace
