//===- Compile.h - the one-command compile driver ---------------*- C++ -*-===//
//
// qlow-compile's engine: model (+ calibration data or statistics) -> native
// object, shared library, C header and report. It adds no pass logic of its
// own: every stage is one of the pipeline functions qlow-opt also offers.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_DRIVER_COMPILE_H
#define QLOW_DRIVER_COMPILE_H

#include "qlow/Calibration/Collector.h"
#include "qlow/Driver/CalibrationData.h"
#include "qlow/Target/X86/X86Backend.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace qlow {

enum class EmitKind { All, MLIR, LLVM, Assembly };

struct CompileOptions {
  std::string modelPath; ///< MLIR, or ONNX when it ends in ".onnx"
  int64_t batch = 1;     ///< ONNX: the size of a dynamic batch dimension
  std::string outputPrefix; ///< OUT: writes OUT.o, OUT.so, OUT.h, ...
  std::string function;     ///< default: the module's only function
  std::string calibrationPath, statsPath;
  bool fp32 = false;
  EmitKind emit = EmitKind::All;
  mlir::qlow::X86TargetOptions target;
  mlir::qlow::CalibrationMethodOptions calibration;
  /// Quantization policy (see qlow-quantize) and precision overrides.
  std::string weights = "per-channel", weightScheme = "symmetric",
              activations = "s8", activationScheme = "affine";
  std::vector<std::string> overrides;
  bool progress = true;
};

/// Compiles as `options` say. Errors are emitted as diagnostics on
/// `context` (with locations where there are any); on failure nothing is
/// written.
mlir::LogicalResult compileModel(mlir::MLIRContext &context,
                                 const CompileOptions &options);

/// Runs the instrumented float model natively over `data` and collects the
/// statistics of every observed tensor. `imported` is the output of the
/// import pipeline and is not modified.
llvm::Expected<mlir::qlow::CalibrationStats>
calibrateModel(mlir::ModuleOp imported, llvm::StringRef function,
               const CalibrationData &data,
               const mlir::qlow::CalibrationMethodOptions &method,
               const mlir::qlow::X86TargetOptions &target, bool progress);

/// The precision-legalization target entry for an x86 CPU: VNNI if the CPU
/// has it (AVX-512 or AVX), else AVX2 with 7-bit weights.
llvm::Expected<std::string>
selectX86Capabilities(const mlir::qlow::X86TargetOptions &target);

} // namespace qlow

#endif // QLOW_DRIVER_COMPILE_H
