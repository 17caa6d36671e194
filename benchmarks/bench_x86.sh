#!/usr/bin/env bash
# Compiles a model with qlow's native x86-64 backend twice -- INT8
# (quantized with its statistics) and FP32 (the same model, not quantized) --
# and measures both in the same process, interleaved (qlow-load-model
# --bench): median and minimum latency per run and the INT8/FP32 ratio.
#   benchmarks/bench_x86.sh [MODEL.mlir STATS.json FUNC] [-- qlow-x86-codegen options]
# Environment: QLOW_BUILD_DIR (default build/), SAMPLES (default 300),
# MCPU (default x86-64-v3; "native" for the host CPU), LOWER (extra
# qlow-x86-lower-to-llvm options, e.g. "optimize=false").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
bin="$build/bin"
model="${1:-$root/examples/tosa_cnn.mlir}"
stats="${2:-$root/examples/tosa_cnn.stats.json}"
func="${3:-tosa_cnn}"
samples="${SAMPLES:-300}"
mcpu="${MCPU:-x86-64-v3}"
lower="${LOWER:-}"
out="$build/bench"
mkdir -p "$out"

"$bin/qlow-opt" "$model" --qlow-quantize-to-integer="stats=$stats" \
  --qlow-x86-lower-to-llvm="func=$func model=${func}_int8 cpu=$mcpu $lower" \
  -o "$out/$func.int8.llvm.mlir"
"$bin/qlow-x86-codegen" "$out/$func.int8.llvm.mlir" -mcpu="$mcpu" \
  -o "$out/$func.int8.so"
"$bin/qlow-opt" "$model" --qlow-import-pipeline --qlow-lower \
  --qlow-x86-lower-to-llvm="func=$func model=${func}_fp32 cpu=$mcpu $lower" \
  -o "$out/$func.fp32.llvm.mlir"
"$bin/qlow-x86-codegen" "$out/$func.fp32.llvm.mlir" -mcpu="$mcpu" \
  -o "$out/$func.fp32.so"

echo "== $func, -mcpu=$mcpu, $samples samples each (interleaved)"
"$bin/qlow-load-model" --bench="$samples" "$out/$func.fp32.so" "$out/$func.int8.so"
