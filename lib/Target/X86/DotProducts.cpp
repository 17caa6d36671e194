//===- DotProducts.cpp - the x86 contraction rewrites' shared kernel ------===//
//
// ContractToX86Dot (u8 x s8 byte groups: vpdpbusd, vpmaddubsw + vpmaddwd)
// and ContractToPairwiseMulAdd (16-bit pairs: pmaddwd) lower the same
// matmul-shaped vector.contract the same way: each row's group of reduction
// elements, read as one i32 word, is broadcast to every output lane and
// multiply-accumulated against that group of the weights, chunk by chunk of
// lanes. Only the instructions per step differ.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

std::optional<mlir::qlow::x86::DotProductForm>
mlir::qlow::x86::matchDotProductForm(vector::ContractionOp op) {
  if (op.getKind() != vector::CombiningKind::ADD ||
      cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
    return std::nullopt;
  auto accType = dyn_cast<VectorType>(op.getAccType());
  if (!accType || !accType.getElementType().isInteger(32) ||
      accType.isScalable())
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<vector::IteratorType> iterators = op.getIteratorTypesArray();
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto parallel = vector::IteratorType::parallel;
  auto reduction = vector::IteratorType::reduction;
  DotProductForm form;
  unsigned n, k;
  if (iterators.size() == 3 && iterators[0] == parallel &&
      iterators[1] == parallel && iterators[2] == reduction &&
      maps[0] == AffineMap::get(3, 0, {d(0), d(2)}, ctx) &&
      maps[2] == AffineMap::get(3, 0, {d(0), d(1)}, ctx)) {
    form.hasM = true;
    n = 1;
    k = 2;
  } else if (iterators.size() == 2 && iterators[0] == parallel &&
             iterators[1] == reduction &&
             maps[0] == AffineMap::get(2, 0, {d(1)}, ctx) &&
             maps[2] == AffineMap::get(2, 0, {d(0)}, ctx)) {
    form.hasM = false;
    n = 0;
    k = 1;
  } else {
    return std::nullopt;
  }
  unsigned numDims = iterators.size();
  if (maps[1] == AffineMap::get(numDims, 0, {d(k), d(n)}, ctx))
    form.rhsTransposed = false;
  else if (maps[1] == AffineMap::get(numDims, 0, {d(n), d(k)}, ctx))
    form.rhsTransposed = true;
  else
    return std::nullopt;
  return form;
}

Value mlir::qlow::x86::padWithZeros(OpBuilder &b, Location loc, Value v,
                                    ArrayRef<int64_t> shape) {
  auto type = cast<VectorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  Type elem = type.getElementType();
  Value zeros = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(VectorType::get(shape, elem),
                             b.getIntegerAttr(elem, 0)));
  SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
  return vector::InsertStridedSliceOp::create(b, loc, v, zeros, offsets,
                                              strides);
}

Value mlir::qlow::x86::emitBroadcastDotProducts(
    OpBuilder &b, Location loc, Value rows, Value acc, int64_t lanes,
    VectorType broadcastType,
    function_ref<Value(Value accChunk, Value broadcast, int64_t group,
                       int64_t chunk)>
        step) {
  Type i32 = b.getI32Type();
  auto accType = cast<VectorType>(acc.getType());
  bool hasM = accType.getRank() == 2;
  int64_t M = hasM ? accType.getDimSize(0) : 1;
  int64_t N = accType.getShape().back();
  int64_t chunks = (N + lanes - 1) / lanes, Np = chunks * lanes;
  auto rowType = cast<VectorType>(rows.getType());
  int64_t groups =
      rowType.getShape().back() * rowType.getElementTypeBitWidth() / 32;
  auto chunkType = VectorType::get({lanes}, i32);
  if (!hasM)
    acc =
        vector::ShapeCastOp::create(b, loc, VectorType::get({1, N}, i32), acc);
  Value result = acc;
  for (int64_t m = 0; m < M; ++m) {
    Value words =
        vector::BitCastOp::create(b, loc, VectorType::get({groups}, i32),
                                  vector::ExtractOp::create(b, loc, rows, m));
    Value accRow =
        padWithZeros(b, loc, vector::ExtractOp::create(b, loc, acc, m), {Np});
    SmallVector<Value> accChunks;
    for (int64_t c = 0; c < chunks; ++c)
      accChunks.push_back(vector::ExtractStridedSliceOp::create(
          b, loc, accRow, ArrayRef<int64_t>{lanes * c},
          ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1}));
    for (int64_t g = 0; g < groups; ++g) {
      Value word = vector::ExtractOp::create(b, loc, words, g);
      Value broadcast = vector::BitCastOp::create(
          b, loc, broadcastType,
          vector::BroadcastOp::create(b, loc, chunkType, word));
      for (int64_t c = 0; c < chunks; ++c)
        accChunks[c] = step(accChunks[c], broadcast, g, c);
    }
    Value row = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(VectorType::get({Np}, i32),
                               b.getI32IntegerAttr(0)));
    for (int64_t c = 0; c < chunks; ++c)
      row = vector::InsertStridedSliceOp::create(b, loc, accChunks[c], row,
                                                 ArrayRef<int64_t>{lanes * c},
                                                 ArrayRef<int64_t>{1});
    if (Np != N)
      row = vector::ExtractStridedSliceOp::create(
          b, loc, row, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{N},
          ArrayRef<int64_t>{1});
    result = vector::InsertOp::create(b, loc, row, result, m);
  }
  if (!hasM)
    result = vector::ShapeCastOp::create(b, loc, accType, result);
  return result;
}
