#!/usr/bin/env bash
# INT8 vs FP32 with qlow's native x86-64 backend, measured in one process.
#
# For each model: compiles it twice -- INT8 (quantized with its statistics)
# and FP32 (the same model, not quantized) -- through
# --qlow-x86-lower-to-llvm and qlow-x86-codegen, then measures both in the
# same process, interleaved (qlow-load-model --bench: batches of runs timed
# in turn) and each alone in turns (--rounds), and prints median and minimum
# latency per run and INT8/FP32 for both.
#
#   benchmarks/bench_x86.sh                      # tosa_cnn, and bench_cnn
#   benchmarks/bench_x86.sh MODEL.mlir STATS.json FUNC
#
# Environment: QLOW_BUILD_DIR (default build/), SAMPLES (default 300),
# MCPU (default x86-64-v3, i.e. AVX2; "native" for the host CPU), LOWER
# (extra qlow-x86-lower-to-llvm options, e.g. "optimize=false").
# bench_cnn (32x32x3 input, 32-64 channels) is generated with python3 by
# benchmarks/gen_bench_cnn.py, its statistics by qlow-reference-eval; it is
# skipped when python3 is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
bin="$build/bin"
samples="${SAMPLES:-300}"
mcpu="${MCPU:-x86-64-v3}"
lower="${LOWER:-}"
out="$build/bench"
mkdir -p "$out"

bench() {
  local model="$1" stats="$2" func="$3"
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

  # Twice: interleaved (batches of ~200 us in turn: both models see the
  # same load), and each model alone in 10 blocks in turn (as deployed: the
  # float code running just before slowed the integer code down by 7% on
  # the development machine; qlow-load-model --rounds).
  echo "== $func, -mcpu=$mcpu, $samples samples each (interleaved)"
  "$bin/qlow-load-model" --bench="$samples" "$out/$func.fp32.so" \
    "$out/$func.int8.so" | tee "$out/$func.bench.txt"
  echo "== $func, -mcpu=$mcpu, $samples samples each (alone, 10 rounds)"
  "$bin/qlow-load-model" --bench="$samples" --rounds=10 "$out/$func.fp32.so" \
    "$out/$func.int8.so" | tee -a "$out/$func.bench.txt"
  awk '{ for (i = 1; i < NF; ++i) if ($i == "median") m[NR] = $(i + 1) }
       function verdict(r) { return r < 1 ? "INT8 faster" : "INT8 slower" }
       END { printf "INT8/FP32 median latency: %.3f interleaved (%s), %.3f alone (%s)\n",
             m[2] / m[1], verdict(m[2] / m[1]), m[4] / m[3], verdict(m[4] / m[3]) }' \
    "$out/$func.bench.txt"
}

if [ $# -ge 3 ]; then
  bench "$1" "$2" "$3"
  exit 0
fi

bench "$root/examples/tosa_cnn.mlir" "$root/examples/tosa_cnn.stats.json" \
  tosa_cnn
if command -v python3 >/dev/null; then
  if [ ! -s "$out/bench_cnn.stats.json" ]; then
    python3 "$root/benchmarks/gen_bench_cnn.py" --out "$out"
    "$bin/qlow-opt" "$out/bench_cnn.mlir" --qlow-import-pipeline \
      --qlow-instrument -o "$out/bench_cnn.inst.mlir"
    "$bin/qlow-reference-eval" "$out/bench_cnn.inst.mlir" --func=bench_cnn \
      --samples=8 --stats-out="$out/bench_cnn.stats.json" >/dev/null
  fi
  SAMPLES="${SAMPLES:-100}" bench "$out/bench_cnn.mlir" \
    "$out/bench_cnn.stats.json" bench_cnn
else
  echo "(python3 not found: bench_cnn skipped)"
fi
