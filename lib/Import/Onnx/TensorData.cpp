//===- TensorData.cpp - ONNX tensors as constants, layouts ----------------===//
#include "Importer.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {

SmallVector<int64_t> toNHWC(ArrayRef<int64_t> s) {
  return {s[0], s[2], s[3], s[1]};
}

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
        RankedTensorType::get(shape, Float32Type::get(ctx)), llvm::ArrayRef(v));
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
        RankedTensorType::get(shape, Float32Type::get(ctx)), llvm::ArrayRef(v));
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
    return DenseElementsAttr::get(newType,
                                  llvm::ArrayRef(gather(floatsOf(attr))));
  std::vector<int64_t> ints;
  for (APInt v : attr.getValues<APInt>())
    ints.push_back(v.getSExtValue());
  return DenseElementsAttr::get(newType, llvm::ArrayRef(gather(ints)));
}

/// A quantized constant permuted (its per-axis dimension follows).
QuantConst permute(const QuantConst &c, ArrayRef<int64_t> perm) {
  QuantConst r{permute(c.storage, perm), c.type};
  if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(c.type)) {
    int32_t axis =
        int32_t(llvm::find(perm, pa.getQuantizedDimension()) - perm.begin());
    r.type = quant::UniformQuantizedPerAxisType::get(
        pa.getFlags(), pa.getStorageType(), pa.getExpressedType(),
        pa.getScales(), pa.getZeroPoints(), axis, pa.getStorageTypeMin(),
        pa.getStorageTypeMax());
  }
  return r;
}

/// The real values of a quantized constant: f32(q - z) * s.
ElementParams::ElementParams(quant::QuantizedType type,
                             ArrayRef<int64_t> shape) {
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
}

DenseElementsAttr dequantizeConst(const QuantConst &c) {
  auto type = cast<RankedTensorType>(c.storage.getType());
  ElementParams p(c.type, type.getShape());
  std::vector<float> v;
  int64_t i = 0;
  for (APInt q : c.storage.getValues<APInt>()) {
    int64_t ch = p.channel(i++);
    v.push_back(float(q.getSExtValue() - p.zps[ch]) * float(p.scales[ch]));
  }
  return DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(),
                            Float32Type::get(type.getContext())),
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

std::vector<int64_t> intsOf(DenseElementsAttr a) {
  std::vector<int64_t> v;
  for (APInt x : a.getValues<APInt>())
    v.push_back(x.getSExtValue());
  return v;
}

} // namespace mlir::qlow::onnx_import
