#!/usr/bin/env bash
# INT8 vs FP32 latency of qlow's native code for every end-to-end model:
# the bundled MLP, the CNN with depthwise conv and residual add, the digits
# CNN, and a mid-sized 32x32 CNN (benchmarks/gen_bench_cnn.py). Each pair is
# measured in the same process, alone in turns and interleaved
# (benchmarks/bench_x86.sh).
#   benchmarks/bench_models.sh        MCPU=native for the host's features
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
bin="$build/bin"
work="$build/bench"
mkdir -p "$work"

# Statistics: the bundled ones, the digits calibration set through
# qlow-compile, and a float run of the reference evaluator for the mid CNN.
"$bin/qlow-compile" "$root/examples/digits/model.mlir" --no-progress \
  --calibration "$root/examples/digits/calib.npy" --emit=mlir -o "$work/digits"
/usr/bin/python3 "$root/benchmarks/gen_bench_cnn.py" --out "$work" >/dev/null
"$bin/qlow-opt" "$work/bench_cnn.mlir" --qlow-import-pipeline --qlow-instrument \
  -o "$work/bench_cnn.inst.mlir"
"$bin/qlow-reference-eval" "$work/bench_cnn.inst.mlir" --func=bench_cnn \
  --samples=2 --stats-out="$work/bench_cnn.stats.json" >/dev/null

# Median latencies with each model measured alone (in turns, as deployed),
# their ratio, and the ratio when the two are interleaved batch by batch
# (bench_x86.sh prints both; the interleaved one is the same machine load
# for both, but the float code slows the integer code that follows it).
bench() { # model stats func
  "$root/benchmarks/bench_x86.sh" "$1" "$2" "$3" | grep '\.so  *median' |
    awk -v name="$3" '{ for (i = 1; i < NF; ++i) if ($i == "median") m[NR] = $(i + 1) }
      END { printf "%-12s %12.3f %12.3f %8.2fx %12.2fx\n", name, m[3], m[4],
                   m[3] / m[4], m[1] / m[2] }'
}
printf "%-12s %12s %12s %9s %13s   (-mcpu=%s)\n" model "FP32 us" "INT8 us" \
  speedup "interleaved" "${MCPU:-x86-64-v3}"
bench "$root/examples/tosa_mlp.mlir" "$root/examples/tosa_mlp.stats.json" tosa_mlp
bench "$root/examples/tosa_cnn.mlir" "$root/examples/tosa_cnn.stats.json" tosa_cnn
bench "$root/examples/digits/model.mlir" "$work/digits.stats.json" digits
bench "$work/bench_cnn.mlir" "$work/bench_cnn.stats.json" bench_cnn
