//===- LinalgBuilders.h - linalg structures qlow lowers to ------*- C++ -*-===//
//
// Reusable builders for the structures qlow-lower emits: grouped windowed
// convolutions and pools as one linalg.generic each, padding, NumPy-style
// broadcasting element-wise generics, and the integer arithmetic of
// docs/integer-spec.md (fixed-point rescale, quantize, dequantize) as scalar
// emitters usable inside any linalg body. All builders expect static shapes.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_LINALGBUILDERS_H
#define QLOW_TRANSFORMS_LINALGBUILDERS_H

#include "qlow/Reference/IntegerSpec.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir::qlow {

struct QuantParams;

//===----------------------------------------------------------------------===//
// Fixed-point multipliers (docs/integer-spec.md sections 3 and 4)
//===----------------------------------------------------------------------===//

/// `multiplier * 2^-shift`, as produced by qlow::ref::computeMultiplier.
struct FixedPoint {
  int32_t multiplier = 0;
  int32_t shift = 0;
  /// {2^30, 30} is exactly 1.0: applying it is the identity.
  bool isIdentity() const {
    return multiplier == (int32_t(1) << 30) && shift == 30;
  }
};

/// qlow::ref::computeMultiplier; std::nullopt if `real` is not finite, not
/// positive or at least 2^31.
std::optional<FixedPoint> computeFixedPoint(double real);

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

/// A scalar integer or index constant of type `type`.
Value createIntConstant(OpBuilder &b, Location loc, Type type, int64_t value);
/// A scalar float constant of float type `type`.
Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value);
/// A rank-1 dense constant tensor.
Value createI32TableConstant(OpBuilder &b, Location loc,
                             ArrayRef<int32_t> values);
Value createF32TableConstant(OpBuilder &b, Location loc,
                             ArrayRef<float> values);

/// tensor.empty of `type` (static shape).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);
/// tensor.empty + linalg.fill with the scalar `value`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// Pads dimensions 1 (H) and 2 (W) of an NHWC tensor; `padding` is
/// [top, bottom, left, right]. Returns `input` unchanged when all are zero.
Value padNHWC(OpBuilder &b, Location loc, Value input,
              ArrayRef<int64_t> padding, Value padValue);

/// tensor.expand_shape / tensor.collapse_shape to `type`.
Value expandTo(OpBuilder &b, Location loc, Value v, RankedTensorType type,
               ArrayRef<ReassociationIndices> reassociation);
Value collapseTo(OpBuilder &b, Location loc, Value v, RankedTensorType type,
                 ArrayRef<ReassociationIndices> reassociation);
/// A static reshape: one expand or collapse when the shapes allow it, else a
/// collapse to rank 1 followed by an expand.
Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType type);

/// Extends (or truncates) an integer scalar to `type`, zero-extending when
/// `isUnsigned`.
Value castInt(OpBuilder &b, Location loc, Value v, Type type, bool isUnsigned);
/// Extends or truncates a float scalar to float type `type`.
Value castFloat(OpBuilder &b, Location loc, Value v, Type type);

//===----------------------------------------------------------------------===//
// Element-wise generics
//===----------------------------------------------------------------------===//

using ScalarBodyFn =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// One linalg.generic with the single output `init`; `body` gets the block
/// arguments (input elements, then the output element) and returns the
/// yielded value.
Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                   ArrayRef<AffineMap> maps,
                   ArrayRef<utils::IteratorType> iterators, ScalarBodyFn body);

/// One parallel linalg.generic producing `resultType`. `inputs` have the
/// result's rank and broadcast NumPy-style (a static dimension of 1 where the
/// result's is larger stretches); `channelInputs` are rank-1 tensors indexed
/// by dimension `axis` of the result (per-channel parameters; axis < 0 counts
/// from the end). `body` gets the input elements, then the channel elements,
/// and returns the result element; it may use linalg.index.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ValueRange channelInputs,
                       int64_t axis, ScalarBodyFn body);

/// Broadcasts a rank-1 tensor along dimension `axis` of `resultType`.
Value broadcastChannels(OpBuilder &b, Location loc, Value channels,
                        RankedTensorType resultType, int64_t axis);

//===----------------------------------------------------------------------===//
// Windowed generics (NHWC input, OHWI filter)
//===----------------------------------------------------------------------===//

/// Accumulation step: (x, w, acc) -> acc' for convolutions, (x, acc) ->
/// acc' for window reductions.
using ConvBodyFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)>;
using WindowBodyFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>;

