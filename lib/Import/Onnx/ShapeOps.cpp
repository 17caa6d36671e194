//===- ShapeOps.cpp - ONNX shapes, layouts, constants and casts -----------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

std::optional<std::vector<Literal>> one(Literal l) {
  return std::vector<Literal>{std::move(l)};
}

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

/// Dropout at inference: the identity, and a mask of all true.
struct Dropout : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    if (intAttr("training_mode", 0) != 0)
      nodeError("Dropout in training mode is not supported");
    if (has(2)) {
      DenseElementsAttr t = constantOf(2);
      if (!t || intsOf(t) != std::vector<int64_t>{0})
        nodeError("Dropout in training mode is not supported (training_mode "
                  "must be a constant false)");
    }
    alias();
    if (hasOutput(1)) {
      auto type = RankedTensorType::get(shapeOf(in(0), true), b.getI64Type());
      defineConstant(out(1), DenseElementsAttr::get(type, int64_t(1)));
      s.constantTypes[out(1)] = onnx::TensorProto::BOOL;
    }
  }
};

struct Cast : NodeImporter {
  using NodeImporter::NodeImporter;
  void convert() override {
    const std::string &x = in(0);
    int32_t to = int32_t(intAttr("to", 0));
    Tensor &t = tensor(x);
    int32_t from = elemTypeOf(x);
    bool isFloatValue = (t.onnx || t.nhwc) &&
                        isFloatTensor((t.nhwc ? t.nhwc : t.onnx).getType());
    if (to == from ||
        (to == onnx::TensorProto::FLOAT && from == onnx::TensorProto::INT32 &&
         t.intValued && isFloatValue)) {
      alias();
      return;
    }
    // A quantized tensor cast to its own integer type (Q -> Cast -> DQ) is
    // itself; cast to float it is its integers (scale 1, zero point 0).
    bool nhwc;
    Value v = anyLayout(x, nhwc);
    quant::QuantizedType qt = getQuantElementType(v.getType());
    if (qt && isa<quant::UniformQuantizedPerAxisType>(qt))
      nodeError("Cast of a per-axis quantized tensor is not supported");
    if (qt && to == storageDataType(qt)) {
      alias();
      return;
    }
    if (qt && to == onnx::TensorProto::FLOAT) {
      defineOutput(integersOf(x, false, nhwc, out()), nhwc);
      return;
    }
    // Every other conversion: arith casts in an island, on the storage
    // integers of a quantized tensor. Floats truncate toward zero when they
    // become integers (what ONNX Runtime's casts do).
    auto type = cast<RankedTensorType>(v.getType());
    bool srcUnsigned =
        from == onnx::TensorProto::UINT8 || from == onnx::TensorProto::BOOL;
    Type dst = castElementType(to);
    if (!dst)
      nodeError("Cast to " + llvm::Twine(dataTypeName(to)) +
                " is not supported (qlow computes float32, int8, uint8, "
                "int32, int64 and bool tensors)");
    if (!castElementType(from) && !qt)
      nodeError("Cast from " + llvm::Twine(dataTypeName(from)) +
                " is not supported");
    auto resultType = type.clone(dst);
    Value r = island(out(), resultType, [&]() -> Value {
      Value src = v;
      if (qt)
        src = quant::StorageCastOp::create(b, loc,
                                           type.clone(qt.getStorageType()), v);
      return convertElements(src, dst, srcUnsigned);
    });
    if (to == onnx::TensorProto::UINT8 || to == onnx::TensorProto::INT8)
      r = quant::StorageCastOp::create(
          b, loc, resultType.clone(makeQuantType(1.0, 0, to, -1)), r);
    defineOutput(r, nhwc);
  }

private:
  /// The element type qlow computes an ONNX type in (u8/i8 as their i8
  /// storage), or null.
  Type castElementType(int32_t dtype) {
    switch (dtype) {
    case onnx::TensorProto::FLOAT:
      return b.getF32Type();
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
      return b.getI8Type();
    case onnx::TensorProto::INT32:
      return b.getI32Type();
    case onnx::TensorProto::INT64:
      return b.getI64Type();
    case onnx::TensorProto::BOOL:
      return b.getI1Type();
    default:
      return Type();
    }
  }

  /// `src` (float or integer tensor) converted element-wise to `dst`.
  Value convertElements(Value src, Type dst, bool srcUnsigned) {
    auto type = cast<RankedTensorType>(src.getType());
    Type elem = type.getElementType();
    auto resultType = type.clone(dst);
    if (elem == dst)
      return src;
    if (dst.isInteger(1)) {
      // != 0
      if (isa<FloatType>(elem)) {
        Value zero = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(type, b.getFloatAttr(elem, 0.0)));
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, src,
                                     zero);
      }
      Value zero = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getIntegerAttr(elem, 0)));
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, src, zero);
    }
    if (isa<FloatType>(elem)) {
      if (isa<FloatType>(dst))
        return arith::ExtFOp::create(b, loc, resultType, src);
      return arith::FPToSIOp::create(b, loc, resultType, src);
    }
    if (isa<FloatType>(dst))
      return srcUnsigned
                 ? arith::UIToFPOp::create(b, loc, resultType, src).getResult()
                 : arith::SIToFPOp::create(b, loc, resultType, src).getResult();
    unsigned from = elem.getIntOrFloatBitWidth(),
             width = dst.getIntOrFloatBitWidth();
    if (width < from)
      return arith::TruncIOp::create(b, loc, resultType, src);
    return srcUnsigned
               ? arith::ExtUIOp::create(b, loc, resultType, src).getResult()
               : arith::ExtSIOp::create(b, loc, resultType, src).getResult();
  }
};

