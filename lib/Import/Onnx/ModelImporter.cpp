//===- ModelImporter.cpp - an ONNX graph into one func.func ---------------===//
//
// The model-level steps: opsets and op versions, libonnx's checker and shape
// inference (with stand-ins for the nodes it has no schema for), the batch
// size, then one converter per node (Registry.cpp) and the graph outputs.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

namespace {
/// The default-domain opsets qlow imports (each node then at its op version,
/// which its converter must implement).
constexpr int64_t kMinOpset = 1, kMaxOpset = 21;

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

/// The function's arguments and results: no node, so errors name the
/// tensor. Integer tensors cross the boundary as what they are (int32,
/// int64; uint8/int8 as the integers of a quantized tensor at scale 1), bools
/// as bytes (i8 marked qlow.bool, i1 inside).
class GraphBoundary : public NodeImporter {
public:
  explicit GraphBoundary(ImportState &s) : NodeImporter(s, nullptr, 0) {}

  /// The argument type of graph input `name`; `isBool` says it is a bool
  /// tensor passed as bytes.
  Type inputType(StringRef name, bool &isBool) {
    int32_t dtype = elemTypeOf(name);
    SmallVector<int64_t> shape = shapeOf(name, /*anyType=*/true);
    isBool = dtype == onnx::TensorProto::BOOL;
    if (Type elem = boundaryElementType(dtype))
      return RankedTensorType::get(shape, elem);
    fail("graph input '" + name + "' has element type " + dataTypeName(dtype) +
         "; qlow models take float32, uint8, int8, int32, int64 and bool "
         "inputs");
  }

  /// Defines graph input `name` from its argument.
  void defineInput(StringRef name, Value arg, bool isBool) {
    if (!isBool) {
      define(name, arg, false);
      return;
    }
    auto type = cast<RankedTensorType>(arg.getType());
    auto i1 = type.clone(b.getI1Type());
    define(name,
           islandResults(
               name, i1,
               [&] {
                 return SmallVector<Value>{
                     tosa::CastOp::create(b, loc, i1, arg)};
               },
               "bool input read from bytes")[0],
           false);
  }

  /// The value and type of graph output `name`; `isBool` as for inputs.
  std::pair<Value, RankedTensorType> output(StringRef name, bool &isBool) {
    int32_t dtype = elemTypeOf(name);
    isBool = dtype == onnx::TensorProto::BOOL;
    Type elem = boundaryElementType(dtype);
    Tensor &t = tensor(name);
    if (elem && t.constant && !t.onnx && !t.nhwc &&
        !isa<FloatType>(t.constant.getElementType()))
      return {constantOutput(t.constant, elem),
              RankedTensorType::get(t.constant.getType().getShape(),
                                    constantType(elem))};
    SmallVector<int64_t> shape = shapeOf(name, /*anyType=*/true);
    if (dtype == onnx::TensorProto::INT32 && t.intValued) {
      // The exact integers of ConvInteger/MatMulInteger, held as floats.
      Value f = onnxValue(name);
      auto i32 = RankedTensorType::get(shape, b.getI32Type());
      Value ints = islandResults(
          name, i32,
          [&] {
            return SmallVector<Value>{arith::FPToSIOp::create(b, loc, i32, f)};
          },
          "int32 output held as exact floats")[0];
      return {ints, i32};
    }
    Value v;
    if (dtype == onnx::TensorProto::UINT8 || dtype == onnx::TensorProto::INT8)
      v = integerOutput(name, dtype);
    else
      v = onnxValue(name);
    if (!elem)
      fail("graph output '" + name + "' has element type " +
           dataTypeName(dtype) +
           "; qlow models return float32, uint8, int8, int32, int64 and bool "
           "tensors");
    if (dtype != onnx::TensorProto::UINT8 && dtype != onnx::TensorProto::INT8)
      elem = isBool ? b.getI1Type() : elem;
    auto type = RankedTensorType::get(shape, elem);
    if (v.getType() != type)
      fail("graph output '" + name + "' does not have its inferred type " +
           "(it is computed as " + typeString(v.getType()) + ")");
    if (isBool) {
      auto bytes = type.clone(b.getI8Type());
      v = islandResults(
          name, bytes,
          [&] {
            return SmallVector<Value>{tosa::CastOp::create(b, loc, bytes, v)};
          },
          "bool output written as bytes")[0];
      type = bytes;
    }
    return {v, type};
  }

private:
  /// The storage element type of a constant output of boundary type `elem`.
  static Type constantType(Type elem) {
    if (auto q = dyn_cast<quant::QuantizedType>(elem))
      return RankedTensorType::get({}, q).getElementType();
    return elem;
  }

