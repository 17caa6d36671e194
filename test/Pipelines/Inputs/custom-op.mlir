func.func @net(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %0 = tosa.custom %x {domain_name = "acme", implementation_attrs = "", operator_name = "frobnicate"} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
