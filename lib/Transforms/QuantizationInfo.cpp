//===- QuantizationInfo.cpp - what a quantized model contains -------------===//
#include "qlow/Transforms/QuantizationInfo.h"

#include "Qlow/IR/QlowOps.h"
#include "qlow/Transforms/Utils.h"

using namespace mlir;
using namespace mlir::qlow;

QuantizationInfo mlir::qlow::collectQuantizationInfo(func::FuncOp func) {
  QuantizationInfo info;
  info.function = func.getSymName().str();
  auto addTensor = [&](std::string name, StringRef op, Type type) {
    TensorQuantizationInfo t{std::move(name), op.str(), "f32", std::nullopt};
    FailureOr<QuantParams> p = getQuantParams(type);
    if (succeeded(p)) {
      t.params = *p;
      t.precision = "int8";
    } else if (getElementTypeOrSelf(type).isF16()) {
      t.precision = "f16";
    }
    info.tensors.push_back(std::move(t));
  };

  for (BlockArgument arg : func.getArguments())
    for (Operation *user : arg.getUsers())
      if (auto q = dyn_cast<QuantizeOp>(user))
        addTensor(getTensorName(arg), "input", q.getType());
  func.walk([&](Operation *op) {
    if (auto island = dyn_cast<FloatIslandOp>(op)) {
      info.islands.push_back(
          {island.getTensorName().str(), island.getReason().str()});
      // What an island computes is reported with the precision it runs in.
      std::string precision = "f32";
      island.walk([&](Operation *inner) {
        if (auto p = inner->getAttrOfType<StringAttr>(kPrecisionAttr))
          precision = p.getValue().str();
      });
      info.tensors.push_back(
          {island.getTensorName().str(), "float_island", precision, {}});
      return;
    }
    if (auto c = dyn_cast<ConstOp>(op)) {
      info.weightParameters += cast<ShapedType>(c.getType()).getNumElements();
      if (FailureOr<QuantParams> p = getQuantParams(c.getType()); succeeded(p))
        info.weightScales += p->scales.size();
      return;
    }
    if (!isQuantizableOp(op) || isInFloatIsland(op))
      return;
    if (!isQuantized(op->getResult(0))) {
      ++info.floatOps;
      return;
    }
    ++info.quantizedOps[op->getName().stripDialect()];
    addTensor(getTensorName(op->getResult(0)),
              op->getName().stripDialect(), op->getResult(0).getType());
  });
  return info;
}
