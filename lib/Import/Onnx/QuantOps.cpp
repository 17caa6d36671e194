//===- QuantOps.cpp - ONNX quantized models: QDQ, QLinear*, *Integer ------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// QuantizeLinear and DequantizeLinear with parameters qlow cannot make a
/// `!quant` type of: computed at run time, or per axis of a run-time tensor.
/// Both are float arithmetic on exact integers in an island (the integer
/// spec's quantize: true division, ties to even, saturation).
struct QuantParams : NodeImporter {
  using NodeImporter::NodeImporter;

  /// True when the scale and zero point make a `!quant` type for a run-time
  /// tensor: constants, one value each.
  bool perTensorConstants() {
    auto single = [&](int i) {
      DenseElementsAttr c = constantOf(i);
      return c && c.getType().getNumElements() == 1;
    };
    return single(1) && (!has(2) || single(2));
  }

  /// The axis of per-axis parameters (only checked when they are per axis).
  int64_t paramAxis(int64_t rank) {
    auto count = [&](int i) -> int64_t {
      if (!has(i))
        return 1;
      if (DenseElementsAttr c = constantOf(i))
        return c.getType().getNumElements();
      int64_t n = 1;
      for (int64_t d : shapeOf(in(i), true))
        n *= d;
      return n;
    };
    if (count(1) == 1 && count(2) == 1)
      return 0;
    return axisAttr("axis", 1, rank);
  }

  /// Input `i` (a scale, or a zero point's integers) as an f32 tensor of
  /// `rank` that broadcasts over the data: one value, or one per element of
  /// `axis` (`channels` of them).
  Value paramAtRank(int i, int64_t rank, int64_t axis, int64_t channels,
                    StringRef what) {
    SmallVector<int64_t> shape(rank, 1);
    Value v;
    int64_t n;
    if (DenseElementsAttr c = constantOf(i)) {
      n = c.getType().getNumElements();
      std::vector<float> values;
      if (isa<FloatType>(c.getElementType()))
        values = floatsOf(c);
      else
        for (int64_t x : intsOf(c))
          values.push_back(float(x));
      if (n > 1)
        shape[axis] = n;
      v = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(f32(shape), llvm::ArrayRef(values)));
    } else {
      v = onnxValue(in(i));
      if (isQuantized(v.getType())) {
        bool unused;
        v = integersOf(in(i), false, unused, auxName(in(i), "ints"));
      }
      auto type = cast<RankedTensorType>(v.getType());
      if (!isFloatTensor(type))
        nodeError(what + " must be float (or the integers of a quantized "
                         "tensor)");
      n = type.getNumElements();
      if (n > 1)
        shape[axis] = n;
      v = named(ReshapeOp::create(b, loc, f32(shape), v, StringAttr()),
                auxName(in(i), "bcast"));
    }
    if (n != 1 && n != channels)
      nodeError(what + " has " + llvm::Twine(n) + " values for an axis of " +
                llvm::Twine(channels));
    return v;
  }
};

