// RUN: qlow-opt %s -split-input-file --qlow-emit-entry-point="func=model model=net" | FileCheck %s

// One rank-2 f32 input, a rank-0 i8 output and a rank-1 i32 output.
llvm.func @model(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64,
                 %a5: i64, %a6: i64,
                 %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64,
                 %c0: !llvm.ptr, %c1: !llvm.ptr, %c2: i64, %c3: i64, %c4: i64)
    attributes {qlow.interface = {
      inputs = [{name = "x", type = tensor<2x3xf32>}],
      outputs = [{name = "y", type = tensor<i8>}, {name = "z", type = tensor<5xi32>}]}} {
  llvm.return
}

// The model function becomes internal: the entry point is the interface.
// CHECK-LABEL: llvm.func internal @model(

// CHECK-LABEL: llvm.func @qlow_run_net(
// CHECK-SAME: %[[IN:.*]]: !llvm.ptr, %[[OUT:.*]]: !llvm.ptr) -> i32
// CHECK:   %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK:   %[[C1:.*]] = llvm.icmp "eq" %[[IN]], %[[NULL]]
// CHECK:   %[[C2:.*]] = llvm.icmp "eq" %[[OUT]], %[[NULL]]
// CHECK:   %[[ANY:.*]] = llvm.or %[[C1]], %[[C2]]
// CHECK:   llvm.cond_br %[[ANY]], ^[[FAIL:.*]], ^[[LOAD:.*]]
// CHECK: ^[[LOAD]]:
// CHECK:   %[[GX:.*]] = llvm.getelementptr %[[IN]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:   %[[X:.*]] = llvm.load %[[GX]] {alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
// CHECK:   %[[GY:.*]] = llvm.getelementptr %[[OUT]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:   %[[Y:.*]] = llvm.load %[[GY]]
// CHECK:   %[[GZ:.*]] = llvm.getelementptr %[[OUT]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:   %[[Z:.*]] = llvm.load %[[GZ]]
// CHECK:   llvm.cond_br %{{.*}}, ^[[FAIL]], ^[[CALL:.*]]
// CHECK: ^[[CALL]]:
// CHECK-DAG:   %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:   %[[S2:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:   %[[S3:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:   %[[S1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG:   %[[S5:.*]] = llvm.mlir.constant(5 : i64) : i64
// CHECK:   llvm.call @model(%[[X]], %[[X]], %[[ZERO]], %[[S2]], %[[S3]], %{{.*}}, %{{.*}}, %[[Y]], %[[Y]], %[[ZERO]], %[[Z]], %[[Z]], %[[ZERO]], %{{.*}}, %{{.*}})
// CHECK:   %[[OK:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK:   llvm.return %[[OK]] : i32
// CHECK: ^[[FAIL]]:
// CHECK:   %[[ERR:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK:   llvm.return %[[ERR]] : i32

// CHECK: llvm.mlir.global private constant @__qlow_net_inputs_0_name("x\00")
// CHECK: llvm.mlir.global private constant @__qlow_net_inputs_0_shape(dense<[2, 3]> : tensor<2xi64>)
// CHECK: llvm.mlir.global private constant @__qlow_net_inputs() {{.*}} : !llvm.array<1 x struct<(ptr, i32, i32, ptr)>> {
// CHECK:   llvm.mlir.addressof @__qlow_net_inputs_0_name
// CHECK:   llvm.mlir.addressof @__qlow_net_inputs_0_shape
// CHECK:   llvm.mlir.constant(0 : i32) : i32
// CHECK:   llvm.mlir.constant(2 : i32) : i32
// CHECK: llvm.mlir.global private constant @__qlow_net_outputs_0_name("y\00")
// CHECK-NOT: outputs_0_shape
// CHECK: llvm.mlir.global private constant @__qlow_net_outputs_1_name("z\00")
// CHECK: llvm.mlir.global private constant @__qlow_net_outputs_1_shape(dense<5> : tensor<1xi64>)
// CHECK: llvm.mlir.global private constant @__qlow_net_outputs() {{.*}} : !llvm.array<2 x struct<(ptr, i32, i32, ptr)>> {
// i8 is QLOW_DTYPE_I8 = 1, i32 is QLOW_DTYPE_I32 = 3.
// CHECK:   %[[NOSHAPE:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK:   %[[I8:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK:   llvm.insertvalue %[[I8]], %{{.*}}[0, 1]
// CHECK:   %[[RANK0:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK:   llvm.insertvalue %[[RANK0]], %{{.*}}[0, 2]
// CHECK:   llvm.insertvalue %[[NOSHAPE]], %{{.*}}[0, 3]
// CHECK:   %[[I32:.*]] = llvm.mlir.constant(3 : i32) : i32
// CHECK:   llvm.insertvalue %[[I32]], %{{.*}}[1, 1]
// CHECK: llvm.mlir.global private constant @__qlow_net_name("net\00")
// CHECK: llvm.mlir.global external constant @qlow_model_net() {{.*}} : !llvm.struct<(ptr, i32, ptr, i32, ptr, ptr)> {
// CHECK:   llvm.mlir.addressof @__qlow_net_name
// CHECK:   llvm.mlir.constant(1 : i32) : i32
// CHECK:   llvm.mlir.addressof @__qlow_net_inputs
// CHECK:   llvm.mlir.constant(2 : i32) : i32
// CHECK:   llvm.mlir.addressof @__qlow_net_outputs
// CHECK:   llvm.mlir.addressof @qlow_run_net
// CHECK: llvm.mlir.alias weak @qlow_default_model : !llvm.struct<(ptr, i32, ptr, i32, ptr, ptr)> {
// CHECK:   llvm.mlir.addressof @qlow_model_net
