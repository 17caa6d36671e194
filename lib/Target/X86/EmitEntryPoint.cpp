//===- EmitEntryPoint.cpp - qlow-emit-entry-point -------------------------===//
//
// Adds runtime/include/qlow/runtime.h's entry point and model descriptor to
// a model lowered to the LLVM dialect.
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/ModelInterface.h"
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWEMITENTRYPOINT
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// runtime.h's status codes.
constexpr int32_t kStatusOk = 0;
constexpr int32_t kStatusNullArgument = 1;

/// The LLVM types of runtime.h's structs (natural C layout).
struct RuntimeTypes {
  Type ptr, i32, i64;
  /// struct qlow_tensor_info { const char *; qlow_dtype; int32_t; const
  /// int64_t *; }
  LLVM::LLVMStructType tensorInfo;
  /// struct qlow_model { const char *; int32_t; const qlow_tensor_info *;
  /// int32_t; const qlow_tensor_info *; run; }
  LLVM::LLVMStructType model;

  explicit RuntimeTypes(MLIRContext *ctx) {
    ptr = LLVM::LLVMPointerType::get(ctx);
    i32 = IntegerType::get(ctx, 32);
    i64 = IntegerType::get(ctx, 64);
    tensorInfo = LLVM::LLVMStructType::getLiteral(ctx, {ptr, i32, i32, ptr});
    model = LLVM::LLVMStructType::getLiteral(ctx,
                                             {ptr, i32, ptr, i32, ptr, ptr});
  }
};

/// Dense row-major strides of `shape`.
SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

class EntryPointBuilder {
public:
  EntryPointBuilder(ModuleOp module, LLVM::LLVMFuncOp fn,
                    const ModelInterface &iface)
      : module(module), fn(fn), iface(iface), types(module.getContext()),
        b(module.getContext()), loc(fn.getLoc()) {}

  /// Checks that `fn` takes one memref descriptor per tensor (inputs, then
  /// outputs) and returns nothing.
  LogicalResult verifySignature() {
    LLVM::LLVMFunctionType type = fn.getFunctionType();
    if (!isa<LLVM::LLVMVoidType>(type.getReturnType()))
      return fn.emitError()
             << "qlow-emit-entry-point: the lowered model function returns "
             << type.getReturnType()
             << "; results must have become out-parameters "
                "(buffer-results-to-out-params)";
    SmallVector<Type> expected;
    auto addDescriptor = [&](const TensorInterface &t) {
      expected.append({types.ptr, types.ptr, types.i64});
      expected.append(2 * t.shape.size(), types.i64);
    };
    for (const TensorInterface &t : iface.inputs)
      addDescriptor(t);
    for (const TensorInterface &t : iface.outputs)
      addDescriptor(t);
    if (ArrayRef<Type>(expected) != type.getParams()) {
      InFlightDiagnostic diag =
          fn.emitError() << "qlow-emit-entry-point: the lowered model "
                            "function's parameters do not match its "
                            "recorded interface (one expanded memref "
                            "descriptor per input, then per output): expected "
                         << expected.size() << " parameters, got "
                         << type.getNumParams();
      return diag;
    }
    return success();
  }

  LogicalResult build() {
    for (const std::string &name :
         {runName(), modelName(), std::string(kDefault)})
      if (SymbolTable::lookupSymbolIn(module, name))
        return module.emitError()
               << "qlow-emit-entry-point: the module already has a symbol @"
               << name;
    if (failed(verifySignature()))
      return failure();
    // The entry point is the model's interface; the function itself need not
    // be visible outside the object (two models may share a function name).
    fn.setLinkage(LLVM::Linkage::Internal);

    b.setInsertionPointToEnd(module.getBody());
    LLVM::LLVMFuncOp run = buildRun();
    b.setInsertionPointToEnd(module.getBody());
    LLVM::GlobalOp inputs = buildTensorInfos("inputs", iface.inputs);
    LLVM::GlobalOp outputs = buildTensorInfos("outputs", iface.outputs);
    LLVM::GlobalOp model = buildModel(run, inputs, outputs);
    buildDefaultAlias(model);
    return success();
  }

private:
  static constexpr const char *kDefault = "qlow_default_model";

  std::string runName() const { return "qlow_run_" + iface.model; }
  std::string modelName() const { return "qlow_model_" + iface.model; }
  std::string privateName(StringRef what) const {
    return ("__qlow_" + iface.model + "_" + what).str();
  }

  Value i32Constant(int64_t v) {
    return LLVM::ConstantOp::create(b, loc, types.i32, v);
  }
  Value i64Constant(int64_t v) {
    return LLVM::ConstantOp::create(b, loc, types.i64, v);
  }

