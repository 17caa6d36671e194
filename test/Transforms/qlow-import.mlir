// RUN: qlow-opt %s --qlow-import -split-input-file | FileCheck %s
// Idempotence: a second run changes nothing.
// RUN: qlow-opt %s --qlow-import -split-input-file | qlow-opt --qlow-import -split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// TOSA
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @tosa_conv2d(
// CHECK-SAME: %[[X:.*]]: tensor<1x8x8x3xf32> {qlow.name = "input_0"}, %[[W:.*]]: tensor<4x3x3x3xf32> {qlow.name = "input_1"}, %[[B:.*]]: tensor<4xf32> {qlow.name = "input_2"})
// CHECK-NOT: tosa.
// CHECK: %[[C:.*]] = qlow.conv2d %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1, 1>, name = "conv2d_0", padding = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: return %[[C]]
func.func @tosa_conv2d(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 0, 0, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// A zero bias is no bias; dilation is kept.
// CHECK-LABEL: func.func @tosa_conv2d_zero_bias(
// CHECK-NEXT: qlow.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 2, 2>, name = "conv2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
func.func @tosa_conv2d_zero_bias(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Constant depthwise weights [KH=1,KW=2,C=2,M=2] holding kw*4 + c*2 + m are
// rearranged at compile time into [C*M,KH,KW,1], output channel o = c*M + m.
// CHECK-LABEL: func.func @tosa_depthwise_const(
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[0.000000e+00], [4.000000e+00]]], [{{\[}}[1.000000e+00], [5.000000e+00]]], [{{\[}}[2.000000e+00], [6.000000e+00]]], [{{\[}}[3.000000e+00], [7.000000e+00]]]]> : tensor<4x1x2x1xf32>
// CHECK: qlow.conv2d %{{.*}}, %[[W]], %[[B]] {dilation = array<i64: 1, 1>, groups = 2 : i64, name = "conv2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x1x2x1xf32>, tensor<4xf32>) -> tensor<1x4x3x4xf32>
// CHECK-NOT: tosa.
func.func @tosa_depthwise_const(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x3x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]]> : tensor<1x2x2x2xf32>} : () -> tensor<1x2x2x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x2x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x3x4xf32>
  return %0 : tensor<1x4x3x4xf32>
}

// -----

// Run-time depthwise weights: transpose [KH,KW,C,M] -> [C,M,KH,KW], reshape.
// CHECK-LABEL: func.func @tosa_depthwise_dynamic(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x6x6x2xf32> {{.*}}, %[[W:[^:]*]]: tensor<3x3x2x1xf32> {{.*}}, %[[B:[^:]*]]: tensor<2xf32>
// CHECK: %[[T:.*]] = qlow.transpose %[[W]] {name = "transpose_0", permutation = array<i64: 2, 3, 0, 1>} : tensor<3x3x2x1xf32> -> tensor<2x1x3x3xf32>
// CHECK: %[[R:.*]] = qlow.reshape %[[T]] {name = "reshape_0"} : tensor<2x1x3x3xf32> -> tensor<2x3x3x1xf32>
// CHECK: qlow.conv2d %[[X]], %[[R]], %[[B]] {dilation = array<i64: 1, 1>, groups = 2 : i64, name = "conv2d_0", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
func.func @tosa_depthwise_dynamic(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x1xf32>, %b: tensor<2xf32>) -> tensor<1x6x6x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x6x6x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x2xf32>
  return %0 : tensor<1x6x6x2xf32>
}

// -----

// Constant weights with N == 1 become shared rank-2 weights.
// CHECK-LABEL: func.func @tosa_matmul_const(
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00, 9.000000e+00], [1.000000e+01, 1.100000e+01, 1.200000e+01]]> : tensor<4x3xf32>
// CHECK: qlow.matmul %{{.*}}, %[[W]] {name = "matmul_0"} : (tensor<1x5x4xf32>, tensor<4x3xf32>) -> tensor<1x5x3xf32>
func.func @tosa_matmul_const(%a: tensor<1x5x4xf32>) -> tensor<1x5x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]> : tensor<1x4x3xf32>} : () -> tensor<1x4x3xf32>
  %0 = tosa.matmul %a, %w, %zp, %zp : (tensor<1x5x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x3xf32>
  return %0 : tensor<1x5x3xf32>
}

