//===- QOperatorOps.cpp - ONNX Runtime's QOperator contrib ops ------------===//
//
// What ONNX Runtime's `quantize_static(..., quant_format=QOperator)` writes
// besides the standard QLinearConv/QLinearMatMul: com.microsoft QLinearAdd,
// QLinearMul, QLinearGlobalAveragePool, QLinearAveragePool, QLinearConcat,
// QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax, QGemm and
// QLinearReduceMean. Each means "dequantize the inputs, the float op,
// quantize the result" with the node's scales and zero points, so each is
// expanded into exactly that (DequantizeLinear -> standard op ->
// QuantizeLinear) before anything else: shape inference and the standard
// converters then apply, and qlow-import-qdq turns the patterns into
// quantized qlow ops with the model's own parameters.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

std::string Expansion::fresh(StringRef what) {
  return nodeName(node) + "__" + what.str() + "_" + std::to_string(counter++);
}

onnx::NodeProto &Expansion::add(StringRef op, ArrayRef<std::string> inputs,
                                ArrayRef<std::string> outputs) {
  onnx::NodeProto &n = nodes.emplace_back();
  n.set_op_type(op.str());
  n.set_name(outputs.empty() ? fresh(op) : outputs.front());
  for (const std::string &i : inputs)
    n.add_input(i);
  for (const std::string &o : outputs)
    n.add_output(o);
  return n;
}

std::string Expansion::dequantize(const std::string &x,
                                  const std::string &scale,
                                  const std::string &zp, int64_t axis) {
  std::string out = fresh("dq");
  std::vector<std::string> inputs = {x, scale};
  if (!zp.empty())
    inputs.push_back(zp);
  onnx::NodeProto &n = add("DequantizeLinear", inputs, {out});
  if (axis != 1) {
    onnx::AttributeProto *a = n.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(axis);
  }
  return out;
}

void Expansion::quantize(const std::string &x, const std::string &scale,
                         const std::string &zp, const std::string &out) {
  std::vector<std::string> inputs = {x, scale};
  if (!zp.empty())
    inputs.push_back(zp);
  add("QuantizeLinear", inputs, {out});
}

void Expansion::copyAttributes(onnx::NodeProto &to, ArrayRef<StringRef> names) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (llvm::is_contained(names, a.name()))
      *to.add_attribute() = a;
}

namespace {

/// Fails unless the node has between `min` and `max` inputs and only the
/// attributes in `known`.
void check(const Expansion &e, int min, int max,
           ArrayRef<StringRef> known = {}) {
  const onnx::NodeProto &n = e.node;
  int count = n.input_size();
  if (count < min || count > max || n.input(0).empty())
    fail("expects " + llvm::Twine(min) +
         (min == max ? "" : " to " + std::to_string(max)) + " inputs, got " +
         llvm::Twine(count) + " (" + describe(n) + ")");
  for (const onnx::AttributeProto &a : n.attribute())
    if (!llvm::is_contained(known, a.name()))
      fail("attribute '" + a.name() + "' is not supported (" + describe(n) +
           ")");
  if (n.output_size() != 1 || n.output(0).empty())
    fail("expects one output (" + describe(n) + ")");
}

int64_t intAttr(const onnx::NodeProto &n, StringRef name, int64_t dflt) {
  for (const onnx::AttributeProto &a : n.attribute())
    if (a.name() == name)
      return a.i();
  return dflt;
}

/// An int64 vector constant (axes inputs of the opset-18 reductions).
std::string intsConstant(Expansion &e, ArrayRef<int64_t> values) {
  std::string name = e.fresh("axes");
  onnx::TensorProto &t = e.initializers.emplace_back();
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::INT64);
  t.add_dims(int64_t(values.size()));
  for (int64_t v : values)
    t.add_int64_data(v);
  return name;
}

/// NCHW <-> NHWC for the channels_last forms of the pools.
std::string transposed(Expansion &e, const std::string &x,
                       ArrayRef<int64_t> perm) {
  std::string out = e.fresh("t");
  onnx::NodeProto &t = e.add("Transpose", {x}, {out});
  onnx::AttributeProto *a = t.add_attribute();
  a->set_name("perm");
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t p : perm)
    a->add_ints(p);
  return out;
}

