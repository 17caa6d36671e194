// RUN: qlow-opt %s -split-input-file --qlow-legalize-precision="target=x86-64-avx2" | FileCheck %s --check-prefix=AVX2
// RUN: qlow-opt %s -split-input-file --qlow-legalize-precision="target=x86-64-avx512-vnni" | FileCheck %s --check-prefix=VNNI
// RUN: qlow-opt %s -split-input-file --qlow-legalize-precision="target=sm_90 overrides=conv=f16,fc=f32" | FileCheck %s --check-prefix=GPU

// Without VNNI, x86 pairs u8 x s8 products in a saturating i16, so weights
// are limited to 7 bits; with VNNI they keep 8.
// AVX2-LABEL: func @model
// AVX2: qlow.conv2d {{.*}}name = "conv", {{.*}}qlow.precision = "int8", qlow.weight_bits = 7 : i64
// AVX2: qlow.reshape {{.*}}name = "flat", qlow.precision = "int8"}
// AVX2: qlow.matmul {{.*}}name = "fc", qlow.precision = "int8", qlow.weight_bits = 7 : i64
// VNNI-LABEL: func @model
// VNNI-NOT: qlow.weight_bits
// VNNI: qlow.conv2d {{.*}}qlow.precision = "int8"

// Overrides by tensor name: f16 on a GPU computes in f16 inside an island;
// f32 stays as is inside an island.
// GPU-LABEL: func @model
// GPU: %[[C:.*]] = qlow.float_island "precision override: f16" attributes {name = "conv"} : tensor<1x4x4x2xf32> {
// GPU-DAG: arith.truncf %arg0 : tensor<1x4x4x2xf32> to tensor<1x4x4x2xf16>
// GPU-DAG: arith.truncf %{{.*}} : tensor<2x3x3x2xf32> to tensor<2x3x3x2xf16>
// GPU: %[[H:.*]] = qlow.conv2d {{.*}} -> tensor<1x4x4x2xf16>
// GPU: %[[E:.*]] = arith.extf %[[H]] : tensor<1x4x4x2xf16> to tensor<1x4x4x2xf32>
// GPU: qlow.yield %[[E]]
// GPU: qlow.reshape %[[C]] {{.*}}qlow.precision = "int8"
// GPU: qlow.float_island "precision override: f32" attributes {name = "fc"}
// GPU-NEXT: qlow.matmul {{.*}}qlow.precision = "f32"{{.*}} -> tensor<1x2xf32>
func.func @model(%x: tensor<1x4x4x2xf32> {qlow.name = "input"}) -> tensor<1x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3x3x2xf32>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x4x4x2xf32>, tensor<2x3x3x2xf32>) -> tensor<1x4x4x2xf32>
  %r = qlow.reshape %c {name = "flat"} : tensor<1x4x4x2xf32> -> tensor<1x32xf32>
  %m = arith.constant dense<0.25> : tensor<32x2xf32>
  %y = qlow.matmul %r, %m {name = "fc"} : (tensor<1x32xf32>, tensor<32x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
