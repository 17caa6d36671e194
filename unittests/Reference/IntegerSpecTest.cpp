//===- IntegerSpecTest.cpp - Tests for the scalar integer spec ------------===//

#include "qlow/Reference/IntegerSpec.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <limits>

using namespace qlow::ref;

namespace {

constexpr int32_t kI8Min = -128, kI8Max = 127;
constexpr int32_t kU8Min = 0, kU8Max = 255;
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kTwo30 = int64_t(1) << 30;
constexpr int64_t kTwo31 = int64_t(1) << 31;
const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

FixedPointMultiplier fp(int64_t multiplier, int32_t shift) {
  return {static_cast<int32_t>(multiplier), shift};
}

//===----------------------------------------------------------------------===//
// Storage ranges
//===----------------------------------------------------------------------===//

TEST(StorageRange, CommonTypes) {
  EXPECT_EQ(storageMin(8, true), -128);
  EXPECT_EQ(storageMax(8, true), 127);
  EXPECT_EQ(storageMin(8, false), 0);
  EXPECT_EQ(storageMax(8, false), 255);
  EXPECT_EQ(storageMin(4, true), -8);
  EXPECT_EQ(storageMax(4, true), 7);
  EXPECT_EQ(storageMin(4, false), 0);
  EXPECT_EQ(storageMax(4, false), 15);
  EXPECT_EQ(storageMin(16, true), -32768);
  EXPECT_EQ(storageMax(16, true), 32767);
  EXPECT_EQ(storageMin(32, true), kInt32Min);
  EXPECT_EQ(storageMax(32, true), kInt32Max);
}

//===----------------------------------------------------------------------===//
// Rounding
//===----------------------------------------------------------------------===//

TEST(RoundHalfToEven, Ties) {
  EXPECT_EQ(roundHalfToEven(0.5f), 0.0f);
  EXPECT_EQ(roundHalfToEven(1.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(-0.5f), 0.0f);
  EXPECT_EQ(roundHalfToEven(-1.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(-2.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(2.4999998f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5000002f), 3.0f);
  EXPECT_EQ(roundHalfToEven(8388607.5f), 8388608.0f); // 2^23 - 0.5
  EXPECT_EQ(roundHalfToEven(2.5), 2.0);
  EXPECT_EQ(roundHalfToEven(3.5), 4.0);
  EXPECT_EQ(roundHalfToEven(-3.5), -4.0);
}

// Must agree with nearbyint under the default rounding mode, the hardware's
// native conversion.
TEST(RoundHalfToEven, MatchesNearbyint) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  for (int i = -4000; i <= 4000; ++i) {
    float x = static_cast<float>(i) * 0.25f;
    EXPECT_EQ(roundHalfToEven(x), std::nearbyint(x)) << x;
    double d = static_cast<double>(i) * 0.125;
    EXPECT_EQ(roundHalfToEven(d), std::nearbyint(d)) << d;
  }
}

//===----------------------------------------------------------------------===//
// Quantize / dequantize
//===----------------------------------------------------------------------===//

TEST(Quantize, TiesRoundHalfToEven) {
  const float s = 0.5f;
  // x / s = 0.5, 1.5, 2.5, -0.5, -1.5, -2.5.
  EXPECT_EQ(quantize(0.25f, s, 0, kI8Min, kI8Max), 0);
  EXPECT_EQ(quantize(0.75f, s, 0, kI8Min, kI8Max), 2);
  EXPECT_EQ(quantize(1.25f, s, 0, kI8Min, kI8Max), 2);
  EXPECT_EQ(quantize(-0.25f, s, 0, kI8Min, kI8Max), 0);
  EXPECT_EQ(quantize(-0.75f, s, 0, kI8Min, kI8Max), -2);
  EXPECT_EQ(quantize(-1.25f, s, 0, kI8Min, kI8Max), -2);
  // The zero point is added after rounding: ties do not depend on it.
  EXPECT_EQ(quantize(0.25f, s, 3, kI8Min, kI8Max), 3);
  EXPECT_EQ(quantize(1.25f, s, 3, kI8Min, kI8Max), 5);
  EXPECT_EQ(quantize(-1.25f, s, 3, kI8Min, kI8Max), 1);
  EXPECT_EQ(quantize(1.25f, s, 128, kU8Min, kU8Max), 130);
  EXPECT_EQ(quantize(-1.25f, s, 128, kU8Min, kU8Max), 126);
}

TEST(Quantize, Basic) {
  EXPECT_EQ(quantize(0.0f, 0.1f, 0, kI8Min, kI8Max), 0);
  EXPECT_EQ(quantize(-0.0f, 0.1f, 5, kI8Min, kI8Max), 5);
  EXPECT_EQ(quantize(1.0f, 0.1f, 0, kI8Min, kI8Max), 10);
  EXPECT_EQ(quantize(1.04f, 0.1f, 0, kI8Min, kI8Max), 10);
  EXPECT_EQ(quantize(1.06f, 0.1f, 0, kI8Min, kI8Max), 11);
  EXPECT_EQ(quantize(-1.0f, 0.1f, 10, kI8Min, kI8Max), 0);
  EXPECT_EQ(quantize(1.0f, 0.02f, 128, kU8Min, kU8Max), 178);
}

TEST(Quantize, UsesTrueDivision) {
  // x / s is exactly the tie 11.5 (-> 12), but x * (1 / s) is 11.499999
  // (-> 11): a reciprocal multiply would move this tie.
  const float s = 0.01f, x = 11.5f * s;
  ASSERT_EQ(x / s, 11.5f);
  ASSERT_LT(x * (1.0f / s), 11.5f);
  EXPECT_EQ(quantize(x, s, 0, kI8Min, kI8Max), 12);
  EXPECT_EQ(quantize(-x, s, 0, kI8Min, kI8Max), -12);
}

TEST(Quantize, NaNGivesZeroPoint) {
  EXPECT_EQ(quantize(kNaN, 0.1f, 0, kI8Min, kI8Max), 0);
  EXPECT_EQ(quantize(kNaN, 0.1f, -7, kI8Min, kI8Max), -7);
  EXPECT_EQ(quantize(kNaN, 0.1f, 128, kU8Min, kU8Max), 128);
  EXPECT_EQ(quantize(-kNaN, 0.1f, 3, kU8Min, kU8Max), 3);
  // A zero point outside the range is clamped.
  EXPECT_EQ(quantize(kNaN, 0.1f, 300, kU8Min, kU8Max), 255);
  EXPECT_EQ(quantize(kNaN, 0.1f, 0, -127, 127), 0);
}

TEST(Quantize, InfinitiesSaturate) {
  EXPECT_EQ(quantize(kInf, 0.1f, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantize(-kInf, 0.1f, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(quantize(kInf, 0.1f, 128, kU8Min, kU8Max), 255);
  EXPECT_EQ(quantize(-kInf, 0.1f, 128, kU8Min, kU8Max), 0);
  EXPECT_EQ(quantize(kInf, 1.0f, 0, kInt32Min, kInt32Max), kInt32Max);
  EXPECT_EQ(quantize(-kInf, 1.0f, 0, kInt32Min, kInt32Max), kInt32Min);
}

TEST(Quantize, SaturatesAtBothEnds) {
  // i8, zero point 0.
  EXPECT_EQ(quantize(12.7f, 0.1f, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantize(12.8f, 0.1f, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantize(1e30f, 0.1f, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantize(-12.8f, 0.1f, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(quantize(-12.9f, 0.1f, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(quantize(-1e30f, 0.1f, 0, kI8Min, kI8Max), -128);
  // i8 with a zero point: the range of x / scale is [-128 - zp, 127 - zp].
  EXPECT_EQ(quantize(100.0f, 1.0f, 50, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantize(-178.0f, 1.0f, 50, kI8Min, kI8Max), -128);
  EXPECT_EQ(quantize(-179.0f, 1.0f, 50, kI8Min, kI8Max), -128);
  // u8.
  EXPECT_EQ(quantize(2.56f, 0.01f, 0, kU8Min, kU8Max), 255);
  EXPECT_EQ(quantize(-0.01f, 0.01f, 0, kU8Min, kU8Max), 0);
  EXPECT_EQ(quantize(3.0f, 0.02f, 128, kU8Min, kU8Max), 255);
  EXPECT_EQ(quantize(-3.0f, 0.02f, 128, kU8Min, kU8Max), 0);
  // Narrow (symmetric) range.
  EXPECT_EQ(quantize(-1e9f, 0.1f, 0, -127, 127), -127);
  // int32 storage: huge finite values saturate without UB.
  EXPECT_EQ(quantize(3e9f, 1.0f, 0, kInt32Min, kInt32Max), kInt32Max);
  EXPECT_EQ(quantize(-3e9f, 1.0f, 0, kInt32Min, kInt32Max), kInt32Min);
  EXPECT_EQ(quantize(-2147483648.0f, 1.0f, 0, kInt32Min, kInt32Max), kInt32Min);
}

TEST(Dequantize, Basic) {
  EXPECT_EQ(dequantize(0, 0.5f, 0), 0.0f);
  EXPECT_EQ(dequantize(3, 0.5f, 1), 1.0f);
  EXPECT_EQ(dequantize(-128, 0.25f, 0), -32.0f);
  EXPECT_EQ(dequantize(255, 0.1f, 128), 127.0f * 0.1f);
  EXPECT_EQ(dequantize(kInt32Min, 1.0f, kInt32Max),
            static_cast<float>(int64_t(kInt32Min) - kInt32Max));
}

TEST(Dequantize, RoundTrip) {
  for (int32_t q = kI8Min; q <= kI8Max; ++q)
    EXPECT_EQ(quantize(dequantize(q, 0.037f, 5), 0.037f, 5, kI8Min, kI8Max), q);
}

//===----------------------------------------------------------------------===//
// computeMultiplier
//===----------------------------------------------------------------------===//

TEST(ComputeMultiplier, PowersOfTwo) {
  EXPECT_EQ(computeMultiplier(1.0), fp(kTwo30, 30));
  EXPECT_EQ(computeMultiplier(0.5), fp(kTwo30, 31));
  EXPECT_EQ(computeMultiplier(0.25), fp(kTwo30, 32));
  EXPECT_EQ(computeMultiplier(2.0), fp(kTwo30, 29));
}

TEST(ComputeMultiplier, General) {
  // 0.75 = 0.75 * 2^0 -> 0.75 * 2^31.
  EXPECT_EQ(computeMultiplier(0.75), fp(3 * (kTwo30 / 2), 31));
  // 3.7 = 0.925 * 2^2.
  EXPECT_EQ(computeMultiplier(3.7), fp(std::llround(0.925 * 2147483648.0), 29));
  // 1000 = 0.9765625 * 2^10, exact.
  EXPECT_EQ(computeMultiplier(1000.0), fp(2097152000, 21));
  // The represented value is within half an ulp of 2^-31 relative.
  for (double r : {0.1, 0.3, 0.7, 1.3, 3.7, 123.456, 1e-5, 1e-9}) {
    auto m = computeMultiplier(r);
    ASSERT_TRUE(m) << r;
    EXPECT_GE(m->multiplier, kTwo30);
    EXPECT_LE(m->multiplier, kTwo31 - 1);
    EXPECT_NEAR(toDouble(*m) / r, 1.0, 1.0 / kTwo31) << r;
  }
}

TEST(ComputeMultiplier, RoundsUpToNextPowerOfTwo) {
  // 1 - 2^-40: m * 2^31 rounds to 2^31, renormalized to 2^30 with e + 1.
  EXPECT_EQ(computeMultiplier(1.0 - std::ldexp(1.0, -40)), fp(kTwo30, 30));
  EXPECT_EQ(computeMultiplier(0.5 - std::ldexp(1.0, -41)), fp(kTwo30, 31));
  // Half-way rounding of the mantissa goes away from zero (up).
  // m = 0.5 + 2^-32 -> m * 2^31 = 2^30 + 0.5 -> 2^30 + 1.
  EXPECT_EQ(computeMultiplier(0.5 + std::ldexp(1.0, -32)), fp(kTwo30 + 1, 31));
  // Largest mantissa that does not round up.
  EXPECT_EQ(computeMultiplier(1.0 - std::ldexp(1.0, -31)), fp(kTwo31 - 1, 31));
}

TEST(ComputeMultiplier, Smallest) {
  // 2^-32 is the smallest representable: shift 62.
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0, -32)), fp(kTwo30, 62));
  EXPECT_EQ(computeMultiplier(1.5 * std::ldexp(1.0, -32)),
            fp(3 * kTwo30 / 2, 62));
  // Just below 2^-32 but rounding up to it: still valid at shift 62.
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0 - std::ldexp(1.0, -40), -32)),
            fp(kTwo30, 62));
  // Below that the shift would exceed 62: underflow to {0, 0}.
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0 - std::ldexp(1.0, -20), -32)),
            fp(0, 0));
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0, -33)), fp(0, 0));
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0, -40)), fp(0, 0));
  EXPECT_EQ(computeMultiplier(1e-12), fp(0, 0));
  EXPECT_EQ(computeMultiplier(std::numeric_limits<double>::denorm_min()),
            fp(0, 0));
  // The underflowed multiplier maps everything to 0.
  EXPECT_EQ(applyMultiplier(kInt32Min, fp(0, 0)), 0);
  EXPECT_EQ(applyMultiplier(kInt32Max, fp(0, 0)), 0);
}

