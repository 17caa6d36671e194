//===- Utils.cpp - helpers shared by qlow passes --------------------------===//
#include "qlow/Transforms/Utils.h"

#include "Qlow/IR/QlowOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::qlow;

std::string mlir::qlow::getTensorName(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func || arg.getOwner() != &func.getBody().front())
      return "";
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      kArgNameAttr))
      return name.str();
    return "";
  }
  Operation *op = v.getDefiningOp();
  auto name = op->getAttrOfType<StringAttr>("name");
  if (!name || name.getValue().empty())
    return "";
  unsigned idx = cast<OpResult>(v).getResultNumber();
  if (idx == 0)
    return name.str();
  return (name.getValue() + ":" + Twine(idx)).str();
}

bool mlir::qlow::isQuantizableOp(Operation *op) {
  return isa<Conv2DOp, MatmulOp, AddOp, MulOp, MaxPool2DOp, AvgPool2DOp,
             GlobalAvgPoolOp, ConcatOp, ClampOp, ReshapeOp, TransposeOp,
             SliceOp, GatherOp, LutOp>(op);
}

bool mlir::qlow::keepsInputQuantization(Operation *op) {
  return isa<ReshapeOp, TransposeOp, SliceOp, GatherOp, MaxPool2DOp>(op);
}

bool mlir::qlow::preservesInputRange(Operation *op) {
  return keepsInputQuantization(op) || isa<AvgPool2DOp, GlobalAvgPoolOp>(op);
}

std::optional<unsigned> mlir::qlow::getWeightOperandIndex(Operation *op) {
  if (isa<Conv2DOp, MatmulOp>(op))
    return 1;
  return std::nullopt;
}

std::optional<unsigned> mlir::qlow::getBiasOperandIndex(Operation *op) {
  if (isa<Conv2DOp, MatmulOp>(op) && op->getNumOperands() > 2)
    return 2;
  return std::nullopt;
}

int64_t mlir::qlow::getWeightChannelAxis(Operation *op) {
  if (auto mm = dyn_cast<MatmulOp>(op))
    return cast<RankedTensorType>(mm.getRhs().getType()).getRank() - 1;
  return 0;
}

DenseElementsAttr mlir::qlow::getConstantDense(Value v) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

std::optional<std::vector<float>> mlir::qlow::getConstantFloats(Value v) {
  DenseElementsAttr attr = getConstantDense(v);
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  std::vector<float> out;
  out.reserve(attr.getNumElements());
  for (APFloat f : attr.getValues<APFloat>()) {
    bool lost;
    f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(f.convertToFloat());
  }
  return out;
}

bool mlir::qlow::isInFloatIsland(Operation *op) {
  return op->getParentOfType<FloatIslandOp>() != nullptr;
}

Operation *mlir::qlow::wrapInFloatIsland(Operation *op, StringRef reason) {
  OpBuilder b(op);
  auto island = FloatIslandOp::create(b, op->getLoc(), op->getResultTypes(),
                                      b.getStringAttr(reason),
                                      op->getAttrOfType<StringAttr>("name"));
  Block *body = b.createBlock(&island.getBody());
  op->replaceAllUsesWith(island.getResults());
  op->moveBefore(body, body->end());
  b.setInsertionPointToEnd(body);
  YieldOp::create(b, op->getLoc(), op->getResults());
  return island;
}

LogicalResult mlir::qlow::applyPatternsOrFail(Operation *op,
                                              RewritePatternSet &&patterns) {
  bool sawError = false;
  ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      sawError = true;
    return failure(); // still reported by the handlers below this one
  });
  if (failed(applyPatternsGreedily(op, std::move(patterns))))
    return failure();
  return failure(sawError);
}