struct QuantizeLinear : QuantParams {
  using QuantParams::QuantParams;
  void convert() override {
    const std::string &x = in(0), &y = out();
    // Without a zero point: uint8, or QuantizeLinear-21's output_dtype.
    int32_t dtype = onnx::TensorProto::UINT8;
    if (int64_t d = intAttr("output_dtype", 0))
      dtype = int32_t(d);
    Tensor &t = tensor(x);
    SmallVector<int64_t> shape =
        t.constant ? SmallVector<int64_t>(t.constant.getType().getShape())
                   : shapeOf(x);
    if (!t.constant && !perTensorConstants())
      return quantizeAtRunTime();
    quant::QuantizedType type =
        quantTypeOf(1, 2, dtype, intAttr("axis", 1), shape);
    if (t.constant) {
      if (!isa<FloatType>(t.constant.getElementType()))
        nodeError("the input must be float");
      // Quantized now, as the spec's quantize does it at run time: f32
      // division, ties to even, saturation.
      QuantConst c;
      c.type = type;
      std::vector<float> v = floatsOf(t.constant);
      ElementParams p(type, shape);
      std::vector<int64_t> q;
      for (size_t i = 0; i < v.size(); ++i) {
        int64_t ch = p.channel(int64_t(i));
        float r = std::nearbyint(v[i] / float(p.scales[ch]));
        double lo = double(type.getStorageTypeMin() - p.zps[ch]);
        double hi = double(type.getStorageTypeMax() - p.zps[ch]);
        double d = std::isnan(r) ? 0.0 : std::min(std::max(double(r), lo), hi);
        q.push_back(int64_t(d) + p.zps[ch]);
      }
      c.storage = DenseElementsAttr::get(
          RankedTensorType::get(shape, b.getI64Type()), llvm::ArrayRef(q));
      Tensor r;
      r.quantConst = c;
      s.tensors[y] = r;
      s.constantTypes[y] = has(2) ? elemTypeOf(in(2)) : dtype;
      return;
    }
    if (!perTensorConstants())
      return quantizeAtRunTime();
    bool nhwc;
    Value v = anyLayout(x, nhwc);
    auto vt = cast<RankedTensorType>(v.getType());
    if (!isa<FloatType>(vt.getElementType()))
      nodeError("the input must be float");
    defineOutput(QuantizeOp::create(b, loc, vt.clone(type), v, nameAttr(y)),
                 nhwc);
  }

private:
  /// saturate(round(x / scale) + zero point) in an island, the result the
  /// integers of a uint8/int8 tensor (scale 1).
  void quantizeAtRunTime() {
    SmallVector<int64_t> shape = shapeOf(in(0));
    int64_t rank = shape.size();
    int64_t axis = paramAxis(rank);
    int32_t dtype =
        has(2) ? elemTypeOf(in(2))
               : int32_t(intAttr("output_dtype", onnx::TensorProto::UINT8));
    if (dtype != onnx::TensorProto::UINT8 && dtype != onnx::TensorProto::INT8)
      nodeError("quantized data of element type " +
                llvm::Twine(dataTypeName(dtype)) +
                " is not supported (int8 and uint8 are)");
    Value x = onnxValue(in(0));
    Value scale = paramAtRank(1, rank, axis, shape[axis], "the scale");
    Value zp = has(2)
                   ? paramAtRank(2, rank, axis, shape[axis], "the zero point")
                   : Value();
    bool isSigned = dtype == onnx::TensorProto::INT8;
    auto i8 = RankedTensorType::get(shape, b.getI8Type());
    SmallVector<Value> operands = {x, scale};
    if (zp)
      operands.push_back(zp);
    Value q = island(out(), i8, [&]() -> Value {
      return elementwise(
          i8, operands, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
            // round(x / scale) (ties to even; NaN is 0) + zero point,
            // saturated: exact in f32, the zero point being an integer.
            Value r = math::RoundEvenOp::create(
                nb, l, arith::DivFOp::create(nb, l, v[0], v[1]));
            Value zero =
                arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0));
            Value nan =
                arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, r, r);
            r = arith::SelectOp::create(nb, l, nan, zero, r);
            if (v.size() > 2)
              r = arith::AddFOp::create(nb, l, r, v[2]);
            Value lo = arith::ConstantOp::create(
                nb, l, nb.getF32FloatAttr(isSigned ? -128 : 0));
            Value hi = arith::ConstantOp::create(
                nb, l, nb.getF32FloatAttr(isSigned ? 127 : 255));
            r = arith::MinimumFOp::create(
                nb, l, arith::MaximumFOp::create(nb, l, r, lo), hi);
            return isSigned ? arith::FPToSIOp::create(nb, l, nb.getI8Type(), r)
                                  .getResult()
                            : arith::FPToUIOp::create(nb, l, nb.getI8Type(), r)
                                  .getResult();
          });
    });
    defineOutput(quant::StorageCastOp::create(
                     b, loc, i8.clone(makeQuantType(1.0, 0, dtype, -1)), q),
                 false);
  }
};

