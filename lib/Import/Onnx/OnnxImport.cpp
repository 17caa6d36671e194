//===- OnnxImport.cpp - ONNX models into qlow ops -------------------------===//
//
// This file is compiled with C++ exceptions (libonnx and protobuf throw; the
// rest of qlow is built like LLVM, without them). Inside, an import error is
// an `ImportError` exception; `importOnnxModelFromBuffer` catches it, and
// every exception from libonnx, and turns them into MLIR diagnostics. Nothing
// is thrown from inside an MLIR/LLVM callback, so no exception crosses a
// frame compiled without them.
//
// Layout: ONNX is NCHW, qlow's convolutions and pools are NHWC. Every tensor
// is tracked in up to two forms, its ONNX layout and (rank 4) its NHWC
// permutation; each form is made (with a qlow.transpose) only when an op
// needs it, once. Convolutions, pools and batch-norm produce the NHWC form,
// element-wise ops keep whichever form their operands have, and anything
// layout-sensitive (reshape, gemm, softmax, the graph outputs) asks for the
// ONNX form. A chain conv -> relu -> pool -> conv therefore has no transposes
// in it, and `Flatten` of a [N,C,1,1] tensor reshapes the NHWC form directly
// (same element order).
//
//===----------------------------------------------------------------------===//
#include "qlow/Import/OnnxImport.h"

#include "Qlow/IR/QlowOps.h"
#include "qlow/Transforms/Utils.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

using namespace mlir;
using namespace mlir::qlow;

namespace {

/// The default-domain opsets qlow imports. libonnx 1.12 knows opsets up to
/// 17; 18 to 20 change none of the ops qlow imports for the data types it
/// reads (docs/onnx.md), so libonnx checks them with its newest schemas.
constexpr int64_t kMinOpset = 13, kMaxOpset = 20;
/// ai.onnx Gelu exists from opset 20.
constexpr int64_t kGeluOpset = 20;
/// ONNX Runtime's contrib-op domain.
constexpr llvm::StringLiteral kMicrosoftDomain = "com.microsoft";

/// An import error: the message says what and where (node and op type).
struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const llvm::Twine &message) {
  throw ImportError(message.str());
}

std::string describe(const onnx::NodeProto &node) {
  std::string name = node.name().empty()
                         ? (node.output_size() ? node.output(0) : std::string())
                         : node.name();
  return "node '" + name + "', op '" + node.op_type() + "'";
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

/// The Gelu family: ai.onnx Gelu (opset 20) and ONNX Runtime's com.microsoft
/// Gelu, FastGelu and BiasGelu. libonnx 1.12 has no schema for any of them,
/// so qlow checks them itself (they are element-wise: their output has the
/// type and shape of their first input).
bool isGeluOp(const onnx::NodeProto &n) {
  if (isDefaultDomain(n.domain()))
    return n.op_type() == "Gelu";
  return n.domain() == kMicrosoftDomain &&
         llvm::is_contained({"Gelu", "FastGelu", "BiasGelu"}, n.op_type());
}

/// The op types this importer understands in the default domain.
bool isSupportedOpType(llvm::StringRef t) {
  static const llvm::StringSet<> ops = {
      "Conv",      "Gemm",        "MatMul",
      "Add",       "Sub",         "Mul",
      "Div",       "Relu",        "Clip",
      "LeakyRelu", "Sigmoid",     "Tanh",
      "HardSigmoid", "HardSwish", "Erf",
      "MaxPool",   "AveragePool", "GlobalAveragePool",
      "Flatten",   "Reshape",     "Transpose",
      "Squeeze",   "Unsqueeze",   "Concat",
      "Softmax",   "BatchNormalization", "LayerNormalization",
      "Constant",  "Identity",    "Cast",
      "Dropout",   "QuantizeLinear", "DequantizeLinear",
      "QLinearConv", "QLinearMatMul", "ConvInteger",
      "MatMulInteger", "DynamicQuantizeLinear", "Gelu",
      "Pad"};
  return ops.contains(t);
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// ONNX dims -> NHWC dims for a rank-4 shape.
SmallVector<int64_t> toNHWC(ArrayRef<int64_t> s) {
  return {s[0], s[2], s[3], s[1]};
}

constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

/// True when the NHWC and the NCHW form of a rank-4 shape hold their elements
/// in the same order (C == 1 or H*W == 1), so a reshape may use either.
bool sameOrder(ArrayRef<int64_t> s) {
  return s.size() == 4 && (s[1] == 1 || s[2] * s[3] == 1);
}

/// A DenseElementsAttr from an ONNX TensorProto (float, double, int64,
/// int32, bool; raw or typed data).
DenseElementsAttr tensorToAttr(const onnx::TensorProto &t, MLIRContext *ctx) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    fail("tensor '" + t.name() +
         "' uses external data, which qlow does not read");
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      fail("tensor '" + t.name() + "' has a negative dimension");
    n *= d;
  }
  const std::string &raw = t.raw_data();
  auto check = [&](size_t have, size_t bytes) {
    if (have != size_t(n))
      fail("tensor '" + t.name() + "' holds " + llvm::Twine(have) +
           " values for " + llvm::Twine(n) + " elements");
    (void)bytes;
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: {
    std::vector<float> v(n);
    if (t.has_raw_data()) {
      check(raw.size() / 4, 4);
      std::memcpy(v.data(), raw.data(), n * 4);
    } else {
      check(t.float_data_size(), 4);
      std::copy(t.float_data().begin(), t.float_data().end(), v.begin());
    }
    return DenseElementsAttr::get(
        RankedTensorType::get(shape, Float32Type::get(ctx)),
        llvm::ArrayRef(v));
  }
  case onnx::TensorProto::DOUBLE: {
    std::vector<float> v(n);
    if (t.has_raw_data()) {
      check(raw.size() / 8, 8);
      for (int64_t i = 0; i < n; ++i) {
        double d;
        std::memcpy(&d, raw.data() + 8 * i, 8);
        v[i] = float(d);
      }
    } else {
      check(t.double_data_size(), 8);
      for (int64_t i = 0; i < n; ++i)
        v[i] = float(t.double_data(i));
    }
    return DenseElementsAttr::get(
        RankedTensorType::get(shape, Float32Type::get(ctx)),
        llvm::ArrayRef(v));
  }
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: {
    std::vector<int64_t> v(n);
    int dt = t.data_type();
    size_t width = dt == onnx::TensorProto::INT64   ? 8
                   : dt == onnx::TensorProto::INT32 ? 4
                                                    : 1;
    if (t.has_raw_data()) {
      check(raw.size() / width, width);
      for (int64_t i = 0; i < n; ++i) {
        if (width == 8) {
          int64_t x;
          std::memcpy(&x, raw.data() + 8 * i, 8);
          v[i] = x;
        } else if (width == 4) {
          int32_t x;
          std::memcpy(&x, raw.data() + 4 * i, 4);
          v[i] = x;
        } else if (dt == onnx::TensorProto::INT8) {
          v[i] = static_cast<int8_t>(raw[i]);
        } else if (dt == onnx::TensorProto::UINT8) {
          v[i] = static_cast<uint8_t>(raw[i]);
        } else {
          v[i] = raw[i] != 0;
        }
      }
    } else if (dt == onnx::TensorProto::INT64) {
      check(t.int64_data_size(), 8);
      std::copy(t.int64_data().begin(), t.int64_data().end(), v.begin());
    } else {
      check(t.int32_data_size(), 4);
      std::copy(t.int32_data().begin(), t.int32_data().end(), v.begin());
    }
    return DenseElementsAttr::get(
        RankedTensorType::get(shape, IntegerType::get(ctx, 64)),
        llvm::ArrayRef(v));
  }
  default:
    fail("tensor '" + t.name() + "' has element type " +
         dataTypeName(t.data_type()) +
         "; qlow reads float, double, int64, int32, int8, uint8 and bool "
         "constants");
  }
}

std::vector<float> floatsOf(DenseElementsAttr a) {
  std::vector<float> v;
  for (APFloat f : a.getValues<APFloat>())
    v.push_back(f.convertToFloat());
  return v;
}

/// Integer data with its quantization (ONNX layout): a quantized constant
/// (`storage` holds the integers as i64, `type` the scale(s) and zero
/// point(s), per axis on `type`'s dimension).
struct QuantConst {
  DenseElementsAttr storage;
  quant::QuantizedType type;
};

/// Permutes a constant: result dim i is input dim perm[i].
DenseElementsAttr permute(DenseElementsAttr attr, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(attr.getType());
  ArrayRef<int64_t> in = type.getShape();
  int64_t rank = in.size();
  SmallVector<int64_t> out(rank), inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * in[i + 1];
  for (int64_t i = 0; i < rank; ++i)
    out[i] = in[perm[i]];
  auto newType = type.clone(out);
  if (attr.isSplat())
    return attr.resizeSplat(newType);
  auto gather = [&](auto src) {
    decltype(src) dst(src.size());
    SmallVector<int64_t> idx(rank, 0);
    for (size_t o = 0; o < dst.size(); ++o) {
      int64_t s = 0;
      for (int64_t i = 0; i < rank; ++i)
        s += idx[i] * inStrides[perm[i]];
      dst[o] = src[s];
      for (int64_t i = rank - 1; i >= 0; --i) {
        if (++idx[i] < out[i])
          break;
        idx[i] = 0;
      }
    }
    return dst;
  };
  if (isa<FloatType>(type.getElementType()))
    return DenseElementsAttr::get(newType, llvm::ArrayRef(gather(floatsOf(attr))));
  std::vector<int64_t> ints;
  for (APInt v : attr.getValues<APInt>())
    ints.push_back(v.getSExtValue());
  return DenseElementsAttr::get(newType, llvm::ArrayRef(gather(ints)));
}

/// A quantized constant permuted (its per-axis dimension follows).
QuantConst permute(const QuantConst &c, ArrayRef<int64_t> perm) {
  QuantConst r{permute(c.storage, perm), c.type};
  if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(c.type)) {
    int32_t axis = int32_t(llvm::find(perm, pa.getQuantizedDimension()) -
                           perm.begin());
    r.type = quant::UniformQuantizedPerAxisType::get(
        pa.getFlags(), pa.getStorageType(), pa.getExpressedType(),
        pa.getScales(), pa.getZeroPoints(), axis, pa.getStorageTypeMin(),
        pa.getStorageTypeMax());
  }
  return r;
}

/// The real values of a quantized constant: f32(q - z) * s.
DenseElementsAttr dequantizeConst(const QuantConst &c) {
  auto type = cast<RankedTensorType>(c.storage.getType());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<double> scales;
  SmallVector<int64_t> zps;
  int64_t axis = -1, inner = 1, channels = 1;
  if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(c.type)) {
    llvm::append_range(scales, pa.getScales());
    llvm::append_range(zps, pa.getZeroPoints());
    axis = pa.getQuantizedDimension();
    channels = shape[axis];
    for (int64_t i = axis + 1; i < int64_t(shape.size()); ++i)
      inner *= shape[i];
  } else {
    auto u = cast<quant::UniformQuantizedType>(c.type);
    scales.push_back(u.getScale());
    zps.push_back(u.getZeroPoint());
  }
  std::vector<float> v;
  int64_t i = 0;
  for (APInt q : c.storage.getValues<APInt>()) {
    int64_t ch = axis < 0 ? 0 : (i / inner) % channels;
    v.push_back(float(q.getSExtValue() - zps[ch]) * float(scales[ch]));
    ++i;
  }
  return DenseElementsAttr::get(
      RankedTensorType::get(shape, Float32Type::get(type.getContext())),
      llvm::ArrayRef(v));
}

