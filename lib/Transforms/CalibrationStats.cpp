//===- CalibrationStats.cpp - the calibration statistics file -------------===//
#include "qlow/Transforms/CalibrationStats.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

std::pair<double, double> TensorStats::range(double percentile) const {
  if (!histogram || percentile >= 100.0)
    return {min, max};
  const auto &h = *histogram;
  uint64_t total = 0;
  for (uint64_t c : h.counts)
    total += c;
  if (total == 0)
    return {min, max};
  // Clip (100 - percentile)% of the mass, half from each tail.
  double clip = (100.0 - percentile) / 200.0 * double(total);
  double width = (h.max - h.min) / double(h.counts.size());
  size_t n = h.counts.size();
  size_t lo = 0, hi = n - 1;
  double acc = 0;
  while (lo < n && acc + double(h.counts[lo]) <= clip)
    acc += double(h.counts[lo++]);
  acc = 0;
  while (hi > lo && acc + double(h.counts[hi]) <= clip)
    acc += double(h.counts[hi--]);
  double rmin = h.min + width * double(lo);
  double rmax = h.min + width * double(hi + 1);
  return {std::max(min, rmin), std::min(max, rmax)};
}

static std::string formatNumber(double v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%g", v);
  return s;
}

static llvm::Error fail(StringRef source, const Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 source + ": " + msg);
}

static llvm::Expected<double> getFinite(const llvm::json::Object &o,
                                        StringRef key, StringRef source,
                                        StringRef where) {
  const llvm::json::Value *v = o.get(key);
  if (!v)
    return fail(source, where + " has no '" + key + "'");
  std::optional<double> d = v->getAsNumber();
  if (!d)
    return fail(source, where + ": '" + key + "' is not a number");
  if (!std::isfinite(*d))
    return fail(source, where + ": '" + key + "' is not finite");
  return *d;
}

llvm::Expected<CalibrationStats>
mlir::qlow::parseCalibrationStats(StringRef json, StringRef source) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(json);
  if (!root)
    return fail(source, "invalid JSON: " + llvm::toString(root.takeError()) +
                            " (NaN and Infinity are not valid JSON values)");
  const llvm::json::Object *top = root->getAsObject();
  if (!top)
    return fail(source, "expected a JSON object at the top level");
  if (auto version = top->getInteger("version"); version && *version != 1)
    return fail(source, "unsupported statistics version " + Twine(*version));
  const llvm::json::Object *tensors = top->getObject("tensors");
  if (!tensors)
    return fail(source, "missing the 'tensors' object");
  if (tensors->empty())
    return fail(source, "'tensors' is empty: no calibration statistics");

  CalibrationStats stats;
  for (const auto &[key, value] : *tensors) {
    std::string where = ("tensor '" + key.str() + "'");
    const llvm::json::Object *o = value.getAsObject();
    if (!o)
      return fail(source, where + " is not an object");
    TensorStats s;
    auto min = getFinite(*o, "min", source, where);
    if (!min)
      return min.takeError();
    auto max = getFinite(*o, "max", source, where);
    if (!max)
      return max.takeError();
    s.min = *min;
    s.max = *max;
    if (s.min > s.max)
      return fail(source, where + ": min " + formatNumber(s.min) +
                              " is greater than max " + formatNumber(s.max));
    if (const llvm::json::Object *h = o->getObject("histogram")) {
      TensorHistogram hist;
      std::string hwhere = where + " histogram";
      auto hmin = getFinite(*h, "min", source, hwhere);
      if (!hmin)
        return hmin.takeError();
      auto hmax = getFinite(*h, "max", source, hwhere);
      if (!hmax)
        return hmax.takeError();
      hist.min = *hmin;
      hist.max = *hmax;
      if (hist.min > hist.max)
        return fail(source, hwhere + ": min is greater than max");
      const llvm::json::Array *counts = h->getArray("counts");
      if (!counts || counts->empty())
        return fail(source, hwhere + " needs a non-empty 'counts' array");
      for (const llvm::json::Value &c : *counts) {
        std::optional<int64_t> n = c.getAsInteger();
        if (!n || *n < 0)
          return fail(source, hwhere + ": counts must be non-negative integers");
        hist.counts.push_back(uint64_t(*n));
      }
      s.histogram = std::move(hist);
    }
    stats.tensors[key] = std::move(s);
  }
  return stats;
}

llvm::Expected<CalibrationStats>
mlir::qlow::readCalibrationStats(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fail(path, "cannot read the statistics file: " +
                          buffer.getError().message());
  return parseCalibrationStats((*buffer)->getBuffer(), path);
}

std::string mlir::qlow::writeCalibrationStats(const CalibrationStats &stats) {
  llvm::json::Object tensors;
  for (const auto &entry : stats.tensors) {
    const TensorStats &s = entry.getValue();
    llvm::json::Object o{{"min", s.min}, {"max", s.max}};
    if (s.histogram) {
      llvm::json::Array counts;
      for (uint64_t c : s.histogram->counts)
        counts.push_back(int64_t(c));
      o["histogram"] = llvm::json::Object{{"min", s.histogram->min},
                                          {"max", s.histogram->max},
                                          {"counts", std::move(counts)}};
    }
    tensors[entry.getKey()] = std::move(o);
  }
  llvm::json::Object top{{"version", 1}, {"tensors", std::move(tensors)}};
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(top))) << "\n";
  return out;
}
