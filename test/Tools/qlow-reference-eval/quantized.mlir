// Quantized ops evaluated by the integer spec's reference. Every expected
// number is computed by hand from docs/integer-spec.md (the section is named
// at each function). The functions take no arguments so that their inputs
// are known; arguments are covered by test/Testing.
//
// RUN: qlow-reference-eval %s --func=quantize_ties | FileCheck %s --match-full-lines --check-prefix=QUANT
// RUN: qlow-reference-eval %s --func=quantize_per_axis | FileCheck %s --match-full-lines --check-prefix=QAXIS
// RUN: qlow-reference-eval %s --func=dequantize | FileCheck %s --match-full-lines --check-prefix=DEQ
// RUN: qlow-reference-eval %s --func=requantize | FileCheck %s --match-full-lines --check-prefix=REQ
// RUN: qlow-reference-eval %s --func=requantize_u8 | FileCheck %s --match-full-lines --check-prefix=REQU8
// RUN: qlow-reference-eval %s --func=conv1x1 | FileCheck %s --match-full-lines --check-prefix=CONV
// RUN: qlow-reference-eval %s --func=conv1x1_clamped | FileCheck %s --match-full-lines --check-prefix=CONVCLAMP
// RUN: qlow-reference-eval %s --func=matmul | FileCheck %s --match-full-lines --check-prefix=MATMUL
// RUN: qlow-reference-eval %s --func=add | FileCheck %s --match-full-lines --check-prefix=ADD
// RUN: qlow-reference-eval %s --func=add_broadcast_relu | FileCheck %s --match-full-lines --check-prefix=ADDB
// RUN: qlow-reference-eval %s --func=mul | FileCheck %s --match-full-lines --check-prefix=MUL
// RUN: qlow-reference-eval %s --func=pools | FileCheck %s --match-full-lines --check-prefix=POOL
// RUN: qlow-reference-eval %s --func=global_avg_pool | FileCheck %s --match-full-lines --check-prefix=GAP
// RUN: qlow-reference-eval %s --func=concat | FileCheck %s --match-full-lines --check-prefix=CONCAT
// RUN: qlow-reference-eval %s --func=clamp | FileCheck %s --match-full-lines --check-prefix=CLAMP
// RUN: qlow-reference-eval %s --func=layout | FileCheck %s --match-full-lines --check-prefix=LAYOUT

// Section 1: x / scale by a true division, ties to even, saturation, NaN to
// the zero point. scale 0.5, zp -1: x/s = 0.5 1.5 2.5 -0.5 -2.5 200 -200
// -> 0 2 2 0 -2 128(sat) -127(sat) -> +zp.
// QUANT: -1
// QUANT-NEXT: 1
// QUANT-NEXT: 1
// QUANT-NEXT: -1
// QUANT-NEXT: -3
// QUANT-NEXT: 127
// QUANT-NEXT: -128
// NaN -> zero point.
// QUANT-NEXT: -1
// 0.114999995 is 11.5f * 0.01f; x / 0.01f = 11.5 exactly -> 12 (a reciprocal
// multiply would give 11.499999 -> 11).
// QUANT-NEXT: 12
// QUANT-NOT: {{.}}
func.func @quantize_ties() -> (tensor<8x!quant.uniform<i8:f32, 0.5:-1>>, tensor<1x!quant.uniform<i8:f32, 0.01>>) {
  %x = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -1.25, 100.0, -100.0, 0x7FC00000]> : tensor<8xf32>
  %q = qlow.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 0.5:-1>>
  %y = arith.constant dense<0.114999995> : tensor<1xf32>
  %r = qlow.quantize %y : tensor<1xf32> -> tensor<1x!quant.uniform<i8:f32, 0.01>>
  return %q, %r : tensor<8x!quant.uniform<i8:f32, 0.5:-1>>, tensor<1x!quant.uniform<i8:f32, 0.01>>
}

// Per-axis on dimension 1, scales {1.0, 0.5}:
// [[1, 1], [2, -1]] -> [[1, 2], [2, -2]].
// QAXIS: 1
// QAXIS-NEXT: 2
// QAXIS-NEXT: 2
// QAXIS-NEXT: -2
// QAXIS-NOT: {{.}}
func.func @quantize_per_axis() -> tensor<2x2x!quant.uniform<i8:f32:1, {1.0, 0.5}>> {
  %x = arith.constant dense<[[1.0, 1.0], [2.0, -1.0]]> : tensor<2x2xf32>
  %q = qlow.quantize %x : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8:f32:1, {1.0, 0.5}>>
  return %q : tensor<2x2x!quant.uniform<i8:f32:1, {1.0, 0.5}>>
}

