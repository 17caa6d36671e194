//===- qlow-load-model.cpp - run a compiled model from its shared library -===//
//
// dlopens a model compiled by qlow (a .so implementing qlow/runtime.h), finds
// its descriptor (`qlow_default_model`, or `qlow_model_<name>` with
// --model), and
//
//  * by default feeds every input the deterministic test data of
//    qlow/Support/TestData.h (input i from testArgumentSeed(seed, i)) and
//    prints every output element one per line in qlow-test-harness's format
//    (f32 as the bits of the value read as an int32, integers sign-extended),
//    so the output diffs against qlow-reference-eval's;
//  * with --info prints the descriptor;
//  * with --bench=N runs each given library N times on the same inputs and
//    prints median and minimum latencies (several libraries are measured
//    in the same process, interleaved or with --rounds alone in turns, and
//    compared with the first);
//  * with --concurrent-threads=T runs the model from T threads at once,
//    --concurrent-runs times each with its own output buffers, and checks
//    that every run wrote the bytes of a single-threaded run (runtime.h
//    promises that concurrent calls are safe; the temporaries' per-thread
//    cache is what this exercises).
//
//===----------------------------------------------------------------------===//
#include "qlow/Support/TestData.h"
#include "qlow/runtime.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace cl = llvm::cl;

namespace {

cl::list<std::string> libraries(cl::Positional, cl::OneOrMore,
                                cl::desc("<model .so>..."));
cl::opt<std::string>
    modelName("model",
              cl::desc("use qlow_model_<name> instead of qlow_default_model"),
              cl::init(""));
cl::opt<uint64_t> seedOpt("seed", cl::desc("seed of the inputs"), cl::init(1));
cl::opt<float> rangeOpt("range",
                        cl::desc("inputs are uniform in [-range, range)"),
                        cl::init(1.0f));
enum class FloatFormat { Bits, Decimal };
cl::opt<FloatFormat> floatFormat(
    "float-format", cl::desc("how f32 results are printed"),
    cl::values(clEnumValN(FloatFormat::Bits, "bits",
                          "the bit pattern as a decimal int32 (default)"),
               clEnumValN(FloatFormat::Decimal, "decimal", "%.9g")),
    cl::init(FloatFormat::Bits));
cl::opt<bool> info("info", cl::desc("print the model descriptor"),
                   cl::init(false));
cl::opt<bool> checkNull(
    "check-null-arguments",
    cl::desc("check that run() rejects NULL arrays and buffers"),
    cl::init(false));
cl::opt<unsigned> bench("bench",
                        cl::desc("measure: this many timed samples"),
                        cl::init(0));
cl::opt<unsigned> warmup("warmup", cl::desc("untimed runs before measuring"),
                         cl::init(100));
cl::opt<unsigned> rounds(
    "rounds",
    cl::desc("with --bench: measure each model alone, in this many blocks "
             "per model (models in turn, each block after 20 ms of untimed "
             "runs); 0 interleaves batches of about 200 us"),
    cl::init(0));

cl::opt<unsigned> threads("concurrent-threads",
                          cl::desc("run from this many threads at once and "
                                   "compare every run with a "
                                   "single-threaded one"),
                          cl::init(0));
cl::opt<unsigned> repeat("concurrent-runs",
                         cl::desc("runs per thread with --concurrent-threads"),
                         cl::init(4));

struct Model {
  std::string path;
  void *handle = nullptr;
  const qlow_model *desc = nullptr;
  std::vector<std::vector<unsigned char>> inputs, outputs;
  std::vector<const void *> inputPtrs;
  std::vector<void *> outputPtrs;
  std::vector<double> samples; // microseconds per run
};

bool fail(const llvm::Twine &message) {
  llvm::errs() << "qlow-load-model: " << message << "\n";
  return false;
}

const char *dtypeName(qlow_dtype d) {
  switch (d) {
  case QLOW_DTYPE_F32:
    return "f32";
  case QLOW_DTYPE_I8:
    return "i8";
  case QLOW_DTYPE_U8:
    return "u8";
  case QLOW_DTYPE_I32:
    return "i32";
  case QLOW_DTYPE_F16:
    return "f16";
  case QLOW_DTYPE_I64:
    return "i64";
  case QLOW_DTYPE_BOOL:
    return "bool";
  }
  return "?";
}

/// IEEE half -> float (exact).
float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31;
  int32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {
      // Subnormal: normalize.
      exp = 1;
      while (!(mant & 0x400)) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ff;
      bits = sign | uint32_t(exp + 127 - 15) << 23 | (mant << 13);
    }
  } else {
    bits = sign | uint32_t(exp + 127 - 15) << 23 | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// float -> IEEE half, round to nearest even (for f16 inputs).
uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = int32_t((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (((x >> 23) & 0xff) == 0xff)
    return uint16_t(sign | 0x7c00 | (mant ? 0x200 : 0));
  if (exp >= 0x1f)
    return uint16_t(sign | 0x7c00);
  if (exp <= 0) {
    if (exp < -10)
      return uint16_t(sign);
    mant |= 0x800000;
    uint32_t shift = uint32_t(14 - exp);
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1)))
      ++half;
    return uint16_t(sign | half);
  }
  uint32_t half = sign | uint32_t(exp) << 10 | (mant >> 13);
  uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
    ++half; // may carry into the exponent: still correct
  return uint16_t(half);
}

