//===- Utils.h - helpers shared by qlow passes ------------------*- C++ -*-===//
#ifndef QLOW_TRANSFORMS_UTILS_H
#define QLOW_TRANSFORMS_UTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::qlow {

/// Attribute names shared between passes.
constexpr llvm::StringLiteral kArgNameAttr = "qlow.name";
constexpr llvm::StringLiteral kPrecisionAttr = "qlow.precision";
constexpr llvm::StringLiteral kWeightBitsAttr = "qlow.weight_bits";
/// On a function argument or result: its i8 storage holds u8 values (set by
/// qlow-lower where it erases an unsigned `!quant` type at the boundary; the
/// C interface reports QLOW_DTYPE_U8).
constexpr llvm::StringLiteral kUnsignedAttr = "qlow.unsigned";
/// On a function argument or result: its i8 values are bools, 0 or 1 (set by
/// the ONNX importer for bool graph inputs and outputs; the C interface
/// reports QLOW_DTYPE_BOOL).
constexpr llvm::StringLiteral kBoolAttr = "qlow.bool";

/// The stable tensor name of `v`: the producing op's `name` (with `:<i>` for
/// results after the first of a multi-result op) or a function argument's
/// `qlow.name`; "" when it has none.
std::string getTensorName(Value v);

/// The compute ops qlow can quantize (conv, matmul, element-wise, pools,
/// concat, clamp and the layout ops).
bool isQuantizableOp(Operation *op);

/// Ops whose output quantization must equal their input's (layout ops and max
/// pool): they move or select values, never compute new ones.
bool keepsInputQuantization(Operation *op);

/// Ops whose result lies within the range of their (single) input: those
/// that keep the input quantization and the average pools. A pre-quantized
/// model may leave such an op unquantized (PyTorch QAT observes no pool);
/// its input's quantization then fits its result too.
bool preservesInputRange(Operation *op);

/// The operand indices of `op` that are weights (constant, quantized at
/// compile time per channel) and biases (kept f32 until qlow-fold).
std::optional<unsigned> getWeightOperandIndex(Operation *op);
std::optional<unsigned> getBiasOperandIndex(Operation *op);
/// The output-channel dimension of the weight operand.
int64_t getWeightChannelAxis(Operation *op);

/// The elements of a constant float tensor (arith.constant with a dense
/// attribute), or nullopt.
std::optional<std::vector<float>> getConstantFloats(Value v);
DenseElementsAttr getConstantDense(Value v);

/// Moves `op` into a new qlow.float_island (named like `op`) that yields its
/// results, and returns the island.
Operation *wrapInFloatIsland(Operation *op, StringRef reason);

/// Applies `patterns` greedily and fails if the driver fails or any pattern
/// emitted an error (a pattern that finds bad input reports it and declines
/// to match; the pass must then fail, not carry on).
LogicalResult applyPatternsOrFail(Operation *op, RewritePatternSet &&patterns);

/// True when `op` sits inside a qlow.float_island.
bool isInFloatIsland(Operation *op);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_UTILS_H