// -----

// CHECK-LABEL: func.func @tosa_matmul_batched(
// CHECK-NEXT: qlow.matmul %{{.*}}, %{{.*}} {name = "matmul_0"} : (tensor<2x5x4xf32>, tensor<2x4x3xf32>) -> tensor<2x5x3xf32>
func.func @tosa_matmul_batched(%a: tensor<2x5x4xf32>, %b: tensor<2x4x3xf32>) -> tensor<2x5x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.matmul %a, %b, %zp, %zp : (tensor<2x5x4xf32>, tensor<2x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// CHECK-LABEL: func.func @tosa_add_mul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<1x4x8xf32> {{.*}}, %[[B:[^:]*]]: tensor<1x1x8xf32>
// CHECK-NEXT: %[[S:.*]] = qlow.add %[[A]], %[[B]] {name = "add_0"} : (tensor<1x4x8xf32>, tensor<1x1x8xf32>) -> tensor<1x4x8xf32>
// CHECK-NEXT: qlow.mul %[[S]], %[[A]] {name = "mul_0"} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
func.func @tosa_add_mul(%a: tensor<1x4x8xf32>, %b: tensor<1x1x8xf32>) -> tensor<1x4x8xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.add %a, %b : (tensor<1x4x8xf32>, tensor<1x1x8xf32>) -> tensor<1x4x8xf32>
  %1 = tosa.mul %0, %a, %shift : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
  return %1 : tensor<1x4x8xf32>
}

// -----

