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

struct MatMul : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {

    SmallVector<int64_t> outShape = shapeOf(out());
    SmallVector<int64_t> as = shapeOf(in(0));
    DenseElementsAttr bc = constantOf(1);
    SmallVector<int64_t> bs =
        bc ? SmallVector<int64_t>(bc.getType().getShape()) : shapeOf(in(1));
    if (as.size() < 2 || bs.size() < 2)
      nodeError("MatMul with a rank-1 operand is not supported");
    bool sharedRhs = bs.size() == 2; // [K, N], the same for every batch
    if (!sharedRhs &&
        (as.size() != bs.size() ||
         !llvm::equal(ArrayRef(as).drop_back(2), ArrayRef(bs).drop_back(2))))
      nodeError("MatMul supports [...,M,K]x[K,N] and [...,M,K]x[...,K,N] with "
                "equal batch dimensions (no batch broadcasting)");
    Value a = onnxValue(in(0));
    Value rhs = !bc         ? onnxValue(in(1))
                : sharedRhs ? weightValue(1, {}, "the weights of MatMul")
                            : materialize(bc);
    if (as.size() == 2 || as.size() == 3) {
      defineOutput(MatmulOp::create(b, loc, f32(outShape), a, rhs, Value(),
                                    FloatAttr(), FloatAttr(), nameAttr(out())),
                   false);
      return;
    }
    // Rank > 3: the batch dimensions collapsed into one, [B, M, K] x [K, N]
    // or [B, M, K] x [B, K, N], and the result expanded back.
    int64_t batch = 1;
    for (size_t i = 0; i + 2 < as.size(); ++i)
      batch *= as[i];
    int64_t m = as[as.size() - 2], k = as.back(), nn = bs.back();
    Value a3 =
        named(ReshapeOp::create(b, loc, f32({batch, m, k}), a, StringAttr()),
              auxName(out(), "lhs3d"));
    if (!sharedRhs)
      rhs = named(
          ReshapeOp::create(b, loc, f32({batch, k, nn}), rhs, StringAttr()),
          auxName(out(), "rhs3d"));
    Value mm = MatmulOp::create(b, loc, f32({batch, m, nn}), a3, rhs, Value(),
                                FloatAttr(), FloatAttr(),
                                nameAttr(auxName(out(), "matmul")));
    defineOutput(
        named(ReshapeOp::create(b, loc, f32(outShape), mm, StringAttr()),
              out()),
        false);
  }
};

} // namespace

void registerMatMulConverters(ConverterRegistry &r) {
  r.add<Gemm>("Gemm", {7, 9, 11, 13},
              "`qlow.matmul` (+ `qlow.add` for a non-per-column C)",
              "`transA` (a transpose), `transB`, `alpha` (folded into "
              "constant B), `beta`");
  r.add<MatMul>("MatMul", {1, 9, 13}, "`qlow.matmul`",
                "`[M,K]x[K,N]`, `[B,M,K]x[K,N]`, `[...,M,K]x[K,N]` (reshaped "
                "to rank 3), `[B,M,K]x[B,K,N]`");
}

} // namespace mlir::qlow::onnx_import
