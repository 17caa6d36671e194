// RUN: qlow-opt %s --qlow-quantize="stats=%S/Inputs/quantize-stats.json percentile=99.5" | FileCheck %s
// RUN: qlow-opt %s --qlow-quantize="stats=%S/Inputs/quantize-stats.json" | FileCheck %s --check-prefix=MINMAX

// The histogram of "hist" (40 bins of width 5 over [-100, 100]) has one
// outlier at each end and the rest in the bins [-5, 0) and [0, 5); clipping
// 0.5% of the mass drops the outliers, so the range becomes [-5, 5] (scale
// 10/255) instead of [-100, 100] (200/255).
// CHECK-LABEL: func @percentile
// CHECK: qlow.clamp {{.*}} -> tensor<4x!quant.uniform<i8:f32, 0.039215686274509803:-1>>
// MINMAX: qlow.clamp {{.*}} -> tensor<4x!quant.uniform<i8:f32, 0.78431372549019607:-1>>
func.func @percentile(%x: tensor<4xf32> {qlow.name = "input"}) -> tensor<4xf32> {
  %c = qlow.clamp %x {min = -100.0 : f32, name = "hist"} : tensor<4xf32> -> tensor<4xf32>
  return %c : tensor<4xf32>
}