DenseElementsAttr mapFloats(DenseElementsAttr attr,
                            llvm::function_ref<float(float)> fn) {
  std::vector<float> v = floatsOf(attr);
  for (float &x : v)
    x = fn(x);
  return DenseElementsAttr::get(cast<ShapedType>(attr.getType()),
                                llvm::ArrayRef(v));
}

/// One ONNX tensor: its value in ONNX layout and/or its NHWC form, or a
/// constant (initializer, Constant node) not yet materialized. A constant
/// made by DequantizeLinear keeps its float values in `constant` and the
/// integers it came from in `dequantOf`, so the weights of Conv, Gemm and
/// MatMul stay quantized exactly as the model gives them; a QuantizeLinear
/// of a constant is `quantConst`. `intValued` marks a float value that holds
/// the exact integers of an ONNX int32 tensor (ConvInteger, MatMulInteger).
struct Tensor {
  Value onnx, nhwc;
  DenseElementsAttr constant;
  std::optional<QuantConst> dequantOf, quantConst;
  bool intValued = false;
};

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

class Importer {
public:
  Importer(MLIRContext &ctx, onnx::ModelProto &model, StringRef source,
           const OnnxImportOptions &options)
      : ctx(ctx), model(model), graph(*model.mutable_graph()),
        options(options), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, source, 0, 0)) {}

  OwningOpRef<ModuleOp> run();

private:
  MLIRContext &ctx;
  onnx::ModelProto &model;
  onnx::GraphProto &graph;
  const OnnxImportOptions &options;
  OpBuilder b;
  Location fileLoc;
  Location loc = fileLoc;
  const onnx::NodeProto *node = nullptr; // the node being imported
  int64_t opset = -1;                     // of the default domain

  llvm::StringMap<Tensor> tensors;
  llvm::StringMap<const onnx::TypeProto *> types;
  /// ONNX element types of constants (initializers, Constant nodes).
  llvm::StringMap<int32_t> constantTypes;
  llvm::StringSet<> usedNames;

  void checkOpset();
  void checkOps();
  void fixInputShapes();
  void inferShapes();
  void importNode(const onnx::NodeProto &n);

  // --- errors and attributes -------------------------------------------------
  [[noreturn]] void nodeError(const llvm::Twine &what) {
    if (!node) // the graph outputs
      fail(what);
    fail(what + " (" + describe(*node) + ")");
  }
  const onnx::AttributeProto *attr(StringRef name) {
    for (const onnx::AttributeProto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t intAttr(StringRef name, int64_t dflt) {
    auto *a = attr(name);
    return a ? a->i() : dflt;
  }
  /// An axis attribute normalized into [0, rank), or an error.
  int64_t axisAttr(StringRef name, int64_t dflt, int64_t rank) {
    int64_t axis = intAttr(name, dflt);
    if (axis < -rank || axis >= rank)
      nodeError("attribute '" + name + "' = " + llvm::Twine(axis) +
                " is out of range for rank " + llvm::Twine(rank));
    return axis < 0 ? axis + rank : axis;
  }
  float floatAttr(StringRef name, float dflt) {
    auto *a = attr(name);
    return a ? a->f() : dflt;
  }
  std::string stringAttr(StringRef name, StringRef dflt) {
    auto *a = attr(name);
    return a ? a->s() : dflt.str();
  }
  SmallVector<int64_t> intsAttr(StringRef name, ArrayRef<int64_t> dflt) {
    auto *a = attr(name);
    if (!a)
      return SmallVector<int64_t>(dflt);
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }

  // --- names -----------------------------------------------------------------
  std::string auxName(StringRef base, StringRef suffix) {
    std::string name = (base + "_" + suffix).str();
    for (unsigned i = 1; usedNames.contains(name); ++i)
      name = (base + "_" + suffix + "_" + llvm::Twine(i)).str();
    usedNames.insert(name);
    return name;
  }
  StringAttr nameAttr(StringRef name) { return b.getStringAttr(name); }

  // --- types -----------------------------------------------------------------
  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  /// The inferred, static shape of tensor `name` (f32 unless `anyType`).
  SmallVector<int64_t> shapeOf(StringRef name, bool anyType = false);
  RankedTensorType typeOf(StringRef name) { return f32(shapeOf(name)); }

  // --- tensors ---------------------------------------------------------------
  bool has(int i) const {
    return node->input_size() > i && !node->input(i).empty();
  }
  bool hasOutput(int i) const {
    return node->output_size() > i && !node->output(i).empty();
  }
  Tensor &tensor(StringRef name) {
    auto it = tensors.find(name);
    if (it == tensors.end())
      nodeError("input '" + name + "' is not defined");
    return it->second;
  }
  DenseElementsAttr constantOf(int i) {
    return has(i) ? tensor(node->input(i)).constant : DenseElementsAttr();
  }
  DenseElementsAttr requireConstant(int i, StringRef what) {
    DenseElementsAttr c = constantOf(i);
    if (!c)
      nodeError(what + " must be a constant (an initializer)");
    return c;
  }
  Value materialize(DenseElementsAttr c) {
    if (!isa<FloatType>(c.getElementType()))
      nodeError("an integer tensor is used as data; qlow models compute on "
                "float32");
    return arith::ConstantOp::create(b, loc, c);
  }
  /// The tensor in ONNX layout.
  Value onnxValue(StringRef name);
  /// The rank-4 tensor in NHWC layout.
  Value nhwcValue(StringRef name);
  /// True if the tensor exists in NHWC form (not only as a constant).
  bool hasNHWC(StringRef name) { return bool(tensor(name).nhwc); }
  /// The value of a rank-preserving (element-wise) op's operand: the NHWC
  /// form if there is one, else the ONNX form.
  Value anyLayout(StringRef name, bool &isNHWC) {
    Tensor &t = tensor(name);
    isNHWC = bool(t.nhwc);
    return isNHWC ? t.nhwc : onnxValue(name);
  }
  void define(StringRef name, Value v, bool isNHWC) {
    Tensor t;
    (isNHWC ? t.nhwc : t.onnx) = v;
    tensors[name] = t;
  }
  void defineOutput(Value v, bool isNHWC) {
    define(node->output(0), v, isNHWC);
  }
  /// `v` (rank r) reshaped to `rank` by prepending 1s (NumPy broadcasting).
  Value toRank(Value v, int64_t rank, StringRef base);
  /// A constant broadcast-ready for an op of rank `rank`: leading 1s added,
  /// permuted to NHWC if `nhwc`.
  DenseElementsAttr constantForRank(DenseElementsAttr c, int64_t rank,
                                    bool nhwc);
  /// Input `i` (ONNX layout) as an operand of an op of rank `rank`: a
  /// constant broadcast-ready, a run-time value reshaped with leading 1s.
  Value inputForRank(int i, int64_t rank);

  /// `v * factor` as a qlow.mul by a broadcast constant, named `name`.
  Value scaleBy(Value v, float factor, StringRef name) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> ones(type.getRank(), 1);
    Value c = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(f32(ones), factor));
    return MulOp::create(b, loc, type, v, c, FloatAttr(), FloatAttr(),
                         nameAttr(name));
  }

  template <typename OpTy> OpTy named(OpTy op, StringRef name) {
    op->setAttr("name", nameAttr(name));
    return op;
  }

  /// Builds a qlow.float_island named `name` with results of `types`;
  /// `body` builds its contents and returns the values to yield.
  SmallVector<Value>
  islandResults(StringRef name, TypeRange types,
                llvm::function_ref<SmallVector<Value>()> body);
  /// The same with one result of `type`.
  Value island(StringRef name, RankedTensorType type,
               llvm::function_ref<Value()> body) {
    return islandResults(name, type, [&] {
      return SmallVector<Value>{body()};
    })[0];
  }
  Value tosaConst(ArrayRef<int64_t> shape, float value) {
    auto type = f32(shape);
    return tosa::ConstOp::create(b, loc, type,
                                 DenseElementsAttr::get(type, value));
  }
  Value tosaScalar(int64_t rank, float value) {
    return tosaConst(SmallVector<int64_t>(rank, 1), value);
  }
  /// A !tosa.shape constant (pads, multiples, shapes).
  Value tosaShape(ArrayRef<int64_t> values) {
    ImplicitLocOpBuilder ib(loc, b);
    return tosa::getTosaConstShape(ib, values);
  }
  Value tosaReshape(Value x, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(x.getType()).clone(shape);
    return tosa::ReshapeOp::create(b, loc, type, x, tosaShape(shape));
  }
  Value tosaMul(Value x, Value y, Type type) {
    auto shiftType = RankedTensorType::get({1}, b.getI8Type());
    Value shift = tosa::ConstOp::create(
        b, loc, shiftType, DenseElementsAttr::get(shiftType, int8_t(0)));
    return tosa::MulOp::create(b, loc, type, x, y, shift);
  }

  // --- quantization ----------------------------------------------------------
  /// The ONNX element type of tensor `name` (0 if unknown).
  int32_t elemTypeOf(StringRef name);
  /// The quantized element type given by a scale input and an optional
  /// zero-point input (storage `dtype` when there is no zero point), per
  /// axis `axis` of a tensor of rank `rank` when the scale is a vector.
  quant::QuantizedType quantTypeOf(int scaleIdx, int zpIdx, int32_t dtype,
                                   int64_t axis, ArrayRef<int64_t> shape);
  quant::QuantizedType makeQuantType(ArrayRef<double> scales,
                                     ArrayRef<int64_t> zps, int32_t dtype,
                                     int64_t axis);
  /// The integer constant at input `i` with quantization `type`.
  QuantConst quantConstOf(int i, quant::QuantizedType type);
  /// A quantized constant as a value: its storage integers reinterpreted
  /// (quant.scast) as the quantized type.
  Value quantConstValue(const QuantConst &c);
  Value dequantConstValue(const QuantConst &c, StringRef name);
  /// The quantized activation `name` read as `type` (its storage integers
  /// reinterpreted when the parameters differ) and dequantized, in NHWC
  /// form if `nhwc` (else whichever form it has, `nhwc` set accordingly).
  Value dequantizeActivation(StringRef name, quant::QuantizedType type,
                             bool forceNHWC, bool &nhwc, StringRef dqName);
  /// Weights of Conv/Gemm/MatMul at input `i`, permuted by `perm`: the
  /// dequantized integers when they come from DequantizeLinear, else the
  /// float constant.
  Value weightValue(int i, ArrayRef<int64_t> perm, StringRef what);
  Value biasValue(int i, StringRef what);
  /// The integers of the per-tensor quantized tensor `name` as exact float
  /// values (its storage read at scale 1, zero point 0); the form as for
  /// dequantizeActivation.
  Value integersOf(StringRef name, bool forceNHWC, bool &nhwc,
                   StringRef dqName);
  /// The one-element input `i` (a scale, or the integers of a zero point)
  /// as an f32 tensor of `rank` ones, ready to broadcast.
  Value scalarOperand(int i, int64_t rank, StringRef what);
  /// `(ints - zero point) * scale` in a float island named `name`, with the
  /// zero point and the scale (each optional: index -1) at run time
  /// (DynamicQuantizeLinear's).
  Value dequantizeAtRunTime(Value ints, int zpIdx, int scaleIdx,
                            StringRef name);
  /// The value of graph output `name` of ONNX element type `dtype` (int8,
  /// uint8): the integers of its quantized tensor.
  Value integerOutput(StringRef name, int32_t dtype);

  // --- ops -------------------------------------------------------------------
  void importQuantizeLinear();
  void importDequantizeLinear();
  void importQLinearConv();
  void importQLinearMatMul();
  void importIntegerOp(bool isConv);
  void importCast();
  Value buildConv(StringRef x, Value input, Value filter, Value bias,
                  StringRef name);
  void importConv();
  void importGemm();
  void importMatMul();
  void importBinary(StringRef opType);
  void importClamp(std::optional<float> lo, std::optional<float> hi);
  void importClip();
  void importPad();
  void importUnaryIsland(StringRef opType);
  void importPool(bool isMax);
  void importGlobalAveragePool();
  void importReshapeLike();
  void importTranspose();
  void importConcat();
  void importSoftmax();
  void importBatchNorm();
  void importLayerNorm();
  void importGelu();
  void importDynamicQuantizeLinear();
  void importConstant();
  void alias();

  /// Pads [top, bottom, left, right] of a 2-D window from pads/auto_pad.
  SmallVector<int64_t> windowPadding(ArrayRef<int64_t> in,
                                     ArrayRef<int64_t> kernel,
                                     ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilations);
};

