//===- Literal.cpp - constant tensors for compile-time evaluation ---------===//
#include "Importer.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

bool Literal::isFloatType(int32_t dtype) {
  return dtype == onnx::TensorProto::FLOAT ||
         dtype == onnx::TensorProto::DOUBLE;
}

int64_t Literal::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool Literal::fits(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxElements)
      return false;
  return true;
}

Literal Literal::make(int32_t dtype, ArrayRef<int64_t> shape) {
  Literal l;
  l.dtype = dtype;
  l.shape.assign(shape.begin(), shape.end());
  if (l.isFloat())
    l.floats.assign(l.size(), 0.0);
  else
    l.ints.assign(l.size(), 0);
  return l;
}

Literal Literal::ofInts(ArrayRef<int64_t> values, int32_t dtype,
                        ArrayRef<int64_t> shape) {
  Literal l = make(dtype, shape);
  for (auto [i, v] : llvm::enumerate(values))
    l.setInt(i, v);
  return l;
}

/// `v` wrapped to the range of the integer type `dtype`, as a C++ cast to
/// that type does (ONNX casts and integer arithmetic wrap).
static int64_t wrapInt(int32_t dtype, int64_t v) {
  switch (dtype) {
  case onnx::TensorProto::INT32:
    return int32_t(v);
  case onnx::TensorProto::INT16:
    return int16_t(v);
  case onnx::TensorProto::INT8:
    return int8_t(v);
  case onnx::TensorProto::UINT32:
    return uint32_t(v);
  case onnx::TensorProto::UINT16:
    return uint16_t(v);
  case onnx::TensorProto::UINT8:
    return uint8_t(v);
  case onnx::TensorProto::BOOL:
    return v != 0;
  default:
    return v;
  }
}

void Literal::set(int64_t i, double v) {
  if (dtype == onnx::TensorProto::FLOAT)
    floats[i] = double(float(v));
  else if (dtype == onnx::TensorProto::DOUBLE)
    floats[i] = v;
  else if (dtype == onnx::TensorProto::BOOL)
    ints[i] = v != 0.0;
  else
    ints[i] = wrapInt(dtype, std::isfinite(v) ? int64_t(v) : 0);
}

void Literal::setInt(int64_t i, int64_t v) {
  if (isFloat())
    set(i, double(v));
  else
    ints[i] = wrapInt(dtype, v);
}

