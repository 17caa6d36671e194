//===- Kernels.cpp - Reference quantized kernels --------------------------===//
//
// Straightforward loops over the scalar spec functions. See
// docs/integer-spec.md.
//
//===----------------------------------------------------------------------===//

#include "qlow/Reference/Kernels.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

using namespace qlow::ref;

namespace {

size_t idx(int64_t i) { return static_cast<size_t>(i); }

// Per-channel vectors hold one entry per channel or a single broadcast entry.
template <typename T>
const T &channelValue(const std::vector<T> &values, int64_t channel) {
  assert(!values.empty() && "missing per-channel parameter");
  return values.size() == 1 ? values[0] : values[idx(channel)];
}

template <typename T>
[[maybe_unused]] bool isPerChannel(const std::vector<T> &values,
                                   int64_t channels) {
  return values.size() == 1 || static_cast<int64_t>(values.size()) == channels;
}

int32_t biasValue(const std::vector<int32_t> &biasQ, int64_t channel) {
  return biasQ.empty() ? 0 : channelValue(biasQ, channel);
}

[[maybe_unused]] bool fitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() &&
         v <= std::numeric_limits<int32_t>::max();
}

// Geometry of a conv shared by the plain and folded accumulators.
struct ConvGeometry {
  int64_t n, h, w, c;
  int64_t o, kh, kw, cPerGroup;
  int64_t oh, ow, oPerGroup;
};

ConvGeometry getConvGeometry(const Tensor &input, const Tensor &filter,
                             const Conv2DParams &p) {
  assert(input.shape.size() == 4 && "conv2d input must be NHWC");
  assert(filter.shape.size() == 4 && "conv2d filter must be OHWI");
  assert(input.size() == numElements(input.shape) && "input data/shape");
  assert(filter.size() == numElements(filter.shape) && "filter data/shape");
  ConvGeometry g;
  g.n = input.shape[0];
  g.h = input.shape[1];
  g.w = input.shape[2];
  g.c = input.shape[3];
  g.o = filter.shape[0];
  g.kh = filter.shape[1];
  g.kw = filter.shape[2];
  g.cPerGroup = filter.shape[3];
  assert(p.groups >= 1 && g.c % p.groups == 0 && g.o % p.groups == 0 &&
         "channels must divide into groups");
  assert(g.cPerGroup * p.groups == g.c && "filter I must be C / groups");
  assert(isPerChannel(p.weightZeroPoints, g.o) && "weight zero points");
  assert((p.biasQ.empty() || isPerChannel(p.biasQ, g.o)) && "bias");
  g.oPerGroup = g.o / p.groups;
  Shape outShape = conv2dOutputShape(input.shape, filter.shape, p);
  g.oh = outShape[1];
  g.ow = outShape[2];
  return g;
}

// Visits every output position and every filter tap of a conv, passing the
// input value (or nullptr for padding) and the weight.
template <typename BeginFn, typename TapFn, typename EndFn>
void forEachConvTap(const Tensor &input, const Tensor &filter,
                    const Conv2DParams &p, const ConvGeometry &g, BeginFn begin,
                    TapFn tap, EndFn end) {
  int64_t outIndex = 0;
  for (int64_t b = 0; b < g.n; ++b)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t oc = 0; oc < g.o; ++oc, ++outIndex) {
          begin(oc);
          int64_t group = oc / g.oPerGroup;
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            int64_t iy = oy * p.strides[0] - p.padding[0] + ky * p.dilations[0];
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              int64_t ix =
                  ox * p.strides[1] - p.padding[2] + kx * p.dilations[1];
              bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
              for (int64_t ci = 0; ci < g.cPerGroup; ++ci) {
                int64_t c = group * g.cPerGroup + ci;
                int32_t wv =
                    filter[((oc * g.kh + ky) * g.kw + kx) * g.cPerGroup + ci];
                if (!inside) {
                  tap(nullptr, wv);
                  continue;
                }
                tap(&input.data[idx(((b * g.h + iy) * g.w + ix) * g.c + c)],
                    wv);
              }
            }
          }
          end(outIndex, oc);
        }
}


