//===- Importer.h - the ONNX importer's internals ---------------*- C++ -*-===//
//
// Shared by the files of lib/Import/Onnx (all compiled with C++ exceptions,
// see OnnxImport.cpp). The importer is a table of converters (Registry.cpp):
// one registration per (domain, op, the op versions it implements), each a
// `NodeImporter` subclass whose convert() builds the qlow ops of one node.
// NodeImporter is the binder: it gives a converter its node's inputs,
// attributes, shapes and constants, and the helpers that build qlow/TOSA ops
// in the layouts described below.
//
// Layout: ONNX is NCHW, qlow's convolutions and pools are NHWC. Every tensor
// is tracked in up to two forms, its ONNX layout and (rank 4) its NHWC
// permutation; each form is made (with a qlow.transpose) only when an op
// needs it, once. Convolutions, pools and batch-norm produce the NHWC form,
// element-wise ops keep whichever form their operands have, and anything
// layout-sensitive (reshape, gemm, softmax, the graph outputs) asks for the
// ONNX form.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_LIB_IMPORT_ONNX_IMPORTER_H
#define QLOW_LIB_IMPORT_ONNX_IMPORTER_H

#include "qlow/Import/OnnxImport.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlir::qlow::onnx_import {

/// ONNX Runtime's contrib-op domain.
constexpr llvm::StringLiteral kMicrosoftDomain = "com.microsoft";
/// The newest default-domain opset libonnx 1.12 has schemas for.
constexpr int64_t kLibOnnxMaxOpset = 17;

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// An import error: the message says what and where (node and op type).
struct ImportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const llvm::Twine &message);
/// "node 'n', op 'T'".
std::string describe(const onnx::NodeProto &node);
/// The node's name, or its first output's when it has none.
std::string nodeName(const onnx::NodeProto &node);
const char *dataTypeName(int32_t t);
bool isDefaultDomain(llvm::StringRef domain);

//===----------------------------------------------------------------------===//
// Constant data (TensorData.cpp)
//===----------------------------------------------------------------------===//

/// A DenseElementsAttr from an ONNX TensorProto: float and double as f32,
/// every integer type and bool as i64.
DenseElementsAttr tensorToAttr(const onnx::TensorProto &t, MLIRContext *ctx);
std::vector<float> floatsOf(DenseElementsAttr a);
std::vector<int64_t> intsOf(DenseElementsAttr a);
DenseElementsAttr mapFloats(DenseElementsAttr attr,
                            llvm::function_ref<float(float)> fn);
/// Permutes a constant: result dim i is input dim perm[i].
DenseElementsAttr permute(DenseElementsAttr attr, ArrayRef<int64_t> perm);

/// Integer data with its quantization (ONNX layout): `storage` holds the
/// integers as i64, `type` the scale(s) and zero point(s), per axis on
/// `type`'s dimension.
struct QuantConst {
  DenseElementsAttr storage;
  quant::QuantizedType type;
};
/// A quantized constant permuted (its per-axis dimension follows).
QuantConst permute(const QuantConst &c, ArrayRef<int64_t> perm);
/// The real values of a quantized constant: f32(q - z) * s.
DenseElementsAttr dequantizeConst(const QuantConst &c);

/// The parameters of a quantized type per element of a row-major tensor of
/// `shape`: element i has scales[channel(i)] and zps[channel(i)].
struct ElementParams {
  ElementParams(quant::QuantizedType type, ArrayRef<int64_t> shape);
  int64_t channel(int64_t i) const {
    return axis < 0 ? 0 : (i / inner) % channels;
  }
  SmallVector<double> scales;
  SmallVector<int64_t> zps;
  int64_t axis = -1, inner = 1, channels = 1;
};

/// ONNX dims -> NHWC dims for a rank-4 shape.
SmallVector<int64_t> toNHWC(ArrayRef<int64_t> s);
constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[] = {0, 3, 1, 2};
/// True when the NHWC and the NCHW form of a rank-4 shape hold their
/// elements in the same order (C == 1 or H*W == 1).
bool sameOrder(ArrayRef<int64_t> s);

