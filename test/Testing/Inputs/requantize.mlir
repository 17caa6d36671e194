// The qlow form of harness-exec-int.mlir's @forward, for qlow-reference-eval:
// a quantized argument is fed the harness's i8 inputs as its storage values.
func.func @forward(%x: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x8x!quant.uniform<i8:f32, 1.0:5>> {
  %0 = qlow.requantize %x : tensor<4x8x!quant.uniform<i8:f32, 0.5>> -> tensor<4x8x!quant.uniform<i8:f32, 1.0:5>>
  return %0 : tensor<4x8x!quant.uniform<i8:f32, 1.0:5>>
}
