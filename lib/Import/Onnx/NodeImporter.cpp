//===- NodeImporter.cpp - the binder and builders every converter uses ----===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

void fail(const llvm::Twine &message) { throw ImportError(message.str()); }

std::string nodeName(const onnx::NodeProto &node) {
  return node.name().empty() && node.output_size() ? node.output(0)
                                                   : node.name();
}

std::string describe(const onnx::NodeProto &node) {
  return "node '" + nodeName(node) + "', op '" + node.op_type() + "'";
}

const char *dataTypeName(int32_t t) {
  if (onnx::TensorProto_DataType_IsValid(t))
    return onnx::TensorProto_DataType_Name(
               static_cast<onnx::TensorProto_DataType>(t))
        .c_str();
  return "unknown";
}

bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

ImportState::ImportState(MLIRContext &ctx, onnx::ModelProto &model,
                         StringRef source, const OnnxImportOptions &options)
    : ctx(ctx), model(model), graph(*model.mutable_graph()), options(options),
      b(&ctx), fileLoc(FileLineColLoc::get(&ctx, source, 0, 0)) {}

NodeImporter::NodeImporter(ImportState &s, const onnx::NodeProto *node,
                           int64_t version)
    : NodeView(node, version), s(s), b(s.b), loc(s.fileLoc) {
  if (node)
    loc = NameLoc::get(b.getStringAttr(nodeName(*node)), s.fileLoc);
}

//===----------------------------------------------------------------------===//
// Errors and attributes
//===----------------------------------------------------------------------===//

void NodeView::nodeError(const llvm::Twine &what) const {
  if (!node) // the graph outputs
    fail(what);
  fail(what + " (" + describe(*node) + ")");
}

const onnx::AttributeProto *NodeView::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeView::intAttr(StringRef name, int64_t dflt) const {
  auto *a = attr(name);
  return a ? a->i() : dflt;
}