//===----------------------------------------------------------------------===//
// Tensors and the state shared by every converter
//===----------------------------------------------------------------------===//

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

/// The module being built: what every node's converter reads and extends.
struct ImportState {
  ImportState(MLIRContext &ctx, onnx::ModelProto &model, StringRef source,
              const OnnxImportOptions &options);

  MLIRContext &ctx;
  onnx::ModelProto &model;
  onnx::GraphProto &graph;
  const OnnxImportOptions &options;
  OpBuilder b;
  Location fileLoc;
  /// The default-domain opset the model imports.
  int64_t opset = -1;
  bool importsMicrosoft = false;

  llvm::StringMap<Tensor> tensors;
  /// Inferred types of every tensor (owned by `model`).
  llvm::StringMap<const onnx::TypeProto *> types;
  /// ONNX element types of constants (initializers, Constant nodes).
  llvm::StringMap<int32_t> constantTypes;
  llvm::StringSet<> usedNames;
};

//===----------------------------------------------------------------------===//
// NodeImporter: the binder every converter derives from
//===----------------------------------------------------------------------===//

/// A node's inputs, outputs and attributes, and errors that name it.
class NodeView {
public:
  /// `node` is null for the graph outputs (errors then name no node).
  NodeView(const onnx::NodeProto *node, int64_t version)
      : node(node), version(version) {}

  // --- errors and attributes -------------------------------------------------
  [[noreturn]] void nodeError(const llvm::Twine &what) const;
  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t intAttr(StringRef name, int64_t dflt) const;
  /// An axis attribute normalized into [0, rank), or an error.
  int64_t axisAttr(StringRef name, int64_t dflt, int64_t rank) const;
  /// `axis` normalized into [0, rank), or an error naming `what`.
  int64_t normalizeAxis(int64_t axis, int64_t rank, StringRef what) const;
  float floatAttr(StringRef name, float dflt) const;
  std::string stringAttr(StringRef name, StringRef dflt) const;
  SmallVector<int64_t> intsAttr(StringRef name, ArrayRef<int64_t> dflt) const;
  /// Rejects attributes other than `known` (which the converter reads).
  void allowAttributes(ArrayRef<StringRef> known) const;

  // --- inputs and outputs ----------------------------------------------------
  const std::string &in(int i) const { return node->input(i); }
  const std::string &out(int i = 0) const { return node->output(i); }
  bool has(int i) const {
    return node->input_size() > i && !node->input(i).empty();
  }
  bool hasOutput(int i) const {
    return node->output_size() > i && !node->output(i).empty();
  }

protected:
  const onnx::NodeProto *node;
  /// The version of the node's op (its since-version at the model's opset).
  int64_t version;
};

/// The binder every converter derives from.
class NodeImporter : public NodeView {
public:
  /// `node` is null for the graph outputs (errors then name no node).
  NodeImporter(ImportState &s, const onnx::NodeProto *node, int64_t version);
  virtual ~NodeImporter() = default;
  /// Builds the node's ops and defines its outputs.
  virtual void convert() { fail("no converter"); }

  // --- names -----------------------------------------------------------------
  std::string auxName(StringRef base, StringRef suffix);
  StringAttr nameAttr(StringRef name) { return b.getStringAttr(name); }
  template <typename OpTy> OpTy named(OpTy op, StringRef name) {
    op->setAttr("name", nameAttr(name));
    return op;
  }

  // --- types -----------------------------------------------------------------
  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  /// The inferred, static shape of tensor `name` (f32 unless `anyType`).
  SmallVector<int64_t> shapeOf(StringRef name, bool anyType = false);
  RankedTensorType typeOf(StringRef name) { return f32(shapeOf(name)); }
  /// The ONNX element type of tensor `name` (0 if unknown).
  int32_t elemTypeOf(StringRef name);

