//===- ShapeOps.cpp - ONNX shapes, layouts, constants and casts -----------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// Flatten, Reshape, Squeeze, Unsqueeze: a reshape to the inferred shape.
struct ReshapeLike : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> outShape = shapeOf(y, /*anyType=*/true);
    Tensor &t = tensor(x);
    if (t.constant && !t.onnx && !t.nhwc) {
      Tensor c;
      c.constant = t.constant.reshape(
          RankedTensorType::get(outShape, t.constant.getElementType()));
      s.tensors[y] = c;
      return;
    }
    // A [N,C,1,1] (or [N,1,H,W]) tensor has the same element order in NHWC.
    Value input;
    if (t.nhwc && !t.onnx && sameOrder(shapeOf(x, true)))
      input = t.nhwc;
    else
      input = onnxValue(x);
    // Quantized (QOperator models) or float: the element type is kept.
    auto inType = cast<RankedTensorType>(input.getType());
    defineOutput(
        ReshapeOp::create(b, loc, inType.clone(outShape), input, nameAttr(y)),
        false);
  }
};

struct Transpose : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x, true);
    int64_t rank = inShape.size();
    SmallVector<int64_t> rev(llvm::reverse(llvm::seq<int64_t>(0, rank)));
    SmallVector<int64_t> perm = intsAttr("perm", rev);
    Tensor &t = tensor(x);
    if (t.constant && !t.onnx && !t.nhwc) {
      Tensor c;
      c.constant = permute(t.constant, perm);
      s.tensors[y] = c;
      return;
    }
    // Transposing the NHWC form directly: y[i] = x[perm[i]] = nhwc[P[perm[i]]].
    if (t.nhwc && !t.onnx && rank == 4) {
      SmallVector<int64_t> composed;
      for (int64_t p : perm)
        composed.push_back(kToNCHW[p]);
      if (llvm::equal(composed, llvm::seq<int64_t>(0, 4))) {
        // The ONNX transpose undoes NCHW: the result is the NHWC tensor.
        Tensor r;
        r.onnx = t.nhwc;
        s.tensors[y] = r;
        return;
      }
      defineOutput(
          TransposeOp::create(
              b, loc,
              cast<RankedTensorType>(t.nhwc.getType()).clone(shapeOf(y, true)),
              t.nhwc, composed, nameAttr(y)),
          false);
      return;
    }
    Value in = onnxValue(x);
    defineOutput(
        TransposeOp::create(
            b, loc,
            cast<RankedTensorType>(in.getType()).clone(shapeOf(y, true)), in,
            perm, nameAttr(y)),
        false);
  }
};

struct Concat : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &y = out();
    SmallVector<int64_t> outShape = shapeOf(y);
    int64_t rank = outShape.size();
    int64_t axis = axisAttr("axis", 0, rank);
    bool nhwc = rank == 4;
    bool anyNHWC = false;
    for (const std::string &name : node->input()) {
      Tensor &t = tensor(name);
      nhwc &= bool(t.nhwc) || bool(t.constant);
      anyNHWC |= bool(t.nhwc);
    }
    nhwc &= anyNHWC;
    SmallVector<Value> inputs;
    for (const std::string &name : node->input())
      inputs.push_back(nhwc ? nhwcValue(name) : onnxValue(name));
    int64_t qaxis =
        nhwc ? llvm::find(kToNHWC, axis) - std::begin(kToNHWC) : axis;
    defineOutput(ConcatOp::create(b, loc,
                                  f32(nhwc ? toNHWC(outShape) : outShape),
                                  inputs, uint64_t(qaxis), nameAttr(y)),
                 nhwc);
  }
};

struct Constant : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    DenseElementsAttr value;
    int32_t dtype = onnx::TensorProto::FLOAT;
    if (auto *a = attr("value")) {
      value = tensorToAttr(a->t(), &s.ctx);
      dtype = a->t().data_type();
    } else if (auto *a = attr("value_float")) {
      value = DenseElementsAttr::get(f32({}), a->f());
    } else if (auto *a = attr("value_floats")) {
      std::vector<float> v(a->floats().begin(), a->floats().end());
      value =
          DenseElementsAttr::get(f32({int64_t(v.size())}), llvm::ArrayRef(v));
    } else if (auto *a = attr("value_int")) {
      value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                     int64_t(a->i()));
      dtype = onnx::TensorProto::INT64;
    } else if (auto *a = attr("value_ints")) {
      std::vector<int64_t> v(a->ints().begin(), a->ints().end());
      value = DenseElementsAttr::get(
          RankedTensorType::get({int64_t(v.size())}, b.getI64Type()),
          llvm::ArrayRef(v));
      dtype = onnx::TensorProto::INT64;
    } else {
      nodeError("only tensor, float and int constants are supported");
    }
    defineConstant(out(), value);
    s.constantTypes[out()] = dtype;
  }
};

struct Identity : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override { alias(); }
};

/// Dropout at inference: the identity.
struct Dropout : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    if (hasOutput(1))
      nodeError("the mask output of Dropout is not supported");
    if (intAttr("training_mode", 0) != 0 || has(2))
      nodeError("Dropout in training mode is not supported");
    alias();
  }
};