/// The per-axis index lists of the data movement ops: `lists[d]` are the
/// input coordinates that result coordinates 0, 1, ... of dimension d read.
using IndexLists = SmallVector<SmallVector<int64_t>>;

/// Every coordinate of every dimension of `shape`.
IndexLists identityLists(ArrayRef<int64_t> shape) {
  IndexLists lists;
  for (int64_t d : shape)
    lists.push_back(llvm::to_vector(llvm::seq<int64_t>(0, d)));
  return lists;
}

/// A literal read through per-axis index lists.
Literal selectLiteral(const Literal &x, const IndexLists &lists) {
  SmallVector<int64_t> shape;
  for (const auto &l : lists)
    shape.push_back(l.size());
  Literal r = Literal::make(x.dtype, shape);
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  SmallVector<int64_t> coord(shape.size(), 0);
  for (int64_t o = 0, n = r.size(); o < n; ++o) {
    int64_t src = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      src += lists[d][coord[d]] * inStrides[d];
    if (r.isFloat())
      r.floats[o] = x.floats[src];
    else
      r.ints[o] = x.ints[src];
    for (size_t d = shape.size(); d-- > 0;) {
      if (++coord[d] < shape[d])
        break;
      coord[d] = 0;
    }
  }
  return r;
}

/// The tensor `name` read through per-axis index lists (ONNX axes): one
/// slice or gather per axis that changes, on the NHWC form when the tensor
/// has one; the last named `name`, the others after it.
struct Selection : NodeImporter {
  using NodeImporter::NodeImporter;

  /// A result of `shape`, bounded so that its index lists and the tensor
  /// fit in memory (a larger one is no real model's): 2^24 along an axis,
  /// 2^28 in all.
  void checkSelectionShape(ArrayRef<int64_t> shape) {
    constexpr int64_t kMaxAxis = int64_t(1) << 24, kMaxResult = int64_t(1)
                                                                << 28;
    int64_t total = 1;
    for (auto [d, size] : llvm::enumerate(shape)) {
      if (size < 1 || size > kMaxAxis)
        nodeError("dimension " + llvm::Twine(d) + " of the result would have " +
                  llvm::Twine(size) + " elements (qlow supports 1 to 2^24)");
      total *= size;
      if (total > kMaxResult)
        nodeError("the result would have more than 2^28 elements");
    }
  }

  std::pair<Value, bool> select(StringRef x, const IndexLists &lists,
                                StringRef name) {
    bool nhwc;
    Value v = anyLayout(x, nhwc);
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    SmallVector<int64_t> changed;
    for (auto [d, l] : llvm::enumerate(lists)) {
      int64_t pos = layoutAxis(d, nhwc);
      if (int64_t(l.size()) != shape[pos] ||
          !llvm::equal(l, llvm::seq<int64_t>(0, l.size())))
        changed.push_back(d);
    }
    for (auto [k, d] : llvm::enumerate(changed))
      v = selectAlong(v, layoutAxis(d, nhwc), lists[d],
                      k + 1 == changed.size()
                          ? name.str()
                          : auxName(name, "axis" + std::to_string(d)));
    return {v, nhwc};
  }
};

