// Execution test of qlow.rescale (docs/integer-spec.md sections 4 and 5):
// one exact 64-bit product, one round-half-up shift, saturation.
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

// x * 0.5 (multiplier 2^30, shift 31): ties round half up.
func.func @ties(%x: tensor<4xi32>) -> tensor<4xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// x * 4 (multiplier 2^30, shift 28) saturates at both ends; output_zp 10.
func.func @saturate(%x: tensor<4xi32>) -> tensor<4xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 28>, output_zp = 10 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// input_zp 3, clamp to a ReLU6-like [-5, 20]; multiplier 0.75 (3*2^29, 31).
func.func @zero_points(%x: tensor<4xi32>) -> tensor<4xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1610612736>, shift = array<i32: 31>, input_zp = 3 : si32, output_zp = -2 : si32, min = -5 : si32, max = 20 : si32} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// Per channel along the last axis: 0.5, x3 (shift 0), {0, 0} (underflow).
func.func @per_channel(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824, 3, 0>, shift = array<i32: 31, 0, 0>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// Per channel along axis 0.
func.func @per_channel_axis0(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 31, 29>, axis = 0 : si64, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// An i8 input read as u8 (input_unsigned), zp 128, to u8 [0, 255] x 1.5.
func.func @unsigned(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1610612736>, shift = array<i32: 30>, input_zp = 128 : si32, output_zp = 128 : si32, min = 0 : si32, max = 255 : si32, input_unsigned} : tensor<4xi8> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

func.func @print_i8(%t: tensor<?xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xi8>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xi8>
    %w = arith.extsi %v : i8 to i32
    vector.print %w : i32
  }
  return
}

func.func @print_u8(%t: tensor<?xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xi8>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xi8>
    %w = arith.extui %v : i8 to i32
    vector.print %w : i32
  }
  return
}

func.func @main() {
  // CHECK-LABEL: ties
  // CHECK-NEXT: 3
  // CHECK-NEXT: -2
  // CHECK-NEXT: 2
  // CHECK-NEXT: -1
  vector.print str "ties\n"
  %a = arith.constant dense<[5, -5, 3, -3]> : tensor<4xi32>
  %ra = call @ties(%a) : (tensor<4xi32>) -> tensor<4xi8>
  %pa = tensor.cast %ra : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%pa) : (tensor<?xi8>) -> ()

  // 4 * 29 + 10 = 126; 4 * 30 + 10 = 130 -> 127; 4 * -34 + 10 = -126;
  // 4 * -35 + 10 = -130 -> -128.
  // CHECK-LABEL: saturate
  // CHECK-NEXT: 126
  // CHECK-NEXT: 127
  // CHECK-NEXT: -126
  // CHECK-NEXT: -128
  vector.print str "saturate\n"
  %b = arith.constant dense<[29, 30, -34, -35]> : tensor<4xi32>
  %rb = call @saturate(%b) : (tensor<4xi32>) -> tensor<4xi8>
  %pb = tensor.cast %rb : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%pb) : (tensor<?xi8>) -> ()

  // (x - 3) * 0.75 - 2: x = 5 -> 1.5 -> 2 -> 0; x = 1 -> -1.5 -> -1 -> -3;
  // x = 100 -> 72.75 -> 73 -> 71 -> 20 (max); x = -20 -> -17.25 -> -17
  // -> -19 -> -5 (min).
  // CHECK-LABEL: zero_points
  // CHECK-NEXT: 0
  // CHECK-NEXT: -3
  // CHECK-NEXT: 20
  // CHECK-NEXT: -5
  vector.print str "zero_points\n"
  %c = arith.constant dense<[5, 1, 100, -20]> : tensor<4xi32>
  %rc = call @zero_points(%c) : (tensor<4xi32>) -> tensor<4xi8>
  %pc = tensor.cast %rc : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%pc) : (tensor<?xi8>) -> ()

  // CHECK-LABEL: per_channel
  // CHECK-NEXT: 4
  // CHECK-NEXT: 21
  // CHECK-NEXT: 0
  // CHECK-NEXT: -4
  // CHECK-NEXT: 127
  // CHECK-NEXT: 0
  vector.print str "per_channel\n"
  %d = arith.constant dense<[[7, 7, 1000000], [-9, 50, -1000000]]> : tensor<2x3xi32>
  %rd = call @per_channel(%d) : (tensor<2x3xi32>) -> tensor<2x3xi8>
  %fd = tensor.collapse_shape %rd [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %pd = tensor.cast %fd : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%pd) : (tensor<?xi8>) -> ()

  // Row 0 x 0.5, row 1 x 2.
  // CHECK-LABEL: per_channel_axis0
  // CHECK-NEXT: 1
  // CHECK-NEXT: 2
  // CHECK-NEXT: -1
  // CHECK-NEXT: 2
  // CHECK-NEXT: 6
  // CHECK-NEXT: -6
  vector.print str "per_channel_axis0\n"
  %e = arith.constant dense<[[1, 3, -3], [1, 3, -3]]> : tensor<2x3xi32>
  %re = call @per_channel_axis0(%e) : (tensor<2x3xi32>) -> tensor<2x3xi8>
  %fe = tensor.collapse_shape %re [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %pe = tensor.cast %fe : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%pe) : (tensor<?xi8>) -> ()

  // u8 200 (i8 -56): (200 - 128) * 1.5 + 128 = 236; u8 0: -192 + 128 -> 0;
  // u8 255: 190.5 -> 191 + 128 -> 255 (max); u8 129: 1.5 -> 2 -> 130.
  // CHECK-LABEL: unsigned
  // CHECK-NEXT: 236
  // CHECK-NEXT: 0
  // CHECK-NEXT: 255
  // CHECK-NEXT: 130
  vector.print str "unsigned\n"
  %f = arith.constant dense<[-56, 0, -1, -127]> : tensor<4xi8>
  %rf = call @unsigned(%f) : (tensor<4xi8>) -> tensor<4xi8>
  %pf = tensor.cast %rf : tensor<4xi8> to tensor<?xi8>
  call @print_u8(%pf) : (tensor<?xi8>) -> ()
  return
}
