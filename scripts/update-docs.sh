#!/usr/bin/env bash
# Refreshes docs/generated from TableGen (the op and pass references) and the
# ONNX importer (its op table); the
# lit test docs/generated-docs.test fails when they are stale.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
ninja -C "$build" qlow-docs qlow-translate >/dev/null
mkdir -p "$root/docs/generated"
cp "$build/dialects/Qlow/IR/QlowDialect.md" "$root/docs/generated/QlowDialect.md"
cp "$build/include/qlow/Transforms/QlowPasses.md" "$root/docs/generated/QlowPasses.md"
cp "$build/include/qlow/Target/QlowTargetPasses.md" "$root/docs/generated/QlowTargetPasses.md"
# The ONNX op table, from the importer's converter registrations.
"$build/bin/qlow-translate" --onnx-op-table >"$root/docs/generated/OnnxOps.md"