/// Pad: constant (a TOSA pad in an island), edge, reflect and wrap (gathers
/// of clamped, mirrored or wrapped coordinates, so a quantized input stays
/// quantized); negative pads crop.
struct Pad : Selection {
  using Selection::Selection;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x, true);
    int64_t rank = inShape.size();
    SmallVector<int64_t> pads;
    float value = 0.0f;
    if (version < 11) {
      pads = intsAttr("pads", {});
      value = floatAttr("value", 0.0f);
    } else {
      pads = requireInts(1, "the pads of Pad");
      if (has(2)) {
        DenseElementsAttr c = requireConstant(2, "the constant value of Pad");
        if (c.getType().getNumElements() != 1 ||
            !isa<FloatType>(c.getElementType()))
          nodeError("the constant value of Pad must be a float scalar");
        value = floatsOf(c)[0];
      }
    }
    // axes (18 on): the pads are for these axes only.
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    if (has(3)) {
      axes = requireInts(3, "the axes of Pad");
      for (int64_t &a : axes)
        a = normalizeAxis(a, rank, "axis");
    }
    int64_t n = axes.size();
    if (int64_t(pads.size()) != 2 * n)
      nodeError("expects " + llvm::Twine(2 * n) + " pads for " +
                llvm::Twine(n) + " axes, got " + llvm::Twine(pads.size()));
    SmallVector<int64_t> begin(rank, 0), end(rank, 0);
    for (int64_t i = 0; i < n; ++i) {
      begin[axes[i]] = pads[i];
      end[axes[i]] = pads[i + n];
    }
    // PyTorch exports AvgPool2d as a Pad with zero pads and an AveragePool.
    if (llvm::all_of(pads, [](int64_t p) { return p == 0; })) {
      alias();
      return;
    }
    std::string mode = stringAttr("mode", "constant");
    if (mode != "constant" && mode != "edge" && mode != "reflect" &&
        mode != "wrap")
      nodeError("unknown Pad mode '" + mode + "'");
    if (mode == "wrap" && version < 19)
      nodeError("Pad mode 'wrap' exists from Pad-19");
    enum class Mode { Constant, Edge, Reflect, Wrap };
    Mode m = mode == "constant" ? Mode::Constant
             : mode == "edge"   ? Mode::Edge
             : mode == "wrap"   ? Mode::Wrap
                                : Mode::Reflect;
    // Per axis, the input coordinate each result coordinate reads (-1: the
    // constant).
    SmallVector<int64_t> outShape;
    for (int64_t d = 0; d < rank; ++d) {
      outShape.push_back(inShape[d] + begin[d] + end[d]);
      if (outShape.back() < 1)
        nodeError("the pads crop dimension " + llvm::Twine(d) + " to nothing");
    }
    checkSelectionShape(outShape);
    IndexLists lists;
    bool constantPadded = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = inShape[d];
      SmallVector<int64_t> l;
      for (int64_t o = -begin[d]; o < dim + end[d]; ++o) {
        int64_t i = o;
        if (o < 0 || o >= dim) {
          if (m == Mode::Constant) {
            constantPadded = true;
            continue; // made by the TOSA pad below
          }
          if (m == Mode::Edge)
            i = o < 0 ? 0 : dim - 1;
          else if (m == Mode::Wrap)
            i = ((o % dim) + dim) % dim;
          else if (dim == 1)
            i = 0;
          else {
            // reflect: mirror without repeating the edge
            int64_t period = 2 * (dim - 1);
            i = ((o % period) + period) % period;
            if (i >= dim)
              i = period - i;
          }
        }
        l.push_back(i);
      }
      if (l.empty())
        nodeError("the pads crop dimension " + llvm::Twine(d) + " to nothing");
      lists.push_back(std::move(l));
    }
    auto [cropped, nhwc] =
        select(x, lists, constantPadded ? auxName(y, "crop") : StringRef(y));
    Value v = cropped;
    if (!constantPadded) {
      defineOutput(v, nhwc);
      return;
    }
    if (!isFloatTensor(v.getType()))
      nodeError("constant Pad of a quantized tensor is not supported");
    // TOSA's padding: [begin, end] per dimension of the value's layout.
    SmallVector<int64_t> padding(2 * rank, 0);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t pos = layoutAxis(d, nhwc);
      padding[2 * pos] = std::max<int64_t>(begin[d], 0);
      padding[2 * pos + 1] = std::max<int64_t>(end[d], 0);
    }
    outShape = shapeOf(y);
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

/// Slice ranges per axis: the input coordinates each result coordinate
/// reads, from ONNX's starts/ends/axes/steps (clamped as ONNX clamps them).
IndexLists sliceLists(const NodeView &n, ArrayRef<int64_t> dims,
                      ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
                      ArrayRef<int64_t> axes, ArrayRef<int64_t> steps) {
  int64_t rank = dims.size();
  IndexLists lists = identityLists(dims);
  if (starts.size() != ends.size() ||
      (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size()))
    n.nodeError("starts, ends, axes and steps differ in length");
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis =
        axes.empty() ? int64_t(i) : n.normalizeAxis(axes[i], rank, "axis");
    if (seen[axis])
      n.nodeError("axis " + llvm::Twine(axis) + " is sliced twice");
    seen[axis] = true;
    int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0)
      n.nodeError("a step is 0");
    int64_t dim = dims[axis];
    auto clampTo = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v <= INT64_MIN + dim ? lo : v + dim;
      return std::min(std::max(v, lo), hi);
    };
    int64_t start =
        step > 0 ? clampTo(starts[i], 0, dim) : clampTo(starts[i], 0, dim - 1);
    int64_t end = step > 0
                      ? clampTo(ends[i], 0, dim)
                      : (ends[i] < -dim ? -1 : clampTo(ends[i], -1, dim - 1));
    SmallVector<int64_t> l;
    for (int64_t c = start; step > 0 ? c < end : c > end; c += step)
      l.push_back(c);
    lists[axis] = std::move(l);
  }
  return lists;
}

/// Slice's starts, ends, axes, steps (attributes before 10, inputs from 10).
struct SliceParams {
  SmallVector<int64_t> starts, ends, axes, steps;
};

