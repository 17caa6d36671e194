// Execution test of quantized add, mul (docs/integer-spec.md sections 7 and
// 8), requantize, clamp (section 11) and concat, plus the float element-wise
// ops. Expected values from the spec's definitions (cross-checked with
// qlow::ref::add/mul).
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

!qh = !quant.uniform<i8:f32, 0.5>
!qq = !quant.uniform<i8:f32, 0.25>
!q1 = !quant.uniform<i8:f32, 1.0>
!qu = !quant.uniform<u8:f32, 0.02:128>
!qb = !quant.uniform<i8:f32, 0.05:-3>
!qo = !quant.uniform<i8:f32, 0.1:-10>
!qx = !quant.uniform<i8:f32, 0.5:2>
!qy = !quant.uniform<i8:f32, 0.25:-1>
!qz = !quant.uniform<i8:f32, 0.1:1>
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qc = !quant.uniform<i8:f32, 0.25:2>

// sa = 0.5, sb = 0.25, so = 1, zero points 0; b broadcasts over rows.
func.func @add(%a: tensor<2x3x!qh>, %b: tensor<1x3x!qq>) -> tensor<2x3x!q1> {
  %r = qlow.add %a, %b : (tensor<2x3x!qh>, tensor<1x3x!qq>) -> tensor<2x3x!q1>
  return %r : tensor<2x3x!q1>
}

// u8 + i8 -> i8 with zero points and a fused ReLU6: [lo, hi] = [-10, 50].
func.func @add_relu6(%a: tensor<1x4x!qu>, %b: tensor<1x4x!qb>) -> tensor<1x4x!qo> {
  %r = qlow.add %a, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<1x4x!qu>, tensor<1x4x!qb>) -> tensor<1x4x!qo>
  return %r : tensor<1x4x!qo>
}

// (a - 2) * (b + 1) * 0.5 * 0.25 / 0.1, + 1; b broadcasts over columns.
func.func @mul(%a: tensor<2x2x!qx>, %b: tensor<2x1x!qy>) -> tensor<2x2x!qz> {
  %r = qlow.mul %a, %b : (tensor<2x2x!qx>, tensor<2x1x!qy>) -> tensor<2x2x!qz>
  return %r : tensor<2x2x!qz>
}

// 0.5 -> 0.25: multiplier 2^30, shift 29; zero points -3 -> 2.
func.func @requantize(%x: tensor<4x!qa>) -> tensor<4x!qc> {
  %r = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qc>
  return %r : tensor<4x!qc>
}

// Same type: [-1, 1] is [quantize(-1), quantize(1)] = [-5, -1].
func.func @clamp(%x: tensor<4x!qa>) -> tensor<4x!qa> {
  %r = qlow.clamp %x {min = -1.0 : f32, max = 1.0 : f32} : tensor<4x!qa> -> tensor<4x!qa>
  return %r : tensor<4x!qa>
}

// ReLU into another type: requantize with [quantize(0), 127] = [2, 127].
func.func @relu_requantize(%x: tensor<3x!qa>) -> tensor<3x!qc> {
  %r = qlow.clamp %x {min = 0.0 : f32} : tensor<3x!qa> -> tensor<3x!qc>
  return %r : tensor<3x!qc>
}

// b is requantized to the result type before concatenation.
func.func @concat(%a: tensor<2x1x!qa>, %b: tensor<2x2x!qc>) -> tensor<2x3x!qa> {
  %r = qlow.concat %a, %b {axis = 1 : i64} : (tensor<2x1x!qa>, tensor<2x2x!qc>) -> tensor<2x3x!qa>
  return %r : tensor<2x3x!qa>
}

// Layout ops move storage values: transpose, then a reshape that is
// neither a collapse nor an expand.
func.func @layout(%x: tensor<2x3x!qa>) -> tensor<2x3x!qa> {
  %t = qlow.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3x!qa> -> tensor<3x2x!qa>
  %r = qlow.reshape %t : tensor<3x2x!qa> -> tensor<2x3x!qa>
  return %r : tensor<2x3x!qa>
}

