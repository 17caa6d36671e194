//===- X86Codegen.cpp - LLVM dialect -> optimized object code -------------===//
#include "qlow/Target/X86/X86Backend.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace mlir;
using namespace mlir::qlow;

namespace {

#include "AllocatorIR.inc"

/// MLIR's generic allocation functions, which the lowering calls for
/// memref.alloc/dealloc and runtime/lib/alloc.c defines.
constexpr const char *kAllocatorFunctions[] = {
    "_mlir_memref_to_llvm_alloc", "_mlir_memref_to_llvm_aligned_alloc",
    "_mlir_memref_to_llvm_free"};

void initializeX86Target() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
  });
}

/// Subtarget features: the host's for "native", then the user's.
std::string resolveFeatures(const X86TargetOptions &options) {
  SmallVector<std::string> features;
  if (options.cpu == "native") {
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    for (const auto &f : host)
      features.push_back((f.getValue() ? "+" : "-") + f.getKey().str());
    llvm::sort(features);
  }
  if (!options.features.empty())
    features.push_back(options.features);
  return llvm::join(features, ",");
}

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::CodeGenOptLevel getCodeGenOptLevel(unsigned level) {
  switch (level) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

llvm::OptimizationLevel getOptimizationLevel(unsigned level) {
  switch (level) {
  case 0:
    return llvm::OptimizationLevel::O0;
  case 1:
    return llvm::OptimizationLevel::O1;
  case 2:
    return llvm::OptimizationLevel::O2;
  default:
    return llvm::OptimizationLevel::O3;
  }
}

/// Gives `module` the target machine's triple and data layout, and every
/// function definition its CPU and features (what TTI and codegen read).
void configureModule(llvm::Module &module, llvm::TargetMachine &tm) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm.getTargetFeatureString());
  }
}

} // namespace

// The allocator comes as LLVM IR and gets internal linkage: every model
// carries its own copy, and two models in one process never share (or
// clash over) its per-thread cache.
llvm::Error mlir::qlow::linkModelAllocator(llvm::Module &module) {
  if (llvm::none_of(kAllocatorFunctions, [&](const char *name) {
        return module.getFunction(name) != nullptr;
      }))
    return llvm::Error::success();
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> allocator = llvm::parseAssemblyString(
      kAllocatorIR, diagnostic, module.getContext());
  if (!allocator)
    return makeError("x86 backend: the embedded allocator IR does not "
                     "parse: " +
                     diagnostic.getMessage());
  // The model's target decides code generation (configureModule), not the
  // flags alloc.c was compiled with.
  allocator->setDataLayout(module.getDataLayout());
  allocator->setTargetTriple(module.getTargetTriple());
  if (llvm::NamedMDNode *flags = allocator->getModuleFlagsMetadata())
    allocator->eraseNamedMetadata(flags);
  for (llvm::Function &f : *allocator)
    for (const char *attr : {"target-cpu", "target-features", "tune-cpu"})
      f.removeFnAttr(attr);
  if (llvm::Linker::linkModules(module, std::move(allocator)))
    return makeError("x86 backend: linking the allocator into the model "
                     "failed");
  for (const char *name : kAllocatorFunctions)
    if (llvm::Function *f = module.getFunction(name))
      if (!f->isDeclaration())
        f->setLinkage(llvm::GlobalValue::InternalLinkage);
  return llvm::Error::success();
}

std::string mlir::qlow::resolveCPU(const X86TargetOptions &options) {
  if (options.cpu == "native")
    return llvm::sys::getHostCPUName().str();
  return options.cpu;
}

/// The subtarget `options` describe, or null for an unknown CPU.
static std::unique_ptr<llvm::MCSubtargetInfo>
createSubtargetInfo(const X86TargetOptions &options) {
  initializeX86Target();
  llvm::Triple triple(llvm::Triple::normalize(options.triple));
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = resolveCPU(options);
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, cpu, resolveFeatures(options)));
  if (!sti || !sti->isCPUStringValid(cpu))
    return nullptr;
  return sti;
}

std::string mlir::qlow::selectX86VectorISA(const X86TargetOptions &options) {
  std::unique_ptr<llvm::MCSubtargetInfo> sti = createSubtargetInfo(options);
  if (!sti)
    return "generic";
  if (sti->checkFeatures("+avx2") &&
      (sti->checkFeatures("+avxvnni") ||
       (sti->checkFeatures("+avx512vnni") && sti->checkFeatures("+avx512vl"))))
    return "avxvnni";
  if (sti->checkFeatures("+avx2"))
    return "avx2";
  return "generic";
}

