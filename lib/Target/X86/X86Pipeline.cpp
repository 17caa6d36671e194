//===- X86Pipeline.cpp - tensors -> LLVM dialect for x86-64 ---------------===//
#include "qlow/Target/Passes.h"
#include "qlow/Target/X86/X86Backend.h"
#include "qlow/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// One-shot bufferization across function boundaries with identity layouts;
/// results become caller-provided out-parameters (the allocation of a result
/// is replaced by the out-parameter itself), and every temporary is freed.
void addBufferization(OpPassManager &pm, bool optimize) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(createQlowDistinctResultBuffers());
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  if (optimize)
    pm.addNestedPass<func::FuncOp>(createQlowPromoteSmallBuffers());
  bufferization::buildBufferDeallocationPipeline(pm);
  // In-place insertions leave copies between identical subviews: CSE makes
  // them self-copies, which canonicalization deletes.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
}

void addLowerToLLVM(OpPassManager &pm, bool optimize, StringRef isa) {
  if (optimize) {
    QlowX86LowerVectorsOptions lowerVectors;
    lowerVectors.vectorISA = isa.str();
    pm.addPass(createQlowX86LowerVectors(lowerVectors));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  pm.addPass(createQlowLowerMemRefCopies());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Math before vectors: math ops with LLVM intrinsics (roundeven, exp, ...)
  // become intrinsics on their vector types, the rest (erf) libm calls
  // unrolled over vector lanes; after vector-to-llvm a vector math.erf is
  // left behind an unrealized cast.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  vectorToLLVM.vectorTransposeLowering =
      vector::VectorTransposeLowering::Shuffle1D;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  // Temporaries go through MLIR's generic allocation functions, which the
  // code generator links in (runtime/lib/alloc.c: a per-thread cache, so a
  // model does not page-fault its temporaries in on every call).
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

} // namespace

void mlir::qlow::buildQlowX86LoweringPipeline(
    OpPassManager &pm, const X86LoweringOptions &options) {
  X86TargetOptions target;
  target.cpu = options.cpu;
  target.features = options.features;
  std::string isa = selectX86VectorISA(target);

  QlowRecordInterfaceOptions record;
  record.func = options.func;
  pm.addPass(createQlowRecordInterface(record));
  pm.addPass(createQlowInlineFloatIslands());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.optimize) {
    QlowX86VectorizeOptions vectorize;
    vectorize.vectorISA = isa;
    // Half the registers hold accumulators, the rest inputs and weights:
    // AVX-512's 32 take 16-accumulator blocks (resnet18 INT8 -16%, FP32
    // -27% against 8 on the development machine).
    vectorize.accumulators = countX86VectorRegisters(target) / 2;
    pm.addNestedPass<func::FuncOp>(createQlowX86Vectorize(vectorize));
    // (No CSE here: it would merge the tensor.empty ops the pass keeps
    // apart.)
    // Producers write straight into the buffers their consumers insert them
    // into (padded inputs, tiles of fused loops).
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
  }

  addBufferization(pm, options.optimize);
  addLowerToLLVM(pm, options.optimize, isa);

  QlowEmitEntryPointOptions entry;
  entry.func = options.func;
  entry.model = options.model;
  pm.addPass(createQlowEmitEntryPoint(entry));
}

void mlir::qlow::registerQlowX86Pipelines() {
  PassPipelineRegistration<X86LoweringOptions>(
      "qlow-x86-lower-to-llvm",
      "Tensor IR (integer or float) -> LLVM dialect for x86-64 with the "
      "qlow/runtime.h entry point and model descriptor",
      buildQlowX86LoweringPipeline);
}
