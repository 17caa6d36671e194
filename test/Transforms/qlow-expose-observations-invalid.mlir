// RUN: not qlow-opt %s --qlow-expose-observations 2>&1 | FileCheck %s
// RUN: not qlow-opt %s --qlow-expose-observations=func=nope 2>&1 | FileCheck %s --check-prefix=NONE
// CHECK: error: qlow-expose-observations: several functions; choose one with func=NAME
// NONE: error: qlow-expose-observations: no function @nope
func.func @a(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @b(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
