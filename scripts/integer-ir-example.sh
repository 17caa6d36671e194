#!/usr/bin/env bash
# The main job on the bundled example: a small FP32 TOSA CNN and its
# calibration statistics go through qlow's whole pipeline to integer-only
# linalg/arith IR; prints what was quantized, then runs the integer IR
# (lowered to LLVM, JIT-run by mlir-runner) and compares it with the C++
# reference of the integer spec, bit for bit.
#   scripts/run-example.sh [MODEL.mlir STATS.json FUNC]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
model="${1:-$root/examples/tosa_cnn.mlir}"
stats="${2:-$root/examples/tosa_cnn.stats.json}"
func="${3:-tosa_cnn}"
"$root/scripts/setup.sh" "$build" >/dev/null

bin="$build/bin"
llvm=/usr/lib/llvm-22
out="$build/example"
mkdir -p "$out"
name="$(basename "$model" .mlir)"

echo "== qlow: $model + $stats -> integer IR"
"$bin/qlow-opt" "$model" \
  --qlow-quantize-to-integer="stats=$stats summary=true" \
  -o "$out/$name.int.mlir"
echo "integer IR: $out/$name.int.mlir ($(wc -l <"$out/$name.int.mlir") lines;" \
  "no float arithmetic outside float islands, checked by qlow-verify-integer)"

echo "== running it and comparing with the C++ reference of the integer spec"
# The quantized (pre-fold) model is what the reference evaluates; the
# compiled one is folded and lowered from exactly that.
"$bin/qlow-opt" "$model" --qlow-import-pipeline --qlow-legalize-precision \
  --qlow-quantize="stats=$stats" -o "$out/$name.quant.mlir"
"$bin/qlow-reference-eval" "$out/$name.quant.mlir" --func="$func" --seed=1 \
  >"$out/$name.reference.txt"
"$bin/qlow-opt" "$out/$name.int.mlir" --qlow-inline-float-islands \
  --qlow-test-harness="func=$func seed=1" --qlow-test-lower-to-llvm |
  "$llvm/bin/mlir-runner" -e main -entry-point-result=void \
    -shared-libs="$llvm/lib/libmlir_runner_utils.so,$llvm/lib/libmlir_c_runner_utils.so" \
    >"$out/$name.compiled.txt"
n=$(wc -l <"$out/$name.reference.txt")
if cmp -s "$out/$name.reference.txt" "$out/$name.compiled.txt"; then
  echo "compiled integer model == C++ reference, bit for bit, on $n outputs"
else
  echo "MISMATCH between compiled model and reference:" >&2
  diff "$out/$name.reference.txt" "$out/$name.compiled.txt" | head >&2
  exit 1
fi
