//===- Passes.h - qlow code generation passes -------------------*- C++ -*-===//
#ifndef QLOW_TARGET_PASSES_H
#define QLOW_TARGET_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qlow {

#define GEN_PASS_DECL
#include "qlow/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qlow/Target/Passes.h.inc"

} // namespace mlir::qlow

#endif // QLOW_TARGET_PASSES_H
