//===- LowerMemRefCopies.cpp - qlow-lower-memref-copies -------------------===//
//
// memref.copy between buffers that are not both contiguous becomes vector
// transfers (static shapes) or linalg.copy, so that no call to MLIR's
// runtime `memrefCopy` is emitted.
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWLOWERMEMREFCOPIES
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;

namespace {

/// What finalize-memref-to-llvm lowers to llvm.memcpy.
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    memref::isStaticShapeAndContiguousRowMajor(memref));
}

struct QlowLowerMemRefCopiesPass
    : mlir::qlow::impl::QlowLowerMemRefCopiesBase<QlowLowerMemRefCopiesPass> {
  using QlowLowerMemRefCopiesBase::QlowLowerMemRefCopiesBase;

  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!isContiguous(copy.getSource().getType()) ||
          !isContiguous(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      // Static shapes: one vector transfer pair (unrolled into row loads
      // and stores later); otherwise a linalg.copy, lowered to loops.
      rewriter.setInsertionPoint(copy);
      if (succeeded(linalg::vectorizeCopy(rewriter, copy)))
        continue;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), ValueRange{copy.getSource()},
                             ValueRange{copy.getTarget()});
      copy.erase();
    }
  }
};

} // namespace