unsigned mlir::qlow::countX86VectorRegisters(const X86TargetOptions &options) {
  std::unique_ptr<llvm::MCSubtargetInfo> sti = createSubtargetInfo(options);
  return sti && sti->checkFeatures("+avx512f") ? 32 : 16;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::qlow::createX86TargetMachine(const X86TargetOptions &options) {
  initializeX86Target();
  llvm::Triple triple(llvm::Triple::normalize(options.triple));
  if (triple.getArch() != llvm::Triple::x86_64)
    return makeError("x86 backend: '" + options.triple +
                     "' is not an x86-64 target triple");
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("x86 backend: " + error);
  std::string cpu = resolveCPU(options);
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, cpu, ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpu))
    return makeError("x86 backend: unknown CPU '" + cpu + "'");
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, resolveFeatures(options), targetOptions, llvm::Reloc::PIC_,
      std::nullopt, getCodeGenOptLevel(options.optLevel)));
  if (!tm)
    return makeError("x86 backend: cannot create a target machine for " +
                     triple.str() + " / " + cpu);
  return tm;
}

void mlir::qlow::registerX86Translations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::qlow::translateAndOptimize(ModuleOp module,
                                 llvm::LLVMContext &llvmContext,
                                 const X86TargetOptions &options) {
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
      createX86TargetMachine(options);
  if (!tm)
    return tm.takeError();

  DialectRegistry registry;
  registerX86Translations(registry);
  module.getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "qlow_model");
  if (!llvmModule)
    return makeError("x86 backend: translation to LLVM IR failed (the "
                     "module must be entirely in the LLVM dialect; see the "
                     "diagnostics above)");
  if (llvm::Error e = linkModelAllocator(*llvmModule))
    return std::move(e);
  configureModule(*llvmModule, **tm);

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = options.optLevel > 1;
  tuning.LoopInterleaving = options.optLevel > 1;
  tuning.LoopVectorization = options.optLevel > 1;
  tuning.SLPVectorization = options.optLevel > 1;
  llvm::PassBuilder pb(tm->get(), tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      options.optLevel == 0
          ? pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
          : pb.buildPerModuleDefaultPipeline(
                getOptimizationLevel(options.optLevel));
  mpm.run(*llvmModule, mam);

  std::string broken;
  llvm::raw_string_ostream os(broken);
  if (llvm::verifyModule(*llvmModule, &os))
    return makeError("x86 backend: LLVM IR is invalid after optimization: " +
                     broken);
  return llvmModule;
}

llvm::Error mlir::qlow::emitObject(llvm::Module &module,
                                   const X86TargetOptions &options,
                                   llvm::raw_pwrite_stream &out,
                                   bool assembly) {
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
      createX86TargetMachine(options);
  if (!tm)
    return tm.takeError();
  configureModule(module, **tm);
  llvm::legacy::PassManager pm;
  if ((*tm)->addPassesToEmitFile(pm, out, nullptr,
                                 assembly ? llvm::CodeGenFileType::AssemblyFile
                                          : llvm::CodeGenFileType::ObjectFile))
    return makeError("x86 backend: the target cannot emit this file type");
  pm.run(module);
  return llvm::Error::success();
}

llvm::Error mlir::qlow::linkSharedLibrary(llvm::StringRef objectPath,
                                          llvm::StringRef soPath) {
  llvm::ErrorOr<std::string> clang = llvm::sys::findProgramByName("clang-22");
  if (!clang)
    clang = llvm::sys::findProgramByName("clang-22",
                                         {"/usr/lib/llvm-22/bin"});
  if (!clang)
    return makeError("x86 backend: clang-22 (the linker driver) not found "
                     "in PATH");
  llvm::SmallString<128> errPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("qlow-link", "txt", errPath))
    return makeError("x86 backend: cannot create a temporary file: " +
                     ec.message());
  llvm::FileRemover removeErr(errPath);
  std::string so = soPath.str(), obj = objectPath.str();
  SmallVector<llvm::StringRef> args = {*clang, "-shared", "-o", so, obj,
                                       "-lm"};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, std::nullopt,
                                                llvm::StringRef(errPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*clang, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/0,
                                     /*MemoryLimit=*/0, &message);
  if (rc == 0)
    return llvm::Error::success();
  std::string stderrText;
  if (auto buffer = llvm::MemoryBuffer::getFile(errPath))
    stderrText = (*buffer)->getBuffer().trim().str();
  llvm::sys::fs::remove(soPath);
  return makeError("x86 backend: linking " + soPath + " failed (" +
                   llvm::join(args, " ") + "): " +
                   (stderrText.empty() ? message : stderrText));
}
