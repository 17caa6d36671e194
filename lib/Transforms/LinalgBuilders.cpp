//===- LinalgBuilders.cpp - linalg structures qlow lowers to --------------===//
#include "qlow/Transforms/LinalgBuilders.h"

#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cassert>

using namespace mlir;
using namespace mlir::qlow;

//===----------------------------------------------------------------------===//
// Fixed-point multipliers
//===----------------------------------------------------------------------===//

std::optional<FixedPoint> mlir::qlow::computeFixedPoint(double real) {
  std::optional<::qlow::ref::FixedPointMultiplier> m =
      ::qlow::ref::computeMultiplier(real);
  if (!m)
    return std::nullopt;
  return FixedPoint{m->multiplier, m->shift};
}

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

Value mlir::qlow::createIntConstant(OpBuilder &b, Location loc, Type type,
                                    int64_t value) {
  if (type.isIndex())
    return arith::ConstantOp::create(b, loc, b.getIndexAttr(value));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v(width, static_cast<uint64_t>(value), /*isSigned=*/true,
          /*implicitTrunc=*/true);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

Value mlir::qlow::createFloatConstant(OpBuilder &b, Location loc, Type type,
                                      double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value mlir::qlow::createI32TableConstant(OpBuilder &b, Location loc,
                                         ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

Value mlir::qlow::createF32TableConstant(OpBuilder &b, Location loc,
                                         ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getF32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseFPElementsAttr::get(type, values));
}

Value mlir::qlow::createEmpty(OpBuilder &b, Location loc,
                              RankedTensorType type) {
  assert(type.hasStaticShape() && "qlow builders expect static shapes");
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value mlir::qlow::createFilled(OpBuilder &b, Location loc,
                               RankedTensorType type, Value value) {
  Value empty = createEmpty(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

Value mlir::qlow::padNHWC(OpBuilder &b, Location loc, Value input,
                          ArrayRef<int64_t> padding, Value padValue) {
  assert(padding.size() == 4 && "padding is [top, bottom, left, right]");
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += padding[0] + padding[1];
  shape[2] += padding[2] + padding[3];
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(padding[0]),
                                   b.getIndexAttr(padding[2]),
                                   b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0),
                                    b.getIndexAttr(padding[1]),
                                    b.getIndexAttr(padding[3]),
                                    b.getIndexAttr(0)};
  return tensor::PadOp::create(b, loc, resultType, input, low, high, padValue);
}

Value mlir::qlow::expandTo(OpBuilder &b, Location loc, Value v,
                           RankedTensorType type,
                           ArrayRef<ReassociationIndices> reassociation) {
  if (v.getType() == type)
    return v;
  return tensor::ExpandShapeOp::create(b, loc, type, v, reassociation);
}

Value mlir::qlow::collapseTo(OpBuilder &b, Location loc, Value v,
                             RankedTensorType type,
                             ArrayRef<ReassociationIndices> reassociation) {
  if (v.getType() == type)
    return v;
  return tensor::CollapseShapeOp::create(b, loc, type, v, reassociation);
}

Value mlir::qlow::reshapeTo(OpBuilder &b, Location loc, Value v,
                            RankedTensorType type) {
  auto src = cast<RankedTensorType>(v.getType());
  if (src == type)
    return v;
  if (src.getRank() > type.getRank()) {
    if (auto re = getReassociationIndicesForCollapse(src.getShape(),
                                                     type.getShape()))
      return collapseTo(b, loc, v, type, *re);
  } else if (src.getRank() < type.getRank()) {
    if (auto re = getReassociationIndicesForCollapse(type.getShape(),
                                                     src.getShape()))
      return expandTo(b, loc, v, type, *re);
  }
  // General case: through rank 1 (rank-0 tensors collapse with no groups).
  auto flatType =
      RankedTensorType::get({src.getNumElements()}, src.getElementType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices all;
    for (int64_t i = 0; i < rank; ++i)
      all.push_back(i);
    return SmallVector<ReassociationIndices>{all};
  };
  Value flat = v;
  if (src.getRank() != 1)
    flat = collapseTo(b, loc, v, flatType,
                      src.getRank() == 0
                          ? SmallVector<ReassociationIndices>{}
                          : allDims(src.getRank()));
  if (type.getRank() == 1)
    return flat;
  return expandTo(b, loc, flat, type,
                  type.getRank() == 0 ? SmallVector<ReassociationIndices>{}
                                      : allDims(type.getRank()));
}

Value mlir::qlow::castInt(OpBuilder &b, Location loc, Value v, Type type,
                          bool isUnsigned) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned to = type.getIntOrFloatBitWidth();
  if (from == to)
    return v;
  if (from > to)
    return arith::TruncIOp::create(b, loc, type, v);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, type, v);
  return arith::ExtSIOp::create(b, loc, type, v);
}

Value mlir::qlow::castFloat(OpBuilder &b, Location loc, Value v, Type type) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned to = type.getIntOrFloatBitWidth();
  if (v.getType() == type)
    return v;
  if (from < to)
    return arith::ExtFOp::create(b, loc, type, v);
  return arith::TruncFOp::create(b, loc, type, v);
}