template <typename GetInts>
SliceParams sliceParams(const NodeView &n, int64_t version, GetInts ints) {
  SliceParams p;
  if (version < 10) {
    p.starts = n.intsAttr("starts", {});
    p.ends = n.intsAttr("ends", {});
    p.axes = n.intsAttr("axes", {});
    return p;
  }
  p.starts = ints(1, "the starts of Slice");
  p.ends = ints(2, "the ends of Slice");
  if (n.has(3))
    p.axes = ints(3, "the axes of Slice");
  if (n.has(4))
    p.steps = ints(4, "the steps of Slice");
  return p;
}

struct Slice : Selection {
  using Selection::Selection;
  void convert() override {
    SliceParams p = sliceParams(*this, version, [&](int i, StringRef what) {
      return requireInts(i, what);
    });
    IndexLists lists = sliceLists(*this, shapeOf(in(0), true), p.starts, p.ends,
                                  p.axes, p.steps);
    for (const auto &l : lists)
      if (l.empty())
        nodeError("the slice is empty, which qlow does not support");
    auto [v, nhwc] = select(in(0), lists, out());
    defineOutput(v, nhwc);
  }
};

std::optional<std::vector<Literal>> foldSlice(const FoldContext &c) {
  const Literal *x = c.value(0);
  if (!x)
    return std::nullopt;
  bool ok = true;
  SliceParams p = sliceParams(c, c.opVersion(), [&](int i, StringRef) {
    const Literal *l = c.value(i);
    ok &= l != nullptr;
    return l ? SmallVector<int64_t>(l->ints.begin(), l->ints.end())
             : SmallVector<int64_t>();
  });
  if (!ok)
    return std::nullopt;
  return one(selectLiteral(
      *x, sliceLists(c, x->shape, p.starts, p.ends, p.axes, p.steps)));
}

/// Gather's indices, normalized (negative ones count from the end).
SmallVector<int64_t> gatherIndices(const NodeView &n, ArrayRef<int64_t> raw,
                                   int64_t dim) {
  SmallVector<int64_t> indices;
  for (int64_t i : raw) {
    if (i < -dim || i >= dim)
      n.nodeError("index " + llvm::Twine(i) +
                  " is out of range for a "
                  "dimension of size " +
                  llvm::Twine(dim));
    indices.push_back(i < 0 ? i + dim : i);
  }
  return indices;
}

/// Gather with constant indices of run-time data: a selection along the
/// axis, then a reshape when the indices are not a vector.
struct Gather : Selection {
  using Selection::Selection;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x, true);
    int64_t rank = inShape.size();
    int64_t axis = axisAttr("axis", 0, rank);
    DenseElementsAttr idx = constantOf(1);
    if (idx && isa<FloatType>(idx.getElementType()))
      nodeError("the indices must be integers");
    if (!idx)
      return runtimeGather(inShape, axis);
    std::vector<int64_t> raw = intsOf(idx);
    IndexLists lists = identityLists(inShape);
    lists[axis] = gatherIndices(*this, raw, inShape[axis]);
    bool vector = idx.getType().getRank() == 1;
    auto [v, nhwc] =
        select(x, lists, vector ? StringRef(y) : auxName(y, "rows"));
    if (!vector) {
      // The indices' shape replaces the axis: a reshape of the ONNX form.
      if (nhwc) {
        std::string held = auxName(y, "rows");
        define(held, v, true);
        v = onnxValue(held);
      }
      auto type = cast<RankedTensorType>(v.getType());
      v = ReshapeOp::create(b, loc, type.clone(shapeOf(y, true)), v,
                            nameAttr(y));
      nhwc = false;
    }
    defineOutput(v, nhwc);
  }

private:
  void runtimeGather(ArrayRef<int64_t> inShape, int64_t axis);
};

/// Gather with run-time indices (an embedding lookup): TOSA gather in an
/// island, on the data viewed as [outer, dim, inner] with the indices
/// repeated for every outer row; negative indices count from the end.
void Gather::runtimeGather(ArrayRef<int64_t> inShape, int64_t axis) {
  int64_t dim = inShape[axis], outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= inShape[d];
  for (int64_t d = axis + 1; d < int64_t(inShape.size()); ++d)
    inner *= inShape[d];
  Value data = constantOf(0) ? materialize(constantOf(0)) : onnxValue(in(0));
  if (!isFloatTensor(data.getType()))
    nodeError("Gather with run-time indices reads float data");
  SmallVector<int64_t> idxShape = shapeOf(in(1), true);
  bool isUnsigned;
  Value idx = integersAtRank(1, idxShape.size(), isUnsigned);
  int64_t count = 1;
  for (int64_t d : idxShape)
    count *= d;
  SmallVector<int64_t> outShape = shapeOf(out());
  Value result = island(out(), f32(outShape), [&]() -> Value {
    auto i32 = RankedTensorType::get({count}, b.getI32Type());
    Value flat = tosaReshape(idx, {count});
    Value wrapped = elementwise(
        i32, {flat}, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
          Value i = v[0];
          if (!i.getType().isInteger(32))
            i = i.getType().getIntOrFloatBitWidth() > 32
                    ? arith::TruncIOp::create(nb, l, nb.getI32Type(), i)
                          .getResult()
                    : arith::ExtSIOp::create(nb, l, nb.getI32Type(), i)
                          .getResult();
          Value zero =
              arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(0));
          Value n = arith::ConstantOp::create(
              nb, l, nb.getI32IntegerAttr(int32_t(dim)));
          Value neg =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, i, zero);
          return arith::SelectOp::create(nb, l, neg,
                                         arith::AddIOp::create(nb, l, i, n), i);
        });
    Value rows = tosaReshape(wrapped, {1, count});
    if (outer > 1)
      rows = tosa::TileOp::create(
          b, loc, RankedTensorType::get({outer, count}, b.getI32Type()), rows,
          tosaShape({outer, 1}));
    Value values = tosaReshape(data, {outer, dim, inner});
    Value g = tosa::GatherOp::create(b, loc, f32({outer, count, inner}), values,
                                     rows);
    return tosaReshape(g, outShape);
  });
  defineOutput(result, false);
}

