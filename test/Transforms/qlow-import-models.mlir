// The small float TOSA models of test/Inputs (scripts/gen_test_models.py)
// import entirely into named qlow ops: no TOSA op and no island remains.
// RUN: qlow-opt %qlow_src_root/examples/tosa_cnn.mlir --qlow-import --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s --check-prefix=CNN
// RUN: qlow-opt %qlow_src_root/examples/tosa_mlp.mlir --qlow-import --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s --check-prefix=MLP
// Both are imported cleanly, without a remark.
// RUN: qlow-opt %qlow_src_root/examples/tosa_cnn.mlir --qlow-import -o /dev/null 2>&1 | count 0
// RUN: qlow-opt %qlow_src_root/examples/tosa_mlp.mlir --qlow-import -o /dev/null 2>&1 | count 0

// CNN-LABEL: func.func @tosa_cnn(
// CNN-SAME: %[[X:.*]]: tensor<1x8x8x3xf32> {qlow.name = "input"}) -> (tensor<1x10xf32> {qlow.name = "logits"})
// CNN-NOT: tosa.
// CNN-NOT: float_island
// CNN-DAG: %[[W1:.*]] = arith.constant {{.*}} : tensor<8x3x3x3xf32>
// CNN-DAG: %[[B1:.*]] = arith.constant {{.*}} : tensor<8xf32>
// CNN: %[[C1:.*]] = qlow.conv2d %[[X]], %[[W1]], %[[B1]] {dilation = array<i64: 1, 1>, name = "conv1", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// CNN: %[[R1:.*]] = qlow.clamp %[[C1]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32, name = "relu1"} : tensor<1x8x8x8xf32> -> tensor<1x8x8x8xf32>
// CNN-DAG: %[[WD:.*]] = arith.constant {{.*}} : tensor<8x3x3x1xf32>
// CNN-DAG: %[[BD:.*]] = arith.constant {{.*}} : tensor<8xf32>
// CNN: %[[D1:.*]] = qlow.conv2d %[[R1]], %[[WD]], %[[BD]] {dilation = array<i64: 1, 1>, groups = 8 : i64, name = "dwconv1", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// CNN: %[[R2:.*]] = qlow.clamp %[[D1]] {min = 0.000000e+00 : f32, name = "relu2"} : tensor<1x8x8x8xf32> -> tensor<1x8x8x8xf32>
// CNN-DAG: %[[W2:.*]] = arith.constant {{.*}} : tensor<8x1x1x8xf32>
// CNN-DAG: %[[B2:.*]] = arith.constant {{.*}} : tensor<8xf32>
// CNN: %[[C2:.*]] = qlow.conv2d %[[R2]], %[[W2]], %[[B2]] {dilation = array<i64: 1, 1>, name = "conv2", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// CNN: %[[A1:.*]] = qlow.add %[[C2]], %[[R1]] {name = "add1"} : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
// CNN: %[[P1:.*]] = qlow.max_pool2d %[[A1]] {kernel = array<i64: 2, 2>, name = "maxpool", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xf32> -> tensor<1x4x4x8xf32>
// CNN: %[[P2:.*]] = qlow.avg_pool2d %[[P1]] {kernel = array<i64: 2, 2>, name = "avgpool", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x4x4x8xf32> -> tensor<1x2x2x8xf32>
// CNN: %[[F:.*]] = qlow.reshape %[[P2]] {name = "flatten"} : tensor<1x2x2x8xf32> -> tensor<1x1x32xf32>
// CNN-DAG: %[[WF:.*]] = arith.constant {{.*}} : tensor<32x10xf32>
// CNN-DAG: %[[BF:.*]] = arith.constant {{.*}} : tensor<10xf32>
// CNN: %[[FC:.*]] = qlow.matmul %[[F]], %[[WF]], %[[BF]] {name = "fc"} : (tensor<1x1x32xf32>, tensor<32x10xf32>, tensor<10xf32>) -> tensor<1x1x10xf32>
// CNN-NOT: qlow.add
// CNN: %[[OUT:.*]] = qlow.reshape %[[FC]] {name = "logits"} : tensor<1x1x10xf32> -> tensor<1x10xf32>
// CNN-NEXT: return %[[OUT]] : tensor<1x10xf32>

// MLP-LABEL: func.func @tosa_mlp(
// MLP-SAME: %[[X:.*]]: tensor<1x16xf32> {qlow.name = "input"}) -> (tensor<1x8xf32> {qlow.name = "logits"})
// MLP-NOT: tosa.
// MLP: %[[F:.*]] = qlow.reshape %[[X]] {name = "flatten"} : tensor<1x16xf32> -> tensor<1x1x16xf32>
// MLP-DAG: %[[W1:.*]] = arith.constant {{.*}} : tensor<16x32xf32>
// MLP-DAG: %[[B1:.*]] = arith.constant {{.*}} : tensor<32xf32>
// MLP: %[[M1:.*]] = qlow.matmul %[[F]], %[[W1]], %[[B1]] {name = "fc1"} : (tensor<1x1x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<1x1x32xf32>
// MLP: %[[R1:.*]] = qlow.clamp %[[M1]] {min = 0.000000e+00 : f32, name = "relu1"} : tensor<1x1x32xf32> -> tensor<1x1x32xf32>
// MLP-DAG: %[[W2:.*]] = arith.constant {{.*}} : tensor<32x8xf32>
// MLP-DAG: %[[B2:.*]] = arith.constant {{.*}} : tensor<8xf32>
// MLP: %[[M2:.*]] = qlow.matmul %[[R1]], %[[W2]], %[[B2]] {name = "fc2"} : (tensor<1x1x32xf32>, tensor<32x8xf32>, tensor<8xf32>) -> tensor<1x1x8xf32>
// MLP-NOT: qlow.add
// MLP: %[[OUT:.*]] = qlow.reshape %[[M2]] {name = "logits"} : tensor<1x1x8xf32> -> tensor<1x8xf32>
// MLP-NEXT: return %[[OUT]] : tensor<1x8xf32>
