// RUN: qlow-opt %s --qlow-import-qdq --split-input-file | FileCheck %s

// DQ -> conv -> Q with dequantized int8 weights and an int32 bias at scale
// sx * sw: one quantized conv, weights as qlow.const, the bias as the float
// value that qlow-fold turns back into the same int32.
!qx = !quant.uniform<u8:f32, 0.02:128>
!qw = !quant.uniform<i8:f32:0, {0.004, 0.002}>
!qb = !quant.uniform<i32:f32:0, {8.0E-5, 4.0E-5}>
!qy = !quant.uniform<u8:f32, 0.05>
// CHECK-LABEL: func.func @conv
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e-01, -2.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[W:.*]] = qlow.const dense<{{.*}}> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {4.000000e-03,2.000000e-03}>>
// CHECK: %[[C:.*]] = qlow.conv2d %[[Q]], %[[W]], %[[B]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK: %[[D:.*]] = qlow.dequantize %[[C]]
// CHECK: return %[[D]]
func.func @conv(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %q = qlow.quantize %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qx>
  %dq = qlow.dequantize %q : tensor<1x2x2x2x!qx> -> tensor<1x2x2x2xf32>
  %wi = arith.constant dense<[[[[1, -2]]], [[[3, 4]]]]> : tensor<2x1x1x2xi8>
  %wq = quant.scast %wi : tensor<2x1x1x2xi8> to tensor<2x1x1x2x!qw>
  %w = qlow.dequantize %wq : tensor<2x1x1x2x!qw> -> tensor<2x1x1x2xf32>
  %bi = arith.constant dense<[1250, -5000]> : tensor<2xi32>
  %bq = quant.scast %bi : tensor<2xi32> to tensor<2x!qb>
  %b = qlow.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %c = qlow.conv2d %dq, %w, %b {dilation = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, name = "conv"} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %cq = qlow.quantize %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qy>
  %r = qlow.dequantize %cq : tensor<1x2x2x2x!qy> -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// A transpose of a dequantized tensor moves before the dequantize; an add
// whose inputs are dequantized and whose result is quantized becomes a
// quantized add.
!q = !quant.uniform<i8:f32, 0.1:-3>
!q2 = !quant.uniform<i8:f32, 0.2:1>
// CHECK-LABEL: func.func @layout_and_add
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK: %[[T:.*]] = qlow.transpose %[[Q]] {{.*}} -> tensor<3x2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK: %[[A:.*]] = qlow.add %[[T]], %[[T]] {{.*}} -> tensor<3x2x!quant.uniform<i8:f32, 2.000000e-01:1>>
// CHECK: qlow.dequantize %[[A]]
func.func @layout_and_add(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %q = qlow.quantize %x : tensor<2x3xf32> -> tensor<2x3x!q>
  %dq = qlow.dequantize %q : tensor<2x3x!q> -> tensor<2x3xf32>
  %t = qlow.transpose %dq {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %a = qlow.add %t, %t : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %aq = qlow.quantize %a : tensor<3x2xf32> -> tensor<3x2x!q2>
  %r = qlow.dequantize %aq : tensor<3x2x!q2> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// A PyTorch QAT export observes no pool: a max pool of a dequantized tensor
// moves before the dequantize (max commutes with it), feeding the quantized
// depthwise conv; an average pool that no quantize follows keeps its input's
// quantization, and the reshape and matmul after it become quantized in
// turn (ops are rewritten in program order).
!qa = !quant.uniform<u8:f32, 0.02>
!qw = !quant.uniform<i8:f32:0, {0.01, 0.02}>
!qm = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.03}>
!qy = !quant.uniform<u8:f32, 0.05:91>
// CHECK-LABEL: func.func @pools
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK: %[[MP:.*]] = qlow.max_pool2d %[[Q]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: %[[C:.*]] = qlow.conv2d %[[MP]], {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: %[[AP:.*]] = qlow.avg_pool2d %[[C]] {{.*}} -> tensor<1x1x1x2x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: %[[R:.*]] = qlow.reshape %[[AP]] {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: %[[M:.*]] = qlow.matmul %[[R]], {{.*}} -> tensor<1x3x!quant.uniform<u8:f32, 5.000000e-02:91>>
// CHECK: %[[D:.*]] = qlow.dequantize %[[M]]
// CHECK: return %[[D]]
// CHECK-NOT: float_island
func.func @pools(%x: tensor<1x4x4x2xf32>) -> tensor<1x3xf32> {
  %q = qlow.quantize %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!qa>
  %dq = qlow.dequantize %q : tensor<1x4x4x2x!qa> -> tensor<1x4x4x2xf32>
  %mp = qlow.max_pool2d %dq {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  %wi = arith.constant dense<[[[[1]]], [[[-2]]]]> : tensor<2x1x1x1xi8>
  %wq = quant.scast %wi : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!qw>
  %w = qlow.dequantize %wq : tensor<2x1x1x1x!qw> -> tensor<2x1x1x1xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %c = qlow.conv2d %mp, %w, %b {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %cq = qlow.quantize %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qa>
  %cdq = qlow.dequantize %cq : tensor<1x2x2x2x!qa> -> tensor<1x2x2x2xf32>
  %ap = qlow.avg_pool2d %cdq {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
  %r = qlow.reshape %ap : tensor<1x1x1x2xf32> -> tensor<1x2xf32>
  %mi = arith.constant dense<[[1, 2, 3], [-4, -5, -6]]> : tensor<2x3xi8>
  %mq = quant.scast %mi : tensor<2x3xi8> to tensor<2x3x!qm>
  %m = qlow.dequantize %mq : tensor<2x3x!qm> -> tensor<2x3xf32>
  %fc = qlow.matmul %r, %m : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  %fq = qlow.quantize %fc : tensor<1x3xf32> -> tensor<1x3x!qy>
  %y = qlow.dequantize %fq : tensor<1x3x!qy> -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// A module without quantized types is not touched.
// CHECK-LABEL: func.func @float_model
// CHECK-NEXT: qlow.add
// CHECK-NOT: float_island
func.func @float_model(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qlow.add %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// DQ -> element-wise float island -> Q (a QDQ model's Sigmoid): a qlow.lut
// from the input's integers straight to the quantize's type. sigmoid(-6.4)
// -> 0, sigmoid(0) = 0.5 -> 128 (steps of 3 near 0), sigmoid(6.35) -> 255 at scale 1/256.
!qx = !quant.uniform<u8:f32, 0.05:128>
!qs = !quant.uniform<u8:f32, 0.00390625>
// CHECK-LABEL: func.func @sigmoid_table
// CHECK: %[[Q:.*]] = qlow.quantize %arg0
// CHECK-NOT: qlow.float_island
// CHECK: %[[L:.*]] = qlow.lut %[[Q]] {name = "sig", table = array<i32: 0, 0, {{.*}}, 122, 125, 128, 131, 134, {{.*}}, 255, 255>} : tensor<1x8x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x8x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: %[[D:.*]] = qlow.dequantize %[[L]]
// CHECK: return %[[D]]
func.func @sigmoid_table(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %q = qlow.quantize %x : tensor<1x8xf32> -> tensor<1x8x!qx>
  %dq = qlow.dequantize %q : tensor<1x8x!qx> -> tensor<1x8xf32>
  %i = qlow.float_island "Sigmoid" attributes {name = "sig"} : tensor<1x8xf32> {
    %s = tosa.sigmoid %dq : (tensor<1x8xf32>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  %sq = qlow.quantize %i : tensor<1x8xf32> -> tensor<1x8x!qs>
  %r = qlow.dequantize %sq : tensor<1x8x!qs> -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

// Quantizes of two different types after the island: no single table; the
// island stays float.
!qx = !quant.uniform<u8:f32, 0.05:128>
!qs = !quant.uniform<u8:f32, 0.00390625>
!qt = !quant.uniform<i8:f32, 0.00390625:-128>
// CHECK-LABEL: func.func @two_result_types
// CHECK: qlow.float_island "Sigmoid"
// CHECK-NOT: qlow.lut
func.func @two_result_types(%x: tensor<1x8xf32>) -> (tensor<1x8xf32>, tensor<1x8xf32>) {
  %q = qlow.quantize %x : tensor<1x8xf32> -> tensor<1x8x!qx>
  %dq = qlow.dequantize %q : tensor<1x8x!qx> -> tensor<1x8xf32>
  %i = qlow.float_island "Sigmoid" attributes {name = "sig"} : tensor<1x8xf32> {
    %s = tosa.sigmoid %dq : (tensor<1x8xf32>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  %sq = qlow.quantize %i : tensor<1x8xf32> -> tensor<1x8x!qs>
  %r = qlow.dequantize %sq : tensor<1x8x!qs> -> tensor<1x8xf32>
  %tq = qlow.quantize %i : tensor<1x8xf32> -> tensor<1x8x!qt>
  %t = qlow.dequantize %tq : tensor<1x8x!qt> -> tensor<1x8xf32>
  return %r, %t : tensor<1x8xf32>, tensor<1x8xf32>
}
