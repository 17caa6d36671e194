// RUN: qlow-opt %s --qlow-import-qdq --split-input-file | FileCheck %s

// DQ -> conv -> Q with dequantized int8 weights and an int32 bias at scale
// sx * sw: one quantized conv, weights as qlow.const, the bias as the float
// value that qlow-fold turns back into the same int32.
!qx = !quant.uniform<u8:f32, 0.02:128>
!qw = !quant.uniform<i8:f32:0, {0.004, 0.002}>
!qb = !quant.uniform<i32:f32:0, {8.0E-5, 4.0E-5}>
!qy = !quant.uniform<u8:f32, 0.05>
// CHECK-LABEL: func.func @conv
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e-01, -2.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[W:.*]] = qlow.const dense<{{.*}}> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {4.000000e-03,2.000000e-03}>>
// CHECK: %[[C:.*]] = qlow.conv2d %[[Q]], %[[W]], %[[B]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK: %[[D:.*]] = qlow.dequantize %[[C]]
// CHECK: return %[[D]]
func.func @conv(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %q = qlow.quantize %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qx>
  %dq = qlow.dequantize %q : tensor<1x2x2x2x!qx> -> tensor<1x2x2x2xf32>
  %wi = arith.constant dense<[[[[1, -2]]], [[[3, 4]]]]> : tensor<2x1x1x2xi8>
  %wq = quant.scast %wi : tensor<2x1x1x2xi8> to tensor<2x1x1x2x!qw>
  %w = qlow.dequantize %wq : tensor<2x1x1x2x!qw> -> tensor<2x1x1x2xf32>
  %bi = arith.constant dense<[1250, -5000]> : tensor<2xi32>
  %bq = quant.scast %bi : tensor<2xi32> to tensor<2x!qb>
  %b = qlow.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %c = qlow.conv2d %dq, %w, %b {dilation = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %cq = qlow.quantize %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qy>
  %r = qlow.dequantize %cq : tensor<1x2x2x2x!qy> -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// A transpose of a dequantized tensor moves before the dequantize; an add
// whose inputs are dequantized and whose result is quantized becomes a
// quantized add.
!q = !quant.uniform<i8:f32, 0.1:-3>
!q2 = !quant.uniform<i8:f32, 0.2:1>
// CHECK-LABEL: func.func @layout_and_add
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK: %[[T:.*]] = qlow.transpose %[[Q]] {{.*}} -> tensor<3x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[A:.*]] = qlow.add %[[T]], %[[T]] {{.*}} -> tensor<3x2x!quant.uniform<i8:f32, 2.000000e-01:1>>
// CHECK: qlow.dequantize %[[A]]
func.func @layout_and_add(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %q = qlow.quantize %x : tensor<2x3xf32> -> tensor<2x3x!q>
  %dq = qlow.dequantize %q : tensor<2x3x!q> -> tensor<2x3xf32>
  %t = qlow.transpose %dq {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %a = qlow.add %t, %t : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %aq = qlow.quantize %a : tensor<3x2xf32> -> tensor<3x2x!q2>
  %r = qlow.dequantize %aq : tensor<3x2x!q2> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// A module without quantized types is not touched.
// CHECK-LABEL: func.func @float_model
// CHECK-NEXT: qlow.add
// CHECK-NOT: float_island
func.func @float_model(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qlow.add %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}
