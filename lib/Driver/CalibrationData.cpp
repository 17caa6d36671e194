//===- CalibrationData.cpp - calibration samples from NumPy files ---------===//
#include "qlow/Driver/CalibrationData.h"

#include "qlow/Support/Npy.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace qlow;
namespace fs = llvm::sys::fs;

static llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

static std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  return formatShape(shape);
}

/// NumPy's name of a dtype ("float32" for "<f4").
static std::string numpyName(llvm::StringRef dtype) {
  static const std::pair<const char *, const char *> names[] = {
      {"<f4", "float32"}, {"<f8", "float64"}, {"<f2", "float16"},
      {"|u1", "uint8"},   {"|i1", "int8"},    {"<i4", "int32"},
      {"<i8", "int64"},   {"|b1", "bool"}};
  for (auto [d, n] : names)
    if (dtype == d)
      return n;
  return dtype.str();
}

/// Appends the samples one array holds for `input`.
static llvm::Error addSamples(const NpyArray &a, const std::string &where,
                              const ModelInputInfo &input,
                              std::vector<std::vector<char>> &out) {
  if (a.dtype != input.npyDtype)
    return fail(where + ": input '" + input.name + "' must be " +
                numpyName(input.npyDtype) + ", got " + npyShortName(a.dtype));
  llvm::ArrayRef<int64_t> want = input.shape;
  int64_t sampleSize = 1;
  for (int64_t d : want)
    sampleSize *= d;
  int64_t samples;
  if (llvm::ArrayRef<int64_t>(a.shape) == want) {
    samples = 1;
  } else if (!want.empty() && want[0] == 1 && a.shape.size() == want.size() &&
             llvm::ArrayRef<int64_t>(a.shape).drop_front() ==
                 want.drop_front()) {
    samples = a.shape[0];
  } else {
    return fail(where + ": input '" + input.name + "' has shape " +
                shapeText(a.shape) + "; expected " + shapeText(want) +
                (want.empty() || want[0] != 1
                     ? std::string()
                     : std::string(" or a stack [S") +
                           (want.size() > 1 ? ", " : "") +
                           shapeText(want.drop_front()).substr(1)));
  }
  int64_t bytes = sampleSize * a.itemSize();
  for (int64_t s = 0; s < samples; ++s)
    out.emplace_back(a.data.begin() + s * bytes,
                     a.data.begin() + (s + 1) * bytes);
  return llvm::Error::success();
}

static std::string inputList(llvm::ArrayRef<ModelInputInfo> inputs) {
  std::string s;
  for (const ModelInputInfo &i : inputs)
    s += (s.empty() ? "" : ", ") + i.name;
  return s;
}

llvm::Expected<CalibrationData>
qlow::loadCalibrationData(llvm::StringRef path,
                          llvm::ArrayRef<ModelInputInfo> inputs) {
  llvm::StringMap<const ModelInputInfo *> byName;
  for (const ModelInputInfo &i : inputs)
    byName[i.name] = &i;
  // Per input: the (file, array) pairs in order.
  std::vector<std::vector<std::vector<char>>> perInput(inputs.size());
  auto indexOf = [&](llvm::StringRef name) {
    return size_t(byName[name] - inputs.data());
  };
  auto unknown = [&](const std::string &where, llvm::StringRef name) {
    return fail(where + ": the model has no input named '" + name +
                "' (its inputs: " + inputList(inputs) + ")");
  };

  if (!fs::exists(path))
    return fail(path + ": calibration data not found");
  if (fs::is_directory(path)) {
    // Directory entries in name order, so sample order is reproducible.
    std::vector<std::string> entries;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      entries.push_back(it->path());
    if (ec)
      return fail(path + ": cannot list the directory: " + ec.message());
    std::sort(entries.begin(), entries.end());
    for (const std::string &entry : entries) {
      llvm::StringRef stem = llvm::sys::path::stem(entry);
      std::vector<std::string> files;
      if (fs::is_directory(entry)) {
        for (fs::directory_iterator it(entry, ec), end; it != end && !ec;
             it.increment(ec))
          if (llvm::sys::path::extension(it->path()) == ".npy")
            files.push_back(it->path());
        std::sort(files.begin(), files.end());
        stem = llvm::sys::path::filename(entry);
      } else if (llvm::sys::path::extension(entry) == ".npy") {
        files.push_back(entry);
      } else {
        continue;
      }
      if (!byName.count(stem))
        return unknown(entry, stem);
      for (const std::string &file : files) {
        llvm::Expected<NpyArray> a = readNpy(file);
        if (!a)
          return a.takeError();
        if (llvm::Error e =
                addSamples(*a, file, *byName[stem], perInput[indexOf(stem)]))
          return std::move(e);
      }
    }
  } else if (llvm::sys::path::extension(path) == ".npy") {
    // One file is enough for a model with one input.
    if (inputs.size() != 1)
      return fail(path +
                  ": a single .npy file can only feed a model with one "
                  "input; this one has " +
                  llvm::Twine(inputs.size()) + " (" + inputList(inputs) +
                  "): use a directory or an .npz");
    llvm::Expected<NpyArray> a = readNpy(path);
    if (!a)
      return a.takeError();
    if (llvm::Error e = addSamples(*a, path.str(), inputs[0], perInput[0]))
      return std::move(e);
  } else if (llvm::sys::path::extension(path) == ".npz") {
    llvm::Expected<NpzMap> npz = readNpz(path);
    if (!npz)
      return npz.takeError();
    for (auto &[name, array] : *npz) {
      std::string where = (path + ": member '" + name + "'").str();
      if (!byName.count(name))
        return unknown(where, name);
      if (llvm::Error e =
              addSamples(array, where, *byName[name], perInput[indexOf(name)]))
        return std::move(e);
    }
  } else {
    return fail(path + ": calibration data must be a directory of .npy files, "
                       "an .npz archive or (for one input) an .npy file");
  }

  CalibrationData data;
  size_t count = perInput.empty() ? 0 : perInput[0].size();
  for (size_t i = 0; i < inputs.size(); ++i) {
    data.inputNames.push_back(inputs[i].name);
    if (perInput[i].empty())
      return fail(path + ": no calibration data for input '" + inputs[i].name +
                  "'");
    if (perInput[i].size() != count)
      return fail(path + ": input '" + inputs[i].name + "' has " +
                  llvm::Twine(perInput[i].size()) + " samples but '" +
                  inputs[0].name + "' has " + llvm::Twine(count));
  }
  if (count == 0)
    return fail(path + ": the calibration data is empty");
  data.samples.resize(count);
  for (size_t s = 0; s < count; ++s)
    for (size_t i = 0; i < inputs.size(); ++i)
      data.samples[s].push_back(std::move(perInput[i][s]));
  return data;
}
