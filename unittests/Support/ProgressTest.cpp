//===- ProgressTest.cpp - progress lines ----------------------------------===//
#include "qlow/Support/Progress.h"

#include "gtest/gtest.h"

using namespace qlow;

TEST(Progress, FormatShowsBarRateAndTimeLeft) {
  EXPECT_EQ(Progress::format("calibration", 50, 100, 4.0, 10),
            "calibration [#####.....] 50/100 samples, 12.5/s, 4.0s left");
  EXPECT_EQ(Progress::format("calibration", 100, 100, 8.0, 10),
            "calibration [##########] 100/100 samples, 12.5/s, 8.0s");
  EXPECT_EQ(Progress::format("c", 0, 3, 0.0, 3), "c [...] 0/3 samples");
  EXPECT_EQ(Progress::format("c", 10, 1000, 1.0, 4),
            "c [....] 10/1000 samples, 10.0/s, 99s left");
}

TEST(Progress, PlainOutputIsLinesNotRedraws) {
  std::string out;
  llvm::raw_string_ostream os(out);
  Progress p(os, "cal", 20, /*interactive=*/0);
  for (int i = 0; i < 20; ++i)
    p.advance();
  p.finish();
  EXPECT_EQ(out.find('\r'), std::string::npos);
  // A line every tenth (2, 4, ..., 18) and the final one.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 10);
  EXPECT_NE(out.find("20/20 samples"), std::string::npos);
}

TEST(Progress, TerminalOutputRedrawsOneLine) {
  std::string out;
  llvm::raw_string_ostream os(out);
  Progress p(os, "cal", 5, /*interactive=*/1);
  for (int i = 0; i < 5; ++i)
    p.advance();
  p.finish();
  EXPECT_NE(out.find('\r'), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}
