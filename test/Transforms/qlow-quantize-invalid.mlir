// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-quantize=stats=%S/Inputs/quantize-stats.json

func.func @missing_stats(%x: tensor<2xf32> {qlow.name = "input"}) -> tensor<2xf32> {
  // expected-error @+1 {{no calibration statistics for tensor 'not_in_stats'}}
  %c = qlow.clamp %x {min = 0.0 : f32, name = "not_in_stats"} : tensor<2xf32> -> tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

func.func @unnamed_input(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{argument #0 has no stable name (qlow.name); run qlow-import before qlow-quantize}}
  %c = qlow.clamp %x {min = 0.0 : f32, name = "conv"} : tensor<2xf32> -> tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

func.func @activation_matmul(%x: tensor<1x2x2xf32> {qlow.name = "input_0"}, %y: tensor<1x2x2xf32> {qlow.name = "input_1"}) -> tensor<1x2x2xf32> {
  // expected-remark @+1 {{kept in float: matmul of two activations stays float}}
  %m = qlow.matmul %x, %y {name = "fc"} : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  return %m : tensor<1x2x2xf32>
}
