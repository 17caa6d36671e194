//===- LowerPatterns.h - qlow to linalg/arith conversion --------*- C++ -*-===//
//
// The dialect-conversion patterns behind `qlow-lower`, for reuse in other
// conversion drivers.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_LOWERPATTERNS_H
#define QLOW_TRANSFORMS_LOWERPATTERNS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/LogicalResult.h"

namespace mlir {
class ConversionTarget;
class Operation;
class RewritePatternSet;
class TypeConverter;
namespace qlow {

/// Adds the storage conversions to `converter`: every `!quant` element type
/// (scalar or in a ranked tensor) becomes its signless storage integer (i8
/// for i8, u8 and narrower storage; iN for wider), other types stay.
void addQlowStorageTypeConversions(TypeConverter &converter);

/// Patterns lowering every qlow op (integer form, quantized and float ops)
/// to linalg/tensor/arith/math on storage integers, plus the type
/// conversion of `qlow.float_island`/`qlow.yield` and `quant.scast`.
/// Boundary quantize/dequantize become new `qlow.float_island`s.
void populateQlowToLinalgPatterns(TypeConverter &converter,
                                  RewritePatternSet &patterns);

/// Marks qlow ops illegal (islands legal once their types are) and
/// linalg/tensor/arith/math legal.
void configureQlowToLinalgTarget(ConversionTarget &target,
                                 const TypeConverter &converter);

/// Checks, with a diagnostic on the offending op, everything the patterns
/// would fail on: derivable multipliers, static shapes, quantized float-form
/// convolutions/matmuls that qlow-fold should have rewritten.
LogicalResult checkQlowLowerable(Operation *root);

} // namespace qlow
} // namespace mlir

#endif // QLOW_TRANSFORMS_LOWERPATTERNS_H
