//===- ResizeOps.cpp - ONNX Resize and Upsample ---------------------------===//
//
// A resize is separable: along each resized axis, result coordinate o reads
// a few input coordinates (taps) with weights that depend only on o. So
// nearest is one qlow.gather per axis (it moves values: a quantized input
// stays quantized), and linear and cubic are gathers of each tap weighted
// and summed in a float island. The taps and weights are computed here, at
// compile time, from ONNX's coordinate transformation and interpolation
// definitions.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qlow;

namespace mlir::qlow::onnx_import {
namespace {

/// Along one axis: for each result coordinate, the input coordinates it
/// reads and their weights.
struct Taps {
  SmallVector<SmallVector<int64_t>> index; // [tap][o]
  SmallVector<SmallVector<double>> weight; // [tap][o]
};

struct Resize : NodeImporter {
  using NodeImporter::NodeImporter;

  void convert() override {
    bool upsample = node->op_type() == "Upsample";
    const std::string &x = in(0), &y = out();
    SmallVector<int64_t> inShape = shapeOf(x, true),
                         outShape = shapeOf(y, true);
    int64_t rank = inShape.size();
    if (int64_t(outShape.size()) != rank)
      nodeError("the result has another rank");
    mode = stringAttr("mode", "nearest");
    if (mode != "nearest" && mode != "linear" && mode != "cubic" &&
        !(upsample && mode == "bilinear"))
      nodeError("unknown mode '" + mode + "'");
    if (mode == "bilinear")
      mode = "linear";
    if (upsample && mode == "cubic")
      nodeError("Upsample has no cubic mode");
    // Before Resize-11 (and in Upsample) coordinates are asymmetric and
    // nearest rounds as ONNX Runtime's opset-10 kernel does (down when
    // upsampling, up when downsampling).
    bool legacy = upsample || version < 11;
    coordinates =
        legacy ? "asymmetric"
               : stringAttr("coordinate_transformation_mode", "half_pixel");
    nearest =
        legacy ? "legacy" : stringAttr("nearest_mode", "round_prefer_floor");
    cubicA = floatAttr("cubic_coeff_a", -0.75f);
    excludeOutside = intAttr("exclude_outside", 0) != 0;
    if (intAttr("antialias", 0) != 0)
      nodeError("antialias = 1 is not supported");
    if (attr("axes"))
      nodeError("the axes attribute is not supported");
    std::string policy = stringAttr("keep_aspect_ratio_policy", "stretch");
    if (policy != "stretch")
      nodeError("keep_aspect_ratio_policy '" + policy + "' is not supported");
    static const char *known[] = {"half_pixel",         "half_pixel_symmetric",
                                  "pytorch_half_pixel", "align_corners",
                                  "asymmetric",         "tf_half_pixel_for_nn"};
    if (!llvm::is_contained(known, coordinates))
      nodeError("coordinate_transformation_mode '" + coordinates +
                "' is not supported");
    if (coordinates == "half_pixel_symmetric" && version < 19)
      nodeError("half_pixel_symmetric exists from Resize-19");
    static const char *nearestModes[] = {
        "round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "legacy"};
    if (!llvm::is_contained(nearestModes, nearest))
      nodeError("unknown nearest_mode '" + nearest + "'");

    // The scales (Upsample-7: attribute; Upsample-9, Resize-10: input 1;
    // Resize-11 on: input 2, or the sizes at input 3).
    SmallVector<double> scales;
    if (upsample && version < 9) {
      if (const onnx::AttributeProto *a = attr("scales"))
        scales.assign(a->floats().begin(), a->floats().end());
    } else {
      int scalesIdx = legacy ? 1 : 2;
      if (has(scalesIdx)) {
        DenseElementsAttr c = requireConstant(scalesIdx, "the scales");
        if (!isa<FloatType>(c.getElementType()))
          nodeError("the scales must be floats");
        for (float f : floatsOf(c))
          scales.push_back(f);
      }
    }
    if (scales.empty()) {
      if (legacy || !has(3))
        nodeError("neither scales nor sizes are given");
      for (int64_t d = 0; d < rank; ++d)
        scales.push_back(double(outShape[d]) / double(inShape[d]));
    }
    if (int64_t(scales.size()) != rank)
      nodeError("expects one scale per dimension, got " +
                llvm::Twine(scales.size()));

    // One set of taps per resized axis.
    SmallVector<std::pair<int64_t, Taps>> axes;
    for (int64_t d = 0; d < rank; ++d) {
      if (!(scales[d] > 0))
        nodeError("scale " + llvm::Twine(std::to_string(scales[d])) +
                  " is not positive");
      if (inShape[d] == outShape[d] && scales[d] == 1.0)
        continue;
      axes.emplace_back(d, taps(inShape[d], outShape[d], scales[d]));
    }

    bool nhwc;
    Value v = anyLayout(x, nhwc);
    auto inType = cast<RankedTensorType>(v.getType());
    bool gathersOnly = llvm::all_of(
        axes, [](const auto &a) { return a.second.index.size() == 1; });
    if (gathersOnly) {
      // Nearest: one selection per axis, outside any island.
      for (auto [k, a] : llvm::enumerate(axes))
        v = selectAlong(v, layoutAxis(a.first, nhwc), a.second.index[0],
                        k + 1 == axes.size()
                            ? y
                            : auxName(y, "axis" + std::to_string(a.first)));
      defineOutput(v, nhwc);
      return;
    }
    if (!isFloatTensor(inType))
      nodeError(mode + " resize of a quantized tensor is not supported");
    SmallVector<int64_t> resultShape = nhwc ? toNHWC(outShape) : outShape;
    defineOutput(island(y, f32(resultShape),
                        [&]() -> Value {
                          for (auto &[d, t] : axes)
                            v = interpolate(v, layoutAxis(d, nhwc), t);
                          return v;
                        }),
                 nhwc);
  }

private:
  /// The input coordinate result coordinate `o` maps to. As in ONNX, the
  /// resized length is `scale * lin`, not rounded (it differs from the
  /// result's size when the scales are given).
  double coordinate(int64_t o, int64_t lin, int64_t lout, double scale) {
    double lengthResized = scale * double(lin);
    if (coordinates == "asymmetric")
      return double(o) / scale;
    if (coordinates == "align_corners")
      return lengthResized == 1.0
                 ? 0.0
                 : double(o) * double(lin - 1) / (lengthResized - 1.0);
    if (coordinates == "tf_half_pixel_for_nn")
      return (double(o) + 0.5) / scale;
    if (coordinates == "pytorch_half_pixel" && lengthResized <= 1.0)
      return 0.0;
    double x = (double(o) + 0.5) / scale - 0.5;
    if (coordinates == "half_pixel_symmetric") {
      // The output's actual size against the resized length.
      double adjustment = double(lout) / lengthResized;
      double center = double(lin) / 2.0;
      x += center * (1.0 - adjustment);
    }
    return x;
  }

  int64_t roundNearest(double x, double scale) {
    double f = std::floor(x);
    if (nearest == "floor")
      return int64_t(f);
    if (nearest == "ceil")
      return int64_t(std::ceil(x));
    if (nearest == "legacy")
      return scale < 1.0 ? int64_t(std::ceil(x)) : int64_t(x);
    if (x - f == 0.5)
      return nearest == "round_prefer_ceil" ? int64_t(f) + 1 : int64_t(f);
    return int64_t(std::round(x));
  }

  /// The cubic convolution weights of the four taps at floor(x) - 1 ...
  /// floor(x) + 2 for the fraction t (Keys, with coefficient A).
  SmallVector<double> cubicWeights(double t) {
    double a = cubicA;
    auto far = [&](double s) {
      return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
    };
    auto near = [&](double s) { return ((a + 2) * s - (a + 3)) * s * s + 1; };
    return {far(t + 1), near(t), near(1 - t), far(2 - t)};
  }

  Taps taps(int64_t lin, int64_t lout, double scale) {
    Taps r;
    int n = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
    r.index.resize(n);
    r.weight.resize(n);
    auto clampIndex = [&](int64_t i) {
      return std::min(std::max<int64_t>(i, 0), lin - 1);
    };
    for (int64_t o = 0; o < lout; ++o) {
      double x = coordinate(o, lin, lout, scale);
      if (n == 1) {
        r.index[0].push_back(clampIndex(roundNearest(x, scale)));
        r.weight[0].push_back(1.0);
        continue;
      }
      double f = std::floor(x), t = x - f;
      int64_t base = int64_t(f) - (n == 4 ? 1 : 0);
      SmallVector<double> w =
          n == 2 ? SmallVector<double>{1.0 - t, t} : cubicWeights(t);
      if (n == 4 && excludeOutside) {
        // Taps outside the input get no weight; the others are rescaled.
        double sum = 0;
        for (int k = 0; k < n; ++k) {
          int64_t i = base + k;
          if (i < 0 || i >= lin)
            w[k] = 0;
          sum += w[k];
        }
        for (double &wk : w)
          wk = sum != 0 ? wk / sum : 0;
      }
      for (int k = 0; k < n; ++k) {
        r.index[k].push_back(clampIndex(base + k));
        r.weight[k].push_back(w[k]);
      }
    }
    return r;
  }

  /// Sum over taps of gather(v, tap) * weight, along `axis` of `v`.
  Value interpolate(Value v, int64_t axis, const Taps &t) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = t.index[0].size();
    auto outType = type.clone(shape);
    SmallVector<int64_t> wShape(type.getRank(), 1);
    wShape[axis] = shape[axis];
    Value sum;
    for (size_t k = 0; k < t.index.size(); ++k) {
      if (llvm::all_of(t.weight[k], [](double w) { return w == 0; }))
        continue;
      Value g =
          GatherOp::create(b, loc, outType, v, axis, t.index[k], StringAttr());
      SmallVector<float> w(t.weight[k].begin(), t.weight[k].end());
      auto wType = f32(wShape);
      Value wc = tosa::ConstOp::create(
          b, loc, wType, DenseElementsAttr::get(wType, llvm::ArrayRef(w)));
      Value term = tosaMul(g, wc, outType);
      sum = sum ? tosa::AddOp::create(b, loc, outType, sum, term).getResult()
                : term;
    }
    return sum;
  }

