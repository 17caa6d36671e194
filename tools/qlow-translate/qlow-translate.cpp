//===- qlow-translate.cpp - external formats into qlow ---------------------===//
//
//   qlow-translate --import-onnx model.onnx [--batch N] [-o out.mlir]
//
// imports an ONNX model into qlow ops (docs/onnx.md).
//
//===----------------------------------------------------------------------===//
#include "qlow/Import/OnnxImport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::opt<int64_t>
    batch("batch",
          llvm::cl::desc("the size of a dynamic leading (batch) dimension of "
                         "the ONNX graph's inputs (default 1)"),
          llvm::cl::init(1));

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "import an ONNX model (opsets 13-17) into qlow ops",
      [](const llvm::SourceMgr &sourceMgr,
         MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        qlow::OnnxImportOptions options;
        options.batch = batch;
        OwningOpRef<ModuleOp> module = qlow::importOnnxModelFromBuffer(
            buffer->getBuffer(), buffer->getBufferIdentifier(), *ctx, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) {
        qlow::registerOnnxImportDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "qlow translation tool"));
}
