#!/usr/bin/env bash
# qlow against ONNX Runtime on real models: torchvision's resnet18 and
# mobilenet_v2 (scripts/export_torchvision.py), batch 1, one thread, four
# ways each, measured in one run:
#   qlow INT8   qlow-compile --calibration (qlow-run --bench)
#   qlow FP32   qlow-compile --precision fp32
#   ORT INT8    the QDQ model scripts/make_qdq_onnx.py builds with qlow's
#               ranges, graph optimization "all" (QLinearConv, QGemm, ...)
#   ORT FP32    the exported model, graph optimization "all"
# ONNX Runtime is onnxruntime-node (tools/ort/ort-run.js, CPU EP, intra- and
# inter-op threads 1); qlow's compiled code is single-threaded. The four are
# run in turn, ROUNDS times; each cell is the median over the rounds of the
# per-round median latency (RUNS timed runs after WARMUP untimed ones);
# a second table gives the fastest round of each, the least disturbed by other
# load on a shared machine.
#
#   benchmarks/bench_ort.sh
#
# Environment: QLOW_BUILD_DIR (default build/; the tools are its bin/ unless
# QLOW_BIN names another directory), WORK (default $QLOW_BUILD_DIR/bench/ort:
# compiled models, QDQ models; the exports are cached in
# $QLOW_BUILD_DIR/models, the directory the execution tests use), MCPU
# (default native: both qlow and ONNX Runtime use the host's features, e.g.
# AVX-512 VNNI; x86-64-v3 for AVX2 with 7-bit weights), RUNS (default 20),
# WARMUP (default 5), ROUNDS (default 3), MODELS (default "resnet18
# mobilenet_v2").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
bin="${QLOW_BIN:-$build/bin}"
work="${WORK:-$build/bench/ort}"
models="$build/models"
mcpu="${MCPU:-native}"
runs="${RUNS:-20}"
warmup="${WARMUP:-5}"
rounds="${ROUNDS:-3}"
py=/usr/bin/python3
ort_run=(node "$root/tools/ort/ort-run.js")

if [ ! -d "$root/tools/ort/node_modules/onnxruntime-node" ]; then
  echo "bench_ort: onnxruntime-node is not installed (scripts/setup.sh," \
    "or: ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/ort)" >&2
  exit 1
fi
mkdir -p "$work"
export OMP_NUM_THREADS=1

"$py" "$root/scripts/export_torchvision.py" "$models" >&2
# Batch 1: the first test image.
"$py" -c "import numpy as np, sys; np.save(sys.argv[2], np.load(sys.argv[1])[:1])" \
  "$models/test_x.npy" "$work/x1.npy"

# Compiles and quantizes once per model; prints nothing but progress (stderr).
prepare() { # model
  local m="$1" t0
  t0=$(date +%s)
  if [ ! -f "$work/$m.stats.json" ] || [ "$models/$m.onnx" -nt "$work/$m.stats.json" ]; then
    "$bin/qlow-compile" "$models/$m.onnx" --calibration "$models/calib" \
      --no-progress --mcpu "$mcpu" -o "$work/${m}_int8" >&2
    cp "$work/${m}_int8.stats.json" "$work/$m.stats.json"
  else
    "$bin/qlow-compile" "$models/$m.onnx" --stats "$work/$m.stats.json" \
      --mcpu "$mcpu" -o "$work/${m}_int8" >&2
  fi
  "$bin/qlow-compile" "$models/$m.onnx" --precision fp32 --mcpu "$mcpu" \
    -o "$work/${m}_fp32" >&2
  "$py" "$root/scripts/make_qdq_onnx.py" "$models/$m.onnx" \
    "$work/$m.stats.json" "$work/${m}_qdq.onnx" >&2
  echo "bench_ort: $m compiled in $(($(date +%s) - t0)) s" >&2
}

# One latency in ms (the median of RUNS runs): "median X us" from qlow-run,
# "median X ms" from ort-run.js.
qlow_ms() { # lib
  "$bin/qlow-run" "$1" --input "input=$work/x1.npy" --bench "$runs" \
    --warmup "$warmup" | sed -nE 's/^bench:.* median ([0-9.]+) us.*/\1/p' |
    awk '{ printf "%.3f\n", $1 / 1000 }'
}
ort_ms() { # model.onnx
  "${ort_run[@]}" "$1" --input "input=$work/x1.npy" --bench "$runs" \
    --warmup "$warmup" --threads 1 --opt all |
    sed -nE 's/^bench:.* median ([0-9.]+) ms.*/\1/p'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

read -r -a model_list <<<"${MODELS:-resnet18 mobilenet_v2}"
for m in "${model_list[@]}"; do prepare "$m"; done

declare -A lat
for ((r = 1; r <= rounds; ++r)); do
  for m in "${model_list[@]}"; do
    qi=$(qlow_ms "$work/${m}_int8.so")
    qf=$(qlow_ms "$work/${m}_fp32.so")
    oi=$(ort_ms "$work/${m}_qdq.onnx")
    of=$(ort_ms "$models/$m.onnx")
    echo "bench_ort: round $r/$rounds $m: qlow INT8 $qi, qlow FP32 $qf," \
      "ORT INT8 $oi, ORT FP32 $of ms" >&2
    lat[$m,qi]+="$qi "
    lat[$m,qf]+="$qf "
    lat[$m,oi]+="$oi "
    lat[$m,of]+="$of "
  done
done

minimum() { sort -g | head -1; }
table() { # reducer title
  local reduce="$1"
  echo "batch 1, 1 thread, -mcpu=$mcpu, $2 of $rounds rounds x $runs runs (ms)"
  printf "%-13s %10s %10s %10s %10s %11s %11s %10s %10s\n" model "qlow INT8" \
    "qlow FP32" "ORT INT8" "ORT FP32" "qlow/ORT" "qlow/ORT" "qlow" "ORT"
  printf "%-13s %10s %10s %10s %10s %11s %11s %10s %10s\n" "" "" "" "" "" \
    "INT8" "FP32" "FP32/INT8" "FP32/INT8"
  for m in "${model_list[@]}"; do
    qi=$(tr ' ' '\n' <<<"${lat[$m,qi]}" | grep . | "$reduce")
    qf=$(tr ' ' '\n' <<<"${lat[$m,qf]}" | grep . | "$reduce")
    oi=$(tr ' ' '\n' <<<"${lat[$m,oi]}" | grep . | "$reduce")
    of=$(tr ' ' '\n' <<<"${lat[$m,of]}" | grep . | "$reduce")
    awk -v m="$m" -v qi="$qi" -v qf="$qf" -v oi="$oi" -v of="$of" 'BEGIN {
      printf "%-13s %10.2f %10.2f %10.2f %10.2f %10.2fx %10.2fx %9.2fx %9.2fx\n",
        m, qi, qf, oi, of, qi / oi, qf / of, qf / qi, of / oi }'
  done
}
table median "median"
# On a shared machine the fastest round is the least disturbed one.
echo
table minimum "fastest round (minimum of the per-round medians)"