bool load(Model &m) {
  // A name without '/' would be searched for in the library path.
  std::string file =
      m.path.find('/') == std::string::npos ? "./" + m.path : m.path;
  m.handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!m.handle)
    return fail(llvm::Twine("cannot load ") + m.path + ": " + dlerror());
  std::string symbol = modelName.empty() ? std::string("qlow_default_model")
                                         : "qlow_model_" + modelName;
  m.desc = static_cast<const qlow_model *>(dlsym(m.handle, symbol.c_str()));
  if (!m.desc)
    return fail(llvm::Twine("no symbol ") + symbol + " in " + m.path);
  if (m.desc->num_inputs < 0 || m.desc->num_outputs < 0 || !m.desc->run)
    return fail(llvm::Twine("malformed descriptor in ") + m.path);
  return true;
}

/// Allocates the buffers and fills the inputs with the test data.
void prepare(Model &m) {
  for (int32_t i = 0; i < m.desc->num_inputs; ++i) {
    const qlow_tensor_info &t = m.desc->inputs[i];
    int64_t n = qlow_num_elements(&t);
    std::vector<unsigned char> buf(size_t(n * qlow_dtype_size(t.dtype)));
    uint64_t seed = qlow::testArgumentSeed(seedOpt, unsigned(i));
    for (int64_t k = 0; k < n; ++k) {
      unsigned char *p = buf.data() + k * qlow_dtype_size(t.dtype);
      switch (t.dtype) {
      case QLOW_DTYPE_F32: {
        float v = qlow::testInputValue(seed, uint64_t(k), rangeOpt);
        std::memcpy(p, &v, 4);
        break;
      }
      case QLOW_DTYPE_F16: {
        uint16_t v =
            floatToHalf(qlow::testInputValue(seed, uint64_t(k), rangeOpt));
        std::memcpy(p, &v, 2);
        break;
      }
      case QLOW_DTYPE_I8:
      case QLOW_DTYPE_U8: {
        int8_t v = int8_t(qlow::testInputInteger(seed, uint64_t(k), rangeOpt, 8));
        std::memcpy(p, &v, 1);
        break;
      }
      case QLOW_DTYPE_I32: {
        int32_t v =
            int32_t(qlow::testInputInteger(seed, uint64_t(k), rangeOpt, 32));
        std::memcpy(p, &v, 4);
        break;
      }
      case QLOW_DTYPE_I64: {
        int64_t v = qlow::testInputInteger(seed, uint64_t(k), rangeOpt, 32);
        std::memcpy(p, &v, 8);
        break;
      }
      case QLOW_DTYPE_BOOL:
        *p = qlow::testInputInteger(seed, uint64_t(k), rangeOpt, 8) & 1;
        break;
      }
    }
    m.inputs.push_back(std::move(buf));
  }
  for (int32_t i = 0; i < m.desc->num_outputs; ++i) {
    const qlow_tensor_info &t = m.desc->outputs[i];
    // Poisoned, so that an element the model does not write shows up.
    m.outputs.emplace_back(
        size_t(qlow_num_elements(&t) * qlow_dtype_size(t.dtype)), 0xA5);
  }
  for (auto &b : m.inputs)
    m.inputPtrs.push_back(b.data());
  for (auto &b : m.outputs)
    m.outputPtrs.push_back(b.data());
}