SmallVector<int64_t> Importer::shapeOf(StringRef name, bool anyType) {
  auto it = types.find(name);
  std::string what = node ? " (" + describe(*node) + ")" : "";
  if (it == types.end() || !it->second->has_tensor_type() ||
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
      fail("tensor '" + name + "' has a zero-sized dimension, which qlow "
           "does not support" + what);
    shape.push_back(d.dim_value());
  }
  return shape;
}

Value Importer::onnxValue(StringRef name) {
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
  t.onnx = named(TransposeOp::create(b, loc,
                                     type.clone({s[0], s[3], s[1], s[2]}),
                                     t.nhwc, kToNCHW, StringAttr()),
                 auxName(name, "nchw"));
  return t.onnx;
}

Value Importer::nhwcValue(StringRef name) {
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
  t.nhwc = named(TransposeOp::create(b, loc, type.clone(toNHWC(type.getShape())),
                                     t.onnx, kToNHWC, StringAttr()),
                 auxName(name, "nhwc"));
  return t.nhwc;
}

Value Importer::toRank(Value v, int64_t rank, StringRef base) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == rank)
    return v;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return named(ReshapeOp::create(b, loc, f32(shape), v, StringAttr()),
               auxName(base, "bcast"));
}

DenseElementsAttr Importer::constantForRank(DenseElementsAttr c, int64_t rank,
                                            bool nhwc) {
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

Value Importer::inputForRank(int i, int64_t rank) {
  if (DenseElementsAttr c = constantOf(i))
    return materialize(constantForRank(c, rank, false));
  return toRank(onnxValue(node->input(i)), rank, node->input(i));
}

SmallVector<Value>
Importer::islandResults(StringRef name, TypeRange types,
                        llvm::function_ref<SmallVector<Value>()> body) {
  std::string reason = ("no quantized kernel for " + node->op_type());
  auto op = FloatIslandOp::create(b, loc, types, reason, nameAttr(name));
  Block *block = new Block();
  op.getBody().push_back(block);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(block);
  SmallVector<Value> results = body();
  YieldOp::create(b, loc, results);
  return SmallVector<Value>(op.getResults());
}

SmallVector<int64_t> Importer::windowPadding(ArrayRef<int64_t> in,
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

//===----------------------------------------------------------------------===//
// Checks before building
//===----------------------------------------------------------------------===//

void Importer::checkOpset() {
  for (const onnx::OperatorSetIdProto &o : model.opset_import())
    if (isDefaultDomain(o.domain()))
      opset = o.version();
  if (opset < 0)
    fail("the model imports no default-domain (ai.onnx) opset");
  if (opset < kMinOpset || opset > kMaxOpset)
    fail("unsupported ONNX opset " + llvm::Twine(opset) +
         " (qlow imports opsets " + llvm::Twine(kMinOpset) + " to " +
         llvm::Twine(kMaxOpset) +
         "; convert the model with onnx.version_converter)");
}

void Importer::checkOps() {
  bool importsMicrosoft = llvm::any_of(
      model.opset_import(), [](const onnx::OperatorSetIdProto &o) {
        return o.domain() == kMicrosoftDomain;
      });
  for (const onnx::NodeProto &n : graph.node()) {
    std::string name = n.name().empty() && n.output_size() ? n.output(0)
                                                            : n.name();
    if (isGeluOp(n)) {
      // Gelu and com.microsoft Gelu take x; FastGelu x and an optional
      // bias; BiasGelu x and a bias.
      int minInputs = n.op_type() == "BiasGelu" ? 2 : 1;
      int maxInputs = n.op_type() == "Gelu" ? 1 : 2;
      int count = 0;
      for (const std::string &in : n.input())
        count += !in.empty();
      std::string expected = std::to_string(minInputs);
      if (maxInputs != minInputs)
        expected += " or " + std::to_string(maxInputs);
      if (n.input_size() > maxInputs || n.input_size() < 1 ||
          n.input(0).empty() || count < minInputs)
        fail("node '" + name + "' (op '" + n.op_type() + "') expects " +
             expected + (maxInputs == 1 ? " input" : " inputs") + ", got " +
             llvm::Twine(count));
    }
    if (!isDefaultDomain(n.domain())) {
      if (!isGeluOp(n))
        fail("unsupported ONNX op '" + n.domain() + "." + n.op_type() +
             "' (node '" + name + "')");
      if (!importsMicrosoft)
        fail("node '" + name + "' is a " + n.domain() + " op, but the model "
             "does not import the " + n.domain() + " domain (opset_import)");
      continue;
    }
    if (!isSupportedOpType(n.op_type()))
      fail("unsupported ONNX op '" + n.op_type() + "' (node '" + name + "')");
    if (n.op_type() == "Gelu" && opset < kGeluOpset)
      fail("ai.onnx Gelu exists from opset " + llvm::Twine(kGeluOpset) +
           ", but the model imports opset " + llvm::Twine(opset) +
           " (node '" + name + "'; ONNX Runtime's com.microsoft.Gelu is the "
           "same op for older opsets)");
  }
}

/// libonnx 1.12 has no schema for the Gelu family (isGeluOp): its checker
/// rejects ai.onnx Gelu and its shape inference stops at the com.microsoft
/// ops. While it checks and infers the model, each of them is shown as an
/// Identity of its first input (same type and shape); qlow checks their
/// inputs and attributes itself when it imports them.
class GeluStandIns {
public:
  explicit GeluStandIns(onnx::GraphProto &graph) : graph(graph) {
    for (int i = 0; i < graph.node_size(); ++i) {
      onnx::NodeProto &n = *graph.mutable_node(i);
      if (!isGeluOp(n) || n.output_size() < 1) // checked by checkOps
        continue;
      hidden.emplace_back(i, n);
      onnx::NodeProto standIn;
      standIn.set_name(n.name());
      standIn.set_op_type("Identity");
      standIn.add_input(n.input(0));
      standIn.add_output(n.output(0));
      n = std::move(standIn);
    }
  }
  ~GeluStandIns() {
    for (auto &[i, n] : hidden)
      *graph.mutable_node(i) = std::move(n);
  }

private:
  onnx::GraphProto &graph;
  std::vector<std::pair<int, onnx::NodeProto>> hidden;
};

/// Fixes a dynamic leading dimension of every graph input to the batch size
/// and rejects any other dynamic dimension, so that shape inference gives
/// static shapes throughout.
void Importer::fixInputShapes() {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  for (onnx::ValueInfoProto &in : *graph.mutable_input()) {
    if (initializers.contains(in.name()))
      continue;
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape())
      fail("graph input '" + in.name() + "' has no tensor shape");
    auto *shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int i = 0; i < shape->dim_size(); ++i) {
      auto *d = shape->mutable_dim(i);
      if (d->has_dim_value() && d->dim_value() > 0)
        continue;
      if (i != 0)
        fail("graph input '" + in.name() + "' has a dynamic dimension " +
             llvm::Twine(i) +
             (d->has_dim_param() ? " ('" + d->dim_param() + "')"
                                 : std::string()) +
             "; only the leading (batch) dimension may be dynamic");
      d->set_dim_value(options.batch);
    }
  }
  // Declared intermediate and output shapes may name the batch symbolically;
  // inference recomputes them from the fixed inputs.
  graph.clear_value_info();
  for (onnx::ValueInfoProto &out : *graph.mutable_output())
    if (out.type().has_tensor_type())
      out.mutable_type()->mutable_tensor_type()->clear_shape();
}

void Importer::inferShapes() {
  // libonnx 1.12's LayerNormalization (and Softmax) inference reads out of
  // bounds for an axis outside [-rank, rank) (found by qlow-onnx-fuzz): check
  // the axis first wherever the input rank is already known (graph inputs,
  // initializers, through rank-preserving ops).
  static const llvm::StringSet<> sameRank = {
      "Relu", "Sigmoid", "Tanh", "Softmax", "LayerNormalization", "Clip",
      "LeakyRelu", "HardSigmoid", "HardSwish", "Erf", "Identity", "Dropout",
      "Cast", "BatchNormalization", "QuantizeLinear", "DequantizeLinear"};
  llvm::StringMap<int64_t> ranks;
  for (const onnx::ValueInfoProto &v : graph.input())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
      ranks[v.name()] = v.type().tensor_type().shape().dim_size();
  for (const onnx::TensorProto &t : graph.initializer())
    ranks[t.name()] = t.dims_size();
  for (const onnx::NodeProto &n : graph.node()) {
    // Its Conv inference likewise reads out of bounds when the input and
    // the weights differ in rank.
    if ((n.op_type() == "Conv" || n.op_type() == "ConvInteger") &&
        n.input_size() >= 2) {
      auto x = ranks.find(n.input(0)), w = ranks.find(n.input(1));
      if (x != ranks.end() && w != ranks.end() &&
          (x->second != w->second || x->second < 3))
        fail("the input (rank " + llvm::Twine(x->second) +
             ") and the weights (rank " + llvm::Twine(w->second) +
             ") of a convolution must have the same rank, at least 3 "
             "(node '" + (n.name().empty() ? n.output(0) : n.name()) + "')");
    }
    if (n.input_size() < 1 || n.output_size() < 1 ||
        !sameRank.contains(n.op_type()))
      continue;
    auto it = ranks.find(n.input(0));
    if (it == ranks.end())
      continue;
    int64_t rank = it->second;
    if (n.op_type() == "LayerNormalization" || n.op_type() == "Softmax")
      for (const onnx::AttributeProto &a : n.attribute())
        if (a.name() == "axis" && (a.i() < -rank || a.i() >= rank))
          fail("attribute 'axis' = " + llvm::Twine(a.i()) +
               " is out of range for rank " + llvm::Twine(rank) + " (node '" +
               (n.name().empty() ? n.output(0) : n.name()) + "', op '" +
               n.op_type() + "')");
    ranks[n.output(0)] = rank;
  }
  onnx::ShapeInferenceOptions opts(/*check_type=*/true, /*strict_mode=*/1,
                                   /*data_prop=*/true);
  onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                     opts);
  for (const onnx::ValueInfoProto &v : graph.input())
    types[v.name()] = &v.type();
  for (const onnx::ValueInfoProto &v : graph.value_info())
    types[v.name()] = &v.type();
  for (const onnx::ValueInfoProto &v : graph.output())
    types[v.name()] = &v.type();
}