int64_t NodeView::normalizeAxis(int64_t axis, int64_t rank,
                                StringRef what) const {
  if (axis < -rank || axis >= rank)
    nodeError(what + " = " + llvm::Twine(axis) + " is out of range for rank " +
              llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

int64_t NodeView::axisAttr(StringRef name, int64_t dflt, int64_t rank) const {
  return normalizeAxis(intAttr(name, dflt), rank,
                       ("attribute '" + name + "'").str());
}

float NodeView::floatAttr(StringRef name, float dflt) const {
  auto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string NodeView::stringAttr(StringRef name, StringRef dflt) const {
  auto *a = attr(name);
  return a ? a->s() : dflt.str();
}

SmallVector<int64_t> NodeView::intsAttr(StringRef name,
                                        ArrayRef<int64_t> dflt) const {
  auto *a = attr(name);
  if (!a)
    return SmallVector<int64_t>(dflt);
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

void NodeView::allowAttributes(ArrayRef<StringRef> known) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (!llvm::is_contained(known, a.name()))
      nodeError("attribute '" + a.name() + "' is not supported");
}

std::string NodeImporter::auxName(StringRef base, StringRef suffix) {
  std::string name = (base + "_" + suffix).str();
  for (unsigned i = 1; s.usedNames.contains(name); ++i)
    name = (base + "_" + suffix + "_" + llvm::Twine(i)).str();
  s.usedNames.insert(name);
  return name;
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

Tensor &NodeImporter::tensor(StringRef name) {
  auto it = s.tensors.find(name);
  if (it == s.tensors.end())
    nodeError("input '" + name + "' is not defined");
  return it->second;
}

DenseElementsAttr NodeImporter::requireConstant(int i, StringRef what) {
  DenseElementsAttr c = constantOf(i);
  if (!c)
    nodeError(what + " must be a constant (an initializer)");
  return c;
}

SmallVector<int64_t> NodeImporter::requireInts(int i, StringRef what) {
  DenseElementsAttr c = requireConstant(i, what);
  if (isa<FloatType>(c.getElementType()))
    nodeError(what + " must be integers");
  std::vector<int64_t> v = intsOf(c);
  return SmallVector<int64_t>(v.begin(), v.end());
}

Value NodeImporter::materialize(DenseElementsAttr c) {
  if (!isa<FloatType>(c.getElementType()))
    nodeError("an integer tensor is used as data; qlow models compute on "
              "float32");
  return arith::ConstantOp::create(b, loc, c);
}

Value NodeImporter::anyLayout(StringRef name, bool &isNHWC) {
  Tensor &t = tensor(name);
  isNHWC = bool(t.nhwc);
  return isNHWC ? t.nhwc : onnxValue(name);
}

void NodeImporter::define(StringRef name, Value v, bool isNHWC) {
  Tensor t;
  (isNHWC ? t.nhwc : t.onnx) = v;
  s.tensors[name] = t;
}

void NodeImporter::defineConstant(StringRef name, DenseElementsAttr c) {
  Tensor t;
  t.constant = c;
  s.tensors[name] = t;
}

void NodeImporter::alias() {
  s.tensors[out(0)] = tensor(in(0));
  if (auto it = s.constantTypes.find(in(0)); it != s.constantTypes.end())
    s.constantTypes[out(0)] = it->second;
}

Value NodeImporter::selectAlong(Value v, int64_t axis,
                                ArrayRef<int64_t> indices, StringRef name) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t n = indices.size(), dim = type.getDimSize(axis);
  if (n == dim && llvm::equal(indices, llvm::seq<int64_t>(0, n)))
    return v;
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = n;
  int64_t step = n > 1 ? indices[1] - indices[0] : 1;
  bool even = step > 0;
  for (int64_t i = 1; i < n && even; ++i)
    even = indices[i] - indices[i - 1] == step;
  if (even) {
    SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
    offsets[axis] = indices[0];
    strides[axis] = step;
    return SliceOp::create(b, loc, type.clone(shape), v, offsets, strides,
                           nameAttr(name));
  }
  return GatherOp::create(b, loc, type.clone(shape), v, axis, indices,
                          nameAttr(name));
}

Value NodeImporter::scaleBy(Value v, float factor, StringRef name) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> ones(type.getRank(), 1);
  Value c = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(f32(ones), factor));
  return MulOp::create(b, loc, type, v, c, FloatAttr(), FloatAttr(),
                       nameAttr(name));
}

//===----------------------------------------------------------------------===//
// Islands and TOSA
//===----------------------------------------------------------------------===//

Value NodeImporter::island(StringRef name, RankedTensorType type,
                           llvm::function_ref<Value()> body) {
  return islandResults(name, type,
                       [&] { return SmallVector<Value>{body()}; })[0];
}

Value NodeImporter::tosaConst(ArrayRef<int64_t> shape, float value) {
  auto type = f32(shape);
  return tosa::ConstOp::create(b, loc, type,
                               DenseElementsAttr::get(type, value));
}

Value NodeImporter::tosaShape(ArrayRef<int64_t> values) {
  ImplicitLocOpBuilder ib(loc, b);
  return tosa::getTosaConstShape(ib, values);
}

Value NodeImporter::tosaReshape(Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType()).clone(shape);
  return tosa::ReshapeOp::create(b, loc, type, x, tosaShape(shape));
}

Value NodeImporter::tosaMul(Value x, Value y, Type type) {
  auto shiftType = RankedTensorType::get({1}, b.getI8Type());
  Value shift = tosa::ConstOp::create(
      b, loc, shiftType, DenseElementsAttr::get(shiftType, int8_t(0)));
  return tosa::MulOp::create(b, loc, type, x, y, shift);
}

Value NodeImporter::buildGlobalPool(bool isMax, StringRef x, StringRef name) {
  SmallVector<int64_t> s = shapeOf(x, isMax);
  if (s.size() != 4)
    nodeError("only NCHW (rank 4) inputs are supported");
  Value input = nhwcValue(x);
  auto type = cast<RankedTensorType>(input.getType()).clone({s[0], 1, 1, s[1]});
  if (isMax)
    return MaxPool2DOp::create(
        b, loc, type, input, ArrayRef<int64_t>{s[2], s[3]},
        ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0}, nameAttr(name));
  return GlobalAvgPoolOp::create(b, loc, type, input, nameAttr(name));
}

