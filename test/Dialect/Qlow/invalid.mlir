// RUN: qlow-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the qlow verifiers (QlowOps.cpp) and of
// verifyQuantType (QuantUtils.cpp), in source order.

//===----------------------------------------------------------------------===//
// Quantized types (verifyQuantType, through verifyQuantTypes)
//===----------------------------------------------------------------------===//

func.func @unsupported_quant_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.quantize' op result #0: unsupported quantized type '!quant.any<i8:f32>' (expected !quant.uniform per tensor or per axis)}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

// The upstream parser rejects non-positive and infinite scales, but a NaN
// (spelled as a hex double) gets through it.
func.func @nan_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{result #0: quantization scale must be positive and finite, got nan}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0x7FF8000000000000>>
  return
}

// -----

func.func @nan_scale_per_axis(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{result #0: quantization scale must be positive and finite, got nan}}
  %0 = qlow.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0x7FF8000000000000}>>
  return
}

// -----

func.func @zero_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.0>>
  return
}

// -----

func.func @negative_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{scale -1.000000e+00 out of expressed type range}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, -1.0>>
  return
}

// -----

func.func @i8_zero_point_out_of_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.quantize' op result #0: zero point 200 is outside the storage range [-128, 127]}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1:200>>
  return
}

// -----

func.func @u8_zero_point_out_of_range(%x: tensor<4x!quant.uniform<u8:f32, 0.1:-3>>) {
  // expected-error @+1 {{'qlow.dequantize' op operand #0: zero point -3 is outside the storage range [0, 255]}}
  %0 = qlow.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:-3>> -> tensor<4xf32>
  return
}

// -----

func.func @narrow_range_zero_point(%x: tensor<4xf32>) {
  // expected-error @+1 {{zero point -128 is outside the storage range [-127, 127]}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1:-128>>
  return
}

// -----

