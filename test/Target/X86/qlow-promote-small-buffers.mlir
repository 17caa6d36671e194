// RUN: qlow-opt %s --allow-unregistered-dialect --qlow-promote-small-buffers="max-bytes=1024" | FileCheck %s

// Entry-block allocations become allocas while the budget lasts (512 +
// 256 bytes; the next 512 would exceed 1024); allocations in loops,
// dynamic ones and ones already freed stay on the heap.
// CHECK-LABEL: func.func @temporaries
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<128xf32>
// CHECK: memref.alloca() : memref<256xi8>
// CHECK: memref.alloc() : memref<128xi32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xi8>
// CHECK: memref.alloc() : memref<4xi8>
// CHECK: scf.for
// CHECK:   memref.alloc() : memref<2xi8>
func.func @temporaries(%n: index) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<128xf32>
  %b = memref.alloc() : memref<256xi8>
  %c = memref.alloc() : memref<128xi32>
  %d = memref.alloc(%n) : memref<?xi8>
  %e = memref.alloc() : memref<4xi8>
  memref.dealloc %e : memref<4xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %f = memref.alloc() : memref<2xi8>
    "test.use"(%f) : (memref<2xi8>) -> ()
  }
  "test.use"(%a, %b, %c, %d) : (memref<128xf32>, memref<256xi8>, memref<128xi32>, memref<?xi8>) -> ()
  return
}
