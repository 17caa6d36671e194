// RUN: qlow-opt %s -verify-diagnostics --qlow-fold-batch-norm

func.func @negative_variance(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qlow.matmul %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %v = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  // expected-error @+1 {{variance + epsilon of channel 1 is not positive}}
  %z = qlow.batch_norm %y, %p, %p, %p, %v {epsilon = 0.5 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}

// The error makes the pass fail: a non-zero exit, not just a message.
// RUN: not qlow-opt %s --qlow-fold-batch-norm 2>&1 | FileCheck %s --check-prefix=EXIT
// EXIT: error: variance + epsilon of channel 1 is not positive
