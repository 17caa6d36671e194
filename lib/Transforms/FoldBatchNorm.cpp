//===- FoldBatchNorm.cpp - fold batch-norm into conv/matmul weights -------===//
//
// Inference batch-norm is a per-channel affine map y = a*x + c. After a
// convolution or matmul with constant weights it folds exactly into them
// (w' = a*w per output channel, b' = a*b + c), before quantization, so the
// quantized model has one layer and one rounding where the float one had two.
// The per-channel constant mul/add pair that TOSA exporters emit for
// batch-norm folds the same way.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWFOLDBATCHNORM
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// A float conv/matmul whose output channels can absorb a per-channel affine
/// map: constant weights, a constant bias or none, no fused activation (a
/// clamp does not commute with scaling), one use.
static Operation *getFoldableProducer(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op || !isa<Conv2DOp, MatmulOp>(op) || !op->hasOneUse() ||
      !isFloatTensor(v.getType()) || op->hasAttr("clamp_min") ||
      op->hasAttr("clamp_max"))
    return nullptr;
  if (!getConstantFloats(op->getOperand(*getWeightOperandIndex(op))))
    return nullptr;
  if (auto biasIdx = getBiasOperandIndex(op);
      biasIdx && !getConstantFloats(op->getOperand(*biasIdx)))
    return nullptr;
  return op;
}

static int64_t outputChannels(Operation *op) {
  auto t = cast<RankedTensorType>(op->getResult(0).getType());
  return t.getDimSize(t.getRank() - 1);
}

/// Values of a constant that varies only along the last dimension (size
/// `channels`, or 1 for a uniform value), broadcast to `channels` entries.
static std::optional<std::vector<double>> getPerChannel(Value v,
                                                        int64_t channels) {
  std::optional<std::vector<float>> data = getConstantFloats(v);
  if (!data)
    return std::nullopt;
  auto t = cast<RankedTensorType>(v.getType());
  for (int64_t i = 0; i + 1 < t.getRank(); ++i)
    if (t.getDimSize(i) != 1)
      return std::nullopt;
  if (t.getRank() > 0 && data->size() != size_t(channels) && data->size() != 1)
    return std::nullopt;
  std::vector<double> out(channels);
  for (int64_t c = 0; c < channels; ++c)
    out[c] = (*data)[data->size() == 1 ? 0 : c];
  return out;
}

/// producer(x) * a + c, folded into the producer's weights and bias.
static void foldAffine(PatternRewriter &rewriter, Operation *producer,
                       ArrayRef<double> a, ArrayRef<double> c,
                       Operation *replaced) {
  unsigned wIdx = *getWeightOperandIndex(producer);
  Value w = producer->getOperand(wIdx);
  auto wType = cast<RankedTensorType>(w.getType());
  std::vector<float> weights = *getConstantFloats(w);
  int64_t axis = getWeightChannelAxis(producer);
  int64_t channels = wType.getDimSize(axis), inner = 1;
  for (int64_t i = axis + 1; i < wType.getRank(); ++i)
    inner *= wType.getDimSize(i);
  for (size_t i = 0; i < weights.size(); ++i)
    weights[i] = float(double(weights[i]) * a[(int64_t(i) / inner) % channels]);

  std::vector<float> bias(channels, 0.0f);
  if (auto bIdx = getBiasOperandIndex(producer))
    bias = *getConstantFloats(producer->getOperand(*bIdx));
  for (int64_t o = 0; o < channels; ++o)
    bias[o] = float(double(bias[o]) * a[o] + c[o]);

  Location loc = producer->getLoc();
  rewriter.setInsertionPoint(producer);
  auto wAttr = DenseElementsAttr::get(wType, ArrayRef<float>(weights));
  auto bType = RankedTensorType::get({channels}, wType.getElementType());
  auto bAttr = DenseElementsAttr::get(bType, ArrayRef<float>(bias));
  Value newW = arith::ConstantOp::create(rewriter, loc, wType, wAttr);
  Value newB = arith::ConstantOp::create(rewriter, loc, bType, bAttr);
  rewriter.modifyOpInPlace(producer, [&] {
    producer->setOperand(wIdx, newW);
    if (auto bIdx = getBiasOperandIndex(producer))
      producer->setOperand(*bIdx, newB);
    else
      producer->insertOperands(producer->getNumOperands(), newB);
  });
  rewriter.replaceOp(replaced, producer->getResults());
}

struct FoldBatchNormOp : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    Operation *producer = getFoldableProducer(bn.getInput());
    if (!producer)
      return failure();
    int64_t n = outputChannels(producer);
    auto scale = getPerChannel(bn.getScale(), n);
    auto offset = getPerChannel(bn.getOffset(), n);
    auto mean = getPerChannel(bn.getMean(), n);
    auto var = getPerChannel(bn.getVariance(), n);
    if (!scale || !offset || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<double> a(n), c(n);
    for (int64_t o = 0; o < n; ++o) {
      if ((*var)[o] + eps <= 0)
        return bn.emitError() << "variance + epsilon of channel " << o
                              << " is not positive";
      a[o] = (*scale)[o] / std::sqrt((*var)[o] + eps);
      c[o] = (*offset)[o] - (*mean)[o] * a[o];
    }
    foldAffine(rewriter, producer, a, c, bn);
    return success();
  }
};

/// producer(x) * const_per_channel.
struct FoldChannelMul : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [lhs, rhs] : {std::pair(mul.getLhs(), mul.getRhs()),
                            std::pair(mul.getRhs(), mul.getLhs())}) {
      Operation *producer = getFoldableProducer(lhs);
      if (!producer || mul.getClampMinAttr() || mul.getClampMaxAttr() ||
          lhs.getType() != mul.getType())
        continue;
      int64_t n = outputChannels(producer);
      auto a = getPerChannel(rhs, n);
      if (!a)
        continue;
      foldAffine(rewriter, producer, *a, std::vector<double>(n, 0.0), mul);
      return success();
    }
    return failure();
  }
};

/// producer(x) + const_per_channel: a bias (the mul's partner, or a plain
/// bias add that an exporter kept separate).
struct FoldChannelAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [lhs, rhs] : {std::pair(add.getLhs(), add.getRhs()),
                            std::pair(add.getRhs(), add.getLhs())}) {
      Operation *producer = getFoldableProducer(lhs);
      if (!producer || lhs.getType() != add.getType())
        continue;
      int64_t n = outputChannels(producer);
      auto c = getPerChannel(rhs, n);
      if (!c)
        continue;
      // The add's fused activation moves onto the producer.
      rewriter.modifyOpInPlace(producer, [&] {
        if (auto lo = add.getClampMinAttr())
          producer->setAttr("clamp_min", lo);
        if (auto hi = add.getClampMaxAttr())
          producer->setAttr("clamp_max", hi);
      });
      foldAffine(rewriter, producer, std::vector<double>(n, 1.0), *c, add);
      return success();
    }
    return failure();
  }
};

struct QlowFoldBatchNormPass
    : mlir::qlow::impl::QlowFoldBatchNormBase<QlowFoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormOp, FoldChannelMul, FoldChannelAdd>(
        &getContext());
    if (failed(applyPatternsOrFail(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
