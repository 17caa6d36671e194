#!/usr/bin/env bash
# The main job on the bundled example: the digits CNN (examples/digits,
# trained on scikit-learn's digits by scripts/train_digits.py) is compiled
# for this machine twice, as FP32 and as INT8 calibrated on 300 images;
# both run on the 360 test images; prints accuracy, size and latency of both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh" "$build" >/dev/null
bin="$build/bin"
ex="$root/examples/digits"
out="$build/example"
mkdir -p "$out"

echo "== compiling examples/digits/model.mlir for $(uname -m) (host CPU)"
"$bin/qlow-compile" "$ex/model.mlir" --precision fp32 --mcpu native \
  -o "$out/digits_fp32"
"$bin/qlow-compile" "$ex/model.mlir" --calibration "$ex/calib.npy" \
  --mcpu native -o "$out/digits_int8"

run() { # name
  "$bin/qlow-run" "$out/digits_$1.so" --input input="$ex/test_x.npy" \
    --labels "$ex/test_y.npy" --bench 2000 --warmup 200 >"$out/$1.txt"
}
run fp32
run int8
acc() { sed -n 's/^accuracy \([0-9.]*\) (\(.*\) correct)$/\1 (\2)/p' "$out/$1.txt"; }
lat() { sed -n 's/^bench: .* median \([0-9.]*\) us.*/\1/p' "$out/$1.txt"; }
weights() { # report -> "fp32 bytes" / "quantized bytes"
  sed -n "s/^ *\"$2\": \([0-9.e+]*\),\{0,1\}$/\1/p" "$out/digits_$1.report.json"
}
f32=$(lat fp32)
i8=$(lat int8)
wf=$(weights int8 fp32_weight_bytes)
wq=$(weights int8 quantized_weight_bytes)
printf '\n%-22s %-20s %-20s\n' "" "FP32" "INT8"
printf '%-22s %-20s %-20s\n' "test accuracy" "$(acc fp32)" "$(acc int8)"
printf '%-22s %-20s %-20s\n' "weights (bytes)" "$(printf %.0f "$wf")" "$(printf %.0f "$wq")"
printf '%-22s %-20s %-20s\n' "library (bytes)" "$(stat -c %s "$out/digits_fp32.so")" "$(stat -c %s "$out/digits_int8.so")"
printf '%-22s %-20s %-20s\n' "median latency (us)" "$f32" "$i8"
awk -v w="$wf" -v q="$wq" -v a="$f32" -v b="$i8" 'BEGIN {
  printf "\nINT8 weights are %.2fx smaller; INT8 runs %.2fx the speed of FP32\n", w / q, a / b }'
echo "(outputs, reports and headers in $out)"
