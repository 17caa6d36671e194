//===- Compile.cpp - the one-command compile driver -----------------------===//
#include "qlow/Driver/Compile.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Driver/OutputFiles.h"
#include "qlow/Driver/Report.h"
#include "qlow/Import/OnnxImport.h"
#include "qlow/Pipelines/Pipelines.h"
#include "qlow/Support/Progress.h"
#include "qlow/Target/ModelInterface.h"
#include "qlow/Transforms/Passes.h"
#include "qlow/Transforms/QuantizationInfo.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace mlir;
using namespace mlir::qlow;
using ::qlow::CalibrationData;
using ::qlow::CompileOptions;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The function to compile: the named one, or the module's only function
/// with a body.
FailureOr<func::FuncOp> findFunction(ModuleOp module, StringRef name) {
  func::FuncOp found;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isExternal() || (!name.empty() && f.getSymName() != name))
      continue;
    if (found)
      return emitError(module.getLoc())
             << "the model has several functions; choose one with --func";
    found = f;
  }
  if (!found)
    return emitError(module.getLoc())
           << "the model has no function "
           << (name.empty() ? "with a body" : ("@" + name).str());
  return found;
}

LogicalResult runPipeline(ModuleOp module,
                          function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}

/// A C identifier from the output file name ("out/my-net" -> "my_net").
std::string modelNameFor(StringRef outputPrefix) {
  std::string name = llvm::sys::path::filename(outputPrefix).str();
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    name = "m_" + name;
  return name;
}

/// The NumPy dtype of the data of a model input of element type `elem`
/// (bool: an i8 argument marked qlow.bool).
std::string npyDtypeOf(Type elem, bool isBool) {
  if (auto q = getQuantElementType(elem))
    return q.isSigned() ? "|i1" : "|u1";
  if (elem.isInteger(8))
    return isBool ? "|b1" : "|i1";
  if (elem.isInteger(32))
    return "<i4";
  if (elem.isInteger(64))
    return "<i8";
  return "<f4";
}

std::vector<::qlow::ModelInputInfo> inputInfos(func::FuncOp func) {
  std::vector<::qlow::ModelInputInfo> inputs;
  for (BlockArgument arg : func.getArguments()) {
    auto t = cast<RankedTensorType>(arg.getType());
    std::string name = getTensorName(arg);
    bool isBool = bool(func.getArgAttr(arg.getArgNumber(), kBoolAttr));
    inputs.push_back(
        {name.empty() ? "input_" + std::to_string(arg.getArgNumber()) : name,
         std::vector<int64_t>(t.getShape().begin(), t.getShape().end()),
         npyDtypeOf(t.getElementType(), isBool)});
  }
  return inputs;
}

LogicalResult fail(MLIRContext &ctx, llvm::Error error) {
  emitError(UnknownLoc::get(&ctx)) << llvm::toString(std::move(error));
  return failure();
}

} // namespace