struct Cast : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0);
    int64_t to = intAttr("to", 0);
    Tensor &t = tensor(x);
    int32_t from = elemTypeOf(x);
    bool isFloatValue = (t.onnx || t.nhwc) &&
                        isFloatTensor((t.nhwc ? t.nhwc : t.onnx).getType());
    if (to == onnx::TensorProto::FLOAT &&
        (from == onnx::TensorProto::FLOAT ||
         (from == onnx::TensorProto::INT32 && t.intValued && isFloatValue))) {
      alias();
      return;
    }
    // A quantized tensor cast to its own integer type (Q -> Cast -> DQ) is
    // itself; cast to float it is its integers (scale 1, zero point 0).
    Value q = t.nhwc ? t.nhwc : t.onnx;
    quant::QuantizedType qt =
        q ? getQuantElementType(q.getType()) : quant::QuantizedType();
    if (qt && !isa<quant::UniformQuantizedPerAxisType>(qt)) {
      int32_t own =
          qt.isSigned() ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
      if (to == own) {
        alias();
        return;
      }
      if (to == onnx::TensorProto::FLOAT) {
        bool nhwc;
        defineOutput(integersOf(x, false, nhwc, out(0)), nhwc);
        return;
      }
    }
    nodeError("Cast is supported from float32 to float32, from a quantized "
              "tensor to its own type or to float32, and from the int32 result "
              "of ConvInteger/MatMulInteger to float32 (from " +
              llvm::Twine(dataTypeName(from)) + " to " +
              dataTypeName(int32_t(to)) + ")");
  }
};

struct Pad : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0), &y = out();
    if (has(3))
      nodeError("the axes input of Pad is not supported");
    DenseElementsAttr padsAttr = requireConstant(1, "the pads of Pad");
    if (isa<FloatType>(padsAttr.getElementType()))
      nodeError("the pads of Pad must be integers");
    SmallVector<int64_t> pads;
    for (APInt v : padsAttr.getValues<APInt>())
      pads.push_back(v.getSExtValue());
    int64_t rank = shapeOf(x, true).size();
    if (int64_t(pads.size()) != 2 * rank)
      nodeError("expects " + llvm::Twine(2 * rank) + " pads for rank " +
                llvm::Twine(rank) + ", got " + llvm::Twine(pads.size()));
    // PyTorch exports AvgPool2d as a Pad with zero pads and an AveragePool.
    if (llvm::all_of(pads, [](int64_t p) { return p == 0; })) {
      alias();
      return;
    }
    std::string mode = stringAttr("mode", "constant");
    if (mode != "constant")
      nodeError("Pad mode '" + mode + "' is not supported (only 'constant')");
    if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
      nodeError("negative pads (cropping) are not supported");
    float value = 0.0f;
    if (has(2)) {
      DenseElementsAttr c = requireConstant(2, "the constant value of Pad");
      if (c.getType().getNumElements() != 1 ||
          !isa<FloatType>(c.getElementType()))
        nodeError("the constant value of Pad must be a float scalar");
      value = floatsOf(c)[0];
    }
    bool nhwc;
    Value v = anyLayout(x, nhwc);
    if (!isFloatTensor(v.getType()))
      nodeError("Pad of a quantized tensor is not supported");
    // TOSA's padding: [begin, end] per dimension of the value's layout; ONNX's
    // pads: all the begins, then all the ends.
    SmallVector<int64_t> padding;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t od = nhwc ? kToNHWC[d] : d;
      padding.append({pads[od], pads[od + rank]});
    }
    SmallVector<int64_t> outShape = shapeOf(y);
    RankedTensorType type = f32(nhwc ? toNHWC(outShape) : outShape);
    defineOutput(island(y, type,
                        [&]() -> Value {
                          return tosa::PadOp::create(b, loc, type, v,
                                                     tosaShape(padding),
                                                     tosaConst({1}, value));
                        }),
                 nhwc);
  }
};

} // namespace

void registerShapeConverters(ConverterRegistry &r) {
  StringRef reshapeNotes = "to the inferred shape; on a constant, folded";
  r.add<ReshapeLike>("Flatten", {1, 9, 11, 13, 21}, "`qlow.reshape`",
                     reshapeNotes);
  r.add<ReshapeLike>("Reshape", {5, 13, 14, 19, 21}, "`qlow.reshape`",
                     reshapeNotes);
  r.add<ReshapeLike>("Squeeze", {1, 11, 13, 21}, "`qlow.reshape`",
                     reshapeNotes);
  r.add<ReshapeLike>("Unsqueeze", {1, 11, 13, 21}, "`qlow.reshape`",
                     reshapeNotes);
  r.add<Transpose>("Transpose", {1, 13, 21}, "`qlow.transpose`",
                   "composed with the NHWC form when that is what exists");
  r.add<Concat>("Concat", {4, 11, 13}, "`qlow.concat`",
                "of NHWC tensors in NHWC (axis mapped)");
  r.add<Pad>("Pad", {2, 11, 13}, "nothing, or an island of `tosa.pad`",
             "zero pads are nothing; otherwise `constant` mode with "
             "constant pads and value");
  r.add<Constant>("Constant", {1, 9, 11, 12, 13, 19, 21}, "constant",
                  "`value`, `value_float(s)`, `value_int(s)`");
  r.add<Identity>("Identity", {1, 13, 14, 16, 19, 21}, "nothing (alias)",
                  "of a constant: that constant");
  r.add<Dropout>("Dropout", {7, 10, 12, 13}, "nothing (alias)",
                 "inference only, no mask output")
      .outputs = 2;
  r.add<Cast>("Cast", {6, 9, 13, 19, 21}, "nothing (alias), or DQ at scale 1",
              "float32 -> float32; a quantized tensor to its own integer "
              "type, or to float (its integers); the int32 result of "
              "ConvInteger/MatMulInteger to float");
}

} // namespace mlir::qlow::onnx_import
