func.func @net(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // a missing operand type
  %0 = tosa.add %x, %x : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
