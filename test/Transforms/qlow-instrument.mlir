// RUN: qlow-opt %s -split-input-file --qlow-instrument | FileCheck %s
// The pass is idempotent.
// RUN: qlow-opt %s -split-input-file --qlow-instrument --qlow-instrument | FileCheck %s

// Every float activation gets one probe under its stable name: arguments,
// op results and float-island results; weights and constants get none.
// CHECK-LABEL: func @model
// CHECK: %[[I:.*]] = qlow.observe %arg0 "input"
// CHECK: %[[C:.*]] = qlow.conv2d %[[I]], %{{.*}} {{.*}}name = "conv"
// CHECK: %[[CO:.*]] = qlow.observe %[[C]] "conv"
// CHECK: %[[T:.*]] = qlow.float_island "unsupported op 'tosa.tanh'" attributes {name = "tanh"}
// CHECK: tosa.tanh %[[CO]]
// CHECK-NOT: qlow.observe
// CHECK: qlow.yield
// CHECK: %[[TO:.*]] = qlow.observe %[[T]] "tanh"
// CHECK: %[[A:.*]] = qlow.add %[[TO]], %[[CO]] {name = "add"}
// CHECK: %[[AO:.*]] = qlow.observe %[[A]] "add"
// CHECK: return %[[AO]]
func.func @model(%x: tensor<1x2x2x2xf32> {qlow.name = "input"}) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %t = qlow.float_island "unsupported op 'tosa.tanh'" attributes {name = "tanh"} : tensor<1x2x2x2xf32> {
    %h = tosa.tanh %c : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
    qlow.yield %h : tensor<1x2x2x2xf32>
  }
  %a = qlow.add %t, %c {name = "add"} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %a : tensor<1x2x2x2xf32>
}