namespace qlow {

llvm::Expected<std::string>
selectX86Capabilities(const X86TargetOptions &target) {
  auto tm = createX86TargetMachine(target);
  if (!tm)
    return tm.takeError();
  const llvm::MCSubtargetInfo *sti = (*tm)->getMCSubtargetInfo();
  if (sti->checkFeatures("+avx512vnni"))
    return std::string("x86-64-avx512-vnni");
  if (sti->checkFeatures("+avxvnni"))
    return std::string("x86-64-vnni");
  return std::string("x86-64-avx2");
}

llvm::Expected<CalibrationStats>
calibrateModel(ModuleOp imported, StringRef function,
               const CalibrationData &data,
               const CalibrationMethodOptions &method,
               const X86TargetOptions &target, bool progress) {
  MLIRContext *ctx = imported.getContext();
  OwningOpRef<ModuleOp> module = cast<ModuleOp>(imported->clone());
  auto error = [](const Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };

  // Probes become extra results of the float model.
  if (failed(runPipeline(*module, [&](OpPassManager &pm) {
        pm.addPass(createQlowInstrument());
        QlowExposeObservationsOptions expose;
        expose.funcName = function.str();
        pm.addPass(createQlowExposeObservations(expose));
        buildQlowFloatLoweringPipeline(pm);
      })))
    return error("calibration: cannot prepare the instrumented model");
  auto func = module->lookupSymbol<func::FuncOp>(function);
  auto observed = func->getAttrOfType<ArrayAttr>("qlow.observed");
  unsigned numModelOutputs =
      func.getNumResults() - (observed ? observed.size() : 0);
  // Output buffers in bytes (every element type the model may return); the
  // probes are f32.
  std::vector<int64_t> outputBytes;
  for (Type t : func.getResultTypes()) {
    auto type = cast<RankedTensorType>(t);
    Type elem = type.getElementType();
    if (auto q = getQuantElementType(elem))
      elem = q.getStorageType();
    int64_t width = std::max<int64_t>(8, elem.getIntOrFloatBitWidth()) / 8;
    outputBytes.push_back(type.getNumElements() * width);
  }

  if (failed(runPipeline(*module, [&](OpPassManager &pm) {
        X86LoweringOptions lowering;
        lowering.func = function.str();
        lowering.model = "calibration";
        buildQlowX86LoweringPipeline(pm, lowering);
      })))
    return error("calibration: cannot compile the instrumented model");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);
  auto tm = createX86TargetMachine(target);
  if (!tm)
    return tm.takeError();
  // The transformer must outlive create(), which holds only a reference.
  // It links in the allocator the lowered model calls, as native code gets.
  auto optimize = makeOptimizingTransformer(target.optLevel, 0, tm->get());
  std::function<llvm::Error(llvm::Module *)> transformer =
      [&](llvm::Module *m) -> llvm::Error {
    if (llvm::Error e = linkModelAllocator(*m))
      return e;
    return optimize(m);
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return engine.takeError();
  // Runs the allocator's constructors now and its destructor (which frees
  // this thread's cached blocks) with the engine.
  (*engine)->initialize();
  auto entry = (*engine)->lookup("qlow_run_calibration");
  if (!entry)
    return entry.takeError();
  using RunFn = int32_t (*)(const void *const *, void *const *);
  auto run = reinterpret_cast<RunFn>(*entry);

  // 64-bit words: aligned for every element type.
  std::vector<std::vector<int64_t>> outputs(outputBytes.size());
  std::vector<void *> outputPtrs;
  for (size_t i = 0; i < outputs.size(); ++i) {
    outputs[i].resize(size_t((outputBytes[i] + 7) / 8));
    outputPtrs.push_back(outputs[i].data());
  }
  llvm::StringMap<TensorCollector> collectors;
  ::qlow::Progress bar(progress ? llvm::errs() : llvm::nulls(), "calibration",
                       data.samples.size());
  for (const auto &sample : data.samples) {
    std::vector<const void *> inputPtrs;
    for (const std::vector<char> &in : sample)
      inputPtrs.push_back(in.data());
    if (int32_t status = run(inputPtrs.data(), outputPtrs.data()))
      return error("calibration: the model failed with status " +
                   Twine(status));
    for (unsigned i = numModelOutputs; i < outputs.size(); ++i) {
      StringRef name =
          cast<StringAttr>(observed[i - numModelOutputs]).getValue();
      collectors.try_emplace(name).first->second.addSample(
          llvm::ArrayRef<float>(
              reinterpret_cast<const float *>(outputs[i].data()),
              size_t(outputBytes[i] / 4)),
          method.averagingConstant);
    }
    bar.advance();
  }
  bar.finish();

  CalibrationStats stats;
  for (auto &entry : collectors) {
    const TensorCollector &c = entry.getValue();
    if (c.sawNonFinite())
      return error("calibration: tensor '" + entry.getKey() +
                   "' took infinite values; it has no range to quantize");
    if (c.empty())
      return error("calibration: tensor '" + entry.getKey() +
                   "' saw only NaN values");
    stats.tensors[entry.getKey()] = c.finalize(method);
  }
  return stats;
}

LogicalResult compileModel(MLIRContext &context,
                           const CompileOptions &options) {
  Clock::time_point start = Clock::now();
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  if (isOnnxModelPath(options.modelPath)) {
    OnnxImportOptions onnx;
    onnx.batch = options.batch;
    module = importOnnxModel(options.modelPath, context, onnx);
  } else {
    std::string errorMessage;
    auto file = openInputFile(options.modelPath, &errorMessage);
    if (!file)
      return emitError(UnknownLoc::get(&context))
             << "cannot read the model '" << options.modelPath
             << "': " << errorMessage;
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  if (!module)
    return failure();

  FailureOr<func::FuncOp> func = findFunction(*module, options.function);
  if (failed(func))
    return failure();
  std::string function = func->getSymName().str();
  std::string model = modelNameFor(options.outputPrefix);

  if (failed(runPipeline(*module, buildQlowImportPipeline)))
    return failure();

  OutputFiles outputs;
  CompileReport report;
  report.model = model;
  report.function = function;
  report.target = "x86_64";
  report.cpu = resolveCPU(options.target);
  report.precision = options.fp32 ? "fp32" : "int8";

  // A model that arrives quantized (QDQ: quantized types right after
  // import) carries its own scales and zero points: no calibration.
  bool preQuantized = false;
  module->walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      if (getQuantElementType(t))
        preQuantized = true;
  });