  /// An integer constant (shape arithmetic, Dropout's mask) returned as a
  /// graph output of boundary element type `elem`.
  Value constantOutput(DenseElementsAttr c, Type elem) {
    auto q = dyn_cast<quant::QuantizedType>(elem);
    Type storage = q ? q.getStorageType() : elem;
    unsigned width = storage.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (int64_t v : intsOf(c))
      values.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                             /*implicitTrunc=*/true));
    auto type = RankedTensorType::get(c.getType().getShape(), storage);
    Value v =
        arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
    if (q)
      v = quant::StorageCastOp::create(b, loc, type.clone(q), v);
    return v;
  }

  /// The element type of a function argument or result of ONNX type
  /// `dtype`, or null.
  Type boundaryElementType(int32_t dtype) {
    switch (dtype) {
    case onnx::TensorProto::FLOAT:
      return b.getF32Type();
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT8:
      return makeQuantType(1.0, 0, dtype, -1);
    case onnx::TensorProto::INT32:
      return b.getI32Type();
    case onnx::TensorProto::INT64:
      return b.getI64Type();
    case onnx::TensorProto::BOOL:
      return b.getI8Type();
    default:
      return Type();
    }
  }

  static std::string typeString(Type t) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << t;
    return s;
  }

  /// The value of graph output `name` of ONNX element type `dtype` (int8,
  /// uint8): the integers of its quantized tensor.
  Value integerOutput(StringRef name, int32_t dtype) {
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
    Value storage =
        quant::StorageCastOp::create(b, loc, type.clone(q.getStorageType()), v);
    return quant::StorageCastOp::create(b, loc, type.clone(ints), storage);
  }
};

} // namespace

ModelImporter::ModelImporter(MLIRContext &ctx, onnx::ModelProto &model,
                             StringRef source, const OnnxImportOptions &options)
    : s(ctx, model, source, options) {}

ModelImporter::~ModelImporter() = default;

void ModelImporter::checkOpsets() {
  for (const onnx::OperatorSetIdProto &o : s.model.opset_import()) {
    if (isDefaultDomain(o.domain()))
      s.opset = o.version();
    if (o.domain() == kMicrosoftDomain)
      s.importsMicrosoft = true;
  }
  if (s.opset < 0)
    fail("the model imports no default-domain (ai.onnx) opset");
  if (s.opset < kMinOpset || s.opset > kMaxOpset)
    fail("unsupported ONNX opset " + llvm::Twine(s.opset) +
         " (qlow imports opsets " + llvm::Twine(kMinOpset) + " to " +
         llvm::Twine(kMaxOpset) + ")");
}

void ModelImporter::resolveConverters() {
  for (const onnx::NodeProto &n : s.graph.node()) {
    std::string name = nodeName(n);
    bool defaultDomain = isDefaultDomain(n.domain());
    std::string qualified =
        defaultDomain ? n.op_type() : n.domain() + "." + n.op_type();
    const ConverterInfo *conv = converters().find(n.domain(), n.op_type());
    if (!conv)
      fail("unsupported ONNX op '" + qualified + "' (node '" + name + "')");
    if (!defaultDomain && !s.importsMicrosoft)
      fail("node '" + name + "' is a " + n.domain() +
           " op, but the model "
           "does not import the " +
           n.domain() + " domain (opset_import)");
    std::optional<int64_t> version =
        opVersion(n.domain(), n.op_type(), s.opset);
    if (!version)
      fail("ai.onnx " + n.op_type() + " exists from opset " +
           llvm::Twine(conv->versions.front()) +
           ", but the model imports opset " + llvm::Twine(s.opset) +
           " (node '" + name + "')");
    if (!llvm::is_contained(conv->versions, *version)) {
      std::string implemented;
      for (int64_t v : conv->versions)
        implemented += (implemented.empty() ? "" : ", ") + std::to_string(v);
      fail(qualified + " version " + llvm::Twine(*version) + " (opset " +
           llvm::Twine(s.opset) + ") is not implemented; qlow imports " +
           qualified + " versions " + implemented + " (node '" + name + "')");
    }
    convs.push_back(conv);
    versions.push_back(*version);
  }
}

