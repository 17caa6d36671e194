// RUN: qlow-opt %s -split-input-file --qlow-expose-observations | FileCheck %s

// Each probe becomes an extra result (a copy of its own), in program order,
// named by the function's qlow.observed attribute.
// CHECK-LABEL: func.func @model
// CHECK-SAME: -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK-SAME: attributes {qlow.observed = ["input", "relu"]}
// CHECK-NOT: qlow.observe
// CHECK: %[[C:.*]] = qlow.clamp %arg0
// CHECK: %[[XI:.*]] = linalg.copy ins(%arg0 : tensor<2xf32>)
// CHECK: %[[XC:.*]] = linalg.copy ins(%[[C]] : tensor<2xf32>)
// CHECK: return %[[C]], %[[XI]], %[[XC]]
func.func @model(%x: tensor<2xf32> {qlow.name = "input"}) -> tensor<2xf32> {
  %i = qlow.observe %x "input" : tensor<2xf32>
  %c = qlow.clamp %i {min = 0.0 : f32, name = "relu"} : tensor<2xf32> -> tensor<2xf32>
  %o = qlow.observe %c "relu" : tensor<2xf32>
  return %o : tensor<2xf32>
}

// -----

// A probe inside a float island leaves through the island's results.
// CHECK-LABEL: func.func @island
// CHECK: %[[I:.*]]:2 = qlow.float_island "kept" : tensor<2xf32>, tensor<2xf32>
// CHECK: qlow.yield %{{.*}}, %[[T:.*]] : tensor<2xf32>, tensor<2xf32>
// CHECK: %[[XT:.*]] = linalg.copy ins(%[[I]]#1 : tensor<2xf32>)
// CHECK: return %[[I]]#0, %[[XT]]
func.func @island(%x: tensor<2xf32> {qlow.name = "input"}) -> tensor<2xf32> {
  %r = qlow.float_island "kept" : tensor<2xf32> {
    %t = tosa.tanh %x : (tensor<2xf32>) -> tensor<2xf32>
    %o = qlow.observe %t "t" : tensor<2xf32>
    %u = tosa.tanh %o : (tensor<2xf32>) -> tensor<2xf32>
    qlow.yield %u : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}
