//===- QlowDialect.cpp - the qlow dialect ---------------------------------===//
#include "Qlow/IR/QlowDialect.h"
#include "Qlow/IR/QlowOps.h"

using namespace mlir;
using namespace mlir::qlow;

#include "Qlow/IR/QlowOpsDialect.cpp.inc"

void QlowDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Qlow/IR/QlowOps.cpp.inc"
      >();
}

Operation *QlowDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return nullptr;
  return ConstOp::create(builder, loc, type, elements);
}
