// Constants held in dense resources (as importers write large weights).
// RUN: qlow-reference-eval %s --func=forward --float-format=decimal | FileCheck %s --match-full-lines

// CHECK: 1
// CHECK-NEXT: 2
// CHECK-NEXT: 1
// CHECK-NEXT: -1
// CHECK-NEXT: 127
// CHECK-NOT: {{.}}
func.func @forward() -> (tensor<2xf32>, tensor<3xi8>) {
  %c = arith.constant dense_resource<blob_f32> : tensor<2xf32>
  %q = arith.constant dense_resource<blob_i8> : tensor<3xi8>
  return %c, %q : tensor<2xf32>, tensor<3xi8>
}
{-#
  dialect_resources: {
    builtin: {
      blob_f32: "0x040000000000803F00000040",
      blob_i8: "0x0100000001FF7F"
    }
  }
#-}
