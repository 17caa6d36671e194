//===- RunnerLowering.cpp - lowering to LLVM for execution tests ----------===//
#include "qlow/Transforms/RunnerLowering.h"
#include "qlow/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void mlir::qlow::buildQlowRunnerLoweringPipeline(OpPassManager &pm) {
  pm.addPass(createQlowInlineFloatIslands());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // vector.print lowers to calls that take arith ops: before arith-to-llvm.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::qlow::registerQlowTestPipelines() {
  PassPipelineRegistration<>(
      "qlow-test-lower-to-llvm",
      "Lower qlow-lower's output to the LLVM dialect for mlir-runner "
      "(execution tests)",
      [](OpPassManager &pm) { buildQlowRunnerLoweringPipeline(pm); });
}
