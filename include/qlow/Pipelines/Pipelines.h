//===- Pipelines.h - qlow's named pipelines ---------------------*- C++ -*-===//
//
// Pipelines are C++ functions so that qlow-opt and the compile driver build
// exactly the same pass lists.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_PIPELINES_PIPELINES_H
#define QLOW_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;
namespace qlow {

struct QuantizePipelineOptions
    : public PassPipelineOptions<QuantizePipelineOptions> {
  Option<std::string> stats{*this, "stats",
                            llvm::cl::desc("calibration statistics (JSON)")};
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("target capability entry"),
                             llvm::cl::init("x86-64-avx2")};
  ListOption<std::string> overrides{
      *this, "overrides", llvm::cl::desc("name=f32|f16|int8 precision overrides")};
  Option<std::string> weights{*this, "weights",
                              llvm::cl::desc("per-channel | per-tensor"),
                              llvm::cl::init("per-channel")};
  Option<std::string> weightScheme{*this, "weight-scheme",
                                   llvm::cl::desc("symmetric | affine"),
                                   llvm::cl::init("symmetric")};
  Option<std::string> activations{*this, "activations",
                                  llvm::cl::desc("s8 | u8"),
                                  llvm::cl::init("s8")};
  Option<std::string> activationScheme{*this, "activation-scheme",
                                       llvm::cl::desc("affine | symmetric"),
                                       llvm::cl::init("affine")};
  Option<double> percentile{*this, "percentile",
                            llvm::cl::desc("histogram percentile clipping"),
                            llvm::cl::init(100.0)};
  Option<bool> summary{*this, "summary",
                       llvm::cl::desc("print what was quantized to stderr"),
                       llvm::cl::init(false)};
};

/// Import (TOSA/linalg -> qlow) and float clean-up: the model calibration
/// instruments and quantization starts from.
void buildQlowImportPipeline(OpPassManager &pm);

/// Precision legalization and quantization (an imported model + statistics
/// -> quantized qlow IR), plus the summary when asked.
void buildQlowQuantizePipeline(OpPassManager &pm,
                               const QuantizePipelineOptions &options);

/// Quantized qlow IR -> pure integer linalg/arith IR: folding, lowering,
/// float islands' TOSA through upstream conversions, qlow-verify-integer.
/// For a model that arrives quantized (QDQ): qlow-import-qdq, then
/// canonicalization. Replaces calibration + buildQlowQuantizePipeline.
void buildQlowImportQdqPipeline(OpPassManager &pm);

void buildQlowIntegerLoweringPipeline(OpPassManager &pm);

/// An imported FP32 model -> linalg/arith in float (the baseline that every
/// quantized model is compared with), through the same lowering.
void buildQlowFloatLoweringPipeline(OpPassManager &pm);

/// FP32 model + statistics -> pure integer linalg/arith IR: the import,
/// quantize and integer-lowering pipelines in sequence.
void buildQlowQuantizeToIntegerPipeline(OpPassManager &pm,
                                        const QuantizePipelineOptions &options);

/// Registers the pipelines above with qlow-opt (`--qlow-import-pipeline`,
/// `--qlow-quantize-to-integer`, `--qlow-float-lowering`).
void registerQlowPipelines();

} // namespace qlow
} // namespace mlir

#endif // QLOW_PIPELINES_PIPELINES_H
