//===- MatMulOps.cpp - ONNX Gemm and MatMul -------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

struct Gemm : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {

    SmallVector<int64_t> outShape = shapeOf(out());
    float alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
    bool transA = intAttr("transA", 0), transB = intAttr("transB", 0);
    Value a = onnxValue(in(0));
    if (transA) {
      auto at = cast<RankedTensorType>(a.getType());
      a = named(TransposeOp::create(b, loc,
                                    f32({at.getDimSize(1), at.getDimSize(0)}),
                                    a, ArrayRef<int64_t>{1, 0}, StringAttr()),
                auxName(out(), "a_t"));
    }
    Value rhs;
    if (has(1) && tensor(in(1)).dequantOf && alpha == 1.0f) {
      SmallVector<int64_t> perm;
      if (transB)
        perm = {1, 0};
      rhs = weightValue(1, perm, "the weights of Gemm");
    } else if (DenseElementsAttr bc = constantOf(1)) {
      if (transB)
        bc = permute(bc, {1, 0});
      if (alpha != 1.0f)
        bc = mapFloats(bc, [&](float v) { return v * alpha; });
      rhs = materialize(bc);
    } else {
      rhs = onnxValue(in(1));
      if (transB) {
        auto bt = cast<RankedTensorType>(rhs.getType());
        rhs = named(TransposeOp::create(
                        b, loc, f32({bt.getDimSize(1), bt.getDimSize(0)}), rhs,
                        ArrayRef<int64_t>{1, 0}, StringAttr()),
                    auxName(out(), "b_t"));
      }
    }
    int64_t n = outShape[1];
    Value bias, addAfter;
    if (has(2) && beta == 1.0f && tensor(in(2)).dequantOf &&
        tensor(in(2)).constant.getType().getRank() == 1 &&
        tensor(in(2)).constant.getType().getDimSize(0) == n) {
      bias = biasValue(2, "the bias of Gemm");
    } else if (has(2) && beta != 0.0f) {
      if (DenseElementsAttr c = constantOf(2)) {
        c = mapFloats(c, [&](float v) { return v * beta; });
        auto ct = c.getType();
        if (ct.getNumElements() == n &&
            (ct.getRank() == 1 || (ct.getRank() == 2 && ct.getDimSize(0) == 1)))
          bias = materialize(c.reshape(f32({n})));
        else if (ct.getNumElements() == 1)
          bias = materialize(DenseElementsAttr::get(f32({n}), floatsOf(c)[0]));
        else
          addAfter = materialize(constantForRank(c, 2, false));
      } else {
        addAfter = toRank(onnxValue(in(2)), 2, out());
        if (beta != 1.0f)
          addAfter = scaleBy(addAfter, beta, auxName(out(), "beta_c"));
      }
    }
    // alpha with a run-time B scales the product (before the bias).
    bool scale = alpha != 1.0f && !constantOf(1);
    if (scale && bias) {
      addAfter = toRank(bias, 2, out());
      bias = Value();
    }
    std::string mmName = addAfter || scale ? auxName(out(), "matmul") : out();
    Value result = MatmulOp::create(b, loc, f32(outShape), a, rhs, bias,
                                    FloatAttr(), FloatAttr(), nameAttr(mmName));
    if (scale)
      result =
          scaleBy(result, alpha, addAfter ? auxName(out(), "alpha_ab") : out());
    if (addAfter)
      result = AddOp::create(b, loc, f32(outShape), result, addAfter,
                             FloatAttr(), FloatAttr(), nameAttr(out()));
    defineOutput(result, false);
  }
};

