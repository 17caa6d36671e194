//===- qlow-opt.cpp - qlow's opt-like driver ------------------------------===//
#include "qlow/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qlow::registerAllDialects(registry);
  mlir::qlow::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qlow optimizer driver\n", registry));
}
