//===- qlow-x86-codegen.cpp - LLVM-dialect model -> .o / .so / .h ---------===//
//
// The back half of the x86 backend as a tool, for tests and benchmarks:
// takes a module that `qlow-opt --qlow-x86-lower-to-llvm` produced and
// writes, through qlow's library API (qlow/Target/X86/X86Backend.h),
//
//   --emit=obj     an ELF object (translateAndOptimize + emitObject)
//   --emit=asm     its assembly
//   --emit=llvm    the optimized LLVM IR
//   --emit=so      a shared library (object + linkSharedLibrary)
//   --emit=header  the model's C header (generateHeader)
//
// The compile driver (qlow-compile) calls the same functions.
//
//===----------------------------------------------------------------------===//
#include "qlow/InitAll.h"
#include "qlow/Target/ModelInterface.h"
#include "qlow/Target/X86/X86Backend.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<LLVM-dialect .mlir>"),
                                   cl::init("-"));
cl::opt<std::string> outputFilename("o", cl::desc("output file"),
                                    cl::value_desc("file"), cl::Required);
enum class Emit { Object, Assembly, LLVMIR, Shared, Header };
cl::opt<Emit> emit(
    "emit", cl::desc("what to write"),
    cl::values(clEnumValN(Emit::Object, "obj", "ELF object"),
               clEnumValN(Emit::Assembly, "asm", "assembly"),
               clEnumValN(Emit::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Shared, "so", "shared library"),
               clEnumValN(Emit::Header, "header", "C header")),
    cl::init(Emit::Shared));
cl::opt<std::string> cpu("mcpu",
                         cl::desc("target CPU (x86-64-v3, native, ...)"),
                         cl::init("x86-64-v3"));
cl::opt<std::string> features("mattr", cl::desc("extra target features"),
                              cl::init(""));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                           cl::init(3), cl::Prefix);
cl::opt<std::string> funcName("func",
                              cl::desc("model function (for --emit=header)"),
                              cl::init(""));
cl::opt<std::string> modelName("model",
                               cl::desc("model name (for --emit=header)"),
                               cl::init(""));

int error(const llvm::Twine &message) {
  llvm::errs() << "qlow-x86-codegen: " << message << "\n";
  return 1;
}

int error(llvm::Error err) {
  std::string message = llvm::toString(std::move(err));
  return error(message);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "qlow x86-64 code generation\n");

  DialectRegistry registry;
  qlow::registerAllDialects(registry);
  qlow::registerX86Translations(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  std::string errorMessage;
  auto file = openInputFile(inputFilename, &errorMessage);
  if (!file)
    return error(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  if (emit == Emit::Header) {
    if (funcName.empty())
      return error("--emit=header needs --func");
    FailureOr<qlow::ModelInterface> iface =
        qlow::getModelInterface(*module, funcName, modelName);
    if (failed(iface))
      return 1;
    auto out = openOutputFile(outputFilename, &errorMessage);
    if (!out)
      return error(errorMessage);
    out->os() << qlow::generateHeader(*iface);
    out->keep();
    return 0;
  }

  qlow::X86TargetOptions target;
  target.cpu = cpu;
  target.features = features;
  target.optLevel = optLevel;
  llvm::LLVMContext llvmContext;
  auto llvmModule = qlow::translateAndOptimize(*module, llvmContext, target);
  if (!llvmModule)
    return error(llvmModule.takeError());

  if (emit == Emit::LLVMIR) {
    auto out = openOutputFile(outputFilename, &errorMessage);
    if (!out)
      return error(errorMessage);
    (*llvmModule)->print(out->os(), nullptr);
    out->keep();
    return 0;
  }
  if (emit != Emit::Shared) {
    auto out = openOutputFile(outputFilename, &errorMessage);
    if (!out)
      return error(errorMessage);
    if (llvm::Error err = qlow::emitObject(**llvmModule, target, out->os(),
                                           emit == Emit::Assembly))
      return error(std::move(err));
    out->keep();
    return 0;
  }

  // A shared library: the object goes to a temporary file next to it.
  llvm::SmallString<128> objPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          llvm::sys::path::filename(outputFilename), "o", objPath))
    return error("cannot create a temporary object file: " + ec.message());
  llvm::FileRemover removeObj(objPath);
  {
    auto obj = openOutputFile(objPath, &errorMessage);
    if (!obj)
      return error(errorMessage);
    if (llvm::Error err =
            qlow::emitObject(**llvmModule, target, obj->os(), false))
      return error(std::move(err));
    obj->keep();
  }
  if (llvm::Error err = qlow::linkSharedLibrary(objPath, outputFilename))
    return error(std::move(err));
  return 0;
}
