// RUN: qlow-opt %s --qlow-legalize-precision="target=aarch64 overrides=conv=f16" -verify-diagnostics | FileCheck %s

// Armv8.0 has no f16 arithmetic: the f16 override runs in f32, with a remark.
// CHECK-LABEL: func @model
// CHECK: qlow.float_island "precision override: f32" attributes {name = "conv"}
// CHECK-NOT: f16
func.func @model(%x: tensor<1x4x4x2xf32> {qlow.name = "input"}) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3x3x2xf32>
  // expected-remark @+1 {{target aarch64 has no f16 arithmetic; 'conv' runs in f32}}
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x4x4x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}
