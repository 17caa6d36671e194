// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-record-interface=func=model

// expected-error @+1 {{argument #0 has type 'tensor<?x4xf32>'; a compiled model's inputs and outputs must be statically shaped tensors of f32, f16, i8, i32, i64 or bool (i8 marked qlow.bool)}}
func.func @model(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{result #0 has type 'f32'}}
func.func @model(%x: tensor<4xf32>) -> f32 {
  %c = arith.constant 0 : index
  %0 = tensor.extract %x[%c] : tensor<4xf32>
  return %0 : f32
}

// -----

// expected-error @+1 {{argument #0 has type 'tensor<4xi16>'}}
func.func @model(%x: tensor<4xi16>) -> tensor<4xi16> {
  return %x : tensor<4xi16>
}

// -----

// expected-error @+1 {{qlow-record-interface: no func.func @model in the module}}
module {
  func.func @other(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
