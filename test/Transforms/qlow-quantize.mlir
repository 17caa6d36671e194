// RUN: qlow-opt %s -split-input-file --qlow-quantize=stats=%S/Inputs/quantize-stats.json | FileCheck %s
// RUN: qlow-opt %s -split-input-file --qlow-quantize="stats=%S/Inputs/quantize-stats.json weights=per-tensor weight-scheme=affine activations=u8" | FileCheck %s --check-prefix=AFFINE
// RUN: qlow-opt %s -split-input-file --qlow-quantize="stats=%S/Inputs/quantize-stats.json activation-scheme=symmetric" | FileCheck %s --check-prefix=SYM

// Activations: per tensor from the statistics ([-1, 1] -> scale 2/255 and
// zero point round(-128 + 127.5) = -1 (half away); [0, 2] -> zero point -128).
// Weights: per output channel, symmetric narrow range, max |w| -> 127.
// CHECK-LABEL: func @conv
// CHECK-NOT: qlow.observe
// CHECK: %[[X:.*]] = qlow.quantize %arg0 : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: %[[W:.*]] = qlow.const dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959,0.001968503937007874}>>
// CHECK: %[[C:.*]] = qlow.conv2d %[[X]], %[[W]], %{{.*}} {{.*}}name = "conv"{{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-128>>
// CHECK: %[[D:.*]] = qlow.dequantize %[[C]]
// CHECK: return %[[D]]
// AFFINE-LABEL: func @conv
// AFFINE: qlow.quantize %arg0 : {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// Per tensor, affine over [-1, 0.5]: scale 1.5/255, zero point 42 (0.25 / the
// f32 scale is just below 42.5).
// AFFINE: qlow.const dense<{{\[\[\[\[}}127, -128]]], {{\[\[\[}}84, 63]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32, 0.0058823529411764705:42>>
// SYM-LABEL: func @conv
// SYM: qlow.quantize %arg0 : {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32, 0.0078740157480314959>>
func.func @conv(%x: tensor<1x2x2x2xf32> {qlow.name = "input"}) -> tensor<1x2x2x2xf32> {
  %o = qlow.observe %x "input" : tensor<1x2x2x2xf32>
  %w = arith.constant dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c = qlow.conv2d %o, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

// Layout ops and max pool keep their input's quantization; quantized
// consumers read quantized producers directly (no dequantize between them).
// CHECK-LABEL: func @keeps_type
// CHECK: %[[Q:.*]] = qlow.quantize %arg0 {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: %[[P:.*]] = qlow.max_pool2d %[[Q]] {{.*}} -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: %[[R:.*]] = qlow.reshape %[[P]] {{.*}} -> tensor<1x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: qlow.dequantize %[[R]]
func.func @keeps_type(%x: tensor<1x2x2x2xf32> {qlow.name = "input"}) -> tensor<1x2xf32> {
  %p = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, name = "pool"} : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
  %r = qlow.reshape %p {name = "flat"} : tensor<1x1x1x2xf32> -> tensor<1x2xf32>
  return %r : tensor<1x2xf32>
}

// -----

// A constant addend is quantized at compile time over its own range; the
// add's result type comes from the statistics ([-3, 5]: scale 8/255, zero
// point round(-128 + 95.625) = -32; the constant [0, 3] maps to [-128, 127]).
// CHECK-LABEL: func @add_const
// CHECK: %[[K:.*]] = qlow.const dense<[-128, 127]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.011764705882352941:-128>>
// CHECK: qlow.add %{{.*}}, %[[K]] {name = "add"} {{.*}} -> tensor<2x!quant.uniform<i8:f32, 0.031372549019607843:-32>>
func.func @add_const(%x: tensor<2xf32> {qlow.name = "input"}) -> tensor<2xf32> {
  %k = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %a = qlow.add %x, %k {name = "add"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %a : tensor<2xf32>
}

// -----

// Matmul weights [K, N] are per channel along N; 7-bit weights (AVX2 without
// VNNI) use [-63, 63]; -1 / f32(2/63) = -31.4999981 in f32, so it rounds to
// -31.
// CHECK-LABEL: func @matmul_7bit
// CHECK: qlow.const dense<{{\[\[}}63, -31], [-63, 63]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8<-63:63>:f32:1, {0.015873015873015872,0.031746031746031744}>>
// CHECK: qlow.matmul %{{.*}}, %{{.*}} {name = "fc"} : {{.*}} -> tensor<1x2x!quant.uniform<i8:f32, 0.031372549019607843:-1>>
func.func @matmul_7bit(%x: tensor<1x2xf32> {qlow.name = "input"}) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [-1.0, 2.0]]> : tensor<2x2xf32>
  %y = qlow.matmul %x, %w {name = "fc", qlow.weight_bits = 7 : i64, qlow.precision = "int8"} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Ops marked for float and ops inside float islands are left alone; the
