//===- TestHarness.cpp - qlow-test-harness --------------------------------===//
//
// Adds a @main that feeds a function the deterministic inputs of
// qlow/Support/TestData.h and prints its results in the format that
// qlow-reference-eval prints, so that the two outputs can be diffed.
//
//===----------------------------------------------------------------------===//
#include "qlow/Support/TestData.h"
#include "qlow/Testing/TestPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

#include <cmath>

namespace mlir::qlow::testing {
#define GEN_PASS_DECL_QLOWTESTHARNESS
#define GEN_PASS_DEF_QLOWTESTHARNESS
#define GEN_PASS_REGISTRATION
#include "TestPasses.h.inc"
} // namespace mlir::qlow::testing

using namespace mlir;

namespace {

bool isSupportedFloat(Type t) { return t.isF32() || t.isF16() || t.isBF16(); }

bool isSupportedInteger(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isSignless() && i.getWidth() <= 64;
}

bool isSupportedScalar(Type t) {
  return isSupportedFloat(t) || isSupportedInteger(t);
}

/// A statically shaped tensor of supported scalars.
bool isSupportedTensor(Type t) {
  auto r = dyn_cast<RankedTensorType>(t);
  return r && r.hasStaticShape() && isSupportedScalar(r.getElementType());
}

/// The dense constant holding the test inputs of an argument of `type`.
DenseElementsAttr buildInput(RankedTensorType type, uint64_t seed,
                             float range) {
  Type elem = type.getElementType();
  int64_t n = type.getNumElements();
  if (elem.isF32()) {
    SmallVector<float> values;
    values.reserve(n);
    for (int64_t i = 0; i < n; ++i)
      values.push_back(::qlow::testInputValue(seed, i, range));
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }
  if (auto f = dyn_cast<FloatType>(elem)) {
    SmallVector<APFloat> values;
    values.reserve(n);
    for (int64_t i = 0; i < n; ++i) {
      APFloat v(::qlow::testInputValue(seed, i, range));
      bool lost = false;
      v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v);
    }
    return DenseElementsAttr::get(type, values);
  }
  unsigned width = elem.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(APInt(
        width,
        static_cast<uint64_t>(::qlow::testInputInteger(seed, i, range, width)),
        /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

/// Prints one scalar: integers sign-extended to i32 (i64 stays i64), floats
/// as the bits of their f32 value.
void printScalar(OpBuilder &b, Location loc, Value v) {
  Type t = v.getType();
  if (isa<FloatType>(t)) {
    if (!t.isF32())
      v = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
    v = arith::BitcastOp::create(b, loc, b.getI32Type(), v);
  } else if (t.getIntOrFloatBitWidth() < 32) {
    v = arith::ExtSIOp::create(b, loc, b.getI32Type(), v);
  }
  vector::PrintOp::create(b, loc, v);
}

/// Prints every element of a statically shaped tensor in row-major order.
void printTensor(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getRank() == 0) {
    printScalar(b, loc,
                tensor::ExtractOp::create(b, loc, tensor, ValueRange{}));
    return;
  }
  if (type.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < type.getRank(); ++i)
      all.push_back(i);
    tensor = tensor::CollapseShapeOp::create(
        b, loc, tensor, ArrayRef<ReassociationIndices>{all});
  }
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, type.getNumElements());
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  scf::ForOp::create(b, loc, lb, ub, step, ValueRange{},
                     [&](OpBuilder &nb, Location nloc, Value iv, ValueRange) {
                       Value e = tensor::ExtractOp::create(nb, nloc, tensor,
                                                           ValueRange{iv});
                       printScalar(nb, nloc, e);
                       scf::YieldOp::create(nb, nloc);
                     });
}

struct QlowTestHarnessPass
    : mlir::qlow::testing::impl::QlowTestHarnessBase<QlowTestHarnessPass> {
  using QlowTestHarnessBase::QlowTestHarnessBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fn = dyn_cast_or_null<func::FuncOp>(
        SymbolTable::lookupSymbolIn(module, func));
    if (!fn || fn.isExternal()) {
      module.emitError() << "qlow-test-harness: no function @" << func
                         << " with a body in the module";
      return signalPassFailure();
    }
    if (SymbolTable::lookupSymbolIn(module, "main")) {
      module.emitError() << "qlow-test-harness: the module already has a "
                            "symbol @main";
      return signalPassFailure();
    }
    if (!(range > 0.0f) || !std::isfinite(range)) {
      module.emitError() << "qlow-test-harness: range must be positive and "
                            "finite, got "
                         << range;
      return signalPassFailure();
    }
    FunctionType fnType = fn.getFunctionType();
    for (auto [i, t] : llvm::enumerate(fnType.getInputs()))
      if (!isSupportedTensor(t)) {
        fn.emitError() << "qlow-test-harness: argument #" << i << " has type "
                       << t
                       << "; expected a statically shaped tensor of f32, "
                          "f16, bf16 or signless integers";
        return signalPassFailure();
      }
    for (auto [i, t] : llvm::enumerate(fnType.getResults()))
      if (!isSupportedTensor(t) && !isSupportedScalar(t)) {
        fn.emitError() << "qlow-test-harness: result #" << i << " has type "
                       << t
                       << "; expected a statically shaped tensor or a scalar "
                          "of f32, f16, bf16 or signless integers";
        return signalPassFailure();
      }

    Location loc = fn.getLoc();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto mainFn =
        func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
    b.setInsertionPointToStart(mainFn.addEntryBlock());
    SmallVector<Value> args;
    for (auto [i, t] : llvm::enumerate(fnType.getInputs())) {
      auto type = cast<RankedTensorType>(t);
      uint64_t argSeed = ::qlow::testArgumentSeed(seed, i);
      args.push_back(
          arith::ConstantOp::create(b, loc, buildInput(type, argSeed, range)));
    }
    auto call = func::CallOp::create(b, loc, fn, args);
    for (Value r : call.getResults()) {
      if (isa<RankedTensorType>(r.getType()))
        printTensor(b, loc, r);
      else
        printScalar(b, loc, r);
    }
    func::ReturnOp::create(b, loc);
  }
};

} // namespace

void mlir::qlow::registerQlowTestPasses() {
  testing::registerQlowTestingPasses();
}