//===----------------------------------------------------------------------===//
// Generic construction
//===----------------------------------------------------------------------===//

Value mlir::qlow::buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                               Value init, ArrayRef<AffineMap> maps,
                               ArrayRef<utils::IteratorType> iterators,
                               ScalarBodyFn body) {
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value r = body(nb, nl, args);
        linalg::YieldOp::create(nb, nl, ValueRange{r});
      });
  return op.getResult(0);
}

Value mlir::qlow::buildElementwise(OpBuilder &b, Location loc,
                                   RankedTensorType resultType,
                                   ValueRange inputs, ValueRange channelInputs,
                                   int64_t axis, ScalarBodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  if (axis < 0)
    axis += rank;
  SmallVector<AffineMap> maps;
  for (Value in : inputs) {
    auto t = cast<RankedTensorType>(in.getType());
    assert(t.getRank() == rank && "element-wise inputs share the rank");
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      if (t.getDimSize(d) == 1 && resultType.getDimSize(d) != 1)
        exprs.push_back(getAffineConstantExpr(0, ctx));
      else
        exprs.push_back(getAffineDimExpr(d, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  for (Value in : channelInputs) {
    (void)in;
    assert(axis >= 0 && axis < rank && "channel axis out of range");
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx)));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<Value> allInputs(inputs);
  allInputs.append(channelInputs.begin(), channelInputs.end());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = createEmpty(b, loc, resultType);
  return buildGeneric(b, loc, allInputs, init, maps, iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return body(nb, nl, args.drop_back());
                      });
}

