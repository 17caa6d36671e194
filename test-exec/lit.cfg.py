# -*- Python -*-
# The execution suite: models compiled to native code by qlow-compile and run
# (accuracy, SQNR, bit-exactness against the reference). Slower than the lit
# suite in test/, so it has its own target, check-qlow-exec; scripts/test.sh
# runs both. It shares test/'s tools and substitutions.
import os

lit_config.load_config(config, os.path.join(config.qlow_src_root, "test", "lit.cfg.py"))
config.name = "qlow-exec"
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qlow_obj_root, "test-exec")

# The ONNX conformance run needs Debian's libonnx-testdata and python3-onnx.
if os.path.isdir("/usr/share/libonnx-testdata/data/node") and \
        os.path.exists("/usr/bin/python3"):
    config.available_features.add("onnx-testdata")

# The importer's libFuzzer target is built only with clang.
fuzzer = os.path.join(config.qlow_tools_dir, "qlow-onnx-fuzz")
if os.path.exists(fuzzer):
    config.available_features.add("onnx-fuzzer")
    config.substitutions.append(("%qlow-onnx-fuzz", fuzzer))

# Real models compared with ONNX Runtime (test-exec/real-models.test):
# torchvision exports need Debian's python3-torch/-torchvision/-onnx/-numpy
# (looked up without importing torch, which takes seconds), ONNX Runtime is
# onnxruntime-node in tools/ort (scripts/setup.sh installs it with npm).
import shutil
import subprocess
try:
    subprocess.run(["/usr/bin/python3", "-c",
                    "import importlib.util, sys; sys.exit(not all("
                    "importlib.util.find_spec(m) for m in "
                    "('torch', 'torchvision', 'onnx', 'numpy')))"],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    config.available_features.add("torchvision")
except (OSError, subprocess.SubprocessError):
    pass
ort_dir = os.path.join(config.qlow_src_root, "tools", "ort")
node = shutil.which("node")
if node and os.path.isdir(os.path.join(ort_dir, "node_modules", "onnxruntime-node")):
    config.available_features.add("onnxruntime")
    config.substitutions.append(
        ("%ort-run", node + " " + os.path.join(ort_dir, "ort-run.js")))