func.func @float_ops(%a: tensor<2x2xf32>, %b: tensor<1x2xf32>) -> tensor<2x2xf32> {
  %s = qlow.add %a, %b {clamp_min = 0.0 : f32} : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %m = qlow.mul %s, %b : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %scale = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %offset = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %n = qlow.batch_norm %m, %scale, %offset, %mean, %var {epsilon = 1.0 : f32} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %c = qlow.clamp %n {max = 10.0 : f32} : tensor<2x2xf32> -> tensor<2x2xf32>
  return %c : tensor<2x2xf32>
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

func.func @main() {
  // 1.5 + 0.25 -> 2; -1.5 - 1 -> -2 (tie up); 0.5 -> 1 (tie up);
  // 63.5 + 0.25 -> 64; -64 - 1 = -65; 0.
  // CHECK-LABEL: add
  // CHECK-NEXT: 2
  // CHECK-NEXT: -2
  // CHECK-NEXT: 1
  // CHECK-NEXT: 64
  // CHECK-NEXT: -65
  // CHECK-NEXT: 0
  vector.print str "add\n"
  %a0 = arith.constant dense<[[3, -3, 1], [127, -128, 0]]> : tensor<2x3xi8>
  %b0 = arith.constant dense<[[1, -4, 0]]> : tensor<1x3xi8>
  %qa0 = quant.scast %a0 : tensor<2x3xi8> to tensor<2x3x!qh>
  %qb0 = quant.scast %b0 : tensor<1x3xi8> to tensor<1x3x!qq>
  %r0 = call @add(%qa0, %qb0) : (tensor<2x3x!qh>, tensor<1x3x!qq>) -> tensor<2x3x!q1>
  %s0 = quant.scast %r0 : tensor<2x3x!q1> to tensor<2x3xi8>
  %f0 = tensor.collapse_shape %s0 [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %p0 = tensor.cast %f0 : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%p0) : (tensor<?xi8>) -> ()

  // u8 200, 0, 128, 255 and i8 -3, 100, -128, 127:
  // (1.44 + 0) / 0.1 -> 14 - 10 = 4; (-2.56 + 5.15) / 0.1 -> 26 - 10 = 16;
  // (0 - 6.25) / 0.1 -> -10 (lo); (2.54 + 6.5) / 0.1 -> 50 (hi).
  // CHECK-LABEL: add_relu6
  // CHECK-NEXT: 4
  // CHECK-NEXT: 16
  // CHECK-NEXT: -10
  // CHECK-NEXT: 50
  vector.print str "add_relu6\n"
  %a1 = arith.constant dense<[[-56, 0, -128, -1]]> : tensor<1x4xi8>
  %b1 = arith.constant dense<[[-3, 100, -128, 127]]> : tensor<1x4xi8>
  %qa1 = quant.scast %a1 : tensor<1x4xi8> to tensor<1x4x!qu>
  %qb1 = quant.scast %b1 : tensor<1x4xi8> to tensor<1x4x!qb>
  %r1 = call @add_relu6(%qa1, %qb1) : (tensor<1x4x!qu>, tensor<1x4x!qb>) -> tensor<1x4x!qo>
  %s1 = quant.scast %r1 : tensor<1x4x!qo> to tensor<1x4xi8>
  %f1 = tensor.collapse_shape %s1 [[0, 1]] : tensor<1x4xi8> into tensor<4xi8>
  %p1 = tensor.cast %f1 : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%p1) : (tensor<?xi8>) -> ()

  // (1 * 6) * 1.25 = 7.5 -> 8 + 1; (-5 * 6) * 1.25 = -37.5 -> -37 + 1;
  // 8 * 128 * 1.25 saturates; -130 * 128 * 1.25 saturates.
  // CHECK-LABEL: mul
  // CHECK-NEXT: 9
  // CHECK-NEXT: -36
  // CHECK-NEXT: 127
  // CHECK-NEXT: -128
  vector.print str "mul\n"
  %a2 = arith.constant dense<[[3, -3], [10, -128]]> : tensor<2x2xi8>
  %b2 = arith.constant dense<[[5], [127]]> : tensor<2x1xi8>
  %qa2 = quant.scast %a2 : tensor<2x2xi8> to tensor<2x2x!qx>
  %qb2 = quant.scast %b2 : tensor<2x1xi8> to tensor<2x1x!qy>
  %r2 = call @mul(%qa2, %qb2) : (tensor<2x2x!qx>, tensor<2x1x!qy>) -> tensor<2x2x!qz>
  %s2 = quant.scast %r2 : tensor<2x2x!qz> to tensor<2x2xi8>
  %f2 = tensor.collapse_shape %s2 [[0, 1]] : tensor<2x2xi8> into tensor<4xi8>
  %p2 = tensor.cast %f2 : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%p2) : (tensor<?xi8>) -> ()

  // (x + 3) * 2 + 2.
  // CHECK-LABEL: requantize
  // CHECK-NEXT: 2
  // CHECK-NEXT: 28
  // CHECK-NEXT: 127
  // CHECK-NEXT: -128
  vector.print str "requantize\n"
  %x3 = arith.constant dense<[-3, 10, 60, -128]> : tensor<4xi8>
  %q3 = quant.scast %x3 : tensor<4xi8> to tensor<4x!qa>
  %r3 = call @requantize(%q3) : (tensor<4x!qa>) -> tensor<4x!qc>
  %s3 = quant.scast %r3 : tensor<4x!qc> to tensor<4xi8>
  %p3 = tensor.cast %s3 : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%p3) : (tensor<?xi8>) -> ()

  // CHECK-LABEL: clamp
  // CHECK-NEXT: -5
  // CHECK-NEXT: -3
  // CHECK-NEXT: -1
  // CHECK-NEXT: -5
  vector.print str "clamp\n"
  %x4 = arith.constant dense<[-10, -3, 0, -6]> : tensor<4xi8>
  %q4 = quant.scast %x4 : tensor<4xi8> to tensor<4x!qa>
  %r4 = call @clamp(%q4) : (tensor<4x!qa>) -> tensor<4x!qa>
  %s4 = quant.scast %r4 : tensor<4x!qa> to tensor<4xi8>
  %p4 = tensor.cast %s4 : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%p4) : (tensor<?xi8>) -> ()

  // -5 -> -2 -> 2 (ReLU); 0 -> 8; 61 -> 130 -> 127.
  // CHECK-LABEL: relu_requantize
  // CHECK-NEXT: 2
  // CHECK-NEXT: 8
  // CHECK-NEXT: 127
  vector.print str "relu_requantize\n"
  %x5 = arith.constant dense<[-5, 0, 61]> : tensor<3xi8>
  %q5 = quant.scast %x5 : tensor<3xi8> to tensor<3x!qa>
  %r5 = call @relu_requantize(%q5) : (tensor<3x!qa>) -> tensor<3x!qc>
  %s5 = quant.scast %r5 : tensor<3x!qc> to tensor<3xi8>
  %p5 = tensor.cast %s5 : tensor<3xi8> to tensor<?xi8>
  call @print_i8(%p5) : (tensor<?xi8>) -> ()

  // b: (2, 5, -1, 10) - 2, * 0.5, - 3 = -3, -1 (1.5 -> 2), -4 (-1.5 -> -1), 1.
  // CHECK-LABEL: concat
  // CHECK-NEXT: 7
  // CHECK-NEXT: -3
  // CHECK-NEXT: -1
  // CHECK-NEXT: 8
  // CHECK-NEXT: -4
  // CHECK-NEXT: 1
  vector.print str "concat\n"
  %a6 = arith.constant dense<[[7], [8]]> : tensor<2x1xi8>
  %b6 = arith.constant dense<[[2, 5], [-1, 10]]> : tensor<2x2xi8>
  %qa6 = quant.scast %a6 : tensor<2x1xi8> to tensor<2x1x!qa>
  %qb6 = quant.scast %b6 : tensor<2x2xi8> to tensor<2x2x!qc>
  %r6 = call @concat(%qa6, %qb6) : (tensor<2x1x!qa>, tensor<2x2x!qc>) -> tensor<2x3x!qa>
  %s6 = quant.scast %r6 : tensor<2x3x!qa> to tensor<2x3xi8>
  %f6 = tensor.collapse_shape %s6 [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %p6 = tensor.cast %f6 : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%p6) : (tensor<?xi8>) -> ()

  // CHECK-LABEL: layout
  // CHECK-NEXT: 1
  // CHECK-NEXT: 4
  // CHECK-NEXT: 2
  // CHECK-NEXT: 5
  // CHECK-NEXT: 3
  // CHECK-NEXT: 6
  vector.print str "layout\n"
  %x7 = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %q7 = quant.scast %x7 : tensor<2x3xi8> to tensor<2x3x!qa>
  %r7 = call @layout(%q7) : (tensor<2x3x!qa>) -> tensor<2x3x!qa>
  %s7 = quant.scast %r7 : tensor<2x3x!qa> to tensor<2x3xi8>
  %f7 = tensor.collapse_shape %s7 [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %p7 = tensor.cast %f7 : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%p7) : (tensor<?xi8>) -> ()

  // relu(a + b) * b, then (x - mean) / sqrt(var + 1) * scale + offset,
  // then min(x, 10): [[1, 2], [-3, 4]] + [[1, 2]] -> [[2, 4], [0, 6]]
  // -> [[2, 8], [0, 12]] -> [[3, 20], [1, 32]] -> [[3, 10], [1, 10]].
  // CHECK-LABEL: float_ops
  // CHECK-NEXT: 3
  // CHECK-NEXT: 10
  // CHECK-NEXT: 1
  // CHECK-NEXT: 10
  vector.print str "float_ops\n"
  %fa = arith.constant dense<[[1.0, 2.0], [-3.0, 4.0]]> : tensor<2x2xf32>
  %fb = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %fr = call @float_ops(%fa, %fb) : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c2 step %c1 {
      %v = tensor.extract %fr[%i, %j] : tensor<2x2xf32>
      vector.print %v : f32
    }
  }
  return
}
