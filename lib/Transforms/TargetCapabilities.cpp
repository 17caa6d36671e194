//===- TargetCapabilities.cpp - what each target can run ------------------===//
#include "qlow/Transforms/TargetCapabilities.h"

using namespace mlir;
using namespace mlir::qlow;

static const TargetCapabilities kTargets[] = {
    // name, description, dot, mmla, f16, weight bits
    {"x86-64-avx2", "x86-64 with AVX2 (vpmaddubsw, no VNNI)", false, false,
     false, 7},
    {"x86-64-vnni", "x86-64 with AVX-VNNI (vpdpbusd)", true, false, false, 8},
    {"x86-64-avx512-vnni", "x86-64 with AVX-512 VNNI", true, false, false, 8},
    {"x86-64-avx512-fp16", "x86-64 with AVX-512 VNNI and FP16", true, false,
     true, 8},
    {"aarch64", "AArch64 NEON (Armv8.0: smull/sadalp, no f16 arithmetic)",
     false, false, false, 8},
    {"aarch64-dotprod", "AArch64 NEON with dotprod (sdot) and fp16", true,
     false, true, 8},
    {"aarch64-i8mm", "AArch64 NEON with i8mm (smmla), dotprod and fp16", true,
     true, true, 8},
    {"sm_80", "NVIDIA sm_80 (dp4a, mma.sync s8, f16)", true, true, true, 8},
    {"sm_90", "NVIDIA sm_90 (dp4a, mma.sync s8, f16)", true, true, true, 8},
};

ArrayRef<TargetCapabilities> mlir::qlow::getTargetCapabilities() {
  return kTargets;
}

const TargetCapabilities *
mlir::qlow::lookupTargetCapabilities(StringRef name) {
  for (const TargetCapabilities &t : kTargets)
    if (t.name == name)
      return &t;
  return nullptr;
}