TEST(ComputeMultiplier, Largest) {
  EXPECT_EQ(computeMultiplier(std::ldexp(1.0, 30)), fp(kTwo30, 0));
  EXPECT_EQ(computeMultiplier(double(kTwo31 - 1)), fp(kTwo31 - 1, 0));
  // The largest double below 2^31 rounds up to 2^31: rejected.
  EXPECT_FALSE(computeMultiplier(std::nextafter(double(kTwo31), 0.0)));
  EXPECT_FALSE(computeMultiplier(std::ldexp(1.0, 31)));
  EXPECT_FALSE(computeMultiplier(3.0e9));
  EXPECT_FALSE(computeMultiplier(1e300));
}

TEST(ComputeMultiplier, RejectsInvalid) {
  EXPECT_FALSE(computeMultiplier(0.0));
  EXPECT_FALSE(computeMultiplier(-0.0));
  EXPECT_FALSE(computeMultiplier(-1.0));
  EXPECT_FALSE(computeMultiplier(-1e-20));
  EXPECT_FALSE(computeMultiplier(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(computeMultiplier(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(computeMultiplier(-std::numeric_limits<double>::infinity()));
}

//===----------------------------------------------------------------------===//
// applyMultiplier
//===----------------------------------------------------------------------===//

TEST(ApplyMultiplier, ShiftZero) {
  // No rounding at shift 0: the exact product.
  EXPECT_EQ(applyMultiplier(3, fp(kTwo30, 0)), 3 * kTwo30);
  EXPECT_EQ(applyMultiplier(-3, fp(kTwo31 - 1, 0)), -3 * (kTwo31 - 1));
  EXPECT_EQ(applyMultiplier(kInt32Max, fp(kTwo31 - 1, 0)),
            int64_t(kInt32Max) * (kTwo31 - 1));
  EXPECT_EQ(applyMultiplier(kInt32Min, fp(kTwo31 - 1, 0)),
            int64_t(kInt32Min) * (kTwo31 - 1));
}

TEST(ApplyMultiplier, ShiftOne) {
  // (2^31 - 1) / 2 = 2^30 - 0.5: a tie.
  EXPECT_EQ(applyMultiplier(1, fp(kTwo31 - 1, 1)), kTwo30);
  EXPECT_EQ(applyMultiplier(-1, fp(kTwo31 - 1, 1)), -kTwo30 + 1);
  EXPECT_EQ(applyMultiplier(2, fp(kTwo31 - 1, 1)), kTwo31 - 1);
  EXPECT_EQ(applyMultiplier(7, fp(kTwo30, 1)), 7 * (kTwo30 / 2));
}

TEST(ApplyMultiplier, TiesRoundHalfUp) {
  const FixedPointMultiplier half = fp(kTwo30, 31); // 0.5
  EXPECT_EQ(applyMultiplier(5, half), 3);           // 2.5 -> 3
  EXPECT_EQ(applyMultiplier(-5, half), -2);         // -2.5 -> -2 (not -3)
  EXPECT_EQ(applyMultiplier(3, half), 2);           // 1.5 -> 2
  EXPECT_EQ(applyMultiplier(-3, half), -1);         // -1.5 -> -1
  EXPECT_EQ(applyMultiplier(1, half), 1);           // 0.5 -> 1
  EXPECT_EQ(applyMultiplier(-1, half), 0);          // -0.5 -> 0
  EXPECT_EQ(applyMultiplier(4, half), 2);
  EXPECT_EQ(applyMultiplier(-4, half), -2);
  const FixedPointMultiplier quarter = fp(kTwo30, 32); // 0.25
  EXPECT_EQ(applyMultiplier(-6, quarter), -1);         // -1.5 -> -1
  EXPECT_EQ(applyMultiplier(-7, quarter), -2);         // -1.75 -> -2
  EXPECT_EQ(applyMultiplier(-5, quarter), -1);         // -1.25 -> -1
  EXPECT_EQ(applyMultiplier(6, quarter), 2);           // 1.5 -> 2
  EXPECT_EQ(applyMultiplier(5, quarter), 1);           // 1.25 -> 1
}

TEST(ApplyMultiplier, TiesRoundHalfEven) {
  // Rounding::HalfEven (average pools): ties go to the even integer, on
  // both signs; everything else is rounded to nearest as with half up.
  const Rounding even = Rounding::HalfEven;
  const FixedPointMultiplier half = fp(kTwo30, 31); // 0.5
  EXPECT_EQ(applyMultiplier(5, half, even), 2);     // 2.5 -> 2
  EXPECT_EQ(applyMultiplier(-5, half, even), -2);   // -2.5 -> -2
  EXPECT_EQ(applyMultiplier(3, half, even), 2);     // 1.5 -> 2
  EXPECT_EQ(applyMultiplier(-3, half, even), -2);   // -1.5 -> -2
  EXPECT_EQ(applyMultiplier(1, half, even), 0);     // 0.5 -> 0
  EXPECT_EQ(applyMultiplier(-1, half, even), 0);    // -0.5 -> 0
  EXPECT_EQ(applyMultiplier(4, half, even), 2);
  EXPECT_EQ(applyMultiplier(-4, half, even), -2);
  const FixedPointMultiplier quarter = fp(kTwo30, 32); // 0.25
  EXPECT_EQ(applyMultiplier(-6, quarter, even), -2);   // -1.5 -> -2
  EXPECT_EQ(applyMultiplier(-7, quarter, even), -2);   // -1.75 -> -2
  EXPECT_EQ(applyMultiplier(-5, quarter, even), -1);   // -1.25 -> -1
  EXPECT_EQ(applyMultiplier(10, quarter, even), 2);    // 2.5 -> 2
  EXPECT_EQ(applyMultiplier(14, quarter, even), 4);    // 3.5 -> 4
  EXPECT_EQ(applyMultiplier(11, quarter, even), 3);    // 2.75 -> 3
  // Extremes: a tie at shift 62 (-0.5 -> 0) and at shift 31.
  EXPECT_EQ(applyMultiplier(kInt32Min, fp(kTwo30, 62), even), 0);
  EXPECT_EQ(applyMultiplier(kInt32Max, fp(kTwo30, 31), even), kTwo30);
  EXPECT_EQ(applyMultiplier(kInt32Max - 2, fp(kTwo30, 31), even),
            kTwo30 - 2); // (2^31 - 3) / 2 = 2^30 - 1.5 -> 2^30 - 2
  // Shift 0 is exact.
  EXPECT_EQ(applyMultiplier(-3, fp(kTwo30, 0), even), -3 * kTwo30);
  // requantizeOutput passes the rounding on.
  EXPECT_EQ(requantizeOutput(5, half, 10, -128, 127, even), 12);
  EXPECT_EQ(requantizeOutput(5, half, 10, -128, 127), 13);
}

TEST(ApplyMultiplier, ShiftThirtyOne) {
  const FixedPointMultiplier m = fp(kTwo31 - 1, 31); // 1 - 2^-31
  EXPECT_EQ(applyMultiplier(kInt32Max, m), kTwo31 - 2);
  EXPECT_EQ(applyMultiplier(kInt32Min, m), -(kTwo31 - 1));
  EXPECT_EQ(applyMultiplier(kInt32Min, fp(kTwo30, 31)), -kTwo30);
  EXPECT_EQ(applyMultiplier(kInt32Max, fp(kTwo30, 31)), kTwo30); // tie, up
  EXPECT_EQ(applyMultiplier(0, m), 0);
}

TEST(ApplyMultiplier, ShiftSixtyTwo) {
  const FixedPointMultiplier tiny = fp(kTwo30, 62);  // 2^-32
  EXPECT_EQ(applyMultiplier(kInt32Min, tiny), 0);    // -0.5 -> 0
  EXPECT_EQ(applyMultiplier(kInt32Max, tiny), 0);    // < 0.5
  EXPECT_EQ(applyMultiplier(kTwo31, tiny), 1);       // 0.5 -> 1
  const FixedPointMultiplier m = fp(kTwo31 - 1, 62); // ~2^-31
  EXPECT_EQ(applyMultiplier(kInt32Min, m), -1);      // ~-0.99999999953
  EXPECT_EQ(applyMultiplier(kInt32Max, m), 1);
  EXPECT_EQ(applyMultiplier(kTwo30, m), 0); // just below 0.5
  EXPECT_EQ(applyMultiplier(-kTwo30, m), 0);
}

// Exhaustive check against an exact rational reference for small inputs.
TEST(ApplyMultiplier, MatchesExactRounding) {
  for (double r : {0.3, 0.5, 0.75, 1.0, 1.5, 3.7, 1e-3}) {
    FixedPointMultiplier m = *computeMultiplier(r);
    for (int64_t x = -3000; x <= 3000; ++x) {
      // x * multiplier is exact in double (< 2^53); floor(v + 1/2) rounds
      // half up exactly because the scaling by 2^-shift is exact.
      double v = std::ldexp(double(x) * m.multiplier, -m.shift);
      EXPECT_EQ(applyMultiplier(x, m), int64_t(std::floor(v + 0.5)))
          << "x=" << x << " r=" << r;
    }
  }
}

//===----------------------------------------------------------------------===//
// requantizeOutput / requantize
//===----------------------------------------------------------------------===//

TEST(RequantizeOutput, SaturatesBothEnds) {
  const FixedPointMultiplier one = *computeMultiplier(1.0);
  EXPECT_EQ(requantizeOutput(127, one, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantizeOutput(128, one, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantizeOutput(-128, one, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(requantizeOutput(-129, one, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(requantizeOutput(kInt32Max, one, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantizeOutput(kInt32Min, one, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(requantizeOutput(100, one, 128, kU8Min, kU8Max), 228);
  EXPECT_EQ(requantizeOutput(200, one, 128, kU8Min, kU8Max), 255);
  EXPECT_EQ(requantizeOutput(-200, one, 128, kU8Min, kU8Max), 0);
  // No int32 wraparound: the zero point is added in int64.
  EXPECT_EQ(requantizeOutput(kInt32Max, one, kInt32Max, kInt32Min, kInt32Max),
            kInt32Max);
  EXPECT_EQ(requantizeOutput(kInt32Min, one, kInt32Min, kInt32Min, kInt32Max),
            kInt32Min);
  // Fused activation bounds.
  EXPECT_EQ(requantizeOutput(-50, one, -10, -10, 127), -10);
}

TEST(RequantizeOutput, RatioGreaterThanOne) {
  // 1000 is exact: multiplier 2097152000, shift 21.
  const FixedPointMultiplier k = *computeMultiplier(1000.0);
  for (int64_t x = -2000; x <= 2000; ++x)
    EXPECT_EQ(applyMultiplier(x, k), 1000 * x);
  EXPECT_EQ(requantizeOutput(0, k, 5, kI8Min, kI8Max), 5);
  EXPECT_EQ(requantizeOutput(1, k, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantizeOutput(-1, k, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(requantizeOutput(-1, k, 1000, kInt32Min, kInt32Max), 0);
  EXPECT_EQ(requantizeOutput(2000000, k, 0, kInt32Min, kInt32Max), 2000000000);
  EXPECT_EQ(requantizeOutput(3000000, k, 0, kInt32Min, kInt32Max), kInt32Max);
  EXPECT_EQ(requantizeOutput(-3000000, k, 0, kInt32Min, kInt32Max), kInt32Min);

  // 3.7: ties of x * 3.7 are at x = 5 mod 10; the 31-bit multiplier sits a
  // little off 3.7, which decides them. Everything else equals round(x*3.7).
  const FixedPointMultiplier m = *computeMultiplier(3.7);
  const bool above = toDouble(m) > 3.7;
  for (int64_t x = -1000; x <= 1000; ++x) {
    int64_t got = applyMultiplier(x, m);
    int64_t tenTimes = 37 * x; // x * 3.7 * 10, exact
    if (((tenTimes % 10) + 10) % 10 == 5) {
      int64_t below = (tenTimes - 5) / 10; // exact: tenTimes - 5 = 0 mod 10
      // x * m lies past the tie on the side of x * 3.7 given by the signs.
      bool roundsUp = (x > 0) == above;
      EXPECT_EQ(got, roundsUp ? below + 1 : below) << x;
    } else {
      EXPECT_EQ(got, int64_t(std::floor(double(tenTimes) / 10.0 + 0.5))) << x;
    }
  }
  EXPECT_EQ(requantizeOutput(10, m, 0, kI8Min, kI8Max), 37);
  EXPECT_EQ(requantizeOutput(-10, m, 0, kI8Min, kI8Max), -37);
  EXPECT_EQ(requantizeOutput(35, m, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantizeOutput(-35, m, 0, kI8Min, kI8Max), -128);
}

TEST(Requantize, BetweenScales) {
  // in scale 0.5 / zp 10 -> out scale 0.25 / zp -3: real multiplier 2.
  const FixedPointMultiplier m = *computeMultiplier(0.5 / 0.25);
  EXPECT_EQ(requantize(10, 10, m, -3, kI8Min, kI8Max), -3);
  EXPECT_EQ(requantize(20, 10, m, -3, kI8Min, kI8Max), 17);
  EXPECT_EQ(requantize(100, 10, m, -3, kI8Min, kI8Max), 127);
  EXPECT_EQ(requantize(-128, 10, m, -3, kI8Min, kI8Max), -128);
  // u8 -> i8 with the same scale: only the zero point moves.
  const FixedPointMultiplier one = *computeMultiplier(1.0);
  for (int32_t q = 0; q <= 255; ++q)
    EXPECT_EQ(requantize(q, 128, one, 0, kI8Min, kI8Max), q - 128);
  // Halving with ties rounding up: (q - 0) * 0.5.
  const FixedPointMultiplier half = *computeMultiplier(0.5);
  EXPECT_EQ(requantize(-5, 0, half, 0, kI8Min, kI8Max), -2);
  EXPECT_EQ(requantize(5, 0, half, 0, kI8Min, kI8Max), 3);
  // int32 storage extremes.
  EXPECT_EQ(requantize(kInt32Min, 0, half, 0, kInt32Min, kInt32Max), -kTwo30);
  EXPECT_EQ(requantize(kInt32Max, 0, half, 0, kInt32Min, kInt32Max), kTwo30);
}

//===----------------------------------------------------------------------===//
// Bias
//===----------------------------------------------------------------------===//

TEST(QuantizeBias, RoundsHalfToEvenAndSaturates) {
  EXPECT_EQ(quantizeBias(1.0, 0.5, 0.25), 8);
  EXPECT_EQ(quantizeBias(0.625, 0.5, 0.5), 2); // 2.5 -> 2
  EXPECT_EQ(quantizeBias(0.875, 0.5, 0.5), 4); // 3.5 -> 4
  EXPECT_EQ(quantizeBias(-0.625, 0.5, 0.5), -2);
  EXPECT_EQ(quantizeBias(-0.125, 0.5, 0.5), 0); // -0.5 -> 0
  EXPECT_EQ(quantizeBias(0.3, 0.1, 0.01), 300);
  EXPECT_EQ(quantizeBias(1e10, 1.0, 1.0), kInt32Max);
  EXPECT_EQ(quantizeBias(-1e10, 1.0, 1.0), kInt32Min);
  EXPECT_EQ(quantizeBias(std::numeric_limits<double>::infinity(), 1.0, 1.0),
            kInt32Max);
  EXPECT_EQ(quantizeBias(-std::numeric_limits<double>::infinity(), 1.0, 1.0),
            kInt32Min);
  EXPECT_EQ(quantizeBias(std::numeric_limits<double>::quiet_NaN(), 1.0, 1.0),
            0);
  EXPECT_EQ(quantizeBias(2147483647.0, 1.0, 1.0), kInt32Max);
  EXPECT_EQ(quantizeBias(-2147483648.0, 1.0, 1.0), kInt32Min);
}

TEST(FoldBias, Definition) {
  // biasQ - zx * sum(w) + K * zx * zw.
  EXPECT_EQ(foldBias(100, 50, 9, 3, 2), 100 - 3 * 50 + 9 * 3 * 2);
  EXPECT_EQ(foldBias(-7, -300, 27, -128, 0), -7 - (-128) * (-300));
  EXPECT_EQ(foldBias(5, 12345, 100, 0, 17), 5);
  EXPECT_EQ(foldBias(0, 0, 0, 128, 5), 0);
}

TEST(FoldBias, Overflow) {
  EXPECT_FALSE(foldBias(kInt32Max - 10, -100, 1, 1, 0)); // +90 over
  EXPECT_EQ(foldBias(kInt32Max - 100, -100, 1, 1, 0), kInt32Max);
  EXPECT_FALSE(foldBias(kInt32Min + 10, 100, 1, 1, 0));
  EXPECT_EQ(foldBias(kInt32Min + 100, 100, 1, 1, 0), kInt32Min);
  // Large K * zx * zw.
  EXPECT_FALSE(foldBias(0, 0, int64_t(1) << 20, 255, 255));
  // The terms cancel: sum(w) == K * zw gives back biasQ even when each term
  // alone is far outside int32.
  const int64_t k = int64_t(1) << 30;
  EXPECT_EQ(foldBias(42, k * 127, k, -128, 127), 42);
  // Intermediates beyond int64 report overflow instead of wrapping.
  EXPECT_FALSE(foldBias(0, std::numeric_limits<int64_t>::max(), 1, kInt32Max,
                        kInt32Min));
}

//===----------------------------------------------------------------------===//
// Add / mul
//===----------------------------------------------------------------------===//

TEST(QuantizedAdd, MaxCenteredMagnitude) {
  EXPECT_EQ(maxCenteredMagnitude(0, kI8Min, kI8Max), 128);
  EXPECT_EQ(maxCenteredMagnitude(-41, kI8Min, kI8Max), 168);
  EXPECT_EQ(maxCenteredMagnitude(0, kU8Min, kU8Max), 255);
  EXPECT_EQ(maxCenteredMagnitude(128, kU8Min, kU8Max), 128);
  EXPECT_EQ(maxCenteredMagnitude(0, -127, 127), 127);
}

TEST(QuantizedAdd, ParamsByHand) {
  // 0.5 and 0.25 over i8 (|a - za| <= 128): (2^(s-1) + 2^(s-2)) * 128 < 2^30
  // holds up to s = 23.
  EXPECT_EQ(*computeAddParams(0.5, 0.25, 1.0, 128, 128),
            (AddParams{1 << 22, 1 << 21, 23}));
  // u8 with zero point 0 (|a - za| <= 255) costs one bit.
  EXPECT_EQ(*computeAddParams(0.5, 0.25, 1.0, 255, 255),
            (AddParams{1 << 21, 1 << 20, 22}));
  // Equal scales: 2^s * 256 < 2^30 up to s = 21.
  EXPECT_EQ(*computeAddParams(0.1, 0.1, 0.1, 128, 128),
            (AddParams{1 << 21, 1 << 21, 21}));
  // Ratios 1/3 and 2/3: multipliers rounded half up, 2^22 / 3 = 1398101.33
  // and 2^23 / 3 = 2796202.67; (1398101 + 2796203) * 128 < 2^30.
  EXPECT_EQ(*computeAddParams(1.0, 2.0, 3.0, 128, 128),
            (AddParams{1398101, 2796203, 22}));
}

TEST(QuantizedAdd, ByHand) {
  // sa = 0.5, sb = 0.25, so = 1.0, zero points 0.
  const AddParams p = *computeAddParams(0.5, 0.25, 1.0, 128, 128);
  // 1.5 + 0.5 = 2.
  EXPECT_EQ(quantizedAdd(3, 0, 2, 0, p, 0, kI8Min, kI8Max), 2);
  // 1.5 + 0.25 = 1.75 -> 2.
  EXPECT_EQ(quantizedAdd(3, 0, 1, 0, p, 0, kI8Min, kI8Max), 2);
  // 0.5 + 0 = 0.5 -> 1 (tie rounds up).
  EXPECT_EQ(quantizedAdd(1, 0, 0, 0, p, 0, kI8Min, kI8Max), 1);
  // -0.5 + 0 = -0.5 -> 0 (tie rounds up).
  EXPECT_EQ(quantizedAdd(-1, 0, 0, 0, p, 0, kI8Min, kI8Max), 0);
  // -1.5 - 1.0 = -2.5 -> -2.
  EXPECT_EQ(quantizedAdd(-3, 0, -4, 0, p, 0, kI8Min, kI8Max), -2);
  // With zero points: a = (13 - 10) * 0.5 = 1.5, b = (-1 - 3) * 0.25 = -1,
  // 0.5 -> 1, plus zo = 7.
  EXPECT_EQ(quantizedAdd(13, 10, -1, 3, p, 7, kI8Min, kI8Max), 8);
  // Saturation: 63.5 + 31.75 = 95.25 -> 95 + 100 -> 127; and the low end.
  EXPECT_EQ(quantizedAdd(127, 0, 127, 0, p, 100, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantizedAdd(-128, 0, -128, 0, p, -100, kI8Min, kI8Max), -128);
  const AddParams u = *computeAddParams(0.5, 0.25, 1.0, 255, 255);
  EXPECT_EQ(quantizedAdd(255, 0, 255, 0, u, 0, kU8Min, kU8Max), 191);
  EXPECT_EQ(quantizedAdd(0, 128, 0, 128, p, 0, kU8Min, kU8Max), 0);
}

TEST(QuantizedAdd, SameScales) {
  // Equal scales and zero points: plain integer addition, saturated.
  const AddParams p = *computeAddParams(0.1, 0.1, 0.1, 128, 128);
  for (int32_t a = -128; a <= 127; ++a)
    for (int32_t b = -128; b <= 127; ++b)
      ASSERT_EQ(quantizedAdd(a, 0, b, 0, p, 0, kI8Min, kI8Max),
                std::clamp(a + b, kI8Min, kI8Max));
}

TEST(QuantizedAdd, OneRoundingOfTheRealSum) {
  // Every pair of i8 operands: the result is the real sum rounded once, half
  // up, wherever the real value is not within the multipliers' error
  // (< 2^-12 of a step here) of a tie.
  const double sa = 0.0173, sb = 0.0411, so = 0.05;
  const int32_t za = -41, zb = 7, zo = 3;
  const AddParams p = *computeAddParams(
      sa, sb, so, maxCenteredMagnitude(za, kI8Min, kI8Max),
      maxCenteredMagnitude(zb, kI8Min, kI8Max));
  int64_t checked = 0;
  for (int32_t a = kI8Min; a <= kI8Max; ++a)
    for (int32_t b = kI8Min; b <= kI8Max; ++b) {
      double real = ((a - za) * sa + (b - zb) * sb) / so;
      double frac = real - std::floor(real);
      if (std::abs(frac - 0.5) < 1.0 / 4096)
        continue;
      ++checked;
      int64_t want = std::clamp<int64_t>(
          static_cast<int64_t>(std::floor(real + 0.5)) + zo, kI8Min, kI8Max);
      ASSERT_EQ(quantizedAdd(a, za, b, zb, p, zo, kI8Min, kI8Max), want)
          << a << " " << b;
    }
  EXPECT_GT(checked, 65000);
}

TEST(QuantizedAdd, CloseToRealResult) {
  const double sa = 0.0173, sb = 0.0411, so = 0.05;
  const AddParams p = *computeAddParams(
      sa, sb, so, maxCenteredMagnitude(120, kU8Min, kU8Max),
      maxCenteredMagnitude(131, kU8Min, kU8Max));
  for (int32_t a = 0; a <= 255; a += 3)
    for (int32_t b = 0; b <= 255; b += 5) {
      double real = ((a - 120) * sa + (b - 131) * sb) / so + 128;
      int32_t got = quantizedAdd(a, 120, b, 131, p, 128, kU8Min, kU8Max);
      EXPECT_LE(std::abs(got - std::clamp(real, 0.0, 255.0)), 0.5 + 1e-4)
          << a << " " << b;
    }
}

TEST(QuantizedAdd, ExtremeOperandsStayInI32) {
  // The largest centered operands of 10-bit storage with both ratios at 1:
  // the sum and its rounding term stay inside i32.
  const AddParams p = *computeAddParams(1.0, 1.0, 1.0, 1024, 1024);
  EXPECT_EQ(p.shift, 18);
  EXPECT_EQ(quantizedAdd(511, -512, 511, -512, p, 0, -5000, 5000), 2046);
  EXPECT_EQ(quantizedAdd(-512, 512, -512, 512, p, 0, -5000, 5000), -2048);
}

TEST(QuantizedAdd, InvalidScales) {
  EXPECT_FALSE(computeAddParams(0.0, 0.5, 1.0, 128, 128));
  EXPECT_FALSE(computeAddParams(0.5, -0.5, 1.0, 128, 128));
  EXPECT_FALSE(computeAddParams(0.5, 0.5, 0.0, 128, 128));
  EXPECT_FALSE(computeAddParams(0.5, 0.5, std::nan(""), 128, 128));
  // A ratio of 10^7 overflows i32 even at shift 0: 10^7 * 128 >= 2^30.
  EXPECT_FALSE(computeAddParams(1e7, 1.0, 1.0, 128, 128));
  EXPECT_TRUE(computeAddParams(1e6, 1.0, 1.0, 128, 128));
}

TEST(QuantizedMul, ByHand) {
  // sa = sb = 0.5, so = 0.25: real multiplier 1.
  const FixedPointMultiplier one = *computeMulMultiplier(0.5, 0.5, 0.25);
  EXPECT_EQ(one, fp(kTwo30, 30));
  EXPECT_EQ(quantizedMul(3, 1, -2, 0, one, 0, kI8Min, kI8Max), -4);
  EXPECT_EQ(quantizedMul(3, 1, -2, 0, one, 10, kI8Min, kI8Max), 6);
  // Saturation: (-128)(-128) = 16384.
  EXPECT_EQ(quantizedMul(-128, 0, -128, 0, one, 0, kI8Min, kI8Max), 127);
  EXPECT_EQ(quantizedMul(-128, 0, 127, 0, one, 0, kI8Min, kI8Max), -128);
  EXPECT_EQ(quantizedMul(255, 0, 255, 0, one, 0, kU8Min, kU8Max), 255);
  // so = 1: real multiplier 0.25, ties round up.
  const FixedPointMultiplier q = *computeMulMultiplier(0.5, 0.5, 1.0);
  EXPECT_EQ(quantizedMul(3, 0, 2, 0, q, 0, kI8Min, kI8Max), 2);   // 1.5
  EXPECT_EQ(quantizedMul(3, 0, -2, 0, q, 0, kI8Min, kI8Max), -1); // -1.5
  EXPECT_EQ(quantizedMul(5, 0, 2, 0, q, 0, kI8Min, kI8Max), 3);   // 2.5
  EXPECT_EQ(quantizedMul(-5, 0, 2, 0, q, 0, kI8Min, kI8Max), -2); // -2.5
  EXPECT_EQ(quantizedMul(7, 0, 1, 0, q, 0, kI8Min, kI8Max), 2);   // 1.75
  // u8 zero points: (200 - 128) * (100 - 128) * 0.25 = -504 -> clamp.
  EXPECT_EQ(quantizedMul(200, 128, 100, 128, q, 128, kU8Min, kU8Max), 0);
  // (130 - 128) * (140 - 128) * 0.25 = 6, + 128.
  EXPECT_EQ(quantizedMul(130, 128, 140, 128, q, 128, kU8Min, kU8Max), 134);
}

//===----------------------------------------------------------------------===//
// Pooling multiplier and activation bounds
//===----------------------------------------------------------------------===//

TEST(AvgPoolMultiplier, Count) {
  EXPECT_EQ(computeAvgPoolMultiplier(1.0, 1.0, 4), fp(kTwo30, 32));
  EXPECT_EQ(computeAvgPoolMultiplier(1.0, 1.0, 1), fp(kTwo30, 30));
  EXPECT_EQ(computeAvgPoolMultiplier(0.5, 0.25, 2), fp(kTwo30, 30));
  EXPECT_FALSE(computeAvgPoolMultiplier(1.0, 1.0, 0));
}

TEST(ActivationBounds, Relu) {
  // ReLU on i8, scale 0.1, zp -10: lo = quantize(0) = -10.
  EXPECT_EQ(activationBounds(0.0f, std::nullopt, 0.1f, -10, kI8Min, kI8Max),
            std::make_pair(-10, 127));
  // ReLU6: hi = quantize(6) = 60 - 10 = 50.
  EXPECT_EQ(activationBounds(0.0f, 6.0f, 0.1f, -10, kI8Min, kI8Max),
            std::make_pair(-10, 50));
  // Bounds beyond the representable range are the storage limits.
  EXPECT_EQ(activationBounds(0.0f, 6.0f, 1.0f, 0, kI8Min, kI8Max),
            std::make_pair(0, 6));
  EXPECT_EQ(activationBounds(-1e9f, 1e9f, 0.1f, 0, kI8Min, kI8Max),
            std::make_pair(kI8Min, kI8Max));
  EXPECT_EQ(
      activationBounds(std::nullopt, std::nullopt, 0.1f, 128, kU8Min, kU8Max),
      std::make_pair(kU8Min, kU8Max));
  // ReLU1 on u8 with zp 128 and scale 1/128: [-1, 1] -> [0, 255].
  EXPECT_EQ(activationBounds(-1.0f, 1.0f, 1.0f / 128, 128, kU8Min, kU8Max),
            std::make_pair(0, 255));
  // A real bound on a tie uses the quantize rounding (half to even).
  EXPECT_EQ(activationBounds(0.25f, 1.25f, 0.5f, 0, kI8Min, kI8Max),
            std::make_pair(0, 2));
}

} // namespace