  // --- tensors ---------------------------------------------------------------
  Tensor &tensor(StringRef name);
  DenseElementsAttr constantOf(int i) {
    return has(i) ? tensor(in(i)).constant : DenseElementsAttr();
  }
  DenseElementsAttr requireConstant(int i, StringRef what);
  /// The integers of constant input `i` (an error naming `what` unless it
  /// is an integer constant).
  SmallVector<int64_t> requireInts(int i, StringRef what);
  Value materialize(DenseElementsAttr c);
  /// The tensor in ONNX layout.
  Value onnxValue(StringRef name);
  /// The rank-4 tensor in NHWC layout.
  Value nhwcValue(StringRef name);
  /// The value of a rank-preserving (element-wise) op's operand: the NHWC
  /// form if there is one, else the ONNX form.
  Value anyLayout(StringRef name, bool &isNHWC);
  void define(StringRef name, Value v, bool isNHWC);
  void defineOutput(Value v, bool isNHWC) { define(out(0), v, isNHWC); }
  void defineConstant(StringRef name, DenseElementsAttr c);
  /// The output is the input (Identity and the like).
  void alias();
  /// `v` (rank r) reshaped to `rank` by prepending 1s (NumPy broadcasting).
  Value toRank(Value v, int64_t rank, StringRef base);
  /// A constant broadcast-ready for an op of rank `rank`: leading 1s added,
  /// permuted to NHWC if `nhwc`.
  DenseElementsAttr constantForRank(DenseElementsAttr c, int64_t rank,
                                    bool nhwc);
  /// Input `i` (ONNX layout) as an operand of an op of rank `rank`: a
  /// constant broadcast-ready, a run-time value reshaped with leading 1s.
  Value inputForRank(int i, int64_t rank);
  /// The position of ONNX axis `axis` in a value's layout (NHWC or ONNX).
  static int64_t layoutAxis(int64_t axis, bool nhwc) {
    constexpr int64_t kPosInNHWC[] = {0, 3, 1, 2};
    return nhwc ? kPosInNHWC[axis] : axis;
  }
  /// `v` along `axis` at `indices`: nothing when they are every index in
  /// order, a qlow.slice when they step evenly forward, else a qlow.gather;
  /// named `name`.
  Value selectAlong(Value v, int64_t axis, ArrayRef<int64_t> indices,
                    StringRef name);
  /// Input `i` as a plain integer tensor of `rank` (leading 1s): a constant
  /// of its ONNX type's width, a run-time integer tensor, or the storage of
  /// the integers of a uint8/int8 tensor (scale 1). `isUnsigned` says how to
  /// read it (uint8, bool).
  Value integersAtRank(int i, int64_t rank, bool &isUnsigned);
  /// An element-wise linalg.generic of `resultType` over `operands` (each of
  /// the result's rank; their dimensions of size 1 broadcast), `body`
  /// computing one element from one element of each operand.
  Value elementwise(
      RankedTensorType resultType, ValueRange operands,
      llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body);
  /// `v * factor` as a qlow.mul by a broadcast constant, named `name`.
  Value scaleBy(Value v, float factor, StringRef name);

  // --- float islands and TOSA ------------------------------------------------
  /// Builds a qlow.float_island named `name` with results of `types`;
  /// `body` builds its contents and returns the values to yield. The reason
  /// is "no quantized kernel for <op type>" unless given.
  SmallVector<Value>
  islandResults(StringRef name, TypeRange types,
                llvm::function_ref<SmallVector<Value>()> body,
                StringRef reason = "");
  /// The same with one result of `type`.
  Value island(StringRef name, RankedTensorType type,
               llvm::function_ref<Value()> body);
  Value tosaConst(ArrayRef<int64_t> shape, float value);
  Value tosaScalar(int64_t rank, float value) {
    return tosaConst(SmallVector<int64_t>(rank, 1), value);
  }
  /// A !tosa.shape constant (pads, multiples, shapes).
  Value tosaShape(ArrayRef<int64_t> values);
  Value tosaReshape(Value x, ArrayRef<int64_t> shape);
  Value tosaMul(Value x, Value y, Type type);

