//===- TestData.h - deterministic inputs for execution tests ----*- C++ -*-===//
//
// The one definition of the inputs that qlow's execution tests feed a model:
// the test harness pass (qlow-test-harness) bakes them into the IR it
// generates and qlow-reference-eval computes the same ones, so both evaluate
// the model on bit-identical data. Plain C++17, no MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_SUPPORT_TESTDATA_H
#define QLOW_SUPPORT_TESTDATA_H

#include <cstdint>

namespace qlow {

/// The splitmix64 finalizer of `x + 0x9E3779B97F4A7C15` (one splitmix64 step
/// from state `x`).
uint64_t splitmix64(uint64_t x);

/// Element `index` of the inputs of seed `seed`: a uniform float in
/// [-range, range).
///
///   bits = splitmix64(splitmix64(seed) + index) >> 40   // 24 random bits
///   u    = float(int32(bits) - 2^23) * 2^-23            // exact, in [-1, 1)
///   v    = u * range                                    // one f32 multiply
///
/// The integer steps and the conversion of a 24-bit integer are exact, the
/// scaling by 2^-23 is exact and the final product is one correctly rounded
/// IEEE f32 multiply, so the value is the same on every platform and
/// compiler. The product never rounds up to `range` (|u| <= 1 - 2^-23).
/// `range` must be finite and > 0.
float testInputValue(uint64_t seed, uint64_t index, float range);

/// The seed of argument `argIndex` when a function is fed from `seed`:
/// distinct per argument, so that two same-shaped arguments never get the
/// same data (which would hide swapped operands).
inline uint64_t testArgumentSeed(uint64_t seed, unsigned argIndex) {
  return seed + uint64_t(argIndex) * 0x9E3779B97F4A7C15ULL;
}

/// Element `index` of an integer input of `bits` (1..64) bits, signed:
/// roundeven(testInputValue(seed, index, range) * 100) (one f32 multiply,
/// ties to even) clamped to [-2^(bits-1), 2^(bits-1) - 1]. With the default
/// range 1.0 an i8 input covers [-100, 100].
int64_t testInputInteger(uint64_t seed, uint64_t index, float range,
                         unsigned bits);

} // namespace qlow

#endif // QLOW_SUPPORT_TESTDATA_H
