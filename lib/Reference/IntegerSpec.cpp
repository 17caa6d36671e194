//===- IntegerSpec.cpp - Scalar reference of qlow's integer spec ----------===//
//
// See docs/integer-spec.md for the definitions implemented here.
//
//===----------------------------------------------------------------------===//

#include "qlow/Reference/IntegerSpec.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace qlow::ref;

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

template <typename T> T roundHalfToEvenImpl(T x) {
  // std::round rounds ties away from zero; fix up the odd ties. Not
  // std::nearbyint: that would depend on the current rounding mode.
  T r = std::round(x);
  // r - x is exact (Sterbenz), so this detects ties exactly.
  if (std::fabs(r - x) == T(0.5) && std::fmod(r, T(2)) != T(0))
    r -= std::copysign(T(1), x);
  return r;
}

int32_t clampToInt32(int64_t v, int32_t lo, int32_t hi) {
  return static_cast<int32_t>(std::clamp<int64_t>(v, lo, hi));
}

// Floor division by 2^shift. Written without >> on negative values, which is
// implementation-defined before C++20.
int64_t floorShiftRight(int64_t v, int32_t shift) {
  return v >= 0 ? (v >> shift) : ~(~v >> shift);
}

// Overflow-checked int64 helpers (std-only; no __builtin_*_overflow).
bool checkedMul(int64_t a, int64_t b, int64_t &r) {
  if (a != 0 && b != 0) {
    if (a > 0 ? (b > 0 ? a > kInt64Max / b : b < kInt64Min / a)
              : (b > 0 ? a < kInt64Min / b : a < kInt64Max / b))
      return false;
  }
  r = a * b;
  return true;
}

