// RUN: qlow-opt %s -split-input-file --qlow-x86-lower-vectors=isa=avx2 | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: qlow-opt %s -split-input-file --qlow-x86-lower-vectors=isa=avxvnni | FileCheck %s --check-prefixes=CHECK,VNNI
// RUN: qlow-opt %s -split-input-file --qlow-x86-lower-vectors=isa=generic | FileCheck %s --check-prefixes=CHECK,GENERIC

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
memref.global "private" constant @w7 : memref<4x8xi8> = dense<[[1, -64, 3, 4, 5, 6, 7, 64], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [-1, -2, -3, -4, -5, -6, -7, -8]]>

// u8 activations x s8 weights within [-64, 64] (read from a constant):
// vpmaddubsw + vpmaddwd (AVX2) or vpdpbusd (VNNI), one per row; the generic
// ISA has no byte dot product and pairs 16-bit values with SSE2's pmaddwd.
// The constant weights are read from a copy interleaved at compile time,
// [group of 4][output][4]: one 32-byte load per group of 4 products.
// AVX2: memref.global "private" constant @w7_x86dot : memref<1x32xi8> = dense<{{\[}}[1, 1, 1, -1, -64, 2, 2, -2, 3, 3, 3, -3, 4, 4, 4, -4, 5, 5, 5, -5, 6, 6, 6, -6, 7, 7, 7, -7, 64, 8, 8, -8]]>
// CHECK-LABEL: func.func @u8s8
// AVX2: %[[W:.*]] = memref.get_global @w7_x86dot
// AVX2: vector.load %[[W]][%{{.*}}, %{{.*}}] : memref<1x32xi8>, vector<32xi8>
// AVX2-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2-NOT: pmadd.ub.sw
// VNNI-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
// GENERIC-COUNT-4: llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"
// CHECK-NOT: vector.contract
func.func @u8s8(%x: memref<2x4xi8>, %acc: vector<2x8xi32>) -> vector<2x8xi32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0 : i8
  %w = memref.get_global @w7 : memref<4x8xi8>
  %a = vector.transfer_read %x[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x4xi8>, vector<2x4xi8>
  %b = vector.transfer_read %w[%c0, %c0], %pad {in_bounds = [true, true]} : memref<4x8xi8>, vector<4x8xi8>
  %ae = arith.extui %a : vector<2x4xi8> to vector<2x4xi32>
  %be = arith.extsi %b : vector<4x8xi8> to vector<4x8xi32>
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %ae, %be, %acc : vector<2x4xi32>, vector<4x8xi32> into vector<2x8xi32>
  return %r : vector<2x8xi32>
}

// -----

// Weights that may exceed [-64, 64] (not a constant): vpmaddubsw could
// saturate, so AVX2 uses 16-bit pairs (vpmaddwd); VNNI's vpdpbusd is exact.
// CHECK-LABEL: func.func @u8s8_unknown_weights
// AVX2-NOT: pmadd.ub.sw
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @u8s8_unknown_weights(%a: vector<2x4xi8>, %b: vector<4x8xi8>, %acc: vector<2x8xi32>) -> vector<2x8xi32> {
  %ae = arith.extui %a : vector<2x4xi8> to vector<2x4xi32>
  %be = arith.extsi %b : vector<4x8xi8> to vector<4x8xi32>
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %ae, %be, %acc : vector<2x4xi32>, vector<4x8xi32> into vector<2x8xi32>
  return %r : vector<2x8xi32>
}

// -----

// s8 x s8 (no u8 form): 16-bit pairs, outputs padded to whole vectors
// (10 -> 16 lanes: two vpmaddwd per pair of reduction elements).
// CHECK-LABEL: func.func @s8s8
// AVX2-COUNT-4: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// AVX2-NOT: pmadd
// CHECK-NOT: vector.contract
#lhs = affine_map<(n, k) -> (k)>
#rhs = affine_map<(n, k) -> (k, n)>
#acc = affine_map<(n, k) -> (n)>
func.func @s8s8(%a: vector<4xi8>, %b: vector<4x10xi8>, %acc: vector<10xi32>) -> vector<10xi32> {
  %ae = arith.extsi %a : vector<4xi8> to vector<4xi32>
  %be = arith.extsi %b : vector<4x10xi8> to vector<4x10xi32>
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "reduction"], kind = #vector.kind<add>} %ae, %be, %acc : vector<4xi32>, vector<4x10xi32> into vector<10xi32>
  return %r : vector<10xi32>
}