struct DequantizeLinear : QuantParams {
  using QuantParams::QuantParams;
  void convert() override {
    const std::string &x = in(0), &y = out();
    Tensor &t = tensor(x);
    if (t.quantConst ||
        (t.constant && !isa<FloatType>(t.constant.getElementType()))) {
      DenseElementsAttr data =
          t.quantConst ? t.quantConst->storage : t.constant;
      quant::QuantizedType type = quantTypeOf(
          1, 2, elemTypeOf(x), intAttr("axis", 1), data.getType().getShape());
      if (has(2) && elemTypeOf(in(2)) != elemTypeOf(x) && elemTypeOf(x) != 0)
        nodeError("the zero point and the data have different types");
      Tensor r;
      r.dequantOf = quantConstOf(0, type);
      r.constant = dequantizeConst(*r.dequantOf);
      s.tensors[y] = r;
      return;
    }
    if (t.constant)
      nodeError("the input of DequantizeLinear must be integer data");
    bool nhwc;
    if (!perTensorConstants() || elemTypeOf(x) == onnx::TensorProto::INT32) {
      // Parameters computed at run time (DynamicQuantizeLinear's), per axis
      // of a run-time tensor, or int32 data: (q - zero point) * scale in
      // float on the exact integers.
      SmallVector<int64_t> shape = shapeOf(x, true);
      int64_t rank = shape.size();
      int64_t axis = paramAxis(rank);
      Value ints;
      if (isQuantized(anyLayout(x, nhwc).getType())) {
        ints = integersOf(x, false, nhwc, auxName(y, "ints"));
      } else {
        bool isUnsigned;
        Value raw = integersAtRank(0, rank, isUnsigned);
        ints = island(auxName(y, "ints"), f32(shape), [&]() -> Value {
          return arith::SIToFPOp::create(b, loc, f32(shape), raw);
        });
        nhwc = false;
      }
      // The parameters broadcast along the axis in the integers' layout.
      int64_t pos = layoutAxis(axis, nhwc);
      Value scale = paramAtRank(1, rank, pos, shape[axis], "the scale");
      Value zp = has(2)
                     ? paramAtRank(2, rank, pos, shape[axis], "the zero point")
                     : Value();
      if (nhwc)
        shape = toNHWC(shape);
      auto type = f32(shape);
      defineOutput(island(y, type,
                          [&]() -> Value {
                            Value v = ints;
                            if (zp)
                              v = tosa::SubOp::create(b, loc, type, v, zp);
                            return tosaMul(v, scale, type);
                          }),
                   nhwc);
      return;
    }
    Value any = anyLayout(x, nhwc);
    int32_t dtype = quantizedStorage(
        x, "it is not made by QuantizeLinear or a quantized op");
    quant::QuantizedType type =
        quantTypeOf(1, 2, dtype, intAttr("axis", 1),
                    cast<RankedTensorType>(any.getType()).getShape());
    defineOutput(dequantizeActivation(x, type, false, nhwc, y), nhwc);
  }
};

struct QLinearConv : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
    // y_zero_point, B: DequantizeLinear(x), DequantizeLinear(w) and the int32
    // bias at scale x_scale * w_scale, a float conv, QuantizeLinear(y).
    const std::string &x = in(0), &y = out();
    if (shapeOf(x, true).size() != 4)
      nodeError("only 2-D convolutions (NCHW inputs) are supported");
    bool nhwc;
    int32_t xType = quantizedStorage(x);
    quant::QuantizedType xt = quantTypeOf(1, 2, xType, -1, {});
    Value input = dequantizeActivation(x, xt, true, nhwc, auxName(y, "x"));
    DenseElementsAttr wdata = constantOf(3);
    if (!wdata)
      nodeError("the weights must be a constant");
    quant::QuantizedType wt =
        quantTypeOf(4, 5, elemTypeOf(in(3)), 0, wdata.getType().getShape());
    QuantConst w = quantConstOf(3, wt);
    Value filter = dequantConstValue(permute(w, kToNHWC), auxName(y, "w"));
    Value bias;
    if (has(8)) {
      DenseElementsAttr bdata = requireConstant(8, "the bias");
      int64_t o = wdata.getType().getDimSize(0);
      if (bdata.getType().getRank() != 1 || bdata.getType().getDimSize(0) != o)
        nodeError("the bias must have one value per output channel");
      auto xs = cast<quant::UniformQuantizedType>(xt).getScale();
      SmallVector<double> scales;
      for (int64_t c = 0; c < o; ++c) {
        double ws =
            isa<quant::UniformQuantizedPerAxisType>(wt)
                ? cast<quant::UniformQuantizedPerAxisType>(wt).getScales()[c]
                : cast<quant::UniformQuantizedType>(wt).getScale();
        scales.push_back(double(float(xs) * float(ws)));
      }
      quant::QuantizedType bt = makeQuantType(
          scales, SmallVector<int64_t>(o, 0), onnx::TensorProto::INT32, 0);
      bias = dequantConstValue(quantConstOf(8, bt), auxName(y, "b"));
    }
    Value conv = buildConv(x, input, filter, bias, auxName(y, "conv"));
    auto yt = quantTypeOf(6, 7, xType, -1, {});
    auto ct = cast<RankedTensorType>(conv.getType());
    defineOutput(QuantizeOp::create(b, loc, ct.clone(yt), conv, nameAttr(y)),
                 true);
  }
};

