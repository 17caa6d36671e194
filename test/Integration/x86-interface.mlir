// The runtime.h interface of a natively compiled model with two inputs and
// two outputs of different element types: the descriptor, NULL checks, and
// a C program built against the generated header (with and without
// <qlow/runtime.h> before it) that links the shared library and checks every
// output element.

// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: qlow-opt %s --qlow-x86-lower-to-llvm="func=two model=two_io" -o %t.dir/model.mlir
// RUN: qlow-x86-codegen %t.dir/model.mlir -o %t.dir/libtwo_io.so
// RUN: qlow-x86-codegen %t.dir/model.mlir --emit=header --func=two --model=two_io -o %t.dir/two_io.h
// RUN: qlow-load-model %t.dir/libtwo_io.so --info | FileCheck %s
// RUN: qlow-load-model %t.dir/libtwo_io.so --model=two_io --check-null-arguments | FileCheck %s --check-prefix=NULL
// RUN: %clang -std=c99 -Wall -Wextra -pedantic -Werror -I%t.dir -I%qlow_src_root/runtime/include \
// RUN:   %S/Inputs/x86-use-two-io.c -L%t.dir -ltwo_io -Wl,-rpath,%t.dir -o %t.dir/use && %t.dir/use
// RUN: %clang -std=c99 -Wall -Wextra -pedantic -Werror -DINCLUDE_RUNTIME_FIRST -I%t.dir \
// RUN:   -I%qlow_src_root/runtime/include %S/Inputs/x86-use-two-io.c -L%t.dir -ltwo_io \
// RUN:   -Wl,-rpath,%t.dir -o %t.dir/use2 && %t.dir/use2
// Only libc's allocator is needed at run time (no MLIR runtime library).
// RUN: llvm-nm -D --undefined-only %t.dir/libtwo_io.so | FileCheck %s --check-prefix=UNDEF

// CHECK: model two_io
// CHECK-NEXT: input 0 a f32 [2,3]
// CHECK-NEXT: input 1 b i8 [3]
// CHECK-NEXT: output 0 scaled f32 [2,3]
// CHECK-NEXT: output 1 output_1 i32 [3]
// NULL: null arguments rejected
// UNDEF-NOT: {{ U (_mlir|memrefCopy)}}

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id1 = affine_map<(d0) -> (d0)>
func.func @two(%a: tensor<2x3xf32> {qlow.name = "a"}, %b: tensor<3xi8> {qlow.name = "b"})
    -> (tensor<2x3xf32>, tensor<3xi32>) {
  %e0 = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<2x3xf32>) outs(%e0 : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c2 = arith.constant 2.0 : f32
    %c1 = arith.constant 1.0 : f32
    %m = arith.mulf %x, %c2 : f32
    %r = arith.addf %m, %c1 : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32> loc("scaled")
  %e1 = tensor.empty() : tensor<3xi32>
  %1 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%b : tensor<3xi8>) outs(%e1 : tensor<3xi32>) {
  ^bb0(%x: i8, %o: i32):
    %c3 = arith.constant -3 : i32
    %w = arith.extsi %x : i8 to i32
    %r = arith.muli %w, %c3 : i32
    linalg.yield %r : i32
  } -> tensor<3xi32>
  return %0, %1 : tensor<2x3xf32>, tensor<3xi32>
}
