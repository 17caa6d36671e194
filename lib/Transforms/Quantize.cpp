//===- Quantize.cpp - assign quantized types from statistics --------------===//
//
// Activations get per-tensor types from the calibration statistics of their
// stable tensor names; constant weights are quantized here, at compile time,
// into qlow.const integers with per-channel (or per-tensor) scales. Each
// quantized op's result is followed by a dequantize for its float users, and
// quantized users read the quantized value directly, so the output holds no
// dequantize->quantize round trips of its own.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Transforms/CalibrationStats.h"
#include "qlow/Transforms/UnaryTables.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWQUANTIZE
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

struct Policy {
  bool perChannelWeights = true;
  bool symmetricWeights = true;
  bool signedActivations = true;
  bool symmetricActivations = false;
  double percentile = 100.0;
};

/// Quantizes constant float data at compile time, per tensor (axis < 0) or
/// per index of `axis`, with the spec's quantize (f32 division, half to
/// even) so the integers are those a run-time quantize would give.
static ConstOp quantizeConstant(OpBuilder &b, Location loc,
                                ArrayRef<float> data, RankedTensorType type,
                                int64_t axis, int64_t qmin, int64_t qmax,
                                bool symmetric) {
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = axis < 0 ? 1 : shape[axis];
  int64_t inner = 1;
  for (int64_t i = axis + 1; axis >= 0 && i < int64_t(shape.size()); ++i)
    inner *= shape[i];
  auto channelOf = [&](size_t i) -> int64_t {
    return axis < 0 ? 0 : (int64_t(i) / inner) % channels;
  };

  SmallVector<double> lo(channels, 0.0), hi(channels, 0.0);
  for (size_t i = 0; i < data.size(); ++i) {
    int64_t c = channelOf(i);
    lo[c] = std::min(lo[c], double(data[i]));
    hi[c] = std::max(hi[c], double(data[i]));
  }
  SmallVector<double> scales;
  SmallVector<int64_t> zps;
  for (int64_t c = 0; c < channels; ++c) {
    ScaleAndZeroPoint sz = chooseScaleAndZeroPoint(lo[c], hi[c], qmin, qmax,
                                                   symmetric);
    scales.push_back(sz.scale);
    zps.push_back(sz.zeroPoint);
  }
  SmallVector<int8_t> values;
  values.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    int64_t c = channelOf(i);
    values.push_back(static_cast<int8_t>(
        ::qlow::ref::quantize(data[i], static_cast<float>(scales[c]),
                            static_cast<int32_t>(zps[c]), qmin, qmax)));
  }

  MLIRContext *ctx = b.getContext();
  bool isSigned = qmin < 0;
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = b.getIntegerType(8);
  Type f32 = b.getF32Type();
  Type qtype;
  if (axis < 0)
    qtype = quant::UniformQuantizedType::get(flags, storage, f32, scales[0],
                                             zps[0], qmin, qmax);
  else
    qtype = quant::UniformQuantizedPerAxisType::get(
        flags, storage, f32, scales, zps, static_cast<int32_t>(axis), qmin,
        qmax);
  auto valueType = RankedTensorType::get(shape, IntegerType::get(ctx, 8));
  auto value = DenseElementsAttr::get(valueType, ArrayRef<int8_t>(values));
  return ConstOp::create(b, loc, RankedTensorType::get(shape, qtype), value);
}

class FunctionQuantizer {
public:
  FunctionQuantizer(const CalibrationStats &stats, const Policy &policy,
                    StringRef statsPath)
      : stats(stats), policy(policy), statsPath(statsPath) {}

