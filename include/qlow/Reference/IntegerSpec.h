//===- IntegerSpec.h - Scalar reference of qlow's integer spec --*- C++ -*-===//
//
// Plain C++17 (standard library only) reference implementation of the integer
// arithmetic defined in docs/integer-spec.md. Every lowering of qlow must be
// bit-exact with these functions; the section numbers below refer to that
// document.
//
//===----------------------------------------------------------------------===//

#ifndef QLOW_REFERENCE_INTEGERSPEC_H
#define QLOW_REFERENCE_INTEGERSPEC_H

#include <cstdint>
#include <optional>
#include <utility>

namespace qlow::ref {

//===----------------------------------------------------------------------===//
// Storage ranges (spec section 12)
//===----------------------------------------------------------------------===//

/// Smallest storage value of a `bits`-wide integer: i8 -> -128, u8 -> 0.
/// Requires 1 <= bits <= 32 (signed) or 1 <= bits <= 31 (unsigned), so that
/// every storage value fits int32.
int32_t storageMin(unsigned bits, bool isSigned);
/// Largest storage value of a `bits`-wide integer: i8 -> 127, u8 -> 255.
int32_t storageMax(unsigned bits, bool isSigned);

//===----------------------------------------------------------------------===//
// Rounding helpers
//===----------------------------------------------------------------------===//

/// Round to nearest, ties to even, independent of the floating-point
/// environment's current rounding mode.
float roundHalfToEven(float x);
double roundHalfToEven(double x);

//===----------------------------------------------------------------------===//
// Quantize / dequantize (sections 1 and 2)
//===----------------------------------------------------------------------===//

/// float -> storage value. NaN maps to the zero point (clamped to the range);
/// otherwise roundeven(x / scale) (true f32 division), saturated to
/// [qmin - zeroPoint, qmax - zeroPoint], plus zeroPoint. +-inf saturate.
/// Requires `scale` finite and > 0 and qmin <= qmax.
int32_t quantize(float x, float scale, int32_t zeroPoint, int32_t qmin,
                 int32_t qmax);

/// storage value -> float: float(q - zeroPoint) * scale, in f32.
float dequantize(int32_t q, float scale, int32_t zeroPoint);

//===----------------------------------------------------------------------===//
// Fixed-point multiplier (sections 3 and 4)
//===----------------------------------------------------------------------===//

/// Represents the real number `multiplier * 2^-shift`. A valid multiplier
/// from computeMultiplier has multiplier in [2^30, 2^31 - 1] and shift in
/// [0, 62], or is {0, 0} (the real multiplier underflowed: every result is 0).
struct FixedPointMultiplier {
  int32_t multiplier;
  int32_t shift;
};

inline bool operator==(FixedPointMultiplier a, FixedPointMultiplier b) {
  return a.multiplier == b.multiplier && a.shift == b.shift;
}
inline bool operator!=(FixedPointMultiplier a, FixedPointMultiplier b) {
  return !(a == b);
}

/// Derives the fixed-point form of a real multiplier. Returns std::nullopt if
/// `realMultiplier` is not finite, is <= 0, or is >= 2^31 after rounding
/// (shift would be negative).
std::optional<FixedPointMultiplier> computeMultiplier(double realMultiplier);

/// The value `m` represents, as a double (exact: 31-bit mantissa).
double toDouble(FixedPointMultiplier m);

/// How a rescale breaks exact ties (sections 4 and 9).
enum class Rounding {
  /// Towards +infinity: every rescale except the average pools.
  HalfUp,
  /// To the even integer: average pools, whose ties are frequent.
  HalfEven,
};

/// round_half_up(x * m.multiplier * 2^-m.shift) (or roundeven, with
/// Rounding::HalfEven): one exact 64-bit product and one rounding arithmetic
/// shift. Requires |x| <= 2^31 (an int32 value held in int64) and a valid
/// `m`.
int64_t applyMultiplier(int64_t x, FixedPointMultiplier m,
                        Rounding rounding = Rounding::HalfUp);

//===----------------------------------------------------------------------===//
// Requantize (section 5)
//===----------------------------------------------------------------------===//

/// clamp(applyMultiplier(acc, m, rounding) + outZeroPoint, qmin, qmax),
/// evaluated in int64 so nothing wraps. Requires |acc| <= 2^31 and
/// qmin <= qmax.
int32_t requantizeOutput(int64_t acc, FixedPointMultiplier m,
                         int32_t outZeroPoint, int32_t qmin, int32_t qmax,
                         Rounding rounding = Rounding::HalfUp);

/// Moves a storage value from (inScale, inZeroPoint) to (outScale,
/// outZeroPoint); `m` is computeMultiplier(inScale / outScale).
int32_t requantize(int32_t q, int32_t inZeroPoint, FixedPointMultiplier m,
                   int32_t outZeroPoint, int32_t qmin, int32_t qmax);

//===----------------------------------------------------------------------===//
// Accumulation and bias (section 6)
//===----------------------------------------------------------------------===//

/// roundeven(bias / (inputScale * weightScale)) computed in double and
/// saturated to int32. NaN maps to 0 (the bias zero point).
int32_t quantizeBias(double bias, double inputScale, double weightScale);

/// foldedBias = biasQ - zx * weightSum + K * zx * zw, computed exactly in
/// int64. Returns std::nullopt if the result does not fit int32. `weightSum`
/// is the sum of the K int32 weights of the output channel (K < 2^31).
std::optional<int32_t> foldBias(int32_t biasQ, int64_t weightSum, int64_t k,
                                int32_t inputZeroPoint,
                                int32_t weightZeroPoint);

//===----------------------------------------------------------------------===//
// Elementwise add and mul (sections 7 and 8)
//===----------------------------------------------------------------------===//

/// A quantized add's two multipliers with their common shift (section 7):
/// the sum is ((qa - za) * a + (qb - zb) * b + round) >> shift in i32.
struct AddParams {
  int32_t a;
  int32_t b;
  int32_t shift;
};

inline bool operator==(const AddParams &x, const AddParams &y) {
  return x.a == y.a && x.b == y.b && x.shift == y.shift;
}

/// An add's centered sum stays below 2^30 in magnitude and its shift at
/// most 30, so sum + 2^(shift-1) fits i32.
constexpr int64_t kAddSumLimit = int64_t(1) << 30;
constexpr int32_t kAddMaxShift = 30;

/// Largest |q - zeroPoint| over the storage range [qmin, qmax].
int64_t maxCenteredMagnitude(int64_t zeroPoint, int64_t qmin, int64_t qmax);

/// Multipliers of a quantized add with input scales `sa`, `sb` and output
/// scale `so`, whose centered inputs |a - za| and |b - zb| are at most
/// `maxA` and `maxB` (maxCenteredMagnitude, at most 2^10). Returns
/// std::nullopt for non-finite or non-positive scales, or ratios so large
/// that even shift 0 overflows i32.
std::optional<AddParams> computeAddParams(double sa, double sb, double so,
                                          int64_t maxA, int64_t maxB);

/// Quantized a + b with one rounding (half up):
/// clamp(((a - za) * params.a + (b - zb) * params.b + 2^(shift-1)) >> shift
///       + zo, qmin, qmax).
/// Requires |a - za| <= maxA and |b - zb| <= maxB of computeAddParams.
int32_t quantizedAdd(int32_t a, int32_t za, int32_t b, int32_t zb,
                     const AddParams &params, int32_t zo, int32_t qmin,
                     int32_t qmax);

/// Multiplier of a quantized mul: computeMultiplier(sa * sb / so).
std::optional<FixedPointMultiplier> computeMulMultiplier(double sa, double sb,
                                                         double so);

/// Quantized a * b:
/// requantizeOutput((a - za) * (b - zb), m, zo, qmin, qmax).
/// Requires |(a - za) * (b - zb)| <= 2^31 (true for storage up to 16 bits).
int32_t quantizedMul(int32_t a, int32_t za, int32_t b, int32_t zb,
                     FixedPointMultiplier m, int32_t zo, int32_t qmin,
                     int32_t qmax);

//===----------------------------------------------------------------------===//
// Pooling (section 9)
//===----------------------------------------------------------------------===//

/// Multiplier of an average over `count` valid elements:
/// computeMultiplier(inputScale / (outputScale * count)). Requires count > 0.
/// The average is requantizeOutput(sum, m, zo, qmin, qmax,
/// Rounding::HalfEven).
std::optional<FixedPointMultiplier>
computeAvgPoolMultiplier(double inputScale, double outputScale, int64_t count);

//===----------------------------------------------------------------------===//
// Clamp / fused activations (section 11)
//===----------------------------------------------------------------------===//

/// Integer bounds [lo, hi] of a clamp of real bounds [realMin, realMax] on an
/// output with scale `so` and zero point `zo`; an absent bound is the storage
/// limit. lo = max(qmin, quantize(realMin)), hi = min(qmax, quantize(realMax)).
std::pair<int32_t, int32_t> activationBounds(std::optional<float> realMin,
                                             std::optional<float> realMax,
                                             float so, int32_t zo, int32_t qmin,
                                             int32_t qmax);

} // namespace qlow::ref

#endif // QLOW_REFERENCE_INTEGERSPEC_H