struct QLinearMatMul : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale,
    // y_zero_point.
    const std::string &a = in(0), &y = out();
    SmallVector<int64_t> as = shapeOf(a, true), outShape = shapeOf(y, true);
    int32_t aType = quantizedStorage(a);
    bool nhwc;
    Value lhs = dequantizeActivation(a, quantTypeOf(1, 2, aType, -1, {}), false,
                                     nhwc, auxName(y, "a"));
    if (nhwc)
      nodeError("a rank-4 left operand is not supported");
    Value rhs;
    if (DenseElementsAttr bdata = constantOf(3)) {
      if (bdata.getType().getRank() != 2)
        nodeError("constant weights must have rank 2");
      quant::QuantizedType bt =
          quantTypeOf(4, 5, elemTypeOf(in(3)), 1, bdata.getType().getShape());
      rhs = dequantConstValue(quantConstOf(3, bt), auxName(y, "b"));
    } else {
      int32_t bType = quantizedStorage(in(3));
      bool bn;
      rhs = dequantizeActivation(in(3), quantTypeOf(4, 5, bType, -1, {}), false,
                                 bn, auxName(y, "b"));
    }
    if (as.size() < 2 || as.size() > 3)
      nodeError("QLinearMatMul supports [M,K] and [B,M,K] left operands");
    Value mm =
        MatmulOp::create(b, loc, f32(outShape), lhs, rhs, Value(), FloatAttr(),
                         FloatAttr(), nameAttr(auxName(y, "matmul")));
    auto yt = quantTypeOf(6, 7, aType, -1, {});
    defineOutput(QuantizeOp::create(
                     b, loc, cast<RankedTensorType>(mm.getType()).clone(yt), mm,
                     nameAttr(y)),
                 false);
  }
};

/// ConvInteger and MatMulInteger.
struct IntegerOp : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    bool isConv = node->op_type() == "ConvInteger";
    // ConvInteger(x, w, x_zero_point, w_zero_point) and
    // MatMulInteger(a, b, a_zero_point, b_zero_point): int32 results, exact
    // integers, computed here as the float op on the integers (scale 1) minus
    // their zero points; the result is a float tensor holding those integers
    // (Cast to float is then free). Exact while |result| < 2^24.
    const std::string &x = in(0), &y = out();
    int32_t xType = quantizedStorage(
        x, "qlow reads integer tensors only from QuantizeLinear or quantized "
           "ops");
    auto zeroPointType = [&](int zpIdx, int32_t dtype) {
      int64_t z = 0;
      if (has(zpIdx)) {
        DenseElementsAttr zp = requireConstant(zpIdx, "the zero point");
        if (zp.getType().getNumElements() != 1)
          nodeError("only per-tensor zero points are supported");
        z = (*zp.getValues<APInt>().begin()).getSExtValue();
      }
      return makeQuantType(1.0, z, dtype, -1);
    };
    bool nhwc;
    Value input;
    if (has(2) && !constantOf(2)) {
      // A zero point computed at run time (DynamicQuantizeLinear's).
      Value ints = integersOf(x, isConv, nhwc, auxName(y, "x_ints"));
      input = dequantizeAtRunTime(ints, 2, -1, auxName(y, "x"));
    } else {
      input = dequantizeActivation(x, zeroPointType(2, xType), isConv, nhwc,
                                   auxName(y, "x"));
    }
    DenseElementsAttr wdata = constantOf(1);
    if (!wdata || isa<FloatType>(wdata.getElementType()))
      nodeError("the weights must be a constant integer tensor");
    int32_t wType = elemTypeOf(in(1));
    quant::QuantizedType wt = zeroPointType(3, wType);
    QuantConst w = quantConstOf(1, wt);
    Value result;
    if (isConv) {
      Value filter = dequantConstValue(permute(w, kToNHWC), auxName(y, "w"));
      result = buildConv(x, input, filter, Value(), y);
    } else {
      if (nhwc || wdata.getType().getRank() != 2)
        nodeError("MatMulInteger supports [M,K] or [B,M,K] x [K,N] constant "
                  "weights");
      result = MatmulOp::create(b, loc, f32(shapeOf(y, true)), input,
                                dequantConstValue(w, auxName(y, "w")), Value(),
                                FloatAttr(), FloatAttr(), nameAttr(y));
    }
    defineOutput(result, isConv);
    s.tensors[y].intValued = true;
  }
};

