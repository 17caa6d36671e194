//===- qlow-translate.cpp - external formats into qlow ---------------------===//
//
//   qlow-translate --import-onnx model.onnx [--batch N] [-o out.mlir]
//   qlow-translate --onnx-op-table
//
// imports an ONNX model into qlow ops (docs/onnx.md); --onnx-op-table prints
// the table of the ONNX ops and versions the importer converts
// (docs/generated/OnnxOps.md).
//
//===----------------------------------------------------------------------===//
#include "qlow/Import/OnnxImport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static llvm::cl::opt<int64_t>
    batch("batch",
          llvm::cl::desc("the size of a dynamic leading (batch) dimension of "
                         "the ONNX graph's inputs (default 1)"),
          llvm::cl::init(1));

int main(int argc, char **argv) {
  // --onnx-op-table takes no input: handled before mlir-translate's options.
  for (int i = 1; i < argc; ++i)
    if (llvm::StringRef(argv[i]) == "--onnx-op-table") {
      if (argc != 2) {
        llvm::errs() << "qlow-translate: --onnx-op-table takes no other "
                        "arguments\n";
        return 1;
      }
      qlow::printOnnxOpTable(llvm::outs());
      return 0;
    }
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "import an ONNX model (opsets 7-21) into qlow ops",
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