bool ModelImporter::foldConstants() {
  llvm::StringMap<const onnx::TensorProto *> initializers;
  for (const onnx::TensorProto &t : s.graph.initializer())
    initializers[t.name()] = &t;
  llvm::StringSet<> graphOutputs;
  for (const onnx::ValueInfoProto &o : s.graph.output())
    graphOutputs.insert(o.name());
  llvm::StringMap<Literal> folded;
  auto constant = [&](const std::string &name) -> std::optional<Literal> {
    if (auto it = folded.find(name); it != folded.end())
      return it->second;
    if (auto it = initializers.find(name); it != initializers.end())
      return Literal::fromTensor(*it->second);
    return std::nullopt;
  };
  auto staticShape =
      [&](const std::string &name) -> std::optional<SmallVector<int64_t>> {
    if (std::optional<Literal> l = constant(name))
      return l->shape;
    const onnx::TypeProto *t = s.types.lookup(name);
    if (!t || !t->has_tensor_type() || !t->tensor_type().has_shape())
      return std::nullopt;
    SmallVector<int64_t> shape;
    for (const auto &d : t->tensor_type().shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() < 0)
        return std::nullopt;
      shape.push_back(d.dim_value());
    }
    return shape;
  };

  auto isFloatOutput = [&](const std::string &name) {
    const onnx::TypeProto *t = s.types.lookup(name);
    return !t || !t->has_tensor_type() ||
           t->tensor_type().elem_type() == onnx::TensorProto::FLOAT;
  };
  std::vector<onnx::NodeProto> kept;
  bool changed = false;
  for (auto [i, n] : llvm::enumerate(s.graph.node())) {
    const ConverterInfo &conv = *convs[i];
    // A float graph output stays computed (a float constant would be the
    // model's whole output); integer ones (shapes) fold.
    bool foldable = bool(conv.fold);
    for (const std::string &o : n.output())
      foldable &= !graphOutputs.contains(o) || !isFloatOutput(o);
    std::optional<std::vector<Literal>> results;
    if (foldable) {
      // Constant inputs are decoded only when every input is one (a Gather
      // of run-time indices from a large table decodes nothing).
      bool allConstant = true;
      for (const std::string &name : n.input())
        allConstant &=
            name.empty() || folded.count(name) || initializers.count(name);
      std::vector<std::optional<Literal>> values;
      std::vector<std::optional<SmallVector<int64_t>>> shapes;
      for (const std::string &name : n.input()) {
        values.push_back(allConstant && !name.empty() ? constant(name)
                                                      : std::nullopt);
        shapes.push_back(name.empty() ? std::nullopt : staticShape(name));
      }
      FoldContext ctx(n, versions[i], std::move(values), std::move(shapes));
      results = conv.fold(ctx);
      if (results && int(results->size()) > n.output_size())
        fail("folding gave more results than the node has outputs (" +
             describe(n) + ")");
      if (results)
        for (const Literal &l : *results)
          if (!Literal::fits(l.shape))
            results.reset();
    }
    if (!results) {
      kept.push_back(n);
      continue;
    }
    changed = true;
    for (auto [k, l] : llvm::enumerate(*results))
      if (!n.output(k).empty())
        folded[n.output(k)] = std::move(l);
  }
  if (!changed)
    return false;
  for (auto &[name, l] : folded)
    *s.graph.add_initializer() = l.toTensor(name.str());
  s.graph.clear_node();
  for (onnx::NodeProto &n : kept)
    *s.graph.add_node() = std::move(n);
  return true;
}

