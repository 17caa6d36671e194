//===- qlow-npy.cpp - make and inspect NumPy files without NumPy ----------===//
//
//   qlow-npy write OUT.npy --dtype f32 --shape 1,4 1.0 2.0 3.0 4.0
//   qlow-npy write OUT.npy --dtype i8 --shape 2,3 --fill -1
//   qlow-npy print FILE.npy|FILE.npz
//   qlow-npy npz OUT.npz [--compress] NAME=FILE.npy ...
//
// dtypes: f32 f64 f16 i8 u8 i32 i64 (or NumPy's spelling: <f4, |i1, ...).
// An empty --shape ("--shape=") makes a 0-d array. Values are given in C
// order; anything after OUT.npy that does not start with "--" is a value,
// so negative numbers need no quoting. Files are written atomically.
//
//===----------------------------------------------------------------------===//
#include "qlow/Support/Npy.h"
#include "qlow/Support/TestData.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace llvm;
using qlow::NpyArray;

namespace {

const char *const kUsage =
    "usage:\n"
    "  qlow-npy write OUT.npy --dtype DTYPE --shape D0,D1,... "
    "(VALUES... | --fill X | --random SEED[:RANGE])\n"
    "  qlow-npy print FILE.npy|FILE.npz\n"
    "  qlow-npy npz OUT.npz [--compress] NAME=FILE.npy ...\n"
    "DTYPE: f32 f64 f16 i8 u8 i32 i64 (or <f4 <f8 <f2 |i1 |u1 <i4 <i8); an\n"
    "empty shape (--shape=) is a 0-d array; values are in C order.\n"
    "--random fills f32 with qlow's deterministic test inputs in\n"
    "[-RANGE, RANGE) (default 1).\n";

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message.str());
}

int fail(Error e) {
  WithColor::error(errs(), "qlow-npy") << toString(std::move(e)) << '\n';
  return 1;
}

int usageError(const Twine &message) {
  WithColor::error(errs(), "qlow-npy") << message << '\n' << kUsage;
  return 1;
}

Expected<std::vector<int64_t>> parseShape(StringRef text) {
  std::vector<int64_t> shape;
  text = text.trim();
  if (text.empty())
    return shape;
  SmallVector<StringRef> parts;
  text.split(parts, ',');
  for (StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 0)
      return makeError("--shape " + text +
                       ": expected non-negative integers separated by ','");
    shape.push_back(d);
  }
  return shape;
}

/// Appends the little-endian bytes of `text` read as a `dtype` value.
Error appendValue(StringRef dtype, StringRef text, std::vector<char> &out) {
  std::string s = text.str();
  auto bad = [&](const char *what) {
    return makeError("'" + text + "' is not " + what);
  };
  auto put = [&](const void *p, size_t n) {
    const char *c = static_cast<const char *>(p);
    out.insert(out.end(), c, c + n);
  };
  char *end = nullptr;
  errno = 0;
  if (dtype == "<f4") {
    float v = std::strtof(s.c_str(), &end);
    if (s.empty() || *end)
      return bad("a number");
    put(&v, 4);
  } else if (dtype == "<f8" || dtype == "<f2") {
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end)
      return bad("a number");
    if (dtype == "<f8") {
      put(&v, 8);
    } else {
      APFloat f(v);
      bool losesInfo;
      f.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &losesInfo);
      uint16_t bits =
          static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
      put(&bits, 2);
    }
  } else {
    long long v = std::strtoll(s.c_str(), &end, 0);
    if (s.empty() || *end || errno == ERANGE)
      return bad("an integer");
    int64_t lo = 0, hi = 0;
    if (dtype == "|i1")
      lo = -128, hi = 127;
    else if (dtype == "|u1")
      lo = 0, hi = 255;
    else if (dtype == "<i4")
      lo = INT32_MIN, hi = INT32_MAX;
    else
      lo = INT64_MIN, hi = INT64_MAX;
    if (v < lo || v > hi)
      return makeError("'" + text + "' is out of range for " +
                       qlow::npyShortName(dtype));
    if (dtype == "|i1" || dtype == "|u1") {
      uint8_t b = static_cast<uint8_t>(v);
      put(&b, 1);
    } else if (dtype == "<i4") {
      int32_t w = static_cast<int32_t>(v);
      put(&w, 4);
    } else {
      int64_t w = v;
      put(&w, 8);
    }
  }
  return Error::success();
}

