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

#endif // QLOW_DIALECT_QLOWOPS_H
