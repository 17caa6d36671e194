//===- OnnxImport.cpp - ONNX models into qlow ops -------------------------===//
//
// The importer (this directory) is compiled with C++ exceptions: libonnx and
// protobuf throw, and the rest of qlow is built like LLVM, without them.
// Inside, an import error is an `ImportError` exception;
// `importOnnxModelFromBuffer` catches it, and every exception from libonnx,
// and turns them into MLIR diagnostics. Nothing is thrown from inside an
// MLIR/LLVM callback, so no exception crosses a frame compiled without them.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

using namespace mlir;
using namespace mlir::qlow;

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> mlir::qlow::importOnnxModelFromBuffer(
    llvm::StringRef buffer, llvm::StringRef sourceName, MLIRContext &ctx,
    const OnnxImportOptions &options) {
  ctx.loadDialect<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  tosa::TosaDialect, QlowDialect>();
  Location fileLoc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  if (options.batch < 1) {
    emitError(fileLoc) << "the batch size must be at least 1, got "
                       << options.batch;
    return nullptr;
  }
  try {
    onnx::ModelProto model;
    if (buffer.size() > size_t(INT32_MAX) ||
        !model.ParseFromArray(buffer.data(), int(buffer.size()))) {
      emitError(fileLoc) << "'" << sourceName
                         << "' is not a valid ONNX model (it does not parse "
                            "as an ONNX ModelProto; truncated or corrupt?)";
      return nullptr;
    }
    if (!model.has_graph() || model.ir_version() <= 0) {
      emitError(fileLoc) << "'" << sourceName
                         << "' is not a valid ONNX model (no graph or IR "
                            "version; truncated or corrupt?)";
      return nullptr;
    }
    onnx_import::ModelImporter importer(ctx, model, sourceName, options);
    OwningOpRef<ModuleOp> module = importer.run();
    if (failed(verify(*module)))
      return nullptr;
    return module;
  } catch (const onnx_import::ImportError &e) {
    emitError(fileLoc) << e.what();
  } catch (const onnx::checker::ValidationError &e) {
    emitError(fileLoc) << "invalid ONNX model: " << e.what();
  } catch (const onnx::InferenceError &e) {
    emitError(fileLoc) << "ONNX shape inference failed: " << e.what();
  } catch (const std::exception &e) {
    emitError(fileLoc) << "cannot import the ONNX model: " << e.what();
  } catch (...) {
    emitError(fileLoc) << "cannot import the ONNX model: unknown error";
  }
  return nullptr;
}

OwningOpRef<ModuleOp>
mlir::qlow::importOnnxModel(llvm::StringRef path, MLIRContext &ctx,
                            const OnnxImportOptions &options) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "cannot read the ONNX model '" << path
        << "': " << file.getError().message();
    return nullptr;
  }
  return importOnnxModelFromBuffer((*file)->getBuffer(), path, ctx, options);
}

void mlir::qlow::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  tosa::TosaDialect, QlowDialect>();
}

bool mlir::qlow::isOnnxModelPath(llvm::StringRef path) {
  return path.ends_with_insensitive(".onnx");
}
