//===- ModelInterface.cpp - a compiled model's C interface ----------------===//
#include "qlow/Target/ModelInterface.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <optional>

using namespace mlir;
using namespace mlir::qlow;

StringRef mlir::qlow::getDTypeEnumName(TensorDType dtype) {
  switch (dtype) {
  case TensorDType::F32:
    return "QLOW_DTYPE_F32";
  case TensorDType::I8:
    return "QLOW_DTYPE_I8";
  case TensorDType::U8:
    return "QLOW_DTYPE_U8";
  case TensorDType::I32:
    return "QLOW_DTYPE_I32";
  case TensorDType::F16:
    return "QLOW_DTYPE_F16";
  case TensorDType::I64:
    return "QLOW_DTYPE_I64";
  case TensorDType::Bool:
    return "QLOW_DTYPE_BOOL";
  }
  return "";
}

StringRef mlir::qlow::getDTypeShortName(TensorDType dtype) {
  switch (dtype) {
  case TensorDType::F32:
    return "f32";
  case TensorDType::I8:
    return "i8";
  case TensorDType::U8:
    return "u8";
  case TensorDType::I32:
    return "i32";
  case TensorDType::F16:
    return "f16";
  case TensorDType::I64:
    return "i64";
  case TensorDType::Bool:
    return "bool";
  }
  return "";
}

StringRef mlir::qlow::getDTypeCType(TensorDType dtype) {
  switch (dtype) {
  case TensorDType::F32:
    return "float";
  case TensorDType::I8:
    return "int8_t";
  case TensorDType::U8:
    return "uint8_t";
  case TensorDType::I32:
    return "int32_t";
  case TensorDType::F16:
    return "uint16_t";
  case TensorDType::I64:
    return "int64_t";
  case TensorDType::Bool:
    return "uint8_t";
  }
  return "";
}

int64_t mlir::qlow::getDTypeSize(TensorDType dtype) {
  switch (dtype) {
  case TensorDType::F32:
  case TensorDType::I32:
    return 4;
  case TensorDType::I64:
    return 8;
  case TensorDType::F16:
    return 2;
  case TensorDType::I8:
  case TensorDType::U8:
  case TensorDType::Bool:
    return 1;
  }
  return 0;
}

int64_t TensorInterface::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool mlir::qlow::isValidModelName(StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {

std::optional<TensorDType> getDType(Type elementType) {
  if (elementType.isF32())
    return TensorDType::F32;
  if (elementType.isF16())
    return TensorDType::F16;
  if (elementType.isSignlessInteger(8))
    return TensorDType::I8;
  if (elementType.isUnsignedInteger(8)) // in a recorded interface
    return TensorDType::U8;
  if (elementType.isSignlessInteger(32))
    return TensorDType::I32;
  if (elementType.isSignlessInteger(64))
    return TensorDType::I64;
  if (elementType.isSignlessInteger(1)) // in a recorded interface
    return TensorDType::Bool;
  return std::nullopt;
}

Type getElementType(MLIRContext *ctx, TensorDType dtype) {
  switch (dtype) {
  case TensorDType::F32:
    return Float32Type::get(ctx);
  case TensorDType::F16:
    return Float16Type::get(ctx);
  case TensorDType::I8:
    return IntegerType::get(ctx, 8);
  case TensorDType::U8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case TensorDType::I32:
    return IntegerType::get(ctx, 32);
  case TensorDType::I64:
    return IntegerType::get(ctx, 64);
  case TensorDType::Bool:
    return IntegerType::get(ctx, 1);
  }
  return {};
}

/// A tensor of `type` named `name` (an i8 one holding u8 values when
/// `isUnsigned`, bools when `isBool`), or an error at `fn`.
FailureOr<TensorInterface> makeTensor(Operation *fn, Type type, StringRef what,
                                      unsigned index, StringRef name,
                                      bool isUnsigned, bool isBool = false) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::optional<TensorDType> dtype;
  if (tensor && tensor.hasStaticShape())
    dtype = getDType(tensor.getElementType());
  if (dtype == TensorDType::I8 && isUnsigned)
    dtype = TensorDType::U8;
  if (dtype == TensorDType::I8 && isBool)
    dtype = TensorDType::Bool;
  if (!dtype)
    return fn->emitError() << what << " #" << index << " has type " << type
                           << "; a compiled model's inputs and outputs must "
                              "be statically shaped tensors of f32, f16, i8, "
                              "i32, i64 or bool (i8 marked qlow.bool)";
  TensorInterface t;
  t.name = name.str();
  t.dtype = *dtype;
  t.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return t;
}

/// The first NameLoc name in `loc` (through fused and call-site locations).
StringRef findLocName(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc))
    return n.getName().getValue();
  if (auto f = dyn_cast<FusedLoc>(loc))
    for (Location l : f.getLocations())
      if (StringRef s = findLocName(l); !s.empty())
        return s;
  if (auto c = dyn_cast<CallSiteLoc>(loc))
    return findLocName(c.getCallee());
  return "";
}

/// The name a returned value can be given: its stable tensor name, else the
/// NameLoc of its producer.
std::string recoverName(Value v) {
  std::string name = getTensorName(v);
  if (!name.empty())
    return name;
  if (Operation *op = v.getDefiningOp())
    return findLocName(op->getLoc()).str();
  return "";
}

