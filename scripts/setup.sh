#!/usr/bin/env bash
# Installs every Debian package qlow needs (only what is missing), then
# configures and builds it. Idempotent: seconds when everything is present.
#   scripts/setup.sh [BUILD_DIR]     (default: build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"

packages=(
  cmake ninja-build
  clang-22 lld-22 llvm-22-dev llvm-22-tools
  libmlir-22-dev mlir-22-tools
  libgtest-dev zlib1g-dev
  # ONNX import (lib/Import/Onnx): libonnx 1.12 + protobuf 3.21; the ONNX
  # node test data; python3-onnx/numpy for scripts/gen_onnx_test_models.py.
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  python3-onnx python3-numpy
  # Real-model tests (scripts/export_torchvision.py, scripts/train_digits_qat.py):
  # torchvision exports and PyTorch QAT; onnxruntime-node comes from npm.
  python3-torch python3-torchvision python3-sklearn
  # libFuzzer (clang's -fsanitize=fuzzer) for tools/qlow-onnx-fuzz.
  libclang-rt-22-dev
)
# onnxruntime-node needs node and npm; a machine may already have them from
# another source (NodeSource), whose nodejs conflicts with Debian's npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node (tools/ort: ort-run.js, the ONNX Runtime comparisons),
# exactly as package-lock.json pins it; again only when node_modules is
# missing or older than the lock file. ONNXRUNTIME_NODE_INSTALL=skip: the
# package already ships libonnxruntime for linux-x64, its postinstall would
# only fetch optional CUDA binaries.
ort="$root/tools/ort"
if [ ! -f "$ort/node_modules/.package-lock.json" ] ||
   [ "$ort/package-lock.json" -nt "$ort/node_modules/.package-lock.json" ]; then
  echo "setup: installing onnxruntime-node into tools/ort/node_modules"
  # Not fatal: only the ORT comparisons (lit feature `onnxruntime`) need it.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix "$ort" --no-audit --no-fund ||
    echo "setup: warning: npm ci failed; the ONNX Runtime comparisons will be skipped" >&2
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi
# Two jobs: the CI machine has two cores and 24 GiB.
ninja -C "$build" -j2
