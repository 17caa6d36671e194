func.func @forward() -> tensor<2x!quant.uniform<i8:f32, 1.0>> {
  %q = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 1.0>>
  %r = qlow.requantize %q : tensor<2x!quant.uniform<i8:f32, 1.0>> -> tensor<3x!quant.uniform<i8:f32, 1.0>>
  return %q : tensor<2x!quant.uniform<i8:f32, 1.0>>
}
