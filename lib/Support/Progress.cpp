//===- Progress.cpp - progress of a long loop on the terminal -------------===//
#include "qlow/Support/Progress.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace qlow;

Progress::Progress(llvm::raw_ostream &os, std::string label, uint64_t total,
                   int interactive)
    : os(os), label(std::move(label)), total(total),
      interactive(interactive < 0 ? os.is_displayed() : interactive != 0),
      nextPlainReport(std::max<uint64_t>(1, total / 10)),
      start(std::chrono::steady_clock::now()), lastDraw(start) {}

std::string Progress::format(const std::string &label, uint64_t done,
                             uint64_t total, double seconds, unsigned width) {
  std::string line;
  llvm::raw_string_ostream s(line);
  s << label << " [";
  unsigned filled =
      total ? unsigned(std::min<uint64_t>(width, done * width / total)) : width;
  s << std::string(filled, '#') << std::string(width - filled, '.') << "] "
    << done << "/" << total << " samples";
  if (seconds > 0 && done > 0) {
    double rate = double(done) / seconds;
    s << llvm::format(", %.1f/s", rate);
    if (done < total) {
      double left = double(total - done) / rate;
      s << llvm::format(left < 10 ? ", %.1fs left" : ", %.0fs left", left);
    }
    else
      s << llvm::format(", %.1fs", seconds);
  }
  return line;
}

void Progress::advance(uint64_t n) {
  done += n;
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - start).count();
  if (interactive) {
    // Redraw at most ten times a second.
    if (done < total &&
        std::chrono::duration<double>(now - lastDraw).count() < 0.1)
      return;
    lastDraw = now;
    os << "\r" << format(label, done, total, seconds, 30) << "\x1b[K";
    os.flush();
    return;
  }
  if (done >= nextPlainReport && done < total) {
    os << format(label, done, total, seconds, 30) << "\n";
    nextPlainReport = done + std::max<uint64_t>(1, total / 10);
  }
}

void Progress::finish() {
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (interactive)
    os << "\r";
  os << format(label, done, total, seconds, 30);
  if (interactive)
    os << "\x1b[K";
  os << "\n";
  os.flush();
}
