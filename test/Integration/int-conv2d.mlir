// Execution test of qlow.int_conv2d (padding holds pad_value, grouped and
// depthwise through one generic, weight zero points, u8 input read as
// x - 128) and of the float qlow.conv2d built by the same builder.
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

// 3x3 window over a 3x3 image padded with -1; a box filter and a Sobel.
func.func @padded(%x: tensor<1x3x3x1xi8>, %w: tensor<2x3x3x1xi8>, %b: tensor<2xi32>) -> tensor<1x3x3x2xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, pad_value = -1 : si32} : (tensor<1x3x3x1xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
  return %r : tensor<1x3x3x2xi32>
}

// Depthwise (groups = C = 2), stride 2, weight zero points 1 and -2.
func.func @depthwise_weight_zp(%x: tensor<1x4x4x2xi8>, %w: tensor<2x2x2x1xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2, pad_value = 0 : si32, weight_zp = array<i32: 1, -2>} : (tensor<1x4x4x2xi8>, tensor<2x2x2x1xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  return %r : tensor<1x2x2x2xi32>
}

// Two groups with two output channels each, dilation 2, padding 5.
func.func @grouped_dilated(%x: tensor<1x3x3x2xi8>, %w: tensor<4x2x2x1xi8>, %b: tensor<4xi32>) -> tensor<1x3x3x4xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 2, 2>, groups = 2, pad_value = 5 : si32} : (tensor<1x3x3x2xi8>, tensor<4x2x2x1xi8>, tensor<4xi32>) -> tensor<1x3x3x4xi32>
  return %r : tensor<1x3x3x4xi32>
}

// u8 input 200, 0, 128, 255 (held as i8 -56, 0, -128, -1) reads as
// x - 128; padding (bottom, right) with pad_value -128 (u8 0); weight zp 3.
func.func @unsigned_input(%x: tensor<1x2x2x1xi8>, %w: tensor<1x2x2x1xi8>, %b: tensor<1xi32>) -> tensor<1x2x2x1xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>, dilation = array<i64: 1, 1>, pad_value = -128 : si32, weight_zp = array<i32: 3>, input_unsigned} : (tensor<1x2x2x1xi8>, tensor<1x2x2x1xi8>, tensor<1xi32>) -> tensor<1x2x2x1xi32>
  return %r : tensor<1x2x2x1xi32>
}

// The float conv: zero padding, bias, fused ReLU.
func.func @float_conv(%x: tensor<1x3x3x1xf32>, %w: tensor<2x3x3x1xf32>, %b: tensor<2xf32>) -> tensor<1x3x3x2xf32> {
  %r = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32} : (tensor<1x3x3x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  return %r : tensor<1x3x3x2xf32>
}

func.func @print_i32(%t: tensor<?xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xi32>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xi32>
    vector.print %v : i32
  }
  return
}

