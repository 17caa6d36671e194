//===- QuantUtils.cpp - helpers over !quant.uniform types -----------------===//
#include "Qlow/IR/QuantUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

quant::QuantizedType mlir::qlow::getQuantElementType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return dyn_cast<quant::QuantizedType>(type);
}

bool mlir::qlow::isFloatTensor(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && isa<FloatType>(t.getElementType());
}

bool QuantParams::allZeroPointsZero() const {
  return llvm::all_of(zeroPoints, [](int64_t z) { return z == 0; });
}

FailureOr<QuantParams> mlir::qlow::getQuantParams(quant::QuantizedType type) {
  QuantParams p;
  if (!type)
    return failure();
  p.qmin = type.getStorageTypeMin();
  p.qmax = type.getStorageTypeMax();
  p.bits = type.getStorageTypeIntegralWidth();
  p.isSigned = type.isSigned();
  if (auto u = dyn_cast<quant::UniformQuantizedType>(type)) {
    p.scales.push_back(u.getScale());
    p.zeroPoints.push_back(u.getZeroPoint());
    return p;
  }
  if (auto a = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    p.scales.assign(a.getScales().begin(), a.getScales().end());
    p.zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    p.axis = a.getQuantizedDimension();
    return p;
  }
  return failure();
}

FailureOr<QuantParams> mlir::qlow::getQuantParams(Type type) {
  return getQuantParams(getQuantElementType(type));
}

LogicalResult
mlir::qlow::verifyQuantType(quant::QuantizedType type, ArrayRef<int64_t> shape,
                            function_ref<InFlightDiagnostic()> emitError) {
  FailureOr<QuantParams> p = getQuantParams(type);
  if (failed(p))
    return emitError() << "unsupported quantized type " << type
                       << " (expected !quant.uniform per tensor or per axis)";
  for (double s : p->scales)
    if (!std::isfinite(s) || s <= 0.0)
      return emitError() << "quantization scale must be positive and finite, "
                            "got "
                         << s;
  for (int64_t z : p->zeroPoints)
    if (z < p->qmin || z > p->qmax)
      return emitError() << "zero point " << z << " is outside the storage "
                         << "range [" << p->qmin << ", " << p->qmax << "]";
  if (p->isPerAxis()) {
    int64_t rank = shape.size();
    if (p->axis >= rank)
      return emitError() << "quantized dimension " << p->axis
                         << " is out of range for a tensor of rank " << rank;
    int64_t dim = shape[p->axis];
    if (!ShapedType::isDynamic(dim) &&
        dim != static_cast<int64_t>(p->scales.size()))
      return emitError() << "per-axis quantization has " << p->scales.size()
                         << " scales but dimension " << p->axis << " has size "
                         << dim;
  }
  return success();
}

RankedTensorType mlir::qlow::withElementType(Type tensorType, Type elementType) {
  auto t = cast<RankedTensorType>(tensorType);
  return RankedTensorType::get(t.getShape(), elementType);
}

Type mlir::qlow::getStorageType(Type type) {
  auto q = getQuantElementType(type);
  if (!q)
    return type;
  if (isa<ShapedType>(type))
    return withElementType(type, q.getStorageType());
  return q.getStorageType();
}

Type mlir::qlow::getExpressedType(Type type) {
  auto q = getQuantElementType(type);
  if (!q)
    return type;
  if (isa<ShapedType>(type))
    return withElementType(type, q.getExpressedType());
  return q.getExpressedType();
}

ScaleAndZeroPoint mlir::qlow::chooseScaleAndZeroPoint(double rmin, double rmax,
                                                     int64_t qmin, int64_t qmax,
                                                     bool symmetric) {
  // Real zero must be representable exactly (padding, ReLU, zero bias).
  rmin = std::min(rmin, 0.0);
  rmax = std::max(rmax, 0.0);
  double scale;
  int64_t zp;
  if (symmetric) {
    double amax = std::max(-rmin, rmax);
    double half = double(qmax - qmin) / 2.0;
    scale = amax > 0 ? amax / half : 1.0;
    zp = qmin + (qmax - qmin + 1) / 2;
  } else {
    scale = rmax > rmin ? (rmax - rmin) / double(qmax - qmin) : 1.0;
    zp = std::clamp<int64_t>(std::llround(double(qmin) - rmin / scale), qmin,
                             qmax);
  }
  // A scale below f32's smallest normal would be flushed by some targets.
  return {std::max(scale, 1e-30), zp};
}

quant::UniformQuantizedType
mlir::qlow::getUniformTypeForRange(MLIRContext *ctx, double rmin, double rmax,
                                   unsigned bits, bool isSigned, bool symmetric,
                                   Type expressedType) {
  int64_t qmin = quant::QuantizedType::getDefaultMinimumForInteger(isSigned, bits);
  int64_t qmax = quant::QuantizedType::getDefaultMaximumForInteger(isSigned, bits);
  // Symmetric signed types use the narrow range [-(2^(b-1)-1), 2^(b-1)-1]:
  // no lone -128, so the zero point is exactly 0.
  if (symmetric && isSigned)
    qmin = -qmax;
  ScaleAndZeroPoint sz = chooseScaleAndZeroPoint(rmin, rmax, qmin, qmax, symmetric);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = IntegerType::get(ctx, bits);
  return quant::UniformQuantizedType::get(flags, storage, expressedType,
                                          sz.scale, sz.zeroPoint, qmin, qmax);
}