int writeCommand(ArrayRef<StringRef> args) {
  if (args.empty() || args[0].starts_with("--"))
    return usageError("write: expected the output file first");
  StringRef out = args[0];
  std::optional<std::string> dtype;
  std::optional<std::vector<int64_t>> shape;
  std::optional<StringRef> fill, random;
  std::vector<StringRef> values;
  for (size_t i = 1; i < args.size(); ++i) {
    StringRef arg = args[i];
    if (!arg.starts_with("--")) {
      values.push_back(arg);
      continue;
    }
    auto [flag, inlineValue] = arg.split('=');
    StringRef value;
    if (arg.contains('=')) {
      value = inlineValue;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usageError("write: " + flag + " needs a value");
    }
    if (flag == "--dtype") {
      dtype = qlow::npyDtypeFromShortName(value);
      if (!dtype)
        dtype = qlow::canonicalNpyDtype(value);
      if (!dtype)
        return usageError("write: unknown dtype '" + value + "'");
    } else if (flag == "--shape") {
      Expected<std::vector<int64_t>> s = parseShape(value);
      if (!s)
        return fail(s.takeError());
      shape = *s;
    } else if (flag == "--fill") {
      fill = value;
    } else if (flag == "--random") {
      random = value;
    } else {
      return usageError("write: unknown option " + flag);
    }
  }
  if (!dtype || !shape)
    return usageError("write: --dtype and --shape are required");
  NpyArray array;
  array.dtype = *dtype;
  array.shape = *shape;
  int64_t n = 1;
  for (int64_t d : array.shape)
    if (__builtin_mul_overflow(n, d, &n) || n > (int64_t(1) << 32))
      return fail(makeError("write: shape " + qlow::formatShape(array.shape) +
                            " is too large"));
  if (int(bool(fill)) + int(bool(random)) + int(!values.empty()) > 1)
    return usageError("write: give one of values, --fill or --random");
  if (random) {
    // qlow's deterministic test inputs (qlow::testInputValue): the same
    // values the test harness and qlow-reference-eval generate.
    auto [seedText, rangeText] = random->split(':');
    uint64_t seed;
    double range = 1.0;
    if (seedText.getAsInteger(0, seed) ||
        (!rangeText.empty() && rangeText.getAsDouble(range)) || !(range > 0))
      return usageError("write: --random takes SEED or SEED:RANGE");
    if (array.dtype != "<f4")
      return usageError("write: --random needs --dtype f32");
    for (int64_t i = 0; i < n; ++i) {
      float v = qlow::testInputValue(seed, uint64_t(i), float(range));
      const char *b = reinterpret_cast<const char *>(&v);
      array.data.insert(array.data.end(), b, b + 4);
    }
  } else if (fill) {
    std::vector<char> one;
    if (Error e = appendValue(array.dtype, *fill, one))
      return fail(std::move(e));
    for (int64_t i = 0; i < n; ++i)
      array.data.insert(array.data.end(), one.begin(), one.end());
  } else {
    if (static_cast<int64_t>(values.size()) != n)
      return fail(makeError("write: shape " + qlow::formatShape(array.shape) +
                            " needs " + Twine(n) + " values, got " +
                            Twine(values.size())));
    for (StringRef v : values)
      if (Error e = appendValue(array.dtype, v, array.data))
        return fail(std::move(e));
  }
  if (Error e = qlow::writeNpy(out, array))
    return fail(std::move(e));
  return 0;
}

void printArray(raw_ostream &os, const NpyArray &a) {
  os << "dtype: " << a.dtype << " (" << qlow::npyShortName(a.dtype) << ")\n"
     << "shape: " << qlow::formatShape(a.shape) << '\n'
     << "values:";
  const char *fmt = a.dtype == "<f8" ? "%.17g" : "%.9g";
  char buf[64];
  for (int64_t i = 0, n = a.numElements(); i < n; ++i) {
    if (a.dtype == "<i8") {
      os << ' ' << a.get<int64_t>(i);
      continue;
    }
    if (!a.isFloat()) { // i8, u8, i32: exact in a double
      os << ' ' << static_cast<int64_t>(a.getAsDouble(i));
      continue;
    }
    std::snprintf(buf, sizeof(buf), fmt, a.getAsDouble(i));
    os << ' ' << buf;
  }
  os << '\n';
}

int printCommand(ArrayRef<StringRef> args) {
  if (args.size() != 1)
    return usageError("print: expected one file");
  StringRef path = args[0];
  if (path.ends_with(".npz")) {
    Expected<qlow::NpzMap> arrays = qlow::readNpz(path);
    if (!arrays)
      return fail(arrays.takeError());
    for (const auto &[name, array] : *arrays) {
      outs() << "array: " << name << '\n';
      printArray(outs(), array);
    }
    return 0;
  }
  Expected<NpyArray> array = qlow::readNpy(path);
  if (!array)
    return fail(array.takeError());
  printArray(outs(), *array);
  return 0;
}

int npzCommand(ArrayRef<StringRef> args) {
  if (args.empty() || args[0].starts_with("--"))
    return usageError("npz: expected the output file first");
  StringRef out = args[0];
  bool compress = false;
  qlow::NpzMap arrays;
  for (StringRef arg : args.drop_front()) {
    if (arg == "--compress") {
      compress = true;
      continue;
    }
    auto [name, file] = arg.split('=');
    if (name.empty() || file.empty())
      return usageError("npz: expected NAME=FILE.npy, got '" + arg + "'");
    Expected<NpyArray> array = qlow::readNpy(file);
    if (!array)
      return fail(array.takeError());
    if (!arrays.emplace(name.str(), std::move(*array)).second)
      return fail(makeError("npz: array '" + name + "' given twice"));
  }
  if (Error e = qlow::writeNpz(out, arrays, compress))
    return fail(std::move(e));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  std::vector<StringRef> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    outs() << kUsage;
    return args.empty() ? 1 : 0;
  }
  StringRef command = args[0];
  ArrayRef<StringRef> rest = ArrayRef<StringRef>(args).drop_front();
  if (command == "write")
    return writeCommand(rest);
  if (command == "print")
    return printCommand(rest);
  if (command == "npz")
    return npzCommand(rest);
  return usageError("unknown command '" + command + "'");
}
