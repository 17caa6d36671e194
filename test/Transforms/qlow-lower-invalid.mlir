// RUN: qlow-opt %s --qlow-lower --split-input-file --verify-diagnostics

// A scale ratio of 1e10 >= 2^31 has no fixed-point multiplier.
!qa = !quant.uniform<i8:f32, 1.0e+10>
!qb = !quant.uniform<i8:f32, 1.0>
func.func @impossible_multiplier(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  // expected-error @+1 {{cannot represent the real multiplier 1e+10 (input scale 1e+10 / output scale 1) as a fixed-point multiplier: it must be finite and in (0, 2^31)}}
  %r = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qb>
  return %r : tensor<4x!qb>
}

// -----

!qa = !quant.uniform<i8:f32, 1.0>
!qo = !quant.uniform<i8:f32, 1.0e-20>
func.func @impossible_add(%a: tensor<4x!qa>, %b: tensor<4x!qa>) -> tensor<4x!qo> {
  // expected-error @+1 {{cannot derive the fixed-point multipliers of an add with scales 1, 1 -> 1e-20}}
  %r = qlow.add %a, %b : (tensor<4x!qa>, tensor<4x!qa>) -> tensor<4x!qo>
  return %r : tensor<4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 1.0e+5>
!qo = !quant.uniform<i8:f32, 1.0e-5>
func.func @impossible_mul(%a: tensor<4x!qa>, %b: tensor<4x!qa>) -> tensor<4x!qo> {
  // expected-error @+1 {{cannot represent the real multiplier 1e+15 (lhs scale * rhs scale / output scale)}}
  %r = qlow.mul %a, %b : (tensor<4x!qa>, tensor<4x!qa>) -> tensor<4x!qo>
  return %r : tensor<4x!qo>
}

// -----

// Only the counts that occur need a multiplier: with padding, count 1 (a
// corner of a 2x2 window) gives 1e10.
!qa = !quant.uniform<i8:f32, 4.0e+10>
!qo = !quant.uniform<i8:f32, 1.0>
func.func @impossible_avg_pool(%x: tensor<1x2x2x1x!qa>) -> tensor<1x3x3x1x!qo> {
  // expected-error @+1 {{cannot represent the real multiplier 4e+10 (input scale / (output scale * 1))}}
  %r = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x2x1x!qa> -> tensor<1x3x3x1x!qo>
  return %r : tensor<1x3x3x1x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.1>
func.func @conv_not_folded(%x: tensor<1x4x4x1x!qa>, %w: tensor<1x1x1x1x!qw>) -> tensor<1x4x4x1x!qa> {
  // expected-error @+1 {{quantized convolutions must be rewritten to qlow.int_conv2d + qlow.rescale by qlow-fold before lowering}}
  %r = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1x!qa>, tensor<1x1x1x1x!qw>) -> tensor<1x4x4x1x!qa>
  return %r : tensor<1x4x4x1x!qa>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.1>
func.func @matmul_not_folded(%x: tensor<2x3x!qa>, %w: tensor<3x4x!qw>) -> tensor<2x4x!qa> {
  // expected-error @+1 {{quantized matmuls must be rewritten to qlow.int_matmul + qlow.rescale by qlow-fold before lowering}}
  %r = qlow.matmul %x, %w : (tensor<2x3x!qa>, tensor<3x4x!qw>) -> tensor<2x4x!qa>
  return %r : tensor<2x4x!qa>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{qlow-lower supports static shapes only}}
  %r = qlow.add %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}
