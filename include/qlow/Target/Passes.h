//===- Passes.h - qlow code generation passes -------------------*- C++ -*-===//
#ifndef QLOW_TARGET_PASSES_H
#define QLOW_TARGET_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qlow {

#define GEN_PASS_DECL
#include "qlow/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qlow/Target/Passes.h.inc"

} // namespace mlir::qlow

#endif // QLOW_TARGET_PASSES_H
