//===- QuantUtils.h - helpers over !quant.uniform types ---------*- C++ -*-===//
//
// One place that reads quantization parameters out of upstream quant types,
// so that verifiers, passes and the reference evaluator agree on them.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_DIALECT_QUANTUTILS_H
#define QLOW_DIALECT_QUANTUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::qlow {

/// The quantized element type of `type` (a tensor or a scalar), or null.
quant::QuantizedType getQuantElementType(Type type);
inline bool isQuantized(Type type) { return bool(getQuantElementType(type)); }
inline bool isQuantized(Value v) { return isQuantized(v.getType()); }
/// True for tensors of f32/f16/bf16.
bool isFloatTensor(Type type);

/// Quantization parameters of one tensor, per-tensor ones broadcast into
/// one-element vectors (axis = -1).
struct QuantParams {
  llvm::SmallVector<double> scales;
  llvm::SmallVector<int64_t> zeroPoints;
  int32_t axis = -1;
  int64_t qmin = 0, qmax = 0;
  unsigned bits = 8;
  bool isSigned = true;

  bool isPerAxis() const { return axis >= 0; }
  double scale(int64_t i = 0) const { return scales[isPerAxis() ? i : 0]; }
  int64_t zeroPoint(int64_t i = 0) const {
    return zeroPoints[isPerAxis() ? i : 0];
  }
  bool allZeroPointsZero() const;
};

/// Parameters of a uniform (per-tensor or per-axis) quantized type; fails for
/// other quantized types.
FailureOr<QuantParams> getQuantParams(quant::QuantizedType type);
FailureOr<QuantParams> getQuantParams(Type tensorOrElementType);

/// Checks what upstream types do not: finite positive scales, zero points in
/// the storage range, a per-axis dimension that exists in `shape` and one
/// parameter per index of it.
LogicalResult verifyQuantType(quant::QuantizedType type,
                              ArrayRef<int64_t> shape,
                              function_ref<InFlightDiagnostic()> emitError);

/// `tensor<...x!quant.uniform<i8:f32,...>>` -> `tensor<...xi8>`.
Type getStorageType(Type type);
/// `tensor<...x!quant.uniform<i8:f32,...>>` -> `tensor<...xf32>`.
Type getExpressedType(Type type);
/// The same shape with another element type.
RankedTensorType withElementType(Type tensorType, Type elementType);

/// Scale and zero point that map the real range [rmin, rmax] (widened to
/// contain 0, so that real zero is exact) onto [qmin, qmax]. `symmetric`
/// fixes the zero point at the middle of the range (0 for a narrow signed
/// range [-q, q]).
struct ScaleAndZeroPoint {
  double scale;
  int64_t zeroPoint;
};
ScaleAndZeroPoint chooseScaleAndZeroPoint(double rmin, double rmax,
                                          int64_t qmin, int64_t qmax,
                                          bool symmetric);

/// A per-tensor uniform type that represents the real range [rmin, rmax]
/// (widened to contain 0, so that real zero is exact). `symmetric` forces a
/// zero point of 0 with the narrow range [-(2^(b-1)-1), 2^(b-1)-1] for
/// signed storage.
quant::UniformQuantizedType
getUniformTypeForRange(MLIRContext *ctx, double rmin, double rmax,
                       unsigned bits, bool isSigned, bool symmetric,
                       Type expressedType);

} // namespace mlir::qlow

#endif // QLOW_DIALECT_QUANTUTILS_H