Value mlir::qlow::broadcastChannels(OpBuilder &b, Location loc, Value channels,
                                    RankedTensorType resultType, int64_t axis) {
  return buildElementwise(
      b, loc, resultType, {}, channels, axis,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

//===----------------------------------------------------------------------===//
// Windowed generics
//===----------------------------------------------------------------------===//

Value mlir::qlow::buildGroupedConv2D(OpBuilder &b, Location loc,
                                     Value paddedInput, Value filter,
                                     Value init, ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilation,
                                     int64_t groups, ConvBodyFn body) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(paddedInput.getType());
  auto fType = cast<RankedTensorType>(filter.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t n = inType.getDimSize(0), hp = inType.getDimSize(1),
          wp = inType.getDimSize(2), c = inType.getDimSize(3);
  int64_t o = fType.getDimSize(0), kh = fType.getDimSize(1),
          kw = fType.getDimSize(2), cg = fType.getDimSize(3);
  int64_t oh = outType.getDimSize(1), ow = outType.getDimSize(2);
  int64_t g = groups, og = o / groups;
  assert(c == cg * g && "input channels must be groups * filter channels");
  (void)c;

  // Expand the channel dims: one generic serves every group count.
  auto inX = RankedTensorType::get({n, hp, wp, g, cg}, inType.getElementType());
  auto fX = RankedTensorType::get({g, og, kh, kw, cg}, fType.getElementType());
  auto outX =
      RankedTensorType::get({n, oh, ow, g, og}, outType.getElementType());
  Value x = expandTo(b, loc, paddedInput, inX, {{0}, {1}, {2}, {3, 4}});
  Value w = expandTo(b, loc, filter, fX, {{0, 1}, {2}, {3}, {4}});
  Value acc = expandTo(b, loc, init, outX, {{0}, {1}, {2}, {3, 4}});

  // Loops (n, oh, ow, g, og, kh, kw, ci).
  AffineExpr dN, dOh, dOw, dG, dOg, dKh, dKw, dCi;
  bindDims(ctx, dN, dOh, dOw, dG, dOg, dKh, dKw, dCi);
  auto inMap = AffineMap::get(
      8, 0,
      {dN, dOh * strides[0] + dKh * dilation[0],
       dOw * strides[1] + dKw * dilation[1], dG, dCi},
      ctx);
  auto fMap = AffineMap::get(8, 0, {dG, dOg, dKh, dKw, dCi}, ctx);
  auto outMap = AffineMap::get(8, 0, {dN, dOh, dOw, dG, dOg}, ctx);
  using IT = utils::IteratorType;
  SmallVector<IT> iterators = {IT::parallel,  IT::parallel,  IT::parallel,
                               IT::parallel,  IT::parallel,  IT::reduction,
                               IT::reduction, IT::reduction};
  Value result =
      buildGeneric(b, loc, {x, w}, acc, {inMap, fMap, outMap}, iterators,
                   [&](OpBuilder &nb, Location nl, ValueRange args) {
                     return body(nb, nl, args[0], args[1], args[2]);
                   });
  return collapseTo(b, loc, result, outType, {{0}, {1}, {2}, {3, 4}});
}

Value mlir::qlow::buildGroupedWindowReduction(
    OpBuilder &b, Location loc, Value paddedInput, Value init,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilation, int64_t groups, WindowBodyFn body) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(paddedInput.getType());
  int64_t n = inType.getDimSize(0), hp = inType.getDimSize(1),
          wp = inType.getDimSize(2), c = inType.getDimSize(3);
  int64_t g = groups, cg = c / groups;
  auto inX = RankedTensorType::get({n, hp, wp, g, cg}, inType.getElementType());
  Value x = expandTo(b, loc, paddedInput, inX, {{0}, {1}, {2}, {3, 4}});
  // The window operand only gives the (kh, kw, ci) loops their extents.
  Value window = tensor::EmptyOp::create(b, loc,
                                         ArrayRef<int64_t>{kernel[0], kernel[1], cg},
                                         inType.getElementType());
  // Loops (n, oh, ow, g, kh, kw, ci).
  AffineExpr dN, dOh, dOw, dG, dKh, dKw, dCi;
  bindDims(ctx, dN, dOh, dOw, dG, dKh, dKw, dCi);
  auto inMap = AffineMap::get(
      7, 0,
      {dN, dOh * strides[0] + dKh * dilation[0],
       dOw * strides[1] + dKw * dilation[1], dG, dCi},
      ctx);
  auto winMap = AffineMap::get(7, 0, {dKh, dKw, dCi}, ctx);
  auto outMap = AffineMap::get(7, 0, {dN, dOh, dOw, dG}, ctx);
  using IT = utils::IteratorType;
  SmallVector<IT> iterators = {IT::parallel,  IT::parallel,  IT::parallel,
                               IT::parallel,  IT::reduction, IT::reduction,
                               IT::reduction};
  return buildGeneric(b, loc, {x, window}, init, {inMap, winMap, outMap},
                      iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return body(nb, nl, args[0], args[2]);
                      });
}

Value mlir::qlow::buildPool2D(OpBuilder &b, Location loc, Value paddedInput,
                              Value init, ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides, WindowBodyFn body) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(paddedInput.getType());
  Value window = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, inType.getElementType());
  // Loops (n, oh, ow, c, kh, kw).
  AffineExpr dN, dOh, dOw, dC, dKh, dKw;
  bindDims(ctx, dN, dOh, dOw, dC, dKh, dKw);
  auto inMap = AffineMap::get(
      6, 0, {dN, dOh * strides[0] + dKh, dOw * strides[1] + dKw, dC}, ctx);
  auto winMap = AffineMap::get(6, 0, {dKh, dKw}, ctx);
  auto outMap = AffineMap::get(6, 0, {dN, dOh, dOw, dC}, ctx);
  using IT = utils::IteratorType;
  SmallVector<IT> iterators = {IT::parallel, IT::parallel,  IT::parallel,
                               IT::parallel, IT::reduction, IT::reduction};
  return buildGeneric(b, loc, {paddedInput, window}, init,
                      {inMap, winMap, outMap}, iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return body(nb, nl, args[0], args[2]);
                      });
}