std::optional<std::vector<Literal>> foldGather(const FoldContext &c) {
  const Literal *x = c.value(0), *idx = c.value(1);
  if (!x || !idx)
    return std::nullopt;
  int64_t rank = x->shape.size();
  int64_t axis = c.axisAttr("axis", 0, rank);
  IndexLists lists = identityLists(x->shape);
  lists[axis] = gatherIndices(c, idx->ints, x->shape[axis]);
  Literal r = selectLiteral(*x, lists);
  SmallVector<int64_t> shape(x->shape.begin(), x->shape.begin() + axis);
  llvm::append_range(shape, idx->shape);
  shape.append(x->shape.begin() + axis + 1, x->shape.end());
  r.shape = shape;
  return one(r);
}

/// Split: one slice per output.
struct Split : Selection {
  using Selection::Selection;
  void convert() override {
    SmallVector<int64_t> inShape = shapeOf(in(0), true);
    int64_t rank = inShape.size();
    int64_t axis = axisAttr("axis", 0, rank);
    int64_t start = 0;
    for (int k = 0; k < node->output_size(); ++k) {
      int64_t size = shapeOf(out(k), true)[axis];
      IndexLists lists = identityLists(inShape);
      lists[axis].assign(llvm::seq<int64_t>(start, start + size).begin(),
                         llvm::seq<int64_t>(start, start + size).end());
      start += size;
      if (!hasOutput(k))
        continue;
      auto [v, nhwc] = select(in(0), lists, out(k));
      define(out(k), v, nhwc);
    }
    if (start != inShape[axis])
      nodeError("the outputs do not cover the input");
  }
};

/// Expand and Tile: each dimension of the result reads the input's
/// coordinate (Expand: 0 of a broadcast dimension; Tile: modulo).
struct Broadcast : Selection {
  using Selection::Selection;
  void convert() override {
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> outShape = shapeOf(y, true);
    SmallVector<int64_t> inShape = shapeOf(x, true);
    int64_t rank = outShape.size();
    std::string input = x;
    if (int64_t(inShape.size()) < rank) {
      // Expand to a higher rank: leading 1s first.
      SmallVector<int64_t> shape(rank - inShape.size(), 1);
      llvm::append_range(shape, inShape);
      Value v = onnxValue(x);
      input = auxName(y, "rank");
      define(input,
             ReshapeOp::create(b, loc,
                               cast<RankedTensorType>(v.getType()).clone(shape),
                               v, nameAttr(input)),
             false);
      inShape = shape;
    }
    checkSelectionShape(outShape);
    IndexLists lists;
    for (int64_t d = 0; d < rank; ++d) {
      if (inShape[d] != 1 && outShape[d] % inShape[d] != 0)
        nodeError("dimension " + llvm::Twine(d) + " of size " +
                  llvm::Twine(inShape[d]) + " cannot become " +
                  llvm::Twine(outShape[d]));
      SmallVector<int64_t> l;
      for (int64_t o = 0; o < outShape[d]; ++o)
        l.push_back(o % inShape[d]);
      lists.push_back(std::move(l));
    }
    auto [v, nhwc] = select(input, lists, y);
    defineOutput(v, nhwc);
  }
};

std::optional<std::vector<Literal>> foldExpand(const FoldContext &c) {
  const Literal *x = c.value(0), *shape = c.value(1);
  if (!x || !shape)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> out =
      broadcastShapes(x->shape, shape->ints);
  if (!out)
    c.nodeError("the shape does not broadcast with the input");
  if (!Literal::fits(*out))
    return std::nullopt;
  Literal r = Literal::make(x->dtype, *out);
  for (int64_t i = 0, n = r.size(); i < n; ++i) {
    int64_t src = broadcastIndex(i, *out, x->shape);
    if (r.isFloat())
      r.floats[i] = x->floats[src];
    else
      r.ints[i] = x->ints[src];
  }
  return one(r);
}

