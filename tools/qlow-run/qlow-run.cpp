//===- qlow-run.cpp - run a compiled model on NumPy inputs ----------------===//
//
//   qlow-run MODEL.so --input NAME=FILE.npy ... [--model NAME]
//            [--output-dir DIR] [--reference DIR|FILE.npz]
//            [--min-sqnr DB] [--min-cosine C] [--bench N] [--warmup K]
//            [--json FILE]
//
// Loads a model compiled by qlow (the C ABI of qlow/runtime.h), feeds it
// .npy inputs (one run's tensors, or a stack of samples along the leading
// batch dimension, run a batch at a time), writes its outputs, compares them with reference arrays
// (max abs diff, cosine, SQNR, argmax agreement) and measures latency.
// docs/qlow-run.md is the manual.
//
// Exit status: 0 when everything ran (whatever the metrics), 1 on any error
// (nothing is written then), 2 when a --min-* threshold is violated.
//
//===----------------------------------------------------------------------===//
#include "qlow/Support/Npy.h"
#include "qlow/runtime.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

using namespace llvm;
using qlow::NpyArray;

namespace {

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

cl::OptionCategory runCategory("qlow-run options");

cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.so>"), cl::cat(runCategory));
cl::opt<std::string>
    modelName("model",
              cl::desc("Run the descriptor qlow_model_<NAME> instead of "
                       "qlow_default_model"),
              cl::value_desc("NAME"), cl::cat(runCategory));
cl::list<std::string>
    inputArgs("input",
              cl::desc("Feed input tensor NAME from a .npy file (once per "
                       "input)"),
              cl::value_desc("NAME=FILE.npy"), cl::cat(runCategory));
cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write every output as DIR/<name>.npy (all or none)"),
              cl::value_desc("DIR"), cl::cat(runCategory));
cl::opt<std::string>
    referencePath("reference",
                  cl::desc("Compare outputs with DIR/<name>.npy or the "
                           "arrays of FILE.npz"),
                  cl::value_desc("DIR|FILE.npz"), cl::cat(runCategory));
cl::opt<double> minSqnr("min-sqnr",
                        cl::desc("Fail (exit 2) when an output's SQNR is "
                                 "below DB decibels"),
                        cl::value_desc("DB"), cl::cat(runCategory));
cl::opt<double> minCosine("min-cosine",
                          cl::desc("Fail (exit 2) when an output's cosine "
                                   "similarity is below C"),
                          cl::value_desc("C"), cl::cat(runCategory));
cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time N runs on the first sample and "
                                     "report median and p90 latency"),
                            cl::value_desc("N"), cl::init(0),
                            cl::cat(runCategory));
cl::opt<unsigned> warmupRuns("warmup",
                             cl::desc("Untimed runs before --bench "
                                      "(default 10)"),
                             cl::value_desc("K"), cl::init(10),
                             cl::cat(runCategory));
cl::opt<std::string>
    labelsPath("labels",
               cl::desc("Integer class labels, one per sample: reports the "
                        "accuracy of the first output's argmax"),
               cl::value_desc("FILE.npy"), cl::cat(runCategory));
cl::opt<std::string> jsonPath("json",
                              cl::desc("Also write the report as JSON"),
                              cl::value_desc("FILE"), cl::cat(runCategory));

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message.str());
}

std::optional<std::string> npyDtypeOf(int32_t dtype) {
  switch (dtype) {
  case QLOW_DTYPE_F32:
    return std::string("<f4");
  case QLOW_DTYPE_I8:
    return std::string("|i1");
  case QLOW_DTYPE_U8:
    return std::string("|u1");
  case QLOW_DTYPE_I32:
    return std::string("<i4");
  case QLOW_DTYPE_F16:
    return std::string("<f2");
  case QLOW_DTYPE_I64:
    return std::string("<i8");
  case QLOW_DTYPE_BOOL:
    return std::string("|b1");
  }
  return std::nullopt;
}

/// "f32 (<f4)".
std::string describeDtype(StringRef npyDtype) {
  return qlow::npyShortName(npyDtype) + " (" + npyDtype.str() + ")";
}

std::vector<int64_t> shapeOf(const qlow_tensor_info &info) {
  return std::vector<int64_t>(info.shape, info.shape + info.rank);
}

/// The file name stem of a tensor: characters other than letters, digits,
/// '.', '_' and '-' become '_' (tensor names may hold '/' or ':').
std::string fileStem(StringRef name) {
  std::string stem;
  for (char c : name)
    stem += isAlnum(c) || c == '.' || c == '_' || c == '-' ? c : '_';
  if (stem.empty() || stem == "." || stem == "..")
    stem = "_" + stem;
  return stem;
}