func.func @main() {
  // Expected values: acc[n,oh,ow,o] = bias[o] + sum x * w - zw[o] * sum x
  // over the padded window, computed from that definition.
  // CHECK-LABEL: padded
  // CHECK-NEXT: 17
  // CHECK-NEXT: -17
  // CHECK-NEXT: 28
  // CHECK-NEXT: -11
  // CHECK-NEXT: 21
  // CHECK-NEXT: 7
  // CHECK-NEXT: 34
  // CHECK-NEXT: -29
  // CHECK-NEXT: 55
  // CHECK-NEXT: -13
  // CHECK-NEXT: 40
  // CHECK-NEXT: 19
  // CHECK-NEXT: 29
  // CHECK-NEXT: -29
  // CHECK-NEXT: 46
  // CHECK-NEXT: -11
  // CHECK-NEXT: 33
  // CHECK-NEXT: 19
  vector.print str "padded\n"
  %xa = arith.constant dense<[[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]]> : tensor<1x3x3x1xi8>
  %wa = arith.constant dense<[[[[1], [1], [1]], [[1], [1], [1]], [[1], [1], [1]]], [[[1], [0], [-1]], [[2], [0], [-2]], [[1], [0], [-1]]]]> : tensor<2x3x3x1xi8>
  %ba = arith.constant dense<[10, -5]> : tensor<2xi32>
  %ra = call @padded(%xa, %wa, %ba) : (tensor<1x3x3x1xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
  %fa = tensor.collapse_shape %ra [[0, 1, 2, 3]] : tensor<1x3x3x2xi32> into tensor<18xi32>
  %pa = tensor.cast %fa : tensor<18xi32> to tensor<?xi32>
  call @print_i32(%pa) : (tensor<?xi32>) -> ()

  // CHECK-LABEL: depthwise_weight_zp
  // CHECK-NEXT: 24
  // CHECK-NEXT: 81
  // CHECK-NEXT: 36
  // CHECK-NEXT: 65
  // CHECK-NEXT: 72
  // CHECK-NEXT: 17
  // CHECK-NEXT: 84
  // CHECK-NEXT: 1
  vector.print str "depthwise_weight_zp\n"
  %xb = arith.constant dense<[[[[0, 0], [1, -1], [2, -2], [3, -3]], [[4, -4], [5, -5], [6, -6], [7, -7]], [[8, -8], [9, -9], [10, -10], [11, -11]], [[12, -12], [13, -13], [14, -14], [15, -15]]]]> : tensor<1x4x4x2xi8>
  %wb = arith.constant dense<[[[[1], [2]], [[3], [4]]], [[[-1], [1]], [[2], [-2]]]]> : tensor<2x2x2x1xi8>
  %bb = arith.constant dense<[0, 100]> : tensor<2xi32>
  %rb = call @depthwise_weight_zp(%xb, %wb, %bb) : (tensor<1x4x4x2xi8>, tensor<2x2x2x1xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  %fb = tensor.collapse_shape %rb [[0, 1, 2, 3]] : tensor<1x2x2x2xi32> into tensor<8xi32>
  %pb = tensor.cast %fb : tensor<8xi32> to tensor<?xi32>
  call @print_i32(%pb) : (tensor<?xi32>) -> ()

  // CHECK-LABEL: grouped_dilated
  // CHECK-NEXT: 17
  // CHECK-NEXT: 3
  // CHECK-NEXT: 10
  // CHECK-NEXT: 10
  // CHECK-NEXT: 14
  // CHECK-NEXT: 2
  // CHECK-NEXT: 10
  // CHECK-NEXT: 6
  // CHECK-NEXT: 17
  // CHECK-NEXT: 0
  // CHECK-NEXT: 10
  // CHECK-NEXT: 5
  // CHECK-NEXT: 14
  // CHECK-NEXT: 2
  // CHECK-NEXT: 10
  // CHECK-NEXT: 4
  // CHECK-NEXT: 8
  // CHECK-NEXT: -4
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  // CHECK-NEXT: 14
  // CHECK-NEXT: -4
  // CHECK-NEXT: -2
  // CHECK-NEXT: 6
  // CHECK-NEXT: 17
  // CHECK-NEXT: 0
  // CHECK-NEXT: 10
  // CHECK-NEXT: 5
  // CHECK-NEXT: 14
  // CHECK-NEXT: -4
  // CHECK-NEXT: 2
  // CHECK-NEXT: 4
  // CHECK-NEXT: 17
  // CHECK-NEXT: -3
  // CHECK-NEXT: 0
  // CHECK-NEXT: 10
  vector.print str "grouped_dilated\n"
  %xc = arith.constant dense<[[[[0, 0], [1, -1], [2, -2]], [[1, 1], [2, 0], [3, -1]], [[2, 2], [3, 1], [4, 0]]]]> : tensor<1x3x3x2xi8>
  %wc = arith.constant dense<[[[[1], [1]], [[1], [1]]], [[[1], [0]], [[0], [-1]]], [[[2], [0]], [[0], [0]]], [[[0], [1]], [[1], [0]]]]> : tensor<4x2x2x1xi8>
  %bc = arith.constant dense<0> : tensor<4xi32>
  %rc = call @grouped_dilated(%xc, %wc, %bc) : (tensor<1x3x3x2xi8>, tensor<4x2x2x1xi8>, tensor<4xi32>) -> tensor<1x3x3x4xi32>
  %fc = tensor.collapse_shape %rc [[0, 1, 2, 3]] : tensor<1x3x3x4xi32> into tensor<36xi32>
  %pc = tensor.cast %fc : tensor<36xi32> to tensor<?xi32>
  call @print_i32(%pc) : (tensor<?xi32>) -> ()

  // CHECK-LABEL: unsigned_input
  // CHECK-NEXT: 118
  // CHECK-NEXT: 263
  // CHECK-NEXT: -248
  // CHECK-NEXT: -247
  vector.print str "unsigned_input\n"
  %xd = arith.constant dense<[[[[-56], [0]], [[-128], [-1]]]]> : tensor<1x2x2x1xi8>
  %wd = arith.constant dense<[[[[1], [2]], [[3], [4]]]]> : tensor<1x2x2x1xi8>
  %bd = arith.constant dense<[7]> : tensor<1xi32>
  %rd = call @unsigned_input(%xd, %wd, %bd) : (tensor<1x2x2x1xi8>, tensor<1x2x2x1xi8>, tensor<1xi32>) -> tensor<1x2x2x1xi32>
  %fd = tensor.collapse_shape %rd [[0, 1, 2, 3]] : tensor<1x2x2x1xi32> into tensor<4xi32>
  %pd = tensor.cast %fd : tensor<4xi32> to tensor<?xi32>
  call @print_i32(%pd) : (tensor<?xi32>) -> ()

  // CHECK-LABEL: float_conv
  // CHECK-NEXT: 22
  // CHECK-NEXT: 0
  // CHECK-NEXT: 31
  // CHECK-NEXT: 0
  // CHECK-NEXT: 26
  // CHECK-NEXT: 4
  // CHECK-NEXT: 37
  // CHECK-NEXT: 0
  // CHECK-NEXT: 55
  // CHECK-NEXT: 0
  // CHECK-NEXT: 43
  // CHECK-NEXT: 15
  // CHECK-NEXT: 34
  // CHECK-NEXT: 0
  // CHECK-NEXT: 49
  // CHECK-NEXT: 0
  // CHECK-NEXT: 38
  // CHECK-NEXT: 16
  vector.print str "float_conv\n"
  %xf = arith.constant dense<[[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]], [[7.0], [8.0], [9.0]]]]> : tensor<1x3x3x1xf32>
  %wf = arith.constant dense<[[[[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]]], [[[1.0], [0.0], [-1.0]], [[2.0], [0.0], [-2.0]], [[1.0], [0.0], [-1.0]]]]> : tensor<2x3x3x1xf32>
  %bf = arith.constant dense<[10.0, -5.0]> : tensor<2xf32>
  %rf = call @float_conv(%xf, %wf, %bf) : (tensor<1x3x3x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %ff = tensor.collapse_shape %rf [[0, 1, 2, 3]] : tensor<1x3x3x2xf32> into tensor<18xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c18 = arith.constant 18 : index
  scf.for %i = %c0 to %c18 step %c1 {
    %v = tensor.extract %ff[%i] : tensor<18xf32>
    vector.print %v : f32
  }
  return
}
