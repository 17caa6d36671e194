// RUN: not qlow-opt %s --qlow-legalize-precision="target=z80" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not qlow-opt %s --qlow-legalize-precision="overrides=conv=f8" 2>&1 | FileCheck %s --check-prefix=PREC
// RUN: not qlow-opt %s --qlow-legalize-precision="overrides=nosuch=f32" 2>&1 | FileCheck %s --check-prefix=NAME

// TARGET: error: unknown target 'z80'; known targets: x86-64-avx2 x86-64-vnni x86-64-avx512-vnni x86-64-avx512-fp16 aarch64 aarch64-dotprod aarch64-i8mm sm_80 sm_90
// PREC: error: invalid precision override 'conv=f8': expected NAME=f32|f16|int8
// NAME: error: precision override names tensor 'nosuch', which the model does not have
func.func @model(%x: tensor<4xf32> {qlow.name = "input"}) -> tensor<4xf32> {
  %c = qlow.clamp %x {min = 0.0 : f32, name = "conv"} : tensor<4xf32> -> tensor<4xf32>
  return %c : tensor<4xf32>
}
