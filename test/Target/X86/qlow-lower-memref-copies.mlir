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

// -----

// A large image into its padded buffer: one transfer pair would be unrolled
// into 50176 row loads and stores. Loops over the leading dimensions leave
// copies of at most 32 rows: image rows in steps of 32 pixels.
// CHECK-LABEL: func.func @padded_image
// CHECK: scf.for %[[H:.*]] = %c0 to %c1
// CHECK: scf.for %[[I:.*]] = %c0 to %c224
// CHECK: scf.for %[[J:.*]] = %c0 to %c224{{.*}} step %c32
// CHECK: %[[SRC:.*]] = memref.subview %{{.*}}[%[[H]], %[[I]], %[[J]], 0] [1, 1, 32, 3] [1, 1, 1, 1]
// CHECK: %[[DST:.*]] = memref.subview %{{.*}}[%[[H]], %[[I]], %[[J]], 0] [1, 1, 32, 3] [1, 1, 1, 1]
// CHECK: %[[V:.*]] = vector.transfer_read %[[SRC]]{{.*}} vector<1x1x32x3xf32>
// CHECK: vector.transfer_write %[[V]], %[[DST]]
// CHECK-NOT: memref.copy
func.func @padded_image(%a: memref<1x224x224x3xf32>, %b: memref<1x226x226x3xf32>) {
  %sv = memref.subview %b[0, 1, 1, 0] [1, 224, 224, 3] [1, 1, 1, 1] : memref<1x226x226x3xf32> to memref<1x224x224x3xf32, strided<[153228, 678, 3, 1], offset: 681>>
  memref.copy %a, %sv : memref<1x224x224x3xf32> to memref<1x224x224x3xf32, strided<[153228, 678, 3, 1], offset: 681>>
  return
}

// -----

// 64 rows: the outer dimension in steps of 2.
// CHECK-LABEL: func.func @rows
// CHECK: scf.for %[[I:.*]] = %c0 to %c4 step %c2
// CHECK-NOT: scf.for
// CHECK: vector.transfer_read {{.*}} vector<2x16x8xi8>
func.func @rows(%a: memref<4x16x8xi8>, %b: memref<4x16x8xi8, strided<[256, 16, 1]>>) {
  memref.copy %a, %b : memref<4x16x8xi8> to memref<4x16x8xi8, strided<[256, 16, 1]>>
  return
}
