//===- X86Backend.h - qlow's native x86-64 backend --------------*- C++ -*-===//
//
// From the tensor IR of `buildQlowQuantizeToIntegerPipeline` (or a float
// model lowered by qlow-lower) to a shared library implementing
// runtime/include/qlow/runtime.h:
//
//   buildQlowX86LoweringPipeline   tensors -> LLVM dialect + entry point
//   translateAndOptimize           LLVM dialect -> LLVM IR, -O3 for the CPU
//   emitObject                     LLVM IR -> .o / .s (in-process)
//   linkSharedLibrary              .o -> .so (clang-22 -shared)
//   generateHeader                 (qlow/Target/ModelInterface.h) -> .h
//
// A driver does, in order:
//
//   PassManager pm(ctx);
//   buildQlowX86LoweringPipeline(pm, loweringOptions);     // func, model
//   pm.run(module);
//   auto iface = getModelInterface(module, func, model);   // for the header
//   llvm::LLVMContext llvmCtx;
//   auto llvmModule = translateAndOptimize(module, llvmCtx, targetOptions);
//   emitObject(**llvmModule, targetOptions, objStream, /*assembly=*/false);
//   linkSharedLibrary(objPath, soPath);
//   write generateHeader(*iface) to OUT.h
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TARGET_X86_X86BACKEND_H
#define QLOW_TARGET_X86_X86BACKEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassOptions.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class OpPassManager;
namespace qlow {

//===----------------------------------------------------------------------===//
// Tensors -> LLVM dialect
//===----------------------------------------------------------------------===//

struct X86LoweringOptions : public PassPipelineOptions<X86LoweringOptions> {
  Option<std::string> func{*this, "func",
                           llvm::cl::desc("the model function (required)")};
  Option<std::string> model{
      *this, "model",
      llvm::cl::desc("C name of the model: qlow_run_<model>, "
                     "qlow_model_<model> (default: the function's name)")};
  Option<bool> optimize{
      *this, "optimize",
      llvm::cl::desc("tile, fuse and vectorize (off: plain loops)"),
      llvm::cl::init(true)};
  Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("target CPU the kernels are chosen for (as for code "
                     "generation: x86-64-v3, native, ...)"),
      llvm::cl::init("x86-64-v3")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("extra target features (\"+avxvnni,...\")"),
      llvm::cl::init("")};
};

/// Tensor IR (linalg/arith/tensor/math, qlow.float_island) -> LLVM dialect
/// with the runtime.h entry point: records the interface, inlines float
/// islands, tiles/fuses/vectorizes (when `optimize`), bufferizes (one-shot,
/// function boundaries, identity layouts, results as out-parameters,
/// temporaries freed), lowers to the LLVM dialect and runs
/// qlow-emit-entry-point.
void buildQlowX86LoweringPipeline(OpPassManager &pm,
                                  const X86LoweringOptions &options);

/// Registers `--qlow-x86-lower-to-llvm="func=... model=..."` with qlow-opt.
void registerQlowX86Pipelines();

//===----------------------------------------------------------------------===//
// LLVM dialect -> object code
//===----------------------------------------------------------------------===//

struct X86TargetOptions {
  std::string triple = "x86_64-unknown-linux-gnu";
  /// A CPU name LLVM knows ("x86-64-v3" = AVX2+FMA, "x86-64-v4",
  /// "skylake-avx512", ...) or "native" (the host CPU, with its features).
  std::string cpu = "x86-64-v3";
  /// Extra subtarget features, LLVM syntax ("+avxvnni,-avx512f").
  std::string features;
  /// LLVM middle-end and code generation level, 0..3.
  unsigned optLevel = 3;
};

/// The `cpu` of `options` with "native" resolved to the host CPU.
std::string resolveCPU(const X86TargetOptions &options);

/// The integer dot-product instructions the kernels may use on the target:
/// "avxvnni" (vpdpbusd, AVX-VNNI or AVX-512 VNNI), "avx2" (vpmaddubsw +
/// vpmaddwd) or "generic" (plain vector IR; LLVM still forms vpmaddwd).
std::string selectX86VectorISA(const X86TargetOptions &options);

/// Vector registers the kernels may use: 32 with AVX-512 (ymm0-31 as well
/// as zmm), else 16.
unsigned countX86VectorRegisters(const X86TargetOptions &options);

/// A TargetMachine for `options` (position-independent code).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createX86TargetMachine(const X86TargetOptions &options);

/// Registers the LLVM IR translations of the dialects a lowered module
/// contains (builtin, llvm). translateAndOptimize also does it itself.
void registerX86Translations(DialectRegistry &registry);

/// Translates the LLVM-dialect `module` to LLVM IR with the target's triple
/// and data layout, links in the allocator (linkModelAllocator) and runs
/// LLVM's optimization pipeline at `options.optLevel` for the target CPU.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(ModuleOp module, llvm::LLVMContext &llvmContext,
                     const X86TargetOptions &options);

/// Links the allocator of the model's temporaries (runtime/lib/alloc.c: a
/// per-thread cache of freed blocks) into `module` if the module allocates,
/// with internal linkage. translateAndOptimize does it; a JIT that builds
/// its own LLVM module calls it before optimizing.
llvm::Error linkModelAllocator(llvm::Module &module);

/// Code generation with an in-process TargetMachine: an ELF object, or
/// assembly when `assembly`.
llvm::Error emitObject(llvm::Module &module, const X86TargetOptions &options,
                       llvm::raw_pwrite_stream &out, bool assembly);

/// `clang-22 -shared -o SO OBJ -lm`; clang's stderr is in the error.
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef soPath);

} // namespace qlow
} // namespace mlir

#endif // QLOW_TARGET_X86_X86BACKEND_H