// Section 2: f32(q - zp) * scale with scale 0.5, zp -1: 3 -1 0 -> 2.0 0.0
// 0.5, printed as their f32 bit patterns.
// DEQ: 1073741824
// DEQ-NEXT: 0
// DEQ-NEXT: 1056964608
// DEQ-NOT: {{.}}
func.func @dequantize() -> tensor<3xf32> {
  %q = qlow.const dense<[3, -1, 0]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5:-1>>
  %x = qlow.dequantize %q : tensor<3x!quant.uniform<i8:f32, 0.5:-1>> -> tensor<3xf32>
  return %x : tensor<3xf32>
}

// Sections 4 and 5: 0.5 -> 1.0 (zp 0 -> 5) is the multiplier {2^30, 31}:
// q * 0.5 = 2.5 -2.5 1.5 -1.5 0.5 -0.5 63.5 -64, rounded half up
// 3 -2 2 -1 1 0 64 -64, plus 5.
// REQ: 8
// REQ-NEXT: 3
// REQ-NEXT: 7
// REQ-NEXT: 4
// REQ-NEXT: 6
// REQ-NEXT: 5
// REQ-NEXT: 69
// REQ-NEXT: -59
// REQ-NOT: {{.}}
func.func @requantize() -> tensor<8x!quant.uniform<i8:f32, 1.0:5>> {
  %q = qlow.const dense<[5, -5, 3, -3, 1, -1, 127, -128]> : tensor<8xi8> -> tensor<8x!quant.uniform<i8:f32, 0.5>>
  %r = qlow.requantize %q : tensor<8x!quant.uniform<i8:f32, 0.5>> -> tensor<8x!quant.uniform<i8:f32, 1.0:5>>
  return %r : tensor<8x!quant.uniform<i8:f32, 1.0:5>>
}

// i8 (0.5, 0) -> u8 (0.5, 128): 5 -128 127 -> 133 0 255, printed as the i8
// that holds them in lowered code (sign-extended): -123 0 -1.
// REQU8: -123
// REQU8-NEXT: 0
// REQU8-NEXT: -1
// REQU8-NOT: {{.}}
func.func @requantize_u8() -> tensor<3x!quant.uniform<u8:f32, 0.5:128>> {
  %q = qlow.const dense<[5, -128, 127]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  %r = qlow.requantize %q : tensor<3x!quant.uniform<i8:f32, 0.5>> -> tensor<3x!quant.uniform<u8:f32, 0.5:128>>
  return %r : tensor<3x!quant.uniform<u8:f32, 0.5:128>>
}