struct DynamicQuantizeLinear : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    // y = saturate(round(x / scale) + zp) as uint8, scale = (max - min) / 255
    // and zp = saturate(round(-min / scale)) over the range [min, max] of x
    // widened to include 0 (an empty range has scale 1, as in ONNX Runtime),
    // rounding half to even: in a float island, with true divisions so that
    // the integers are exactly those of the ONNX definition. y and y_zero_point
    // are u8 tensors at scale 1 (their integers); y_scale is f32.
    const std::string &y = out();
    bool nhwc;
    Value x = anyLayout(in(0), nhwc);
    auto type = cast<RankedTensorType>(x.getType());
    if (!type.getElementType().isF32())
      nodeError("the input must be float32");
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    SmallVector<int64_t> ones(rank, 1);
    auto scalar = f32(ones);
    auto i32 = [&](ArrayRef<int64_t> s) {
      return RankedTensorType::get(s, b.getI32Type());
    };
    auto i8 = [&](ArrayRef<int64_t> s) {
      return RankedTensorType::get(s, b.getI8Type());
    };
    SmallVector<Value> results =
        islandResults(y, TypeRange{i8(shape), f32({}), i8({})}, [&] {
          auto reduceAll = [&](auto tag) {
            using ReduceOp = decltype(tag);
            Value v = x;
            SmallVector<int64_t> s(shape);
            for (int64_t i = 0; i < rank; ++i) {
              s[i] = 1;
              v = ReduceOp::create(b, loc, f32(s), v, uint32_t(i));
            }
            return v;
          };
          Value zero = tosaScalar(rank, 0.0f);
          Value lo = tosa::MinimumOp::create(
              b, loc, scalar, reduceAll(tosa::ReduceMinOp()), zero);
          Value hi = tosa::MaximumOp::create(
              b, loc, scalar, reduceAll(tosa::ReduceMaxOp()), zero);
          Value range = tosa::SubOp::create(b, loc, scalar, hi, lo);
          Value scale =
              arith::DivFOp::create(b, loc, range, tosaScalar(rank, 255.0f));
          Value empty = tosa::EqualOp::create(
              b, loc, RankedTensorType::get(ones, b.getI1Type()), range, zero);
          scale = tosa::SelectOp::create(b, loc, scalar, empty,
                                         tosaScalar(rank, 1.0f), scale);
          // Casts to integers round half to even and saturate.
          auto roundClamp = [&](Value v, ArrayRef<int64_t> s) -> Value {
            Value r = tosa::CastOp::create(b, loc, i32(s), v);
            return tosa::ClampOp::create(b, loc, i32(s), r,
                                         b.getI32IntegerAttr(0),
                                         b.getI32IntegerAttr(255));
          };
          Value zp = roundClamp(
              tosa::SubOp::create(b, loc, scalar, zero,
                                  arith::DivFOp::create(b, loc, lo, scale)),
              ones);
          Value fullScale = scale;
          if (shape != ArrayRef<int64_t>(ones))
            fullScale =
                tosa::TileOp::create(b, loc, type, scale, tosaShape(shape));
          Value q = tosa::CastOp::create(
              b, loc, i32(shape), arith::DivFOp::create(b, loc, x, fullScale));
          Value y = tosa::ClampOp::create(
              b, loc, i32(shape),
              tosa::AddOp::create(b, loc, i32(shape), q, zp),
              b.getI32IntegerAttr(0), b.getI32IntegerAttr(255));
          return SmallVector<Value>{
              tosa::CastOp::create(b, loc, i8(shape), y),
              tosaReshape(scale, {}),
              tosaReshape(tosa::CastOp::create(b, loc, i8(ones), zp), {})};
        });
    quant::QuantizedType u8 =
        makeQuantType(1.0, 0, onnx::TensorProto::UINT8, -1);
    auto integers = [&](Value storage) -> Value {
      auto t = cast<RankedTensorType>(storage.getType());
      return quant::StorageCastOp::create(b, loc, t.clone(u8), storage);
    };
    defineOutput(integers(results[0]), nhwc);
    if (hasOutput(1))
      define(out(1), results[1], false);
    if (hasOutput(2))
      define(out(2), integers(results[2]), false);
  }
};

