//===- QlowOps.h - qlow ops -------------------------------------*- C++ -*-===//
#ifndef QLOW_DIALECT_QLOWOPS_H
#define QLOW_DIALECT_QLOWOPS_H

#include "Qlow/IR/QlowDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Qlow/IR/QlowOps.h.inc"

namespace mlir {
class RewritePatternSet;
namespace qlow {
/// Fuses qlow.clamp into the conv/matmul/add producing its single-use input.
/// Float clamps fuse exactly (a canonicalization); with `quantized` the
/// producer also takes the clamp's quantized result type, which drops one
/// requantization (qlow-fold does this).
void populateFuseClampPatterns(RewritePatternSet &patterns, bool quantized);
} // namespace qlow
} // namespace mlir

#endif // QLOW_DIALECT_QLOWOPS_H
