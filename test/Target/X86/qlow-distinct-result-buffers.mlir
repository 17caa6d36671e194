// RUN: qlow-opt %s --qlow-distinct-result-buffers | FileCheck %s

// An argument, a view and a repeated buffer get fresh copies; a fresh
// allocation returned once stays.
// CHECK-LABEL: func.func @results
// CHECK: %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[A]]
// CHECK: %[[C0:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.copy %arg0, %[[C0]]
// CHECK: %[[C1:.*]] = memref.alloc() : memref<1x4xf32>
// CHECK: memref.copy %[[V]], %[[C1]]
// CHECK: %[[C2:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.copy %[[A]], %[[C2]]
// CHECK: return %[[A]], %[[C0]], %[[C1]], %[[C2]]
func.func @results(%arg0: memref<4xf32>) -> (memref<4xf32>, memref<4xf32>, memref<1x4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [1, 4] : memref<4xf32> into memref<1x4xf32>
  return %a, %arg0, %v, %a : memref<4xf32>, memref<4xf32>, memref<1x4xf32>, memref<4xf32>
}
