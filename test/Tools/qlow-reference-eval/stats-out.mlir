// RUN: qlow-reference-eval %s --func=forward --samples=16 --stats-out=%t.json > /dev/null
// RUN: FileCheck %s < %t.json
// RUN: not qlow-reference-eval %s --func=plain --stats-out=%t2.json 2>&1 | FileCheck %s --check-prefix=NOPROBE
// RUN: not test -e %t2.json

// The probes record the range over all samples: the clamp's range is
// exactly its bounds (16 x 8 uniform inputs in [-1, 1) reach both), the
// constant's range is its own.
// CHECK: "clamped": {
// CHECK-NEXT: "max": 0.25,
// CHECK-NEXT: "min": -0.25
// CHECK: "k": {
// CHECK-NEXT: "max": 1.5,
// CHECK-NEXT: "min": -2
// CHECK: "version": 1
// NOPROBE: error: qlow-reference-eval: --stats-out needs an instrumented function (run qlow-instrument), but no qlow.observe saw a value
func.func @forward(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<2xf32>) {
  %c = qlow.clamp %x {min = -0.25 : f32, max = 0.25 : f32} : tensor<8xf32> -> tensor<8xf32>
  %o = qlow.observe %c "clamped" : tensor<8xf32>
  %k = arith.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %ko = qlow.observe %k "k" : tensor<2xf32>
  return %o, %ko : tensor<8xf32>, tensor<2xf32>
}

func.func @plain(%x: tensor<8xf32>) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}