int32_t NodeImporter::quantizedStorage(StringRef name, StringRef why) {
  Tensor &t = tensor(name);
  Value v = t.nhwc ? t.nhwc : onnxValue(name);
  quant::QuantizedType q = getQuantElementType(v.getType());
  if (!q)
    nodeError("the input '" + name + "' is not quantized" +
              (why.empty() ? std::string() : " (" + why.str() + ")"));
  return storageDataType(q);
}

int32_t NodeImporter::storageDataType(quant::QuantizedType q) {
  if (q.getStorageTypeIntegralWidth() > 8)
    return onnx::TensorProto::INT32;
  return q.isSigned() ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
}

SmallVector<int64_t> NodeImporter::shapeOf(StringRef name, bool anyType) {
  auto it = s.types.find(name);
  std::string what = node ? " (" + describe(*node) + ")" : "";
  // Initializers have no inferred type: their data has the shape.
  if (it == s.types.end())
    if (auto c = s.tensors.find(name); c != s.tensors.end() &&
                                       c->second.constant && !c->second.onnx &&
                                       !c->second.nhwc)
      return SmallVector<int64_t>(c->second.constant.getType().getShape());
  if (it == s.types.end() || !it->second->has_tensor_type() ||
      !it->second->tensor_type().has_shape())
    fail("cannot infer the shape of '" + name + "'" + what);
  const onnx::TypeProto_Tensor &tt = it->second->tensor_type();
  if (!anyType && tt.elem_type() != onnx::TensorProto::FLOAT)
    fail("tensor '" + name + "' has element type " +
         dataTypeName(tt.elem_type()) +
         "; qlow imports float32 computations only" + what);
  SmallVector<int64_t> shape;
  for (const auto &d : tt.shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() < 0)
      fail("cannot infer a static shape for '" + name + "'" + what +
           (d.has_dim_param() ? " (dimension '" + d.dim_param() + "')"
                              : std::string()));
    if (d.dim_value() == 0)
      fail("tensor '" + name +
           "' has a zero-sized dimension, which qlow "
           "does not support" +
           what);
    shape.push_back(d.dim_value());
  }
  return shape;
}

Value NodeImporter::onnxValue(StringRef name) {
  Tensor &t = tensor(name);
  if (t.onnx)
    return t.onnx;
  if (t.quantConst) {
    t.onnx = quantConstValue(*t.quantConst);
    return t.onnx;
  }
  if (t.dequantOf) {
    t.onnx = dequantConstValue(*t.dequantOf, name);
    return t.onnx;
  }
  if (t.constant) {
    t.onnx = materialize(t.constant);
    return t.onnx;
  }
  auto type = cast<RankedTensorType>(t.nhwc.getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    nodeError("a per-axis quantized tensor cannot change layout");
  ArrayRef<int64_t> s = type.getShape();
  t.onnx =
      named(TransposeOp::create(b, loc, type.clone({s[0], s[3], s[1], s[2]}),
                                t.nhwc, kToNCHW, StringAttr()),
            auxName(name, "nchw"));
  return t.onnx;
}

Value NodeImporter::nhwcValue(StringRef name) {
  Tensor &t = tensor(name);
  if (t.nhwc)
    return t.nhwc;
  if (t.constant || t.quantConst) {
    DenseElementsAttr data = t.constant ? t.constant : t.quantConst->storage;
    if (data.getType().getRank() != 4)
      nodeError("expects a rank-4 tensor, got '" + name + "'");
    if (t.quantConst)
      return quantConstValue(permute(*t.quantConst, kToNHWC));
    if (t.dequantOf)
      return dequantConstValue(permute(*t.dequantOf, kToNHWC),
                               auxName(name, "nhwc"));
    return materialize(permute(t.constant, kToNHWC));
  }
  auto type = cast<RankedTensorType>(t.onnx.getType());
  if (type.getRank() != 4)
    nodeError("expects a rank-4 (NCHW) tensor, got '" + name + "' of rank " +
              llvm::Twine(type.getRank()));
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    nodeError("a per-axis quantized tensor cannot change layout");
  t.nhwc =
      named(TransposeOp::create(b, loc, type.clone(toNHWC(type.getShape())),
                                t.onnx, kToNHWC, StringAttr()),
            auxName(name, "nhwc"));
  return t.nhwc;
}

Value NodeImporter::toRank(Value v, int64_t rank, StringRef base) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == rank)
    return v;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return named(ReshapeOp::create(b, loc, type.clone(shape), v, StringAttr()),
               auxName(base, "bcast"));
}

