//===- Passes.h - qlow passes -----------------------------------*- C++ -*-===//
#ifndef QLOW_TRANSFORMS_PASSES_H
#define QLOW_TRANSFORMS_PASSES_H

#include "Qlow/IR/QlowDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qlow {

#define GEN_PASS_DECL
#include "qlow/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qlow/Transforms/Passes.h.inc"

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_PASSES_H