// Section 6: 1x1 conv, input (0.5, zp 1), per-channel weights {0.25, 0.125},
// output (0.25, zp -2).
//   x = 1.0 -0.5 | 2.0 0.0 | -1.5 0.5 -> q 3 0 | 5 1 | -2 2 -> x - zx 2 -1 | 4 0 | -3 1
//   biasQ = 0.5/(0.5*0.25) = 4, -0.25/(0.5*0.125) = -4
//   multipliers 0.5*0.25/0.25 = 0.5, 0.5*0.125/0.25 = 0.25
//   pixel 0: o0 4 + 2*2 + -1*-1 = 9 -> 4.5 -> 5 -> 3;  o1 -4 + 8 - 3 = 1 -> 0.25 -> 0 -> -2
//   pixel 1: o0 4 + 8 = 12 -> 6 -> 4;                  o1 -4 + 16 = 12 -> 3 -> 1
//   pixel 2: o0 4 - 6 - 1 = -3 -> -1.5 -> -1 -> -3;    o1 -4 - 12 + 3 = -13 -> -3.25 -> -3 -> -5
// CONV: 3
// CONV-NEXT: -2
// CONV-NEXT: 4
// CONV-NEXT: 1
// CONV-NEXT: -3
// CONV-NEXT: -5
// CONV-NOT: {{.}}
func.func @conv1x1() -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>> {
  %x = arith.constant dense<[[[[1.0, -0.5], [2.0, 0.0], [-1.5, 0.5]]]]> : tensor<1x1x3x2xf32>
  %q = qlow.quantize %x : tensor<1x1x3x2xf32> -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.5:1>>
  %w = qlow.const dense<[[[[2, -1]]], [[[4, 3]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %y = qlow.conv2d %q, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x1x3x2x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>, tensor<2xf32>) -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>>
  return %y : tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>>
}

// Section 11: the same conv with a fused clamp to [0, 1]: bounds
// quantize(0) = -2, quantize(1) = 4 - 2 = 2.
// CONVCLAMP: 2
// CONVCLAMP-NEXT: -2
// CONVCLAMP-NEXT: 2
// CONVCLAMP-NEXT: 1
// CONVCLAMP-NEXT: -2
// CONVCLAMP-NEXT: -2
// CONVCLAMP-NOT: {{.}}
func.func @conv1x1_clamped() -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>> {
  %x = arith.constant dense<[[[[1.0, -0.5], [2.0, 0.0], [-1.5, 0.5]]]]> : tensor<1x1x3x2xf32>
  %q = qlow.quantize %x : tensor<1x1x3x2xf32> -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.5:1>>
  %w = qlow.const dense<[[[[2, -1]]], [[[4, 3]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %y = qlow.conv2d %q, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32, clamp_max = 1.0 : f32} : (tensor<1x1x3x2x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>, tensor<2xf32>) -> tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>>
  return %y : tensor<1x1x3x2x!quant.uniform<i8:f32, 0.25:-2>>
}

// Matmul with weights per axis on N {0.5, 0.25}, lhs and result (1.0, 0),
// bias 0.5 1.0 -> biasQ 1 4:
//   n0: 1 + 3*1 - 1*3 = 1 -> 0.5 -> 1;  n1: 4 + 3*2 - 1*4 = 6 -> 1.5 -> 2
// MATMUL: 1
// MATMUL-NEXT: 2
// MATMUL-NOT: {{.}}
func.func @matmul() -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %a = qlow.const dense<[[3, -1]]> : tensor<1x2xi8> -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  %w = qlow.const dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25}>>
  %b = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %y = qlow.matmul %a, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 1.0>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25}>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// Section 7's example: sa 0.5, sb 0.25, so 1: 3+1 -> 1.75 -> 2,
// -3-4 -> -2.5 -> -2 (tie up), 1+0 -> 0.5 -> 1.
// ADD: 2
// ADD-NEXT: -2
// ADD-NEXT: 1
// ADD-NOT: {{.}}
func.func @add() -> tensor<3x!quant.uniform<i8:f32, 1.0>> {
  %a = qlow.const dense<[3, -3, 1]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  %b = qlow.const dense<[1, -4, 0]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.25>>
  %y = qlow.add %a, %b : (tensor<3x!quant.uniform<i8:f32, 0.5>>, tensor<3x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<3x!quant.uniform<i8:f32, 1.0>>
}

// Broadcast [2,1] + [1,3] with a fused ReLU (lower bound quantize(0) = 0):
// reals 2 -2 + 0.25 0.5 0.75 = 2.25 2.5 2.75 | -1.75 -1.5 -1.25
// -> 2 3 3 | -2 -1 -1 -> ReLU 2 3 3 | 0 0 0.
// ADDB: 2
// ADDB-NEXT: 3
// ADDB-NEXT: 3
// ADDB-NEXT: 0
// ADDB-NEXT: 0
// ADDB-NEXT: 0
// ADDB-NOT: {{.}}
func.func @add_broadcast_relu() -> tensor<2x3x!quant.uniform<i8:f32, 1.0>> {
  %a = qlow.const dense<[[4], [-4]]> : tensor<2x1xi8> -> tensor<2x1x!quant.uniform<i8:f32, 0.5>>
  %b = qlow.const dense<[[1, 2, 3]]> : tensor<1x3xi8> -> tensor<1x3x!quant.uniform<i8:f32, 0.25>>
  %y = qlow.add %a, %b {clamp_min = 0.0 : f32} : (tensor<2x1x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 1.0>>
}

// Section 8: sa = sb = 0.5, so 1: (a*b)*0.25 = 1.5 -1.5 1.25 -> 2 -1 1.
// MUL: 2
// MUL-NEXT: -1
// MUL-NEXT: 1
// MUL-NOT: {{.}}
func.func @mul() -> tensor<3x!quant.uniform<i8:f32, 1.0>> {
  %a = qlow.const dense<[3, -3, 5]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  %b = qlow.const dense<[2, 2, 1]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  %y = qlow.mul %a, %b : (tensor<3x!quant.uniform<i8:f32, 0.5>>, tensor<3x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<3x!quant.uniform<i8:f32, 1.0>>
}

// Sections 9 and 10: 2x2 windows, stride 1, padding top 1 and left 1 over
//   -3 2 3
//    4 5 6
//    7 8 10
// avg (padding not counted): -3/1, -1/2, 5/2 | 1/2, 8/4, 16/4 | 11/2, 24/4, 29/4
//   -> -3 0 2 | 0 2 4 | 6 6 7 (average pools round ties to even)
// max: -3 2 3 | 4 5 6 | 7 8 10
// POOL: -3
// POOL-NEXT: 0
// POOL-NEXT: 2
// POOL-NEXT: 0
// POOL-NEXT: 2
// POOL-NEXT: 4
// POOL-NEXT: 6
// POOL-NEXT: 6
// POOL-NEXT: 7
// POOL-NEXT: -3
// POOL-NEXT: 2
// POOL-NEXT: 3
// POOL-NEXT: 4
// POOL-NEXT: 5
// POOL-NEXT: 6
// POOL-NEXT: 7
// POOL-NEXT: 8
// POOL-NEXT: 10
// POOL-NOT: {{.}}
func.func @pools() -> (tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>, tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>) {
  %x = qlow.const dense<[[[[-3], [2], [3]], [[4], [5], [6]], [[7], [8], [10]]]]> : tensor<1x3x3x1xi8> -> tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
  %a = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>> -> tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
  %m = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>> -> tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
  return %a, %m : tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>, tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
}

// Section 9's note: 21 / 6 = 3.5 gives 3, the multiplier for 1/6 being
// slightly below 1/6.
// GAP: 3
// GAP-NOT: {{.}}
func.func @global_avg_pool() -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>> {
  %x = qlow.const dense<[[[[1], [2], [3]], [[4], [5], [6]]]]> : tensor<1x2x3x1xi8> -> tensor<1x2x3x1x!quant.uniform<i8:f32, 1.0>>
  %y = qlow.global_avg_pool %x : tensor<1x2x3x1x!quant.uniform<i8:f32, 1.0>> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
}

// Concat along axis 1: the first input has the result type and is copied,
// the second (scale 0.5) is requantized first: 5 -5 7 1 -> 2.5 -2.5 3.5 0.5
// -> 3 -2 4 1. Rows: [1 | 3 -2], [-2 | 4 1].
// CONCAT: 1
// CONCAT-NEXT: 3
// CONCAT-NEXT: -2
// CONCAT-NEXT: -2
// CONCAT-NEXT: 4
// CONCAT-NEXT: 1
// CONCAT-NOT: {{.}}
func.func @concat() -> tensor<2x3x!quant.uniform<i8:f32, 1.0>> {
  %a = qlow.const dense<[[1], [-2]]> : tensor<2x1xi8> -> tensor<2x1x!quant.uniform<i8:f32, 1.0>>
  %b = qlow.const dense<[[5, -5], [7, 1]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %y = qlow.concat %a, %b {axis = 1 : i64} : (tensor<2x1x!quant.uniform<i8:f32, 1.0>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 1.0>>
}

// Clamp to [0, 6] while requantizing 0.5 -> 1.0: -4 2 13 20 -> -2 1 7 10
// (6.5 rounds up) -> bounds [0, 6] -> 0 1 6 6.
// CLAMP: 0
// CLAMP-NEXT: 1
// CLAMP-NEXT: 6
// CLAMP-NEXT: 6
// CLAMP-NOT: {{.}}
func.func @clamp() -> tensor<4x!quant.uniform<i8:f32, 1.0>> {
  %x = qlow.const dense<[-4, 2, 13, 20]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qlow.clamp %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<4x!quant.uniform<i8:f32, 1.0>>
}

// Reshape keeps the row-major order; transpose [2,3] -> [3,2].
// LAYOUT: 1
// LAYOUT-NEXT: 4
// LAYOUT-NEXT: 2
// LAYOUT-NEXT: 5
// LAYOUT-NEXT: 3
// LAYOUT-NEXT: 6
// LAYOUT-NOT: {{.}}
func.func @layout() -> tensor<3x2x!quant.uniform<i8:f32, 1.0>> {
  %x = qlow.const dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi8> -> tensor<6x!quant.uniform<i8:f32, 1.0>>
  %r = qlow.reshape %x : tensor<6x!quant.uniform<i8:f32, 1.0>> -> tensor<2x3x!quant.uniform<i8:f32, 1.0>>
  %t = qlow.transpose %r {permutation = array<i64: 1, 0>} : tensor<2x3x!quant.uniform<i8:f32, 1.0>> -> tensor<3x2x!quant.uniform<i8:f32, 1.0>>
  return %t : tensor<3x2x!quant.uniform<i8:f32, 1.0>>
}