bool checkedSub(int64_t a, int64_t b, int64_t &r) {
  if (b > 0 ? a < kInt64Min + b : a > kInt64Max + b)
    return false;
  r = a - b;
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Storage ranges
//===----------------------------------------------------------------------===//

int32_t qlow::ref::storageMin(unsigned bits, bool isSigned) {
  assert(bits >= 1 && bits <= (isSigned ? 32u : 31u) && "unsupported width");
  if (!isSigned)
    return 0;
  return static_cast<int32_t>(-(int64_t(1) << (bits - 1)));
}

int32_t qlow::ref::storageMax(unsigned bits, bool isSigned) {
  assert(bits >= 1 && bits <= (isSigned ? 32u : 31u) && "unsupported width");
  if (!isSigned)
    return static_cast<int32_t>((int64_t(1) << bits) - 1);
  return static_cast<int32_t>((int64_t(1) << (bits - 1)) - 1);
}

//===----------------------------------------------------------------------===//
// Rounding
//===----------------------------------------------------------------------===//

float qlow::ref::roundHalfToEven(float x) { return roundHalfToEvenImpl(x); }
double qlow::ref::roundHalfToEven(double x) { return roundHalfToEvenImpl(x); }

//===----------------------------------------------------------------------===//
// Quantize / dequantize
//===----------------------------------------------------------------------===//

int32_t qlow::ref::quantize(float x, float scale, int32_t zeroPoint,
                            int32_t qmin, int32_t qmax) {
  assert(qmin <= qmax && "empty storage range");
  // The division must stay a true f32 division: x * (1 / scale) differs in
  // the last bit for some inputs, which moves ties.
  float v = roundHalfToEven(x / scale);
  // NaN input (or 0/0 from an invalid scale) has no sensible integer; the
  // zero point is what an empty value would quantize to.
  if (std::isnan(v))
    return clampToInt32(zeroPoint, qmin, qmax);
  // Clamp before converting so the float -> int conversion never overflows
  // (+-inf saturate). The bounds are exact integers; compared in double they
  // give the same result as the spec's f32 clamp whenever the bounds are
  // representable in f32 (all storage types up to 24 bits) and stay exact for
  // wider ones.
  int64_t lo = int64_t(qmin) - zeroPoint;
  int64_t hi = int64_t(qmax) - zeroPoint;
  int64_t r;
  if (double(v) <= double(lo))
    r = lo;
  else if (double(v) >= double(hi))
    r = hi;
  else
    r = static_cast<int64_t>(v);
  return static_cast<int32_t>(r + zeroPoint);
}

float qlow::ref::dequantize(int32_t q, float scale, int32_t zeroPoint) {
  // q - zeroPoint in int64: it can exceed int32 for 32-bit storage.
  return static_cast<float>(int64_t(q) - zeroPoint) * scale;
}

//===----------------------------------------------------------------------===//
// Fixed-point multiplier
//===----------------------------------------------------------------------===//

std::optional<FixedPointMultiplier>
qlow::ref::computeMultiplier(double realMultiplier) {
  if (!std::isfinite(realMultiplier) || !(realMultiplier > 0.0))
    return std::nullopt;
  int exponent = 0;
  double mantissa = std::frexp(realMultiplier, &exponent); // in [0.5, 1)
  // m * 2^31 is exact in double; llround rounds half away from zero (the
  // mantissa is positive, so this is half up).
  int64_t q = std::llround(std::ldexp(mantissa, 31));
  if (q == (int64_t(1) << 31)) {
    // Rounded up to 1.0: renormalize so the multiplier stays an int32.
    q = int64_t(1) << 30;
    ++exponent;
  }
  int64_t shift = 31 - int64_t(exponent);
  if (shift < 0)
    return std::nullopt; // real multiplier >= 2^31: not representable.
  if (shift > 62)
    // Below 2^-32: |x * real| < 0.5 for every int32 x, so every result rounds
    // to 0. {0, 0} computes exactly that.
    return FixedPointMultiplier{0, 0};
  return FixedPointMultiplier{static_cast<int32_t>(q),
                              static_cast<int32_t>(shift)};
}

double qlow::ref::toDouble(FixedPointMultiplier m) {
  return std::ldexp(static_cast<double>(m.multiplier), -m.shift);
}

int64_t qlow::ref::applyMultiplier(int64_t x, FixedPointMultiplier m,
                                   Rounding rounding) {
  assert(x >= -(int64_t(1) << 31) && x <= (int64_t(1) << 31) &&
         "applyMultiplier input must be an int32 value");
  assert(m.multiplier >= 0 && m.shift >= 0 && m.shift <= 62 &&
         "invalid fixed-point multiplier");
  // |x| <= 2^31 and multiplier < 2^31, so the product is exact (< 2^62) and
  // adding the rounding constant (<= 2^61) cannot overflow.
  int64_t p = x * int64_t(m.multiplier);
  if (m.shift == 0)
    return p;
  int64_t half = int64_t(1) << (m.shift - 1);
  if (rounding == Rounding::HalfEven) {
    // q = floor(p / 2^shift), r = p - q * 2^shift in [0, 2^shift): up if
    // r > half, or r == half and q is odd.
    int64_t q = floorShiftRight(p, m.shift);
    int64_t r = p - q * (int64_t(1) << m.shift);
    return q + ((r > half || (r == half && (q & 1))) ? 1 : 0);
  }
  // One rounding: add half, then floor (arithmetic shift). Ties go up.
  return floorShiftRight(p + half, m.shift);
}

//===----------------------------------------------------------------------===//
// Requantize
//===----------------------------------------------------------------------===//

int32_t qlow::ref::requantizeOutput(int64_t acc, FixedPointMultiplier m,
                                    int32_t outZeroPoint, int32_t qmin,
                                    int32_t qmax, Rounding rounding) {
  assert(qmin <= qmax && "empty storage range");
  // |applyMultiplier| < 2^62, so adding the zero point cannot overflow int64.
  return clampToInt32(applyMultiplier(acc, m, rounding) + outZeroPoint, qmin,
                      qmax);
}

int32_t qlow::ref::requantize(int32_t q, int32_t inZeroPoint,
                              FixedPointMultiplier m, int32_t outZeroPoint,
                              int32_t qmin, int32_t qmax) {
  return requantizeOutput(int64_t(q) - inZeroPoint, m, outZeroPoint, qmin,
                          qmax);
}

//===----------------------------------------------------------------------===//
// Accumulation and bias
//===----------------------------------------------------------------------===//

int32_t qlow::ref::quantizeBias(double bias, double inputScale,
                                double weightScale) {
  double v = roundHalfToEven(bias / (inputScale * weightScale));
  if (std::isnan(v))
    return 0;
  // Saturate in double before converting: the conversion of an out-of-range
  // double is undefined behaviour.
  if (v <= double(kInt32Min))
    return static_cast<int32_t>(kInt32Min);
  if (v >= double(kInt32Max))
    return static_cast<int32_t>(kInt32Max);
  return static_cast<int32_t>(v);
}

std::optional<int32_t> qlow::ref::foldBias(int32_t biasQ, int64_t weightSum,
                                           int64_t k, int32_t inputZeroPoint,
                                           int32_t weightZeroPoint) {
  // biasQ - zx*weightSum + K*zx*zw == biasQ - zx*(weightSum - K*zw). The
  // factored form keeps the cancellation inside the sum of (w - zw), so an
  // int64 overflow below means the true value cannot fit int32 either (for
  // weightSum a sum of K < 2^31 int32 weights).
  if (inputZeroPoint == 0)
    return biasQ;
  int64_t kzw, centered, scaled, result;
  if (!checkedMul(k, weightZeroPoint, kzw) ||
      !checkedSub(weightSum, kzw, centered) ||
      !checkedMul(centered, inputZeroPoint, scaled) ||
      !checkedSub(biasQ, scaled, result))
    return std::nullopt;
  if (result < kInt32Min || result > kInt32Max)
    return std::nullopt;
  return static_cast<int32_t>(result);
}

//===----------------------------------------------------------------------===//
// Add / mul
//===----------------------------------------------------------------------===//

int64_t qlow::ref::maxCenteredMagnitude(int64_t zeroPoint, int64_t qmin,
                                        int64_t qmax) {
  return std::max(std::abs(qmax - zeroPoint), std::abs(zeroPoint - qmin));
}

std::optional<AddParams> qlow::ref::computeAddParams(double sa, double sb,
                                                     double so, int64_t maxA,
                                                     int64_t maxB) {
  assert(maxA >= 0 && maxA <= 1024 && maxB >= 0 && maxB <= 1024 &&
         "add operands of at most 10 bits");
  double ra = sa / so, rb = sb / so;
  if (!std::isfinite(ra) || !std::isfinite(rb) || !(ra > 0) || !(rb > 0) ||
      !std::isfinite(so) || !(so > 0))
    return std::nullopt;
  // The largest shift whose multipliers keep the centered sum below 2^30:
  // the most precise multipliers i32 allows.
  for (int32_t shift = kAddMaxShift; shift >= 0; --shift) {
    double ma = std::round(std::ldexp(ra, shift));
    double mb = std::round(std::ldexp(rb, shift));
    if (ma * double(maxA) + mb * double(maxB) < kAddSumLimit)
      return AddParams{static_cast<int32_t>(ma), static_cast<int32_t>(mb),
                       shift};
  }
  return std::nullopt;
}

int32_t qlow::ref::quantizedAdd(int32_t a, int32_t za, int32_t b, int32_t zb,
                                const AddParams &params, int32_t zo,
                                int32_t qmin, int32_t qmax) {
  assert(params.shift >= 0 && params.shift <= kAddMaxShift && "bad shift");
  int64_t sum = (int64_t(a) - za) * params.a + (int64_t(b) - zb) * params.b;
  assert(sum > -kAddSumLimit && sum < kAddSumLimit && "operand out of range");
  int64_t round = params.shift == 0 ? 0 : int64_t(1) << (params.shift - 1);
  int64_t q = ((sum + round) >> params.shift) + zo;
  return static_cast<int32_t>(std::clamp<int64_t>(q, qmin, qmax));
}

std::optional<FixedPointMultiplier>
qlow::ref::computeMulMultiplier(double sa, double sb, double so) {
  return computeMultiplier(sa * sb / so);
}

int32_t qlow::ref::quantizedMul(int32_t a, int32_t za, int32_t b, int32_t zb,
                                FixedPointMultiplier m, int32_t zo,
                                int32_t qmin, int32_t qmax) {
  int64_t product = (int64_t(a) - za) * (int64_t(b) - zb);
  return requantizeOutput(product, m, zo, qmin, qmax);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

std::optional<FixedPointMultiplier>
qlow::ref::computeAvgPoolMultiplier(double inputScale, double outputScale,
                                    int64_t count) {
  if (count <= 0)
    return std::nullopt;
  return computeMultiplier(inputScale /
                           (outputScale * static_cast<double>(count)));
}

//===----------------------------------------------------------------------===//
// Clamp / activations
//===----------------------------------------------------------------------===//

std::pair<int32_t, int32_t>
qlow::ref::activationBounds(std::optional<float> realMin,
                            std::optional<float> realMax, float so, int32_t zo,
                            int32_t qmin, int32_t qmax) {
  int32_t lo = qmin, hi = qmax;
  if (realMin)
    lo = std::max(qmin, quantize(*realMin, so, zo, qmin, qmax));
  if (realMax)
    hi = std::min(qmax, quantize(*realMax, so, zo, qmin, qmax));
  return {lo, hi};
}
