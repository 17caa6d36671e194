// RUN: qlow-opt %s | FileCheck %s
// RUN: qlow-opt %s | qlow-opt | FileCheck %s
// RUN: qlow-opt %s --mlir-print-op-generic | qlow-opt | FileCheck %s

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qy = !quant.uniform<i8:f32, 0.1:5>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qu = !quant.uniform<u8:f32, 0.02:128>

// CHECK-LABEL: func @float_ops
func.func @float_ops(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>,
                     %b: tensor<2xf32>, %m: tensor<4x2xf32>,
                     %dwf: tensor<2x3x3x1xf32>)
    -> tensor<1x4x2xf32> {
  // CHECK: qlow.observe %{{.*}} "input" : tensor<1x8x8x2xf32>
  %0 = qlow.observe %x "input" : tensor<1x8x8x2xf32>
  // CHECK: qlow.conv2d %{{.*}}, %{{.*}}, %{{.*}} {clamp_min = 0.000000e+00 : f32, dilation = array<i64: 1, 1>, name = "conv", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  %1 = qlow.conv2d %0, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32, name = "conv"} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>) -> tensor<1x8x8x2xf32>
  // CHECK: qlow.conv2d {{.*}}groups = 2
  %dw = qlow.conv2d %1, %dwf {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 2, 2>, groups = 2} : (tensor<1x8x8x2xf32>, tensor<2x3x3x1xf32>) -> tensor<1x4x4x2xf32>
  // CHECK: qlow.max_pool2d
  %2 = qlow.max_pool2d %dw {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  // CHECK: qlow.avg_pool2d
  %3 = qlow.avg_pool2d %2 {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  // CHECK: qlow.add {{.*}} {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32}
  %4 = qlow.add %3, %2 {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  // CHECK: qlow.mul
  %5 = qlow.mul %4, %3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  // CHECK: qlow.global_avg_pool
  %6 = qlow.global_avg_pool %5 : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
  // CHECK: qlow.concat {{.*}} {axis = 3 : i64}
  %7 = qlow.concat %6, %6 {axis = 3 : i64} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x4xf32>
  // CHECK: qlow.clamp {{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
  %8 = qlow.clamp %7 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x1x1x4xf32> -> tensor<1x1x1x4xf32>
  // CHECK: qlow.reshape
  %9 = qlow.reshape %8 : tensor<1x1x1x4xf32> -> tensor<1x4xf32>
  // CHECK: qlow.transpose {{.*}} {permutation = array<i64: 1, 0>}
  %10 = qlow.transpose %m {permutation = array<i64: 1, 0>} : tensor<4x2xf32> -> tensor<2x4xf32>
  %11 = qlow.matmul %9, %m, %b : (tensor<1x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // CHECK: qlow.batch_norm
  %12 = qlow.batch_norm %11, %b, %b, %b, %b {epsilon = 1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // CHECK: qlow.float_island "unsupported op tosa.tanh" attributes {name = "t"} : tensor<1x2xf32> {
  // CHECK:   qlow.yield %{{.*}} : tensor<1x2xf32>
  %13 = qlow.float_island "unsupported op tosa.tanh" attributes {name = "t"} : tensor<1x2xf32> {
    %t = tosa.tanh %12 : (tensor<1x2xf32>) -> tensor<1x2xf32>
    qlow.yield %t : tensor<1x2xf32>
  }
  %14 = qlow.reshape %13 : tensor<1x2xf32> -> tensor<1x1x2xf32>
  // CHECK: qlow.matmul {{.*}} : (tensor<1x4x2xf32>, tensor<1x2x2xf32>) -> tensor<1x4x2xf32>
  %15 = qlow.reshape %10 : tensor<2x4xf32> -> tensor<1x4x2xf32>
  %16 = qlow.reshape %10 : tensor<2x4xf32> -> tensor<1x2x2x2xf32>
  %17 = qlow.reshape %16 : tensor<1x2x2x2xf32> -> tensor<1x2x4xf32>
  %18 = qlow.reshape %17 : tensor<1x2x4xf32> -> tensor<1x2x2x2xf32>
  %19 = qlow.reshape %18 : tensor<1x2x2x2xf32> -> tensor<1x4x2xf32>
  %rhs = qlow.reshape %7 : tensor<1x1x1x4xf32> -> tensor<1x2x2xf32>
  %20 = qlow.matmul %19, %rhs : (tensor<1x4x2xf32>, tensor<1x2x2xf32>) -> tensor<1x4x2xf32>
  return %20 : tensor<1x4x2xf32>
}

// CHECK-LABEL: func @quantized_ops
func.func @quantized_ops(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  // CHECK: qlow.quantize %{{.*}} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %q = qlow.quantize %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!qa>
  // CHECK: qlow.const dense<{{.*}}> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
  %w = qlow.const dense<[[[[1, -2]]], [[[127, -127]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!qw>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %c = qlow.conv2d %q, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32} : (tensor<1x4x4x2x!qa>, tensor<2x1x1x2x!qw>, tensor<2xf32>) -> tensor<1x4x4x2x!qy>
  // CHECK: qlow.requantize %{{.*}} : tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01:5>> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:128>>
  %r = qlow.requantize %c : tensor<1x4x4x2x!qy> -> tensor<1x4x4x2x!qu>
  // CHECK: qlow.dequantize
  %d = qlow.dequantize %r : tensor<1x4x4x2x!qu> -> tensor<1x4x4x2xf32>
  return %d : tensor<1x4x4x2xf32>
}

// CHECK-LABEL: func @integer_form
func.func @integer_form(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>,
                        %a: tensor<3x2xi8>, %m: tensor<2x5xi8>, %mb: tensor<5xi32>) -> (tensor<1x4x4x2xi8>, tensor<3x5xi32>) {
  // CHECK: qlow.int_conv2d {{.*}} {dilation = array<i64: 1, 1>, input_unsigned, pad_value = -3 : si32, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, weight_zp = array<i32: 0, 1>}
  %acc = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = -3 : si32, weight_zp = array<i32: 0, 1>, input_unsigned} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  // CHECK: qlow.rescale {{.*}} {max = 127 : si32, min = -128 : si32, multiplier = array<i32: 1073741824, 1518500250>, output_zp = 5 : si32, shift = array<i32: 38, 40>}
  %y = qlow.rescale %acc {multiplier = array<i32: 1073741824, 1518500250>, shift = array<i32: 38, 40>, output_zp = 5 : si32, min = -128 : si32, max = 127 : si32} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
  // CHECK: qlow.int_matmul
  %mm = qlow.int_matmul %a, %m, %mb : (tensor<3x2xi8>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  return %y, %mm : tensor<1x4x4x2xi8>, tensor<3x5xi32>
}

// CHECK-LABEL: func @selections
func.func @selections(%x: tensor<1x4x6x8x!quant.uniform<i8:f32, 0.5:-3>>, %f: tensor<2x3xf32>) -> (tensor<1x2x6x4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x5xf32>) {
  // CHECK: qlow.slice %{{.*}} {name = "s", offsets = array<i64: 0, 1, 0, 0>, strides = array<i64: 1, 2, 1, 2>}
  %s = qlow.slice %x {offsets = array<i64: 0, 1, 0, 0>, strides = array<i64: 1, 2, 1, 2>, name = "s"} : tensor<1x4x6x8x!quant.uniform<i8:f32, 0.5:-3>> -> tensor<1x2x6x4x!quant.uniform<i8:f32, 0.5:-3>>
  // CHECK: qlow.gather %{{.*}} {axis = 1 : i64, indices = array<i64: 2, 0, 0, 1, 2>}
  %g = qlow.gather %f {axis = 1 : i64, indices = array<i64: 2, 0, 0, 1, 2>} : tensor<2x3xf32> -> tensor<2x5xf32>
  return %s, %g : tensor<1x2x6x4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x5xf32>
}

// CHECK-LABEL: func @lut
func.func @lut(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>> {
  // CHECK: qlow.lut %{{.*}} {name = "act", table = array<i32: -128, -127, {{.*}}, 126, 127>}
  %y = qlow.lut %x {table = array<i32: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>, name = "act"} : tensor<2x3x!quant.uniform<u8:f32, 0.1:128>> -> tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>>
}
