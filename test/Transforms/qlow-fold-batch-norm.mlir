// RUN: qlow-opt %s -split-input-file --qlow-fold-batch-norm --canonicalize | FileCheck %s

// batch_norm: a = scale / sqrt(var + eps), c = offset - mean * a:
//   channel 0: a = 2 / sqrt(3 + 1) = 1, c = 1 - 0.5 = 0.5
//   channel 1: a = 0.5 / sqrt(0 + 1) = 0.5, c = -1
// then the per-channel mul by [10, 100] and add of [10, 100] with a ReLU:
//   w' = [[10, 20], [150, 200]], b' = [0.5 * 10 + 10, -1 * 100 + 100] = [15, 0]
// CHECK-LABEL: func @conv_bn_mul_add
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+01, 2.000000e+01]]], {{\[\[\[}}1.500000e+02, 2.000000e+02]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.500000e+01, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = qlow.conv2d %arg0, %[[W]], %[[B]] {clamp_min = 0.000000e+00 : f32, {{.*}}name = "conv"
// CHECK-NOT: qlow.batch_norm
// CHECK-NOT: qlow.mul
// CHECK-NOT: qlow.add
// CHECK: return %[[C]]
func.func @conv_bn_mul_add(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %s = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %o = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %v = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %y = qlow.batch_norm %c, %s, %o, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %k = arith.constant dense<[[[[10.0, 100.0]]]]> : tensor<1x1x1x2xf32>
  %z = qlow.mul %y, %k : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %z2 = qlow.add %k, %z {clamp_min = 0.0 : f32} : (tensor<1x1x1x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %z2 : tensor<1x2x2x2xf32>
}

// -----

// Matmul weights [K, N] scale along N.
// CHECK-LABEL: func @matmul_bn
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 3.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[B:.*]] = arith.constant dense<[2.000000e+00, 4.500000e+00]> : tensor<2xf32>
// CHECK: qlow.matmul %arg0, %[[W]], %[[B]]
func.func @matmul_bn(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %y = qlow.matmul %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %o = arith.constant dense<[0.0, 1.5]> : tensor<2xf32>
  %m = arith.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %v = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %z = qlow.batch_norm %y, %s, %o, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// Not folded: the conv has a fused ReLU (scaling does not commute with it),
// or a second user.
// CHECK-LABEL: func @not_foldable
// CHECK: qlow.batch_norm
// CHECK: qlow.mul
func.func @not_foldable(%x: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %y = qlow.batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %c2 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %k = arith.constant dense<2.0> : tensor<1x1x1x2xf32>
  %z = qlow.mul %c2, %k : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %z, %c2 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