Value NodeImporter::integersAtRank(int i, int64_t rank, bool &isUnsigned) {
  int32_t dtype = elemTypeOf(in(i));
  isUnsigned =
      dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::UINT16 ||
      dtype == onnx::TensorProto::UINT32 ||
      dtype == onnx::TensorProto::UINT64 || dtype == onnx::TensorProto::BOOL;
  if (DenseElementsAttr c = constantOf(i)) {
    if (isa<FloatType>(c.getElementType()))
      nodeError("input '" + in(i) + "' is not an integer tensor");
    unsigned width = dtype == onnx::TensorProto::INT64   ? 64
                     : dtype == onnx::TensorProto::INT32 ? 32
                     : dtype == onnx::TensorProto::BOOL  ? 1
                                                         : 8;
    auto type = c.getType();
    SmallVector<int64_t> shape(rank - type.getRank(), 1);
    llvm::append_range(shape, type.getShape());
    SmallVector<APInt> values;
    for (int64_t v : intsOf(c))
      values.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                             /*implicitTrunc=*/true));
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get(shape, b.getIntegerType(width)), values));
  }
  Value v = onnxValue(in(i));
  auto type = cast<RankedTensorType>(v.getType());
  if (quant::QuantizedType q = getQuantElementType(type)) {
    auto u = dyn_cast<quant::UniformQuantizedType>(q);
    if (!u || u.getScale() != 1.0 || u.getZeroPoint() != 0)
      nodeError("input '" + in(i) +
                "' is quantized; integer arithmetic "
                "reads plain integer tensors");
    v = quant::StorageCastOp::create(b, loc, type.clone(q.getStorageType()), v);
  } else if (!type.getElementType().isSignlessInteger()) {
    nodeError("input '" + in(i) + "' is not an integer tensor");
  }
  return toRank(v, rank, in(i));
}

