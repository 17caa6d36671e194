//===- Pipelines.cpp - qlow's named pipelines -----------------------------===//
#include "qlow/Pipelines/Pipelines.h"
#include "qlow/Transforms/Passes.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qlow;

void mlir::qlow::buildQlowImportPipeline(OpPassManager &pm) {
  pm.addPass(createQlowImport());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createQlowFoldBatchNorm());
  pm.addPass(createCSEPass());
}

void mlir::qlow::buildQlowQuantizePipeline(
    OpPassManager &pm, const QuantizePipelineOptions &options) {
  QlowLegalizePrecisionOptions legalize;
  legalize.target = options.target;
  legalize.overrides.assign(options.overrides.begin(), options.overrides.end());
  pm.addPass(createQlowLegalizePrecision(legalize));

  QlowQuantizeOptions quantize;
  quantize.statsFile = options.stats;
  quantize.weightGranularity = options.weights;
  quantize.weightScheme = options.weightScheme;
  quantize.activationType = options.activations;
  quantize.activationScheme = options.activationScheme;
  quantize.percentile = options.percentile;
  pm.addPass(createQlowQuantize(quantize));
  if (options.summary)
    pm.addPass(createQlowSummary());
}

void mlir::qlow::buildQlowImportQdqPipeline(OpPassManager &pm) {
  pm.addPass(createQlowImportQdq());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Lowering shared by the integer and the float model: qlow ops to
/// linalg/arith, then the TOSA ops qlow-import kept in float islands through
/// upstream's conversions (an op with no lowering fails here, with its
/// location), and element-wise arith on whole tensors in islands (the true
/// divisions of ONNX DynamicQuantizeLinear, which TOSA has no op for) into
/// linalg.generic.
static void buildLoweringTail(OpPassManager &pm) {
  pm.addPass(createQlowLowerToInteger());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalgNamed());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalg());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::qlow::buildQlowIntegerLoweringPipeline(OpPassManager &pm) {
  pm.addPass(createQlowFold());
  pm.addPass(createCanonicalizerPass());
  buildLoweringTail(pm);
  pm.addPass(createQlowVerifyInteger());
}

void mlir::qlow::buildQlowFloatLoweringPipeline(OpPassManager &pm) {
  buildLoweringTail(pm);
}

void mlir::qlow::buildQlowQuantizeToIntegerPipeline(
    OpPassManager &pm, const QuantizePipelineOptions &options) {
  buildQlowImportPipeline(pm);
  buildQlowQuantizePipeline(pm, options);
  buildQlowIntegerLoweringPipeline(pm);
}

void mlir::qlow::registerQlowPipelines() {
  PassPipelineRegistration<>(
      "qlow-import-pipeline",
      "Import a TOSA/linalg FP32 model into qlow ops and fold batch-norm",
      [](OpPassManager &pm) { buildQlowImportPipeline(pm); });
  PassPipelineRegistration<QuantizePipelineOptions>(
      "qlow-quantize-to-integer",
      "FP32 TOSA/linalg model + calibration statistics -> integer "
      "linalg/arith IR",
      buildQlowQuantizeToIntegerPipeline);
  PassPipelineRegistration<>(
      "qlow-float-lowering",
      "Lower an imported FP32 qlow model (no quantization) to linalg/arith",
      [](OpPassManager &pm) { buildQlowFloatLoweringPipeline(pm); });
}
