//===- LowerMemRefCopies.cpp - qlow-lower-memref-copies -------------------===//
//
// memref.copy between buffers that are not both contiguous becomes vector
// transfers (static shapes) or linalg.copy, so that no call to MLIR's
// runtime `memrefCopy` is emitted. A vector transfer is unrolled into one
// load and store per innermost row, so large copies (a 224x224 image into
// its padded buffer) are first split by loops over their outer dimensions:
// otherwise one copy becomes 50,000 straight-line loads that take LLVM's
// instruction selection minutes.
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// At most this many rows (innermost-dimension vectors) per unrolled copy.
constexpr int64_t kMaxUnrolledRows = 32;

/// How a static copy is split: loops over the dimensions before `dim`, and
/// over `dim` itself in steps of `step`, leave copies of at most
/// kMaxUnrolledRows rows.
struct CopyTiling {
  unsigned dim;
  int64_t step;
};

/// nullopt for dynamic shapes.
std::optional<CopyTiling> tileCopy(MemRefType type) {
  if (!type.hasStaticShape() || type.getRank() == 0)
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rows = 1;
  unsigned dim = shape.size() - 1;
  while (dim > 0 && rows * shape[dim - 1] <= kMaxUnrolledRows)
    rows *= shape[--dim];
  if (dim == 0)
    return CopyTiling{0, shape[0]};
  // The largest divisor of the next dimension that still fits.
  int64_t step = kMaxUnrolledRows / rows;
  while (shape[dim - 1] % step)
    --step;
  return CopyTiling{dim - 1, step};
}

/// Vectorizes `copy`, inside the loops `tiling` asks for.
LogicalResult vectorizeInLoops(IRRewriter &rewriter, memref::CopyOp copy,
                               CopyTiling tiling) {
  auto type = cast<MemRefType>(copy.getSource().getType());
  if (tiling.dim == 0 && tiling.step == type.getDimSize(0))
    return linalg::vectorizeCopy(rewriter, copy);
  Location loc = copy.getLoc();
  SmallVector<OpFoldResult> offsets, sizes;
  SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  for (auto [dim, extent] : llvm::enumerate(type.getShape())) {
    if (dim > tiling.dim) {
      offsets.push_back(rewriter.getIndexAttr(0));
      sizes.push_back(rewriter.getIndexAttr(extent));
      continue;
    }
    int64_t step = dim == tiling.dim ? tiling.step : 1;
    auto loop = scf::ForOp::create(
        rewriter, loc, zero,
        arith::ConstantIndexOp::create(rewriter, loc, extent),
        arith::ConstantIndexOp::create(rewriter, loc, step));
    rewriter.setInsertionPoint(loop.getBody()->getTerminator());
    offsets.push_back(loop.getInductionVar());
    sizes.push_back(rewriter.getIndexAttr(step));
  }
  Value source = memref::SubViewOp::create(rewriter, loc, copy.getSource(),
                                           offsets, sizes, strides);
  Value target = memref::SubViewOp::create(rewriter, loc, copy.getTarget(),
                                           offsets, sizes, strides);
  auto inner = memref::CopyOp::create(rewriter, loc, source, target);
  if (failed(linalg::vectorizeCopy(rewriter, inner))) {
    rewriter.eraseOp(inner); // the empty loops fold away
    return failure();
  }
  rewriter.eraseOp(copy);
  return success();
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
      // Static shapes: vector transfer pairs (unrolled into row loads and
      // stores later); otherwise a linalg.copy, lowered to loops.
      rewriter.setInsertionPoint(copy);
      std::optional<CopyTiling> tiling =
          tileCopy(cast<MemRefType>(copy.getSource().getType()));
      if (tiling && succeeded(vectorizeInLoops(rewriter, copy, *tiling)))
        continue;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), ValueRange{copy.getSource()},
                             ValueRange{copy.getTarget()});
      copy.erase();
    }
  }
};

} // namespace