  LogicalResult run(func::FuncOp func);

private:
  /// The per-tensor activation type of `v` from its statistics.
  FailureOr<Type> activationType(Value v, Location useLoc);
  /// The quantized counterpart of float activation `v`.
  FailureOr<Value> getQuantized(Value v, Location useLoc);
  FailureOr<Value> quantizeWeights(Operation *op, Value w);
  LogicalResult quantizeOp(Operation *op);
  /// An element-wise island of an 8-bit quantized input: a qlow.lut of its
  /// function (UnaryTables.h), when its ops can be evaluated; else it stays.
  LogicalResult tabulateIsland(FloatIslandOp island);

  int64_t activationMin() const {
    return policy.signedActivations ? -128 : 0;
  }
  int64_t activationMax() const {
    return policy.signedActivations ? 127 : 255;
  }

  const CalibrationStats &stats;
  const Policy &policy;
  StringRef statsPath;
  DenseMap<Value, Value> quantized;
};

} // namespace

FailureOr<Type> FunctionQuantizer::activationType(Value v, Location useLoc) {
  std::string name = getTensorName(v);
  Location loc = v.getDefiningOp() ? v.getDefiningOp()->getLoc() : useLoc;
  if (name.empty()) {
    if (auto arg = dyn_cast<BlockArgument>(v))
      return emitError(loc) << "argument #" << arg.getArgNumber()
                            << " has no stable name (qlow.name); run "
                               "qlow-import before qlow-quantize";
    return emitError(loc) << "tensor has no stable name; run qlow-import "
                             "before qlow-quantize";
  }
  const TensorStats *s = stats.lookup(name);
  if (!s)
    return emitError(loc) << "no calibration statistics for tensor '" << name
                          << "' in " << statsPath;
  if (policy.percentile < 100.0 && !s->histogram)
    return emitError(loc) << "percentile clipping needs a histogram, but "
                             "tensor '"
                          << name << "' in " << statsPath << " has none";
  auto [rmin, rmax] = s->range(policy.percentile);
  auto type = cast<RankedTensorType>(v.getType());
  Type q = getUniformTypeForRange(v.getContext(), rmin, rmax, 8,
                                  policy.signedActivations,
                                  policy.symmetricActivations,
                                  type.getElementType());
  return Type(RankedTensorType::get(type.getShape(), q));
}

