//===- TestData.cpp - deterministic inputs for execution tests ------------===//
#include "qlow/Support/TestData.h"

#include <algorithm>
#include <cmath>

uint64_t qlow::splitmix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

float qlow::testInputValue(uint64_t seed, uint64_t index, float range) {
  uint64_t bits = splitmix64(splitmix64(seed) + index) >> 40;
  int32_t centered = static_cast<int32_t>(bits) - (int32_t(1) << 23);
  // |centered| <= 2^23: the conversion is exact, and so is the power-of-two
  // scaling (no subnormals). Written as two statements so that no compiler
  // may contract them into anything else.
  float unit = static_cast<float>(centered) * 0x1p-23f;
  float value = unit * range;
  return value;
}

int64_t qlow::testInputInteger(uint64_t seed, uint64_t index, float range,
                               unsigned bits) {
  float scaled = testInputValue(seed, index, range) * 100.0f;
  // Ties to even without depending on the floating-point environment:
  // floor, then compare the remainder (exact in f64 for any f32).
  double f = std::floor(static_cast<double>(scaled));
  double rem = static_cast<double>(scaled) - f;
  if (rem > 0.5 || (rem == 0.5 && std::fmod(f, 2.0) != 0.0))
    f += 1.0;
  bits = std::clamp(bits, 1u, 64u);
  double lo = -std::ldexp(1.0, static_cast<int>(bits) - 1);
  double hi = std::ldexp(1.0, static_cast<int>(bits) - 1) - 1.0;
  if (bits == 64)
    hi = 9223372036854774784.0; // the largest double below 2^63
  return static_cast<int64_t>(std::clamp(f, lo, hi));
}
