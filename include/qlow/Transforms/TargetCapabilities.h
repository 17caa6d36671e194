//===- TargetCapabilities.h - what each target can run ----------*- C++ -*-===//
//
// The one table of target facts that precision legalization (and later code
// generation) consults.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_TARGETCAPABILITIES_H
#define QLOW_TRANSFORMS_TARGETCAPABILITIES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::qlow {

struct TargetCapabilities {
  llvm::StringLiteral name;
  llvm::StringLiteral description;
  /// An 8-bit dot product that accumulates into 32 bits without saturation
  /// (VNNI vpdpbusd, NEON sdot, PTX dp4a).
  bool int8DotProduct;
  /// An 8-bit matrix-multiply instruction (AArch64 i8mm smmla, mma.sync s8).
  bool int8MatrixMultiply;
  /// Native f16 arithmetic (not only f16 storage).
  bool f16Arithmetic;
  /// Widest weights the int8 kernels accept: 7 on x86 without VNNI, where
  /// vpmaddubsw sums two u8 x s8 products into a saturating i16 (2 * 255 *
  /// 127 > 32767, 2 * 255 * 64 < 32767).
  unsigned maxWeightBits;
};

/// The table's entries, and one by name (null if unknown).
ArrayRef<TargetCapabilities> getTargetCapabilities();
const TargetCapabilities *lookupTargetCapabilities(StringRef name);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_TARGETCAPABILITIES_H
