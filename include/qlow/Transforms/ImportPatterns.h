//===- ImportPatterns.h - TOSA/linalg -> qlow patterns ----------*- C++ -*-===//
//
// The rewrite patterns behind `qlow-import`, exposed for reuse, and the small
// helpers they share. Patterns leave the `name` attribute unset: the pass
// names every qlow op once all rewrites are done, from the op's location
// (a NameLoc) or from its mnemonic and program order.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_IMPORTPATTERNS_H
#define QLOW_TRANSFORMS_IMPORTPATTERNS_H

#include "Qlow/IR/QlowOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qlow {

/// tosa.{conv2d, depthwise_conv2d, matmul, add, mul, clamp, max_pool2d,
/// avg_pool2d, reshape, transpose, concat, const} -> qlow ops / arith.constant.
void populateTosaToQlowPatterns(RewritePatternSet &patterns);

/// linalg.{conv_2d_nhwc_hwcf, conv_2d_nhwc_fhwc, depthwise_conv_2d_nhwc_hwc,
/// matmul, batch_matmul, add, mul, pooling_nhwc_max} on tensors -> qlow ops,
/// folding a zero `tensor.pad` in front of a conv (an -inf/lowest one in
/// front of a max pool) into the op's padding.
void populateLinalgToQlowPatterns(RewritePatternSet &patterns);

/// Checks that a TOSA op can be imported as part of an FP32 model: float
/// data, zero points that are constant 0, a constant 0 `tosa.mul` shift.
/// Emits an error on the op and fails otherwise; succeeds for non-TOSA ops.
LogicalResult checkTosaOpImportable(Operation *op);

namespace import {

/// Base of the import patterns: never rewrites an op inside a
/// `qlow.float_island` (what is there stays float on purpose).
template <typename OpTy>
struct ImportPattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const final {
    if (op->template getParentOfType<FloatIslandOp>())
      return failure();
    return importOp(op, rewriter);
  }
  virtual LogicalResult importOp(OpTy op, PatternRewriter &rewriter) const = 0;
};

/// `loc` with every NameLoc replaced by its child location: for helper ops
/// (weight transposes, init adds) so that the source name goes to the op
/// that computes the source op's tensor.
Location auxLoc(Location loc);

/// The constant value of `v` as dense elements (of a tosa.const,
/// arith.constant or any ConstantLike op), or null.
DenseElementsAttr getDenseConstant(Value v);

/// True if `v` is a constant whose elements are all (+-)0.0.
bool isZeroFloatConstant(Value v);

/// `attr` transposed (result dimension i is input dimension perm[i]) and
/// then reshaped to `shape` (same element count).
DenseElementsAttr permuteConstant(DenseElementsAttr attr,
                                  ArrayRef<int64_t> perm,
                                  ArrayRef<int64_t> shape);

/// `v` transposed by `perm` and reshaped to `shape`: a new arith.constant when
/// `v` is constant, else qlow.transpose (+ qlow.reshape when the shape
/// changes). Identity permutations and reshapes are skipped.
Value permuteAndReshape(PatternRewriter &rewriter, Location loc, Value v,
                        ArrayRef<int64_t> perm, ArrayRef<int64_t> shape);

} // namespace import
} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_IMPORTPATTERNS_H