/// A grouped 2-D convolution as ONE linalg.generic for every group count:
/// the channel dims are expanded to input [N,Hp,Wp,G,C/G], filter
/// [G,O/G,KH,KW,C/G] and output [N,OH,OW,G,O/G] with the input map
/// (n, oh*sh + kh*dh, ow*sw + kw*dw, g, ci), and the result collapsed back to
/// [N,OH,OW,O]. `paddedInput` is already padded; `init` [N,OH,OW,O] holds the
/// accumulator's initial values (e.g. the broadcast bias).
Value buildGroupedConv2D(OpBuilder &b, Location loc, Value paddedInput,
                         Value filter, Value init, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilation, int64_t groups,
                         ConvBodyFn body);

/// The per-group window reduction matching buildGroupedConv2D: for each
/// output position and group, reduces the [KH,KW,C/G] window of
/// `paddedInput` into `init` [N,OH,OW,G] (e.g. the window sums of x that a
/// weight zero point multiplies).
Value buildGroupedWindowReduction(OpBuilder &b, Location loc,
                                  Value paddedInput, Value init,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilation, int64_t groups,
                                  WindowBodyFn body);

/// A pooling window reduction: reduces each [KH,KW] window of channel c of
/// `paddedInput` into `init` [N,OH,OW,C].
Value buildPool2D(OpBuilder &b, Location loc, Value paddedInput, Value init,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  WindowBodyFn body);

/// Inside a generic over [N,OH,OW,C]: the number of non-padding positions of
/// the window at the current (oh, ow), as an index value computed from
/// linalg.index (pools: unit dilation).
Value emitValidWindowCount(OpBuilder &b, Location loc, int64_t inH,
                           int64_t inW, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> padding);

/// The same count at compile time.
int64_t validWindowCount(int64_t oh, int64_t ow, int64_t inH, int64_t inW,
                         ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> padding);

//===----------------------------------------------------------------------===//
// Integer arithmetic of the spec, as scalar emitters
//===----------------------------------------------------------------------===//

/// round_half_up(x * m * 2^-s) on an i64 `x` (spec section 4): p = x * m;
/// s == 0 ? p : (p + (1 << (s-1))) >> s with an arithmetic shift. With
/// Rounding::HalfEven (average pools, section 9) ties go to even:
/// (p + (1 << (s-1)) - 1 + ((p >> s) & 1)) >> s.
Value emitApplyMultiplier(
    OpBuilder &b, Location loc, Value x64, FixedPoint m,
    ::qlow::ref::Rounding rounding = ::qlow::ref::Rounding::HalfUp);
/// The same with a run-time multiplier and shift (i32 or i64 scalars).
Value emitApplyMultiplier(
    OpBuilder &b, Location loc, Value x64, Value m, Value s,
    ::qlow::ref::Rounding rounding = ::qlow::ref::Rounding::HalfUp);

/// clamp(v, lo, hi) on i64, then truncation to integer type `type`.
Value emitClampAndTrunc(OpBuilder &b, Location loc, Value v64, int64_t lo,
                        int64_t hi, Type type);

/// Parameters of a fixed-point rescale (qlow.rescale, requantize). Vectors
/// hold one entry (per tensor) or one per index of dimension `axis`.
struct RescaleSpec {
  SmallVector<FixedPoint> multipliers;
  SmallVector<int64_t> inputZeroPoints{0};
  SmallVector<int64_t> outputZeroPoints{0};
  int64_t axis = -1;
  int64_t min = 0, max = 0;
  /// Read the input with zero extension (u8 held in i8).
  bool inputUnsigned = false;
  /// How ties round (half up, or half to even for average pools).
  ::qlow::ref::Rounding rounding = ::qlow::ref::Rounding::HalfUp;
};

/// Per element: y = clamp(applyMultiplier(x - inZp, m) + outZp, min, max),
/// in i64, truncated to the result's element type (spec sections 4 and 5).
Value buildRescale(OpBuilder &b, Location loc, Value input,
                   RankedTensorType resultType, const RescaleSpec &spec);

/// Float tensor -> storage integers (spec section 1): NaN -> z, else
/// roundeven(x / s) in f32, clamped in float to [qmin - z, qmax - z],
/// fptosi, + z, truncated. `resultType` has the storage element type.
Value buildQuantize(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType, const QuantParams &params);

/// Storage integers -> float (spec section 2): f32(q - z) * s, then cast to
/// the result's float type.
Value buildDequantize(OpBuilder &b, Location loc, Value input,
                      RankedTensorType resultType, const QuantParams &params);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_LINALGBUILDERS_H
