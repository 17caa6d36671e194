//===- Progress.h - progress of a long loop on the terminal -----*- C++ -*-===//
//
// On a terminal: one line redrawn in place, with a bar, items done, rate and
// time left. Elsewhere (a log, CI): a plain line every tenth of the way, so
// logs stay readable.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_SUPPORT_PROGRESS_H
#define QLOW_SUPPORT_PROGRESS_H

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace qlow {

class Progress {
public:
  /// `interactive` defaults to whether `os` is a terminal.
  Progress(llvm::raw_ostream &os, std::string label, uint64_t total,
           int interactive = -1);
  /// Marks `n` more items done and redraws when due.
  void advance(uint64_t n = 1);
  /// Final line (always printed).
  void finish();

  /// The line describing `done` of `total` after `seconds`, e.g.
  /// "calibration [#####.....] 50/100 samples, 12.5/s, 4s left".
  static std::string format(const std::string &label, uint64_t done,
                            uint64_t total, double seconds, unsigned width);

private:
  llvm::raw_ostream &os;
  std::string label;
  uint64_t total, done = 0;
  bool interactive;
  uint64_t nextPlainReport;
  std::chrono::steady_clock::time_point start, lastDraw;
};

} // namespace qlow

#endif // QLOW_SUPPORT_PROGRESS_H
