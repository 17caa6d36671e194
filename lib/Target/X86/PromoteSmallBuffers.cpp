//===- PromoteSmallBuffers.cpp - qlow-promote-small-buffers ---------------===//
//
// Entry-block heap allocations of static shape become stack allocations up
// to a per-function budget.
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWPROMOTESMALLBUFFERS
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

struct QlowPromoteSmallBuffersPass
    : mlir::qlow::impl::QlowPromoteSmallBuffersBase<
          QlowPromoteSmallBuffersPass> {
  using QlowPromoteSmallBuffersBase::QlowPromoteSmallBuffersBase;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    int64_t used = 0;
    SmallVector<memref::AllocOp> allocs;
    for (Operation &op : fn.getBody().front())
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat() || alloc.getSymbolOperands().size())
        continue;
      int64_t bytes = type.getNumElements() *
                      ((type.getElementTypeBitWidth() + 7) / 8);
      if (used + bytes > maxBytes)
        continue;
      // Freed by an explicit dealloc already? Then it is someone else's
      // protocol: leave it.
      if (llvm::any_of(alloc->getUsers(),
                       [](Operation *u) { return isa<memref::DeallocOp>(u); }))
        continue;
      used += bytes;
      OpBuilder b(alloc);
      auto alloca = memref::AllocaOp::create(b, alloc.getLoc(), type,
                                             alloc.getAlignmentAttr());
      alloc.getResult().replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }
};

} // namespace
