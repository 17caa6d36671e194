// RUN: qlow-opt %s -split-input-file --qlow-quantize-to-integer="stats=%S/Inputs/small-stats.json" -verify-diagnostics | FileCheck %s

// An op qlow does not quantize (tanh) stays in float: a float island that is
// reported with a remark and lowered with upstream's TOSA conversions; its
// quantized neighbours dequantize into it and quantize out of it.
// CHECK-LABEL: func.func @tanh
// CHECK: qlow.float_island "unsupported op 'tosa.tanh'" attributes {name = "float_island_0"}
// CHECK: math.tanh
// CHECK: qlow.yield
func.func @tanh(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("relu")
  // expected-remark @+1 {{kept in float: unsupported op 'tosa.tanh'}}
  %t = tosa.tanh %c : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %t : tensor<1x2x2x2xf32>
}