/// Valid extent of the window starting at `start` (may be negative) of size
/// `k` over [0, size).
static Value emitValidExtent(OpBuilder &b, Location loc, Value start,
                             int64_t k, int64_t size) {
  Type idx = b.getIndexType();
  Value end = arith::AddIOp::create(b, loc, start,
                                    createIntConstant(b, loc, idx, k));
  Value hi = arith::MinSIOp::create(b, loc, end,
                                    createIntConstant(b, loc, idx, size));
  Value lo = arith::MaxSIOp::create(b, loc, start,
                                    createIntConstant(b, loc, idx, 0));
  return arith::SubIOp::create(b, loc, hi, lo);
}

Value mlir::qlow::emitValidWindowCount(OpBuilder &b, Location loc,
                                       int64_t inH, int64_t inW,
                                       ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> padding) {
  Type idx = b.getIndexType();
  auto start = [&](unsigned dim, int64_t stride, int64_t pad) -> Value {
    Value i = linalg::IndexOp::create(b, loc, dim);
    Value s = arith::MulIOp::create(b, loc, i,
                                    createIntConstant(b, loc, idx, stride));
    return arith::SubIOp::create(b, loc, s, createIntConstant(b, loc, idx, pad));
  };
  Value rows = emitValidExtent(b, loc, start(1, strides[0], padding[0]),
                               kernel[0], inH);
  Value cols = emitValidExtent(b, loc, start(2, strides[1], padding[2]),
                               kernel[1], inW);
  return arith::MulIOp::create(b, loc, rows, cols);
}

int64_t mlir::qlow::validWindowCount(int64_t oh, int64_t ow, int64_t inH,
                                     int64_t inW, ArrayRef<int64_t> kernel,
                                     ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> padding) {
  auto extent = [](int64_t start, int64_t k, int64_t size) {
    return std::min(start + k, size) - std::max<int64_t>(start, 0);
  };
  return extent(oh * strides[0] - padding[0], kernel[0], inH) *
         extent(ow * strides[1] - padding[2], kernel[1], inW);
}

//===----------------------------------------------------------------------===//
// Integer arithmetic of the spec
//===----------------------------------------------------------------------===//

/// The rounding term added to p = x * m before the arithmetic shift by s
/// (s >= 1): `half` = 2^(s-1) for half up (s unused); 2^(s-1) - 1 +
/// ((p >> s) & 1) for half to even, which reaches the next multiple of 2^s
/// on a tie only when the floor quotient is odd.
static Value emitRoundingTerm(OpBuilder &b, Location loc, Value p, Value s,
                              Value half, ::qlow::ref::Rounding rounding) {
  if (rounding == ::qlow::ref::Rounding::HalfUp)
    return half;
  Type i64 = b.getI64Type();
  Value one = createIntConstant(b, loc, i64, 1);
  Value odd =
      arith::AndIOp::create(b, loc, arith::ShRSIOp::create(b, loc, p, s), one);
  return arith::AddIOp::create(b, loc, arith::SubIOp::create(b, loc, half, one),
                               odd);
}

Value mlir::qlow::emitApplyMultiplier(OpBuilder &b, Location loc, Value x64,
                                      FixedPoint m,
                                      ::qlow::ref::Rounding rounding) {
  Type i64 = b.getI64Type();
  if (m.isIdentity())
    return x64; // x * 2^30 >> 30 with rounding is exact.
  Value p = arith::MulIOp::create(b, loc, x64,
                                  createIntConstant(b, loc, i64, m.multiplier));
  if (m.shift == 0)
    return p;
  Value half = createIntConstant(b, loc, i64, int64_t(1) << (m.shift - 1));
  Value s;
  if (rounding != ::qlow::ref::Rounding::HalfUp)
    s = createIntConstant(b, loc, i64, m.shift);
  Value sum = arith::AddIOp::create(
      b, loc, p, emitRoundingTerm(b, loc, p, s, half, rounding));
  if (!s)
    s = createIntConstant(b, loc, i64, m.shift);
  return arith::ShRSIOp::create(b, loc, sum, s);
}

