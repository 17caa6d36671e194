//===- RunnerLowering.h - lowering to LLVM for execution tests --*- C++ -*-===//
//
// The one place that lists the upstream passes taking qlow-lower's output
// (linalg/tensor/arith/math on tensors, possibly with float islands) to the
// LLVM dialect for mlir-runner and the JIT: no tiling, no vectorization,
// just a correct scalar loop nest.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_RUNNERLOWERING_H
#define QLOW_TRANSFORMS_RUNNERLOWERING_H

namespace mlir {
class OpPassManager;
namespace qlow {

/// qlow-inline-float-islands, then one-shot bufferization (function
/// boundaries included), linalg to loops, and the conversions to LLVM.
void buildQlowRunnerLoweringPipeline(OpPassManager &pm);

/// Registers `--qlow-test-lower-to-llvm` (the pipeline above) with qlow-opt.
void registerQlowTestPipelines();

} // namespace qlow
} // namespace mlir

#endif // QLOW_TRANSFORMS_RUNNERLOWERING_H