/// MatMul with NumPy semantics: rank-1 operands promoted (and the added
/// dimension dropped again), batch dimensions broadcast. A right-hand side
/// without (or with only size-1) batch dimensions is shared by every batch
/// ([B, M, K] x [K, N], weights stay weights); otherwise both sides are
/// broadcast to the common batch shape (gathers of the size-1 dimensions)
/// and collapsed to [B, M, K] x [B, K, N].
struct MatMul : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    SmallVector<int64_t> outShape = shapeOf(out());
    SmallVector<int64_t> as = shapeOf(in(0));
    DenseElementsAttr bc = constantOf(1);
    SmallVector<int64_t> bs =
        bc ? SmallVector<int64_t>(bc.getType().getShape()) : shapeOf(in(1));
    if (as.empty() || bs.empty())
      nodeError("MatMul of scalars is not supported");
    Value a = onnxValue(in(0));
    bool vectorA = as.size() == 1, vectorB = bs.size() == 1;
    if (vectorA) {
      as.insert(as.begin(), 1);
      a = reshapeTo(a, as, "lhs2d");
    }
    int64_t m = as[as.size() - 2], k = as.back();
    if (bs.size() == 1)
      bs.push_back(1);
    int64_t n = bs.back();
    bool sharedRhs = llvm::all_of(ArrayRef(bs).drop_back(2),
                                  [](int64_t d) { return d == 1; }) &&
                     (bs.size() <= as.size() || vectorB);
    SmallVector<int64_t> batch(as.begin(), as.end() - 2);
    Value rhs;
    if (sharedRhs) {
      // [K, N] for every batch of the left-hand side.
      if (bc) {
        Tensor &t = tensor(in(1));
        rhs = t.dequantOf && bs.size() == 2 && !vectorB
                  ? weightValue(1, {}, "the weights of MatMul")
                  : materialize(bc.reshape(bc.getType().clone({k, n})));
      } else {
        rhs = reshapeTo(onnxValue(in(1)), {k, n}, "rhs2d");
      }
    } else {
      auto bshape = broadcastShapes(batch, ArrayRef(bs).drop_back(2));
      if (!bshape)
        nodeError("the batch dimensions of the operands do not broadcast");
      batch = *bshape;
      a = broadcastBatch(a, batch, "lhs");
      rhs =
          broadcastBatch(bc ? materialize(bc) : onnxValue(in(1)), batch, "rhs");
    }
    int64_t total = 1;
    for (int64_t d : batch)
      total *= d;
    // Rank 2 and 3 are qlow.matmul's own forms; others collapse the batch.
    bool direct = batch.size() <= 1 && !vectorA && !vectorB;
    std::string name = direct ? out() : auxName(out(), "matmul");
    SmallVector<int64_t> lhsShape = batch.empty()
                                        ? SmallVector<int64_t>{m, k}
                                        : SmallVector<int64_t>{total, m, k};
    a = reshapeTo(a, lhsShape, "lhs3d");
    if (!sharedRhs)
      rhs = reshapeTo(rhs, {total, k, n}, "rhs3d");
    SmallVector<int64_t> mmShape = batch.empty()
                                       ? SmallVector<int64_t>{m, n}
                                       : SmallVector<int64_t>{total, m, n};
    Value mm = MatmulOp::create(b, loc, f32(mmShape), a, rhs, Value(),
                                FloatAttr(), FloatAttr(), nameAttr(name));
    if (direct) {
      defineOutput(mm, false);
      return;
    }
    defineOutput(
        named(ReshapeOp::create(b, loc, f32(outShape), mm, StringAttr()),
              out()),
        false);
  }

private:
  Value reshapeTo(Value v, ArrayRef<int64_t> shape, StringRef what) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape() == shape)
      return v;
    return named(ReshapeOp::create(b, loc, type.clone(shape), v, StringAttr()),
                 auxName(out(), what));
  }

  /// `v` ([..., R, C]) with its batch dimensions broadcast to `batch`.
  Value broadcastBatch(Value v, ArrayRef<int64_t> batch, StringRef what) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    int64_t rank = batch.size() + 2;
    SmallVector<int64_t> padded(rank - shape.size(), 1);
    llvm::append_range(padded, shape);
    v = reshapeTo(v, padded, (what + "_rank").str());
    for (size_t d = 0; d < batch.size(); ++d)
      if (padded[d] != batch[d])
        v = selectAlong(v, d, SmallVector<int64_t>(batch[d], 0),
                        auxName(out(), (what + "_bcast").str()));
    return v;
  }
};

} // namespace

void registerMatMulConverters(ConverterRegistry &r) {
  r.add<Gemm>("Gemm", {7, 9, 11, 13},
              "`qlow.matmul` (+ `qlow.add` for a non-per-column C)",
              "`transA` (a transpose), `transB`, `alpha` (folded into "
              "constant B), `beta`");
  r.add<MatMul>("MatMul", {1, 9, 13}, "`qlow.matmul`",
                "NumPy semantics: rank-1 operands, batch broadcasting (a "
                "right-hand side without batch dimensions is shared, e.g. "
                "weights; otherwise both sides broadcast by gathers and "
                "collapse to `[B,M,K]x[B,K,N]`)");
}

} // namespace mlir::qlow::onnx_import