Value mlir::qlow::emitApplyMultiplier(OpBuilder &b, Location loc, Value x64,
                                      Value m, Value s,
                                      ::qlow::ref::Rounding rounding) {
  Type i64 = b.getI64Type();
  Value m64 = castInt(b, loc, m, i64, /*isUnsigned=*/false);
  Value s64 = castInt(b, loc, s, i64, /*isUnsigned=*/false);
  Value zero = createIntConstant(b, loc, i64, 0);
  Value one = createIntConstant(b, loc, i64, 1);
  Value p = arith::MulIOp::create(b, loc, x64, m64);
  // The rounding term is 0 when s == 0; the shift amounts stay in range.
  Value sm1 = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, s64, one), zero);
  Value half = arith::ShLIOp::create(b, loc, one, sm1);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s64, zero);
  Value term = arith::SelectOp::create(
      b, loc, isZero, zero, emitRoundingTerm(b, loc, p, s64, half, rounding));
  Value sum = arith::AddIOp::create(b, loc, p, term);
  return arith::ShRSIOp::create(b, loc, sum, s64);
}

Value mlir::qlow::emitClampAndTrunc(OpBuilder &b, Location loc, Value v64,
                                    int64_t lo, int64_t hi, Type type) {
  Type t = v64.getType();
  Value r = arith::MaxSIOp::create(b, loc, v64, createIntConstant(b, loc, t, lo));
  r = arith::MinSIOp::create(b, loc, r, createIntConstant(b, loc, t, hi));
  return castInt(b, loc, r, type, /*isUnsigned=*/false);
}

Value mlir::qlow::buildRescale(OpBuilder &b, Location loc, Value input,
                               RankedTensorType resultType,
                               const RescaleSpec &spec) {
  assert(!spec.multipliers.empty() && "rescale needs a multiplier");
  Type i64 = b.getI64Type();
  SmallVector<Value> tables;
  int mIdx = -1, inZpIdx = -1, outZpIdx = -1;
  bool perChannelM = spec.multipliers.size() > 1;
  if (perChannelM) {
    SmallVector<int32_t> ms, ss;
    for (FixedPoint f : spec.multipliers) {
      ms.push_back(f.multiplier);
      ss.push_back(f.shift);
    }
    mIdx = tables.size();
    tables.push_back(createI32TableConstant(b, loc, ms));
    tables.push_back(createI32TableConstant(b, loc, ss));
  }
  auto addZpTable = [&](ArrayRef<int64_t> zps) {
    SmallVector<int32_t> v(zps.begin(), zps.end());
    int idx = tables.size();
    tables.push_back(createI32TableConstant(b, loc, v));
    return idx;
  };
  if (spec.inputZeroPoints.size() > 1)
    inZpIdx = addZpTable(spec.inputZeroPoints);
  if (spec.outputZeroPoints.size() > 1)
    outZpIdx = addZpTable(spec.outputZeroPoints);

  Type outElem = resultType.getElementType();
  return buildElementwise(
      b, loc, resultType, input, tables, spec.axis,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        ValueRange t = args.drop_front();
        Value x = castInt(nb, nl, args[0], i64, spec.inputUnsigned);
        if (inZpIdx >= 0)
          x = arith::SubIOp::create(nb, nl, x,
                                    castInt(nb, nl, t[inZpIdx], i64, false));
        else if (spec.inputZeroPoints[0] != 0)
          x = arith::SubIOp::create(
              nb, nl, x,
              createIntConstant(nb, nl, i64, spec.inputZeroPoints[0]));
        Value y = perChannelM
                      ? emitApplyMultiplier(nb, nl, x, t[mIdx], t[mIdx + 1],
                                            spec.rounding)
                      : emitApplyMultiplier(nb, nl, x, spec.multipliers[0],
                                            spec.rounding);
        if (outZpIdx >= 0)
          y = arith::AddIOp::create(nb, nl, y,
                                    castInt(nb, nl, t[outZpIdx], i64, false));
        else if (spec.outputZeroPoints[0] != 0)
          y = arith::AddIOp::create(
              nb, nl, y,
              createIntConstant(nb, nl, i64, spec.outputZeroPoints[0]));
        return emitClampAndTrunc(nb, nl, y, spec.min, spec.max, outElem);
      });
}

