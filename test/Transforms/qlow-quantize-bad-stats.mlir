// Statistics files that cannot be used: each a clear error, non-zero exit.
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/stats-min-gt-max.json 2>&1 | FileCheck %s --check-prefix=MINMAX
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/stats-nan.json 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/stats-inf.json 2>&1 | FileCheck %s --check-prefix=INF
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/stats-empty.json 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/stats-bad-histogram.json 2>&1 | FileCheck %s --check-prefix=HIST
// RUN: not qlow-opt %s --qlow-quantize=stats=%S/Inputs/does-not-exist.json 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qlow-opt %s --qlow-quantize 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not qlow-opt %s --qlow-quantize="stats=%S/Inputs/quantize-stats.json weights=per-row" 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not qlow-opt %s --qlow-quantize="stats=%S/Inputs/quantize-stats.json percentile=30" 2>&1 | FileCheck %s --check-prefix=PCT

// MINMAX: stats-min-gt-max.json: tensor 'input': min 2 is greater than max -1
// NAN: stats-nan.json: invalid JSON: {{.*}}(NaN and Infinity are not valid JSON values)
// INF: stats-inf.json: tensor 'input': 'max' is not finite
// EMPTY: stats-empty.json: 'tensors' is empty: no calibration statistics
// HIST: stats-bad-histogram.json: tensor 'input' histogram: counts must be non-negative integers
// MISSING: does-not-exist.json: cannot read the statistics file
// NOFILE: qlow-quantize needs a statistics file (stats=FILE)
// OPTION: qlow-quantize: weights must be 'per-channel' or 'per-tensor', got 'per-row'
// PCT: qlow-quantize: percentile must be in (50, 100], got 3.000000e+01
func.func @f(%x: tensor<2xf32> {qlow.name = "input"}) -> tensor<2xf32> {
  %c = qlow.clamp %x {min = 0.0 : f32, name = "conv"} : tensor<2xf32> -> tensor<2xf32>
  return %c : tensor<2xf32>
}
