//===- ModelInterface.h - a compiled model's C interface --------*- C++ -*-===//
//
// What runtime/include/qlow/runtime.h describes for one model: the name of
// its entry point and descriptor, and the name, element type and shape of
// every input and output. Computed from the tensor-level model function,
// recorded on it as the `qlow.interface` attribute (which survives lowering
// to the LLVM dialect), and used to emit the entry point and the C header.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TARGET_MODELINTERFACE_H
#define QLOW_TARGET_MODELINTERFACE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qlow {

/// The discardable function attribute holding a recorded interface:
/// `{inputs = [{name = "...", type = tensor<...>}, ...], outputs = [...]}`.
constexpr llvm::StringLiteral kInterfaceAttr = "qlow.interface";

/// Element types of runtime.h (`qlow_dtype`; the values are the C enum's).
enum class TensorDType : int32_t {
  F32 = 0,
  I8 = 1,
  U8 = 2,
  I32 = 3,
  F16 = 4,
  I64 = 5,
  Bool = 6,
};

/// "QLOW_DTYPE_F32", ...
llvm::StringRef getDTypeEnumName(TensorDType dtype);
/// "f32", "i8", ...
llvm::StringRef getDTypeShortName(TensorDType dtype);
/// C element type: "float", "int8_t", "uint8_t", "int32_t", "uint16_t" (f16),
/// "int64_t", "uint8_t" (bool: 0 or 1).
llvm::StringRef getDTypeCType(TensorDType dtype);
/// Size of one element in bytes.
int64_t getDTypeSize(TensorDType dtype);

struct TensorInterface {
  std::string name;
  TensorDType dtype = TensorDType::F32;
  SmallVector<int64_t> shape;

  int64_t getNumElements() const;
  int64_t getSizeInBytes() const { return getNumElements() * getDTypeSize(dtype); }
};

struct ModelInterface {
  /// The C name: `qlow_run_<model>`, `qlow_model_<model>`.
  std::string model;
  /// The model function in the IR.
  std::string function;
  std::vector<TensorInterface> inputs;
  std::vector<TensorInterface> outputs;
};

/// True if `name` is a C identifier (what `<model>` must be).
bool isValidModelName(llvm::StringRef name);

/// The interface of a tensor-level model function: element types and static
/// shapes from its type (i8 with the `qlow.unsigned` argument or result
/// attribute is u8, with `qlow.bool` bool), input names from `qlow.name` argument attributes
/// (`input_<i>` without), output names from the `name` attribute or
/// `NameLoc` of the op producing each returned value (`output_<i>` without).
/// Names are made unique. Emits an error at `fn` and fails on a non-tensor,
/// dynamically shaped or unsupported element type.
FailureOr<ModelInterface> computeModelInterface(func::FuncOp fn,
                                                llvm::StringRef model);

/// The `qlow.interface` attribute value for `interface` (model and function
/// names are not part of it).
DictionaryAttr encodeModelInterface(MLIRContext *ctx,
                                    const ModelInterface &interface);

/// Reads the `qlow.interface` attribute of `fn` (any function-like op,
/// before or after lowering); emits an error at `fn` and fails if it is
/// missing or malformed.
FailureOr<ModelInterface> decodeModelInterface(Operation *fn,
                                               llvm::StringRef model);

/// For drivers: the interface of function `func` in `module` at any stage:
/// the recorded attribute when present, else computed from a tensor-level
/// func.func. `model` defaults to `func`.
FailureOr<ModelInterface> getModelInterface(ModuleOp module,
                                            llvm::StringRef func,
                                            llvm::StringRef model = "");

/// A self-contained C header for the compiled model: runtime.h's types
/// (under runtime.h's include guard, so both may be included) and the
/// declarations of `qlow_model_<model>` and `qlow_run_<model>`, with the
/// name, shape and element type of every input and output and the buffer
/// ownership and threading rules in comments.
std::string generateHeader(const ModelInterface &interface);

} // namespace qlow
} // namespace mlir

#endif // QLOW_TARGET_MODELINTERFACE_H