  /// Loads `base[index]` (a pointer) and ORs `ptr == NULL` into `anyNull`.
  Value loadPointer(Value base, unsigned index, Value null, Value &anyNull) {
    Value addr = LLVM::GEPOp::create(b, loc, types.ptr, types.ptr, base,
                                     ArrayRef<LLVM::GEPArg>{
                                         static_cast<int32_t>(index)});
    Value p = LLVM::LoadOp::create(b, loc, types.ptr, addr, /*alignment=*/8);
    Value isNull = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, p, null);
    anyNull = anyNull ? LLVM::OrOp::create(b, loc, anyNull, isNull).getResult()
                      : isNull;
    return p;
  }

  /// qlow_status qlow_run_<model>(const void *const *inputs,
  ///                              void *const *outputs)
  LLVM::LLVMFuncOp buildRun() {
    auto type =
        LLVM::LLVMFunctionType::get(types.i32, {types.ptr, types.ptr});
    auto run = LLVM::LLVMFuncOp::create(b, loc, runName(), type);
    Block *entry = run.addEntryBlock(b);
    Region &body = run.getBody();
    Block *load = b.createBlock(&body, body.end());
    Block *call = b.createBlock(&body, body.end());
    Block *fail = b.createBlock(&body, body.end());
    Value inputs = entry->getArgument(0), outputs = entry->getArgument(1);

    // entry: the arrays themselves.
    b.setInsertionPointToEnd(entry);
    Value null = LLVM::ZeroOp::create(b, loc, types.ptr);
    Value anyNull = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                         inputs, null);
    anyNull = LLVM::OrOp::create(
        b, loc, anyNull,
        LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, outputs, null));
    LLVM::CondBrOp::create(b, loc, anyNull, fail, load);

    // load: every buffer pointer.
    b.setInsertionPointToEnd(load);
    null = LLVM::ZeroOp::create(b, loc, types.ptr);
    Value anyNullBuffer;
    SmallVector<Value> buffers;
    for (unsigned i = 0, e = iface.inputs.size(); i < e; ++i)
      buffers.push_back(loadPointer(inputs, i, null, anyNullBuffer));
    for (unsigned i = 0, e = iface.outputs.size(); i < e; ++i)
      buffers.push_back(loadPointer(outputs, i, null, anyNullBuffer));
    if (anyNullBuffer)
      LLVM::CondBrOp::create(b, loc, anyNullBuffer, fail, call);
    else
      LLVM::BrOp::create(b, loc, ValueRange{}, call);

    // call: descriptors {p, p, 0, shape, row-major strides} for each buffer.
    b.setInsertionPointToEnd(call);
    SmallVector<Value> args;
    Value zero = i64Constant(0);
    auto addDescriptor = [&](Value p, const TensorInterface &t) {
      args.append({p, p, zero});
      for (int64_t d : t.shape)
        args.push_back(i64Constant(d));
      for (int64_t s : rowMajorStrides(t.shape))
        args.push_back(i64Constant(s));
    };
    unsigned next = 0;
    for (const TensorInterface &t : iface.inputs)
      addDescriptor(buffers[next++], t);
    for (const TensorInterface &t : iface.outputs)
      addDescriptor(buffers[next++], t);
    LLVM::CallOp::create(b, loc, fn, args);
    LLVM::ReturnOp::create(b, loc, i32Constant(kStatusOk));

    b.setInsertionPointToEnd(fail);
    LLVM::ReturnOp::create(b, loc, i32Constant(kStatusNullArgument));
    return run;
  }

  /// A private constant NUL-terminated string.
  LLVM::GlobalOp buildString(StringRef what, StringRef value) {
    std::string text = value.str();
    text.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(IntegerType::get(b.getContext(), 8),
                                         text.size());
    return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                  LLVM::Linkage::Private, privateName(what),
                                  b.getStringAttr(text));
  }

  /// The qlow_tensor_info array of `tensors` (null when empty).
  LLVM::GlobalOp buildTensorInfos(StringRef what,
                                  const std::vector<TensorInterface> &tensors) {
    if (tensors.empty())
      return {};
    SmallVector<LLVM::GlobalOp> names, shapes;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      std::string prefix = (what + "_" + Twine(i)).str();
      names.push_back(buildString(prefix + "_name", t.name));
      if (t.shape.empty()) {
        shapes.push_back({});
        continue;
      }
      auto shapeType = LLVM::LLVMArrayType::get(types.i64, t.shape.size());
      auto value = DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(t.shape.size())},
                                types.i64),
          ArrayRef<int64_t>(t.shape));
      shapes.push_back(LLVM::GlobalOp::create(
          b, loc, shapeType, /*isConstant=*/true, LLVM::Linkage::Private,
          privateName(prefix + "_shape"), value, /*alignment=*/8));
    }
    auto type = LLVM::LLVMArrayType::get(types.tensorInfo, tensors.size());
    auto global = LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                         LLVM::Linkage::Private,
                                         privateName(what), Attribute(),
                                         /*alignment=*/8);
    OpBuilder::InsertionGuard guard(b);
    b.createBlock(&global.getInitializerRegion());
    Value array = LLVM::ZeroOp::create(b, loc, type);
    for (auto [i, t] : llvm::enumerate(tensors)) {
      int64_t idx = static_cast<int64_t>(i);
      Value name = LLVM::AddressOfOp::create(b, loc, names[i]);
      Value shape = shapes[i]
                        ? LLVM::AddressOfOp::create(b, loc, shapes[i])
                              .getResult()
                        : LLVM::ZeroOp::create(b, loc, types.ptr).getResult();
      array = LLVM::InsertValueOp::create(b, loc, array, name,
                                          ArrayRef<int64_t>{idx, 0});
      array = LLVM::InsertValueOp::create(
          b, loc, array, i32Constant(static_cast<int32_t>(t.dtype)),
          ArrayRef<int64_t>{idx, 1});
      array = LLVM::InsertValueOp::create(
          b, loc, array, i32Constant(static_cast<int64_t>(t.shape.size())),
          ArrayRef<int64_t>{idx, 2});
      array = LLVM::InsertValueOp::create(b, loc, array, shape,
                                          ArrayRef<int64_t>{idx, 3});
    }
    LLVM::ReturnOp::create(b, loc, array);
    return global;
  }

  /// const qlow_model qlow_model_<model>.
  LLVM::GlobalOp buildModel(LLVM::LLVMFuncOp run, LLVM::GlobalOp inputs,
                            LLVM::GlobalOp outputs) {
    LLVM::GlobalOp name = buildString("name", iface.model);
    auto global = LLVM::GlobalOp::create(
        b, loc, types.model, /*isConstant=*/true, LLVM::Linkage::External,
        modelName(), Attribute(), /*alignment=*/8);
    OpBuilder::InsertionGuard guard(b);
    b.createBlock(&global.getInitializerRegion());
    auto addressOrNull = [&](LLVM::GlobalOp g) -> Value {
      if (g)
        return LLVM::AddressOfOp::create(b, loc, g);
      return LLVM::ZeroOp::create(b, loc, types.ptr);
    };
    Value model = LLVM::ZeroOp::create(b, loc, types.model);
    SmallVector<Value> fields = {
        LLVM::AddressOfOp::create(b, loc, name),
        i32Constant(static_cast<int64_t>(iface.inputs.size())),
        addressOrNull(inputs),
        i32Constant(static_cast<int64_t>(iface.outputs.size())),
        addressOrNull(outputs),
        LLVM::AddressOfOp::create(b, loc, run)};
    for (auto [i, v] : llvm::enumerate(fields))
      model = LLVM::InsertValueOp::create(
          b, loc, model, v, ArrayRef<int64_t>{static_cast<int64_t>(i)});
    LLVM::ReturnOp::create(b, loc, model);
    return global;
  }

  /// The weak alias qlow_default_model = qlow_model_<model>.
  void buildDefaultAlias(LLVM::GlobalOp model) {
    auto alias = LLVM::AliasOp::create(b, loc, types.model,
                                       LLVM::Linkage::Weak, kDefault);
    Region &init = alias.getInitializerRegion();
    if (init.empty())
      init.emplaceBlock();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&init.front());
    Value address = LLVM::AddressOfOp::create(b, loc, model);
    LLVM::ReturnOp::create(b, loc, address);
  }

  ModuleOp module;
  LLVM::LLVMFuncOp fn;
  const ModelInterface &iface;
  RuntimeTypes types;
  OpBuilder b;
  Location loc;
};

struct QlowEmitEntryPointPass
    : mlir::qlow::impl::QlowEmitEntryPointBase<QlowEmitEntryPointPass> {
  using QlowEmitEntryPointBase::QlowEmitEntryPointBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Operation *sym = SymbolTable::lookupSymbolIn(module, func);
    auto fn = dyn_cast_or_null<LLVM::LLVMFuncOp>(sym);
    if (!fn || fn.isExternal()) {
      module.emitError() << "qlow-emit-entry-point: no llvm.func @" << func
                         << " with a body in the module"
                         << (sym ? " (run it after lowering to the LLVM "
                                   "dialect)"
                                 : "");
      return signalPassFailure();
    }
    std::string name = model.empty() ? func : model;
    if (!isValidModelName(name)) {
      module.emitError() << "qlow-emit-entry-point: model name '" << name
                         << "' is not a C identifier";
      return signalPassFailure();
    }
    FailureOr<ModelInterface> iface = decodeModelInterface(fn, name);
    if (failed(iface))
      return signalPassFailure();
    if (failed(EntryPointBuilder(module, fn, *iface).build()))
      return signalPassFailure();
  }
};

} // namespace
