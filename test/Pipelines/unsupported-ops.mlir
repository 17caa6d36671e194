// RUN: qlow-opt %s -split-input-file --qlow-quantize-to-integer="stats=%S/Inputs/small-stats.json" -verify-diagnostics | FileCheck %s

// An op qlow does not quantize (a product reduction) stays in float: a float
// island that is reported with a remark and lowered with upstream's TOSA
// conversions; its quantized neighbours dequantize into it.
// CHECK-LABEL: func.func @reduce_product
// CHECK: qlow.float_island "unsupported op 'tosa.reduce_product'" attributes {name = "float_island_0"}
// CHECK: linalg.reduce
// CHECK: arith.mulf
// CHECK: qlow.yield
func.func @reduce_product(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x1xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("relu")
  // expected-remark @+1 {{kept in float: unsupported op 'tosa.reduce_product'}}
  %t = tosa.reduce_product %c {axis = 3 : i32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x1xf32>
  return %t : tensor<1x2x2x1xf32>
}

// -----

// An element-wise function of one 8-bit tensor (tanh) is no float island:
// it becomes a 256-entry table (qlow.lut) computed at compile time, lowered
// to a tensor.extract from a constant. No remark: nothing stays in float.
// relu's range [0, 2] gives q = -128 for 0, where tanh(0) = 0 is q = -1 in
// the island's [-1, 1] range; q = 127 (x = 2) gives tanh(2) = 0.964, q = 122.
// CHECK-LABEL: func.func @tanh
// CHECK: %[[TABLE:.*]] = arith.constant dense<"0xFF000102{{[0-9A-F]*}}7A7A7A7A7A7A"> : tensor<256xi8>
// CHECK-NOT: math.tanh
// CHECK: linalg.generic
// CHECK: tensor.extract %[[TABLE]]
// CHECK-NOT: math.tanh
func.func @tanh(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("relu")
  %t = tosa.tanh %c : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %t : tensor<1x2x2x2xf32>
}
