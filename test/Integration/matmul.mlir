// Execution test of qlow.int_matmul (batched lhs with shared weights, weight
// zero points, u8 lhs read as x - 128) and of the float qlow.matmul.
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

func.func @unsigned_zp(%x: tensor<2x2x3xi8>, %w: tensor<3x2xi8>, %b: tensor<2xi32>) -> tensor<2x2x2xi32> {
  %r = qlow.int_matmul %x, %w, %b {weight_zp = array<i32: 1, -1>, input_unsigned} : (tensor<2x2x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<2x2x2xi32>
  return %r : tensor<2x2x2xi32>
}

func.func @signed_zp(%x: tensor<4x3xi8>, %w: tensor<3x2xi8>, %b: tensor<2xi32>) -> tensor<4x2xi32> {
  %r = qlow.int_matmul %x, %w, %b {weight_zp = array<i32: 2, 0>} : (tensor<4x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<4x2xi32>
  return %r : tensor<4x2xi32>
}

func.func @float_matmul(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<2x2xf32> {
  %r = qlow.matmul %x, %w, %b {clamp_min = 0.0 : f32} : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

func.func @float_batch_matmul(%x: tensor<2x2x3xf32>, %w: tensor<2x3x2xf32>) -> tensor<2x2x2xf32> {
  %r = qlow.matmul %x, %w : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  return %r : tensor<2x2x2xf32>
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

func.func @print_f32(%t: tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xf32>
    vector.print %v : f32
  }
  return
}

func.func @main() {
  %w = arith.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8>
  %b = arith.constant dense<[100, -100]> : tensor<2xi32>

  // acc[m, n] = bias[n] + sum_k x w - zw[n] * sum_k x with x = u8 - 128:
  // row (200, 0, 128) -> (72, -128, 0): 100 + 72 - 384 + 56 = -156, ...
  // CHECK-LABEL: unsigned_zp
  // CHECK-NEXT: -156
  // CHECK-NEXT: -812
  // CHECK-NEXT: -160
  // CHECK-NEXT: -855
  // CHECK-NEXT: 472
  // CHECK-NEXT: -1208
  // CHECK-NEXT: 82
  // CHECK-NEXT: -59
  vector.print str "unsigned_zp\n"
  %xu = arith.constant dense<[[[-56, 0, -128], [-1, 1, -127]], [[10, 20, 30], [-126, -125, -124]]]> : tensor<2x2x3xi8>
  %ru = call @unsigned_zp(%xu, %w, %b) : (tensor<2x2x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<2x2x2xi32>
  %fu = tensor.collapse_shape %ru [[0, 1, 2]] : tensor<2x2x2xi32> into tensor<8xi32>
  %pu = tensor.cast %fu : tensor<8xi32> to tensor<?xi32>
  call @print_i32(%pu) : (tensor<?xi32>) -> ()

  // CHECK-LABEL: signed_zp
  // CHECK-NEXT: 76
  // CHECK-NEXT: -92
  // CHECK-NEXT: 151
  // CHECK-NEXT: -108
  // CHECK-NEXT: 22
  // CHECK-NEXT: -92
  // CHECK-NEXT: -155
  // CHECK-NEXT: -866
  vector.print str "signed_zp\n"
  %xs = arith.constant dense<[[1, -2, 3], [-4, 5, -6], [7, -8, 9], [127, -128, 0]]> : tensor<4x3xi8>
  %rs = call @signed_zp(%xs, %w, %b) : (tensor<4x3xi8>, tensor<3x2xi8>, tensor<2xi32>) -> tensor<4x2xi32>
  %fs = tensor.collapse_shape %rs [[0, 1]] : tensor<4x2xi32> into tensor<8xi32>
  %ps = tensor.cast %fs : tensor<8xi32> to tensor<?xi32>
  call @print_i32(%ps) : (tensor<?xi32>) -> ()

  // [[-20, 8], [41, -8]] + [0.5, -1], ReLU.
  // CHECK-LABEL: float_matmul
  // CHECK-NEXT: 0
  // CHECK-NEXT: 7
  // CHECK-NEXT: 41.5
  // CHECK-NEXT: 0
  vector.print str "float_matmul\n"
  %xf = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]> : tensor<2x3xf32>
  %wf = arith.constant dense<[[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]> : tensor<3x2xf32>
  %bf = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %rf = call @float_matmul(%xf, %wf, %bf) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %ff = tensor.collapse_shape %rf [[0, 1]] : tensor<2x2xf32> into tensor<4xf32>
  %pf = tensor.cast %ff : tensor<4xf32> to tensor<?xf32>
  call @print_f32(%pf) : (tensor<?xf32>) -> ()

  // Batch 0 with w, batch 1 with 2 * w.
  // CHECK-LABEL: float_batch_matmul
  // CHECK-NEXT: -20
  // CHECK-NEXT: 8
  // CHECK-NEXT: 41
  // CHECK-NEXT: -8
  // CHECK-NEXT: -124
  // CHECK-NEXT: 16
  // CHECK-NEXT: -514
  // CHECK-NEXT: -1532
  vector.print str "float_batch_matmul\n"
  %xb = arith.constant dense<[[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], [[7.0, -8.0, 9.0], [127.0, -128.0, 0.0]]]> : tensor<2x2x3xf32>
  %wb = arith.constant dense<[[[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]], [[2.0, -4.0], [6.0, 8.0], [-10.0, 12.0]]]> : tensor<2x3x2xf32>
  %rb = call @float_batch_matmul(%xb, %wb) : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %fb = tensor.collapse_shape %rb [[0, 1, 2]] : tensor<2x2x2xf32> into tensor<8xf32>
  %pb = tensor.cast %fb : tensor<8xf32> to tensor<?xf32>
  call @print_f32(%pb) : (tensor<?xf32>) -> ()
  return
}
