//===- InitAll.cpp - register everything qlow tools use -------------------===//
#include "qlow/InitAll.h"

#include "Qlow/IR/QlowDialect.h"
#include "qlow/Pipelines/Pipelines.h"
#include "qlow/Target/Passes.h"
#include "qlow/Target/X86/X86Backend.h"
#include "qlow/Testing/TestPasses.h"
#include "qlow/Transforms/Passes.h"
#include "qlow/Transforms/RunnerLowering.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::qlow::registerAllDialects(DialectRegistry &registry) {
  registry.insert<QlowDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void mlir::qlow::registerAllPasses() {
  mlir::registerAllPasses();
  registerQlowPasses();
  registerQlowPipelines();
  registerQlowTargetPasses();
  registerQlowX86Pipelines();
  registerQlowTestPasses();
  registerQlowTestPipelines();
}
