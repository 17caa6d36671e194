// RUN: qlow-opt %s --qlow-inline-float-islands --split-input-file | FileCheck %s

// The body moves in front of the island; its results become the yielded
// values.

// CHECK-LABEL: func.func @inline
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: qlow.float_island
// CHECK: %[[A:.*]] = arith.addf %[[X]], %[[X]] : tensor<4xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[A]], %[[X]] : tensor<4xf32>
// CHECK-NOT: qlow.yield
// CHECK: return %[[M]], %[[X]]
func.func @inline(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = qlow.float_island "unsupported op" : tensor<4xf32>, tensor<4xf32> {
    %a = arith.addf %x, %x : tensor<4xf32>
    %m = arith.mulf %a, %x : tensor<4xf32>
    qlow.yield %m, %x : tensor<4xf32>, tensor<4xf32>
  }
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Nested islands and islands without results dissolve too; order is kept.

// CHECK-LABEL: func.func @nested
// CHECK-NOT: qlow.
// CHECK: %[[C:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[A:.*]] = arith.addf %{{.*}}, %[[C]] : f32
// CHECK: %[[B:.*]] = arith.mulf %[[A]], %[[A]] : f32
// CHECK: return %[[B]]
func.func @nested(%x: f32) -> f32 {
  qlow.float_island "empty" {
    qlow.yield
  }
  %r = qlow.float_island "outer" : f32 {
    %c = arith.constant 1.0 : f32
    %i = qlow.float_island "inner" : f32 {
      %a = arith.addf %x, %c : f32
      qlow.yield %a : f32
    }
    %b = arith.mulf %i, %i : f32
    qlow.yield %b : f32
  }
  return %r : f32
}