// quantized op feeding them is dequantized for them.
// CHECK-LABEL: func @float_kept
// CHECK: %[[C:.*]] = qlow.conv2d {{.*}} -> tensor<1x2x2x2x!quant.uniform
// CHECK: %[[D:.*]] = qlow.dequantize %[[C]]
// CHECK: qlow.float_island "precision override: f32"
// CHECK-NEXT: qlow.add %[[D]], %[[D]] {{.*}} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
func.func @float_kept(%x: tensor<1x2x2x2xf32> {qlow.name = "input"}) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %i = qlow.float_island "precision override: f32" attributes {name = "add"} : tensor<1x2x2x2xf32> {
    %a = qlow.add %c, %c {name = "add", qlow.precision = "f32"} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    qlow.yield %a : tensor<1x2x2x2xf32>
  }
  return %i : tensor<1x2x2x2xf32>
}

// -----

// An island computing an element-wise function of one 8-bit tensor becomes
// a qlow.lut: entry q + 128 = quantize(sigmoid(dequantize(q))) with the
// input's [-1, 1] and the island's [0, 1] parameters (sigmoid(-0.996) =
// 0.2697 -> 69 - 128 = -59; sigmoid(1.004) = 0.7318 -> 187 - 128 = 59).
// CHECK-LABEL: func @sigmoid_table
// CHECK: %[[X:.*]] = qlow.quantize %arg0
// CHECK-NOT: qlow.float_island
// CHECK: %[[L:.*]] = qlow.lut %[[X]] {name = "sig", table = array<i32: -59, -59, -58, -58, {{.*}}, 57, 58, 58, 59>} : tensor<1x8x!quant.uniform<i8:f32, 0.0078431372549019607:-1>> -> tensor<1x8x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: qlow.dequantize %[[L]]
// AFFINE-LABEL: func @sigmoid_table
// AFFINE: qlow.lut {{.*}} -> tensor<1x8x!quant.uniform<u8:f32, 0.0039215686274509803>>
func.func @sigmoid_table(%x: tensor<1x8xf32> {qlow.name = "input"}) -> tensor<1x8xf32> {
  %i = qlow.float_island "Sigmoid" attributes {name = "sig"} : tensor<1x8xf32> {
    %s = tosa.sigmoid %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  return %i : tensor<1x8xf32>
}

// -----

// A function of two tensors is no table: it stays a float island.
// CHECK-LABEL: func @two_inputs
// CHECK: qlow.float_island "Mul"
// CHECK-NOT: qlow.lut
func.func @two_inputs(%x: tensor<1x8xf32> {qlow.name = "input"}, %y: tensor<1x8xf32> {qlow.name = "input_1"}) -> tensor<1x8xf32> {
  %i = qlow.float_island "Mul" attributes {name = "sig"} : tensor<1x8xf32> {
    %zero = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %s = tosa.mul %x, %y, %zero : (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1xi8>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  return %i : tensor<1x8xf32>
}

// -----

// Kept in float by a precision override: no table.
// CHECK-LABEL: func @sigmoid_override
// CHECK: qlow.float_island "Sigmoid"
// CHECK: tosa.sigmoid
// CHECK-NOT: qlow.lut
func.func @sigmoid_override(%x: tensor<1x8xf32> {qlow.name = "input"}) -> tensor<1x8xf32> {
  %i = qlow.float_island "Sigmoid" attributes {name = "sig", qlow.precision = "f32"} : tensor<1x8xf32> {
    %s = tosa.sigmoid %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  return %i : tensor<1x8xf32>
}
