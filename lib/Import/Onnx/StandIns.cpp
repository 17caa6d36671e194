//===- StandIns.cpp - nodes shown to libonnx 1.12 as it knows them --------===//
//
// libonnx 1.12 has schemas up to opset 17. A node of a newer op version
// (opsets 18 to 21), or of an op it does not know (Gelu, Mish, ONNX
// Runtime's contrib ops), would fail its checker or stop its shape
// inference; while they run, such a node is replaced by an equivalent one it
// knows (same outputs, same shapes), and restored before import, so each
// converter still sees the node as the model has it.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

namespace {
/// The newest IR version libonnx 1.12's checker accepts; newer IR versions
/// add only what qlow does not read (float8, 4-bit and 16-bit types, ...).
constexpr int64_t kLibOnnxMaxIrVersion = 8;

/// `n` without the attributes of `dropped`, each checked against its
/// default.
onnx::NodeProto
dropAttributes(const onnx::NodeProto &n,
               ArrayRef<std::pair<StringRef, int64_t>> dropped) {
  onnx::NodeProto r = n;
  r.clear_attribute();
  for (const onnx::AttributeProto &a : n.attribute()) {
    auto it = llvm::find_if(dropped,
                            [&](const auto &d) { return d.first == a.name(); });
    if (it == dropped.end()) {
      *r.add_attribute() = a;
      continue;
    }
    if (a.type() != onnx::AttributeProto::INT || a.i() != it->second)
      fail("attribute '" + a.name() + "' of " + n.op_type() +
           " is supported only with its default value " +
           llvm::Twine(it->second) + " (" + describe(n) + ")");
  }
  return r;
}
} // namespace

onnx::NodeProto withoutAttributes(const onnx::NodeProto &n,
                                  ArrayRef<StringRef> names) {
  onnx::NodeProto r = n;
  r.clear_attribute();
  for (const onnx::AttributeProto &a : n.attribute())
    if (!llvm::is_contained(names, a.name()))
      *r.add_attribute() = a;
  return r;
}

std::optional<StandIn> identityStandIn(const onnx::NodeProto &n) {
  if (n.input_size() < 1 || n.input(0).empty() || n.output_size() < 1 ||
      n.output(0).empty())
    fail("expects an input and an output (" + describe(n) + ")");
  onnx::NodeProto identity;
  identity.set_name(n.name());
  identity.set_op_type("Identity");
  identity.add_input(n.input(0));
  identity.add_output(n.output(0));
  return identity;
}

StandInFn
withoutNewAttributes(int64_t since,
                     ArrayRef<std::pair<StringRef, int64_t>> dropped) {
  std::vector<std::pair<std::string, int64_t>> owned;
  for (auto &[name, dflt] : dropped)
    owned.emplace_back(name.str(), dflt);
  return [since, owned](const onnx::NodeProto &n, int64_t version,
                        ConstantInts) -> std::optional<StandIn> {
    if (version < since)
      return std::nullopt;
    SmallVector<std::pair<StringRef, int64_t>> d;
    for (auto &[name, dflt] : owned)
      d.emplace_back(name, dflt);
    return dropAttributes(n, d);
  };
}

StandInFn
axesInputToAttribute(int64_t since,
                     ArrayRef<std::pair<StringRef, int64_t>> dropped) {
  // noop_with_empty_axes came with the axes input; the older version has
  // neither.
  std::vector<std::pair<std::string, int64_t>> owned;
  for (auto &[name, dflt] : dropped)
    owned.emplace_back(name.str(), dflt);
  return [since, owned](const onnx::NodeProto &n, int64_t version,
                        ConstantInts constants) -> std::optional<StandIn> {
    if (version < since)
      return std::nullopt;
    bool noop = false;
    for (const onnx::AttributeProto &a : n.attribute())
      if (a.name() == "noop_with_empty_axes")
        noop = a.i() != 0;
    SmallVector<std::pair<StringRef, int64_t>> d = {
        {"noop_with_empty_axes", noop ? 1 : 0}};
    for (auto &[name, dflt] : owned)
      d.emplace_back(name, dflt);
    onnx::NodeProto r = dropAttributes(n, d);
    std::optional<SmallVector<int64_t>> axes;
    if (n.input_size() > 1 && !n.input(1).empty()) {
      axes = constants(n.input(1));
      if (!axes)
        fail("the axes of " + n.op_type() + "-" + llvm::Twine(version) +
             " must be a constant (" + describe(n) + ")");
    }
    if ((!axes || axes->empty()) && noop)
      return identityStandIn(n); // reduces nothing
    r.mutable_input()->DeleteSubrange(1, r.input_size() - 1);
    if (axes && !axes->empty()) {
      onnx::AttributeProto *a = r.add_attribute();
      a->set_name("axes");
      a->set_type(onnx::AttributeProto::INTS);
      for (int64_t axis : *axes)
        a->add_ints(axis);
    }
    return r;
  };
}

SchemaStandIns::SchemaStandIns(ImportState &s,
                               ArrayRef<const ConverterInfo *> convs,
                               ArrayRef<int64_t> versions)
    : s(s), irVersion(s.model.ir_version()) {
  if (irVersion > kLibOnnxMaxIrVersion)
    s.model.set_ir_version(kLibOnnxMaxIrVersion);
  // Constants a stand-in may read: initializers and Constant nodes.
  llvm::StringMap<const onnx::TensorProto *> constants;
  for (const onnx::TensorProto &t : s.graph.initializer())
    constants[t.name()] = &t;
  for (const onnx::NodeProto &n : s.graph.node())
    if (n.op_type() == "Constant" && n.output_size() == 1)
      for (const onnx::AttributeProto &a : n.attribute())
        if (a.name() == "value")
          constants[n.output(0)] = &a.t();
  auto lookup = [&](StringRef name) -> std::optional<SmallVector<int64_t>> {
    const onnx::TensorProto *t = constants.lookup(name);
    if (!t)
      return std::nullopt;
    std::optional<Literal> l = Literal::fromTensor(*t);
    if (!l || l->isFloat())
      return std::nullopt;
    return SmallVector<int64_t>(l->ints.begin(), l->ints.end());
  };
  for (int i = 0; i < s.graph.node_size(); ++i) {
    if (!convs[i]->standIn)
      continue;
    onnx::NodeProto &n = *s.graph.mutable_node(i);
    std::optional<StandIn> standIn = convs[i]->standIn(n, versions[i], lookup);
    if (!standIn)
      continue;
    hidden.emplace_back(i, n);
    n = std::move(standIn->node);
    for (onnx::TensorProto &t : standIn->initializers) {
      *s.graph.add_initializer() = std::move(t);
      ++addedInitializers;
    }
  }
}

SchemaStandIns::~SchemaStandIns() {
  for (auto &[i, n] : hidden)
    *s.graph.mutable_node(i) = std::move(n);
  int count = s.graph.initializer_size();
  s.graph.mutable_initializer()->DeleteSubrange(count - addedInitializers,
                                                addedInitializers);
  s.model.set_ir_version(irVersion);
}

} // namespace mlir::qlow::onnx_import
