// RUN: qlow-opt %s -split-input-file --qlow-test-harness="func=forward seed=7" | FileCheck %s

// Inputs are testInputValue(7, i, 1.0); f32 results print their bits,
// element by element over the collapsed result.

// CHECK-LABEL: func.func @forward
// CHECK-LABEL: func.func @main()
// CHECK: %[[IN:.*]] = arith.constant dense<{{\[\[}}0.443016291, -0.688211917, 0.748726487], [0.915837407, -0.786739706, 6.769080e-01]]> : tensor<2x3xf32>
// CHECK: %[[R:.*]] = call @forward(%[[IN]]) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: scf.for %[[I:.*]] = %[[C0]] to %[[C6]] step %[[C1]] {
// CHECK-NEXT:   %[[E:.*]] = tensor.extract %[[FLAT]][%[[I]]] : tensor<6xf32>
// CHECK-NEXT:   %[[B:.*]] = arith.bitcast %[[E]] : f32 to i32
// CHECK-NEXT:   vector.print %[[B]] : i32
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @forward(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}

// -----

// Integer inputs are clamp(roundeven(100 * v)); several results print one
// after another; integers narrower than i32 are sign-extended, rank-1 needs
// no collapse and rank 0 no loop; f16 goes through f32. Each argument has
// its own seed (testArgumentSeed), so arguments never share data.

// CHECK-LABEL: func.func @main()
// CHECK-DAG: %[[I8:.*]] = arith.constant dense<[44, -69, 75, 92]> : tensor<4xi8>
// CHECK-DAG: %[[I32:.*]] = arith.constant dense<2> : tensor<i32>
// CHECK-DAG: %[[F16:.*]] = arith.constant dense<[2.227780e-01, 9.370110e-01]> : tensor<2xf16>
// CHECK: %[[R:.*]]:3 = call @forward(%[[I8]], %[[I32]], %[[F16]])
// CHECK: scf.for
// CHECK-NEXT: tensor.extract %[[R]]#0
// CHECK-NEXT: arith.extsi %{{.*}} : i8 to i32
// CHECK-NEXT: vector.print %{{.*}} : i32
// CHECK: %[[S:.*]] = tensor.extract %[[R]]#1[] : tensor<i32>
// CHECK-NEXT: vector.print %[[S]] : i32
// CHECK: scf.for
// CHECK-NEXT: tensor.extract %[[R]]#2
// CHECK-NEXT: %[[X:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK-NEXT: %[[XB:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK-NEXT: vector.print %[[XB]] : i32
func.func @forward(%a: tensor<4xi8>, %b: tensor<i32>, %c: tensor<2xf16>) -> (tensor<4xi8>, tensor<i32>, tensor<2xf16>) {
  return %a, %b, %c : tensor<4xi8>, tensor<i32>, tensor<2xf16>
}