/// Makes the names of `tensors` unique (`name_1`, `name_2`, ... for later
/// duplicates), against `used` as well.
void uniquify(std::vector<TensorInterface> &tensors, llvm::StringSet<> &used) {
  for (TensorInterface &t : tensors) {
    std::string base = t.name;
    for (unsigned i = 1; used.contains(t.name); ++i)
      t.name = base + "_" + std::to_string(i);
    used.insert(t.name);
  }
}

} // namespace

FailureOr<ModelInterface>
mlir::qlow::computeModelInterface(func::FuncOp fn, StringRef model) {
  ModelInterface iface;
  iface.function = fn.getSymName().str();
  iface.model = model.empty() ? iface.function : model.str();
  if (fn.isExternal())
    return fn.emitError() << "the model function has no body";
  FunctionType type = fn.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    std::string name = "input_" + std::to_string(i);
    if (auto n = fn.getArgAttrOfType<StringAttr>(i, kArgNameAttr))
      name = n.getValue().str();
    FailureOr<TensorInterface> tensor =
        makeTensor(fn, t, "argument", i, name,
                   bool(fn.getArgAttr(i, kUnsignedAttr)),
                   bool(fn.getArgAttr(i, kBoolAttr)));
    if (failed(tensor))
      return failure();
    iface.inputs.push_back(std::move(*tensor));
  }
  // The returned values of the (single) return op.
  SmallVector<Value> returned;
  fn.walk([&](func::ReturnOp ret) {
    if (returned.empty())
      returned.assign(ret.getOperands().begin(), ret.getOperands().end());
  });
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    std::string name;
    if (auto n = fn.getResultAttrOfType<StringAttr>(i, kArgNameAttr))
      name = n.getValue().str();
    else if (i < returned.size())
      name = recoverName(returned[i]);
    if (name.empty())
      name = "output_" + std::to_string(i);
    FailureOr<TensorInterface> tensor =
        makeTensor(fn, t, "result", i, name,
                   bool(fn.getResultAttr(i, kUnsignedAttr)),
                   bool(fn.getResultAttr(i, kBoolAttr)));
    if (failed(tensor))
      return failure();
    iface.outputs.push_back(std::move(*tensor));
  }
  llvm::StringSet<> used;
  uniquify(iface.inputs, used);
  uniquify(iface.outputs, used);
  return iface;
}

DictionaryAttr mlir::qlow::encodeModelInterface(MLIRContext *ctx,
                                                const ModelInterface &iface) {
  Builder b(ctx);
  auto encode = [&](const std::vector<TensorInterface> &tensors) {
    SmallVector<Attribute> entries;
    for (const TensorInterface &t : tensors) {
      auto type =
          RankedTensorType::get(t.shape, getElementType(ctx, t.dtype));
      entries.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("name", b.getStringAttr(t.name)),
           b.getNamedAttr("type", TypeAttr::get(type))}));
    }
    return b.getArrayAttr(entries);
  };
  return b.getDictionaryAttr(
      {b.getNamedAttr("inputs", encode(iface.inputs)),
       b.getNamedAttr("outputs", encode(iface.outputs))});
}

FailureOr<ModelInterface> mlir::qlow::decodeModelInterface(Operation *fn,
                                                           StringRef model) {
  auto symName = fn->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
  ModelInterface iface;
  iface.function = symName ? symName.getValue().str() : "";
  iface.model = model.empty() ? iface.function : model.str();
  auto dict = fn->getAttrOfType<DictionaryAttr>(kInterfaceAttr);
  if (!dict)
    return fn->emitError() << "no '" << kInterfaceAttr
                           << "' attribute: run qlow-record-interface on the "
                              "tensor-level function before lowering";
  auto decode = [&](StringRef key, StringRef what,
                    std::vector<TensorInterface> &out) -> LogicalResult {
    auto entries = dict.getAs<ArrayAttr>(key);
    if (!entries)
      return fn->emitError() << "malformed '" << kInterfaceAttr
                             << "': no '" << key << "' array";
    for (auto [i, entry] : llvm::enumerate(entries)) {
      auto e = dyn_cast<DictionaryAttr>(entry);
      auto name = e ? e.getAs<StringAttr>("name") : StringAttr();
      auto type = e ? e.getAs<TypeAttr>("type") : TypeAttr();
      if (!name || !type)
        return fn->emitError() << "malformed '" << kInterfaceAttr << "' "
                               << key << " entry #" << i;
      FailureOr<TensorInterface> t = makeTensor(
          fn, type.getValue(), what, i, name.getValue(), /*isUnsigned=*/false);
      if (failed(t))
        return failure();
      out.push_back(std::move(*t));
    }
    return success();
  };
  if (failed(decode("inputs", "input", iface.inputs)) ||
      failed(decode("outputs", "output", iface.outputs)))
    return failure();
  return iface;
}

FailureOr<ModelInterface> mlir::qlow::getModelInterface(ModuleOp module,
                                                        StringRef func,
                                                        StringRef model) {
  Operation *fn = SymbolTable::lookupSymbolIn(module, func);
  if (!fn)
    return module.emitError() << "no function @" << func << " in the module";
  if (fn->hasAttr(kInterfaceAttr))
    return decodeModelInterface(fn, model);
  if (auto f = dyn_cast<func::FuncOp>(fn))
    return computeModelInterface(f, model);
  return decodeModelInterface(fn, model);
}
