//===- ImportQdq.cpp - quantized ops from quantize/dequantize pairs -------===//
//
// A pre-quantized model (ONNX QDQ, QAT exports) arrives as float ops between
// qlow.dequantize and qlow.quantize whose types are exactly the model's
// scales and zero points. This pass makes the quantized program they
// describe: DQ -> op -> Q becomes the quantized op, dequantized integer
// weights become qlow.const, an int32 bias becomes the float bias that
// qlow-fold turns back into the same int32, and whatever must stay float is
// put into a float island with the reason. No calibration is involved.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Transforms/UnaryTables.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWIMPORTQDQ
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {

bool hasQuantizedTypes(func::FuncOp func) {
  if (llvm::any_of(func.getArgumentTypes(),
                   [](Type t) { return isQuantized(t); }))
    return true;
  bool found = false;
  func.walk([&](Operation *op) {
    if (llvm::any_of(op->getResultTypes(),
                     [](Type t) { return isQuantized(t); }))
      found = true;
  });
  return found;
}

/// The integer constant behind `v` = quant.scast(arith.constant ints).
DenseIntElementsAttr storageConstant(Value v) {
  auto cast = v.getDefiningOp<quant::StorageCastOp>();
  if (!cast)
    return {};
  return dyn_cast_or_null<DenseIntElementsAttr>(
      getConstantDense(cast.getInput()));
}

/// Moves an op that keeps its input's quantization (transpose, reshape,
/// max pool: they move or select values, which commutes exactly with a
/// per-tensor dequantize) before the dequantize of its input, so it works on
/// integers. False if its input is not such a dequantize.
bool hoistBeforeDequantize(Operation *op) {
  auto dq = op->getOperand(0).getDefiningOp<DequantizeOp>();
  if (!dq)
    return false;
  auto qelem = getQuantElementType(dq.getInput().getType());
  if (!qelem || isa<quant::UniformQuantizedPerAxisType>(qelem))
    return false;
  OpBuilder b(op);
  Operation *q = b.clone(*op);
  q->setOperand(0, dq.getInput());
  Type floatType = op->getResult(0).getType();
  q->getResult(0).setType(withElementType(floatType, qelem));
  auto newDq = DequantizeOp::create(b, op->getLoc(), floatType, q->getResult(0),
                                    StringAttr());
  op->getResult(0).replaceAllUsesWith(newDq.getResult());
  op->erase();
  if (dq->use_empty())
    dq.erase();
  return true;
}

/// dequantize(scast(8-bit constant)) -> dequantize(qlow.const).
void makeConstants(func::FuncOp func) {
  SmallVector<quant::StorageCastOp> casts;
  func.walk([&](quant::StorageCastOp op) {
    if (isQuantized(op.getType()) && storageConstant(op.getResult()))
      casts.push_back(op);
  });
  for (quant::StorageCastOp op : casts) {
    DenseIntElementsAttr ints = storageConstant(op.getResult());
    if (ints.getElementType().getIntOrFloatBitWidth() > 8)
      continue;
    OpBuilder b(op);
    auto c = ConstOp::create(b, op.getLoc(), op.getType(), ints);
    op.getResult().replaceAllUsesWith(c.getResult());
    op.erase();
  }
}

class QdqRewriter {
public:
  explicit QdqRewriter(func::FuncOp func) : func(func) {}
  LogicalResult run();

private:
  /// Rewrites `op` into its quantized form, or returns why it stays float.
  /// Fails on an error (already reported).
  FailureOr<std::string> rewrite(Operation *op);
  /// The float bias for an int32 dequantized bias, checked to re-derive the
  /// same int32 values in qlow-fold.
  FailureOr<Value> convertBias(Operation *op, DequantizeOp dq,
                               const QuantParams &input,
                               const QuantParams &weights);

  func::FuncOp func;
};

std::string describeOp(Operation *op) {
  std::string name = getTensorName(op->getResult(0));
  return "'" + name + "' (" + op->getName().getStringRef().str() + ")";
}

FailureOr<Value> QdqRewriter::convertBias(Operation *op, DequantizeOp dq,
                                          const QuantParams &input,
                                          const QuantParams &weights) {
  DenseIntElementsAttr ints = storageConstant(dq.getInput());
  FailureOr<QuantParams> bp = getQuantParams(dq.getInput().getType());
  if (!ints || failed(bp))
    return failure();
  auto type = cast<RankedTensorType>(dq.getType());
  std::vector<float> values;
  int64_t o = 0;
  for (APInt v : ints.getValues<APInt>()) {
    int64_t q = v.getSExtValue() - bp->zeroPoint(o);
    double sb = bp->scale(o);
    double sx = input.scale(), sw = weights.scale(o);
    float real = float(double(q) * sb);
    // The model's bias scale is sx * sw (rounded to f32 by the exporter):
    // then the float bias must give back exactly q.
    if (std::fabs(sb - sx * sw) <= 1e-6 * sx * sw) {
      bool ok = ::qlow::ref::quantizeBias(real, sx, sw) == q;
      for (int step = 0; !ok && step < 4; ++step) {
        float up = real, down = real;
        for (int i = 0; i <= step; ++i) {
          up = std::nextafter(up, INFINITY);
          down = std::nextafter(down, -INFINITY);
        }
        if (::qlow::ref::quantizeBias(up, sx, sw) == q)
          real = up, ok = true;
        else if (::qlow::ref::quantizeBias(down, sx, sw) == q)
          real = down, ok = true;
      }
      if (!ok)
        return op->emitError()
               << "the int32 bias " << q << " of output channel " << o
               << " has no float value that re-derives it exactly at scale "
               << sx << " x " << sw;
    } else {
      op->emitRemark() << "bias of output channel " << o << " has scale "
                       << sb << ", not input scale x weight scale ("
                       << sx * sw << "); it is requantized";
    }
    values.push_back(real);
    ++o;
  }
  OpBuilder b(op);
  auto ftype = RankedTensorType::get(type.getShape(), b.getF32Type());
  return arith::ConstantOp::create(
             b, dq.getLoc(), DenseElementsAttr::get(ftype, ArrayRef(values)))
      .getResult();
}

FailureOr<std::string> QdqRewriter::rewrite(Operation *op) {
  std::optional<unsigned> weightIdx = getWeightOperandIndex(op);
  std::optional<unsigned> biasIdx = getBiasOperandIndex(op);
  bool isConv = isa<Conv2DOp>(op);

  SmallVector<Value> operands(op->getOperands());
  DequantizeOp biasDq;
  for (OpOperand &operand : op->getOpOperands()) {
    unsigned idx = operand.getOperandNumber();
    auto dq = operand.get().getDefiningOp<DequantizeOp>();
    if (idx == biasIdx) {
      if (dq && storageConstant(dq.getInput())) {
        biasDq = dq;
        continue;
      }
      if (getConstantFloats(operand.get()))
        continue;
      return std::string("bias is not a constant");
    }
    if (idx == weightIdx) {
      if (dq && dq.getInput().getDefiningOp<ConstOp>()) {
        operands[idx] = dq.getInput();
        continue;
      }
      if (dq)
        return std::string(isConv ? "no quantized kernel for a convolution "
                                    "with run-time weights"
                                  : "no quantized kernel for a matmul of two "
                                    "activations");
      if (getConstantFloats(operand.get()))
        return std::string("weights not quantized (a float constant, not "
                           "dequantized integers)");
      return std::string("weights not quantized (not a constant)");
    }
    if (!dq)
      return "inputs not quantized (operand #" + std::to_string(idx) +
             " is float)";
    auto qelem = getQuantElementType(dq.getInput().getType());
    if (isa<quant::UniformQuantizedPerAxisType>(qelem))
      return std::string("inputs not quantized per tensor (a per-axis "
                         "activation has no quantized kernel)");
    operands[idx] = dq.getInput();
  }

  Value result = op->getResult(0);
  SmallVector<QuantizeOp> quantizes;
  for (Operation *user : result.getUsers())
    if (auto q = dyn_cast<QuantizeOp>(user))
      quantizes.push_back(q);
  bool keepInput = keepsInputQuantization(op);
  if (quantizes.empty()) {
    if (!preservesInputRange(op))
      return std::string("result not quantized (no QuantizeLinear follows)");
    // An average of quantized values lies in their range: the result takes
    // the input's quantization (what PyTorch's converted model does).
    op->emitRemark() << describeOp(op)
                     << ": no QuantizeLinear follows; the result keeps its "
                        "input's quantization";
    keepInput = true;
  }

  Type resultType =
      keepInput ? withElementType(result.getType(),
                                  getQuantElementType(operands[0].getType()))
                : quantizes.front().getType();
  if (isa<quant::UniformQuantizedPerAxisType>(
          getQuantElementType(resultType)))
    return std::string("result quantized per axis (no quantized kernel)");

  if (biasDq) {
    FailureOr<QuantParams> xp = getQuantParams(operands[0].getType());
    FailureOr<QuantParams> wp = getQuantParams(operands[*weightIdx].getType());
    if (failed(xp) || failed(wp))
      return failure();
    FailureOr<Value> bias = convertBias(op, biasDq, *xp, *wp);
    if (failed(bias))
      return failure();
    operands[*biasIdx] = *bias;
  }

  OpBuilder b(op);
  Operation *newOp = b.clone(*op);
  newOp->setOperands(operands);
  Value newResult = newOp->getResult(0);
  newResult.setType(resultType);
  for (QuantizeOp q : quantizes) {
    b.setInsertionPoint(q);
    Value v = newResult;
    if (q.getType() != resultType)
      v = RequantizeOp::create(b, q.getLoc(), q.getType(), newResult,
                               q.getNameAttr());
    q.getResult().replaceAllUsesWith(v);
    q.erase();
  }
  if (!result.use_empty()) {
    b.setInsertionPointAfter(newOp);
    auto dq = DequantizeOp::create(b, op->getLoc(), result.getType(),
                                   newResult, StringAttr());
    result.replaceAllUsesWith(dq.getResult());
  }
  op->erase();
  return std::string();
}

/// An element-wise island between a dequantize of 8-bit per-tensor data
/// and quantizes of one type (Sigmoid, HardSwish, SiLU, ... of a QDQ
/// model): the qlow.lut of its function with exactly those parameters.
static void tabulateQdqIsland(FloatIslandOp island) {
  if (!isTabulatableIsland(island))
    return;
  Value input = getUnaryIslandInput(island);
  auto dq = input ? input.getDefiningOp<DequantizeOp>() : DequantizeOp();
  if (!dq)
    return;
  auto in = dyn_cast<quant::UniformQuantizedType>(
      getQuantElementType(dq.getInput().getType()));
  Value result = island->getResult(0);
  SmallVector<QuantizeOp> quantizes;
  for (Operation *user : result.getUsers())
    if (auto q = dyn_cast<QuantizeOp>(user))
      quantizes.push_back(q);
  if (!in || in.getStorageTypeIntegralWidth() != 8 || quantizes.empty())
    return;
  Type outType = quantizes.front().getType();
  auto out =
      dyn_cast<quant::UniformQuantizedType>(getQuantElementType(outType));
  if (!out || out.getStorageTypeIntegralWidth() != 8 ||
      llvm::any_of(quantizes,
                   [&](QuantizeOp q) { return q.getType() != outType; }))
    return;
  std::optional<SmallVector<int32_t>> table =
      tabulateUnaryIsland(island, in, out);
  if (!table)
    return;
  OpBuilder b(island);
  auto lut = LutOp::create(b, island.getLoc(), outType, dq.getInput(), *table,
                           island.getNameAttr());
  for (QuantizeOp q : quantizes) {
    q.getResult().replaceAllUsesWith(lut.getResult());
    q.erase();
  }
  if (!result.use_empty())
    result.replaceAllUsesWith(
        DequantizeOp::create(b, island.getLoc(), result.getType(), lut,
                             StringAttr())
            .getResult());
  island->erase();
}

LogicalResult QdqRewriter::run() {
  SmallVector<Operation *> candidates;
  SmallVector<FloatIslandOp> islands;
  func.walk([&](Operation *op) {
    if (auto island = dyn_cast<FloatIslandOp>(op))
      if (!isInFloatIsland(op))
        islands.push_back(island);
    if ((isQuantizableOp(op) || isa<BatchNormOp>(op)) &&
        !isInFloatIsland(op) && isFloatTensor(op->getResult(0).getType()))
      candidates.push_back(op);
  });
  for (FloatIslandOp island : islands)
    tabulateQdqIsland(island);
  SmallVector<std::pair<Operation *, std::string>> keepFloat;
  // In program order, so that an op rewritten here hands a dequantize to its
  // users further down.
  for (Operation *op : candidates) {
    if (keepsInputQuantization(op) && hoistBeforeDequantize(op))
      continue;
    if (isa<BatchNormOp>(op)) {
      keepFloat.push_back({op, "no quantized kernel for batch_norm without a "
                               "convolution to fold into"});
      continue;
    }
    FailureOr<std::string> why = rewrite(op);
    if (failed(why))
      return failure();
    if (!why->empty())
      keepFloat.push_back({op, *why});
  }
  for (auto &[op, reason] : keepFloat) {
    op->emitRemark() << describeOp(op) << " stays in float: " << reason;
    wrapInFloatIsland(op, reason);
  }
  // What no longer has users: dequantizes, their casts and constants.
  bool changed = true;
  while (changed) {
    changed = false;
    func.walk([&](Operation *op) {
      if (isa<DequantizeOp, quant::StorageCastOp, ConstOp, arith::ConstantOp>(
              op) &&
          op->use_empty()) {
        op->erase();
        changed = true;
      }
    });
  }
  return success();
}

struct QlowImportQdqPass
    : mlir::qlow::impl::QlowImportQdqBase<QlowImportQdqPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !hasQuantizedTypes(func))
        continue;
      makeConstants(func);
      if (failed(QdqRewriter(func).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
