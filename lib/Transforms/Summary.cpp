//===- Summary.cpp - print what was quantized -----------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
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

static void describeType(llvm::raw_ostream &os, Type type) {
  FailureOr<QuantParams> p = getQuantParams(type);
  if (failed(p)) {
    os << getElementTypeOrSelf(type);
    return;
  }
  os << (p->isSigned ? "i" : "u") << p->bits;
  if (p->isPerAxis()) {
    os << " per-axis(" << p->axis << ", " << p->scales.size() << " scales)";
    return;
  }
  os << llvm::format("  scale %-12.6g zero point %4lld  real range [%g, %g]",
                     p->scale(), (long long)p->zeroPoint(),
                     (p->qmin - p->zeroPoint()) * p->scale(),
                     (p->qmax - p->zeroPoint()) * p->scale());
}

static void summarize(func::FuncOp func, llvm::raw_ostream &os) {
  llvm::MapVector<StringRef, unsigned> quantizedOps;
  unsigned floatOps = 0;
  int64_t weightParams = 0, weightScales = 0;
  SmallVector<std::pair<std::string, Type>> tensors;
  SmallVector<FloatIslandOp> islands;

  for (BlockArgument arg : func.getArguments())
    for (Operation *user : arg.getUsers())
      if (auto q = dyn_cast<QuantizeOp>(user))
        tensors.push_back({getTensorName(arg), q.getType()});
  func.walk([&](Operation *op) {
    if (auto island = dyn_cast<FloatIslandOp>(op)) {
      islands.push_back(island);
      return;
    }
    if (auto c = dyn_cast<ConstOp>(op)) {
      auto t = cast<RankedTensorType>(c.getType());
      weightParams += t.getNumElements();
      FailureOr<QuantParams> p = getQuantParams(t);
      if (succeeded(p))
        weightScales += p->scales.size();
      return;
    }
    if (!isQuantizableOp(op) || isInFloatIsland(op))
      return;
    if (!isQuantized(op->getResult(0))) {
      ++floatOps;
      return;
    }
    ++quantizedOps[op->getName().stripDialect()];
    tensors.push_back({getTensorName(op->getResult(0)),
                       op->getResult(0).getType()});
  });

  os << "qlow summary for @" << func.getSymName() << "\n";
  os << "  quantized ops:";
  unsigned total = 0;
  for (auto &[name, n] : quantizedOps) {
    os << " " << name << " x" << n;
    total += n;
  }
  os << " (" << total << " in all, " << floatOps << " float outside islands)\n";
  if (weightParams) {
    // Per-channel scales are stored as f32 next to the int8 weights.
    double fp32 = 4.0 * weightParams, q = weightParams + 4.0 * weightScales;
    os << llvm::format("  weights: %lld parameters, FP32 %.0f bytes -> int8 "
                       "%.0f bytes (with %lld scales): %.2fx smaller\n",
                       (long long)weightParams, fp32, q,
                       (long long)weightScales, fp32 / q);
  }
  os << "  activations:\n";
  for (auto &[name, type] : tensors) {
    os << llvm::format("    %-16s ", name.c_str());
    describeType(os, type);
    os << "\n";
  }
  os << "  float islands: " << islands.size() << "\n";
  for (FloatIslandOp island : islands)
    os << "    " << (island.getTensorName().empty() ? "<unnamed>"
                                                    : island.getTensorName())
       << ": " << island.getReason() << "\n";
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