std::optional<Literal> Literal::fromTensor(const onnx::TensorProto &t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return std::nullopt;
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (!fits(shape))
    return std::nullopt;
  Literal l = make(t.data_type(), shape);
  int64_t n = l.size();
  const std::string &raw = t.raw_data();
  // Element i of raw data of width `w` read as T.
  auto rawAt = [&](int64_t i, auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    return v;
  };
  auto fill = [&](auto tag, auto typed, int typedSize) -> bool {
    using T = decltype(tag);
    if (t.has_raw_data() ? raw.size() != size_t(n) * sizeof(T) : typedSize != n)
      return false;
    for (int64_t i = 0; i < n; ++i) {
      if (t.has_raw_data()) {
        if constexpr (std::is_floating_point_v<T>)
          l.floats[i] = rawAt(i, tag);
        else
          l.ints[i] = rawAt(i, tag);
      } else {
        if constexpr (std::is_floating_point_v<T>)
          l.floats[i] = typed(i);
        else
          l.ints[i] = wrapInt(t.data_type(), int64_t(typed(i)));
      }
    }
    return true;
  };
  bool ok;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    ok = fill(
        float(), [&](int64_t i) { return t.float_data(i); },
        t.float_data_size());
    break;
  case onnx::TensorProto::DOUBLE:
    ok = fill(
        double(), [&](int64_t i) { return t.double_data(i); },
        t.double_data_size());
    break;
  case onnx::TensorProto::INT64:
    ok = fill(
        int64_t(), [&](int64_t i) { return t.int64_data(i); },
        t.int64_data_size());
    break;
  case onnx::TensorProto::UINT64:
    ok = fill(
        uint64_t(), [&](int64_t i) { return t.uint64_data(i); },
        t.uint64_data_size());
    break;
  case onnx::TensorProto::UINT32:
    ok = fill(
        uint32_t(), [&](int64_t i) { return t.uint64_data(i); },
        t.uint64_data_size());
    break;
  case onnx::TensorProto::INT32:
    ok = fill(
        int32_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    break;
  case onnx::TensorProto::INT16:
    ok = fill(
        int16_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    break;
  case onnx::TensorProto::UINT16:
    ok = fill(
        uint16_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    break;
  case onnx::TensorProto::INT8:
    ok = fill(
        int8_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    break;
  case onnx::TensorProto::UINT8:
    ok = fill(
        uint8_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    break;
  case onnx::TensorProto::BOOL:
    ok = fill(
        uint8_t(), [&](int64_t i) { return t.int32_data(i); },
        t.int32_data_size());
    if (ok)
      for (int64_t &v : l.ints)
        v = v != 0;
    break;
  default:
    return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  return l;
}

onnx::TensorProto Literal::toTensor(const std::string &name) const {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(dtype);
  for (int64_t d : shape)
    t.add_dims(d);
  int64_t n = size();
  std::string raw;
  auto append = [&](auto v) {
    raw.append(reinterpret_cast<const char *>(&v), sizeof(v));
  };
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
    case onnx::TensorProto::FLOAT:
      append(float(floats[i]));
      break;
    case onnx::TensorProto::DOUBLE:
      append(floats[i]);
      break;
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
      append(ints[i]);
      break;
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
      append(int32_t(ints[i]));
      break;
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16:
      append(int16_t(ints[i]));
      break;
    default: // INT8, UINT8, BOOL
      append(int8_t(ints[i]));
      break;
    }
  }
  t.set_raw_data(raw);
  return t;
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

int64_t broadcastIndex(int64_t i, ArrayRef<int64_t> out,
                       ArrayRef<int64_t> shape) {
  int64_t index = 0, stride = 1;
  for (int64_t d = int64_t(out.size()) - 1, s = int64_t(shape.size()) - 1;
       s >= 0; --d, --s) {
    int64_t coord = i % out[d];
    i /= out[d];
    if (shape[s] != 1)
      index += coord * stride;
    stride *= shape[s];
  }
  return index;
}

bool FoldContext::allConstant() const {
  for (int i = 0; i < node->input_size(); ++i)
    if (has(i) && !value(i))
      return false;
  return true;
}

} // namespace mlir::qlow::onnx_import

namespace mlir::qlow::onnx_import {

std::optional<Literal>
elementwiseFold(const FoldContext &ctx, ArrayRef<const Literal *> inputs,
                int32_t resultType,
                llvm::function_ref<double(ArrayRef<double>)> real,
                llvm::function_ref<int64_t(ArrayRef<int64_t>)> integer) {
  SmallVector<int64_t> shape;
  for (const Literal *l : inputs) {
    if (!l)
      return std::nullopt;
    auto b = broadcastShapes(shape, l->shape);
    if (!b)
      ctx.nodeError("the input shapes do not broadcast");
    shape = *b;
  }
  if (!Literal::fits(shape))
    return std::nullopt;
  // Integer arithmetic when every input is an integer tensor.
  bool ints =
      llvm::none_of(inputs, [](const Literal *l) { return l->isFloat(); });
  Literal r = Literal::make(resultType, shape);
  SmallVector<double> reals(inputs.size());
  SmallVector<int64_t> integers(inputs.size());
  for (int64_t i = 0, n = r.size(); i < n; ++i) {
    for (auto [k, l] : llvm::enumerate(inputs)) {
      int64_t j = broadcastIndex(i, shape, l->shape);
      if (ints)
        integers[k] = l->ints[j];
      else
        reals[k] = l->real(j);
    }
    if (ints)
      r.setInt(i, integer(integers));
    else
      r.set(i, real(reals));
  }
  return r;
}

} // namespace mlir::qlow::onnx_import
