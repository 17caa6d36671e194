//===- KernelsTest.cpp - Tests for the reference kernels ------------------===//

#include "qlow/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <random>
#include <vector>

using namespace qlow::ref;

namespace {

const FixedPointMultiplier kOne = *computeMultiplier(1.0);

OutputParams outputI8(int32_t zeroPoint = 0) { return {zeroPoint, -128, 127}; }
OutputParams outputI32() { return {0, INT32_MIN, INT32_MAX}; }

std::vector<int32_t> iota(int64_t n, int32_t start = 1) {
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    v[static_cast<size_t>(i)] = start + static_cast<int32_t>(i);
  return v;
}

std::vector<int32_t> addToAll(std::vector<int32_t> v, int32_t delta) {
  for (int32_t &x : v)
    x += delta;
  return v;
}

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

TEST(Conv2D, OutputShape) {
  Conv2DParams p;
  EXPECT_EQ(conv2dOutputShape({1, 5, 7, 3}, {4, 3, 3, 3}, p),
            Shape({1, 3, 5, 4}));
  p.strides = {2, 3};
  p.padding = {1, 0, 2, 1};
  p.dilations = {2, 1};
  // OH = (5 + 1 + 0 - 2*2 - 1)/2 + 1 = 1, OW = (7 + 3 - 2 - 1)/3 + 1 = 3.
  EXPECT_EQ(conv2dOutputShape({2, 5, 7, 3}, {4, 3, 3, 3}, p),
            Shape({2, 1, 3, 4}));
}

TEST(Conv2D, ByHand) {
  // 3x3 input 1..9, 2x2 filter of ones: sums of 2x2 windows.
  Tensor input({1, 3, 3, 1}, iota(9));
  Tensor filter({1, 2, 2, 1}, {1, 1, 1, 1});
  Conv2DParams p;
  p.multipliers = {kOne};
  p.output = outputI32();
  Tensor out = conv2d(input, filter, p);
  EXPECT_EQ(out.shape, Shape({1, 2, 2, 1}));
  EXPECT_EQ(out.data, std::vector<int32_t>({12, 16, 24, 28}));

  // The same real values with zero points: x + 5, w + 3 and a bias.
  Conv2DParams q = p;
  q.inputZeroPoint = 5;
  q.weightZeroPoints = {3};
  q.biasQ = {-100};
  Tensor shifted = conv2d(Tensor(input.shape, addToAll(input.data, 5)),
                          Tensor(filter.shape, addToAll(filter.data, 3)), q);
  EXPECT_EQ(shifted.data, std::vector<int32_t>({-88, -84, -76, -72}));
}

TEST(Conv2D, PaddingIsRealZero) {
  // With padding 1 the corner window sees only x[0][0]; padded positions
  // contribute x - zx = 0 whatever the zero point.
  Tensor filter({1, 2, 2, 1}, {1, 1, 1, 1});
  Conv2DParams p;
  p.padding = {1, 1, 1, 1};
  p.multipliers = {kOne};
  p.output = outputI32();
  std::vector<int32_t> expected = {1,  3,  5,  3,  5, 12, 16, 9,
                                   11, 24, 28, 15, 7, 15, 17, 9};
  for (int32_t zx : {0, 7, -128, 100}) {
    p.inputZeroPoint = zx;
    Tensor out = conv2d(Tensor({1, 3, 3, 1}, addToAll(iota(9), zx)), filter, p);
    EXPECT_EQ(out.shape, Shape({1, 4, 4, 1}));
    EXPECT_EQ(out.data, expected) << "zx=" << zx;
  }
}

TEST(Conv2D, StrideAndDilation) {
  Tensor input({1, 3, 3, 1}, iota(9));
  Tensor filter({1, 2, 2, 1}, {1, 1, 1, 1});
  Conv2DParams p;
  p.dilations = {2, 2};
  p.multipliers = {kOne};
  p.output = outputI32();
  // Taps at (0,0), (0,2), (2,0), (2,2).
  EXPECT_EQ(conv2d(input, filter, p).data, std::vector<int32_t>({20}));

  Tensor big({1, 4, 4, 1}, iota(16));
  Conv2DParams s;
  s.strides = {2, 2};
  s.multipliers = {kOne};
  s.output = outputI32();
  // Windows at (0,0), (0,2), (2,0), (2,2).
  EXPECT_EQ(conv2d(big, filter, s).data,
            std::vector<int32_t>({14, 22, 46, 54}));
}

TEST(Conv2D, PerChannelRequantize) {
  // Two output channels, weights 1 and -1 with zero points 0 and 10;
  // multipliers 0.5 and 2.
  Tensor input({1, 1, 2, 1}, {3, -5});
  Tensor filter({2, 1, 1, 1}, {1, 9});
  Conv2DParams p;
  p.weightZeroPoints = {0, 10};
  p.biasQ = {0, 1};
  p.multipliers = {*computeMultiplier(0.5), *computeMultiplier(2.0)};
  p.output = outputI8(1);
  Tensor out = conv2d(input, filter, p);
  EXPECT_EQ(out.shape, Shape({1, 1, 2, 2}));
  // x=3: ch0 1.5 -> 2 (+1) = 3; ch1 (-3 + 1) * 2 = -4 (+1) = -3.
  // x=-5: ch0 -2.5 -> -2 (+1) = -1; ch1 (5 + 1) * 2 = 12 (+1) = 13.
  EXPECT_EQ(out.data, std::vector<int32_t>({3, -3, -1, 13}));
  // Saturation through the output clamp.
  p.multipliers = {*computeMultiplier(100.0)};
  EXPECT_EQ(conv2d(input, filter, p).data,
            std::vector<int32_t>({127, -128, -128, 127}));
  p.output.min = 0; // fused ReLU
  EXPECT_EQ(conv2d(input, filter, p).data,
            std::vector<int32_t>({127, 0, 0, 127}));
}

TEST(Conv2D, DepthwiseAndGroups) {
  // Input 1x1x2x2 (two pixels, channels a, b).
  Tensor input({1, 1, 2, 2}, {1, 2, 3, 4});
  Conv2DParams p;
  p.multipliers = {kOne};
  p.output = outputI32();
  // Depthwise, channel multiplier 1: weights 10 (ch 0) and 100 (ch 1).
  p.groups = 2;
  EXPECT_EQ(conv2d(input, Tensor({2, 1, 1, 1}, {10, 100}), p).data,
            std::vector<int32_t>({10, 200, 30, 400}));
  // Channel multiplier 2: outputs 0, 1 read channel 0; outputs 2, 3 channel 1.
  EXPECT_EQ(conv2d(input, Tensor({4, 1, 1, 1}, {1, 2, 3, 4}), p).data,
            std::vector<int32_t>({1, 2, 6, 8, 3, 6, 12, 16}));
  // groups = 1 with the same input mixes channels.
  p.groups = 1;
  EXPECT_EQ(conv2d(input, Tensor({1, 1, 1, 2}, {1, 1}), p).data,
            std::vector<int32_t>({3, 7}));
}

struct ConvCase {
  Shape inputShape;  // N, H, W, C
  Shape filterShape; // O, KH, KW, C / groups
  std::array<int64_t, 2> strides;
  std::array<int64_t, 4> padding;
  std::array<int64_t, 2> dilations;
  int64_t groups;
};

// Folded four-term form, written independently of the library:
//   acc = foldBias(biasQ, sum w, K, zx, zw) + sum x*w - zw * sum x
// with padded positions holding zx.
std::vector<int64_t> foldedByHand(const Tensor &input, const Tensor &filter,
                                  const Conv2DParams &p) {
  int64_t n = input.shape[0], h = input.shape[1], w = input.shape[2],
          c = input.shape[3];
  int64_t o = filter.shape[0], kh = filter.shape[1], kw = filter.shape[2],
          cg = filter.shape[3];
  int64_t k = kh * kw * cg, oPerGroup = o / p.groups;
  Shape outShape = conv2dOutputShape(input.shape, filter.shape, p);
  std::vector<int64_t> result;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < outShape[1]; ++oy)
      for (int64_t ox = 0; ox < outShape[2]; ++ox)
        for (int64_t oc = 0; oc < o; ++oc) {
          int64_t zw = p.weightZeroPoints[static_cast<size_t>(oc)];
          int64_t weightSum = 0;
          for (int64_t i = 0; i < k; ++i)
            weightSum += filter[oc * k + i];
          std::optional<int32_t> folded =
              foldBias(p.biasQ[static_cast<size_t>(oc)], weightSum, k,
                       p.inputZeroPoint, static_cast<int32_t>(zw));
          EXPECT_TRUE(folded);
          int64_t sumXW = 0, sumX = 0, terms = 0;
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              for (int64_t ci = 0; ci < cg; ++ci) {
                int64_t iy =
                    oy * p.strides[0] - p.padding[0] + ky * p.dilations[0];
                int64_t ix =
                    ox * p.strides[1] - p.padding[2] + kx * p.dilations[1];
                int64_t ch = (oc / oPerGroup) * cg + ci;
                int64_t x = (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                ? input[((b * h + iy) * w + ix) * c + ch]
                                : p.inputZeroPoint;
                int64_t wv = filter[((oc * kh + ky) * kw + kx) * cg + ci];
                sumXW += x * wv;
                sumX += x;
                ++terms;
              }
          EXPECT_EQ(terms, k); // every window has exactly K terms
          result.push_back(folded.value_or(0) + sumXW - zw * sumX);
        }
  return result;
}

TEST(Conv2D, FoldedFormEqualsPlainDefinition) {
  const std::vector<ConvCase> cases = {
      // groups = 1
      {{1, 5, 5, 3}, {4, 3, 3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
      {{2, 7, 6, 2}, {3, 3, 2, 2}, {2, 1}, {0, 2, 1, 0}, {1, 2}, 1},
      {{1, 8, 8, 4}, {5, 3, 3, 4}, {2, 2}, {2, 1, 0, 3}, {2, 2}, 1},
      {{1, 4, 4, 1}, {2, 5, 5, 1}, {1, 1}, {2, 2, 2, 2}, {1, 1}, 1},
      // grouped
      {{1, 6, 6, 4}, {6, 3, 3, 2}, {1, 2}, {1, 1, 1, 1}, {1, 1}, 2},
      // depthwise, channel multiplier 1 and 2
      {{1, 6, 5, 3}, {3, 3, 3, 1}, {1, 1}, {1, 1, 1, 1}, {1, 1}, 3},
      {{2, 7, 7, 4}, {8, 3, 3, 1}, {2, 2}, {0, 1, 1, 0}, {1, 1}, 4},
      {{1, 9, 9, 2}, {2, 3, 3, 1}, {1, 1}, {2, 2, 2, 2}, {2, 2}, 2},
  };
  std::mt19937 rng(20240607);
  auto uniform = [&](int32_t lo, int32_t hi) {
    return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
  };
  int caseIndex = 0;
  for (const ConvCase &cc : cases) {
    for (bool unsignedInput : {true, false}) {
      SCOPED_TRACE("case " + std::to_string(caseIndex) +
                   (unsignedInput ? " u8" : " i8"));
      int32_t xMin = unsignedInput ? 0 : -128, xMax = unsignedInput ? 255 : 127;
      Conv2DParams p;
      p.strides = cc.strides;
      p.padding = cc.padding;
      p.dilations = cc.dilations;
      p.groups = cc.groups;
      p.inputZeroPoint = uniform(xMin, xMax);
      int64_t o = cc.filterShape[0];
      p.weightZeroPoints.clear();
      for (int64_t i = 0; i < o; ++i) {
        // Asymmetric per-channel weights, so every term of the expansion
        // is exercised.
        p.weightZeroPoints.push_back(uniform(-128, 127));
        p.biasQ.push_back(uniform(-100000, 100000));
      }
      Tensor input = Tensor::filled(cc.inputShape, 0);
      for (int32_t &x : input.data)
        x = uniform(xMin, xMax);
      Tensor filter = Tensor::filled(cc.filterShape, 0);
      for (int32_t &w : filter.data)
        w = uniform(-128, 127);

      std::vector<int64_t> plain = conv2dAccumulators(input, filter, p);
      ASSERT_EQ(static_cast<int64_t>(plain.size()),
                numElements(conv2dOutputShape(input.shape, filter.shape, p)));
      EXPECT_EQ(foldedByHand(input, filter, p), plain);
      EXPECT_EQ(conv2dFoldedAccumulators(input, filter, p), plain);
      ++caseIndex;
    }
  }
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

TEST(MatMul, ByHand) {
  // A [2,3] = [[1,2,3],[4,5,6]] stored with zx = 1; W [3,2] per-column zw.
  Tensor a({2, 3}, addToAll({1, 2, 3, 4, 5, 6}, 1));
  // Real W = [[1,0],[0,1],[1,1]], zw = {0, -2}.
  Tensor w({3, 2}, {1, -2, 0, -1, 1, -1});
  MatMulParams p;
  p.inputZeroPoint = 1;
  p.weightZeroPoints = {0, -2};
  p.biasQ = {10, -12};
  p.multipliers = {kOne, *computeMultiplier(0.5)};
  p.output = outputI8();
  EXPECT_EQ(matmulAccumulators(a, w, p),
            std::vector<int64_t>({14, -7, 20, -1}));
  Tensor out = matmul(a, w, p);
  EXPECT_EQ(out.shape, Shape({2, 2}));
  // -7 * 0.5 = -3.5 -> -3; -1 * 0.5 = -0.5 -> 0 (ties round up).
  EXPECT_EQ(out.data, std::vector<int32_t>({14, -3, 20, 0}));
}

TEST(MatMul, BatchesShareWeights) {
  Tensor a({2, 1, 2}, {1, 2, 3, 4});
  Tensor w({2, 3}, {1, 0, 1, 0, 1, 1});
  MatMulParams p;
  p.multipliers = {kOne};
  p.output = outputI32();
  Tensor out = matmul(a, w, p);
  EXPECT_EQ(out.shape, Shape({2, 1, 3}));
  EXPECT_EQ(out.data, std::vector<int32_t>({1, 2, 3, 3, 4, 7}));
}

TEST(MatMul, FoldedFormEqualsPlainDefinition) {
  std::mt19937 rng(7);
  auto uniform = [&](int32_t lo, int32_t hi) {
    return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
  };
  const int64_t b = 2, m = 3, k = 17, n = 5;
  Tensor a = Tensor::filled({b, m, k}, 0), w = Tensor::filled({k, n}, 0);
  for (int32_t &x : a.data)
    x = uniform(0, 255);
  for (int32_t &x : w.data)
    x = uniform(-128, 127);
  MatMulParams p;
  p.inputZeroPoint = uniform(0, 255);
  p.weightZeroPoints.clear();
  for (int64_t j = 0; j < n; ++j) {
    p.weightZeroPoints.push_back(uniform(-128, 127));
    p.biasQ.push_back(uniform(-5000, 5000));
  }
  std::vector<int64_t> plain = matmulAccumulators(a, w, p);
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int64_t zw = p.weightZeroPoints[static_cast<size_t>(j)];
        int64_t weightSum = 0, sumXW = 0, sumX = 0;
        for (int64_t kk = 0; kk < k; ++kk) {
          int64_t x = a[(bi * m + i) * k + kk], wv = w[kk * n + j];
          weightSum += wv;
          sumXW += x * wv;
          sumX += x;
        }
        std::optional<int32_t> folded =
            foldBias(p.biasQ[static_cast<size_t>(j)], weightSum, k,
                     p.inputZeroPoint, static_cast<int32_t>(zw));
        ASSERT_TRUE(folded);
        EXPECT_EQ(*folded + sumXW - zw * sumX,
                  plain[static_cast<size_t>((bi * m + i) * n + j)]);
      }
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST(Broadcast, Shapes) {
  EXPECT_EQ(broadcastShapes({2, 3}, {2, 3}), Shape({2, 3}));
  EXPECT_EQ(broadcastShapes({2, 1}, {1, 3}), Shape({2, 3}));
  EXPECT_EQ(broadcastShapes({4, 2, 3}, {3}), Shape({4, 2, 3}));
  EXPECT_EQ(broadcastShapes({1}, {5, 1, 2}), Shape({5, 1, 2}));
  EXPECT_EQ(broadcastShapes({}, {2}), Shape({2}));
}

TEST(Add, ByHandWithBroadcast) {
  // sa = 0.5, sb = 0.25, so = 1 (see QuantizedAdd.ByHand).
  const AddParams p = *computeAddParams(0.5, 0.25, 1.0, 128, 128);
  Tensor a({2, 1}, {3, -3});
  Tensor b({1, 3}, {2, 1, -4});
  Tensor out = add(a, 0, b, 0, p, outputI8());
  EXPECT_EQ(out.shape, Shape({2, 3}));
  // 1.5 + {0.5, 0.25, -1} = {2, 1.75, 0.5}; -1.5 + ... = {-1, -1.25, -2.5}.
  EXPECT_EQ(out.data, std::vector<int32_t>({2, 2, 1, -1, -1, -2}));
  // Same shapes, saturating.
  Tensor c({3}, {127, -128, 0});
  EXPECT_EQ(add(c, 0, c, 0, p, outputI8(100)).data,
            std::vector<int32_t>({127, 4, 100}));
}

TEST(Mul, ByHandWithBroadcast) {
  const FixedPointMultiplier q = *computeMulMultiplier(0.5, 0.5, 1.0); // 0.25
  Tensor a({2, 2}, {3, 5, -5, 7});
  Tensor b({1}, {2});
  Tensor out = mul(a, 0, b, 0, q, outputI8());
  EXPECT_EQ(out.shape, Shape({2, 2}));
  // {1.5, 2.5, -2.5, 3.5} -> {2, 3, -2, 4}.
  EXPECT_EQ(out.data, std::vector<int32_t>({2, 3, -2, 4}));
  // u8 with zero points, broadcast along the leading dimension.
  Tensor ua({2, 2}, {130, 200, 128, 0});
  Tensor ub({1, 2}, {140, 100});
  EXPECT_EQ(mul(ua, 128, ub, 128, q, {128, 0, 255}).data,
            std::vector<int32_t>({134, 0, 128, 255}));
}

TEST(Requantize, Elementwise) {
  Tensor in({4}, {0, 128, 255, 129});
  Tensor out = requantizeTensor(in, 128, *computeMultiplier(0.5), outputI8(3));
  // (q - 128) * 0.5 + 3: -64 + 3, 0 + 3, 63.5 -> 64 + 3, 0.5 -> 1 + 3.
  EXPECT_EQ(out.data, std::vector<int32_t>({-61, 3, 67, 4}));
}

TEST(QuantizeTensor, RoundTrip) {
  Tensor q =
      quantizeTensor({2, 2}, {0.0f, 0.25f, -1.0f, 100.0f}, 0.5f, 10, -128, 127);
  EXPECT_EQ(q.data, std::vector<int32_t>({10, 10, 8, 127}));
  EXPECT_EQ(dequantizeTensor(q, 0.5f, 10),
            std::vector<float>({0.0f, 0.0f, -1.0f, 58.5f}));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

TEST(MaxPool2D, Basic) {
  Tensor input({1, 3, 3, 1}, iota(9));
  Pool2DParams p;
  p.kernel = {2, 2};
  Tensor out = maxPool2d(input, p, outputI8());
  EXPECT_EQ(out.shape, Shape({1, 2, 2, 1}));
  EXPECT_EQ(out.data, std::vector<int32_t>({5, 6, 8, 9}));
}

TEST(MaxPool2D, PaddingNeverWins) {
  // All values negative: padding must not contribute 0 or the zero point.
  Tensor input({1, 2, 2, 2}, {-100, -1, -90, -2, -80, -3, -70, -4});
  Pool2DParams p;
  p.kernel = {3, 3};
  p.padding = {1, 1, 1, 1};
  Tensor out = maxPool2d(input, p, outputI8());
  EXPECT_EQ(out.shape, Shape({1, 2, 2, 2}));
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out[2 * i], -70);
    EXPECT_EQ(out[2 * i + 1], -1);
  }
  // The fused clamp still applies.
  EXPECT_EQ(maxPool2d(input, p, {0, -75, 127}).data[0], -70);
  EXPECT_EQ(maxPool2d(input, p, {0, -60, 127}).data[0], -60);
}

TEST(AvgPool2D, CountExcludesPadding) {
  // All values 10: if padding were counted the corner would average 4*10/9.
  Tensor tens = Tensor::filled({1, 3, 3, 1}, 10);
  Pool2DParams p;
  p.kernel = {3, 3};
  p.padding = {1, 1, 1, 1};
  Tensor out = avgPool2d(tens, p, 1.0, 0, 1.0, outputI8());
  EXPECT_EQ(out.shape, Shape({1, 3, 3, 1}));
  EXPECT_EQ(out.data, std::vector<int32_t>(9, 10));

  // Values 1..9: corners average 4 elements, edges 6, the centre 9:
  // {12/4, 21/6, 16/4, 27/6, 45/9, 33/6, 24/4, 39/6, 28/4}. The x.5 averages
  // over 6 do not round up: 1/6 has no exact fixed-point form and its 31-bit
  // multiplier lies just below it, so 21 * m is 3.4999999996 -> 3.
  const FixedPointMultiplier sixth = *computeAvgPoolMultiplier(1.0, 1.0, 6);
  ASSERT_LT(toDouble(sixth), 1.0 / 6);
  Tensor input({1, 3, 3, 1}, iota(9));
  EXPECT_EQ(avgPool2d(input, p, 1.0, 0, 1.0, outputI8()).data,
            std::vector<int32_t>({3, 3, 4, 4, 5, 5, 6, 6, 7}));

  // Same real values with zero points and a different output scale:
  // input zp 20, output scale 0.5 (doubles the value), output zp -5.
  Tensor shifted({1, 3, 3, 1}, addToAll(iota(9), 20));
  EXPECT_EQ(avgPool2d(shifted, p, 1.0, 20, 0.5, outputI8(-5)).data,
            std::vector<int32_t>({1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(AvgPool2D, StridedTiesToEven) {
  // Averages that are exact ties round to the even integer, on both signs
  // (the float average quantized, as ONNX and PyTorch compute it).
  Tensor input({1, 2, 4, 1}, {0, -1, -1, -2, 1, 2, 2, 3});
  Pool2DParams p;
  p.kernel = {1, 2};
  p.strides = {1, 2};
  Tensor out = avgPool2d(input, p, 1.0, 0, 1.0, outputI8());
  EXPECT_EQ(out.shape, Shape({1, 2, 2, 1}));
  // {0,-1} -> -0.5 -> 0; {-1,-2} -> -1.5 -> -2; {1,2} -> 1.5 -> 2;
  // {2,3} -> 2.5 -> 2.
  EXPECT_EQ(out.data, std::vector<int32_t>({0, -2, 2, 2}));
}

TEST(GlobalAvgPool, Basic) {
  // [1, 2, 2, 2]: channel 0 = {1, 2, 3, 4}, channel 1 = {10, 20, 30, 41}.
  Tensor input({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 41});
  Tensor out = globalAvgPool(input, 1.0, 0, 1.0, outputI8());
  EXPECT_EQ(out.shape, Shape({1, 1, 1, 2}));
  // 10/4 = 2.5 -> 2 (ties to even); 101/4 = 25.25 -> 25.
  EXPECT_EQ(out.data, std::vector<int32_t>({2, 25}));
  // u8 with zero point 128 and output scale 2 (halves the value).
  Tensor u({2, 1, 2, 1}, {128, 131, 120, 100});
  EXPECT_EQ(globalAvgPool(u, 1.0, 128, 2.0, {128, 0, 255}).data,
            std::vector<int32_t>({129, 119}));
}

} // namespace