  // --- convolutions and windows ----------------------------------------------
  /// Pads [top, bottom, left, right] of a 2-D window from pads/auto_pad.
  SmallVector<int64_t> windowPadding(ArrayRef<int64_t> in,
                                     ArrayRef<int64_t> kernel,
                                     ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilations);
  /// A qlow.conv2d of the NHWC `input` (ONNX tensor `x`) with OHWI `filter`
  /// from the node's attributes, named `name`.
  Value buildConv(StringRef x, Value input, Value filter, Value bias,
                  StringRef name);

  /// The global average (or max) pool of the NCHW tensor `x` named `name`:
  /// [N,1,1,C] in NHWC; a max pool (a window of the whole plane) keeps a
  /// quantized input's type.
  Value buildGlobalPool(bool isMax, StringRef x, StringRef name);

  // --- quantization ----------------------------------------------------------
  /// The quantized element type given by a scale input and an optional
  /// zero-point input (storage `dtype` when there is no zero point), per
  /// axis `axis` of a tensor of shape `shape` when the scale is a vector.
  quant::QuantizedType quantTypeOf(int scaleIdx, int zpIdx, int32_t dtype,
                                   int64_t axis, ArrayRef<int64_t> shape);
  quant::QuantizedType makeQuantType(ArrayRef<double> scales,
                                     ArrayRef<int64_t> zps, int32_t dtype,
                                     int64_t axis);
  /// The ONNX storage type (INT8/UINT8, INT32 past 8 bits) of a quantized
  /// type.
  static int32_t storageDataType(quant::QuantizedType q);
  /// The ONNX storage type of the quantized tensor `name` (whichever form
  /// it has), or an error saying `why` it must be quantized.
  int32_t quantizedStorage(StringRef name, StringRef why = "");
  /// The integer constant at input `i` with quantization `type`.
  QuantConst quantConstOf(int i, quant::QuantizedType type);
  /// A quantized constant as a value: its storage integers reinterpreted
  /// (quant.scast) as the quantized type.
  Value quantConstValue(const QuantConst &c);
  Value dequantConstValue(const QuantConst &c, StringRef name);
  /// The quantized activation `name` read as `type` (its storage integers
  /// reinterpreted when the parameters differ) and dequantized, in NHWC
  /// form if `forceNHWC` (else whichever form it has, `nhwc` set
  /// accordingly).
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

protected:
  ImportState &s;
  OpBuilder &b;
  Location loc;
};

//===----------------------------------------------------------------------===//
// Compile-time evaluation (Literal.cpp; each op's fold beside its converter)
//===----------------------------------------------------------------------===//

/// A constant tensor while the importer evaluates the graph's shape
/// computations: its ONNX element type, shape and values (integers and bool
/// as int64, floating-point values as double holding what the ONNX type
/// holds).
struct Literal {
  int32_t dtype = 0;
  SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  static bool isFloatType(int32_t dtype);
  bool isFloat() const { return isFloatType(dtype); }
  int64_t size() const;
  /// Element `i` as a double / an int64 (floats truncated).
  double real(int64_t i) const { return isFloat() ? floats[i] : ints[i]; }
  int64_t integer(int64_t i) const {
    return isFloat() ? int64_t(floats[i]) : ints[i];
  }
  /// A literal of `dtype` and `shape` with room for its values.
  static Literal make(int32_t dtype, ArrayRef<int64_t> shape);
  /// True when a literal of `shape` is small enough to evaluate
  /// (kMaxElements, without overflow): the folds check before they make one.
  static bool fits(ArrayRef<int64_t> shape);
  static constexpr int64_t kMaxElements = int64_t(1) << 24;
  static Literal ofInts(ArrayRef<int64_t> values, int32_t dtype,
                        ArrayRef<int64_t> shape);
  /// Sets element `i`, rounded to the literal's type (float32, integer
  /// wrap-around, bool 0/1).
  void set(int64_t i, double v);
  void setInt(int64_t i, int64_t v);
  /// Every value of a TensorProto qlow reads; nullopt for other types
  /// (strings, float16, ...) and external data.
  static std::optional<Literal> fromTensor(const onnx::TensorProto &t);
  onnx::TensorProto toTensor(const std::string &name) const;
};