// Visits the valid (non-padding) elements of every pooling window.
template <typename BeginFn, typename ElemFn, typename EndFn>
Shape forEachPoolWindow(const Tensor &input, const Pool2DParams &p,
                        BeginFn begin, ElemFn elem, EndFn end) {
  assert(input.shape.size() == 4 && "pooling input must be NHWC");
  assert(input.size() == numElements(input.shape) && "input data/shape");
  Shape outShape = pool2dOutputShape(input.shape, p);
  int64_t n = input.shape[0], h = input.shape[1], w = input.shape[2],
          c = input.shape[3];
  int64_t outIndex = 0;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < outShape[1]; ++oy)
      for (int64_t ox = 0; ox < outShape[2]; ++ox)
        for (int64_t ch = 0; ch < c; ++ch, ++outIndex) {
          begin();
          for (int64_t ky = 0; ky < p.kernel[0]; ++ky) {
            int64_t iy = oy * p.strides[0] - p.padding[0] + ky;
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < p.kernel[1]; ++kx) {
              int64_t ix = ox * p.strides[1] - p.padding[2] + kx;
              if (ix < 0 || ix >= w)
                continue;
              elem(input[((b * h + iy) * w + ix) * c + ch]);
            }
          }
          end(outIndex);
        }
  return outShape;
}

} // namespace

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

int64_t qlow::ref::numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    assert(d >= 0 && "negative dimension");
    n *= d;
  }
  return n;
}

Tensor::Tensor(Shape shape, std::vector<int32_t> data)
    : shape(std::move(shape)), data(std::move(data)) {
  assert(size() == numElements(this->shape) && "data does not match shape");
}

Tensor Tensor::filled(Shape shape, int32_t fill) {
  int64_t n = numElements(shape);
  return Tensor(std::move(shape), std::vector<int32_t>(idx(n), fill));
}

//===----------------------------------------------------------------------===//
// Quantize / dequantize / requantize
//===----------------------------------------------------------------------===//

Tensor qlow::ref::quantizeTensor(const Shape &shape,
                                 const std::vector<float> &values, float scale,
                                 int32_t zeroPoint, int32_t qmin,
                                 int32_t qmax) {
  assert(static_cast<int64_t>(values.size()) == numElements(shape));
  std::vector<int32_t> data;
  data.reserve(values.size());
  for (float v : values)
    data.push_back(quantize(v, scale, zeroPoint, qmin, qmax));
  return Tensor(shape, std::move(data));
}

std::vector<float> qlow::ref::dequantizeTensor(const Tensor &input, float scale,
                                               int32_t zeroPoint) {
  std::vector<float> out;
  out.reserve(input.data.size());
  for (int32_t q : input.data)
    out.push_back(dequantize(q, scale, zeroPoint));
  return out;
}

Tensor qlow::ref::requantizeTensor(const Tensor &input, int32_t inZeroPoint,
                                   FixedPointMultiplier multiplier,
                                   const OutputParams &out) {
  Tensor result = Tensor::filled(input.shape, 0);
  for (int64_t i = 0; i < input.size(); ++i)
    result[i] = requantize(input[i], inZeroPoint, multiplier, out.zeroPoint,
                           out.min, out.max);
  return result;
}

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

Shape qlow::ref::conv2dOutputShape(const Shape &inputShape,
                                   const Shape &filterShape,
                                   const Conv2DParams &p) {
  assert(inputShape.size() == 4 && filterShape.size() == 4);
  assert(p.strides[0] >= 1 && p.strides[1] >= 1 && "strides must be >= 1");
  assert(p.dilations[0] >= 1 && p.dilations[1] >= 1 &&
         "dilations must be >= 1");
  int64_t effH = p.dilations[0] * (filterShape[1] - 1) + 1;
  int64_t effW = p.dilations[1] * (filterShape[2] - 1) + 1;
  int64_t paddedH = inputShape[1] + p.padding[0] + p.padding[1];
  int64_t paddedW = inputShape[2] + p.padding[2] + p.padding[3];
  assert(paddedH >= effH && paddedW >= effW && "filter larger than input");
  return {inputShape[0], (paddedH - effH) / p.strides[0] + 1,
          (paddedW - effW) / p.strides[1] + 1, filterShape[0]};
}

std::vector<int64_t> qlow::ref::conv2dAccumulators(const Tensor &input,
                                                   const Tensor &filter,
                                                   const Conv2DParams &p) {
  ConvGeometry g = getConvGeometry(input, filter, p);
  std::vector<int64_t> accs(idx(g.n * g.oh * g.ow * g.o));
  int64_t acc = 0;
  int32_t zw = 0;
  forEachConvTap(
      input, filter, p, g,
      [&](int64_t oc) {
        acc = biasValue(p.biasQ, oc);
        zw = channelValue(p.weightZeroPoints, oc);
      },
      [&](const int32_t *x, int32_t w) {
        // Padding is real zero: x - zx == 0 contributes nothing.
        if (x)
          acc += (int64_t(*x) - p.inputZeroPoint) * (int64_t(w) - zw);
      },
      [&](int64_t outIndex, int64_t) { accs[idx(outIndex)] = acc; });
  return accs;
}

