// Execution: the harness's @main around a plain linalg/arith function, lowered
// with upstream passes and run, prints exactly what qlow-reference-eval
// prints for the same function written with qlow ops (one f32 rounding per
// element, so the float results are bit-identical too).
//
// RUN: qlow-opt %s --qlow-test-harness="func=forward seed=7" \
// RUN:   --convert-elementwise-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:   --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:   --finalize-memref-to-llvm --convert-vector-to-llvm --convert-arith-to-llvm \
// RUN:   --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN:   > %t.out
// RUN: qlow-reference-eval %S/Inputs/float-add-mul.mlir --func=forward --seed=7 > %t.ref
// RUN: diff %t.ref %t.out
// RUN: FileCheck %s --match-full-lines < %t.out
//
// Same with another seed and range: the outputs must still agree.
// RUN: qlow-opt %s --qlow-test-harness="func=forward seed=12345 range=3.5" \
// RUN:   --convert-elementwise-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:   --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:   --finalize-memref-to-llvm --convert-vector-to-llvm --convert-arith-to-llvm \
// RUN:   --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN:   > %t2.out
// RUN: qlow-reference-eval %S/Inputs/float-add-mul.mlir --func=forward --seed=12345 --range=3.5 > %t2.ref
// RUN: diff %t2.ref %t2.out
// RUN: count 48 < %t2.out

// 2 * 0.443016291 = 0.886032581 (0x3F62D308), then 2x * x.
// CHECK: 1063441160
// CHECK-NEXT: -1078972760
// CHECK-COUNT-46: {{-?[0-9]+}}
// CHECK-NOT: {{.}}

func.func @forward(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = arith.addf %x, %x : tensor<2x3x4xf32>
  %1 = arith.mulf %0, %x : tensor<2x3x4xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}
