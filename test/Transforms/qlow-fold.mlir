// RUN: qlow-opt %s -split-input-file --qlow-fold | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.0078431372549019607:-1>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959,0.001968503937007874}>
!qy = !quant.uniform<i8:f32, 0.0078431372549019607:-128>

// Folded bias per output channel o (sx = 2/255, zx = -1, K = 2):
//   o = 0: round(0.1 / (sx * 1/127)) = 1619; 1619 - zx * (64 - 127) = 1556
//   o = 1: round(-0.2 / (sx * 0.25/127)) = -12954; -12954 - zx * 191 = -12763
// Multipliers sx * sw[o] / sy = 1/127 = 0.50394 * 2^-6 -> 1082196484, shift 37;
// 0.25/127 -> the same mantissa, shift 39. ReLU: clamp from quantize(0) = -128.
// CHECK-LABEL: func @conv
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1556, -12763]> : tensor<2xi32>
// CHECK: %[[X:.*]] = quant.scast %arg0 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>> to tensor<1x2x2x2xi8>
// CHECK: %[[ACC:.*]] = qlow.int_conv2d %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1, 1>, pad_value = -1 : si32, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
// CHECK: %[[R:.*]] = qlow.rescale %[[ACC]] {max = 127 : si32, min = -128 : si32, multiplier = array<i32: 1082196484, 1082196484>, output_zp = -128 : si32, shift = array<i32: 37, 39>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xi8>
// CHECK: %[[Y:.*]] = quant.scast %[[R]] : tensor<1x2x2x2xi8> to tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-128>>
// CHECK: return %[[Y]]
func.func @conv(%x: tensor<1x2x2x2x!qx>) -> tensor<1x2x2x2x!qy> {
  %w = qlow.const dense<[[[[64, -127]]], [[[127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!qw>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32} : (tensor<1x2x2x2x!qx>, tensor<2x1x1x2x!qw>, tensor<2xf32>) -> tensor<1x2x2x2x!qy>
  return %c : tensor<1x2x2x2x!qy>
}

// -----

// u8 input (zero point 128) is read as x - 128 (signed, zero point 0), so
// the pad value is 0; affine weights (zero point 3) keep the row-sum term.
// sum w = 10 + 20 = 30, K = 2: folded bias = 0 - 0 * 30 + 2 * 0 * 3 = 0.
// Multiplier: 0.5 * 0.25 / 0.125 = 1.0 = 0.5 * 2^1 -> 2^30, shift 30.
// CHECK-LABEL: func @unsigned_affine
// CHECK: arith.constant dense<0> : tensor<1xi32>
// CHECK: qlow.int_conv2d {{.*}} {dilation = array<i64: 1, 1>, input_unsigned, pad_value = 0 : si32, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, weight_zp = array<i32: 3>}
// CHECK: qlow.rescale {{.*}} {max = 255 : si32, min = 0 : si32, multiplier = array<i32: 1073741824>, output_zp = 7 : si32, shift = array<i32: 30>}
func.func @unsigned_affine(%x: tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x2x1x!quant.uniform<u8:f32, 0.125:7>> {
  %w = qlow.const dense<[[[[10, 20]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.25:3>>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>>, tensor<1x1x1x2x!quant.uniform<i8:f32, 0.25:3>>) -> tensor<1x4x4x1x!quant.uniform<u8:f32, 0.125:7>>
  %s = qlow.max_pool2d %c {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x1x!quant.uniform<u8:f32, 0.125:7>> -> tensor<1x2x2x1x!quant.uniform<u8:f32, 0.125:7>>
  return %s : tensor<1x2x2x1x!quant.uniform<u8:f32, 0.125:7>>
}

// -----

// Fully connected with a fused ReLU6: the clamp [0, 6] in the output type
// (scale 0.05, zero point -128) is [-128, round(6 / 0.05) - 128 = -8].
// Bias: round(1.0 / (0.1 * 0.01)) = 1000; zx = 2, sum of column 0 = 1 + 3,
// column 1 = 2 - 4: folded [1000 - 2 * 4, 0 - 2 * -2] = [992, 4].
// Multiplier 0.1 * 0.01 / 0.05 = 0.02 = 0.64 * 2^-5: round(0.64 * 2^31) =
// 1374389535, shift 36.
// CHECK-LABEL: func @matmul_relu6
// CHECK-DAG: arith.constant dense<[992, 4]> : tensor<2xi32>
// CHECK: qlow.int_matmul {{.*}} : (tensor<1x2xi8>, tensor<2x2xi8>, tensor<2xi32>) -> tensor<1x2xi32>
// CHECK: qlow.rescale {{.*}} {max = -8 : si32, min = -128 : si32, multiplier = array<i32: 1374389535>, output_zp = -128 : si32, shift = array<i32: 36>}
// CHECK-NOT: qlow.clamp
func.func @matmul_relu6(%x: tensor<1x2x!quant.uniform<i8:f32, 0.1:2>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.05:-128>> {
  %w = qlow.const dense<[[1, 2], [3, -4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>
  %b = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = qlow.matmul %x, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 0.1:2>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.01>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 0.2:-100>>
  %c = qlow.clamp %m {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x!quant.uniform<i8:f32, 0.2:-100>> -> tensor<1x2x!quant.uniform<i8:f32, 0.05:-128>>
  return %c : tensor<1x2x!quant.uniform<i8:f32, 0.05:-128>>
}

// -----

// dequantize -> quantize to the same type vanishes; to another type it is a
// requantize, which becomes a rescale by 0.5 / 0.25 = 2 = 0.5 * 2^2:
// multiplier 2^30, shift 29, between the zero points 1 and -3.
// CHECK-LABEL: func @dq_q
// CHECK: %[[S:.*]] = quant.scast %arg0
// CHECK: %[[R:.*]] = qlow.rescale %[[S]] {input_zp = 1 : si32, max = 127 : si32, min = -128 : si32, multiplier = array<i32: 1073741824>, output_zp = -3 : si32, shift = array<i32: 29>}
// CHECK-NOT: qlow.quantize
// CHECK-NOT: qlow.dequantize
func.func @dq_q(%x: tensor<4x!quant.uniform<i8:f32, 0.5:1>>) -> (tensor<4x!quant.uniform<i8:f32, 0.5:1>>, tensor<4x!quant.uniform<i8:f32, 0.25:-3>>) {
  %d = qlow.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.5:1>> -> tensor<4xf32>
  %same = qlow.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:1>>
  %other = qlow.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
  return %same, %other : tensor<4x!quant.uniform<i8:f32, 0.5:1>>, tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
}

// -----

// A requantize chain through a wider type collapses into one rescale.
// CHECK-LABEL: func @chain
// CHECK-COUNT-1: qlow.rescale
// CHECK-NOT: qlow.rescale
func.func @chain(%x: tensor<4x!quant.uniform<i8:f32, 0.5:0>>) -> tensor<4x!quant.uniform<i8:f32, 0.25:0>> {
  %a = qlow.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.5:0>> -> tensor<4x!quant.uniform<i8:f32, 1.0:0>>
  %b = qlow.requantize %a : tensor<4x!quant.uniform<i8:f32, 1.0:0>> -> tensor<4x!quant.uniform<i8:f32, 0.25:0>>
  return %b : tensor<4x!quant.uniform<i8:f32, 0.25:0>>
}