bool ModelImporter::expandNodes() {
  bool changed = false;
  std::vector<onnx::NodeProto> nodes;
  for (auto [i, n] : llvm::enumerate(s.graph.node())) {
    if (!convs[i]->expand) {
      nodes.push_back(n);
      continue;
    }
    Expansion e(n, s.opset);
    convs[i]->expand(e);
    llvm::append_range(nodes, e.nodes);
    for (onnx::TensorProto &t : e.initializers)
      *s.graph.add_initializer() = std::move(t);
    changed = true;
  }
  if (!changed)
    return false;
  s.graph.clear_node();
  for (onnx::NodeProto &n : nodes)
    *s.graph.add_node() = std::move(n);
  convs.clear();
  versions.clear();
  resolveConverters();
  return true;
}

void ModelImporter::fixInputShapes() {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : s.graph.initializer())
    initializers.insert(t.name());
  for (onnx::ValueInfoProto &in : *s.graph.mutable_input()) {
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
      d->set_dim_value(s.options.batch);
    }
  }
}

void ModelImporter::inferShapes() {
  // Declared intermediate and output shapes may name the batch symbolically
  // (and, after folding, may be stale); inference recomputes them from the
  // fixed inputs.
  s.types.clear();
  s.graph.clear_value_info();
  for (onnx::ValueInfoProto &out : *s.graph.mutable_output())
    if (out.type().has_tensor_type())
      out.mutable_type()->mutable_tensor_type()->clear_shape();
  // libonnx 1.12's LayerNormalization (and Softmax) inference reads out of
  // bounds for an axis outside [-rank, rank) (found by qlow-onnx-fuzz): check
  // the axis first wherever the input rank is already known (graph inputs,
  // initializers, through rank-preserving ops).
  static const llvm::StringSet<> sameRank = {"Relu",
                                             "Sigmoid",
                                             "Tanh",
                                             "Softmax",
                                             "LayerNormalization",
                                             "Clip",
                                             "LeakyRelu",
                                             "HardSigmoid",
                                             "HardSwish",
                                             "Erf",
                                             "Identity",
                                             "Dropout",
                                             "Cast",
                                             "BatchNormalization",
                                             "QuantizeLinear",
                                             "DequantizeLinear"};
  llvm::StringMap<int64_t> ranks;
  for (const onnx::ValueInfoProto &v : s.graph.input())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
      ranks[v.name()] = v.type().tensor_type().shape().dim_size();
  for (const onnx::TensorProto &t : s.graph.initializer())
    ranks[t.name()] = t.dims_size();
  static const llvm::StringSet<> windowed = {
      "Conv",    "ConvInteger", "QLinearConv", "ConvTranspose",
      "MaxPool", "AveragePool", "LpPool"};
  for (const onnx::NodeProto &n : s.graph.node()) {
    // Its convolution and pooling inference divides by the strides,
    // dilations and group (found by qlow-onnx-fuzz): they must be positive.
    if (windowed.contains(n.op_type()))
      for (const onnx::AttributeProto &a : n.attribute()) {
        bool positive = true;
        if (a.name() == "strides" || a.name() == "dilations" ||
            a.name() == "kernel_shape")
          positive = llvm::all_of(a.ints(), [](int64_t v) { return v > 0; });
        else if (a.name() == "group")
          positive = a.i() > 0;
        if (!positive)
          fail("attribute '" + a.name() + "' must be positive (" +
               describe(n) + ")");
      }
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
             "(node '" +
             nodeName(n) + "')");
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
               nodeName(n) + "', op '" + n.op_type() + "')");
    ranks[n.output(0)] = rank;
  }
  onnx::ShapeInferenceOptions opts(/*check_type=*/true, /*strict_mode=*/1,
                                   /*data_prop=*/true);
  onnx::shape_inference::InferShapes(s.model,
                                     onnx::OpSchemaRegistry::Instance(), opts);
  for (const onnx::ValueInfoProto &v : s.graph.input())
    s.types[v.name()] = &v.type();
  for (const onnx::ValueInfoProto &v : s.graph.value_info())
    s.types[v.name()] = &v.type();
  for (const onnx::ValueInfoProto &v : s.graph.output())
    s.types[v.name()] = &v.type();
}