// -----

// Floats: outer products (a broadcast and a multiply-add per row).
// CHECK-LABEL: func.func @f32
// CHECK-NOT: vector.contract
// CHECK: vector.fma
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @f32(%a: vector<2x3xf32>, %b: vector<3x8xf32>, %acc: vector<2x8xf32>) -> vector<2x8xf32> {
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<2x3xf32>, vector<3x8xf32> into vector<2x8xf32>
  return %r : vector<2x8xf32>
}

// -----

// The 32x32->64 product of a requantization, used through its high word:
// even and odd lanes multiplied as i64 (pmuldq) and their high words
// interleaved, instead of widening every lane.
// CHECK-LABEL: func.func @mulhi
// CHECK-NOT: arith.extsi
// CHECK: vector.bitcast %{{.*}} : vector<8xi32> to vector<4xi64>
// CHECK: arith.muli %{{.*}} : vector<4xi64>
// CHECK: arith.muli %{{.*}} : vector<4xi64>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [1, 9, 3, 11, 5, 13, 7, 15] : vector<8xi32>, vector<8xi32>
func.func @mulhi(%x: vector<8xi32>, %m: vector<8xi32>) -> vector<8xi32> {
  %c32 = arith.constant dense<32> : vector<8xi64>
  %xe = arith.extsi %x : vector<8xi32> to vector<8xi64>
  %me = arith.extsi %m : vector<8xi32> to vector<8xi64>
  %p = arith.muli %xe, %me : vector<8xi64>
  %h = arith.shrsi %p, %c32 : vector<8xi64>
  %t = arith.trunci %h : vector<8xi64> to vector<8xi32>
  return %t : vector<8xi32>
}

// -----

// A depthwise convolution's element-wise product of sign-extended bytes:
// vpmaddwd per 8 lanes, the weight row zero-extended to clear the high
// halves (x_lo * w_lo + x_hi * 0 = x * w), before its broadcast. The
// generic ISA keeps the multiply.
// CHECK-LABEL: func.func @narrow_product
// AVX2: %[[W16:.*]] = arith.extsi %{{.*}} : vector<8xi8> to vector<8xi16>
// AVX2: arith.extui %[[W16]] : vector<8xi16> to vector<8xi32>
// AVX2-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// AVX2-NOT: arith.muli
// VNNI-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// GENERIC: arith.muli %{{.*}} : vector<16xi32>
func.func @narrow_product(%a: vector<16xi8>, %b: vector<8xi8>, %acc: vector<16xi32>) -> vector<16xi32> {
  %x = arith.extsi %a : vector<16xi8> to vector<16xi32>
  %w8 = arith.extsi %b : vector<8xi8> to vector<8xi32>
  %w = vector.broadcast %w8 : vector<8xi32> to vector<2x8xi32>
  %wf = vector.shape_cast %w : vector<2x8xi32> to vector<16xi32>
  %p = arith.muli %x, %wf : vector<16xi32>
  %s = arith.addi %acc, %p : vector<16xi32>
  return %s : vector<16xi32>
}

// -----

// A factor that may not fit 16 bits keeps the 32-bit multiply.
// CHECK-LABEL: func.func @wide_product
// CHECK-NOT: pmadd.wd
// CHECK: arith.muli %{{.*}} : vector<8xi32>
func.func @wide_product(%a: vector<8xi8>, %m: vector<8xi32>) -> vector<8xi32> {
  %x = arith.extsi %a : vector<8xi8> to vector<8xi32>
  %p = arith.muli %x, %m : vector<8xi32>
  return %p : vector<8xi32>
}