//===----------------------------------------------------------------------===//
// The module
//===----------------------------------------------------------------------===//

std::string sanitize(StringRef name) {
  std::string s;
  for (char c : name)
    s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (s.empty())
    return "main";
  if (std::isdigit(static_cast<unsigned char>(s[0])))
    s = "g_" + s;
  return s;
}

OwningOpRef<ModuleOp> Importer::run() {
  checkOpset();
  checkOps();
  {
    GeluStandIns standIns(graph);
    onnx::checker::check_model(model);
    fixInputShapes();
    inferShapes();
  }

  for (const onnx::NodeProto &n : graph.node())
    for (const std::string &o : n.output())
      usedNames.insert(o);
  for (const onnx::ValueInfoProto &v : graph.input())
    usedNames.insert(v.name());

  for (const onnx::TensorProto &t : graph.initializer()) {
    Tensor tensor;
    tensor.constant = tensorToAttr(t, &ctx);
    tensors[t.name()] = tensor;
    constantTypes[t.name()] = t.data_type();
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (tensors.count(in.name()))
      continue; // an initializer listed as an input (IR version < 4)
    argTypes.push_back(f32(shapeOf(in.name())));
    argNames.push_back(in.name());
  }
  if (argTypes.empty())
    fail("the graph has no inputs (it computes a constant); qlow compiles "
         "models with at least one input");
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, fileLoc, sanitize(graph.name()),
                                   b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, kArgNameAttr, nameAttr(name));
    define(name, entry->getArgument(i), /*isNHWC=*/false);
  }
  b.setInsertionPointToEnd(entry);

  for (const onnx::NodeProto &n : graph.node())
    importNode(n);
  node = nullptr;
  loc = fileLoc;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    int32_t dtype = elemTypeOf(out.name());
    bool isInteger = dtype == onnx::TensorProto::UINT8 ||
                     dtype == onnx::TensorProto::INT8;
    Value v = isInteger ? integerOutput(out.name(), dtype)
                        : onnxValue(out.name());
    RankedTensorType type =
        isInteger ? cast<RankedTensorType>(v.getType())
                        .clone(shapeOf(out.name(), /*anyType=*/true))
                  : f32(shapeOf(out.name()));
    if (v.getType() != type)
      fail("graph output '" + out.name() +
           "' does not have its inferred shape");
    results.push_back(v);
    resultTypes.push_back(type);
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kArgNameAttr, nameAttr(out.name()));
  return module;
}

void Importer::importNode(const onnx::NodeProto &n) {
  node = &n;
  std::string locName = n.name().empty() && n.output_size() ? n.output(0)
                                                             : n.name();
  loc = NameLoc::get(b.getStringAttr(locName), fileLoc);
  StringRef op = n.op_type();
  if (n.output_size() < 1 || n.output(0).empty())
    nodeError("the node has no output");
  // Only the first output is imported, except for the ops that make their
  // others; the optional others must be unused.
  bool makesOutputs = op == "Dropout" || op == "LayerNormalization" ||
                      op == "DynamicQuantizeLinear";
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty() && !makesOutputs)
      nodeError("output " + llvm::Twine(i) + " ('" + n.output(i) +
                "') is not supported");

  if (isGeluOp(n))
    return importGelu();

  if (op == "Conv")
    return importConv();
  if (op == "Gemm")
    return importGemm();
  if (op == "MatMul")
    return importMatMul();
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    return importBinary(op);
  if (op == "Relu")
    return importClamp(0.0f, std::nullopt);
  if (op == "Clip")
    return importClip();
  if (op == "Pad")
    return importPad();
  if (op == "LeakyRelu" || op == "Sigmoid" || op == "Tanh" ||
      op == "HardSigmoid" || op == "HardSwish" || op == "Erf")
    return importUnaryIsland(op);
  if (op == "MaxPool" || op == "AveragePool")
    return importPool(op == "MaxPool");
  if (op == "GlobalAveragePool")
    return importGlobalAveragePool();
  if (op == "Flatten" || op == "Reshape" || op == "Squeeze" ||
      op == "Unsqueeze")
    return importReshapeLike();
  if (op == "Transpose")
    return importTranspose();
  if (op == "Concat")
    return importConcat();
  if (op == "Softmax")
    return importSoftmax();
  if (op == "BatchNormalization")
    return importBatchNorm();
  if (op == "LayerNormalization")
    return importLayerNorm();
  if (op == "Constant")
    return importConstant();
  if (op == "Identity" || op == "Dropout")
    return alias();
  if (op == "Cast")
    return importCast();
  if (op == "QuantizeLinear")
    return importQuantizeLinear();
  if (op == "DequantizeLinear")
    return importDequantizeLinear();
  if (op == "QLinearConv")
    return importQLinearConv();
  if (op == "QLinearMatMul")
    return importQLinearMatMul();
  if (op == "ConvInteger" || op == "MatMulInteger")
    return importIntegerOp(op == "ConvInteger");
  if (op == "DynamicQuantizeLinear")
    return importDynamicQuantizeLinear();
  nodeError("unsupported ONNX op '" + op + "'");
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

void Importer::alias() {
  if (node->op_type() == "Dropout") {
    if (node->output_size() > 1 && !node->output(1).empty())
      nodeError("the mask output of Dropout is not supported");
    if (intAttr("training_mode", 0) != 0 || has(2))
      nodeError("Dropout in training mode is not supported");
  }
  tensors[node->output(0)] = tensor(node->input(0));
  if (auto it = constantTypes.find(node->input(0)); it != constantTypes.end())
    constantTypes[node->output(0)] = it->second;
}

void Importer::importConstant() {
  DenseElementsAttr value;
  if (auto *a = attr("value")) {
    value = tensorToAttr(a->t(), &ctx);
  } else if (auto *a = attr("value_float")) {
    value = DenseElementsAttr::get(f32({}), a->f());
  } else if (auto *a = attr("value_floats")) {
    std::vector<float> v(a->floats().begin(), a->floats().end());
    value = DenseElementsAttr::get(f32({int64_t(v.size())}), llvm::ArrayRef(v));
    constantTypes[node->output(0)] = a->t().data_type();
  } else if (auto *a = attr("value_int")) {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   int64_t(a->i()));
  } else if (auto *a = attr("value_ints")) {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, b.getI64Type()),
        llvm::ArrayRef(v));
  } else {
    nodeError("only tensor, float and int constants are supported");
  }
  Tensor t;
  t.constant = value;
  tensors[node->output(0)] = t;
}

void Importer::importConv() {
  const std::string &x = node->input(0), &out = node->output(0);
  if (shapeOf(x).size() != 4)
    nodeError("only 2-D convolutions (NCHW inputs) are supported, got rank " +
              llvm::Twine(shapeOf(x).size()));
  Value input = nhwcValue(x);
  Value filter = weightValue(1, kToNHWC, "the weights of Conv");
  Value bias = has(2) ? biasValue(2, "the bias of Conv") : Value();
  defineOutput(buildConv(x, input, filter, bias, out),
               /*isNHWC=*/true);
}

Value Importer::buildConv(StringRef x, Value input, Value filter, Value bias,
                          StringRef name) {
  const std::string &out = node->output(0);
  SmallVector<int64_t> inShape = shapeOf(x, true), outShape = shapeOf(out, true);
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

void Importer::importGemm() {
  const std::string &out = node->output(0);
  SmallVector<int64_t> outShape = shapeOf(out);
  float alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
  bool transA = intAttr("transA", 0), transB = intAttr("transB", 0);
  Value a = onnxValue(node->input(0));
  if (transA) {
    auto at = cast<RankedTensorType>(a.getType());
    a = named(TransposeOp::create(
                  b, loc, f32({at.getDimSize(1), at.getDimSize(0)}), a,
                  ArrayRef<int64_t>{1, 0}, StringAttr()),
              auxName(out, "a_t"));
  }
  Value rhs;
  if (has(1) && tensor(node->input(1)).dequantOf && alpha == 1.0f) {
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
    rhs = onnxValue(node->input(1));
    if (transB) {
      auto bt = cast<RankedTensorType>(rhs.getType());
      rhs = named(TransposeOp::create(
                      b, loc, f32({bt.getDimSize(1), bt.getDimSize(0)}), rhs,
                      ArrayRef<int64_t>{1, 0}, StringAttr()),
                  auxName(out, "b_t"));
    }
  }
  int64_t n = outShape[1];
  Value bias, addAfter;
  if (has(2) && beta == 1.0f && tensor(node->input(2)).dequantOf &&
      tensor(node->input(2)).constant.getType().getRank() == 1 &&
      tensor(node->input(2)).constant.getType().getDimSize(0) == n) {
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
      addAfter = toRank(onnxValue(node->input(2)), 2, out);
      if (beta != 1.0f)
        addAfter = scaleBy(addAfter, beta, auxName(out, "beta_c"));
    }
  }
  // alpha with a run-time B scales the product (before the bias).
  bool scale = alpha != 1.0f && !constantOf(1);
  if (scale && bias) {
    addAfter = toRank(bias, 2, out);
    bias = Value();
  }
  std::string mmName = addAfter || scale ? auxName(out, "matmul") : out;
  Value result = MatmulOp::create(b, loc, f32(outShape), a, rhs, bias,
                                  FloatAttr(), FloatAttr(), nameAttr(mmName));
  if (scale)
    result = scaleBy(result, alpha,
                     addAfter ? auxName(out, "alpha_ab") : out);
  if (addAfter)
    result = AddOp::create(b, loc, f32(outShape), result, addAfter,
                           FloatAttr(), FloatAttr(), nameAttr(out));
  defineOutput(result, false);
}