/// QuantizeLinear/DequantizeLinear-19 and -21 shown as 13: without
/// saturate (float8 only) and output_dtype (read by the converter); 21's
/// block quantization is not supported.
std::optional<StandIn> quantStandIn(const onnx::NodeProto &n, int64_t version,
                                    ConstantInts) {
  if (version < 19)
    return std::nullopt;
  int64_t outputType = 0;
  for (const onnx::AttributeProto &a : n.attribute()) {
    if (a.name() == "block_size" && a.i() != 0)
      fail("block-wise quantization (block_size = " + llvm::Twine(a.i()) +
           ") is not supported (" + describe(n) + ")");
    if (a.name() == "output_dtype")
      outputType = a.i();
  }
  StandIn standIn(
      withoutAttributes(n, {"saturate", "output_dtype", "block_size"}));
  if (outputType && (n.input_size() < 3 || n.input(2).empty())) {
    // output_dtype without a zero point: a zero point of that type (0)
    // says the same to version 13.
    onnx::TensorProto zp;
    zp.set_name(nodeName(n) + "__qlow_output_dtype_zero_point");
    zp.set_data_type(int32_t(outputType));
    zp.add_int32_data(0);
    while (standIn.node.input_size() < 2)
      standIn.node.add_input("");
    if (standIn.node.input_size() < 3)
      standIn.node.add_input(zp.name());
    else
      standIn.node.set_input(2, zp.name());
    standIn.initializers.push_back(zp);
  }
  return standIn;
}

} // namespace

void registerQuantConverters(ConverterRegistry &r) {
  // 19's saturate applies to float8 only; 21's block quantization is not
  // supported (block_size 0), output_dtype is read by the converter.
  r.add<QuantizeLinear>(
       "QuantizeLinear", {10, 13, 19, 21}, "`qlow.quantize`, or an island",
       "per tensor with constant parameters: `qlow.quantize` (int8/uint8 "
       "zero point; uint8 without one); of a constant: quantized at import, "
       "per axis too; per axis or with run-time parameters: an island "
       "computing the integers (true division, ties to even, saturation)")
      .standIn = quantStandIn;
  r.add<DequantizeLinear>(
       "DequantizeLinear", {10, 13, 19, 21}, "`qlow.dequantize`",
       "of a quantized tensor; of constant int8/uint8/int32 data: "
       "`quant.scast` of the integers (per axis for vector scales) + "
       "`qlow.dequantize`; with run-time parameters, per axis of a run-time "
       "tensor, or of int32 data: island `(integers - zero point) * scale`")
      .standIn = quantStandIn;
  r.add<QLinearConv>("QLinearConv", {10}, "DQ -> `qlow.conv2d` -> Q",
                     "the int32 bias at scale `x_scale * w_scale`");
  r.add<QLinearMatMul>("QLinearMatMul", {10, 21}, "DQ -> `qlow.matmul` -> Q",
                       "");
  StringRef integerNotes =
      "an int32 result held as exact float integers; `Cast` to float is "
      "free; a run-time input zero point (DynamicQuantizeLinear's) is "
      "subtracted in an island";
  r.add<IntegerOp>("ConvInteger", {10},
                   "`qlow.conv2d` on the integers (scale 1) minus their zero "
                   "points",
                   integerNotes);
  r.add<IntegerOp>("MatMulInteger", {10},
                   "`qlow.matmul` on the integers minus their zero points",
                   integerNotes);
  r.add<DynamicQuantizeLinear>("DynamicQuantizeLinear", {11},
                               "one island with three results",
                               "see onnx.md, Dynamic quantization")
      .outputs = 3;
}

} // namespace mlir::qlow::onnx_import
