// RUN: not qlow-opt %s -split-input-file --qlow-test-harness="func=forward" 2>&1 | FileCheck %s

// CHECK: error: qlow-test-harness: no function @forward with a body in the module
func.func private @forward(tensor<4xf32>) -> tensor<4xf32>

// -----

// CHECK: error: qlow-test-harness: the module already has a symbol @main
func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @main() {
  return
}

// -----

// CHECK: test-harness-errors.mlir:[[@LINE+1]]:1: error: qlow-test-harness: argument #0 has type 'tensor<?xf32>'; expected a statically shaped tensor of f32, f16, bf16 or signless integers
func.func @forward(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// -----

// CHECK: test-harness-errors.mlir:[[@LINE+1]]:1: error: qlow-test-harness: result #0 has type 'memref<4xf32>'
func.func @forward(%x: tensor<4xf32>) -> memref<4xf32> {
  %m = bufferization.to_buffer %x : tensor<4xf32> to memref<4xf32>
  return %m : memref<4xf32>
}