/// QLinearAdd / QLinearMul (A, A_scale, A_zp, B, B_scale, B_zp, C_scale,
/// C_zp): the float op of the dequantized inputs, quantized.
ExpandFn binary(StringRef op) {
  std::string opName = op.str();
  return [opName](Expansion &e) {
    check(e, 7, 8);
    std::string a = e.dequantize(e.in(0), e.in(1), e.in(2));
    std::string b = e.dequantize(e.in(3), e.in(4), e.in(5));
    std::string y = e.fresh(opName);
    e.add(opName, {a, b}, {y});
    e.quantize(y, e.in(6), e.in(7), e.node.output(0));
  };
}

/// One-input ops (X, X_scale, X_zp, Y_scale, Y_zp): `build` makes the float
/// op from the dequantized input and returns its output.
ExpandFn
unary(ArrayRef<StringRef> known,
      std::function<std::string(Expansion &, const std::string &)> build) {
  std::vector<std::string> owned(known.begin(), known.end());
  return [owned, build](Expansion &e) {
    SmallVector<StringRef> k(owned.begin(), owned.end());
    check(e, 4, 5, k);
    std::string x = e.dequantize(e.in(0), e.in(1), e.in(2));
    e.quantize(build(e, x), e.in(3), e.in(4), e.node.output(0));
  };
}

/// A single standard op of `x` with the node's attributes `attrs`.
std::string simpleOp(Expansion &e, StringRef op, const std::string &x,
                     ArrayRef<StringRef> attrs) {
  std::string y = e.fresh(op);
  onnx::NodeProto &n = e.add(op, {x}, {y});
  e.copyAttributes(n, attrs);
  return y;
}

/// The pools' channels_last: transposed to NCHW around the standard op.
std::string pool(Expansion &e, StringRef op, const std::string &x,
                 ArrayRef<StringRef> attrs) {
  bool last = intAttr(e.node, "channels_last", 0) != 0;
  std::string in = last ? transposed(e, x, {0, 3, 1, 2}) : x;
  std::string y = simpleOp(e, op, in, attrs);
  return last ? transposed(e, y, {0, 2, 3, 1}) : y;
}

void qlinearConcat(Expansion &e) {
  // Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input.
  const onnx::NodeProto &n = e.node;
  if (n.input_size() < 5 || (n.input_size() - 2) % 3 != 0)
    fail("expects Y_scale, Y_zero_point and triples (X, X_scale, "
         "X_zero_point) (" +
         describe(n) + ")");
  check(e, n.input_size(), n.input_size(), {"axis"});
  std::vector<std::string> parts;
  for (int i = 2; i < n.input_size(); i += 3)
    parts.push_back(e.dequantize(e.in(i), e.in(i + 1), e.in(i + 2)));
  std::string y = e.fresh("concat");
  onnx::NodeProto &c = e.add("Concat", parts, {y});
  e.copyAttributes(c, {"axis"});
  e.quantize(y, e.in(0), e.in(1), n.output(0));
}

void qgemm(Expansion &e) {
  // A, a_scale, a_zp, B, b_scale, b_zp, C (int32 at a_scale * b_scale),
  // y_scale, y_zp: without y_scale the result is float.
  check(e, 6, 9, {"alpha", "transA", "transB"});
  std::string a = e.dequantize(e.in(0), e.in(1), e.in(2));
  // Per-channel B scales are along N: axis 0 of B transposed, else 1.
  int64_t axisB = intAttr(e.node, "transB", 0) ? 0 : 1;
  std::string b = e.dequantize(e.in(3), e.in(4), e.in(5), axisB);
  std::vector<std::string> gemmIn = {a, b};
  if (!e.in(6).empty()) {
    std::string scale = e.fresh("bias_scale");
    e.add("Mul", {e.in(1), e.in(4)}, {scale});
    gemmIn.push_back(e.dequantize(e.in(6), scale, "", 0));
  }
  bool quantized = !e.in(7).empty();
  std::string y = quantized ? e.fresh("gemm") : e.node.output(0);
  onnx::NodeProto &g = e.add("Gemm", gemmIn, {y});
  e.copyAttributes(g, {"alpha", "transA", "transB"});
  if (quantized)
    e.quantize(y, e.in(7), e.in(8), e.node.output(0));
}

