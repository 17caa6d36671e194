// Execution on integers: a requantize 0.5 -> 1.0 (zero point 5) spelled out
// in arith as the integer spec defines it (multiplier {2^30, 31}: a 64-bit
// product, + 2^30, arithmetic shift right by 31, + 5, clamp), run through the
// harness, prints exactly what qlow-reference-eval prints for qlow.requantize
// on the same i8 inputs. Half the inputs are odd, so half the results are
// ties, which round up.
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
// RUN: qlow-reference-eval %S/Inputs/requantize.mlir --func=forward --seed=7 > %t.ref
// RUN: diff %t.ref %t.out
// RUN: FileCheck %s --match-full-lines < %t.out

// Inputs 44 -69 75 92 -> 22 -34.5 37.5 46 -> 22 -34 38 46 -> + 5.
// CHECK: 27
// CHECK-NEXT: -29
// CHECK-NEXT: 43
// CHECK-NEXT: 51
// CHECK-COUNT-28: {{-?[0-9]+}}
// CHECK-NOT: {{.}}

func.func @forward(%x: tensor<4x8xi8>) -> tensor<4x8xi8> {
  %m = arith.constant dense<1073741824> : tensor<4x8xi64>
  %round = arith.constant dense<1073741824> : tensor<4x8xi64>
  %shift = arith.constant dense<31> : tensor<4x8xi64>
  %zp = arith.constant dense<5> : tensor<4x8xi64>
  %lo = arith.constant dense<-128> : tensor<4x8xi64>
  %hi = arith.constant dense<127> : tensor<4x8xi64>
  %0 = arith.extsi %x : tensor<4x8xi8> to tensor<4x8xi64>
  %1 = arith.muli %0, %m : tensor<4x8xi64>
  %2 = arith.addi %1, %round : tensor<4x8xi64>
  %3 = arith.shrsi %2, %shift : tensor<4x8xi64>
  %4 = arith.addi %3, %zp : tensor<4x8xi64>
  %5 = arith.maxsi %4, %lo : tensor<4x8xi64>
  %6 = arith.minsi %5, %hi : tensor<4x8xi64>
  %7 = arith.trunci %6 : tensor<4x8xi64> to tensor<4x8xi8>
  return %7 : tensor<4x8xi8>
}
