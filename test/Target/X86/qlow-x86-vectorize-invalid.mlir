// RUN: qlow-opt %s --qlow-x86-vectorize=accumulators=0 -verify-diagnostics

// A register block needs at least one accumulator.
// expected-error @+1 {{qlow-x86-vectorize: accumulators must be at least 1}}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