/// Row-major strides of `shape`.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape);
/// NumPy's broadcast of two shapes, or nullopt when they do not broadcast.
std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b);
/// The flat index into `shape` (broadcast to `out`) of element `i` of `out`.
int64_t broadcastIndex(int64_t i, ArrayRef<int64_t> out,
                       ArrayRef<int64_t> shape);

/// A node evaluated at compile time: its constant inputs and the static
/// shapes of the others.
class FoldContext : public NodeView {
public:
  FoldContext(const onnx::NodeProto &n, int64_t version,
              std::vector<std::optional<Literal>> values,
              std::vector<std::optional<SmallVector<int64_t>>> shapes)
      : NodeView(&n, version), values(std::move(values)),
        shapes(std::move(shapes)) {}
  /// Input `i` when it is a constant (null when absent or not constant).
  const Literal *value(int i) const {
    return i < int(values.size()) && values[i] ? &*values[i] : nullptr;
  }
  /// The static shape of input `i` when it is known.
  const SmallVector<int64_t> *shape(int i) const {
    return i < int(shapes.size()) && shapes[i] ? &*shapes[i] : nullptr;
  }
  /// True when every input the node names is a constant.
  bool allConstant() const;
  int64_t opVersion() const { return version; }
  int inputCount() const { return node->input_size(); }
  int outputCount() const { return node->output_size(); }

private:
  std::vector<std::optional<Literal>> values;
  std::vector<std::optional<SmallVector<int64_t>>> shapes;
};

/// The element-wise `real`/`integer` (the latter when every input is an
/// integer tensor) of `inputs` with NumPy broadcasting, as a literal of
/// `resultType`; nullopt when an input is not a constant.
std::optional<Literal>
elementwiseFold(const FoldContext &ctx, ArrayRef<const Literal *> inputs,
                int32_t resultType,
                llvm::function_ref<double(ArrayRef<double>)> real,
                llvm::function_ref<int64_t(ArrayRef<int64_t>)> integer);

/// Evaluates a node on constants: its outputs, or nullopt when it cannot be
/// evaluated (an input is not a constant). Errors (bad attributes, shapes
/// that do not fit) fail naming the node.
using FoldFn =
    std::function<std::optional<std::vector<Literal>>(const FoldContext &)>;

//===----------------------------------------------------------------------===//
// Stand-ins for libonnx (StandIns.cpp)
//===----------------------------------------------------------------------===//

/// The integers of constant tensor `name` (an initializer or a Constant
/// node's value), or nullopt.
using ConstantInts =
    llvm::function_ref<std::optional<SmallVector<int64_t>>(StringRef)>;
/// A node as libonnx 1.12 is shown it, with any initializer it reads that
/// the model lacks.
struct StandIn {
  onnx::NodeProto node;
  std::vector<onnx::TensorProto> initializers;
  StandIn(onnx::NodeProto node) : node(std::move(node)) {}
};
/// The stand-in of a node, or nullopt to show it as it is.
using StandInFn = std::function<std::optional<StandIn>(
    const onnx::NodeProto &, int64_t version, ConstantInts)>;

/// `n` without its attributes named in `names` (the converter reads them
/// from the node itself).
onnx::NodeProto withoutAttributes(const onnx::NodeProto &n,
                                  ArrayRef<StringRef> names);
/// An Identity of the node's first input (element-wise ops libonnx does not
/// know: same type and shape).
std::optional<StandIn> identityStandIn(const onnx::NodeProto &n);
/// From version `since` on: the node without the attributes `dropped`
/// added, each of which must have its default value (else an error naming
/// the node; `defaults` holds the integer defaults, for int attributes).
StandInFn withoutNewAttributes(int64_t since,
                               ArrayRef<std::pair<StringRef, int64_t>> dropped);
