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

class NodeImporter {
public:
  /// `node` is null for the graph outputs (errors then name no node).
  NodeImporter(ImportState &s, const onnx::NodeProto *node, int64_t version);
  virtual ~NodeImporter() = default;
  /// Builds the node's ops and defines its outputs.
  virtual void convert() { fail("no converter"); }

  // --- errors and attributes -------------------------------------------------
  [[noreturn]] void nodeError(const llvm::Twine &what);
  const onnx::AttributeProto *attr(StringRef name);
  int64_t intAttr(StringRef name, int64_t dflt);
  /// An axis attribute normalized into [0, rank), or an error.
  int64_t axisAttr(StringRef name, int64_t dflt, int64_t rank);
  /// `axis` normalized into [0, rank), or an error naming `what`.
  int64_t normalizeAxis(int64_t axis, int64_t rank, StringRef what);
  float floatAttr(StringRef name, float dflt);
  std::string stringAttr(StringRef name, StringRef dflt);
  SmallVector<int64_t> intsAttr(StringRef name, ArrayRef<int64_t> dflt);
  /// Rejects attributes other than `known` (which the converter reads).
  void allowAttributes(ArrayRef<StringRef> known);

  // --- names -----------------------------------------------------------------
  std::string auxName(StringRef base, StringRef suffix);
  StringAttr nameAttr(StringRef name) { return b.getStringAttr(name); }
  template <typename OpTy> OpTy named(OpTy op, StringRef name) {
    op->setAttr("name", nameAttr(name));
    return op;
  }

  // --- inputs and outputs ----------------------------------------------------
  const std::string &in(int i) const { return node->input(i); }
  const std::string &out(int i = 0) const { return node->output(i); }
  bool has(int i) const {
    return node->input_size() > i && !node->input(i).empty();
  }
  bool hasOutput(int i) const {
    return node->output_size() > i && !node->output(i).empty();
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
  /// `v * factor` as a qlow.mul by a broadcast constant, named `name`.
  Value scaleBy(Value v, float factor, StringRef name);

  // --- float islands and TOSA ------------------------------------------------
  /// Builds a qlow.float_island named `name` with results of `types`;
  /// `body` builds its contents and returns the values to yield.
  SmallVector<Value>
  islandResults(StringRef name, TypeRange types,
                llvm::function_ref<SmallVector<Value>()> body);
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

  // --- quantization ----------------------------------------------------------
  /// The quantized element type given by a scale input and an optional
  /// zero-point input (storage `dtype` when there is no zero point), per
  /// axis `axis` of a tensor of shape `shape` when the scale is a vector.
  quant::QuantizedType quantTypeOf(int scaleIdx, int zpIdx, int32_t dtype,
                                   int64_t axis, ArrayRef<int64_t> shape);
  quant::QuantizedType makeQuantType(ArrayRef<double> scales,
                                     ArrayRef<int64_t> zps, int32_t dtype,
                                     int64_t axis);
  /// The ONNX storage type (INT8/UINT8) of a per-tensor quantized type.
  static int32_t storageDataType(quant::QuantizedType q);
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
  const onnx::NodeProto *node;
  /// The version of the node's op (its since-version at the model's opset).
  int64_t version;
  Location loc;
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
  std::function<std::optional<onnx::NodeProto>(const onnx::NodeProto &,
                                               int64_t version)>
      standIn;
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
  /// Fixes a dynamic leading dimension of every graph input to the batch
  /// size and rejects any other dynamic dimension, so that shape inference
  /// gives static shapes throughout.
  void fixInputShapes();
  void inferShapes();
  void importNode(const onnx::NodeProto &n, const ConverterInfo &conv,
                  int64_t version);

  ImportState s;
  /// Per node of the graph: its converter and op version.
  std::vector<const ConverterInfo *> convs;
  std::vector<int64_t> versions;
};

} // namespace mlir::qlow::onnx_import

#endif // QLOW_LIB_IMPORT_ONNX_IMPORTER_H