  std::optional<CalibrationStats> stats;
  if (preQuantized && !options.fp32) {
    report.rangeSource = "the model's own quantization (QDQ)";
    if (failed(runPipeline(*module, buildQlowImportQdqPipeline)))
      return failure();
    func = findFunction(*module, function);
    report.quantization = collectQuantizationInfo(*func);
    if (failed(runPipeline(*module, buildQlowIntegerLoweringPipeline)))
      return failure();
  } else if (options.fp32) {
    func = findFunction(*module, function);
    module->walk([&](arith::ConstantOp c) {
      if (auto t = dyn_cast<RankedTensorType>(c.getType());
          t && isa<FloatType>(t.getElementType()))
        report.fp32WeightBytes += 4.0 * double(t.getNumElements());
    });
    if (failed(runPipeline(*module, buildQlowFloatLoweringPipeline)))
      return failure();
  } else {
    std::string statsPath = options.statsPath;
    if (statsPath.empty()) {
      if (options.calibrationPath.empty())
        return emitError(UnknownLoc::get(&context))
               << "an int8 compile needs --calibration DATA or --stats FILE "
                  "(or --precision fp32)";
      func = findFunction(*module, function);
      auto data =
          loadCalibrationData(options.calibrationPath, inputInfos(*func));
      if (!data)
        return fail(context, data.takeError());
      Clock::time_point calStart = Clock::now();
      auto collected =
          calibrateModel(*module, function, *data, options.calibration,
                         options.target, options.progress);
      if (!collected)
        return fail(context, collected.takeError());
      report.calibrationSeconds = secondsSince(calStart);
      report.rangeSource = "calibration";
      report.calibrationMethod =
          calibrationMethodName(options.calibration.method).str();
      report.calibrationSamples = data->samples.size();
      stats = std::move(*collected);
      // The statistics are an output too: a later compile can reuse them
      // with --stats.
      std::string finalStats = options.outputPrefix + ".stats.json";
      auto temp = outputs.add(finalStats);
      if (!temp)
        return fail(context, temp.takeError());
      std::string text = writeCalibrationStats(*stats);
      std::error_code ec;
      llvm::raw_fd_ostream os(*temp, ec);
      if (ec)
        return emitError(UnknownLoc::get(&context))
               << "cannot write '" << finalStats << "': " << ec.message();
      os << text;
      os.close();
      statsPath = *temp;
    } else {
      auto read = readCalibrationStats(statsPath);
      if (!read)
        return fail(context, read.takeError());
      stats = std::move(*read);
      report.rangeSource = "statistics file " + statsPath;
    }

    auto capabilities = selectX86Capabilities(options.target);
    if (!capabilities)
      return fail(context, capabilities.takeError());
    QuantizePipelineOptions quantize;
    quantize.stats = statsPath;
    quantize.target = *capabilities;
    quantize.overrides = options.overrides;
    quantize.weights = options.weights;
    quantize.weightScheme = options.weightScheme;
    quantize.activations = options.activations;
    quantize.activationScheme = options.activationScheme;
    if (failed(runPipeline(*module, [&](OpPassManager &pm) {
          buildQlowQuantizePipeline(pm, quantize);
        })))
      return failure();
    func = findFunction(*module, function);
    report.quantization = collectQuantizationInfo(*func);
    report.stats = &*stats;
    if (failed(runPipeline(*module, buildQlowIntegerLoweringPipeline)))
      return failure();
  }