  std::string mode, coordinates, nearest;
  float cubicA = -0.75f;
  bool excludeOutside = false;
};

/// libonnx 1.12 knows Resize up to version 13: a Resize-18/19 node is shown
/// to it without the attributes it added (the converter checks them).
std::optional<StandIn> resizeStandIn(const onnx::NodeProto &n, int64_t version,
                                     ConstantInts) {
  if (version < 18)
    return std::nullopt;
  onnx::NodeProto r =
      withoutAttributes(n, {"antialias", "keep_aspect_ratio_policy", "axes"});
  for (onnx::AttributeProto &a : *r.mutable_attribute())
    if (a.name() == "coordinate_transformation_mode" &&
        a.s() == "half_pixel_symmetric")
      a.set_s("half_pixel"); // the same output shape
  return StandIn(r);
}

} // namespace

void registerResizeConverters(ConverterRegistry &r) {
  StringRef becomes = "`qlow.gather` per axis (nearest), or gathers and "
                      "weights in an island (linear, cubic)";
  r.add<Resize>("Resize", {10, 11, 13, 18, 19}, becomes,
                "modes nearest (every `nearest_mode`), linear, cubic "
                "(`cubic_coeff_a`, `exclude_outside`); coordinate modes "
                "half_pixel, half_pixel_symmetric, pytorch_half_pixel, "
                "align_corners, asymmetric, tf_half_pixel_for_nn; constant "
                "scales or sizes; no antialias, axes or "
                "keep_aspect_ratio_policy other than stretch")
      .standIn = resizeStandIn;
  r.add<Resize>("Upsample", {7, 9}, becomes,
                "nearest and (bi)linear, asymmetric coordinates; constant "
                "scales");
}

} // namespace mlir::qlow::onnx_import