OwningOpRef<ModuleOp> ModelImporter::run() {
  checkOpsets();
  resolveConverters();
  expandNodes();
  {
    SchemaStandIns standIns(s, convs, versions);
    onnx::checker::check_model(s.model);
    fixInputShapes();
    inferShapes();
  }
  // Shape arithmetic evaluated now that the batch is fixed, until nothing
  // more folds (a folded Reshape shape gives the next Shape a static input).
  while (foldConstants()) {
    convs.clear();
    versions.clear();
    resolveConverters();
    SchemaStandIns standIns(s, convs, versions);
    inferShapes();
  }

  for (const onnx::NodeProto &n : s.graph.node())
    for (const std::string &o : n.output())
      s.usedNames.insert(o);
  for (const onnx::ValueInfoProto &v : s.graph.input())
    s.usedNames.insert(v.name());

  for (const onnx::TensorProto &t : s.graph.initializer()) {
    Tensor tensor;
    tensor.constant = tensorToAttr(t, &s.ctx);
    s.tensors[t.name()] = tensor;
    s.constantTypes[t.name()] = t.data_type();
  }

  OpBuilder &b = s.b;
  OwningOpRef<ModuleOp> module = ModuleOp::create(s.fileLoc);
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  GraphBoundary boundary(s);
  SmallVector<bool> argBools;
  for (const onnx::ValueInfoProto &in : s.graph.input()) {
    if (s.tensors.count(in.name()))
      continue; // an initializer listed as an input (IR version < 4)
    bool isBool;
    argTypes.push_back(boundary.inputType(in.name(), isBool));
    argNames.push_back(in.name());
    argBools.push_back(isBool);
  }
  if (argTypes.empty())
    fail("the graph has no inputs (it computes a constant); qlow compiles "
         "models with at least one input");
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, s.fileLoc, sanitize(s.graph.name()),
                                   b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, kArgNameAttr, b.getStringAttr(name));
    if (argBools[i])
      func.setArgAttr(i, kBoolAttr, b.getUnitAttr());
  }
  b.setInsertionPointToEnd(entry);
  for (auto [i, name] : llvm::enumerate(argNames))
    boundary.defineInput(name, entry->getArgument(i), argBools[i]);

  for (auto [i, n] : llvm::enumerate(s.graph.node()))
    importNode(n, *convs[i], versions[i]);

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<bool> resultBools;
  for (const onnx::ValueInfoProto &out : s.graph.output()) {
    bool isBool;
    auto [v, type] = boundary.output(out.name(), isBool);
    results.push_back(v);
    resultTypes.push_back(type);
    resultBools.push_back(isBool);
  }
  func::ReturnOp::create(b, s.fileLoc, results);
  func.setType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(s.graph.output())) {
    func.setResultAttr(i, kArgNameAttr, b.getStringAttr(out.name()));
    if (resultBools[i])
      func.setResultAttr(i, kBoolAttr, b.getUnitAttr());
  }
  return module;
}

void ModelImporter::importNode(const onnx::NodeProto &n,
                               const ConverterInfo &conv, int64_t version) {
  if (n.output_size() < 1 || n.output(0).empty())
    fail("the node has no output (" + describe(n) + ")");
  // Outputs past those the converter defines must be unused.
  if (conv.outputs >= 0)
    for (int i = conv.outputs; i < n.output_size(); ++i)
      if (!n.output(i).empty())
        fail("output " + llvm::Twine(i) + " ('" + n.output(i) +
             "') is not supported (" + describe(n) + ")");
  conv.make(s, n, version)->convert();
}

} // namespace mlir::qlow::onnx_import