std::optional<std::vector<Literal>> foldTile(const FoldContext &c) {
  const Literal *x = c.value(0), *repeats = c.value(1);
  if (!x || !repeats)
    return std::nullopt;
  if (repeats->ints.size() != x->shape.size())
    c.nodeError("repeats must have one entry per input dimension");
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::enumerate(repeats->ints)) {
    if (r < 0)
      c.nodeError("a repeat count is negative");
    if (__builtin_mul_overflow(x->shape[d], r, &shape.emplace_back()))
      return std::nullopt;
  }
  if (!Literal::fits(shape))
    return std::nullopt;
  IndexLists lists;
  for (auto [d, r] : llvm::enumerate(repeats->ints)) {
    SmallVector<int64_t> l;
    for (int64_t o = 0; o < x->shape[d] * r; ++o)
      l.push_back(o % x->shape[d]);
    lists.push_back(std::move(l));
  }
  return one(selectLiteral(*x, lists));
}

std::optional<std::vector<Literal>> foldSplit(const FoldContext &c) {
  const Literal *x = c.value(0);
  if (!x)
    return std::nullopt;
  int64_t rank = x->shape.size();
  int64_t axis = c.axisAttr("axis", 0, rank);
  int64_t dim = x->shape[axis];
  int outputs = c.outputCount();
  SmallVector<int64_t> sizes;
  if (c.opVersion() < 13) {
    sizes = c.intsAttr("split", {});
  } else if (c.has(1)) {
    const Literal *split = c.value(1);
    if (!split)
      return std::nullopt;
    sizes.assign(split->ints.begin(), split->ints.end());
  }
  if (sizes.empty()) {
    // Equal parts; with num_outputs (18) the last may be smaller.
    int64_t part = (dim + outputs - 1) / outputs;
    for (int k = 0; k < outputs; ++k)
      sizes.push_back(std::min(part, dim - k * part));
  }
  if (int(sizes.size()) != outputs)
    c.nodeError("split has " + llvm::Twine(sizes.size()) + " sizes for " +
                llvm::Twine(outputs) + " outputs");
  std::vector<Literal> results;
  int64_t start = 0;
  for (int64_t size : sizes) {
    if (size < 0 || start + size > dim)
      c.nodeError("the split sizes do not fit the input");
    IndexLists lists = identityLists(x->shape);
    lists[axis].assign(llvm::seq<int64_t>(start, start + size).begin(),
                       llvm::seq<int64_t>(start, start + size).end());
    results.push_back(selectLiteral(*x, lists));
    start += size;
  }
  if (start != dim)
    c.nodeError("the split sizes do not cover the input");
  return results;
}

//===----------------------------------------------------------------------===//
// Compile-time evaluation (shape arithmetic)
//===----------------------------------------------------------------------===//

/// The same values in another shape.
Literal reshaped(const Literal &l, ArrayRef<int64_t> shape) {
  Literal r = l;
  r.shape.assign(shape.begin(), shape.end());
  return r;
}

std::optional<std::vector<Literal>> foldConstant(const FoldContext &c) {
  if (const onnx::AttributeProto *a = c.attr("value")) {
    std::optional<Literal> v = Literal::fromTensor(a->t());
    if (!v)
      return std::nullopt; // imported (and checked) by the converter
    return one(*v);
  }
  if (const onnx::AttributeProto *a = c.attr("value_float")) {
    Literal l = Literal::make(onnx::TensorProto::FLOAT, {});
    l.set(0, a->f());
    return one(l);
  }
  if (const onnx::AttributeProto *a = c.attr("value_floats")) {
    Literal l = Literal::make(onnx::TensorProto::FLOAT, {a->floats_size()});
    for (int i = 0; i < a->floats_size(); ++i)
      l.set(i, a->floats(i));
    return one(l);
  }
  if (const onnx::AttributeProto *a = c.attr("value_int"))
    return one(Literal::ofInts({a->i()}, onnx::TensorProto::INT64, {}));
  if (const onnx::AttributeProto *a = c.attr("value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    return one(
        Literal::ofInts(v, onnx::TensorProto::INT64, {int64_t(v.size())}));
  }
  return std::nullopt;
}

std::optional<std::vector<Literal>> foldIdentity(const FoldContext &c) {
  if (!c.value(0))
    return std::nullopt;
  return one(*c.value(0));
}

/// Axes from the attribute (before `inputSince`) or from input 1.
std::optional<SmallVector<int64_t>>
axesOf(const FoldContext &c, int64_t version, int64_t inputSince) {
  if (version < inputSince)
    return c.intsAttr("axes", {});
  if (!c.has(1))
    return SmallVector<int64_t>();
  const Literal *axes = c.value(1);
  if (!axes)
    return std::nullopt;
  return SmallVector<int64_t>(axes->ints.begin(), axes->ints.end());
}

std::optional<std::vector<Literal>> foldUnsqueeze(const FoldContext &c,
                                                  int64_t version) {
  const Literal *x = c.value(0);
  std::optional<SmallVector<int64_t>> axes = axesOf(c, version, 13);
  if (!x || !axes)
    return std::nullopt;
  int64_t rank = x->shape.size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    a = c.normalizeAxis(a, rank, "axis");
    if (inserted[a])
      c.nodeError("an axis is repeated");
    inserted[a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0, j = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : x->shape[j++]);
  return one(reshaped(*x, shape));
}