std::vector<int64_t>
qlow::ref::conv2dFoldedAccumulators(const Tensor &input, const Tensor &filter,
                                    const Conv2DParams &p) {
  ConvGeometry g = getConvGeometry(input, filter, p);
  int64_t k = g.kh * g.kw * g.cPerGroup;
  // Fold the constant terms per output channel.
  std::vector<int32_t> folded(idx(g.o));
  for (int64_t oc = 0; oc < g.o; ++oc) {
    int64_t weightSum = 0;
    for (int64_t i = 0; i < k; ++i)
      weightSum += filter[oc * k + i];
    std::optional<int32_t> f =
        foldBias(biasValue(p.biasQ, oc), weightSum, k, p.inputZeroPoint,
                 channelValue(p.weightZeroPoints, oc));
    assert(f && "folded bias does not fit int32");
    folded[idx(oc)] = f.value_or(0);
  }
  // Wrapping int32 arithmetic, as a lowering with an i32 accumulator does;
  // unsigned keeps the wraparound well defined.
  std::vector<int64_t> accs(idx(g.n * g.oh * g.ow * g.o));
  uint32_t sumXW = 0, sumX = 0;
  forEachConvTap(
      input, filter, p, g, [&](int64_t) { sumXW = sumX = 0; },
      [&](const int32_t *x, int32_t w) {
        // Padding holds the input zero point, so every window has K terms.
        uint32_t xv = static_cast<uint32_t>(x ? *x : p.inputZeroPoint);
        sumXW += xv * static_cast<uint32_t>(w);
        sumX += xv;
      },
      [&](int64_t outIndex, int64_t oc) {
        uint32_t zw =
            static_cast<uint32_t>(channelValue(p.weightZeroPoints, oc));
        uint32_t acc =
            static_cast<uint32_t>(folded[idx(oc)]) + sumXW - zw * sumX;
        // Back to signed: the value mod 2^32 in [INT32_MIN, INT32_MAX].
        int64_t v = acc;
        accs[idx(outIndex)] =
            v >= (int64_t(1) << 31) ? v - (int64_t(1) << 32) : v;
      });
  return accs;
}

Tensor qlow::ref::conv2d(const Tensor &input, const Tensor &filter,
                         const Conv2DParams &p) {
  Shape outShape = conv2dOutputShape(input.shape, filter.shape, p);
  int64_t channels = outShape[3];
  assert(isPerChannel(p.multipliers, channels) && "multipliers");
  std::vector<int64_t> accs = conv2dAccumulators(input, filter, p);
  Tensor out = Tensor::filled(outShape, 0);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t acc = accs[idx(i)];
    assert(fitsInt32(acc) && "conv accumulator overflows int32");
    out[i] = requantizeOutput(acc, channelValue(p.multipliers, i % channels),
                              p.output.zeroPoint, p.output.min, p.output.max);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

std::vector<int64_t> qlow::ref::matmulAccumulators(const Tensor &a,
                                                   const Tensor &w,
                                                   const MatMulParams &p) {
  assert((a.shape.size() == 2 || a.shape.size() == 3) && "A is [B,]M,K");
  assert(w.shape.size() == 2 && "W is K,N");
  assert(a.size() == numElements(a.shape) && w.size() == numElements(w.shape));
  size_t r = a.shape.size();
  int64_t batch = r == 3 ? a.shape[0] : 1;
  int64_t m = a.shape[r - 2], k = a.shape[r - 1], n = w.shape[1];
  assert(w.shape[0] == k && "contraction sizes differ");
  assert(isPerChannel(p.weightZeroPoints, n) && "weight zero points");
  assert((p.biasQ.empty() || isPerChannel(p.biasQ, n)) && "bias");
  std::vector<int64_t> accs(idx(batch * m * n));
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int64_t zw = channelValue(p.weightZeroPoints, j);
        int64_t acc = biasValue(p.biasQ, j);
        for (int64_t kk = 0; kk < k; ++kk)
          acc += (int64_t(a[(b * m + i) * k + kk]) - p.inputZeroPoint) *
                 (int64_t(w[kk * n + j]) - zw);
        accs[idx((b * m + i) * n + j)] = acc;
      }
  return accs;
}