func.func @per_axis_dimension_out_of_range(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{result #0: quantized dimension 2 is out of range for a tensor of rank 2}}
  %0 = qlow.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:2, {0.1, 0.2}>>
  return
}

// -----

func.func @per_axis_scale_count(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{result #0: per-axis quantization has 2 scales but dimension 1 has size 3}}
  %0 = qlow.quantize %x : tensor<4x3xf32> -> tensor<4x3x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shared helpers (activation kinds, arrays, ranks, clamps, windows)
//===----------------------------------------------------------------------===//

func.func @mixed_quantized_float(%a: tensor<2x2x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{'qlow.add' op mixes quantized and float activations: operand 'tensor<2x2x!quant.uniform<i8:f32, 1.000000e-01>>' with result 'tensor<2x2xf32>' (insert qlow.quantize or qlow.dequantize)}}
  %0 = qlow.add %a, %b : (tensor<2x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @mixed_quantized_float_pool(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.avg_pool2d' op mixes quantized and float activations}}
  %0 = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @integer_activations(%a: tensor<2x2xi32>) {
  // expected-error @+1 {{'qlow.add' op expects float or quantized tensors, got 'tensor<2x2xi32>'}}
  %0 = qlow.add %a, %a : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
  return
}

// -----

func.func @float_element_type_mismatch(%a: tensor<2x2xf16>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{'qlow.add' op float operand 'tensor<2x2xf16>' and result 'tensor<2x2xf32>' must have the same element type}}
  %0 = qlow.add %a, %b : (tensor<2x2xf16>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @strides_count(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects 'strides' to have 2 values, got 3}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @dilation_zero(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects 'dilation' values >= 1, got 0}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 0, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @negative_padding(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.max_pool2d' op expects 'padding' values >= 0, got -1}}
  %0 = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, -1, 0, 0>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects input of rank 4, got 'tensor<8x8x2xf32>'}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @clamp_min_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.clamp' op clamp minimum is NaN}}
  %0 = qlow.clamp %x {min = 0x7FC00000 : f32, max = 6.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @clamp_max_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.clamp' op clamp maximum is NaN}}
  %0 = qlow.clamp %x {max = 0x7FC00000 : f32} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @clamp_min_greater_than_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.clamp' op clamp minimum 6.000000e+00 is greater than maximum 0.000000e+00}}
  %0 = qlow.clamp %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @fused_clamp_min_greater_than_max(%a: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.add' op clamp minimum 1.000000e+00 is greater than maximum -1.000000e+00}}
  %0 = qlow.add %a, %a {clamp_min = 1.0 : f32, clamp_max = -1.0 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @pool_window_larger_than_input(%x: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{'qlow.avg_pool2d' op window is larger than the padded input}}
  %0 = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x1xf32> -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @conv_result_batch(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op result batch is 2, expected 1}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<2x6x6x2xf32>
  return
}

// -----

func.func @conv_result_height(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op result height is 8, expected 6}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x8x8x2xf32>
  return
}

// -----

func.func @conv_result_width(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op result width is 4, expected 3}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x3x4x2xf32>
  return
}

// -----

func.func @conv_result_channels(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op result channels is 3, expected 2}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Observe / quantize / dequantize / requantize / const
//===----------------------------------------------------------------------===//

func.func @observe_quantized(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.observe' op observes float tensors only, got 'tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = qlow.observe %x "t" : tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @observe_empty_name(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.observe' op needs a non-empty tensor name}}
  %0 = qlow.observe %x "" : tensor<4xf32>
  return
}

// -----

func.func @quantize_non_float_input(%x: tensor<4xi8>) {
  // expected-error @+1 {{'qlow.quantize' op expects a float input, got 'tensor<4xi8>'}}
  %0 = qlow.quantize %x : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @quantize_quantized_input(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.quantize' op expects a float input, got 'tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = qlow.quantize %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.quantize' op expects a quantized result, got 'tensor<4xf16>'}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.quantize' op input and result shapes differ}}
  %0 = qlow.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @dequantize_float_input(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.dequantize' op expects a quantized input, got 'tensor<4xf32>'}}
  %0 = qlow.dequantize %x : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @dequantize_to_non_float(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.dequantize' op expects a float result, got 'tensor<4xi8>'}}
  %0 = qlow.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xi8>
  return
}

// -----

func.func @dequantize_shape(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.dequantize' op input and result shapes differ}}
  %0 = qlow.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<2x2xf32>
  return
}

// -----

func.func @requantize_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.requantize' op expects quantized input and result}}
  %0 = qlow.requantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @requantize_shape(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.requantize' op input and result shapes differ}}
  %0 = qlow.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<3x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @const_float_result() {
  // expected-error @+1 {{'qlow.const' op expects a quantized result type, got 'tensor<2xf32>'}}
  %0 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2xf32>
  return
}

// -----

func.func @const_shape() {
  // expected-error @+1 {{'qlow.const' op value shape 'tensor<2xi8>' does not match result 'tensor<1x2x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<1x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @const_wide_storage_value() {
  // expected-error @+1 {{'qlow.const' op value must hold storage integers (i8 for 8-bit storage), got 'i16'}}
  %0 = qlow.const dense<[1, 2]> : tensor<2xi16> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @const_narrow_storage_value() {
  // expected-error @+1 {{'qlow.const' op value must hold storage integers (i8 for 8-bit storage), got 'i4'}}
  %0 = qlow.const dense<[1, 2]> : tensor<2xi4> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @const_float_value() {
  // expected-error @+1 {{'qlow.const' op value must hold storage integers (i8 for 8-bit storage), got 'f32'}}
  %0 = qlow.const dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @const_i4_out_of_range() {
  // expected-error @+1 {{'qlow.const' op value 8 is outside the storage range [-8, 7]}}
  %0 = qlow.const dense<[1, 8]> : tensor<2xi8> -> tensor<2x!quant.uniform<i4:f32, 0.1>>
  return
}

// -----

func.func @const_narrow_range_out_of_range() {
  // expected-error @+1 {{'qlow.const' op value -128 is outside the storage range [-127, 127]}}
  %0 = qlow.const dense<[-128, 127]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.1>>
  return
}

// -----

func.func @const_quant_type() {
  // expected-error @+1 {{'qlow.const' op result #0: zero point 300 is outside the storage range [0, 255]}}
  %0 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<u8:f32, 0.1:300>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv2d / matmul
//===----------------------------------------------------------------------===//

func.func @bias_rank(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>, %b: tensor<1x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects a rank-1 bias, got 'tensor<1x2xf32>'}}
  %0 = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>, tensor<1x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @bias_not_float(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects a float bias, got 'tensor<2xi32>'}}
  %0 = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>, tensor<2xi32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op bias size is 3, expected 2}}
  %0 = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>, tensor<3xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @quantized_conv_float_weights(%x: tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op quantized activations need quantized weights, got 'tensor<2x3x3x2xf32>'}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @conv_weights_per_axis_wrong_dim(%x: tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x3x3x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qlow.conv2d' op weights may be per-axis only on the output channel dimension 0, got dimension 3}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x3x3x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>>) -> tensor<1x6x6x2x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @conv_filter_rank(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects filter of rank 4, got 'tensor<2x3x3xf32>'}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @conv_result_rank(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects result of rank 4, got 'tensor<6x6x2xf32>'}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<6x6x2xf32>
  return
}

// -----

func.func @conv_groups_zero(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op expects groups >= 1, got 0}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 0} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @conv_input_channels_vs_groups(%x: tensor<1x8x8x3xf32>, %w: tensor<2x3x3x1xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op input channels 3 are not divisible by groups 2}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2} : (tensor<1x8x8x3xf32>, tensor<2x3x3x1xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @conv_output_channels_vs_groups(%x: tensor<1x8x8x2xf32>, %w: tensor<3x3x3x1xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op output channels 3 are not divisible by groups 2}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2} : (tensor<1x8x8x2xf32>, tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

func.func @conv_filter_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<4x3x3x4xf32>) {
  // expected-error @+1 {{'qlow.conv2d' op filter input channels is 4, expected 2}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 2} : (tensor<1x8x8x4xf32>, tensor<4x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_per_axis_result(%x: tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x3x3x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.conv2d' op expects per-tensor quantized input and result}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x3x3x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>>
  return
}

// -----

func.func @float_conv_quantized_weights(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.conv2d' op float convolution needs float weights, got 'tensor<2x3x3x2x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @matmul_lhs_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op expects lhs of rank 2 or 3, got 'tensor<4xf32>'}}
  %0 = qlow.matmul %a, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @matmul_rhs_rank(%a: tensor<3x4xf32>, %b: tensor<1x4x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op expects rhs of rank 2 or of the lhs rank, got 'tensor<1x4x2xf32>'}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<1x4x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_result_rank(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op expects a result of rank 2, got 'tensor<1x3x2xf32>'}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x2xf32>
  return
}

// -----

func.func @matmul_k_mismatch(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op rhs reduction size is 5, expected 4}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_result_rows(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op result rows is 4, expected 3}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @matmul_result_columns(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'qlow.matmul' op result columns is 3, expected 2}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @matmul_result_batch(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'qlow.matmul' op result batch is 1, expected 2}}
  %0 = qlow.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<1x3x5xf32>
  return
}

// -----

func.func @matmul_rhs_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{'qlow.matmul' op rhs batch is 3, expected 2}}
  %0 = qlow.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @matmul_bias_size(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %bias: tensor<3xf32>) {
  // expected-error @+1 {{'qlow.matmul' op bias size is 3, expected 2}}
  %0 = qlow.matmul %a, %b, %bias : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_mixed(%a: tensor<3x4xf32>, %b: tensor<4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.matmul' op mixes quantized and float activations}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @matmul_per_axis_lhs(%a: tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>, %b: tensor<4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.matmul' op expects per-tensor quantized lhs and result}}
  %0 = qlow.matmul %a, %b : (tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>, tensor<4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @matmul_weights_per_axis_wrong_dim(%a: tensor<3x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3, 0.4}>>) {
  // expected-error @+1 {{'qlow.matmul' op weights may be per-axis only on the output channel dimension 1, got dimension 0}}
  %0 = qlow.matmul %a, %b : (tensor<3x4x!quant.uniform<i8:f32, 0.1>>, tensor<4x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3, 0.4}>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @float_matmul_quantized_rhs(%a: tensor<3x4xf32>, %b: tensor<4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.matmul' op float matmul needs a float rhs, got 'tensor<4x2x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = qlow.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<3x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// add / mul
//===----------------------------------------------------------------------===//

func.func @add_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qlow.add' op expects operands and result of equal rank}}
  %0 = qlow.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'qlow.add' op operand shapes 'tensor<2x3xf32>' and 'tensor<2x4xf32>' do not broadcast (dimension 1)}}
  %0 = qlow.add %a, %b : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @mul_result_dimension(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) {
  // expected-error @+1 {{'qlow.mul' op result dimension 1 is 1, expected 3}}
  %0 = qlow.mul %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @add_per_axis(%a: tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.add' op expects per-tensor quantized operands}}
  %0 = qlow.add %a, %b : (tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>, tensor<2x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @mul_clamp(%a: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.mul' op clamp maximum is NaN}}
  %0 = qlow.mul %a, %a {clamp_max = 0x7FC00000 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

func.func @pool_input_rank(%x: tensor<4x4x2xf32>) {
  // expected-error @+1 {{'qlow.max_pool2d' op expects input of rank 4, got 'tensor<4x4x2xf32>'}}
  %0 = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<4x4x2xf32> -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.max_pool2d' op expects 'kernel' to have 2 values, got 1}}
  %0 = qlow.max_pool2d %x {kernel = array<i64: 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @pool_kernel_zero(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.avg_pool2d' op expects 'kernel' values >= 1, got 0}}
  %0 = qlow.avg_pool2d %x {kernel = array<i64: 0, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @pool_padding_not_smaller_than_kernel(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.max_pool2d' op padding must be smaller than the kernel}}
  %0 = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x4x4x2xf32> -> tensor<1x5x3x2xf32>
  return
}

// -----

func.func @pool_per_axis(%x: tensor<1x4x4x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qlow.avg_pool2d' op expects per-tensor quantized tensors}}
  %0 = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @max_pool_changes_quantization(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.max_pool2d' op quantized max pool must keep its input's quantization, got 'tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01>>' -> 'tensor<1x2x2x2x!quant.uniform<i8:f32, 2.000000e-01:3>>'}}
  %0 = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.2:3>>
  return
}

// -----

func.func @global_avg_pool_rank(%x: tensor<4x4x2xf32>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op expects input of rank 4, got 'tensor<4x4x2xf32>'}}
  %0 = qlow.global_avg_pool %x : tensor<4x4x2xf32> -> tensor<1x1x1x2xf32>
  return
}

// -----

func.func @global_avg_pool_batch(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op result batch is 2, expected 1}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<2x1x1x2xf32>
  return
}

// -----

func.func @global_avg_pool_height(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op result height is 4, expected 1}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @global_avg_pool_width(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op result width is 2, expected 1}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @global_avg_pool_channels(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op result channels is 3, expected 2}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

func.func @global_avg_pool_per_axis(%x: tensor<1x4x4x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op expects per-tensor quantized tensors}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2x!quant.uniform<i8:f32:3, {0.1, 0.2}>> -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @global_avg_pool_mixed(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.global_avg_pool' op mixes quantized and float activations}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x1x1x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// concat / clamp / reshape / transpose / batch_norm
//===----------------------------------------------------------------------===//

func.func @concat_no_inputs() {
  // expected-error @+1 {{'qlow.concat' op needs at least one input}}
  %0 = qlow.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<1x2xf32>) {
  // expected-error @+1 {{'qlow.concat' op axis 2 is out of range for rank 2}}
  %0 = qlow.concat %a, %a {axis = 2 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_negative_axis(%a: tensor<1x2xf32>) {
  // expected-error @+1 {{'qlow.concat' op axis -1 is out of range for rank 2}}
  %0 = qlow.concat %a, %a {axis = -1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_input_rank(%a: tensor<1x2xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.concat' op expects inputs of rank 2, got 'tensor<2xf32>'}}
  %0 = qlow.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_input_dims(%a: tensor<1x2xf32>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{'qlow.concat' op input dimension 0 is 2, expected 1}}
  %0 = qlow.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_per_axis(%a: tensor<1x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qlow.concat' op expects per-tensor quantized inputs}}
  %0 = qlow.concat %a, %a {axis = 0 : i64} : (tensor<1x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>, tensor<1x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @concat_result_size(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>) {
  // expected-error @+1 {{'qlow.concat' op result concatenated dimension is 4, expected 5}}
  %0 = qlow.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @concat_mixed(%a: tensor<1x2xf32>, %b: tensor<1x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.concat' op mixes quantized and float activations}}
  %0 = qlow.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @clamp_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.clamp' op input and result shapes differ}}
  %0 = qlow.clamp %x {min = 0.0 : f32} : tensor<4xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @clamp_per_axis(%x: tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qlow.clamp' op expects per-tensor quantized tensors}}
  %0 = qlow.clamp %x {min = 0.0 : f32} : tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @clamp_mixed(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.clamp' op mixes quantized and float activations}}
  %0 = qlow.clamp %x {min = 0.0 : f32} : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.reshape' op must keep the element type, got 'tensor<4xf32>' -> 'tensor<2x2xf16>'}}
  %0 = qlow.reshape %x : tensor<4xf32> -> tensor<2x2xf16>
  return
}

// -----

func.func @reshape_quantization(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qlow.reshape' op must keep the element type}}
  %0 = qlow.reshape %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<2x2x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @transpose_per_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // expected-error @+1 {{'qlow.transpose' op expects a per-tensor quantized or float input}}
  %0 = qlow.transpose %x {permutation = array<i64: 0, 1>} : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return
}

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.reshape' op cannot reshape 6 elements into 'tensor<4x2xf32>'}}
  %0 = qlow.reshape %x : tensor<2x3xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @transpose_permutation_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.transpose' op permutation must have one entry per dimension}}
  %0 = qlow.transpose %x {permutation = array<i64: 1, 0, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.transpose' op permutation must have one entry per dimension}}
  %0 = qlow.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2x1xf32>
  return
}

// -----

func.func @transpose_repeated_entry(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.transpose' op permutation is not a permutation of [0, 2)}}
  %0 = qlow.transpose %x {permutation = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_entry_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.transpose' op permutation is not a permutation of [0, 2)}}
  %0 = qlow.transpose %x {permutation = array<i64: 2, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qlow.transpose' op result dimension 0 is 2, expected 3}}
  %0 = qlow.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @batch_norm_quantized(%x: tensor<1x2x!quant.uniform<i8:f32, 0.1>>, %p: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op is float only (fold it before quantizing)}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x!quant.uniform<i8:f32, 0.1>>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @batch_norm_rank0(%x: tensor<f32>, %p: tensor<1xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op expects a ranked input with a channel axis}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<f32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x2xf32>, %p: tensor<2xf32>, %q: tensor<1x2xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op expects rank-1 float parameters, got 'tensor<1x2xf32>'}}
  %0 = qlow.batch_norm %x, %p, %p, %q, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm_param_type(%x: tensor<1x2xf32>, %p: tensor<2xf32>, %q: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.batch_norm' op expects rank-1 float parameters, got 'tensor<2xi32>'}}
  %0 = qlow.batch_norm %x, %q, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x2xf32>, %p: tensor<2xf32>, %q: tensor<3xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op parameter size is 3, expected 2}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %q {epsilon = 1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<1x2xf32>, %p: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op expects a non-negative epsilon}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm_nan_epsilon(%x: tensor<1x2xf32>, %p: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op expects a non-negative epsilon}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %p {epsilon = 0x7FC00000 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm_result_type(%x: tensor<1x2xf32>, %p: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.batch_norm' op result type must equal the input type}}
  %0 = qlow.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// float_island
//===----------------------------------------------------------------------===//

func.func @float_island_no_reason(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qlow.float_island' op needs a reason}}
  %0 = qlow.float_island "" : tensor<2xf32> {
    qlow.yield %x : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @float_island_yield_type(%x: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+1 {{'qlow.float_island' op yields 'tensor<2xf16>' but returns 'tensor<2xf32>'}}
  %0 = qlow.float_island "kept in float" : tensor<2xf32> {
    qlow.yield %x : tensor<2xf16>
  }
  return %0 : tensor<2xf32>
}

// -----

func.func @float_island_yield_count(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qlow.float_island' op yields 'tensor<2xf32>' but returns}}
  qlow.float_island "kept in float" {
    qlow.yield %x : tensor<2xf32>
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// int_conv2d / int_matmul / rescale
//===----------------------------------------------------------------------===//

func.func @int_conv_input_rank(%x: tensor<4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects input of rank 4, got 'tensor<4x4x2xi8>'}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_wide_input(%x: tensor<1x4x4x2xi16>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects input of at most i8 elements, got 'tensor<1x4x4x2xi16>'}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi16>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_wide_filter(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi32>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects filter of at most i8 elements, got 'tensor<2x1x1x2xi32>'}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi32>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_accumulator(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects an i32 accumulator result}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi16>
  return
}

// -----

func.func @int_conv_groups(%x: tensor<1x4x4x3xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op channels do not match groups 1}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x3xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_pad_value(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op pad value 200 does not fit the signed i8 input}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 200 : si32} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_result_height(%x: tensor<1x4x4x2xi8>, %w: tensor<2x3x3x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op result height is 4, expected 2}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_bias_type(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi8>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects an i32 bias of rank 1, got 'tensor<2xi8>'}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi8>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_bias_size(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op bias size is 3, expected 2}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<3xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_weight_zp_count(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op expects 0 or 2 weight zero points, got 3}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32, weight_zp = array<i32: 0, 1, 2>} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_conv_weight_zp_range(%x: tensor<1x4x4x2xi8>, %w: tensor<2x1x1x2xi8>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'qlow.int_conv2d' op weight zero point 128 does not fit i8}}
  %0 = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32, weight_zp = array<i32: 0, 128>} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
  return
}

// -----

func.func @int_matmul_wide_lhs(%a: tensor<3x2xi16>, %b: tensor<2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op expects lhs of at most i8 elements, got 'tensor<3x2xi16>'}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi16>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @int_matmul_ranks(%a: tensor<3x2xi8>, %b: tensor<1x2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op expects lhs [M,K] or [B,M,K], rhs [K,N] and a result of the lhs rank}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi8>, tensor<1x2x5xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @int_matmul_accumulator(%a: tensor<3x2xi8>, %b: tensor<2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op expects an i32 accumulator result}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi8>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<3x5xi8>
  return
}

// -----

func.func @int_matmul_k_mismatch(%a: tensor<3x2xi8>, %b: tensor<4x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op rhs reduction size is 4, expected 2}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi8>, tensor<4x5xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @int_matmul_result_rows(%a: tensor<2x3x2xi8>, %b: tensor<2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op result rows is 4, expected 3}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<2x3x2xi8>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<2x4x5xi32>
  return
}

// -----

func.func @int_matmul_result_columns(%a: tensor<3x2xi8>, %b: tensor<2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op result columns is 4, expected 5}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi8>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<3x4xi32>
  return
}

// -----

func.func @int_matmul_bias_size(%a: tensor<3x2xi8>, %b: tensor<2x5xi8>, %bias: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op bias size is 4, expected 5}}
  %0 = qlow.int_matmul %a, %b, %bias : (tensor<3x2xi8>, tensor<2x5xi8>, tensor<4xi32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @int_matmul_weight_zp_count(%a: tensor<3x2xi8>, %b: tensor<2x5xi8>, %bias: tensor<5xi32>) {
  // expected-error @+1 {{'qlow.int_matmul' op expects 0 or 5 weight zero points, got 2}}
  %0 = qlow.int_matmul %a, %b, %bias {weight_zp = array<i32: 1, 2>} : (tensor<3x2xi8>, tensor<2x5xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  return
}

// -----

func.func @rescale_wide_input(%x: tensor<4xi64>) {
  // expected-error @+1 {{'qlow.rescale' op expects input of at most i32 elements, got 'tensor<4xi64>'}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi64> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_wide_result(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op expects result of at most i32 elements, got 'tensor<4xi64>'}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi64>
  return
}

// -----

func.func @rescale_shape(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op input and result shapes differ}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<5xi8>
  return
}

// -----

func.func @rescale_multiplier_shift_count(%x: tensor<1x2xi32>) {
  // expected-error @+1 {{'qlow.rescale' op expects as many multipliers as shifts, at least one}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<1x2xi32> -> tensor<1x2xi8>
  return
}

// -----

func.func @rescale_no_multiplier(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op expects as many multipliers as shifts, at least one}}
  %0 = qlow.rescale %x {multiplier = array<i32>, shift = array<i32>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_negative_multiplier(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op multiplier -1 is negative}}
  %0 = qlow.rescale %x {multiplier = array<i32: -1>, shift = array<i32: 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_shift_too_large(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op shift 63 is outside [0, 62]}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 63>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_negative_shift(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op shift -1 is outside [0, 62]}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -1>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_axis_out_of_range(%x: tensor<1x2xi32>) {
  // expected-error @+1 {{'qlow.rescale' op per-channel parameters need a dimension; axis 2 is out of range for rank 2}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 30, 30>, axis = 2 : si64, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<1x2xi32> -> tensor<1x2xi8>
  return
}

// -----

func.func @rescale_per_channel_count(%x: tensor<1x3xi32>) {
  // expected-error @+1 {{'qlow.rescale' op per-channel dimension is 3, expected 2}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 30, 30>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<1x3xi32> -> tensor<1x3xi8>
  return
}

// -----

func.func @rescale_min_greater_than_max(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op min 10 is greater than max 5}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = 10 : si32, max = 5 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_clamp_below_result_type(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op clamp range [-129, 127] does not fit i8}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -129 : si32, max = 127 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @rescale_clamp_above_result_type(%x: tensor<4xi32>) {
  // expected-error @+1 {{'qlow.rescale' op clamp range [0, 256] does not fit i8}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = 0 : si32, max = 256 : si32} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

// Regressions: inputs that once crashed a verifier.
func.func @float_in_quantized_out(%x: tensor<1x4x4x2xf32>) {
  // expected-error @+1 {{mixes quantized and float activations}}
  %0 = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @float_in_quantized_out_clamp(%x: tensor<4xf32>) {
  // expected-error @+1 {{mixes quantized and float activations}}
  %0 = qlow.clamp %x {min = 0.0 : f32} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @float_and_quantized_add(%a: tensor<2x2xf32>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{mixes quantized and float activations}}
  %0 = qlow.add %a, %b : (tensor<2x2xf32>, tensor<2x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @rescale_rank0_per_channel(%x: tensor<i32>) {
  // expected-error @+1 {{per-channel parameters need a dimension; axis -1 is out of range for rank 0}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1, 2>, shift = array<i32: 1, 2>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<i32> -> tensor<i8>
  return
}

// -----

func.func @rescale_negative_axis(%x: tensor<2xi32>) {
  // expected-error @+1 {{axis must be -1 (last) or a dimension, got -7}}
  %0 = qlow.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 1>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32, axis = -7 : si64} : tensor<2xi32> -> tensor<2xi8>
  return
}

// -----

func.func @const_not_dense() {
  // expected-error @+1 {{value must be a dense integer attribute}}
  %0 = qlow.const dense_resource<blob1> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}
{-#
  dialect_resources: {
    builtin: {
      blob1: "0x080000000102"
    }
  }
#-}

// -----

func.func @dynamic_filter(%x: tensor<1x4x4x3xf32>, %w: tensor<?x3x3x1xf32>) {
  // expected-error @+1 {{expects a static filter shape}}
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 3} : (tensor<1x4x4x3xf32>, tensor<?x3x3x1xf32>) -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @slice_rank(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.slice' op offsets, strides and the result must have one entry per input dimension}}
  %0 = qlow.slice %x {offsets = array<i64: 0>, strides = array<i64: 1, 1>} : tensor<4x6xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @slice_stride(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.slice' op stride 0 of dimension 1 is not positive}}
  %0 = qlow.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 0>} : tensor<4x6xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.slice' op dimension 1 (size 6) has no elements 2 + i*2 for i < 3}}
  %0 = qlow.slice %x {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>} : tensor<4x6xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @slice_type(%x: tensor<4x6x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qlow.slice' op must keep the element type}}
  %0 = qlow.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 1>} : tensor<4x6x!quant.uniform<i8:f32, 0.5>> -> tensor<4x3x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

func.func @gather_axis(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.gather' op axis 2 is out of range for rank 2}}
  %0 = qlow.gather %x {axis = 2 : i64, indices = array<i64: 0>} : tensor<4x6xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @gather_count(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.gather' op result dimension 1 is 6, expected 2}}
  %0 = qlow.gather %x {axis = 1 : i64, indices = array<i64: 0, 5>} : tensor<4x6xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @gather_index(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.gather' op index 6 is out of range for a dimension of size 6}}
  %0 = qlow.gather %x {axis = 1 : i64, indices = array<i64: 0, 6>} : tensor<4x6xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_empty(%x: tensor<4x6xf32>) {
  // expected-error @+1 {{'qlow.gather' op needs at least one index}}
  %0 = qlow.gather %x {axis = 1 : i64, indices = array<i64>} : tensor<4x6xf32> -> tensor<4x0xf32>
  return
}

// -----

func.func @lut_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qlow.lut' op expects per-tensor quantized 8-bit input and result}}
  %0 = qlow.lut %x {table = array<i32: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @lut_wide(%x: tensor<4x!quant.uniform<i16:f32, 0.5>>) {
  // expected-error @+1 {{'qlow.lut' op expects per-tensor quantized 8-bit input and result}}
  %0 = qlow.lut %x {table = array<i32: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : tensor<4x!quant.uniform<i16:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @lut_shape(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qlow.lut' op must keep the shape}}
  %0 = qlow.lut %x {table = array<i32: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @lut_short(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qlow.lut' op table has 3 entries; the input's storage range has 256}}
  %0 = qlow.lut %x {table = array<i32: 1, 2, 3>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @lut_range(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qlow.lut' op table entry 200 is outside the result's storage range [-128, 127]}}
  %0 = qlow.lut %x {table = array<i32: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}