void Importer::importMatMul() {
  const std::string &out = node->output(0);
  SmallVector<int64_t> outShape = shapeOf(out);
  SmallVector<int64_t> as = shapeOf(node->input(0));
  DenseElementsAttr bc = constantOf(1);
  SmallVector<int64_t> bs =
      bc ? SmallVector<int64_t>(bc.getType().getShape())
         : shapeOf(node->input(1));
  if (as.size() < 2 || bs.size() < 2)
    nodeError("MatMul with a rank-1 operand is not supported");
  bool sharedRhs = bs.size() == 2; // [K, N], the same for every batch
  if (!sharedRhs &&
      (as.size() != bs.size() ||
       !llvm::equal(ArrayRef(as).drop_back(2), ArrayRef(bs).drop_back(2))))
    nodeError("MatMul supports [...,M,K]x[K,N] and [...,M,K]x[...,K,N] with "
              "equal batch dimensions (no batch broadcasting)");
  Value a = onnxValue(node->input(0));
  Value rhs = !bc        ? onnxValue(node->input(1))
              : sharedRhs ? weightValue(1, {}, "the weights of MatMul")
                          : materialize(bc);
  if (as.size() == 2 || as.size() == 3) {
    defineOutput(MatmulOp::create(b, loc, f32(outShape), a, rhs, Value(),
                                  FloatAttr(), FloatAttr(), nameAttr(out)),
                 false);
    return;
  }
  // Rank > 3: the batch dimensions collapsed into one, [B, M, K] x [K, N]
  // or [B, M, K] x [B, K, N], and the result expanded back.
  int64_t batch = 1;
  for (size_t i = 0; i + 2 < as.size(); ++i)
    batch *= as[i];
  int64_t m = as[as.size() - 2], k = as.back(), nn = bs.back();
  Value a3 = named(ReshapeOp::create(b, loc, f32({batch, m, k}), a,
                                     StringAttr()),
                   auxName(out, "lhs3d"));
  if (!sharedRhs)
    rhs = named(ReshapeOp::create(b, loc, f32({batch, k, nn}), rhs,
                                  StringAttr()),
                auxName(out, "rhs3d"));
  Value mm = MatmulOp::create(b, loc, f32({batch, m, nn}), a3, rhs, Value(),
                              FloatAttr(), FloatAttr(),
                              nameAttr(auxName(out, "matmul")));
  defineOutput(
      named(ReshapeOp::create(b, loc, f32(outShape), mm, StringAttr()), out),
      false);
}

void Importer::importBinary(StringRef opType) {
  const std::string &out = node->output(0);
  SmallVector<int64_t> outShape = shapeOf(out);
  int64_t rank = outShape.size();
  const std::string &lhsName = node->input(0), &rhsName = node->input(1);
  Tensor &lt = tensor(lhsName), &rt = tensor(rhsName);
  // NHWC when an operand has that form and the other can follow it.
  auto follows = [&](Tensor &t) { return t.nhwc || t.constant; };
  bool nhwc = rank == 4 && (lt.nhwc || rt.nhwc) && follows(lt) && follows(rt);
  RankedTensorType type = f32(nhwc ? toNHWC(outShape) : outShape);

  // The rhs constant may be rewritten (Sub: negated, Div: inverted).
  DenseElementsAttr rc = rt.constant;
  if (rc && opType == "Sub")
    rc = mapFloats(constantForRank(rc, rank, false),
                   [](float v) { return -v; });
  if (rc && opType == "Div")
    rc = mapFloats(constantForRank(rc, rank, false),
                   [](float v) { return 1.0f / v; });
  auto operand = [&](StringRef name, DenseElementsAttr c) -> Value {
    if (c)
      return materialize(constantForRank(c, rank, nhwc));
    Value v = nhwc ? nhwcValue(name) : onnxValue(name);
    return toRank(v, rank, name);
  };
  Value lhs = operand(lhsName, lt.constant);
  Value rhs = operand(rhsName, rc);
  Value result;
  if (opType == "Add" || (opType == "Sub" && rc))
    result = AddOp::create(b, loc, type, lhs, rhs, FloatAttr(), FloatAttr(),
                           nameAttr(out));
  else if (opType == "Mul" || (opType == "Div" && rc))
    result = MulOp::create(b, loc, type, lhs, rhs, FloatAttr(), FloatAttr(),
                           nameAttr(out));
  else if (opType == "Sub") {
    // a - b = a + (-1 * b)
    SmallVector<int64_t> ones(rank, 1);
    Value minusOne = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(f32(ones), -1.0f));
    Value neg = MulOp::create(b, loc, cast<RankedTensorType>(rhs.getType()),
                              rhs, minusOne, FloatAttr(), FloatAttr(),
                              nameAttr(auxName(out, "neg")));
    result = AddOp::create(b, loc, type, lhs, neg, FloatAttr(), FloatAttr(),
                           nameAttr(out));
  } else {
    // Div by a run-time tensor: a * reciprocal(b) in float.
    result = island(out, type, [&]() -> Value {
      Value r = tosa::ReciprocalOp::create(b, loc, rhs.getType(), rhs);
      return tosaMul(lhs, r, type);
    });
  }
  defineOutput(result, nhwc);
}

void Importer::importClamp(std::optional<float> lo, std::optional<float> hi) {
  bool nhwc;
  Value x = anyLayout(node->input(0), nhwc);
  auto toAttr = [&](std::optional<float> v) {
    return v && std::isfinite(*v) ? b.getF32FloatAttr(*v) : FloatAttr();
  };
  if (lo && hi && *lo > *hi)
    nodeError("the minimum is greater than the maximum");
  defineOutput(ClampOp::create(b, loc, x.getType(), x, toAttr(lo), toAttr(hi),
                               nameAttr(node->output(0))),
               nhwc);
}

void Importer::importClip() {
  // On a quantized tensor (QDQ models: PyTorch exports its 7-bit activation
  // range as QuantizeLinear -> Clip(0, 127) -> DequantizeLinear) the bounds
  // are integers of the storage type: a clamp of the real values they stand
  // for, on the quantized tensor.
  bool nhwc;
  Value x = anyLayout(node->input(0), nhwc);
  quant::QuantizedType qt = getQuantElementType(x.getType());
  auto bound = [&](int i, StringRef what) -> std::optional<float> {
    if (!has(i))
      return std::nullopt;
    DenseElementsAttr c = requireConstant(i, what);
    if (c.getType().getNumElements() != 1)
      nodeError(what + " must be a scalar");
    if (isa<FloatType>(c.getElementType()))
      return floatsOf(c)[0];
    auto u = dyn_cast_or_null<quant::UniformQuantizedType>(qt);
    if (!u)
      nodeError(what + " is an integer, but the input is not a per-tensor "
                       "quantized tensor");
    int64_t v = (*c.getValues<APInt>().begin()).getSExtValue();
    return float(double(v - u.getZeroPoint()) * u.getScale());
  };
  std::optional<float> lo = bound(1, "the minimum of Clip");
  std::optional<float> hi = bound(2, "the maximum of Clip");
  importClamp(lo, hi);
}

void Importer::importPad() {
  const std::string &x = node->input(0), &out = node->output(0);
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
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return alias();
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
  SmallVector<int64_t> outShape = shapeOf(out);
  RankedTensorType type = f32(nhwc ? toNHWC(outShape) : outShape);
  defineOutput(island(out, type,
                      [&]() -> Value {
                        return tosa::PadOp::create(b, loc, type, v,
                                                   tosaShape(padding),
                                                   tosaConst({1}, value));
                      }),
               nhwc);
}

void Importer::importUnaryIsland(StringRef op) {
  bool nhwc;
  Value x = anyLayout(node->input(0), nhwc);
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Value result = island(node->output(0), type, [&]() -> Value {
    if (op == "Sigmoid")
      return tosa::SigmoidOp::create(b, loc, type, x);
    if (op == "Tanh")
      return tosa::TanhOp::create(b, loc, type, x);
    if (op == "Erf")
      return tosa::ErfOp::create(b, loc, type, x);
    if (op == "LeakyRelu") {
      // max(x, 0) + alpha * min(x, 0)
      float alpha = floatAttr("alpha", 0.01f);
      Value zero = tosaScalar(rank, 0.0f);
      Value pos = tosa::MaximumOp::create(b, loc, type, x, zero);
      Value neg = tosa::MinimumOp::create(b, loc, type, x, zero);
      Value scaled = tosaMul(neg, tosaScalar(rank, alpha), type);
      return tosa::AddOp::create(b, loc, type, pos, scaled);
    }
    // HardSigmoid: clamp(alpha * x + beta, 0, 1); HardSwish: x * that with
    // alpha = 1/6, beta = 1/2.
    bool swish = op == "HardSwish";
    float alpha = swish ? 1.0f / 6.0f : floatAttr("alpha", 0.2f);
    float beta = swish ? 0.5f : floatAttr("beta", 0.5f);
    Value ax = tosaMul(x, tosaScalar(rank, alpha), type);
    Value axb = tosa::AddOp::create(b, loc, type, ax, tosaScalar(rank, beta));
    Value hs = tosa::ClampOp::create(b, loc, type, axb,
                                     b.getF32FloatAttr(0.0f),
                                     b.getF32FloatAttr(1.0f));
    return swish ? tosaMul(x, hs, type) : hs;
  });
  defineOutput(result, nhwc);
}

void Importer::importPool(bool isMax) {
  const std::string &x = node->input(0), &out = node->output(0);
  SmallVector<int64_t> inShape = shapeOf(x, isMax),
                        outShape = shapeOf(out, isMax);
  if (inShape.size() != 4)
    nodeError("only 2-D pooling (NCHW inputs) is supported");
  SmallVector<int64_t> kernel = intsAttr("kernel_shape", {});
  SmallVector<int64_t> strides = intsAttr("strides", {1, 1});
  SmallVector<int64_t> dilations = intsAttr("dilations", {1, 1});
  if (kernel.size() != 2 || strides.size() != 2)
    nodeError("kernel_shape and strides must have 2 entries");
  if (dilations != SmallVector<int64_t>{1, 1})
    nodeError("dilated pooling is not supported");
  if (intAttr("storage_order", 0) != 0)
    nodeError("storage_order = 1 is not supported");
  SmallVector<int64_t> padding =
      windowPadding({inShape[2], inShape[3]}, kernel, strides, dilations);
  // ceil_mode: extra padding at the end makes the last partial window.
  int64_t extra[2];
  for (int i = 0; i < 2; ++i) {
    int64_t covered = inShape[2 + i] + padding[2 * i] + padding[2 * i + 1];
    extra[i] = std::max<int64_t>(
        0, (outShape[2 + i] - 1) * strides[i] + kernel[i] - covered);
    padding[2 * i + 1] += extra[i];
  }
  bool countPad = intAttr("count_include_pad", 0) != 0;
  bool padded = llvm::any_of(padding, [](int64_t p) { return p != 0; });
  Value input = nhwcValue(x);
  // MaxPool may read quantized data (QOperator models): it keeps its type.
  RankedTensorType type =
      cast<RankedTensorType>(input.getType()).clone(toNHWC(outShape));
  Value result;
  if (!isMax && countPad && padded) {
    // Padding counts as zeros: a depthwise convolution with weights
    // 1/(kh*kw) over the zero-padded input.
    if (extra[0] || extra[1])
      nodeError("ceil_mode with count_include_pad = 1 is not supported");
    int64_t c = inShape[1];
    auto wType = f32({c, kernel[0], kernel[1], 1});
    Value w = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(wType, 1.0f / float(kernel[0] * kernel[1])));
    result = Conv2DOp::create(b, loc, type, input, w, Value(), strides,
                              padding, dilations, c, FloatAttr(), FloatAttr(),
                              nameAttr(out));
  } else {
    if (padding[0] >= kernel[0] || padding[1] >= kernel[0] ||
        padding[2] >= kernel[1] || padding[3] >= kernel[1])
      nodeError("padding as large as the kernel is not supported");
    if (isMax)
      result = MaxPool2DOp::create(b, loc, type, input, kernel, strides,
                                   padding, nameAttr(out));
    else
      result = AvgPool2DOp::create(b, loc, type, input, kernel, strides,
                                   padding, nameAttr(out));
  }
  defineOutput(result, true);
}