/// From version `since` on: the constant axes input (input 1) moved back
/// into the `axes` attribute of the older version, any attribute in
/// `dropped` removed (defaults as above).
StandInFn
axesInputToAttribute(int64_t since,
                     ArrayRef<std::pair<StringRef, int64_t>> dropped = {});

/// Builds the standard ONNX nodes a node expands into (ONNX Runtime's
/// QOperator contrib ops become DequantizeLinear -> op -> QuantizeLinear):
/// fresh tensor names from the node's, nodes appended in order.
class Expansion {
public:
  Expansion(const onnx::NodeProto &node, int64_t modelOpset)
      : node(node), modelOpset(modelOpset) {}

  /// A fresh tensor name.
  std::string fresh(StringRef what);
  /// Appends a node of `op` (default domain) and returns it.
  onnx::NodeProto &add(StringRef op, ArrayRef<std::string> inputs,
                       ArrayRef<std::string> outputs);
  /// DequantizeLinear(x, scale, zp) (zp may be ""), per `axis`.
  std::string dequantize(const std::string &x, const std::string &scale,
                         const std::string &zp, int64_t axis = 1);
  /// QuantizeLinear(x, scale, zp) into `out`.
  void quantize(const std::string &x, const std::string &scale,
                const std::string &zp, const std::string &out);
  /// Copies the node's attributes named in `names` onto `to`.
  void copyAttributes(onnx::NodeProto &to, ArrayRef<StringRef> names);
  /// The node's input `i` ("" when absent).
  std::string in(int i) const {
    return node.input_size() > i ? node.input(i) : std::string();
  }

  const onnx::NodeProto &node;
  int64_t modelOpset;
  std::vector<onnx::NodeProto> nodes;
  std::vector<onnx::TensorProto> initializers;

private:
  int counter = 0;
};

/// Expands a node into standard ONNX nodes (Expansion), or fails naming it.
using ExpandFn = std::function<void(Expansion &)>;

struct ConverterInfo;

/// While libonnx checks and infers the model, every node it has no schema
/// for is shown as its converter's stand-in, and the IR version is lowered
/// to the newest its checker knows; the destructor puts everything back.
class SchemaStandIns {
public:
  SchemaStandIns(ImportState &s, ArrayRef<const ConverterInfo *> convs,
                 ArrayRef<int64_t> versions);
  ~SchemaStandIns();

private:
  ImportState &s;
  int64_t irVersion;
  std::vector<std::pair<int, onnx::NodeProto>> hidden;
  int addedInitializers = 0;
};

//===----------------------------------------------------------------------===//
// The table of converters (Registry.cpp)
//===----------------------------------------------------------------------===//

/// How one (domain, op) is imported.
struct ConverterInfo {
  std::string domain; // "" for ai.onnx
  std::string op;
  /// The op versions (since-versions) the converter implements; a node of
  /// another version is an error naming it.
  SmallVector<int64_t> versions;
  std::function<std::unique_ptr<NodeImporter>(ImportState &,
                                              const onnx::NodeProto &, int64_t)>
      make;
  /// How many outputs the converter defines (-1: any number); a node that
  /// uses more is an error.
  int outputs = 1;
  /// How libonnx 1.12 is shown a node it has no schema for (ops and
  /// versions newer than its opset 17): a node with the same outputs that
  /// its checker and shape inference know, used only while they run. May
  /// check the node and fail. Unset: the node is shown as it is.
  StandInFn standIn;
  /// Replaces the node, before anything else, by the standard nodes it
  /// stands for (then no `make`/`fold` is needed).
  ExpandFn expand;
  /// Evaluates the node when its inputs are constants (shape arithmetic);
  /// a node folded so is replaced by its constant outputs before import.
  FoldFn fold;
  /// For the documentation table (docs/generated/OnnxOps.md).
  std::string family, becomes, notes;
};

