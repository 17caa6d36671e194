// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-verify-integer | FileCheck %s

// Integer arithmetic, with the float math in an island: accepted unchanged.
// CHECK-LABEL: func @ok
// CHECK: arith.muli
func.func @ok(%x: tensor<4xf32>, %y: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %0 = arith.muli %y, %y : tensor<4xi32>
  %1 = qlow.float_island "dequantize at model boundary" : tensor<4xf32> {
    %2 = arith.mulf %x, %x : tensor<4xf32>
    qlow.yield %2 : tensor<4xf32>
  }
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

func.func @float_outside(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{floating-point operation outside a qlow.float_island}}
  %0 = arith.mulf %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @quant_left(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi8> {
  // expected-error @+1 {{a !quant type survived lowering}}
  %0 = quant.scast %x : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  return %0 : tensor<4xi8>
}
