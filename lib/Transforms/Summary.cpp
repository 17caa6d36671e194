//===- Summary.cpp - print what was quantized -----------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/QuantizationInfo.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWSUMMARY
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

static void describe(llvm::raw_ostream &os, const TensorQuantizationInfo &t) {
  if (!t.params) {
    os << t.precision;
    return;
  }
  const QuantParams &p = *t.params;
  os << (p.isSigned ? "i" : "u") << p.bits;
  if (p.isPerAxis()) {
    os << " per-axis(" << p.axis << ", " << p.scales.size() << " scales)";
    return;
  }
  os << llvm::format("  scale %-12.6g zero point %4lld  real range [%g, %g]",
                     p.scale(), (long long)p.zeroPoint(),
                     (p.qmin - p.zeroPoint()) * p.scale(),
                     (p.qmax - p.zeroPoint()) * p.scale());
}

static void summarize(func::FuncOp func, llvm::raw_ostream &os) {
  QuantizationInfo info = collectQuantizationInfo(func);
  os << "qlow summary for @" << info.function << "\n";
  os << "  quantized ops:";
  unsigned total = 0;
  for (auto &[name, n] : info.quantizedOps) {
    os << " " << name << " x" << n;
    total += n;
  }
  os << " (" << total << " in all, " << info.floatOps
     << " float outside islands)\n";
  if (info.weightParameters)
    os << llvm::format("  weights: %lld parameters, FP32 %.0f bytes -> int8 "
                       "%.0f bytes (with %lld scales): %.2fx smaller\n",
                       (long long)info.weightParameters, info.fp32WeightBytes(),
                       info.quantizedWeightBytes(),
                       (long long)info.weightScales,
                       info.fp32WeightBytes() / info.quantizedWeightBytes());
  os << "  activations:\n";
  for (const TensorQuantizationInfo &t : info.tensors) {
    if (t.op == "float_island")
      continue;
    os << llvm::format("    %-16s ", t.name.c_str());
    describe(os, t);
    os << "\n";
  }
  os << "  float islands: " << info.islands.size() << "\n";
  for (const FloatIslandInfo &island : info.islands)
    os << "    " << (island.name.empty() ? "<unnamed>" : island.name) << ": "
       << island.reason << "\n";
}

struct QlowSummaryPass : mlir::qlow::impl::QlowSummaryBase<QlowSummaryPass> {
  using QlowSummaryBase::QlowSummaryBase;
  void runOnOperation() override {
    std::string text;
    llvm::raw_string_ostream os(text);
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal())
        summarize(func, os);
    markAllAnalysesPreserved();
    if (output == "-") {
      llvm::errs() << text;
      return;
    }
    std::error_code ec;
    llvm::raw_fd_ostream file(output, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      emitError(getOperation().getLoc())
          << "cannot write the summary to '" << output << "': " << ec.message();
      return signalPassFailure();
    }
    file << text;
  }
};

} // namespace
