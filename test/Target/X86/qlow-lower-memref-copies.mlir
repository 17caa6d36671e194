// RUN: qlow-opt %s -split-input-file --qlow-lower-memref-copies | FileCheck %s

// A copy into a strided subview would call MLIR's runtime `memrefCopy`:
// static shapes become a vector transfer pair, contiguous copies stay
// (llvm.memcpy later).
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<4x5xf32>, %[[C:.*]]: memref<2x3xf32>)
// CHECK: %[[SV:.*]] = memref.subview %[[B]]
// CHECK: %[[V:.*]] = vector.transfer_read %[[A]]{{.*}} : memref<2x3xf32>, vector<2x3xf32>
// CHECK: vector.transfer_write %[[V]], %[[SV]]{{.*}} : vector<2x3xf32>, memref<2x3xf32, strided<[5, 1], offset: 6>>
// CHECK-NOT: memref.copy %[[A]], %[[SV]]
// CHECK: memref.copy %[[A]], %[[C]] : memref<2x3xf32> to memref<2x3xf32>
func.func @copies(%a: memref<2x3xf32>, %b: memref<4x5xf32>, %c: memref<2x3xf32>) {
  %sv = memref.subview %b[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %a, %sv : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %a, %c : memref<2x3xf32> to memref<2x3xf32>
  return
}

// -----

// Dynamic shapes: linalg.copy (loops later).
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.copy ins(%{{.*}} : memref<?xf32>) outs(%{{.*}} : memref<?xf32, strided<[2]>>)
// CHECK-NOT: memref.copy
func.func @dynamic(%a: memref<?xf32>, %b: memref<?xf32, strided<[2]>>) {
  memref.copy %a, %b : memref<?xf32> to memref<?xf32, strided<[2]>>
  return
}