Tensor qlow::ref::matmul(const Tensor &a, const Tensor &w,
                         const MatMulParams &p) {
  Shape outShape = a.shape;
  outShape.back() = w.shape[1];
  int64_t n = w.shape[1];
  assert(isPerChannel(p.multipliers, n) && "multipliers");
  std::vector<int64_t> accs = matmulAccumulators(a, w, p);
  Tensor out = Tensor::filled(outShape, 0);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t acc = accs[idx(i)];
    assert(fitsInt32(acc) && "matmul accumulator overflows int32");
    out[i] = requantizeOutput(acc, channelValue(p.multipliers, i % n),
                              p.output.zeroPoint, p.output.min, p.output.max);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

Shape qlow::ref::broadcastShapes(const Shape &a, const Shape &b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    assert((da == db || da == 1 || db == 1) && "shapes do not broadcast");
    out[rank - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

Tensor qlow::ref::add(const Tensor &a, int32_t za, const Tensor &b, int32_t zb,
                      const AddParams &params, const OutputParams &out) {
  std::vector<int32_t> data(
      idx(numElements(broadcastShapes(a.shape, b.shape))));
  Shape shape = forEachBroadcast(
      a.shape, b.shape, [&](int64_t i, int64_t ia, int64_t ib) {
        data[idx(i)] = quantizedAdd(a[ia], za, b[ib], zb, params, out.zeroPoint,
                                    out.min, out.max);
      });
  return Tensor(std::move(shape), std::move(data));
}

Tensor qlow::ref::mul(const Tensor &a, int32_t za, const Tensor &b, int32_t zb,
                      FixedPointMultiplier multiplier,
                      const OutputParams &out) {
  std::vector<int32_t> data(
      idx(numElements(broadcastShapes(a.shape, b.shape))));
  Shape shape = forEachBroadcast(
      a.shape, b.shape, [&](int64_t i, int64_t ia, int64_t ib) {
        data[idx(i)] = quantizedMul(a[ia], za, b[ib], zb, multiplier,
                                    out.zeroPoint, out.min, out.max);
      });
  return Tensor(std::move(shape), std::move(data));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

Shape qlow::ref::pool2dOutputShape(const Shape &inputShape,
                                   const Pool2DParams &p) {
  assert(inputShape.size() == 4 && "pooling input must be NHWC");
  assert(p.kernel[0] >= 1 && p.kernel[1] >= 1 && "empty pooling window");
  assert(p.strides[0] >= 1 && p.strides[1] >= 1 && "strides must be >= 1");
  int64_t paddedH = inputShape[1] + p.padding[0] + p.padding[1];
  int64_t paddedW = inputShape[2] + p.padding[2] + p.padding[3];
  assert(paddedH >= p.kernel[0] && paddedW >= p.kernel[1] &&
         "window larger than input");
  return {inputShape[0], (paddedH - p.kernel[0]) / p.strides[0] + 1,
          (paddedW - p.kernel[1]) / p.strides[1] + 1, inputShape[3]};
}

Tensor qlow::ref::maxPool2d(const Tensor &input, const Pool2DParams &p,
                            const OutputParams &out) {
  std::vector<int32_t> data(
      idx(numElements(pool2dOutputShape(input.shape, p))));
  int64_t best = 0;
  bool any = false;
  Shape shape = forEachPoolWindow(
      input, p, [&] { any = false; },
      [&](int32_t x) {
        best = any ? std::max<int64_t>(best, x) : x;
        any = true;
      },
      [&](int64_t outIndex) {
        assert(any && "pooling window holds only padding");
        data[idx(outIndex)] =
            static_cast<int32_t>(std::clamp<int64_t>(best, out.min, out.max));
      });
  return Tensor(std::move(shape), std::move(data));
}

Tensor qlow::ref::avgPool2d(const Tensor &input, const Pool2DParams &p,
                            double inputScale, int32_t inputZeroPoint,
                            double outputScale, const OutputParams &out) {
  std::vector<int32_t> data(
      idx(numElements(pool2dOutputShape(input.shape, p))));
  int64_t acc = 0, count = 0;
  Shape shape = forEachPoolWindow(
      input, p, [&] { acc = count = 0; },
      [&](int32_t x) {
        acc += int64_t(x) - inputZeroPoint;
        ++count;
      },
      [&](int64_t outIndex) {
        std::optional<FixedPointMultiplier> m =
            computeAvgPoolMultiplier(inputScale, outputScale, count);
        assert(m && "invalid average pool multiplier");
        assert(fitsInt32(acc) && "pool accumulator overflows int32");
        data[idx(outIndex)] = requantizeOutput(
            acc, m.value_or(FixedPointMultiplier{0, 0}), out.zeroPoint, out.min,
            out.max, Rounding::HalfEven);
      });
  return Tensor(std::move(shape), std::move(data));
}

Tensor qlow::ref::globalAvgPool(const Tensor &input, double inputScale,
                                int32_t inputZeroPoint, double outputScale,
                                const OutputParams &out) {
  assert(input.shape.size() == 4 && "pooling input must be NHWC");
  Pool2DParams p;
  p.kernel = {input.shape[1], input.shape[2]};
  return avgPool2d(input, p, inputScale, inputZeroPoint, outputScale, out);
}