qlow_status run(Model &m) {
  return m.desc->run(m.inputPtrs.empty() ? nullptr : m.inputPtrs.data(),
                     m.outputPtrs.empty() ? nullptr : m.outputPtrs.data());
}

void printInfo(const Model &m) {
  llvm::outs() << "model " << m.desc->name << "\n";
  auto print = [](const char *what, int32_t n, const qlow_tensor_info *ts) {
    for (int32_t i = 0; i < n; ++i) {
      const qlow_tensor_info &t = ts[i];
      llvm::outs() << what << " " << i << " " << t.name << " "
                   << dtypeName(t.dtype) << " [";
      for (int32_t d = 0; d < t.rank; ++d)
        llvm::outs() << (d ? "," : "") << t.shape[d];
      llvm::outs() << "]\n";
    }
  };
  print("input", m.desc->num_inputs, m.desc->inputs);
  print("output", m.desc->num_outputs, m.desc->outputs);
}

void printOutputs(const Model &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (int32_t i = 0; i < m.desc->num_outputs; ++i) {
    const qlow_tensor_info &t = m.desc->outputs[i];
    const unsigned char *p = m.outputs[i].data();
    for (int64_t k = 0, n = qlow_num_elements(&t); k < n; ++k) {
      switch (t.dtype) {
      case QLOW_DTYPE_F32:
      case QLOW_DTYPE_F16: {
        float f;
        if (t.dtype == QLOW_DTYPE_F32) {
          std::memcpy(&f, p + 4 * k, 4);
        } else {
          uint16_t h;
          std::memcpy(&h, p + 2 * k, 2);
          f = halfToFloat(h);
        }
        if (floatFormat == FloatFormat::Decimal) {
          os << llvm::format("%.9g", static_cast<double>(f)) << "\n";
        } else {
          int32_t bits;
          std::memcpy(&bits, &f, 4);
          os << bits << "\n";
        }
        break;
      }
      case QLOW_DTYPE_I8:
        os << int32_t(int8_t(p[k])) << "\n";
        break;
      case QLOW_DTYPE_U8:
        // Printed like the i8 that holds it (qlow-test-harness format).
        os << int32_t(int8_t(p[k])) << "\n";
        break;
      case QLOW_DTYPE_I32: {
        int32_t v;
        std::memcpy(&v, p + 4 * k, 4);
        os << v << "\n";
        break;
      }
      case QLOW_DTYPE_I64: {
        int64_t v;
        std::memcpy(&v, p + 8 * k, 8);
        os << v << "\n";
        break;
      }
      case QLOW_DTYPE_BOOL:
        os << int32_t(p[k]) << "\n";
        break;
      }
    }
  }
  llvm::outs() << text;
}

