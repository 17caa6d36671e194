//===- qlow-compile.cpp - the one-command compile driver ------------------===//
//
//   qlow-compile MODEL --calibration DATA --target x86_64 [--mcpu CPU] -o OUT
//
// writes OUT.o, OUT.so, OUT.h, OUT.report.json (and OUT.stats.json when it
// calibrated). See docs/qlow-compile.md.
//
//===----------------------------------------------------------------------===//
#include "qlow/Driver/Compile.h"
#include "qlow/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

static cl::OptionCategory category("qlow-compile options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir or model.onnx>"),
                                      cl::cat(category));
static cl::opt<int64_t>
    batch("batch",
          cl::desc("ONNX models: the size of a dynamic leading (batch) input "
                   "dimension (default 1)"),
          cl::init(1), cl::cat(category));
static cl::opt<std::string> output("o", cl::Required,
                                   cl::desc("output prefix OUT"),
                                   cl::value_desc("OUT"), cl::cat(category));
static cl::opt<std::string>
    calibration("calibration",
                cl::desc("calibration data: a directory of .npy files or an "
                         ".npz, per input name"),
                cl::value_desc("DATA"), cl::cat(category));
// LLVM itself owns "-stats" (print statistics); qlow-compile's --stats is
// renamed to this before parsing (see main).
static cl::opt<std::string>
    stats("stats-file",
          cl::desc("--stats FILE: reuse a statistics file; skips calibration"),
          cl::value_desc("FILE"), cl::cat(category));
static cl::opt<std::string> target("target", cl::desc("target (x86_64)"),
                                   cl::init("x86_64"), cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu", cl::desc("CPU name LLVM knows, or 'native'"),
         cl::init("x86-64-v3"), cl::cat(category));
static cl::opt<std::string> precision("precision",
                                      cl::desc("int8 (default) or fp32"),
                                      cl::init("int8"), cl::cat(category));
static cl::opt<std::string>
    emit("emit", cl::desc("stop early: mlir | llvm | asm"), cl::init(""),
         cl::cat(category));
static cl::opt<std::string> func("func", cl::desc("the model function"),
                                 cl::init(""), cl::cat(category));
static cl::opt<std::string>
    method("method",
           cl::desc("calibration method: minmax (default), moving-average, "
                    "percentile, mse"),
           cl::init("minmax"), cl::cat(category));
static cl::opt<double> percentile("percentile",
                                  cl::desc("for --method=percentile"),
                                  cl::init(99.99), cl::cat(category));
static cl::opt<std::string> weights("weights",
                                    cl::desc("per-channel | per-tensor"),
                                    cl::init("per-channel"), cl::cat(category));
static cl::opt<std::string> weightScheme("weight-scheme",
                                         cl::desc("symmetric | affine"),
                                         cl::init("symmetric"),
                                         cl::cat(category));
static cl::opt<std::string> activations("activations", cl::desc("s8 | u8"),
                                        cl::init("s8"), cl::cat(category));
static cl::opt<std::string> activationScheme("activation-scheme",
                                             cl::desc("affine | symmetric"),
                                             cl::init("affine"),
                                             cl::cat(category));
static cl::list<std::string>
    overrides("override", cl::desc("NAME=f32|f16|int8 (repeatable)"),
              cl::cat(category));
static cl::opt<bool> noProgress("no-progress",
                                cl::desc("no progress bar while calibrating"),
                                cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  cl::HideUnrelatedOptions(category);
  std::vector<std::string> renamed(argv, argv + argc);
  for (std::string &arg : renamed)
    if (arg == "--stats" || arg == "-stats")
      arg = "--stats-file";
    else if (llvm::StringRef(arg).starts_with("--stats="))
      arg = "--stats-file=" + arg.substr(8);
  std::vector<const char *> args;
  for (const std::string &arg : renamed)
    args.push_back(arg.c_str());
  cl::ParseCommandLineOptions(int(args.size()), args.data(),
                              "qlow-compile: FP32 model + calibration data -> "
                              "native quantized library\n");
  auto usage = [](const llvm::Twine &msg) {
    llvm::errs() << "qlow-compile: error: " << msg << "\n";
    return 1;
  };
  qlow::CompileOptions options;
  options.modelPath = modelPath;
  if (batch < 1)
    return usage("--batch must be at least 1");
  options.batch = batch;
  options.outputPrefix = output;
  options.function = func;
  options.calibrationPath = calibration;
  options.statsPath = stats;
  if (target != "x86_64" && target != "x86-64")
    return usage("unsupported --target '" + target + "' (supported: x86_64)");
  if (precision != "int8" && precision != "fp32")
    return usage("--precision must be int8 or fp32");
  options.fp32 = precision == "fp32";
  if (emit == "mlir")
    options.emit = qlow::EmitKind::MLIR;
  else if (emit == "llvm")
    options.emit = qlow::EmitKind::LLVM;
  else if (emit == "asm")
    options.emit = qlow::EmitKind::Assembly;
  else if (!emit.empty())
    return usage("--emit must be mlir, llvm or asm");
  options.target.cpu = mcpu;
  auto m = mlir::qlow::parseCalibrationMethod(method);
  if (!m)
    return usage("unknown --method '" + method +
                 "' (minmax, moving-average, percentile, mse)");
  options.calibration.method = *m;
  // A statistics file holds ranges already chosen by its own method.
  if (!stats.empty() &&
      (method.getNumOccurrences() || percentile.getNumOccurrences()))
    return usage("--method and --percentile apply while calibrating; with "
                 "--stats the file's ranges are used as they are");
  if (!(percentile > 50.0 && percentile <= 100.0))
    return usage("--percentile must be in (50, 100]");
  options.calibration.percentile = percentile;
  options.weights = weights;
  options.weightScheme = weightScheme;
  options.activations = activations;
  options.activationScheme = activationScheme;
  options.overrides.assign(overrides.begin(), overrides.end());
  options.progress = !noProgress;

  mlir::DialectRegistry registry;
  mlir::qlow::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  return mlir::failed(qlow::compileModel(context, options)) ? 1 : 0;
}
