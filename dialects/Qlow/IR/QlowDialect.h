//===- QlowDialect.h - the qlow dialect -------------------------*- C++ -*-===//
#ifndef QLOW_DIALECT_QLOWDIALECT_H
#define QLOW_DIALECT_QLOWDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "Qlow/IR/QlowOpsDialect.h.inc"

#endif // QLOW_DIALECT_QLOWDIALECT_H
