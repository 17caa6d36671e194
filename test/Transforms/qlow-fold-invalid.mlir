// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-fold

// sx * sw / sy = 1e4 * 1 / 1e-6 = 1e10 >= 2^31: no int32 multiplier/shift.
func.func @impossible_multiplier(%x: tensor<1x2x!quant.uniform<i8:f32, 10000.0>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.000001>> {
  %w = qlow.const dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 1.0>>
  // expected-error @+1 {{impossible requantization: real multiplier 1.000000e+10}}
  %m = qlow.matmul %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 10000.0>>, tensor<2x2x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.000001>>
  return %m : tensor<1x2x!quant.uniform<i8:f32, 0.000001>>
}

// -----

func.func @impossible_requantize(%x: tensor<4x!quant.uniform<i8:f32, 10000.0>>) -> tensor<4x!quant.uniform<i8:f32, 0.000001>> {
  // expected-error @+1 {{impossible requantization: scale ratio 1.000000e+10 must be in (0, 2^31)}}
  %r = qlow.requantize %x : tensor<4x!quant.uniform<i8:f32, 10000.0>> -> tensor<4x!quant.uniform<i8:f32, 0.000001>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.000001>>
}

// -----

// A bias of 1e4 at a product scale of 1e-6 quantizes to 1e10, beyond int32.
func.func @bias_overflow(%x: tensor<1x2x!quant.uniform<i8:f32, 0.001>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qlow.const dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.001>>
  %b = arith.constant dense<[1.0e4, 0.0]> : tensor<2xf32>
  // expected-error @+1 {{bias of output channel 0 (1.000000e+04) does not fit int32 at scale}}
  %m = qlow.matmul %x, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 0.001>>, tensor<2x2x!quant.uniform<i8:f32, 0.001>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %m : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

func.func @weights_not_constant(%x: tensor<1x2x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  // expected-error @+1 {{quantized weights must be a qlow.const to be folded}}
  %m = qlow.matmul %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %m : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

func.func @bias_not_constant(%x: tensor<1x2x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qlow.const dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  // expected-error @+1 {{the bias must be constant to be folded}}
  %m = qlow.matmul %x, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.1>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %m : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// The bias fits (2147479980), but folding -zx * sum(w) = 128 * 254 pushes
// channel 0 past int32.
func.func @folded_bias_overflow(%x: tensor<1x2x!quant.uniform<i8:f32, 0.001:-128>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qlow.const dense<[[127, 2], [127, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.001>>
  %b = arith.constant dense<[2.14748e3, 0.0]> : tensor<2xf32>
  // expected-error @+1 {{folded bias of output channel 0 overflows int32}}
  %m = qlow.matmul %x, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 0.001:-128>>, tensor<2x2x!quant.uniform<i8:f32, 0.001>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %m : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}
