#!/usr/bin/env bash
# Fuzzes the ONNX importer (tools/qlow-onnx-fuzz, libFuzzer) for longer than
# the test suite does. The seed corpus is the committed test models; new
# inputs and any crash reproducers go to the work directory.
#
#   scripts/fuzz-onnx.sh [SECONDS] [WORKDIR]     (default 600 s, build/fuzz-onnx)
#
# A crash leaves crash-<hash> in WORKDIR; reproduce it with
#   build/bin/qlow-onnx-fuzz WORKDIR/crash-<hash>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
seconds="${1:-600}"
work="${2:-$build/fuzz-onnx}"
ninja -C "$build" qlow-onnx-fuzz >/dev/null
mkdir -p "$work/corpus"
cp -n "$root"/test/Import/Inputs/*.onnx "$root"/test-exec/Inputs/onnx/*.onnx \
  "$work/corpus/" 2>/dev/null || true
cd "$work"
exec "$build/bin/qlow-onnx-fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 \
  -max_len=65536 -timeout=10 -print_final_stats=1 corpus
