//===- InlineFloatIslands.cpp - dissolve qlow.float_island regions --------===//
//
// Moves each island's body into the parent block in front of the island and
// replaces the island's results with the values its qlow.yield gives.
//
//===----------------------------------------------------------------------===//
#include "Qlow/IR/QlowOps.h"
#include "qlow/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWINLINEFLOATISLANDS
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {
struct QlowInlineFloatIslandsPass
    : mlir::qlow::impl::QlowInlineFloatIslandsBase<QlowInlineFloatIslandsPass> {
  using QlowInlineFloatIslandsBase::QlowInlineFloatIslandsBase;

  void runOnOperation() override {
    SmallVector<FloatIslandOp> islands;
    // Post-order: nested islands are dissolved into their parent island
    // first, which is then dissolved in turn.
    getOperation().walk([&](FloatIslandOp op) { islands.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (FloatIslandOp island : islands) {
      Block &body = island.getBody().front();
      auto yield = cast<YieldOp>(body.getTerminator());
      SmallVector<Value> results(yield.getValues());
      rewriter.eraseOp(yield);
      rewriter.inlineBlockBefore(&body, island);
      rewriter.replaceOp(island, results);
    }
  }
};
} // namespace