Value mlir::qlow::buildQuantize(OpBuilder &b, Location loc, Value input,
                                RankedTensorType resultType,
                                const QuantParams &params) {
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  SmallVector<Value> tables;
  if (params.isPerAxis()) {
    SmallVector<float> scales;
    SmallVector<int32_t> zps;
    for (double s : params.scales)
      scales.push_back(static_cast<float>(s));
    for (int64_t z : params.zeroPoints)
      zps.push_back(static_cast<int32_t>(z));
    tables.push_back(createF32TableConstant(b, loc, scales));
    tables.push_back(createI32TableConstant(b, loc, zps));
  }
  Type outElem = resultType.getElementType();
  return buildElementwise(
      b, loc, resultType, input, tables, params.axis,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value x = castFloat(nb, nl, args[0], f32);
        Value s, z, lo, hi;
        if (params.isPerAxis()) {
          s = args[1];
          z = args[2];
          lo = arith::SIToFPOp::create(
              nb, nl, f32,
              arith::SubIOp::create(
                  nb, nl, createIntConstant(nb, nl, i32, params.qmin), z));
          hi = arith::SIToFPOp::create(
              nb, nl, f32,
              arith::SubIOp::create(
                  nb, nl, createIntConstant(nb, nl, i32, params.qmax), z));
        } else {
          float scale = static_cast<float>(params.scale());
          int64_t zp = params.zeroPoint();
          s = createFloatConstant(nb, nl, f32, scale);
          z = createIntConstant(nb, nl, i32, zp);
          lo = createFloatConstant(nb, nl, f32,
                                   static_cast<float>(params.qmin - zp));
          hi = createFloatConstant(nb, nl, f32,
                                   static_cast<float>(params.qmax - zp));
        }
        // A true f32 division (never a reciprocal multiply), ties to even.
        Value v = arith::DivFOp::create(nb, nl, x, s);
        Value r = math::RoundEvenOp::create(nb, nl, v);
        Value isNan =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO, r, r);
        Value c = arith::MaximumFOp::create(nb, nl, r, lo);
        c = arith::MinimumFOp::create(nb, nl, c, hi);
        // NaN -> 0 before the conversion, so that it never sees a NaN; then
        // + z gives the zero point.
        c = arith::SelectOp::create(nb, nl, isNan,
                                    createFloatConstant(nb, nl, f32, 0.0), c);
        Value q = arith::FPToSIOp::create(nb, nl, i32, c);
        q = arith::AddIOp::create(nb, nl, q, z);
        return castInt(nb, nl, q, outElem, /*isUnsigned=*/false);
      });
}

Value mlir::qlow::buildDequantize(OpBuilder &b, Location loc, Value input,
                                  RankedTensorType resultType,
                                  const QuantParams &params) {
  Type f32 = b.getF32Type();
  // q - z is exact in i32 for storage up to 16 bits, in i64 beyond.
  Type wide = params.bits > 16 ? b.getI64Type() : b.getI32Type();
  SmallVector<Value> tables;
  if (params.isPerAxis()) {
    SmallVector<float> scales;
    SmallVector<int32_t> zps;
    for (double s : params.scales)
      scales.push_back(static_cast<float>(s));
    for (int64_t z : params.zeroPoints)
      zps.push_back(static_cast<int32_t>(z));
    tables.push_back(createF32TableConstant(b, loc, scales));
    tables.push_back(createI32TableConstant(b, loc, zps));
  }
  Type outElem = resultType.getElementType();
  return buildElementwise(
      b, loc, resultType, input, tables, params.axis,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value q = castInt(nb, nl, args[0], wide, !params.isSigned);
        Value s, z;
        if (params.isPerAxis()) {
          s = args[1];
          z = castInt(nb, nl, args[2], wide, /*isUnsigned=*/false);
        } else {
          s = createFloatConstant(nb, nl, f32,
                                  static_cast<float>(params.scale()));
          z = createIntConstant(nb, nl, wide, params.zeroPoint());
        }
        Value d = arith::SubIOp::create(nb, nl, q, z);
        Value f = arith::SIToFPOp::create(nb, nl, f32, d);
        Value r = arith::MulFOp::create(nb, nl, f, s);
        return castFloat(nb, nl, r, outElem);
      });
}