FailureOr<Value> FunctionQuantizer::getQuantized(Value v, Location useLoc) {
  if (auto it = quantized.find(v); it != quantized.end())
    return it->second;
  if (auto dq = v.getDefiningOp<DequantizeOp>())
    return dq.getInput();
  OpBuilder b(v.getContext());
  if (Operation *def = v.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(cast<BlockArgument>(v).getOwner());
  auto type = cast<RankedTensorType>(v.getType());

  // A constant used as an activation (e.g. an addend) is quantized now,
  // per tensor, over its own range.
  if (std::optional<std::vector<float>> data = getConstantFloats(v)) {
    int64_t qmin = activationMin(), qmax = activationMax();
    if (policy.symmetricActivations && policy.signedActivations)
      qmin = -qmax;
    Value q = quantizeConstant(b, v.getLoc(), *data, type, -1, qmin, qmax,
                               policy.symmetricActivations);
    quantized[v] = q;
    return q;
  }
  FailureOr<Type> qtype = activationType(v, useLoc);
  if (failed(qtype))
    return failure();
  Value q = QuantizeOp::create(b, v.getLoc(), *qtype, v, StringAttr());
  quantized[v] = q;
  return q;
}

FailureOr<Value> FunctionQuantizer::quantizeWeights(Operation *op, Value w) {
  std::optional<std::vector<float>> data = getConstantFloats(w);
  if (!data)
    return op->emitError() << "weights must be constant to be quantized";
  int64_t bits = 8;
  if (auto attr = op->getAttrOfType<IntegerAttr>(kWeightBitsAttr))
    bits = attr.getInt();
  if (bits < 2 || bits > 8)
    return op->emitError() << "unsupported weight width " << bits << " bits";
  int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
  // Symmetric weights use the narrow range, so the zero point is exactly 0
  // and the row-sum term of the four-term expansion vanishes.
  int64_t qmin = policy.symmetricWeights ? -qmax : -qmax - 1;
  int64_t axis = policy.perChannelWeights ? getWeightChannelAxis(op) : -1;
  OpBuilder b(op);
  return quantizeConstant(b, w.getLoc(), *data,
                          cast<RankedTensorType>(w.getType()), axis, qmin,
                          qmax, policy.symmetricWeights)
      .getResult();
}

LogicalResult FunctionQuantizer::tabulateIsland(FloatIslandOp island) {
  Value input = getUnaryIslandInput(island);
  FailureOr<Value> qin = getQuantized(input, island.getLoc());
  if (failed(qin))
    return failure();
  auto in = dyn_cast<quant::UniformQuantizedType>(
      getQuantElementType(qin->getType()));
  Value result = island->getResult(0);
  FailureOr<Type> outType = activationType(result, island.getLoc());
  if (failed(outType))
    return failure();
  auto out =
      dyn_cast<quant::UniformQuantizedType>(getQuantElementType(*outType));
  std::optional<SmallVector<int32_t>> table;
  if (in && out && in.getStorageTypeIntegralWidth() == 8)
    table = tabulateUnaryIsland(island, in, out);
  if (!table)
    return success(); // not a function qlow can tabulate: stays float
  OpBuilder b(island);
  auto lut = LutOp::create(b, island.getLoc(), *outType, *qin, *table,
                           island.getNameAttr());
  auto dq = DequantizeOp::create(b, island.getLoc(), result.getType(), lut,
                                 StringAttr());
  result.replaceAllUsesWith(dq.getResult());
  quantized[dq.getResult()] = lut.getResult();
  island->erase();
  return success();
}

LogicalResult FunctionQuantizer::quantizeOp(Operation *op) {
  if (auto island = dyn_cast<FloatIslandOp>(op))
    return tabulateIsland(island);
  std::optional<unsigned> weightIdx = getWeightOperandIndex(op);
  std::optional<unsigned> biasIdx = getBiasOperandIndex(op);
  SmallVector<Value> operands;
  for (OpOperand &operand : op->getOpOperands()) {
    unsigned idx = operand.getOperandNumber();
    FailureOr<Value> q = failure();
    if (idx == biasIdx)
      q = operand.get();
    else if (idx == weightIdx)
      q = quantizeWeights(op, operand.get());
    else
      q = getQuantized(operand.get(), op->getLoc());
    if (failed(q))
      return failure();
    operands.push_back(*q);
  }

  Value result = op->getResult(0);
  Type resultType;
  if (keepsInputQuantization(op)) {
    Type qelem = getQuantElementType(operands[0].getType());
    resultType = withElementType(result.getType(), qelem);
  } else {
    FailureOr<Type> t = activationType(result, op->getLoc());
    if (failed(t))
      return failure();
    resultType = *t;
  }

  OpBuilder b(op);
  Operation *newOp = b.clone(*op);
  newOp->setOperands(operands);
  newOp->removeAttr(kWeightBitsAttr);
  newOp->removeAttr(kPrecisionAttr);
  newOp->getResult(0).setType(resultType);
  auto dq = DequantizeOp::create(b, op->getLoc(), result.getType(),
                                 newOp->getResult(0), StringAttr());
  result.replaceAllUsesWith(dq.getResult());
  quantized[dq.getResult()] = newOp->getResult(0);
  op->erase();
  return success();
}

LogicalResult FunctionQuantizer::run(func::FuncOp func) {
  // Probes have served calibration; quantized models do not carry them.
  func.walk([](ObserveOp op) {
    op.getOutput().replaceAllUsesWith(op.getInput());
    op.erase();
  });

  SmallVector<Operation *> work;
  SmallVector<std::pair<Operation *, StringRef>> keepFloat;
  func.walk([&](Operation *op) {
    if (isInFloatIsland(op))
      return;
    // An element-wise function of one 8-bit tensor becomes a table.
    if (auto island = dyn_cast<FloatIslandOp>(op)) {
      if (isTabulatableIsland(island) && !island.getTensorName().empty() &&
          isFloatTensor(getUnaryIslandInput(island).getType()))
        work.push_back(op);
      return;
    }
    if (isa<BatchNormOp>(op)) {
      keepFloat.push_back({op, "batch_norm without a convolution to fold into"});
      return;
    }
    if (!isQuantizableOp(op))
      return;
    if (auto p = op->getAttrOfType<StringAttr>(kPrecisionAttr);
        p && p.getValue() != "int8")
      return;
    if (llvm::any_of(op->getOperandTypes(), [](Type t) {
          return !isFloatTensor(t);
        }))
      return; // already quantized (e.g. a QDQ model)
    auto mm = dyn_cast<MatmulOp>(op);
    if (mm && !getConstantDense(mm.getRhs())) {
      keepFloat.push_back({op, "matmul of two activations stays float"});
      return;
    }
    auto conv = dyn_cast<Conv2DOp>(op);
    if (conv && !getConstantDense(conv.getFilter())) {
      keepFloat.push_back(
          {op, "convolution with non-constant weights stays float"});
      return;
    }
    work.push_back(op);
  });
  // Ops that stay float live in islands, so that "no float arithmetic
  // outside islands" holds after lowering.
  for (auto [op, reason] : keepFloat) {
    op->emitRemark() << "kept in float: " << reason;
    wrapInFloatIsland(op, reason);
  }
  for (Operation *op : work)
    if (failed(quantizeOp(op)))
      return failure();
  // Dequantizes that no float op reads are dead.
  func.walk([](DequantizeOp dq) {
    if (dq->use_empty())
      dq.erase();
  });
  return success();
}

namespace {
struct QlowQuantizePass : mlir::qlow::impl::QlowQuantizeBase<QlowQuantizePass> {
  using QlowQuantizeBase::QlowQuantizeBase;

  LogicalResult parsePolicy(Policy &p) {
    ModuleOp m = getOperation();
    auto pick = [&](StringRef value, StringRef option, StringRef a,
                    StringRef b, bool &isA) -> LogicalResult {
      if (value == a)
        isA = true;
      else if (value == b)
        isA = false;
      else
        return emitError(m.getLoc()) << "qlow-quantize: " << option << " must be '"
                             << a << "' or '" << b << "', got '" << value
                             << "'";
      return success();
    };
    if (failed(pick(weightGranularity, "weights", "per-channel", "per-tensor",
                    p.perChannelWeights)) ||
        failed(pick(weightScheme, "weight-scheme", "symmetric", "affine",
                    p.symmetricWeights)) ||
        failed(pick(activationType, "activations", "s8", "u8",
                    p.signedActivations)) ||
        failed(pick(activationScheme, "activation-scheme", "symmetric",
                    "affine", p.symmetricActivations)))
      return failure();
    if (!(percentile > 50.0 && percentile <= 100.0))
      return emitError(m.getLoc()) << "qlow-quantize: percentile must be in (50, 100], "
                              "got "
                           << percentile;
    p.percentile = percentile;
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Policy policy;
    if (failed(parsePolicy(policy)))
      return signalPassFailure();
    if (statsFile.empty()) {
      emitError(module.getLoc()) << "qlow-quantize needs a statistics file "
                            "(stats=FILE)";
      return signalPassFailure();
    }
    llvm::Expected<CalibrationStats> stats = readCalibrationStats(statsFile);
    if (!stats) {
      emitError(module.getLoc()) << llvm::toString(stats.takeError());
      return signalPassFailure();
    }
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      FunctionQuantizer quantizer(*stats, policy, statsFile);
      if (failed(quantizer.run(func)))
        return signalPassFailure();
    }
  }
};
} // namespace