// tosa.const becomes arith.constant.
// CHECK-LABEL: func.func @tosa_const(
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: qlow.add %{{.*}}, %[[C]] {name = "add_0"}
func.func @tosa_const(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = "tosa.const"() {values = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %0 = tosa.add %a, %c : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// +-inf and +-FLT_MAX bounds are absent.
// CHECK-LABEL: func.func @tosa_clamp(
// CHECK-NEXT: qlow.clamp %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32, name = "clamp_0"} : tensor<1x8xf32> -> tensor<1x8xf32>
// CHECK-NEXT: qlow.clamp %{{.*}} {min = 0.000000e+00 : f32, name = "clamp_1"}
// CHECK-NEXT: qlow.clamp %{{.*}} {max = 2.500000e+00 : f32, name = "clamp_2"}
// CHECK-NEXT: qlow.clamp %{{.*}} {name = "clamp_3"}
func.func @tosa_clamp(%a: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 0x7F800000 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %2 = tosa.clamp %1 {min_val = -3.40282347E+38 : f32, max_val = 2.5 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %3 = tosa.clamp %2 {min_val = 0xFF800000 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  return %3 : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @tosa_pools(
// CHECK-NEXT: %[[M:.*]] = qlow.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, name = "max_pool2d_0", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
// CHECK-NEXT: qlow.avg_pool2d %[[M]] {kernel = array<i64: 2, 2>, name = "avg_pool2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
func.func @tosa_pools(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %1 = tosa.avg_pool2d %0, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x8x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %1 : tensor<1x4x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @tosa_layout(
// CHECK-NEXT: %[[R:.*]] = qlow.reshape %{{.*}} {name = "reshape_0"} : tensor<1x2x3x4xf32> -> tensor<1x6x4xf32>
// CHECK-NEXT: %[[T:.*]] = qlow.transpose %[[R]] {name = "transpose_0", permutation = array<i64: 0, 2, 1>} : tensor<1x6x4xf32> -> tensor<1x4x6xf32>
// CHECK-NEXT: %[[T2:.*]] = qlow.transpose %[[T]] {name = "transpose_1", permutation = array<i64: 0, 2, 1>}
// CHECK-NEXT: qlow.concat %[[R]], %[[T2]] {axis = 2 : i64, name = "concat_0"} : (tensor<1x6x4xf32>, tensor<1x6x4xf32>) -> tensor<1x6x8xf32>
func.func @tosa_layout(%x: tensor<1x2x3x4xf32>) -> tensor<1x6x8xf32> {
  %s = tosa.const_shape {values = dense<[1, 6, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %0 = tosa.reshape %x, %s : (tensor<1x2x3x4xf32>, !tosa.shape<3>) -> tensor<1x6x4xf32>
  %1 = tosa.transpose %0 {perms = array<i32: 0, 2, 1>} : (tensor<1x6x4xf32>) -> tensor<1x4x6xf32>
  %2 = tosa.transpose %1 {perms = array<i32: 0, 2, 1>} : (tensor<1x4x6xf32>) -> tensor<1x6x4xf32>
  %3 = tosa.concat %0, %2 {axis = 2 : i32} : (tensor<1x6x4xf32>, tensor<1x6x4xf32>) -> tensor<1x6x8xf32>
  return %3 : tensor<1x6x8xf32>
}

//===----------------------------------------------------------------------===//
// linalg
//===----------------------------------------------------------------------===//

// -----

// HWCF constant weights [KH=1,KW=1,C=2,F=3] are rearranged to OHWI [3,1,1,2];
// the zero tensor.pad becomes the conv's padding, the zero fill disappears.
// CHECK-LABEL: func.func @linalg_conv_hwcf(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 4.000000e+00]]], [{{\[}}[2.000000e+00, 5.000000e+00]]], [{{\[}}[3.000000e+00, 6.000000e+00]]]]> : tensor<3x1x1x2xf32>
// CHECK-NEXT: %[[C:.*]] = qlow.conv2d %[[X]], %[[W]] {dilation = array<i64: 1, 1>, name = "conv2d_0", padding = array<i64: 1, 0, 2, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>) -> tensor<1x5x7x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @linalg_conv_hwcf(%x: tensor<1x4x4x2xf32>) -> tensor<1x5x7x3xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]]> : tensor<1x1x2x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 2, 0] high[0, 0, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x5x7x2xf32>
  %e = tensor.empty() : tensor<1x5x7x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x5x7x3xf32>) -> tensor<1x5x7x3xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x5x7x2xf32>, tensor<1x1x2x3xf32>) outs(%f : tensor<1x5x7x3xf32>) -> tensor<1x5x7x3xf32>
  return %0 : tensor<1x5x7x3xf32>
}

// -----

// Run-time HWCF weights are transposed; a non-zero init is added afterwards.
// CHECK-LABEL: func.func @linalg_conv_hwcf_dynamic(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x9x9x2xf32> {{.*}}, %[[W:[^:]*]]: tensor<3x3x2x4xf32> {{.*}}, %[[I:[^:]*]]: tensor<1x3x3x4xf32>
// CHECK-NEXT: %[[T:.*]] = qlow.transpose %[[W]] {name = "transpose_0", permutation = array<i64: 3, 0, 1, 2>} : tensor<3x3x2x4xf32> -> tensor<4x3x3x2xf32>
// CHECK-NEXT: %[[C:.*]] = qlow.conv2d %[[X]], %[[T]] {dilation = array<i64: 2, 2>, name = "conv2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK-NEXT: %[[S:.*]] = qlow.add %[[C]], %[[I]] {name = "add_0"}
// CHECK-NEXT: return %[[S]]
func.func @linalg_conv_hwcf_dynamic(%x: tensor<1x9x9x2xf32>, %w: tensor<3x3x2x4xf32>, %init: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_conv_fhwc(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x8x8x3xf32> {{.*}}, %[[W:[^:]*]]: tensor<4x3x3x3xf32>
// CHECK-NEXT: qlow.conv2d %[[X]], %[[W]] {dilation = array<i64: 1, 1>, name = "conv2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x3x4xf32>
// CHECK-NEXT: return
func.func @linalg_conv_fhwc(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x3x4xf32> {
  %zero = arith.constant dense<0.0> : tensor<1x3x3x4xf32>
  %0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) outs(%zero : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// Depthwise [KH,KW,C] -> [C,KH,KW,1], groups = C: constant [1,2,2] weights
// holding kw*2 + c become [[0,2],[1,3]].
// CHECK-LABEL: func.func @linalg_depthwise(
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[0.000000e+00], [2.000000e+00]]], [{{\[}}[1.000000e+00], [3.000000e+00]]]]> : tensor<2x1x2x1xf32>
// CHECK-NEXT: qlow.conv2d %{{.*}}, %[[W]] {dilation = array<i64: 1, 1>, groups = 2 : i64, name = "conv2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x2x1xf32>) -> tensor<1x4x3x2xf32>
// CHECK-NEXT: return
func.func @linalg_depthwise(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x3x2xf32> {
  %w = arith.constant dense<[[[0.0, 1.0], [2.0, 3.0]]]> : tensor<1x2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x2xf32>) -> tensor<1x4x3x2xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x2x2xf32>) outs(%f : tensor<1x4x3x2xf32>) -> tensor<1x4x3x2xf32>
  return %0 : tensor<1x4x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_depthwise_dynamic(
// CHECK-NEXT: %[[T:.*]] = qlow.transpose %{{.*}} {name = "transpose_0", permutation = array<i64: 2, 0, 1>} : tensor<3x3x2xf32> -> tensor<2x3x3xf32>
// CHECK-NEXT: %[[R:.*]] = qlow.reshape %[[T]] {name = "reshape_0"} : tensor<2x3x3xf32> -> tensor<2x3x3x1xf32>
// CHECK-NEXT: qlow.conv2d %{{.*}}, %[[R]] {{{.*}}groups = 2 : i64{{.*}}} : (tensor<1x4x4x2xf32>, tensor<2x3x3x1xf32>) -> tensor<1x2x2x2xf32>
func.func @linalg_depthwise_dynamic(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x2xf32>, tensor<3x3x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_matmul(
// CHECK-NEXT: qlow.matmul %{{.*}}, %{{.*}} {name = "matmul_0"} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return
func.func @linalg_matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A uniform non-zero init is a bias.
// CHECK-LABEL: func.func @linalg_matmul_init(
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<1.500000e+00> : tensor<16xf32>
// CHECK-NEXT: qlow.matmul %{{.*}}, %{{.*}}, %[[B]] {name = "matmul_0"} : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return
func.func @linalg_matmul_init(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %one = arith.constant 1.5 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_batch_matmul(
// CHECK-NEXT: qlow.matmul %{{.*}}, %{{.*}} {name = "matmul_0"} : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
// CHECK-NEXT: return
func.func @linalg_batch_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>) -> tensor<2x4x16xf32> {
  %zero = arith.constant dense<0.0> : tensor<2x4x16xf32>
  %0 = linalg.batch_matmul ins(%a, %b : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%zero : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @linalg_add_mul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x8xf32> {{.*}}, %[[B:[^:]*]]: tensor<4x8xf32>
// CHECK-NEXT: %[[S:.*]] = qlow.add %[[A]], %[[B]] {name = "add_0"} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: qlow.mul %[[S]], %[[B]] {name = "mul_0"}
// CHECK-NEXT: return
func.func @linalg_add_mul(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.add ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.mul ins(%0, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// An -inf pad becomes the pool's padding; an -inf fill is no init.
// CHECK-LABEL: func.func @linalg_max_pool(
// CHECK-NEXT: qlow.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, name = "max_pool2d_0", padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
// CHECK-NEXT: return
func.func @linalg_max_pool(%x: tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x8x8x3xf32> to tensor<1x9x9x3xf32>
  %e = tensor.empty() : tensor<1x4x4x3xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %k : tensor<1x9x9x3xf32>, tensor<3x3xf32>) outs(%f : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %0 : tensor<1x4x4x3xf32>
}

// -----

// A max pool that starts from 0 is a pool and a ReLU.
// CHECK-LABEL: func.func @linalg_max_pool_zero_init(
// CHECK-NEXT: %[[P:.*]] = qlow.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, name = "max_pool2d_0", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK-NEXT: qlow.clamp %[[P]] {min = 0.000000e+00 : f32, name = "clamp_0"}
func.func @linalg_max_pool_zero_init(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %k : tensor<1x4x4x3xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

//===----------------------------------------------------------------------===//
// Bias fusion
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @fuse_conv_bias(
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: %[[C:.*]] = qlow.conv2d %{{.*}}, %{{.*}}, %[[B]] {{{.*}}name = "conv2d_0"{{.*}}} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @fuse_conv_bias(%x: tensor<1x4x4x2xf32>, %w: tensor<3x1x1x2xf32>) -> tensor<1x4x4x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b0 = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %b = "tosa.const"() {values = dense<[[[[1.0, 2.0, 3.0]]]]> : tensor<1x1x1x3xf32>} : () -> tensor<1x1x1x3xf32>
  %0 = tosa.conv2d %x, %w, %b0, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %1 = tosa.add %b, %0 : (tensor<1x1x1x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %1 : tensor<1x4x4x3xf32>
}

// -----

// The TOSA fully connected idiom: reshape -> matmul -> reshape -> add(bias).
// CHECK-LABEL: func.func @fuse_fc_bias(
// CHECK: %[[R:.*]] = qlow.reshape %{{.*}} {name = "reshape_0"} : tensor<1x8xf32> -> tensor<1x1x8xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<2.500000e-01> : tensor<8x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-1.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[M:.*]] = qlow.matmul %[[R]], %[[W]], %[[B]] {name = "matmul_0"} : (tensor<1x1x8xf32>, tensor<8x2xf32>, tensor<2xf32>) -> tensor<1x1x2xf32>
// CHECK-NEXT: %[[O:.*]] = qlow.reshape %[[M]] {name = "reshape_1"} : tensor<1x1x2xf32> -> tensor<1x2xf32>
// CHECK-NEXT: return %[[O]]
func.func @fuse_fc_bias(%x: tensor<1x8xf32>) -> tensor<1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s3 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s2 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %w = "tosa.const"() {values = dense<0.25> : tensor<1x8x2xf32>} : () -> tensor<1x8x2xf32>
  %b = "tosa.const"() {values = dense<[[-1.0, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %0 = tosa.reshape %x, %s3 : (tensor<1x8xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
  %1 = tosa.matmul %0, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %2 = tosa.reshape %1, %s2 : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  %3 = tosa.add %2, %b : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %3 : tensor<1x2xf32>
}

// -----

// Not fused: the constant varies along a non-channel dimension, and a conv
// whose result has two users.
// CHECK-LABEL: func.func @no_fuse(
// CHECK: %[[C0:.*]] = qlow.conv2d %{{.*}}, %{{.*}} {{{.*}}name = "conv2d_0"{{.*}}} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: qlow.add %[[C0]], %{{.*}} {name = "add_0"} : (tensor<1x2x2x2xf32>, tensor<1x2x1x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[C1:.*]] = qlow.conv2d %{{.*}}, %{{.*}} {{{.*}}name = "conv2d_1"{{.*}}} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[A1:.*]] = qlow.add %[[C1]], %{{.*}} {name = "add_1"}
// CHECK-NEXT: qlow.add %[[A1]], %[[C1]] {name = "add_2"}
func.func @no_fuse(%x: tensor<1x2x2x2xf32>, %w: tensor<2x1x1x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b0 = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "tosa.const"() {values = dense<[[[[1.0, 2.0]], [[3.0, 4.0]]]]> : tensor<1x2x1x2xf32>} : () -> tensor<1x2x1x2xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %0 = tosa.conv2d %x, %w, %b0, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %1 = tosa.add %0, %c : (tensor<1x2x2x2xf32>, tensor<1x2x1x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = tosa.conv2d %x, %w, %b0, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %3 = tosa.add %2, %b : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %4 = tosa.add %3, %2 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %1, %4 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

//===----------------------------------------------------------------------===//
// Names, islands, idempotence
//===----------------------------------------------------------------------===//

// -----

// Names from NameLoc (also inside a FusedLoc), generated names per mnemonic,
// collisions suffixed, existing argument names kept.
// CHECK-LABEL: func.func @names(
// CHECK-SAME: {qlow.name = "image"}
// CHECK-SAME: {qlow.name = "input_1"}
// CHECK-NEXT: qlow.add {{.*}}name = "first"
// CHECK-NEXT: qlow.add {{.*}}name = "add_0"
// CHECK-NEXT: qlow.clamp {{.*}}name = "relu"
// CHECK-NEXT: qlow.add {{.*}}name = "first_1"
// CHECK-NEXT: qlow.add {{.*}}name = "add_1"
func.func @names(%x: tensor<1x8xf32> {qlow.name = "image"}, %y: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = tosa.add %x, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32> loc("first")
  %1 = tosa.add %0, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %2 = tosa.clamp %1 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32> loc(fused["model.py":3:1, "relu"])
  %3 = tosa.add %2, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32> loc("first")
  %4 = tosa.add %3, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  return %4 : tensor<1x8xf32>
}

// -----

// A conv named by its location keeps the name through bias fusion; the
// helper ops that rearrange its run-time weights get generated names.
// CHECK-LABEL: func.func @names_conv(
// CHECK: qlow.transpose {{.*}}name = "transpose_0"
// CHECK: %[[C:.*]] = qlow.conv2d {{.*}}name = "conv1"
// CHECK-NOT: qlow.add
// CHECK: return %[[C]]
func.func @names_conv(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b0 = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "tosa.const"() {values = dense<[[[[1.0, 2.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b0, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("conv1")
  %1 = tosa.add %0, %b : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32> loc("conv1_bias")
  return %1 : tensor<1x4x4x2xf32>
}

// -----

// Unsupported ops are wrapped in islands (with a remark, see
// qlow-import-invalid.mlir); glue stays outside. An element-wise function
// of one tensor is an island too, for qlow-quantize to make a table of.
// CHECK-LABEL: func.func @islands(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x8xf32> {qlow.name = "input"}
// CHECK-NEXT: %[[I0:.*]] = qlow.float_island "element-wise op 'tosa.tanh'" attributes {name = "float_island_0"} : tensor<2x8xf32> {
// CHECK-NEXT:   %[[T:.*]] = tosa.tanh %[[X]]
// CHECK-NEXT:   qlow.yield %[[T]] : tensor<2x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %[[I1:.*]] = qlow.float_island "element-wise op 'tosa.sigmoid'" attributes {name = "gate"} : tensor<2x8xf32> {
// CHECK-NEXT:   tosa.sigmoid %[[I0]]
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK-NEXT: %[[I2:.*]] = qlow.float_island "unsupported op 'linalg.softmax'" attributes {name = "float_island_1"} : tensor<2x8xf32> {
// CHECK-NEXT:   linalg.softmax dimension(1) ins(%[[I1]] : tensor<2x8xf32>) outs(%[[E]] : tensor<2x8xf32>)
// CHECK:      return %[[I2]]
func.func @islands(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = tosa.tanh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = tosa.sigmoid %0 : (tensor<2x8xf32>) -> tensor<2x8xf32> loc("gate")
  %e = tensor.empty() : tensor<2x8xf32>
  %2 = linalg.softmax dimension(1) ins(%1 : tensor<2x8xf32>) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// Existing qlow ops and islands are left alone.
// CHECK-LABEL: func.func @already_imported(
// CHECK-SAME: {qlow.name = "x"}
// CHECK-NEXT: qlow.clamp %{{.*}} {min = 0.000000e+00 : f32, name = "relu"}
// CHECK-NEXT: qlow.float_island "unsupported op 'tosa.exp'" attributes {name = "exp"}
// CHECK-NEXT:   tosa.exp
// CHECK-NEXT:   qlow.yield
// CHECK-NEXT: }
// CHECK-NEXT: qlow.clamp %{{.*}} {max = 6.000000e+00 : f32, name = "clamp_0"}
func.func @already_imported(%x: tensor<2x8xf32> {qlow.name = "x"}) -> tensor<2x8xf32> {
  %0 = qlow.clamp %x {min = 0.0 : f32, name = "relu"} : tensor<2x8xf32> -> tensor<2x8xf32>
  %1 = qlow.float_island "unsupported op 'tosa.exp'" attributes {name = "exp"} : tensor<2x8xf32> {
    %e = tosa.exp %0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
    qlow.yield %e : tensor<2x8xf32>
  }
  %2 = qlow.clamp %1 {max = 6.0 : f32} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// Only what this run created is fused: an existing matmul + add pair stays
// (and is named).
// CHECK-LABEL: func.func @existing_not_fused(
// CHECK: %[[M:.*]] = qlow.matmul %{{.*}}, %{{.*}} {name = "matmul_0"} : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: qlow.add %[[M]], %{{.*}} {name = "add_0"}
func.func @existing_not_fused(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>
  %0 = qlow.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %1 = qlow.add %0, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