class ConverterRegistry {
public:
  /// Registers `T` for `op` at `versions`.
  template <typename T>
  ConverterInfo &add(StringRef domain, StringRef op,
                     std::initializer_list<int64_t> versions, StringRef becomes,
                     StringRef notes = "") {
    ConverterInfo info;
    info.domain = domain.str();
    info.op = op.str();
    info.versions.assign(versions.begin(), versions.end());
    info.make = [](ImportState &s, const onnx::NodeProto &n, int64_t v) {
      return std::unique_ptr<NodeImporter>(new T(s, &n, v));
    };
    info.family = family;
    info.becomes = becomes.str();
    info.notes = notes.str();
    entries.push_back(std::move(info));
    return entries.back();
  }
  /// Registers `T` for the default domain.
  template <typename T>
  ConverterInfo &add(StringRef op, std::initializer_list<int64_t> versions,
                     StringRef becomes, StringRef notes = "") {
    return add<T>("", op, versions, becomes, notes);
  }
  /// Registers an op that expands into standard nodes.
  ConverterInfo &addExpansion(StringRef domain, StringRef op,
                              std::initializer_list<int64_t> versions,
                              StringRef becomes, StringRef notes,
                              ExpandFn expand) {
    ConverterInfo &c = add<NodeImporter>(domain, op, versions, becomes, notes);
    c.expand = std::move(expand);
    c.outputs = -1;
    return c;
  }
  /// The converter of (domain, op), or null.
  const ConverterInfo *find(StringRef domain, StringRef op) const;
  const std::vector<ConverterInfo> &all() const { return entries; }
  /// The family the next registrations belong to (a section of the docs).
  void setFamily(StringRef f) { family = f.str(); }

private:
  std::vector<ConverterInfo> entries;
  std::string family;
};

/// Every converter, registered once.
const ConverterRegistry &converters();

// One registration function per family of ops, each in its own file.
void registerConvConverters(ConverterRegistry &r);
void registerMatMulConverters(ConverterRegistry &r);
void registerElementwiseConverters(ConverterRegistry &r);
void registerPoolConverters(ConverterRegistry &r);
void registerShapeConverters(ConverterRegistry &r);
void registerNormConverters(ConverterRegistry &r);
void registerQuantConverters(ConverterRegistry &r);
void registerShapeArithmeticConverters(ConverterRegistry &r);
void registerReduceConverters(ConverterRegistry &r);
void registerLogicConverters(ConverterRegistry &r);
void registerResizeConverters(ConverterRegistry &r);
void registerQOperatorConverters(ConverterRegistry &r);

/// The version of `op` in `domain` at the model's opset `opset` of that
/// domain: the newest since-version <= opset (libonnx's schemas up to opset
/// 17, qlow's own table of the versions opsets 18 to 21 added); nullopt if
/// the op does not exist at that opset. Every com.microsoft op is version 1.
std::optional<int64_t> opVersion(StringRef domain, StringRef op, int64_t opset);

//===----------------------------------------------------------------------===//
// The whole model (ModelImporter.cpp)
//===----------------------------------------------------------------------===//

class ModelImporter {
public:
  ModelImporter(MLIRContext &ctx, onnx::ModelProto &model, StringRef source,
                const OnnxImportOptions &options);
  ~ModelImporter();
  OwningOpRef<ModuleOp> run();

private:
  void checkOpsets();
  /// Finds every node's converter and op version, or fails naming the node.
  void resolveConverters();
  /// Replaces the nodes whose converters expand them; true if any was.
  bool expandNodes();
  /// Fixes a dynamic leading dimension of every graph input to the batch
  /// size and rejects any other dynamic dimension, so that shape inference
  /// gives static shapes throughout.
  void fixInputShapes();
  void inferShapes();
  /// Replaces every node whose converter can evaluate it on its constant
  /// inputs and static shapes (shape arithmetic) by initializers; true if
  /// any was.
  bool foldConstants();
  void importNode(const onnx::NodeProto &n, const ConverterInfo &conv,
                  int64_t version);

  ImportState s;
  /// Per node of the graph: its converter and op version.
  std::vector<const ConverterInfo *> convs;
  std::vector<int64_t> versions;
};

} // namespace mlir::qlow::onnx_import

#endif // QLOW_LIB_IMPORT_ONNX_IMPORTER_H
