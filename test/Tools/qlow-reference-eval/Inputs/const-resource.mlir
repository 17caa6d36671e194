func.func @forward() -> tensor<3x!quant.uniform<i8:f32, 1.0>> {
  %q = qlow.const dense_resource<blob> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 1.0>>
  return %q : tensor<3x!quant.uniform<i8:f32, 1.0>>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x0100000001FF7F"
    }
  }
#-}