std::optional<std::vector<Literal>> foldSqueeze(const FoldContext &c,
                                                int64_t version) {
  const Literal *x = c.value(0);
  std::optional<SmallVector<int64_t>> axes = axesOf(c, version, 13);
  if (!x || !axes)
    return std::nullopt;
  int64_t rank = x->shape.size();
  SmallVector<bool> removed(rank, axes->empty());
  if (axes->empty())
    for (int64_t i = 0; i < rank; ++i)
      removed[i] = x->shape[i] == 1;
  for (int64_t a : *axes) {
    a = c.normalizeAxis(a, rank, "axis");
    if (x->shape[a] != 1)
      c.nodeError("cannot squeeze axis " + llvm::Twine(a) + " of size " +
                  llvm::Twine(x->shape[a]));
    removed[a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!removed[i])
      shape.push_back(x->shape[i]);
  return one(reshaped(*x, shape));
}

std::optional<std::vector<Literal>> foldReshape(const FoldContext &c) {
  const Literal *x = c.value(0), *target = c.value(1);
  if (!x || !target)
    return std::nullopt;
  bool allowZero = c.intAttr("allowzero", 0) != 0;
  SmallVector<int64_t> shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < target->ints.size(); ++i) {
    int64_t d = target->ints[i];
    if (d == 0 && !allowZero) {
      if (i >= x->shape.size())
        c.nodeError("a 0 in the shape copies a dimension the input lacks");
      d = x->shape[i];
    }
    if (d == -1) {
      if (infer >= 0)
        c.nodeError("the shape has more than one -1");
      infer = int64_t(i);
    } else if (d < 0) {
      c.nodeError("the shape has a negative dimension");
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  if (infer >= 0) {
    if (known == 0 || x->size() % known)
      c.nodeError("cannot infer the -1 dimension of the shape");
    shape[infer] = x->size() / known;
  }
  Literal r = reshaped(*x, shape);
  if (r.size() != x->size())
    c.nodeError("the shape has another number of elements");
  return one(r);
}

std::optional<std::vector<Literal>> foldFlatten(const FoldContext &c) {
  const Literal *x = c.value(0);
  if (!x)
    return std::nullopt;
  int64_t rank = x->shape.size();
  int64_t axis = c.intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    c.nodeError("axis is out of range");
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= x->shape[i];
  return one(reshaped(*x, {outer, outer ? x->size() / outer : 0}));
}

std::optional<std::vector<Literal>> foldConcat(const FoldContext &c) {
  if (!c.allConstant() || c.inputCount() == 0)
    return std::nullopt;
  const Literal &first = *c.value(0);
  int64_t rank = first.shape.size();
  int64_t axis = c.normalizeAxis(c.intAttr("axis", 0), rank, "axis");
  SmallVector<int64_t> shape(first.shape);
  shape[axis] = 0;
  for (int i = 0; i < c.inputCount(); ++i) {
    const Literal &l = *c.value(i);
    if (l.dtype != first.dtype || int64_t(l.shape.size()) != rank)
      c.nodeError("the inputs differ in element type or rank");
    shape[axis] += l.shape[axis];
  }
  Literal r = Literal::make(first.dtype, shape);
  // Blocks of `inner` elements, input by input, `outer` times.
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  int64_t o = 0;
  for (int64_t k = 0; k < outer; ++k)
    for (int i = 0; i < c.inputCount(); ++i) {
      const Literal &l = *c.value(i);
      int64_t inner = outer ? l.size() / outer : 0;
      for (int64_t j = 0; j < inner; ++j, ++o) {
        if (r.isFloat())
          r.floats[o] = l.floats[k * inner + j];
        else
          r.ints[o] = l.ints[k * inner + j];
      }
    }
  return one(r);
}

std::optional<std::vector<Literal>> foldCast(const FoldContext &c) {
  const Literal *x = c.value(0);
  if (!x)
    return std::nullopt;
  int32_t to = int32_t(c.intAttr("to", 0));
  if (!Literal::isFloatType(to) && !onnx::TensorProto_DataType_IsValid(to))
    c.nodeError("unknown type " + llvm::Twine(to));
  Literal r = Literal::make(to, x->shape);
  for (int64_t i = 0, n = r.size(); i < n; ++i) {
    if (x->isFloat())
      r.set(i, x->floats[i]);
    else
      r.setInt(i, x->ints[i]);
  }
  return one(r);
}

/// `x` permuted: result dim i is input dim perm[i].
Literal permuted(const Literal &x, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.shape[p]);
  Literal r = Literal::make(x.dtype, shape);
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  SmallVector<int64_t> outStrides = stridesOf(shape);
  for (int64_t o = 0, n = r.size(); o < n; ++o) {
    int64_t rem = o, src = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      src += (rem / outStrides[d]) * inStrides[perm[d]];
      rem %= outStrides[d];
    }
    if (r.isFloat())
      r.floats[o] = x.floats[src];
    else
      r.ints[o] = x.ints[src];
  }
  return r;
}