std::string formatNumber(double v, const char *fmt = "%.6g") {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

/// JSON has no inf/nan: they become the strings "inf", "-inf", "nan".
json::Value jsonNumber(double v) {
  if (std::isfinite(v))
    return v;
  return formatNumber(v);
}

/// 64-byte aligned, zero-initialized storage for one tensor of one sample.
struct Buffer {
  struct Free {
    void operator()(char *p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> ptr;
  size_t size = 0;
  explicit Buffer(size_t bytes) : size(bytes) {
    size_t alloc = std::max<size_t>(64, (bytes + 63) / 64 * 64);
    ptr.reset(static_cast<char *>(std::aligned_alloc(64, alloc)));
    if (ptr)
      std::memset(ptr.get(), 0, alloc);
  }
};

//===----------------------------------------------------------------------===//
// Loading the model
//===----------------------------------------------------------------------===//

/// Names X of the exported qlow_model_X symbols of `path`, for hints.
std::vector<std::string> exportedModels(StringRef path) {
  std::vector<std::string> names;
  Expected<object::OwningBinary<object::ObjectFile>> file =
      object::ObjectFile::createObjectFile(path);
  if (!file) {
    consumeError(file.takeError());
    return names;
  }
  auto *elf = dyn_cast<object::ELFObjectFileBase>(file->getBinary());
  if (!elf)
    return names;
  for (const object::ELFSymbolRef &sym : elf->getDynamicSymbolIterators()) {
    Expected<StringRef> name = sym.getName();
    if (!name) {
      consumeError(name.takeError());
      continue;
    }
    Expected<object::section_iterator> section = sym.getSection();
    if (!section) {
      consumeError(section.takeError());
      continue;
    }
    if (name->starts_with("qlow_model_") && *section != elf->section_end())
      names.push_back(name->drop_front(strlen("qlow_model_")).str());
  }
  llvm::sort(names);
  return names;
}

Error checkTensorInfos(const qlow_tensor_info *infos, int32_t count,
                       StringRef kind, StringRef symbol) {
  if (count < 0 || (count > 0 && !infos))
    return makeError(symbol + ": invalid " + kind + " list");
  StringSet<> seen;
  for (int32_t i = 0; i < count; ++i) {
    const qlow_tensor_info &info = infos[i];
    if (!info.name || !*info.name)
      return makeError(symbol + ": " + kind + " " + Twine(i) + " has no name");
    if (!seen.insert(info.name).second)
      return makeError(symbol + ": two " + kind + "s are named '" +
                       info.name + "'");
    if (!npyDtypeOf(info.dtype))
      return makeError(symbol + ": " + kind + " '" + info.name +
                       "' has unknown dtype " + Twine(info.dtype));
    if (info.rank < 0 || (info.rank > 0 && !info.shape))
      return makeError(symbol + ": " + kind + " '" + info.name +
                       "' has an invalid shape");
    int64_t n = 1;
    for (int64_t d : shapeOf(info)) {
      if (d < 0)
        return makeError(symbol + ": " + kind + " '" + info.name +
                         "' has a negative dimension");
      if (__builtin_mul_overflow(n, d, &n))
        return makeError(symbol + ": " + kind + " '" + info.name +
                         "' is too large");
    }
  }
  return Error::success();
}

struct Model {
  std::string path;
  std::string symbol;
  const qlow_model *desc = nullptr;
};

Expected<Model> loadModel(StringRef path, StringRef name) {
  Model model;
  model.path = path.str();
  // dlopen searches the library path for a name without '/'.
  std::string openPath = path.contains('/') ? path.str() : "./" + path.str();
  if (!sys::fs::exists(path))
    return makeError("cannot load model " + path + ": no such file");
  void *handle = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    return makeError("cannot load model " + path + ": " +
                     (why ? why : "dlopen failed"));
  }
  // The library stays loaded until exit.
  model.symbol = name.empty() ? "qlow_default_model" : "qlow_model_" + name.str();
  dlerror();
  model.desc = static_cast<const qlow_model *>(dlsym(handle, model.symbol.c_str()));
  if (!model.desc) {
    std::string hint;
    std::vector<std::string> models = exportedModels(path);
    if (!models.empty())
      hint = " (it exports: " + join(models, ", ") + "; use --model NAME)";
    else
      hint = " (not a model compiled by qlow?)";
    return makeError(path + " has no symbol '" + model.symbol + "'" + hint);
  }
  const qlow_model *m = model.desc;
  if (!m->run)
    return makeError(model.symbol + ": the descriptor has no run function");
  if (Error e = checkTensorInfos(m->inputs, m->num_inputs, "input",
                                 model.symbol))
    return std::move(e);
  if (Error e = checkTensorInfos(m->outputs, m->num_outputs, "output",
                                 model.symbol))
    return std::move(e);
  return model;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

struct BoundInput {
  const qlow_tensor_info *info = nullptr;
  std::string file;
  NpyArray array;
  int64_t runs = 1;      ///< model runs the file feeds
  int64_t runBytes = 0;  ///< bytes of one run's tensor (the model's shape)
};

/// Whether a tensor of `model` shape has a leading batch dimension that a
/// stack of samples can fill: [1, ...], or [B, rest...] with rest not empty
/// (a plain vector [N] is not a batch of scalars).
bool hasBatchDim(ArrayRef<int64_t> model) {
  return !model.empty() && model[0] > 0 && (model[0] == 1 || model.size() > 1);
}

/// The number of runs `shape` feeds to a tensor of `model` shape [B,
/// rest...]: 1 for exactly the model's shape; S / B for a stack [S,
/// rest...] of samples with S a multiple of B; std::nullopt otherwise.
std::optional<int64_t> runsIn(ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> model) {
  if (shape == model)
    return 1;
  if (hasBatchDim(model) && shape.size() == model.size() &&
      shape.drop_front() == model.drop_front() && shape[0] % model[0] == 0)
    return shape[0] / model[0];
  return std::nullopt;
}

/// Binds the --input files; sets `numRuns` and `batch` (the leading
/// dimension of the stacked inputs, 1 when nothing is stacked).
Expected<std::vector<BoundInput>> bindInputs(const qlow_model &m,
                                             int64_t &numRuns,
                                             int64_t &batch) {
  std::vector<BoundInput> bound(m.num_inputs);
  for (int32_t i = 0; i < m.num_inputs; ++i)
    bound[i].info = &m.inputs[i];
  auto names = [&] {
    std::vector<std::string> all;
    for (int32_t i = 0; i < m.num_inputs; ++i)
      all.push_back(m.inputs[i].name);
    return all.empty() ? std::string("none") : join(all, ", ");
  };
  for (const std::string &arg : inputArgs) {
    std::pair<StringRef, StringRef> split = StringRef(arg).split('=');
    StringRef name = split.first, file = split.second;
    if (file.empty() || name.empty())
      return makeError("--input " + arg + ": expected NAME=FILE.npy");
    auto it = llvm::find_if(
        bound, [&](const BoundInput &b) { return name == b.info->name; });
    if (it == bound.end())
      return makeError("--input " + arg + ": the model has no input named '" +
                       name + "' (inputs: " + names() + ")");
    if (!it->file.empty())
      return makeError("--input " + arg + ": input '" + name +
                       "' is given twice");
    it->file = file.str();
  }
  for (BoundInput &b : bound) {
    const qlow_tensor_info &info = *b.info;
    if (b.file.empty())
      return makeError("missing input '" + Twine(info.name) +
                       "': give --input " + info.name + "=FILE.npy");
    Expected<NpyArray> array = qlow::readNpy(b.file);
    if (!array)
      return makeError("input '" + Twine(info.name) +
                       "': " + toString(array.takeError()));
    b.array = std::move(*array);
    std::string expected = *npyDtypeOf(info.dtype);
    if (b.array.dtype != expected)
      return makeError("input '" + Twine(info.name) + "' (" + b.file +
                       "): dtype " + describeDtype(b.array.dtype) +
                       " does not match the model's " +
                       describeDtype(expected));
    std::vector<int64_t> model = shapeOf(info);
    std::optional<int64_t> runs = runsIn(b.array.shape, model);
    if (!runs) {
      std::string stack;
      if (hasBatchDim(model)) {
        stack = " or a stack [S";
        for (int64_t d : ArrayRef<int64_t>(model).drop_front())
          stack += ", " + std::to_string(d);
        stack += "] of samples";
        if (model[0] > 1)
          stack += " with S a multiple of " + std::to_string(model[0]);
      }
      return makeError("input '" + Twine(info.name) + "' (" + b.file +
                       "): shape " + qlow::formatShape(b.array.shape) +
                       " does not match the model's " +
                       qlow::formatShape(model) + stack);
    }
    if (*runs == 0)
      return makeError("input '" + Twine(info.name) + "' (" + b.file +
                       "): the stack holds no samples");
    b.runs = *runs;
    b.runBytes = b.array.data.size() / *runs;
  }
  // Every stacked input feeds the same number of runs; an input holding
  // exactly its tensor is used for all.
  numRuns = 1;
  batch = 1;
  const BoundInput *most = nullptr;
  for (const BoundInput &b : bound)
    if (b.runs > numRuns) {
      numRuns = b.runs;
      most = &b;
    }
  for (const BoundInput &b : bound) {
    if (b.runs == 1)
      continue;
    if (b.runs != numRuns)
      return makeError("inputs hold different numbers of samples: '" +
                       Twine(b.info->name) + "' has " +
                       Twine(b.array.shape[0]) + ", another has " +
                       Twine(most->array.shape[0]));
    batch = b.info->rank > 0 ? b.info->shape[0] : 1;
  }
  return bound;
}

/// The shape of an output over `runs` runs of `batch` samples: the model's
/// shape for one run; [runs * B, rest...] for a model shape [B, rest...]
/// with B the batch (or 1); else [runs, shape...].
std::vector<int64_t> stackedShape(const qlow_tensor_info &info, int64_t runs,
                                  int64_t batch) {
  std::vector<int64_t> shape = shapeOf(info);
  if (runs == 1)
    return shape;
  if (!shape.empty() && (shape[0] == 1 || shape[0] == batch))
    shape[0] *= runs;
  else
    shape.insert(shape.begin(), runs);
  return shape;
}

//===----------------------------------------------------------------------===//
// References and metrics
//===----------------------------------------------------------------------===//

struct Reference {
  std::string source; ///< file (or archive) it came from
  NpyArray array;
};

Expected<std::vector<Reference>>
loadReferences(const qlow_model &m, int64_t runs, int64_t batch) {
  std::vector<Reference> refs(m.num_outputs);
  bool isDir = sys::fs::is_directory(referencePath);
  std::optional<qlow::NpzMap> archive;
  if (!isDir) {
    if (!sys::fs::exists(referencePath))
      return makeError("--reference " + referencePath +
                       ": no such file or directory");
    Expected<qlow::NpzMap> npz = qlow::readNpz(referencePath);
    if (!npz)
      return makeError("--reference: " + toString(npz.takeError()));
    archive = std::move(*npz);
  }
  for (int32_t o = 0; o < m.num_outputs; ++o) {
    const qlow_tensor_info &info = m.outputs[o];
    Reference &ref = refs[o];
    if (isDir) {
      SmallString<256> path(referencePath);
      sys::path::append(path, fileStem(info.name) + ".npy");
      ref.source = path.str().str();
      if (!sys::fs::exists(path))
        return makeError("no reference for output '" + Twine(info.name) +
                         "': " + path + " does not exist");
      Expected<NpyArray> array = qlow::readNpy(path);
      if (!array)
        return makeError("reference for output '" + Twine(info.name) +
                         "': " + toString(array.takeError()));
      ref.array = std::move(*array);
    } else {
      ref.source = referencePath + "(" + info.name + ")";
      auto it = archive->find(info.name);
      if (it == archive->end()) {
        std::vector<std::string> keys;
        for (const auto &kv : *archive)
          keys.push_back(kv.first);
        return makeError("no reference for output '" + Twine(info.name) +
                         "' in " + referencePath + " (it holds: " +
                         (keys.empty() ? "nothing" : join(keys, ", ")) + ")");
      }
      ref.array = std::move(it->second);
    }
    std::vector<int64_t> expected = stackedShape(info, runs, batch);
    if (ref.array.shape != expected)
      return makeError("reference for output '" + Twine(info.name) + "' (" +
                       ref.source + ") has shape " +
                       qlow::formatShape(ref.array.shape) +
                       ", the output has " + qlow::formatShape(expected));
  }
  return refs;
}

struct Metrics {
  double maxAbsDiff = 0;
  double cosine = 1;
  double sqnrDb = std::numeric_limits<double>::infinity();
  int64_t argmaxRows = 0; ///< 0: no argmax (0-d or empty last axis)
  int64_t argmaxAgree = 0;
};

/// NumPy's argmax: the first maximum; the first NaN if there is one.
int64_t argmax(ArrayRef<double> row) {
  int64_t best = 0;
  for (int64_t i = 0, e = row.size(); i < e; ++i) {
    if (std::isnan(row[i]))
      return i;
    if (row[i] > row[best])
      best = i;
  }
  return best;
}

Metrics compare(const NpyArray &out, const NpyArray &ref) {
  std::vector<double> o = out.toDoubles(), r = ref.toDoubles();
  Metrics m;
  double dot = 0, refSq = 0, outSq = 0, noise = 0;
  bool nan = false;
  for (size_t i = 0; i < o.size(); ++i) {
    double d = r[i] - o[i];
    nan |= std::isnan(d);
    m.maxAbsDiff = std::max(m.maxAbsDiff, std::fabs(d));
    dot += r[i] * o[i];
    refSq += r[i] * r[i];
    outSq += o[i] * o[i];
    noise += d * d;
  }
  if (nan) {
    m.maxAbsDiff = m.cosine = m.sqnrDb = std::nan("");
  } else {
    if (refSq == 0 && outSq == 0)
      m.cosine = 1;
    else if (refSq == 0 || outSq == 0)
      m.cosine = 0;
    else
      m.cosine = dot / (std::sqrt(refSq) * std::sqrt(outSq));
    if (noise == 0)
      m.sqnrDb = std::numeric_limits<double>::infinity();
    else
      m.sqnrDb = 10 * std::log10(refSq / noise);
  }
  if (!out.shape.empty() && out.shape.back() > 0) {
    int64_t width = out.shape.back();
    m.argmaxRows = o.size() / width;
    for (int64_t row = 0; row < m.argmaxRows; ++row) {
      ArrayRef<double> orow(o.data() + row * width, width);
      ArrayRef<double> rrow(r.data() + row * width, width);
      m.argmaxAgree += argmax(orow) == argmax(rrow);
    }
  }
  return m;
}

//===----------------------------------------------------------------------===//
// Writing: everything to temporaries, renamed only when all succeeded
//===----------------------------------------------------------------------===//

class PendingFiles {
public:
  ~PendingFiles() { discard(); }

  Error add(StringRef path, function_ref<Error(raw_ostream &)> write) {
    Expected<sys::fs::TempFile> temp =
        sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
    if (!temp)
      return makeError("cannot write " + path + ": " +
                       toString(temp.takeError()));
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    Error writeError = write(os);
    os.flush();
    std::error_code ec = os.error();
    os.clear_error();
    temps.push_back(std::move(*temp));
    finals.push_back(path.str());
    if (writeError)
      return writeError;
    if (ec)
      return makeError("cannot write " + path + ": " + ec.message());
    return Error::success();
  }

  Error commit() {
    Error result = Error::success();
    for (size_t i = 0; i < temps.size(); ++i)
      if (Error e = temps[i].keep(finals[i]))
        result = joinErrors(std::move(result),
                            makeError("cannot write " + finals[i] + ": " +
                                      toString(std::move(e))));
    temps.clear();
    finals.clear();
    return result;
  }

  void discard() {
    for (sys::fs::TempFile &t : temps)
      consumeError(t.discard());
    temps.clear();
    finals.clear();
  }

private:
  std::vector<sys::fs::TempFile> temps;
  std::vector<std::string> finals;
};

/// Checks early that `dir` is (or can become) a writable directory.
Error checkOutputDir(StringRef dir) {
  if (sys::fs::exists(dir)) {
    if (!sys::fs::is_directory(dir))
      return makeError("--output-dir " + dir + ": not a directory");
    if (sys::fs::access(dir, sys::fs::AccessMode::Write))
      return makeError("--output-dir " + dir + ": not writable");
    return Error::success();
  }
  SmallString<256> existing(dir);
  while (!existing.empty() && !sys::fs::exists(existing))
    sys::path::remove_filename(existing);
  if (!existing.empty() && !sys::fs::is_directory(existing))
    return makeError("--output-dir " + dir + ": " + existing +
                     " is not a directory");
  if (!existing.empty() &&
      sys::fs::access(existing, sys::fs::AccessMode::Write))
    return makeError("--output-dir " + dir + ": cannot create it in " +
                     existing + " (not writable)");
  return Error::success();
}

/// Creates `dir` and its missing parents, recording the ones created.
Error createDirs(StringRef dir, std::vector<std::string> &created) {
  std::vector<std::string> missing;
  SmallString<256> p(dir);
  while (!p.empty() && !sys::fs::exists(p)) {
    missing.push_back(p.str().str());
    sys::path::remove_filename(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (std::error_code ec = sys::fs::create_directory(*it))
      return makeError("--output-dir " + dir + ": cannot create " + *it +
                       ": " + ec.message());
    created.push_back(*it);
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// The run
//===----------------------------------------------------------------------===//

struct OutputResult {
  const qlow_tensor_info *info;
  NpyArray array;
  std::string file;
  std::optional<Reference> reference;
  std::optional<Metrics> metrics;
};

struct BenchResult {
  unsigned runs = 0, warmup = 0;
  double medianUs = 0, p90Us = 0, minUs = 0, meanUs = 0;
  /// Page faults of the process during the timed runs, per run: a model
  /// that gets its temporaries from the kernel on every call shows here.
  double pageFaultsPerRun = 0;
};

/// Minor and major page faults of this process so far.
long pageFaults() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_minflt + usage.ru_majflt;
}

const char *statusName(int status) {
  switch (status) {
  case QLOW_ERROR_NULL_ARGUMENT:
    return "QLOW_ERROR_NULL_ARGUMENT";
  case QLOW_ERROR_OUT_OF_MEMORY:
    return "QLOW_ERROR_OUT_OF_MEMORY";
  }
  return "unknown status";
}

Error runStatus(qlow_status status, const Twine &what) {
  if (status == QLOW_OK)
    return Error::success();
  return makeError("the model failed " + what + ": status " +
                   Twine(static_cast<int>(status)) + " (" +
                   statusName(status) + ")");
}

void printValues(raw_ostream &os, const NpyArray &a) {
  int64_t n = a.numElements();
  constexpr int64_t kShown = 8;
  os << "    values:";
  for (int64_t i = 0; i < std::min(n, kShown); ++i)
    os << ' ' << formatNumber(a.getAsDouble(i));
  if (n > kShown)
    os << " ... (" << n << " values)";
  os << '\n';
}

int runTool() {
  auto fail = [](Error e) {
    WithColor::error(errs(), "qlow-run") << toString(std::move(e)) << '\n';
    return 1;
  };
  if (benchRuns.getNumOccurrences() && benchRuns == 0)
    return fail(makeError("--bench needs at least 1 run"));
  if (warmupRuns.getNumOccurrences() && !benchRuns.getNumOccurrences())
    return fail(makeError("--warmup needs --bench"));
  bool haveThresholds = minSqnr.getNumOccurrences() ||
                        minCosine.getNumOccurrences();
  if (haveThresholds && referencePath.empty())
    return fail(makeError("--min-sqnr and --min-cosine need --reference"));

  Expected<Model> loaded = loadModel(modelPath, modelName);
  if (!loaded)
    return fail(loaded.takeError());
  const qlow_model &m = *loaded->desc;

  // Output files are named after tensors: distinct names must stay distinct.
  if (!outputDir.empty() ||
      (!referencePath.empty() && sys::fs::is_directory(referencePath))) {
    StringMap<std::string> stems;
    for (int32_t o = 0; o < m.num_outputs; ++o) {
      auto [it, inserted] =
          stems.try_emplace(fileStem(m.outputs[o].name), m.outputs[o].name);
      if (!inserted)
        return fail(makeError("outputs '" + it->second + "' and '" +
                              m.outputs[o].name + "' map to the same file " +
                              it->first() + ".npy"));
    }
  }
  if (!outputDir.empty())
    if (Error e = checkOutputDir(outputDir))
      return fail(std::move(e));

  int64_t runs = 1, batch = 1;
  Expected<std::vector<BoundInput>> bound = bindInputs(m, runs, batch);
  if (!bound)
    return fail(bound.takeError());
  // Samples: the rows of the first output (runs x batch for a batched model).
  int64_t samples = runs;
  if (m.num_outputs > 0) {
    std::vector<int64_t> first = stackedShape(m.outputs[0], runs, batch);
    if (!first.empty() && first.back() > 0)
      samples = std::accumulate(first.begin(), first.end(), int64_t(1),
                                std::multiplies<int64_t>()) /
                first.back();
  }

  // Labels are checked before anything runs.
  std::vector<int64_t> labels;
  if (!labelsPath.empty()) {
    Expected<NpyArray> l = qlow::readNpy(labelsPath);
    if (!l)
      return fail(l.takeError());
    if (l->isFloat() || l->shape.size() != 1 || l->shape[0] != samples)
      return fail(makeError(labelsPath + ": labels must be integers of shape [" +
                            Twine(samples) + "] (one per sample), got " +
                            qlow::npyShortName(l->dtype) + " " +
                            qlow::formatShape(l->shape)));
    for (double v : l->toDoubles())
      labels.push_back(int64_t(v));
  }

  std::optional<std::vector<Reference>> refs;
  if (!referencePath.empty()) {
    Expected<std::vector<Reference>> r = loadReferences(m, runs, batch);
    if (!r)
      return fail(r.takeError());
    refs = std::move(*r);
  }

  raw_ostream &os = outs();
  os << "model " << (m.name ? m.name : "(unnamed)") << " (" << loaded->path
     << ", " << loaded->symbol << "): " << m.num_inputs << " input"
     << (m.num_inputs == 1 ? "" : "s") << ", " << m.num_outputs << " output"
     << (m.num_outputs == 1 ? "" : "s") << '\n';
  for (const BoundInput &b : *bound)
    os << "  input  " << b.info->name << ": "
       << qlow::npyShortName(*npyDtypeOf(b.info->dtype)) << ' '
       << qlow::formatShape(shapeOf(*b.info)) << " <- " << b.file
       << (b.runs > 1 ? " (" + std::to_string(b.array.shape[0]) + " samples)"
                      : std::string())
       << '\n';
  for (int32_t o = 0; o < m.num_outputs; ++o)
    os << "  output " << m.outputs[o].name << ": "
       << qlow::npyShortName(*npyDtypeOf(m.outputs[o].dtype)) << ' '
       << qlow::formatShape(shapeOf(m.outputs[o])) << '\n';

  // Per-sample buffers, aligned; inputs copied in, outputs copied out.
  std::vector<Buffer> inBufs, outBufs;
  std::vector<const void *> inPtrs;
  std::vector<void *> outPtrs;
  for (const BoundInput &b : *bound) {
    inBufs.emplace_back(b.runBytes);
    inPtrs.push_back(inBufs.back().ptr.get());
  }
  std::vector<OutputResult> outputs;
  for (int32_t o = 0; o < m.num_outputs; ++o) {
    const qlow_tensor_info &info = m.outputs[o];
    OutputResult r{&info, NpyArray::zeros(*npyDtypeOf(info.dtype),
                                          stackedShape(info, runs, batch)),
                   "", std::nullopt, std::nullopt};
    outputs.push_back(std::move(r));
    outBufs.emplace_back(qlow_num_elements(&info) *
                         qlow_dtype_size(info.dtype));
    outPtrs.push_back(outBufs.back().ptr.get());
  }
  for (const Buffer &b : inBufs)
    if (!b.ptr)
      return fail(makeError("out of memory"));
  for (const Buffer &b : outBufs)
    if (!b.ptr)
      return fail(makeError("out of memory"));

  auto loadRun = [&](int64_t s) {
    for (size_t i = 0; i < bound->size(); ++i) {
      const BoundInput &b = (*bound)[i];
      int64_t index = b.runs == 1 ? 0 : s;
      if (b.runBytes)
        std::memcpy(inBufs[i].ptr.get(),
                    b.array.data.data() + index * b.runBytes, b.runBytes);
    }
  };
  for (int64_t s = 0; s < runs; ++s) {
    loadRun(s);
    if (Error e = runStatus(m.run(inPtrs.data(), outPtrs.data()),
                            batch > 1 ? "on run " + Twine(s)
                                      : "on sample " + Twine(s)))
      return fail(std::move(e));
    for (size_t o = 0; o < outputs.size(); ++o)
      if (outBufs[o].size)
        std::memcpy(outputs[o].array.data.data() + s * outBufs[o].size,
                    outBufs[o].ptr.get(), outBufs[o].size);
  }
  os << "ran " << samples << " sample" << (samples == 1 ? "" : "s");
  if (batch > 1)
    os << " (" << runs << " runs of batch " << batch << ")";
  os << '\n';

  // Comparison.
  bool passed = true;
  std::vector<std::string> violations;
  for (size_t o = 0; o < outputs.size(); ++o) {
    OutputResult &r = outputs[o];
    os << "output " << r.info->name << ": "
       << qlow::npyShortName(r.array.dtype) << ' '
       << qlow::formatShape(r.array.shape) << '\n';
    printValues(os, r.array);
    if (!refs)
      continue;
    r.reference = std::move((*refs)[o]);
    Metrics mt = compare(r.array, r.reference->array);
    r.metrics = mt;
    os << "    reference " << r.reference->source << '\n'
       << "    max_abs_diff " << formatNumber(mt.maxAbsDiff) << '\n'
       << "    cosine       " << formatNumber(mt.cosine, "%.8f") << '\n'
       << "    sqnr_db      " << formatNumber(mt.sqnrDb, "%.2f") << '\n';
    if (mt.argmaxRows)
      os << "    argmax       "
         << formatNumber(double(mt.argmaxAgree) / mt.argmaxRows, "%.4f")
         << " (" << mt.argmaxAgree << "/" << mt.argmaxRows << " agree)\n";
    else
      os << "    argmax       n/a\n";
    // NaN never passes a threshold.
    if (minSqnr.getNumOccurrences() && !(mt.sqnrDb >= minSqnr))
      violations.push_back("output '" + std::string(r.info->name) +
                           "': SQNR " + formatNumber(mt.sqnrDb, "%.2f") +
                           " dB is below --min-sqnr " +
                           formatNumber(minSqnr));
    if (minCosine.getNumOccurrences() && !(mt.cosine >= minCosine))
      violations.push_back("output '" + std::string(r.info->name) +
                           "': cosine " + formatNumber(mt.cosine, "%.8f") +
                           " is below --min-cosine " +
                           formatNumber(minCosine));
  }
  passed = violations.empty();

  // Accuracy of the first output's argmax against the labels.
  std::optional<std::pair<int64_t, int64_t>> accuracy;
  if (!labels.empty() && !outputs.empty() && !outputs[0].array.shape.empty()) {
    std::vector<double> o = outputs[0].array.toDoubles();
    int64_t width = outputs[0].array.shape.back();
    int64_t rows = width ? int64_t(o.size()) / width : 0;
    if (rows != int64_t(labels.size()))
      return fail(makeError(labelsPath + ": " + Twine(labels.size()) +
                            " labels for " + Twine(rows) + " output rows"));
    int64_t correct = 0;
    for (int64_t row = 0; row < rows; ++row)
      correct += argmax(ArrayRef<double>(o.data() + row * width, width)) ==
                 labels[row];
    accuracy = {correct, rows};
    os << "accuracy " << formatNumber(double(correct) / rows, "%.4f") << " ("
       << correct << "/" << rows << " correct)\n";
  }

  // Latency.
  std::optional<BenchResult> bench;
  if (benchRuns) {
    loadRun(0);
    for (unsigned i = 0; i < warmupRuns; ++i)
      if (Error e = runStatus(m.run(inPtrs.data(), outPtrs.data()),
                              "in a warmup run"))
        return fail(std::move(e));
    std::vector<double> us(benchRuns);
    long faultsBefore = pageFaults();
    for (unsigned i = 0; i < benchRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      qlow_status status = m.run(inPtrs.data(), outPtrs.data());
      auto stop = std::chrono::steady_clock::now();
      if (Error e = runStatus(status, "in a timed run"))
        return fail(std::move(e));
      us[i] = std::chrono::duration<double, std::micro>(stop - start).count();
    }
    BenchResult b;
    b.pageFaultsPerRun = double(pageFaults() - faultsBefore) / benchRuns;
    b.runs = benchRuns;
    b.warmup = warmupRuns;
    b.meanUs = std::accumulate(us.begin(), us.end(), 0.0) / us.size();
    llvm::sort(us);
    size_t n = us.size();
    b.minUs = us.front();
    b.medianUs = n % 2 ? us[n / 2] : (us[n / 2 - 1] + us[n / 2]) / 2;
    b.p90Us = us[static_cast<size_t>(std::ceil(0.9 * n)) - 1]; // nearest rank
    bench = b;
    os << "bench: " << b.runs << " runs after " << b.warmup
       << " warmup on sample 0: median " << formatNumber(b.medianUs, "%.3f")
       << " us, p90 " << formatNumber(b.p90Us, "%.3f") << " us, min "
       << formatNumber(b.minUs, "%.3f") << " us, mean "
       << formatNumber(b.meanUs, "%.3f") << " us, page faults per run "
       << formatNumber(b.pageFaultsPerRun, "%.1f") << "\n";
  }

  // Files: outputs and JSON all written to temporaries, then renamed.
  PendingFiles pending;
  std::vector<std::string> createdDirs;
  auto abandon = [&](Error e) {
    pending.discard();
    for (auto it = createdDirs.rbegin(); it != createdDirs.rend(); ++it)
      sys::fs::remove(*it);
    return fail(std::move(e));
  };
  if (!outputDir.empty()) {
    if (Error e = createDirs(outputDir, createdDirs))
      return abandon(std::move(e));
    for (OutputResult &r : outputs) {
      SmallString<256> path(outputDir);
      sys::path::append(path, fileStem(r.info->name) + ".npy");
      r.file = path.str().str();
      if (Error e = pending.add(path, [&](raw_ostream &out) {
            return qlow::writeNpy(out, r.array);
          }))
        return abandon(std::move(e));
    }
  }
  if (!jsonPath.empty()) {
    json::Object root;
    root["model"] = m.name ? m.name : "";
    root["library"] = loaded->path;
    root["symbol"] = loaded->symbol;
    root["samples"] = samples;
    json::Array ins;
    for (const BoundInput &b : *bound)
      ins.push_back(json::Object{
          {"name", b.info->name},
          {"dtype", qlow::npyShortName(*npyDtypeOf(b.info->dtype))},
          {"shape", shapeOf(*b.info)},
          {"file", b.file},
          {"samples", b.runs > 1 ? b.array.shape[0] : int64_t(1)}});
    root["inputs"] = std::move(ins);
    json::Array outs;
    for (const OutputResult &r : outputs) {
      json::Object o{{"name", r.info->name},
                     {"dtype", qlow::npyShortName(r.array.dtype)},
                     {"shape", r.array.shape}};
      if (!r.file.empty())
        o["file"] = r.file;
      if (r.metrics) {
        const Metrics &mt = *r.metrics;
        o["reference"] = r.reference->source;
        o["max_abs_diff"] = jsonNumber(mt.maxAbsDiff);
        o["cosine"] = jsonNumber(mt.cosine);
        o["sqnr_db"] = jsonNumber(mt.sqnrDb);
        if (mt.argmaxRows) {
          o["argmax_agreement"] =
              jsonNumber(double(mt.argmaxAgree) / mt.argmaxRows);
          o["argmax_agree"] = mt.argmaxAgree;
          o["argmax_rows"] = mt.argmaxRows;
        }
      }
      outs.push_back(std::move(o));
    }
    root["outputs"] = std::move(outs);
    if (accuracy)
      root["accuracy"] = json::Object{
          {"correct", accuracy->first},
          {"total", accuracy->second},
          {"accuracy", double(accuracy->first) / accuracy->second}};
    if (bench)
      root["bench"] = json::Object{{"runs", bench->runs},
                                   {"warmup", bench->warmup},
                                   {"median_us", bench->medianUs},
                                   {"p90_us", bench->p90Us},
                                   {"min_us", bench->minUs},
                                   {"mean_us", bench->meanUs},
                                   {"page_faults_per_run",
                                    bench->pageFaultsPerRun}};
    if (haveThresholds) {
      json::Object t;
      if (minSqnr.getNumOccurrences())
        t["min_sqnr_db"] = jsonNumber(minSqnr);
      if (minCosine.getNumOccurrences())
        t["min_cosine"] = jsonNumber(minCosine);
      root["thresholds"] = std::move(t);
    }
    json::Array v;
    for (const std::string &s : violations)
      v.push_back(s);
    root["violations"] = std::move(v);
    root["passed"] = passed;
    json::Value value(std::move(root));
    if (Error e = pending.add(jsonPath, [&](raw_ostream &out) {
          out << formatv("{0:2}", value) << '\n';
          return Error::success();
        }))
      return abandon(std::move(e));
  }
  if (Error e = pending.commit())
    return fail(std::move(e));
  for (const OutputResult &r : outputs)
    if (!r.file.empty())
      os << "wrote " << r.file << '\n';
  if (!jsonPath.empty())
    os << "wrote " << jsonPath << '\n';

  os.flush();
  for (const std::string &v : violations)
    WithColor::error(errs(), "qlow-run") << v << '\n';
  return passed ? 0 : 2;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qlow-run: run a model compiled by qlow on NumPy inputs, compare its\n"
      "outputs with references and measure its latency "
      "(docs/qlow-run.md)\n");
  return runTool();
}