void Importer::importGlobalAveragePool() {
  const std::string &x = node->input(0), &out = node->output(0);
  if (shapeOf(x).size() != 4)
    nodeError("only NCHW (rank 4) inputs are supported");
  Value input = nhwcValue(x);
  defineOutput(GlobalAvgPoolOp::create(b, loc, f32(toNHWC(shapeOf(out))),
                                       input, nameAttr(out)),
               true);
}

void Importer::importReshapeLike() {
  const std::string &x = node->input(0), &out = node->output(0);
  SmallVector<int64_t> outShape = shapeOf(out, /*anyType=*/true);
  Tensor &t = tensor(x);
  if (t.constant && !t.onnx && !t.nhwc) {
    Tensor c;
    c.constant = t.constant.reshape(
        RankedTensorType::get(outShape, t.constant.getElementType()));
    tensors[out] = c;
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
  defineOutput(ReshapeOp::create(b, loc, inType.clone(outShape), input,
                                 nameAttr(out)),
               false);
}

void Importer::importTranspose() {
  const std::string &x = node->input(0), &out = node->output(0);
  SmallVector<int64_t> inShape = shapeOf(x, true);
  int64_t rank = inShape.size();
  SmallVector<int64_t> rev(llvm::reverse(llvm::seq<int64_t>(0, rank)));
  SmallVector<int64_t> perm = intsAttr("perm", rev);
  Tensor &t = tensor(x);
  if (t.constant && !t.onnx && !t.nhwc) {
    Tensor c;
    c.constant = permute(t.constant, perm);
    tensors[out] = c;
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
      tensors[out] = r;
      return;
    }
    defineOutput(TransposeOp::create(b, loc,
                                     cast<RankedTensorType>(t.nhwc.getType())
                                         .clone(shapeOf(out, true)),
                                     t.nhwc,
                                     composed, nameAttr(out)),
                 false);
    return;
  }
  Value in = onnxValue(x);
  defineOutput(TransposeOp::create(
                   b, loc,
                   cast<RankedTensorType>(in.getType()).clone(shapeOf(out, true)),
                   in, perm, nameAttr(out)),
               false);
}

void Importer::importConcat() {
  const std::string &out = node->output(0);
  SmallVector<int64_t> outShape = shapeOf(out);
  int64_t rank = outShape.size();
  int64_t axis = axisAttr("axis", 0, rank);
  bool nhwc = rank == 4;
  bool anyNHWC = false;
  for (const std::string &in : node->input()) {
    Tensor &t = tensor(in);
    nhwc &= bool(t.nhwc) || bool(t.constant);
    anyNHWC |= bool(t.nhwc);
  }
  nhwc &= anyNHWC;
  SmallVector<Value> inputs;
  for (const std::string &in : node->input())
    inputs.push_back(nhwc ? nhwcValue(in) : onnxValue(in));
  int64_t qaxis = nhwc ? llvm::find(kToNHWC, axis) - std::begin(kToNHWC)
                       : axis;
  defineOutput(ConcatOp::create(b, loc,
                                f32(nhwc ? toNHWC(outShape) : outShape),
                                inputs, uint64_t(qaxis), nameAttr(out)),
               nhwc);
}

void Importer::importSoftmax() {
  const std::string &out = node->output(0);
  Value x = onnxValue(node->input(0));
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  int64_t axis = axisAttr("axis", -1, rank);
  SmallVector<int64_t> reduced(type.getShape());
  reduced[axis] = 1;
  auto rtype = f32(reduced);
  defineOutput(island(out, type,
                      [&]() -> Value {
                        Value m = tosa::ReduceMaxOp::create(b, loc, rtype, x,
                                                            uint32_t(axis));
                        Value d = tosa::SubOp::create(b, loc, type, x, m);
                        Value e = tosa::ExpOp::create(b, loc, type, d);
                        Value s = tosa::ReduceSumOp::create(b, loc, rtype, e,
                                                            uint32_t(axis));
                        Value r = tosa::ReciprocalOp::create(b, loc, rtype, s);
                        return tosaMul(e, r, type);
                      }),
               false);
}

void Importer::importBatchNorm() {
  const std::string &x = node->input(0), &out = node->output(0);
  if (intAttr("training_mode", 0) != 0)
    nodeError("training_mode = 1 is not supported (inference only)");
  SmallVector<int64_t> shape = shapeOf(x);
  if (shape.size() != 4 && shape.size() != 2)
    nodeError("BatchNormalization supports [N,C,H,W] and [N,C] inputs");
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i) {
    if (DenseElementsAttr c = constantOf(i))
      params.push_back(materialize(c));
    else
      params.push_back(onnxValue(node->input(i)));
    if (cast<RankedTensorType>(params.back().getType()).getRank() != 1)
      nodeError("the parameters must have rank 1");
  }
  bool nhwc = shape.size() == 4;
  Value input = nhwc ? nhwcValue(x) : onnxValue(x);
  float epsilon = floatAttr("epsilon", 1e-5f);
  defineOutput(BatchNormOp::create(b, loc, input.getType(), input, params[0],
                                   params[1], params[2], params[3],
                                   b.getF32FloatAttr(epsilon), nameAttr(out)),
               nhwc);
}

void Importer::importLayerNorm() {
  const std::string &out = node->output(0);
  Value x = onnxValue(node->input(0));
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  int64_t axis = axisAttr("axis", -1, rank);
  float epsilon = floatAttr("epsilon", 1e-5f);
  int64_t stash = intAttr("stash_type", onnx::TensorProto::FLOAT);
  if (stash != onnx::TensorProto::FLOAT)
    nodeError("stash_type = " + llvm::Twine(stash) + " (" +
              dataTypeName(int32_t(stash)) +
              ") is not supported: qlow computes the mean and the variance "
              "in float32 (stash_type = 1)");
  Value scale = has(1) ? inputForRank(1, rank) : Value();
  Value bias = has(2) ? inputForRank(2, rank) : Value();
  int64_t count = 1;
  SmallVector<int64_t> reduced(type.getShape());
  for (int64_t i = axis; i < rank; ++i) {
    count *= reduced[i];
    reduced[i] = 1;
  }
  // Y, and the optional Mean and InvStdDev (the input's shape with the
  // normalized axes set to 1), when the node names them.
  auto rtype = f32(reduced);
  SmallVector<Type> types = {type};
  for (int i = 1; i <= 2; ++i)
    if (hasOutput(i))
      types.push_back(rtype);
  SmallVector<Value> results = islandResults(out, types, [&] {
    auto sum = [&](Value v) {
      SmallVector<int64_t> s(type.getShape());
      for (int64_t i = axis; i < rank; ++i) {
        s[i] = 1;
        v = tosa::ReduceSumOp::create(b, loc, f32(s), v, uint32_t(i));
      }
      return v;
    };
    Value invN = tosaScalar(rank, 1.0f / float(count));
    Value mean = tosaMul(sum(x), invN, rtype);
    Value d = tosa::SubOp::create(b, loc, type, x, mean);
    Value var = tosaMul(sum(tosaMul(d, d, type)), invN, rtype);
    Value ve = tosa::AddOp::create(b, loc, rtype, var,
                                   tosaScalar(rank, epsilon));
    Value inv = tosa::RsqrtOp::create(b, loc, rtype, ve);
    Value y = tosaMul(d, inv, type);
    if (scale)
      y = tosaMul(y, scale, type);
    if (bias)
      y = tosa::AddOp::create(b, loc, type, y, bias);
    SmallVector<Value> yielded = {y};
    if (hasOutput(1))
      yielded.push_back(mean);
    if (hasOutput(2))
      yielded.push_back(inv);
    return yielded;
  });
  defineOutput(results[0], false);
  for (int i = 1, r = 1; i <= 2; ++i)
    if (hasOutput(i))
      define(node->output(i), results[r++], false);
}

void Importer::importGelu() {
  // ai.onnx Gelu (approximate = "none" | "tanh"), com.microsoft Gelu (erf),
  // FastGelu (tanh, optional bias) and BiasGelu (erf, bias): libonnx has not
  // checked them (GeluStandIns); checkOps counted their inputs, their
  // attributes and the bias are checked here.
  StringRef op = node->op_type();
  bool microsoft = node->domain() == kMicrosoftDomain;
  for (const onnx::AttributeProto &a : node->attribute())
    if (microsoft || a.name() != "approximate" ||
        a.type() != onnx::AttributeProto::STRING)
      nodeError("unknown attribute '" + a.name() + "'" +
                (microsoft ? "" : " (Gelu takes the string 'approximate')"));
  bool tanhForm = op == "FastGelu";
  if (!microsoft) {
    std::string approximate = stringAttr("approximate", "none");
    if (approximate != "none" && approximate != "tanh")
      nodeError("unknown approximate = '" + approximate +
                "' (Gelu takes 'none' or 'tanh')");
    tanhForm = approximate == "tanh";
  }
  const std::string &x = node->input(0), &out = node->output(0);
  // Gelu(x + bias), the bias a vector along the last dimension.
  Value bias;
  bool nhwc = false;
  Value input;
  if (has(1)) {
    input = onnxValue(x);
    auto type = cast<RankedTensorType>(input.getType());
    DenseElementsAttr c = constantOf(1);
    SmallVector<int64_t> bs = c ? SmallVector<int64_t>(c.getType().getShape())
                                : shapeOf(node->input(1));
    if (type.getRank() < 1 || bs.size() != 1 ||
        bs[0] != type.getShape().back())
      nodeError("the bias must be a vector the size of the last dimension");
    bias = inputForRank(1, type.getRank());
  } else {
    input = anyLayout(x, nhwc);
  }
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.getElementType().isF32())
    nodeError("the input must be float32");
  int64_t rank = type.getRank();
  defineOutput(
      island(out, type,
             [&]() -> Value {
               Value v = input;
               if (bias)
                 v = tosa::AddOp::create(b, loc, type, v, bias);
               // erf:  0.5 x (1 + erf(x / sqrt(2)))
               // tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
               Value inner;
               if (tanhForm) {
                 Value cube = tosaMul(tosaMul(v, v, type), v, type);
                 Value sum = tosa::AddOp::create(
                     b, loc, type, v,
                     tosaMul(cube, tosaScalar(rank, 0.044715f), type));
                 inner = tosa::TanhOp::create(
                     b, loc, type,
                     tosaMul(sum, tosaScalar(rank, 0.7978845608028654f),
                             type));
               } else {
                 inner = tosa::ErfOp::create(
                     b, loc, type,
                     tosaMul(v, tosaScalar(rank, 0.7071067811865476f), type));
               }
               Value onePlus = tosa::AddOp::create(b, loc, type, inner,
                                                   tosaScalar(rank, 1.0f));
               Value half = tosaMul(v, tosaScalar(rank, 0.5f), type);
               return tosaMul(half, onePlus, type);
             }),
      nhwc);
}

