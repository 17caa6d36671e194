// RUN: qlow-opt %s --qlow-x86-lower-to-llvm="func=net model=tiny" | FileCheck %s --check-prefixes=CHECK,OPT
// RUN: qlow-opt %s --qlow-x86-lower-to-llvm="func=net model=tiny optimize=false" | FileCheck %s --check-prefixes=CHECK,LOOPS
// Register blocks hold half the vector registers in accumulators: 8 of
// AVX2's 16, 16 of AVX-512's 32.
// RUN: qlow-opt %s --qlow-x86-lower-to-llvm="func=net cpu=haswell" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=REGS16
// RUN: qlow-opt %s --qlow-x86-lower-to-llvm="func=net cpu=skylake-avx512" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=REGS32
// REGS16: qlow-x86-vectorize{accumulators=8 isa=avx2
// REGS32: qlow-x86-vectorize{accumulators=16 isa=avx2

// Tensors in, the LLVM dialect out: the model function takes its result as an
// out-parameter descriptor, is internal, frees its temporaries, and the
// entry point and descriptor are there. Nothing but LLVM dialect remains.
// Optimized, the squares are fused into the reduction (a loop over the
// reduced dimension accumulating 4-lane vectors, no
// temporary); as plain loops they are a temporary buffer, allocated and
// freed through MLIR's generic functions (the per-thread cache
// runtime/lib/alloc.c that code generation links in).
// CHECK-NOT: func.func
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func internal @net(
// CHECK-SAME: qlow.interface
// LOOPS: llvm.call @_mlir_memref_to_llvm_alloc
// LOOPS: llvm.call @_mlir_memref_to_llvm_free
// OPT-NOT: llvm.call @_mlir_memref_to_llvm_alloc
// OPT: llvm.fmul %{{.*}} : vector<4xf32>
// OPT-NOT: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT: llvm.call @malloc
// CHECK-LABEL: llvm.func @qlow_run_tiny(
// CHECK: llvm.call @net(
// CHECK: llvm.mlir.global external constant @qlow_model_tiny()
// CHECK: llvm.mlir.alias weak @qlow_default_model
// CHECK-NOT: func.func
// CHECK-NOT: linalg.
#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @net(%x: tensor<4x8xf32> {qlow.name = "x"}) -> tensor<4xf32> {
  // A temporary (the squares) and a reduction into the result.
  %e = tensor.empty() : tensor<4x8xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<4xf32>
  %init = linalg.fill ins(%z : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