std::optional<std::vector<Literal>> foldTranspose(const FoldContext &c) {
  const Literal *x = c.value(0);
  if (!x)
    return std::nullopt;
  int64_t rank = x->shape.size();
  SmallVector<int64_t> rev(llvm::reverse(llvm::seq<int64_t>(0, rank)));
  SmallVector<int64_t> perm = c.intsAttr("perm", rev);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  if (!llvm::equal(sorted, llvm::seq<int64_t>(0, rank)))
    c.nodeError("perm is not a permutation of the input's axes");
  return one(permuted(*x, perm));
}

} // namespace

void registerShapeConverters(ConverterRegistry &r) {
  StringRef reshapeNotes = "to the inferred shape; on a constant, folded";
  r.add<ReshapeLike>("Flatten", {1, 9, 11, 13, 21}, "`qlow.reshape`",
                     reshapeNotes)
      .fold = foldFlatten;
  r.add<ReshapeLike>("Reshape", {5, 13, 14, 19, 21}, "`qlow.reshape`",
                     reshapeNotes)
      .fold = foldReshape;
  r.add<ReshapeLike>("Squeeze", {1, 11, 13, 21}, "`qlow.reshape`", reshapeNotes)
      .fold = [](const FoldContext &c) {
    return foldSqueeze(c, c.opVersion());
  };
  r.add<ReshapeLike>("Unsqueeze", {1, 11, 13, 21}, "`qlow.reshape`",
                     reshapeNotes)
      .fold = [](const FoldContext &c) {
    return foldUnsqueeze(c, c.opVersion());
  };
  r.add<Transpose>("Transpose", {1, 13, 21}, "`qlow.transpose`",
                   "composed with the NHWC form when that is what exists")
      .fold = foldTranspose;
  r.add<Concat>("Concat", {4, 11, 13}, "`qlow.concat`",
                "of NHWC tensors in NHWC (axis mapped)")
      .fold = foldConcat;
  r.add<Pad>("Pad", {2, 11, 13, 18, 19, 21},
             "`qlow.gather` per padded axis, or an island of `tosa.pad`",
             "modes `constant` (float), `edge`, `reflect`, `wrap` (19); "
             "constant pads (attribute before 11), `axes` (18); negative "
             "pads crop; zero pads are nothing");
  r.add<Constant>("Constant", {1, 9, 11, 12, 13, 19, 21}, "constant",
                  "`value`, `value_float(s)`, `value_int(s)`")
      .fold = foldConstant;
  r.add<Identity>("Identity", {1, 13, 14, 16, 19, 21}, "nothing (alias)",
                  "of a constant: that constant")
      .fold = foldIdentity;
  r.add<Dropout>("Dropout", {7, 10, 12, 13}, "nothing (alias)",
                 "inference only; the mask is all true")
      .outputs = 2;
  ConverterInfo &cast = r.add<Cast>(
      "Cast", {6, 9, 13, 19, 21},
      "nothing (alias), DQ at scale 1, or `arith` casts in an island",
      "between float32, int8, uint8, int32, int64 and bool (floats "
      "truncate toward zero); a quantized tensor to its own integer "
      "type is itself, to float its integers");
  cast.fold = foldCast;
  // Cast-19's saturate applies to float8 types only.
  cast.standIn = withoutNewAttributes(19, {{"saturate", 1}});
  r.add<Gather>("Gather", {1, 11, 13}, "`qlow.slice` / `qlow.gather`",
                "constant indices (run-time data: a selection that keeps a "
                "quantized input's type; a reshape when the indices are not "
                "a vector)")
      .fold = foldGather;
  r.add<Slice>("Slice", {1, 10, 11, 13}, "`qlow.slice` / `qlow.gather`",
               "constant starts/ends/axes/steps (attributes before 10); "
               "negative steps are gathers")
      .fold = foldSlice;
  ConverterInfo &split = r.add<Split>(
      "Split", {2, 11, 13, 18}, "one `qlow.slice` per output",
      "`split` as attribute (before 13) or constant input, or equal "
      "parts (`num_outputs`, 18)");
  split.outputs = -1;
  split.fold = foldSplit;
  // Split-18's num_outputs: Split-13 splits into as many equal parts as it
  // has outputs (an uneven last part is an error there).
  split.standIn = [](const onnx::NodeProto &n, int64_t version,
                     ConstantInts) -> std::optional<StandIn> {
    if (version < 18)
      return std::nullopt;
    return StandIn(withoutAttributes(n, {"num_outputs"}));
  };
  r.add<Broadcast>("Expand", {8, 13}, "`qlow.gather` per broadcast axis",
                   "constant shape")
      .fold = foldExpand;
  r.add<Broadcast>("Tile", {6, 13}, "`qlow.gather` per tiled axis",
                   "constant repeats")
      .fold = foldTile;
}

} // namespace mlir::qlow::onnx_import