//===----------------------------------------------------------------------===//
// Quantized models (QDQ, QLinear*, *Integer)
//===----------------------------------------------------------------------===//

int32_t Importer::elemTypeOf(StringRef name) {
  if (auto it = constantTypes.find(name); it != constantTypes.end())
    return it->second;
  const onnx::TypeProto *t = types.lookup(name);
  if (t && t->has_tensor_type())
    return t->tensor_type().elem_type();
  return 0;
}

quant::QuantizedType Importer::makeQuantType(ArrayRef<double> scales,
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

quant::QuantizedType Importer::quantTypeOf(int scaleIdx, int zpIdx,
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

QuantConst Importer::quantConstOf(int i, quant::QuantizedType type) {
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

Value Importer::quantConstValue(const QuantConst &c) {
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

Value Importer::dequantConstValue(const QuantConst &c, StringRef name) {
  Value q = quantConstValue(c);
  auto shape = c.storage.getType().getShape();
  return DequantizeOp::create(b, loc, f32(shape), q, nameAttr(name));
}

Value Importer::dequantizeActivation(StringRef name, quant::QuantizedType type,
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

Value Importer::weightValue(int i, ArrayRef<int64_t> perm, StringRef what) {
  Tensor &t = tensor(node->input(i));
  if (t.dequantOf && t.dequantOf->type.getStorageTypeIntegralWidth() <= 8)
    return dequantConstValue(perm.empty() ? *t.dequantOf
                                          : permute(*t.dequantOf, perm),
                             auxName(node->input(i), "w"));
  DenseElementsAttr c = requireConstant(i, what);
  return materialize(perm.empty() ? c : permute(c, perm));
}

Value Importer::biasValue(int i, StringRef what) {
  Tensor &t = tensor(node->input(i));
  if (t.dequantOf)
    return dequantConstValue(*t.dequantOf, auxName(node->input(i), "b"));
  return materialize(requireConstant(i, what));
}

Value Importer::integersOf(StringRef name, bool forceNHWC, bool &nhwc,
                           StringRef dqName) {
  Tensor &t = tensor(name);
  Value any = t.nhwc ? t.nhwc : onnxValue(name);
  quant::QuantizedType q = getQuantElementType(any.getType());
  if (!q || isa<quant::UniformQuantizedPerAxisType>(q))
    nodeError("input '" + name + "' is not a per-tensor quantized tensor "
              "(qlow reads integer tensors only from QuantizeLinear, "
              "DynamicQuantizeLinear or quantized ops)");
  int32_t dtype = onnx::TensorProto::INT32;
  if (q.getStorageTypeIntegralWidth() <= 8)
    dtype = q.isSigned() ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
  return dequantizeActivation(name, makeQuantType(1.0, 0, dtype, -1),
                              forceNHWC, nhwc, dqName);
}

Value Importer::scalarOperand(int i, int64_t rank, StringRef what) {
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

Value Importer::dequantizeAtRunTime(Value ints, int zpIdx, int scaleIdx,
                                    StringRef name) {
  auto type = cast<RankedTensorType>(ints.getType());
  int64_t rank = type.getRank();
  Value zp = zpIdx >= 0 ? scalarOperand(zpIdx, rank, "the zero point")
                        : Value();
  Value scale =
      scaleIdx >= 0 ? scalarOperand(scaleIdx, rank, "the scale") : Value();
  return island(name, type, [&] {
    Value v = ints;
    if (zp)
      v = tosa::SubOp::create(b, loc, type, v, zp);
    return scale ? tosaMul(v, scale, type) : v;
  });
}

void Importer::importDynamicQuantizeLinear() {
  // y = saturate(round(x / scale) + zp) as uint8, scale = (max - min) / 255
  // and zp = saturate(round(-min / scale)) over the range [min, max] of x
  // widened to include 0 (an empty range has scale 1, as in ONNX Runtime),
  // rounding half to even: in a float island, with true divisions so that
  // the integers are exactly those of the ONNX definition. y and y_zero_point
  // are u8 tensors at scale 1 (their integers); y_scale is f32.
  const std::string &out = node->output(0);
  bool nhwc;
  Value x = anyLayout(node->input(0), nhwc);
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
  SmallVector<Value> results = islandResults(
      out, TypeRange{i8(shape), f32({}), i8({})}, [&] {
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
        Value scale = arith::DivFOp::create(b, loc, range,
                                            tosaScalar(rank, 255.0f));
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
    define(node->output(1), results[1], false);
  if (hasOutput(2))
    define(node->output(2), integers(results[2]), false);
}

Value Importer::integerOutput(StringRef name, int32_t dtype) {
  Value v = onnxValue(name);
  quant::QuantizedType q = getQuantElementType(v.getType());
  if (!q || isa<quant::UniformQuantizedPerAxisType>(q) ||
      q.getStorageTypeIntegralWidth() != 8 ||
      q.isSigned() != (dtype == onnx::TensorProto::INT8))
    fail("graph output '" + name + "' has element type " +
         dataTypeName(dtype) +
         "; qlow models return float32 tensors and the integers of "
         "per-tensor quantized int8/uint8 tensors");
  quant::QuantizedType ints = makeQuantType(1.0, 0, dtype, -1);
  if (q == ints)
    return v;
  // The same integers, read at scale 1 and zero point 0.
  auto type = cast<RankedTensorType>(v.getType());
  Value storage = quant::StorageCastOp::create(
      b, loc, type.clone(q.getStorageType()), v);
  return quant::StorageCastOp::create(b, loc, type.clone(ints), storage);
}

void Importer::importQuantizeLinear() {
  const std::string &x = node->input(0), &out = node->output(0);
  int32_t dtype = onnx::TensorProto::UINT8;
  Tensor &t = tensor(x);
  SmallVector<int64_t> shape =
      t.constant ? SmallVector<int64_t>(t.constant.getType().getShape())
                 : shapeOf(x);
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
    SmallVector<double> scales;
    SmallVector<int64_t> zps;
    int64_t axis = -1, inner = 1, channels = 1;
    if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
      llvm::append_range(scales, pa.getScales());
      llvm::append_range(zps, pa.getZeroPoints());
      axis = pa.getQuantizedDimension();
      channels = shape[axis];
      for (int64_t i = axis + 1; i < int64_t(shape.size()); ++i)
        inner *= shape[i];
    } else {
      auto u = cast<quant::UniformQuantizedType>(type);
      scales.push_back(u.getScale());
      zps.push_back(u.getZeroPoint());
    }
    std::vector<int64_t> q;
    for (size_t i = 0; i < v.size(); ++i) {
      int64_t ch = axis < 0 ? 0 : (int64_t(i) / inner) % channels;
      float r = std::nearbyint(v[i] / float(scales[ch]));
      double lo = double(type.getStorageTypeMin() - zps[ch]);
      double hi = double(type.getStorageTypeMax() - zps[ch]);
      double d = std::isnan(r) ? 0.0 : std::min(std::max(double(r), lo), hi);
      q.push_back(int64_t(d) + zps[ch]);
    }
    c.storage = DenseElementsAttr::get(
        RankedTensorType::get(shape, b.getI64Type()), llvm::ArrayRef(q));
    Tensor r;
    r.quantConst = c;
    tensors[out] = r;
    constantTypes[out] = has(2) ? elemTypeOf(node->input(2)) : dtype;
    return;
  }
  if (isa<quant::UniformQuantizedPerAxisType>(type))
    nodeError("per-axis quantization of a run-time tensor is not supported");
  bool nhwc;
  Value v = anyLayout(x, nhwc);
  auto vt = cast<RankedTensorType>(v.getType());
  if (!isa<FloatType>(vt.getElementType()))
    nodeError("the input must be float");
  defineOutput(QuantizeOp::create(b, loc, vt.clone(type), v, nameAttr(out)),
               nhwc);
}

void Importer::importDequantizeLinear() {
  const std::string &x = node->input(0), &out = node->output(0);
  Tensor &t = tensor(x);
  if (t.quantConst || (t.constant && !isa<FloatType>(t.constant.getElementType()))) {
    DenseElementsAttr data = t.quantConst ? t.quantConst->storage : t.constant;
    quant::QuantizedType type =
        quantTypeOf(1, 2, elemTypeOf(x), intAttr("axis", 1),
                    data.getType().getShape());
    if (has(2) && elemTypeOf(node->input(2)) != elemTypeOf(x) &&
        elemTypeOf(x) != 0)
      nodeError("the zero point and the data have different types");
    Tensor r;
    r.dequantOf = quantConstOf(0, type);
    r.constant = dequantizeConst(*r.dequantOf);
    tensors[out] = r;
    return;
  }
  if (t.constant)
    nodeError("the input of DequantizeLinear must be integer data");
  bool nhwc;
  if (!constantOf(1) || (has(2) && !constantOf(2))) {
    // Parameters computed at run time (DynamicQuantizeLinear's): float
    // arithmetic on the integers, per tensor.
    Value ints = integersOf(x, false, nhwc, auxName(out, "ints"));
    defineOutput(dequantizeAtRunTime(ints, has(2) ? 2 : -1, 1, out), nhwc);
    return;
  }
  Value any = anyLayout(x, nhwc);
  quant::QuantizedType have = getQuantElementType(any.getType());
  if (!have)
    nodeError("the input '" + x + "' is not quantized (it is not made by "
              "QuantizeLinear or a quantized op)");
  int32_t dtype = have.isSigned() ? onnx::TensorProto::INT8
                                  : onnx::TensorProto::UINT8;
  quant::QuantizedType type =
      quantTypeOf(1, 2, dtype, intAttr("axis", 1),
                  cast<RankedTensorType>(any.getType()).getShape());
  defineOutput(dequantizeActivation(x, type, false, nhwc, out), nhwc);
}

void Importer::importCast() {
  const std::string &x = node->input(0);
  int64_t to = intAttr("to", 0);
  Tensor &t = tensor(x);
  int32_t from = elemTypeOf(x);
  bool isFloatValue = (t.onnx || t.nhwc) &&
                      isFloatTensor((t.nhwc ? t.nhwc : t.onnx).getType());
  if (to == onnx::TensorProto::FLOAT &&
      (from == onnx::TensorProto::FLOAT ||
       (from == onnx::TensorProto::INT32 && t.intValued && isFloatValue)))
    return alias();
  // A quantized tensor cast to its own integer type (Q -> Cast -> DQ) is
  // itself; cast to float it is its integers (scale 1, zero point 0).
  Value q = t.nhwc ? t.nhwc : t.onnx;
  quant::QuantizedType qt = q ? getQuantElementType(q.getType())
                              : quant::QuantizedType();
  if (qt && !isa<quant::UniformQuantizedPerAxisType>(qt)) {
    int32_t own = qt.isSigned() ? onnx::TensorProto::INT8
                                : onnx::TensorProto::UINT8;
    if (to == own)
      return alias();
    if (to == onnx::TensorProto::FLOAT) {
      bool nhwc;
      defineOutput(integersOf(x, false, nhwc, node->output(0)), nhwc);
      return;
    }
  }
  nodeError("Cast is supported from float32 to float32, from a quantized "
            "tensor to its own type or to float32, and from the int32 result "
            "of ConvInteger/MatMulInteger to float32 (from " +
            llvm::Twine(dataTypeName(from)) + " to " +
            dataTypeName(int32_t(to)) + ")");
}

void Importer::importQLinearConv() {
  // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
  // y_zero_point, B: DequantizeLinear(x), DequantizeLinear(w) and the int32
  // bias at scale x_scale * w_scale, a float conv, QuantizeLinear(y).
  const std::string &x = node->input(0), &out = node->output(0);
  if (shapeOf(x, true).size() != 4)
    nodeError("only 2-D convolutions (NCHW inputs) are supported");
  bool nhwc;
  Value xv = onnxValue(x);
  auto xq = getQuantElementType(xv.getType());
  if (!xq)
    nodeError("the input '" + x + "' is not quantized");
  int32_t xType = xq.isSigned() ? onnx::TensorProto::INT8
                                : onnx::TensorProto::UINT8;
  quant::QuantizedType xt = quantTypeOf(1, 2, xType, -1, {});
  Value input =
      dequantizeActivation(x, xt, true, nhwc, auxName(out, "x"));
  DenseElementsAttr wdata = constantOf(3);
  if (!wdata)
    nodeError("the weights must be a constant");
  quant::QuantizedType wt = quantTypeOf(4, 5, elemTypeOf(node->input(3)), 0,
                                        wdata.getType().getShape());
  QuantConst w = quantConstOf(3, wt);
  Value filter = dequantConstValue(permute(w, kToNHWC), auxName(out, "w"));
  Value bias;
  if (has(8)) {
    DenseElementsAttr bdata = requireConstant(8, "the bias");
    int64_t o = wdata.getType().getDimSize(0);
    if (bdata.getType().getRank() != 1 || bdata.getType().getDimSize(0) != o)
      nodeError("the bias must have one value per output channel");
    auto xs = cast<quant::UniformQuantizedType>(xt).getScale();
    SmallVector<double> scales;
    for (int64_t c = 0; c < o; ++c) {
      double ws = isa<quant::UniformQuantizedPerAxisType>(wt)
                      ? cast<quant::UniformQuantizedPerAxisType>(wt)
                            .getScales()[c]
                      : cast<quant::UniformQuantizedType>(wt).getScale();
      scales.push_back(double(float(xs) * float(ws)));
    }
    quant::QuantizedType bt = makeQuantType(
        scales, SmallVector<int64_t>(o, 0), onnx::TensorProto::INT32, 0);
    bias = dequantConstValue(quantConstOf(8, bt), auxName(out, "b"));
  }
  Value conv = buildConv(x, input, filter, bias, auxName(out, "conv"));
  auto yt = quantTypeOf(6, 7, xType, -1, {});
  auto ct = cast<RankedTensorType>(conv.getType());
  defineOutput(QuantizeOp::create(b, loc, ct.clone(yt), conv, nameAttr(out)),
               true);
}

void Importer::importQLinearMatMul() {
  // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale,
  // y_zero_point.
  const std::string &a = node->input(0), &out = node->output(0);
  SmallVector<int64_t> as = shapeOf(a, true), outShape = shapeOf(out, true);
  Value av = onnxValue(a);
  auto aq = getQuantElementType(av.getType());
  if (!aq)
    nodeError("the input '" + a + "' is not quantized");
  int32_t aType = aq.isSigned() ? onnx::TensorProto::INT8
                                : onnx::TensorProto::UINT8;
  bool nhwc;
  Value lhs = dequantizeActivation(a, quantTypeOf(1, 2, aType, -1, {}), false,
                                   nhwc, auxName(out, "a"));
  if (nhwc)
    nodeError("a rank-4 left operand is not supported");
  Value rhs;
  if (DenseElementsAttr bdata = constantOf(3)) {
    if (bdata.getType().getRank() != 2)
      nodeError("constant weights must have rank 2");
    quant::QuantizedType bt = quantTypeOf(4, 5, elemTypeOf(node->input(3)), 1,
                                          bdata.getType().getShape());
    rhs = dequantConstValue(quantConstOf(3, bt), auxName(out, "b"));
  } else {
    Value bv = onnxValue(node->input(3));
    auto bq = getQuantElementType(bv.getType());
    if (!bq)
      nodeError("the input '" + node->input(3) + "' is not quantized");
    int32_t bType = bq.isSigned() ? onnx::TensorProto::INT8
                                  : onnx::TensorProto::UINT8;
    bool bn;
    rhs = dequantizeActivation(node->input(3),
                               quantTypeOf(4, 5, bType, -1, {}), false, bn,
                               auxName(out, "b"));
  }
  if (as.size() < 2 || as.size() > 3)
    nodeError("QLinearMatMul supports [M,K] and [B,M,K] left operands");
  Value mm = MatmulOp::create(b, loc, f32(outShape), lhs, rhs, Value(),
                              FloatAttr(), FloatAttr(),
                              nameAttr(auxName(out, "matmul")));
  auto yt = quantTypeOf(6, 7, aType, -1, {});
  defineOutput(QuantizeOp::create(b, loc,
                                  cast<RankedTensorType>(mm.getType()).clone(yt),
                                  mm, nameAttr(out)),
               false);
}

void Importer::importIntegerOp(bool isConv) {
  // ConvInteger(x, w, x_zero_point, w_zero_point) and
  // MatMulInteger(a, b, a_zero_point, b_zero_point): int32 results, exact
  // integers, computed here as the float op on the integers (scale 1) minus
  // their zero points; the result is a float tensor holding those integers
  // (Cast to float is then free). Exact while |result| < 2^24.
  const std::string &x = node->input(0), &out = node->output(0);
  Value xv = onnxValue(x);
  auto xq = getQuantElementType(xv.getType());
  if (!xq)
    nodeError("the input '" + x + "' is not quantized (qlow reads integer "
              "tensors only from QuantizeLinear or quantized ops)");
  int32_t xType = xq.isSigned() ? onnx::TensorProto::INT8
                                : onnx::TensorProto::UINT8;
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
    Value ints = integersOf(x, isConv, nhwc, auxName(out, "x_ints"));
    input = dequantizeAtRunTime(ints, 2, -1, auxName(out, "x"));
  } else {
    input = dequantizeActivation(x, zeroPointType(2, xType), isConv, nhwc,
                                 auxName(out, "x"));
  }
  DenseElementsAttr wdata = constantOf(1);
  if (!wdata || isa<FloatType>(wdata.getElementType()))
    nodeError("the weights must be a constant integer tensor");
  int32_t wType = elemTypeOf(node->input(1));
  quant::QuantizedType wt = zeroPointType(3, wType);
  QuantConst w = quantConstOf(1, wt);
  Value result;
  if (isConv) {
    Value filter = dequantConstValue(permute(w, kToNHWC), auxName(out, "w"));
    result = buildConv(x, input, filter, Value(), out);
  } else {
    if (nhwc || wdata.getType().getRank() != 2)
      nodeError("MatMulInteger supports [M,K] or [B,M,K] x [K,N] constant "
                "weights");
    result = MatmulOp::create(b, loc, f32(shapeOf(out, true)), input,
                              dequantConstValue(w, auxName(out, "w")),
                              Value(), FloatAttr(), FloatAttr(),
                              nameAttr(out));
  }
  defineOutput(result, isConv);
  tensors[out].intValued = true;
}
} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp>
mlir::qlow::importOnnxModelFromBuffer(llvm::StringRef buffer,
                                      llvm::StringRef sourceName,
                                      MLIRContext &ctx,
                                      const OnnxImportOptions &options) {
  ctx.loadDialect<func::FuncDialect, arith::ArithDialect, tosa::TosaDialect,
                  QlowDialect>();
  Location fileLoc = FileLineColLoc::get(&ctx, sourceName, 0, 0);
  if (options.batch < 1) {
    emitError(fileLoc) << "the batch size must be at least 1, got "
                       << options.batch;
    return nullptr;
  }
  try {
    onnx::ModelProto model;
    if (buffer.size() > size_t(INT32_MAX) ||
        !model.ParseFromArray(buffer.data(), int(buffer.size()))) {
      emitError(fileLoc) << "'" << sourceName
                         << "' is not a valid ONNX model (it does not parse "
                            "as an ONNX ModelProto; truncated or corrupt?)";
      return nullptr;
    }
    if (!model.has_graph() || model.ir_version() <= 0) {
      emitError(fileLoc) << "'" << sourceName
                         << "' is not a valid ONNX model (no graph or IR "
                            "version; truncated or corrupt?)";
      return nullptr;
    }
    Importer importer(ctx, model, sourceName, options);
    OwningOpRef<ModuleOp> module = importer.run();
    if (failed(verify(*module)))
      return nullptr;
    return module;
  } catch (const ImportError &e) {
    emitError(fileLoc) << e.what();
  } catch (const onnx::checker::ValidationError &e) {
    emitError(fileLoc) << "invalid ONNX model: " << e.what();
  } catch (const onnx::InferenceError &e) {
    emitError(fileLoc) << "ONNX shape inference failed: " << e.what();
  } catch (const std::exception &e) {
    emitError(fileLoc) << "cannot import the ONNX model: " << e.what();
  } catch (...) {
    emitError(fileLoc) << "cannot import the ONNX model: unknown error";
  }
  return nullptr;
}

OwningOpRef<ModuleOp>
mlir::qlow::importOnnxModel(llvm::StringRef path, MLIRContext &ctx,
                            const OnnxImportOptions &options) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "cannot read the ONNX model '" << path
        << "': " << file.getError().message();
    return nullptr;
  }
  return importOnnxModelFromBuffer((*file)->getBuffer(), path, ctx, options);
}

void mlir::qlow::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, arith::ArithDialect, tosa::TosaDialect,
                  QlowDialect>();
}

bool mlir::qlow::isOnnxModelPath(llvm::StringRef path) {
  return path.ends_with_insensitive(".onnx");
}