std::string reduceMean(Expansion &e, const std::string &x) {
  std::vector<int64_t> axes;
  int64_t keepdims = 1;
  for (const onnx::AttributeProto &a : e.node.attribute()) {
    if (a.name() == "axes")
      axes.assign(a.ints().begin(), a.ints().end());
    if (a.name() == "keepdims")
      keepdims = a.i();
  }
  std::string y = e.fresh("mean");
  std::vector<std::string> inputs = {x};
  // The axes are an input of ReduceMean from opset 18.
  if (e.modelOpset >= 18 && !axes.empty())
    inputs.push_back(intsConstant(e, axes));
  onnx::NodeProto &r = e.add("ReduceMean", inputs, {y});
  onnx::AttributeProto *k = r.add_attribute();
  k->set_name("keepdims");
  k->set_type(onnx::AttributeProto::INT);
  k->set_i(keepdims);
  if (e.modelOpset < 18 && !axes.empty()) {
    onnx::AttributeProto *a = r.add_attribute();
    a->set_name("axes");
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : axes)
      a->add_ints(v);
  }
  return y;
}

std::string softmax(Expansion &e, const std::string &x) {
  // `opset` says which Softmax the node means; before 13 it works on the
  // input coerced to 2-D, which the model's own Softmax does only when
  // the model's opset is below 13 too.
  int64_t opset = intAttr(e.node, "opset", 13);
  if ((opset < 13) != (e.modelOpset < 13))
    fail("QLinearSoftmax opset = " + llvm::Twine(opset) +
         " means another Softmax than the model's opset " +
         llvm::Twine(e.modelOpset) + " (" + describe(e.node) + ")");
  return simpleOp(e, "Softmax", x, {"axis"});
}

} // namespace

void registerQOperatorConverters(ConverterRegistry &r) {
  StringRef ms = kMicrosoftDomain;
  StringRef dqq = "DQ -> op -> Q with the node's parameters";
  r.addExpansion(ms, "QLinearAdd", {1}, dqq, "Add: `qlow.add`", binary("Add"));
  r.addExpansion(ms, "QLinearMul", {1}, dqq, "Mul: `qlow.mul`", binary("Mul"));
  r.addExpansion(
      ms, "QLinearGlobalAveragePool", {1}, dqq,
      "`channels_last`; `qlow.global_avg_pool`",
      unary({"channels_last"}, [](Expansion &e, const std::string &x) {
        return pool(e, "GlobalAveragePool", x, {});
      }));
  r.addExpansion(
      ms, "QLinearAveragePool", {1}, dqq,
      "AveragePool's attributes and `channels_last`; `qlow.avg_pool2d`",
      unary({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape",
             "pads", "strides", "channels_last"},
            [](Expansion &e, const std::string &x) {
              return pool(e, "AveragePool", x,
                          {"auto_pad", "ceil_mode", "count_include_pad",
                           "kernel_shape", "pads", "strides"});
            }));
  r.addExpansion(ms, "QLinearConcat", {1}, dqq, "`qlow.concat`", qlinearConcat);
  r.addExpansion(ms, "QLinearSigmoid", {1}, dqq, "Sigmoid (an island)",
                 unary({}, [](Expansion &e, const std::string &x) {
                   return simpleOp(e, "Sigmoid", x, {});
                 }));
  r.addExpansion(ms, "QLinearLeakyRelu", {1}, dqq,
                 "LeakyRelu (`alpha`; an island)",
                 unary({"alpha"}, [](Expansion &e, const std::string &x) {
                   return simpleOp(e, "LeakyRelu", x, {"alpha"});
                 }));
  r.addExpansion(ms, "QLinearSoftmax", {1}, dqq,
                 "Softmax (`axis`, `opset`; an island)",
                 unary({"axis", "opset"}, softmax));
  r.addExpansion(ms, "QGemm", {1}, dqq,
                 "Gemm (`alpha`, `transA`, `transB`; the int32 bias at "
                 "`a_scale * b_scale`; a float result without `y_scale`): "
                 "`qlow.matmul`",
                 qgemm);
  r.addExpansion(ms, "QLinearReduceMean", {1}, dqq,
                 "ReduceMean (`axes`, `keepdims`)",
                 unary({"axes", "keepdims"}, reduceMean));
}

} // namespace mlir::qlow::onnx_import
