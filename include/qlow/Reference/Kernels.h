//===- Kernels.h - Reference quantized kernels ------------------*- C++ -*-===//
//
// Plain C++17 reference kernels over int32 storage values, built on the
// scalar functions of IntegerSpec.h. Layouts are row-major; image tensors are
// NHWC and conv filters OHWI. These are slow, obviously-correct definitions
// for testing lowerings against, not fast code.
//
// Preconditions (shapes, in-range storage values, valid multipliers) are
// checked with assert().
//
//===----------------------------------------------------------------------===//

#ifndef QLOW_REFERENCE_KERNELS_H
#define QLOW_REFERENCE_KERNELS_H

#include "qlow/Reference/IntegerSpec.h"

#include <array>
#include <cstdint>
#include <vector>

namespace qlow::ref {

using Shape = std::vector<int64_t>;

/// Number of elements of `shape` (1 for rank 0).
int64_t numElements(const Shape &shape);

/// A row-major tensor of storage values (already in storage range).
struct Tensor {
  Shape shape;
  std::vector<int32_t> data;

  Tensor() = default;
  Tensor(Shape shape, std::vector<int32_t> data);
  /// A tensor of `shape` filled with `fill`.
  static Tensor filled(Shape shape, int32_t fill);

  int64_t size() const { return static_cast<int64_t>(data.size()); }
  int32_t &operator[](int64_t i) { return data[static_cast<size_t>(i)]; }
  int32_t operator[](int64_t i) const { return data[static_cast<size_t>(i)]; }
};

/// Integer output stage shared by the kernels: the final value is
/// clamp(applyMultiplier(acc, multiplier) + zeroPoint, min, max). `min`/`max`
/// are the storage range intersected with any fused activation (see
/// activationBounds).
struct OutputParams {
  int32_t zeroPoint = 0;
  int32_t min = -128;
  int32_t max = 127;
};

//===----------------------------------------------------------------------===//
// Quantize / dequantize / requantize (elementwise, per tensor)
//===----------------------------------------------------------------------===//

Tensor quantizeTensor(const Shape &shape, const std::vector<float> &values,
                      float scale, int32_t zeroPoint, int32_t qmin,
                      int32_t qmax);
std::vector<float> dequantizeTensor(const Tensor &input, float scale,
                                    int32_t zeroPoint);
/// Elementwise requantize(q, inZeroPoint, multiplier, out.zeroPoint, out.min,
/// out.max).
Tensor requantizeTensor(const Tensor &input, int32_t inZeroPoint,
                        FixedPointMultiplier multiplier,
                        const OutputParams &out);

//===----------------------------------------------------------------------===//
// Conv2D (NHWC input, OHWI filter)
//===----------------------------------------------------------------------===//

/// Per-output-channel parameters. Every per-channel vector has either O
/// entries or exactly one (per-tensor, broadcast to every channel).
struct Conv2DParams {
  int32_t inputZeroPoint = 0;
  std::vector<int32_t> weightZeroPoints{0};
  /// Unfolded quantized bias (quantizeBias); empty means no bias.
  std::vector<int32_t> biasQ;
  std::array<int64_t, 2> strides{1, 1};       // H, W
  std::array<int64_t, 4> padding{0, 0, 0, 0}; // top, bottom, left, right
  std::array<int64_t, 2> dilations{1, 1};     // H, W
  int64_t groups = 1;
  std::vector<FixedPointMultiplier> multipliers; // inS * wS[o] / outS
  OutputParams output;
};

/// Output shape [N, OH, OW, O] with
/// OH = (H + padTop + padBottom - dilationH*(KH-1) - 1) / strideH + 1.
Shape conv2dOutputShape(const Shape &inputShape, const Shape &filterShape,
                        const Conv2DParams &params);

/// The int32 accumulators of a conv by the plain definition
///   acc[o] = biasQ[o] + sum_k (x_k - zx) * (w_k - zw[o])
/// where padded positions contribute x_k - zx = 0. Computed in int64; the
/// values are returned unclamped (the spec requires them to fit int32).
std::vector<int64_t> conv2dAccumulators(const Tensor &input,
                                        const Tensor &filter,
                                        const Conv2DParams &params);

/// The same accumulators by the folded four-term form a lowering uses:
///   acc[o] = foldBias(biasQ[o], sum_k w_k, K, zx, zw[o])
///            + sum_k x_k * w_k - zw[o] * sum_k x_k
/// with padding filled by zx, evaluated in wrapping int32 arithmetic (exact
/// whenever the true accumulator fits int32). Asserts the bias folds.
std::vector<int64_t> conv2dFoldedAccumulators(const Tensor &input,
                                              const Tensor &filter,
                                              const Conv2DParams &params);

/// Quantized conv2d: requantizeOutput of conv2dAccumulators per channel.
/// input [N, H, W, C], filter [O, KH, KW, C / groups], result [N, OH, OW, O].
Tensor conv2d(const Tensor &input, const Tensor &filter,
              const Conv2DParams &params);

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

/// Per-column (N) parameters; vectors have N entries or one.
struct MatMulParams {
  int32_t inputZeroPoint = 0;
  std::vector<int32_t> weightZeroPoints{0};
  std::vector<int32_t> biasQ; // empty means no bias
  std::vector<FixedPointMultiplier> multipliers;
  OutputParams output;
};

/// acc[b, m, n] = biasQ[n] + sum_k (A[b, m, k] - zx) * (W[k, n] - zw[n]).
/// A is [M, K] or [B, M, K]; W [K, N] is shared by all batches. The result
/// has A's rank: [M, N] or [B, M, N].
std::vector<int64_t> matmulAccumulators(const Tensor &a, const Tensor &w,
                                        const MatMulParams &params);
Tensor matmul(const Tensor &a, const Tensor &w, const MatMulParams &params);

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

/// Numpy-style broadcast of two shapes (right-aligned; dims equal or 1).
/// Asserts the shapes are compatible.
Shape broadcastShapes(const Shape &a, const Shape &b);

/// Calls fn(outIndex, lhsIndex, rhsIndex) for every element of the broadcast
/// result of shapes a and b (row-major), and returns that result shape.
template <typename Fn>
Shape forEachBroadcast(const Shape &a, const Shape &b, Fn fn) {
  Shape out = broadcastShapes(a, b);
  size_t rank = out.size();
  // Right-align the operand shapes and compute their strides; a broadcast
  // dimension gets stride 0.
  auto alignedStrides = [&](const Shape &s) {
    std::vector<int64_t> strides(rank, 0);
    int64_t stride = 1;
    for (size_t i = 0; i < s.size(); ++i) {
      size_t dim = s.size() - 1 - i;
      size_t outDim = rank - 1 - i;
      strides[outDim] = s[dim] == 1 ? 0 : stride;
      stride *= s[dim];
    }
    return strides;
  };
  std::vector<int64_t> sa = alignedStrides(a), sb = alignedStrides(b);
  int64_t total = numElements(out);
  std::vector<int64_t> coord(rank, 0);
  for (int64_t i = 0; i < total; ++i) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += coord[d] * sa[d];
      ib += coord[d] * sb[d];
    }
    fn(i, ia, ib);
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < out[d])
        break;
      coord[d] = 0;
    }
  }
  return out;
}

