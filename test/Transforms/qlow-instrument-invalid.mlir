// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-instrument

// expected-error @+1 {{argument #0 has no stable name; run qlow-import first}}
func.func @unnamed_arg(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

func.func @unnamed_result(%x: tensor<4xf32> {qlow.name = "input"}) -> tensor<4xf32> {
  // expected-error @+1 {{result has no stable name; run qlow-import first}}
  %c = qlow.clamp %x {min = 0.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return %c : tensor<4xf32>
}