bool checkNullArguments(Model &m) {
  if (m.desc->run(nullptr, m.outputPtrs.data()) != QLOW_ERROR_NULL_ARGUMENT)
    return fail("run(NULL, outputs) did not return QLOW_ERROR_NULL_ARGUMENT");
  if (m.desc->run(m.inputPtrs.data(), nullptr) != QLOW_ERROR_NULL_ARGUMENT)
    return fail("run(inputs, NULL) did not return QLOW_ERROR_NULL_ARGUMENT");
  for (size_t i = 0; i < m.inputPtrs.size(); ++i) {
    std::vector<const void *> ins = m.inputPtrs;
    ins[i] = nullptr;
    if (m.desc->run(ins.data(), m.outputPtrs.data()) !=
        QLOW_ERROR_NULL_ARGUMENT)
      return fail("a NULL input buffer was not rejected");
  }
  for (size_t i = 0; i < m.outputPtrs.size(); ++i) {
    std::vector<void *> outs = m.outputPtrs;
    outs[i] = nullptr;
    if (m.desc->run(m.inputPtrs.data(), outs.data()) !=
        QLOW_ERROR_NULL_ARGUMENT)
      return fail("a NULL output buffer was not rejected");
  }
  llvm::outs() << "null arguments rejected\n";
  return true;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Each sample times a batch of runs of one model (sized so that a batch
/// takes about 200 us). By default models take turns batch by batch
/// (interleaved: both see the same machine load). With --rounds, each
/// model is measured alone in blocks of samples, models in turn, after
/// 20 ms of untimed runs: the code that ran just before can change the
/// speed of the next (an integer model interleaved with a float one ran
/// 7% slower than alone or interleaved with itself on the development
/// machine), and a deployed model runs alone.
bool benchmark(std::vector<Model> &models) {
  using clock = std::chrono::steady_clock;
  std::vector<unsigned> batch(models.size(), 1);
  for (size_t i = 0; i < models.size(); ++i) {
    Model &m = models[i];
    for (unsigned k = 0; k < warmup; ++k)
      if (run(m) != QLOW_OK)
        return fail(m.path + ": run failed");
    auto start = clock::now();
    for (unsigned k = 0; k < 100; ++k)
      run(m);
    double us = std::chrono::duration<double, std::micro>(clock::now() - start)
                    .count() /
                100.0;
    batch[i] = std::max(1u, unsigned(200.0 / std::max(us, 1e-3)));
  }
  auto sample = [&](size_t i) {
    Model &m = models[i];
    auto start = clock::now();
    for (unsigned k = 0; k < batch[i]; ++k)
      run(m);
    double us =
        std::chrono::duration<double, std::micro>(clock::now() - start)
            .count();
    m.samples.push_back(us / batch[i]);
  };
  if (rounds == 0) {
    for (unsigned s = 0; s < bench; ++s)
      for (size_t i = 0; i < models.size(); ++i)
        sample(i);
  } else {
    unsigned perRound = (bench + rounds - 1) / rounds;
    for (unsigned r = 0; r < rounds; ++r)
      for (size_t i = 0; i < models.size(); ++i) {
        auto settle = clock::now() + std::chrono::milliseconds(20);
        while (clock::now() < settle)
          run(models[i]);
        for (unsigned s = 0; s < perRound; ++s)
          sample(i);
      }
  }
  double base = median(models.front().samples);
  for (const Model &m : models) {
    double med = median(m.samples);
    double min = *std::min_element(m.samples.begin(), m.samples.end());
    llvm::outs() << llvm::format("%-40s median %9.3f us  min %9.3f us  "
                                 "(%u samples x %u runs)  vs first %.3fx\n",
                                 m.path.c_str(), med, min,
                                 unsigned(m.samples.size()),
                                 batch[&m - &models.front()], med / base);
  }
  return true;
}

} // namespace

/// --concurrent-threads: every thread runs the model --concurrent-runs
/// times into its own output buffers; each run must reproduce `m.outputs`
/// (a single-threaded run) byte for byte.
bool runConcurrently(Model &m) {
  std::atomic<unsigned> mismatches{0}, failures{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      std::vector<std::vector<unsigned char>> outs = m.outputs;
      std::vector<void *> outPtrs;
      for (auto &b : outs)
        outPtrs.push_back(b.data());
      for (unsigned r = 0; r < repeat; ++r) {
        for (auto &b : outs)
          std::fill(b.begin(), b.end(), 0xA5);
        if (m.desc->run(m.inputPtrs.empty() ? nullptr : m.inputPtrs.data(),
                        outPtrs.empty() ? nullptr : outPtrs.data()) !=
            QLOW_OK)
          ++failures;
        else if (outs != m.outputs)
          ++mismatches;
      }
    });
  for (std::thread &t : pool)
    t.join();
  if (failures || mismatches) {
    fail(llvm::Twine(failures.load()) + " failed and " +
         llvm::Twine(mismatches.load()) + " differing runs out of " +
         llvm::Twine(threads * repeat) + " concurrent ones");
    return false;
  }
  llvm::outs() << "concurrent: " << threads << " threads x " << repeat
               << " runs, all equal to the single-threaded one\n";
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "run a qlow-compiled model (.so)\n");
  if (libraries.size() > 1 && bench == 0) {
    fail("several libraries are only accepted with --bench");
    return 1;
  }
  if (rounds && bench == 0) {
    fail("--rounds needs --bench");
    return 1;
  }
  std::vector<Model> models(libraries.size());
  for (size_t i = 0; i < libraries.size(); ++i) {
    models[i].path = libraries[i];
    if (!load(models[i]))
      return 1;
    prepare(models[i]);
  }
  if (bench)
    return benchmark(models) ? 0 : 1;
  Model &m = models.front();
  if (info)
    printInfo(m);
  if (checkNull && !checkNullArguments(m))
    return 1;
  if (info || checkNull)
    return 0;
  qlow_status status = run(m);
  if (status != QLOW_OK) {
    fail("run returned status " + llvm::Twine(int(status)));
    return 1;
  }
  if (threads)
    return runConcurrently(m) ? 0 : 1;
  printOutputs(m);
  return 0;
}
