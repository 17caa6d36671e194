//===- DistinctResultBuffers.cpp - one buffer per returned memref ---------===//
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWDISTINCTRESULTBUFFERS
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

struct QlowDistinctResultBuffersPass
    : mlir::qlow::impl::QlowDistinctResultBuffersBase<
          QlowDistinctResultBuffersPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<MemRefType>(v.getType());
        if (!type)
          continue;
        // Only a fresh allocation returned once can become the caller's
        // buffer as it is.
        if (v.getDefiningOp<memref::AllocOp>() && seen.insert(v).second)
          continue;
        auto fresh = memref::AllocOp::create(
            b, ret.getLoc(),
            MemRefType::get(type.getShape(), type.getElementType()));
        memref::CopyOp::create(b, ret.getLoc(), v, fresh);
        operand.set(fresh);
        seen.insert(fresh);
      }
    });
  }
};

} // namespace
