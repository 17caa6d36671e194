// RUN: qlow-opt %s -split-input-file --qlow-record-interface=func=model | FileCheck %s

// Input names from qlow.name (input_<i> without); output names from the
// producer's name or NameLoc (output_<i> without), made unique.
// CHECK-LABEL: func.func @model
// CHECK-SAME: qlow.interface = {inputs = [{name = "x", type = tensor<1x4xf32>}, {name = "input_1", type = tensor<2xi8>}],
// CHECK-SAME: outputs = [{name = "logits", type = tensor<1x4xf32>}, {name = "output_1", type = tensor<2xi8>}, {name = "x_1", type = tensor<1x4xf32>}, {name = "scalar", type = tensor<i32>}]}
func.func @model(%x: tensor<1x4xf32> {qlow.name = "x"}, %y: tensor<2xi8>)
    -> (tensor<1x4xf32>, tensor<2xi8>, tensor<1x4xf32>, tensor<i32>) {
  %0 = arith.addf %x, %x : tensor<1x4xf32> loc("logits")
  %c = arith.constant dense<7> : tensor<i32> loc(fused["scalar", "other"])
  return %0, %y, %x, %c : tensor<1x4xf32>, tensor<2xi8>, tensor<1x4xf32>, tensor<i32>
}

// -----

// Other functions are left alone.
// CHECK-LABEL: func.func @helper
// CHECK-NOT: qlow.interface
func.func @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
// CHECK-LABEL: func.func @model
// CHECK-SAME: qlow.interface = {inputs = [{name = "input_0", type = tensor<4xf32>}], outputs = [{name = "output_0", type = tensor<4xf32>}]}
func.func @model(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