  auto finish = [&]() -> LogicalResult {
    report.compileSeconds = secondsSince(start);
    if (llvm::Error e = outputs.write(options.outputPrefix + ".report.json",
                                      renderReport(report)))
      return fail(context, std::move(e));
    if (llvm::Error e = outputs.commit())
      return fail(context, std::move(e));
    return success();
  };

  if (options.emit == EmitKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (llvm::Error e = outputs.write(options.outputPrefix + ".mlir", text))
      return fail(context, std::move(e));
    return finish();
  }

  // The interface must be read at the tensor level, before lowering.
  func = findFunction(*module, function);
  FailureOr<ModelInterface> interface = computeModelInterface(*func, model);
  if (failed(interface))
    return failure();
  if (failed(runPipeline(*module, [&](OpPassManager &pm) {
        X86LoweringOptions lowering;
        lowering.func = function;
        lowering.model = model;
        // The vector ISA (VNNI or not) must follow --mcpu, as the weight
        // precision chosen by qlow-legalize-precision does.
        lowering.cpu = options.target.cpu;
        lowering.features = options.target.features;
        buildQlowX86LoweringPipeline(pm, lowering);
      })))
    return failure();

  llvm::LLVMContext llvmContext;
  auto llvmModule = translateAndOptimize(*module, llvmContext, options.target);
  if (!llvmModule)
    return fail(context, llvmModule.takeError());

  if (options.emit == EmitKind::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    if (llvm::Error e = outputs.write(options.outputPrefix + ".ll", text))
      return fail(context, std::move(e));
    return finish();
  }

  auto emitTo = [&](StringRef finalPath, bool assembly,
                    std::string &tempPath) -> LogicalResult {
    auto temp = outputs.add(finalPath);
    if (!temp)
      return fail(context, temp.takeError());
    tempPath = *temp;
    std::error_code ec;
    llvm::raw_fd_ostream os(tempPath, ec);
    if (ec)
      return emitError(UnknownLoc::get(&context))
             << "cannot write '" << finalPath << "': " << ec.message();
    if (llvm::Error e = emitObject(**llvmModule, options.target, os, assembly))
      return fail(context, std::move(e));
    return success();
  };

  std::string objectTemp;
  if (options.emit == EmitKind::Assembly) {
    if (failed(emitTo(options.outputPrefix + ".s", true, objectTemp)))
      return failure();
    return finish();
  }
  if (failed(emitTo(options.outputPrefix + ".o", false, objectTemp)))
    return failure();
  uint64_t objectSize = 0;
  llvm::sys::fs::file_size(objectTemp, objectSize);
  report.objectBytes = objectSize;
  auto soTemp = outputs.add(options.outputPrefix + ".so");
  if (!soTemp)
    return fail(context, soTemp.takeError());
  if (llvm::Error e = linkSharedLibrary(objectTemp, *soTemp))
    return fail(context, std::move(e));
  if (llvm::Error e = outputs.write(options.outputPrefix + ".h",
                                    generateHeader(*interface)))
    return fail(context, std::move(e));
  return finish();
}

} // namespace qlow