Value NodeImporter::elementwise(
    RankedTensorType resultType, ValueRange operands,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value v : operands) {
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(shape[d] == 1 && resultType.getDimSize(d) != 1
                          ? b.getAffineConstantExpr(0)
                          : b.getAffineDimExpr(d));
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, operands, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value r = body(nb, l, args.drop_back());
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

DenseElementsAttr NodeImporter::constantForRank(DenseElementsAttr c,
                                                int64_t rank, bool nhwc) {
  auto type = cast<RankedTensorType>(c.getType());
  if (!isa<FloatType>(type.getElementType()))
    nodeError("an integer tensor is used as data; qlow models compute on "
              "float32");
  if (type.getRank() > rank)
    nodeError("a constant operand has a higher rank than the result");
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  c = c.reshape(type.clone(shape));
  return nhwc ? permute(c, kToNHWC) : c;
}

Value NodeImporter::inputForRank(int i, int64_t rank) {
  if (DenseElementsAttr c = constantOf(i))
    return materialize(constantForRank(c, rank, false));
  return toRank(onnxValue(node->input(i)), rank, node->input(i));
}

SmallVector<Value>
NodeImporter::islandResults(StringRef name, TypeRange types,
                            llvm::function_ref<SmallVector<Value>()> body,
                            StringRef reason) {
  std::string why = !reason.empty() ? reason.str()
                    : node ? "no quantized kernel for " + node->op_type()
                           : std::string("at the graph boundary");
  auto op = FloatIslandOp::create(b, loc, types, why, nameAttr(name));
  Block *block = new Block();
  op.getBody().push_back(block);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(block);
  SmallVector<Value> results = body();
  YieldOp::create(b, loc, results);
  return SmallVector<Value>(op.getResults());
}

SmallVector<int64_t> NodeImporter::windowPadding(ArrayRef<int64_t> in,
                                                 ArrayRef<int64_t> kernel,
                                                 ArrayRef<int64_t> strides,
                                                 ArrayRef<int64_t> dilations) {
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  SmallVector<int64_t> pads = intsAttr("pads", {0, 0, 0, 0});
  if (pads.size() != 4)
    nodeError("expects 4 pads for a 2-D window, got " +
              llvm::Twine(pads.size()));
  if (autoPad == "NOTSET")
    return {pads[0], pads[2], pads[1], pads[3]};
  if (autoPad == "VALID")
    return {0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    nodeError("unknown auto_pad '" + autoPad + "'");
  SmallVector<int64_t> out;
  for (int i = 0; i < 2; ++i) {
    int64_t o = (in[i] + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (o - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
    int64_t small = total / 2, large = total - small;
    if (autoPad == "SAME_UPPER")
      out.append({small, large});
    else
      out.append({large, small});
  }
  return out;
}

Value NodeImporter::buildConv(StringRef x, Value input, Value filter,
                              Value bias, StringRef name) {
  const std::string &out = node->output(0);
  SmallVector<int64_t> inShape = shapeOf(x, true),
                       outShape = shapeOf(out, true);
  if (inShape.size() != 4)
    nodeError("only 2-D convolutions (NCHW inputs) are supported, got rank " +
              llvm::Twine(inShape.size()));
  auto fs = cast<RankedTensorType>(filter.getType()).getShape(); // OHWI
  if (fs.size() != 4)
    nodeError("the weights must have rank 4");
  SmallVector<int64_t> ws = {fs[0], fs[3], fs[1], fs[2]};
  int64_t groups = intAttr("group", 1);
  SmallVector<int64_t> strides = intsAttr("strides", {1, 1});
  SmallVector<int64_t> dilations = intsAttr("dilations", {1, 1});
  SmallVector<int64_t> kernel = intsAttr("kernel_shape", {ws[2], ws[3]});
  if (strides.size() != 2 || dilations.size() != 2 || kernel.size() != 2 ||
      kernel[0] != ws[2] || kernel[1] != ws[3])
    nodeError("kernel_shape, strides and dilations must have 2 entries that "
              "match the weights");
  SmallVector<int64_t> padding =
      windowPadding({inShape[2], inShape[3]}, kernel, strides, dilations);
  if (outShape.size() != 4)
    nodeError("the result must have rank 4");
  return Conv2DOp::create(b, loc, f32(toNHWC(outShape)), input, filter, bias,
                          strides, padding, dilations, groups, FloatAttr(),
                          FloatAttr(), nameAttr(name));
}

int32_t NodeImporter::elemTypeOf(StringRef name) {
  if (auto it = s.constantTypes.find(name); it != s.constantTypes.end())
    return it->second;
  const onnx::TypeProto *t = s.types.lookup(name);
  if (t && t->has_tensor_type())
    return t->tensor_type().elem_type();
  return 0;
}

quant::QuantizedType NodeImporter::makeQuantType(ArrayRef<double> scales,
                                                 ArrayRef<int64_t> zps,
                                                 int32_t dtype, int64_t axis) {
  for (double sc : scales)
    if (!(std::isfinite(sc) && sc > 0.0))
      nodeError("the quantization scale must be positive and finite, got " +
                llvm::Twine(std::to_string(sc)));
  int64_t qmin, qmax;
  unsigned width = 8;
  bool isSigned = true;
  switch (dtype) {
  case onnx::TensorProto::INT8:
    qmin = -128, qmax = 127;
    break;
  case onnx::TensorProto::UINT8:
    qmin = 0, qmax = 255, isSigned = false;
    break;
  case onnx::TensorProto::INT32:
    qmin = INT32_MIN, qmax = INT32_MAX, width = 32;
    break;
  default:
    nodeError("quantized data of element type " +
              llvm::Twine(dataTypeName(dtype)) +
              " is not supported (int8, uint8 and int32 are)");
  }
  for (int64_t z : zps)
    if (z < qmin || z > qmax)
      nodeError("zero point " + llvm::Twine(z) + " is outside the range of " +
                dataTypeName(dtype));
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = b.getIntegerType(width);
  if (axis < 0)
    return quant::UniformQuantizedType::get(flags, storage, b.getF32Type(),
                                            scales[0], zps[0], qmin, qmax);
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, b.getF32Type(), scales, zps, int32_t(axis), qmin, qmax);
}

quant::QuantizedType NodeImporter::quantTypeOf(int scaleIdx, int zpIdx,
                                               int32_t dtype, int64_t axis,
                                               ArrayRef<int64_t> shape) {
  DenseElementsAttr sc = requireConstant(scaleIdx, "the scale");
  if (!isa<FloatType>(sc.getElementType()))
    nodeError("the scale must be a float tensor");
  SmallVector<double> scales;
  for (float f : floatsOf(sc))
    scales.push_back(double(f));
  SmallVector<int64_t> zps;
  if (has(zpIdx)) {
    DenseElementsAttr zp = requireConstant(zpIdx, "the zero point");
    if (isa<FloatType>(zp.getElementType()))
      nodeError("the zero point must be an integer tensor");
    for (APInt v : zp.getValues<APInt>())
      zps.push_back(v.getSExtValue());
    dtype = elemTypeOf(node->input(zpIdx));
    if (zp.getType().getNumElements() != sc.getType().getNumElements())
      nodeError("the scale and the zero point have different sizes");
  } else {
    zps.assign(scales.size(), 0);
  }
  if (scales.empty())
    nodeError("the scale is empty");
  bool perAxis = sc.getType().getRank() > 0 && scales.size() > 1;
  if (sc.getType().getRank() > 1)
    nodeError("the scale must be a scalar or a 1-D tensor");
  if (!perAxis)
    return makeQuantType(scales[0], zps[0], dtype, -1);
  int64_t rank = shape.size();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    nodeError("axis " + llvm::Twine(axis) + " is out of range");
  if (shape[axis] != int64_t(scales.size()))
    nodeError("per-axis quantization has " + llvm::Twine(scales.size()) +
              " scales for a dimension of size " + llvm::Twine(shape[axis]));
  return makeQuantType(scales, zps, dtype, axis);
}

QuantConst NodeImporter::quantConstOf(int i, quant::QuantizedType type) {
  Tensor &t = tensor(node->input(i));
  DenseElementsAttr data = t.quantConst ? t.quantConst->storage : t.constant;
  if (!data || isa<FloatType>(data.getElementType()))
    nodeError("input '" + node->input(i) + "' must be constant integer data");
  int64_t lo = type.getStorageTypeMin(), hi = type.getStorageTypeMax();
  for (APInt v : data.getValues<APInt>())
    if (v.getSExtValue() < lo || v.getSExtValue() > hi)
      nodeError("input '" + node->input(i) + "' holds " +
                llvm::Twine(v.getSExtValue()) +
                ", outside the range of its type");
  return {data, type};
}

Value NodeImporter::quantConstValue(const QuantConst &c) {
  auto shape = c.storage.getType().getShape();
  unsigned width = c.type.getStorageTypeIntegralWidth();
  auto intType = RankedTensorType::get(shape, b.getIntegerType(width));
  SmallVector<APInt> values;
  for (APInt v : c.storage.getValues<APInt>())
    values.push_back(APInt(width, uint64_t(v.getSExtValue()),
                           /*isSigned=*/true, /*implicitTrunc=*/true));
  Value ints = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(intType, values));
  return quant::StorageCastOp::create(
      b, loc, RankedTensorType::get(shape, c.type), ints);
}

Value NodeImporter::dequantConstValue(const QuantConst &c, StringRef name) {
  Value q = quantConstValue(c);
  auto shape = c.storage.getType().getShape();
  return DequantizeOp::create(b, loc, f32(shape), q, nameAttr(name));
}

Value NodeImporter::dequantizeActivation(StringRef name,
                                         quant::QuantizedType type,
                                         bool forceNHWC, bool &nhwc,
                                         StringRef dqName) {
  Tensor &t = tensor(name);
  Value q;
  if (forceNHWC) {
    q = nhwcValue(name);
    nhwc = true;
  } else if (t.nhwc) {
    q = t.nhwc;
    nhwc = true;
  } else {
    q = onnxValue(name);
    nhwc = false;
  }
  auto qt = cast<RankedTensorType>(q.getType());
  auto have = getQuantElementType(qt);
  if (!have)
    nodeError("input '" + name + "' is not a quantized tensor");
  if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    (void)pa;
    nodeError("per-axis dequantization of a run-time tensor is not supported");
  }
  if (have != type) {
    if (have.getStorageType() != type.getStorageType() ||
        have.isSigned() != type.isSigned())
      nodeError("input '" + name + "' has another integer type");
    // The same integers read with other parameters.
    Value ints = quant::StorageCastOp::create(
        b, loc, qt.clone(type.getStorageType()), q);
    q = quant::StorageCastOp::create(b, loc, qt.clone(type), ints);
  }
  return DequantizeOp::create(b, loc, qt.clone(b.getF32Type()), q,
                              nameAttr(dqName));
}

Value NodeImporter::weightValue(int i, ArrayRef<int64_t> perm, StringRef what) {
  Tensor &t = tensor(node->input(i));
  if (t.dequantOf && t.dequantOf->type.getStorageTypeIntegralWidth() <= 8)
    return dequantConstValue(perm.empty() ? *t.dequantOf
                                          : permute(*t.dequantOf, perm),
                             auxName(node->input(i), "w"));
  DenseElementsAttr c = requireConstant(i, what);
  return materialize(perm.empty() ? c : permute(c, perm));
}

Value NodeImporter::biasValue(int i, StringRef what) {
  Tensor &t = tensor(node->input(i));
  if (t.dequantOf)
    return dequantConstValue(*t.dequantOf, auxName(node->input(i), "b"));
  return materialize(requireConstant(i, what));
}

Value NodeImporter::integersOf(StringRef name, bool forceNHWC, bool &nhwc,
                               StringRef dqName) {
  Tensor &t = tensor(name);
  Value any = t.nhwc ? t.nhwc : onnxValue(name);
  quant::QuantizedType q = getQuantElementType(any.getType());
  if (!q || isa<quant::UniformQuantizedPerAxisType>(q))
    nodeError("input '" + name +
              "' is not a per-tensor quantized tensor "
              "(qlow reads integer tensors only from QuantizeLinear, "
              "DynamicQuantizeLinear or quantized ops)");
  return dequantizeActivation(name,
                              makeQuantType(1.0, 0, storageDataType(q), -1),
                              forceNHWC, nhwc, dqName);
}

Value NodeImporter::scalarOperand(int i, int64_t rank, StringRef what) {
  auto ones = f32(SmallVector<int64_t>(rank, 1));
  if (DenseElementsAttr c = constantOf(i)) {
    if (c.getType().getNumElements() != 1)
      nodeError(what + " must be a single value");
    float v = isa<FloatType>(c.getElementType())
                  ? floatsOf(c)[0]
                  : float((*c.getValues<APInt>().begin()).getSExtValue());
    return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(ones, v));
  }
  const std::string &name = node->input(i);
  bool nhwc;
  Value v = isQuantized(onnxValue(name))
                ? integersOf(name, false, nhwc, auxName(name, "ints"))
                : onnxValue(name);
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() != 1)
    nodeError(what + " must be a single value (per-axis parameters must be "
                     "constants)");
  if (type == ones)
    return v;
  return named(ReshapeOp::create(b, loc, ones, v, StringAttr()),
               auxName(name, "bcast"));
}

Value NodeImporter::dequantizeAtRunTime(Value ints, int zpIdx, int scaleIdx,
                                        StringRef name) {
  auto type = cast<RankedTensorType>(ints.getType());
  int64_t rank = type.getRank();
  Value zp =
      zpIdx >= 0 ? scalarOperand(zpIdx, rank, "the zero point") : Value();
  Value scale =
      scaleIdx >= 0 ? scalarOperand(scaleIdx, rank, "the scale") : Value();
  return island(name, type, [&] {
    Value v = ints;
    if (zp)
      v = tosa::SubOp::create(b, loc, type, v, zp);
    return scale ? tosaMul(v, scale, type) : v;
  });
}

} // namespace mlir::qlow::onnx_import
