//===- X86Transforms.h - x86 backend internals ------------------*- C++ -*-===//
#ifndef QLOW_LIB_TARGET_X86_X86TRANSFORMS_H
#define QLOW_LIB_TARGET_X86_X86TRANSFORMS_H

#include "mlir/IR/PatternMatch.h"

#include <cstdint>
#include <optional>

namespace mlir {
class Operation;
namespace func {
class FuncOp;
} // namespace func
namespace vector {
class ContractionOp;
} // namespace vector
namespace qlow::x86 {

/// The vector.contract forms the x86 dot-product rewrites handle: an
/// unmasked sum into a fixed-length i32 accumulator,
/// C[m,n] += A[m,k] B[k,n] (or B[n,k]), or without m,
/// C[n] += A[k] B[k,n] (or B[n,k]).
struct DotProductForm {
  bool hasM;          ///< the C[m,n] form
  bool rhsTransposed; ///< B indexed [n,k]
};
std::optional<DotProductForm> matchDotProductForm(vector::ContractionOp op);

/// `v` zero-padded at the end of each dimension to `shape` (same rank).
Value padWithZeros(OpBuilder &b, Location loc, Value v,
                   ArrayRef<int64_t> shape);

/// The kernel of both dot-product rewrites (see DotProducts.cpp): `rows` is
/// A as [M][K'] with K' a multiple of 4 bytes, `acc` the contraction's
/// accumulator ([M][N] or [N] i32). For every row, each 32-bit group of
/// reduction elements is broadcast to `broadcastType` and
/// `step(accChunk, broadcast, group, chunk)` accumulates it into the chunk
/// of `lanes` outputs (N padded to whole chunks). Returns the new
/// accumulator.
Value emitBroadcastDotProducts(
    OpBuilder &b, Location loc, Value rows, Value acc, int64_t lanes,
    VectorType broadcastType,
    function_ref<Value(Value accChunk, Value broadcast, int64_t group,
                       int64_t chunk)>
        step);

/// Contractions of signed 8-bit activations with constant signed 8-bit
/// weights of magnitude at most `maxWeightMagnitude` are rewritten over
/// unsigned activations (x ^ 0x80) with the correction folded into their
/// initial value (see UnsignedActivations.cpp).
void shiftToUnsignedActivations(func::FuncOp fn, int64_t maxWeightMagnitude);

/// Convolutions over a padded input of fewer than 16 channels that are not a
/// multiple of 4 read it padded further to a multiple of 4 channels (zero
/// weights for the extra ones): aligned 4-byte groups for the dot products.
void padChannelsToQuads(func::FuncOp fn);

/// An element-wise unary op on `insert_slice(src, fill(c))` (a padded
/// buffer) becomes `insert_slice(f(src), fill(f(c)))`, so that it fuses into
/// src's producer instead of being its own pass.
void pushElementwiseIntoPadding(func::FuncOp fn);

/// vector.contract of zero-extended u8 activations and sign-extended i8
/// weights into i32, lowered to vpdpbusd (`vnni`) or vpmaddubsw + vpmaddwd
/// (weights provably within [-64, 64]); see ContractToX86Dot.cpp.
void populateContractToX86DotPatterns(RewritePatternSet &patterns, bool vnni,
                                      PatternBenefit benefit = 1);

/// vector.contract of 8/16-bit operands into i32, lowered to pmaddwd pairs
/// (`vectorBits` 256: AVX2 vpmaddwd, 128: SSE2 pmaddwd); see
/// ContractToPairwiseMulAdd.cpp.
void populateContractToPairwiseMulAddPatterns(RewritePatternSet &patterns,
                                              unsigned vectorBits,
                                              PatternBenefit benefit = 1);

/// Rewrites the i64 fixed-point rescales (and the zero point, clamp and
/// truncation after them) in the bodies of the linalg.generic ops under
/// `root` into i32 arithmetic where every shift is at least 32: the same
/// integers, with lanes x86 handles well (see NarrowFixedPoint.cpp).
void narrowFixedPointArithmetic(Operation *root);

} // namespace qlow::x86
} // namespace mlir

#endif // QLOW_LIB_TARGET_X86_X86TRANSFORMS_H
