//===- qlow-onnx-fuzz.cpp - libFuzzer target for the ONNX importer --------===//
//
// Feeds arbitrary bytes to importOnnxModelFromBuffer. Any input must end in
// a module or in diagnostics, never in a crash, a hang or an exception
// escaping the library.
//
//===----------------------------------------------------------------------===//
#include "qlow/Import/OnnxImport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  mlir::qlow::registerOnnxImportDialects(registry);
  mlir::MLIRContext ctx(registry, mlir::MLIRContext::Threading::DISABLED);
  // Diagnostics are the expected outcome for most inputs: swallow them.
  mlir::ScopedDiagnosticHandler quiet(&ctx, [](mlir::Diagnostic &) {
    return mlir::success();
  });
  mlir::qlow::OnnxImportOptions options;
  llvm::StringRef buffer(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::qlow::importOnnxModelFromBuffer(buffer, "fuzz.onnx", ctx, options);
  (void)module;
  return 0;
}
