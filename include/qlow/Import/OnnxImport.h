//===- OnnxImport.h - ONNX models into qlow ops -----------------*- C++ -*-===//
//
// Reads an ONNX model (default-domain opsets 7 to 21) with Debian's
// libonnx/protobuf, checks it (onnx::checker), infers every tensor's shape
// (onnx::shape_inference::InferShapes) and builds one func.func of qlow ops on
// f32 tensors: NHWC convolutions and pools with transposes only where the
// NCHW graph needs them, weights converted to qlow's layouts at import time,
// every op named after the ONNX tensor it computes, and the ops qlow has no
// quantized kernel for as TOSA inside qlow.float_islands. See docs/onnx.md.
//
// Errors (a corrupt file, an unsupported op or opset, a shape that cannot be
// inferred, ...) are emitted as diagnostics on the context; the functions then
// return null. No C++ exception escapes: libonnx and protobuf throw, so this
// library is compiled with exceptions and catches them at its boundary.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_IMPORT_ONNXIMPORT_H
#define QLOW_IMPORT_ONNXIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace mlir::qlow {

struct OnnxImportOptions {
  /// The size given to a dynamic leading (batch) dimension of a graph input.
  /// Any other dynamic dimension is an error.
  int64_t batch = 1;
};

/// Imports the ONNX model in the file `path`.
OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef path, MLIRContext &ctx,
                                      const OnnxImportOptions &options = {});

/// Imports a serialized ONNX ModelProto; `sourceName` names it in
/// diagnostics and locations.
OwningOpRef<ModuleOp>
importOnnxModelFromBuffer(llvm::StringRef buffer, llvm::StringRef sourceName,
                          MLIRContext &ctx,
                          const OnnxImportOptions &options = {});

/// The dialects an imported module uses (func, arith, tosa, qlow).
void registerOnnxImportDialects(DialectRegistry &registry);

/// Prints the table of the ONNX ops the importer converts, with the op
/// versions each converter implements (Markdown: docs/generated/OnnxOps.md).
void printOnnxOpTable(llvm::raw_ostream &os);

/// True for a path that names an ONNX model (ends in ".onnx").
bool isOnnxModelPath(llvm::StringRef path);

} // namespace mlir::qlow

#endif // QLOW_IMPORT_ONNXIMPORT_H
