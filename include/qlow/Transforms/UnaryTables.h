//===- UnaryTables.h - 8-bit lookup tables of float islands -----*- C++ -*-===//
//
// A float island that computes an element-wise function of one tensor (a
// Sigmoid, HardSwish, SiLU, Gelu, ... of the ONNX importer) is, on 8-bit
// quantized data, a function of 256 integers: qlow-quantize and
// qlow-import-qdq replace it by a qlow.lut whose table is computed here, at
// compile time, by evaluating the island's ops on the 256 dequantized values
// (docs/integer-spec.md, section 13).
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_UNARYTABLES_H
#define QLOW_TRANSFORMS_UNARYTABLES_H

#include "Qlow/IR/QlowOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <optional>
#include <vector>

namespace mlir::qlow {

/// The one tensor `island` computes an element-wise function of: its only
/// operand from outside that is not a splat constant, of the island's
/// (single) result's shape and f32. Null when the island is not of that
/// form.
Value getUnaryIslandInput(FloatIslandOp island);

/// The island's function of its input (getUnaryIslandInput) at `xs`,
/// evaluated in double precision op by op; nullopt when an op is not an
/// element-wise one the evaluator knows (TOSA's activations, arithmetic,
/// comparisons and select; element-wise math) or reads a constant that is
/// not a splat.
std::optional<std::vector<double>>
evaluateUnaryIsland(FloatIslandOp island, ArrayRef<double> xs);

/// True for an island qlow-quantize and qlow-import-qdq make a table of
/// (given 8-bit data): an element-wise function of one tensor the evaluator
/// knows, not kept in float by a precision override.
bool isTabulatableIsland(FloatIslandOp island);

/// The table of a qlow.lut computing `island` from input type `in` to
/// result type `out`: entry q - qmin = quantize(f(dequantize(q))) with the
/// integer spec's quantize and dequantize; nullopt when the island cannot
/// be evaluated.
std::optional<SmallVector<int32_t>>
tabulateUnaryIsland(FloatIslandOp island, quant::UniformQuantizedType in,
                    quant::UniformQuantizedType out);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_UNARYTABLES_H