/// quantizedAdd elementwise, with broadcasting.
Tensor add(const Tensor &a, int32_t za, const Tensor &b, int32_t zb,
           const AddParams &params, const OutputParams &out);

/// quantizedMul elementwise, with broadcasting; `multiplier` is
/// computeMulMultiplier(sa, sb, so).
Tensor mul(const Tensor &a, int32_t za, const Tensor &b, int32_t zb,
           FixedPointMultiplier multiplier, const OutputParams &out);

//===----------------------------------------------------------------------===//
// Pooling (NHWC)
//===----------------------------------------------------------------------===//

struct Pool2DParams {
  std::array<int64_t, 2> kernel{1, 1};        // KH, KW
  std::array<int64_t, 2> strides{1, 1};       // H, W
  std::array<int64_t, 4> padding{0, 0, 0, 0}; // top, bottom, left, right
};

/// Output shape [N, OH, OW, C], OH = (H + padTop + padBottom - KH)/strideH + 1.
Shape pool2dOutputShape(const Shape &inputShape, const Pool2DParams &params);

/// Max over the valid (non-padding) window elements, clamped to
/// [out.min, out.max]. Input and output share scale and zero point
/// (out.zeroPoint is unused). Every window must hold a valid element.
Tensor maxPool2d(const Tensor &input, const Pool2DParams &params,
                 const OutputParams &out);

/// acc = sum over valid window elements of (x - zx), count = their number,
/// out = requantizeOutput(acc, computeAvgPoolMultiplier(inputScale,
/// outputScale, count), ..., Rounding::HalfEven). Padding is excluded from
/// the count.
Tensor avgPool2d(const Tensor &input, const Pool2DParams &params,
                 double inputScale, int32_t inputZeroPoint, double outputScale,
                 const OutputParams &out);

/// [N, H, W, C] -> [N, 1, 1, C], average over H * W elements.
Tensor globalAvgPool(const Tensor &input, double inputScale,
                     int32_t inputZeroPoint, double outputScale,
                     const OutputParams &out);

} // namespace qlow::ref

#endif // QLOW_REFERENCE_KERNELS_H
