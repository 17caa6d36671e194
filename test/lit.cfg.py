# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "qlow"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qlow_obj_root, "test")

config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(("%qlow_src_root", config.qlow_src_root))
config.substitutions.append(("%qlow_obj_root", config.qlow_obj_root))
# The C compiler of execution tests that build programs against compiled
# models (clang 22; /usr/bin/clang may be an older one).
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir, "clang")))

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.qlow_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

tool_dirs = [config.qlow_tools_dir, config.llvm_tools_dir]
tools = ["qlow-opt", "qlow-reference-eval", "qlow-run", "qlow-npy",
         "qlow-load-model", "qlow-x86-codegen", "qlow-translate", "qlow-compile",
         "mlir-runner", "mlir-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# CPU features of the host, for execution tests of code that uses them.
try:
    with open("/proc/cpuinfo") as f:
        flags = set()
        for line in f:
            if line.startswith("flags"):
                flags.update(line.split(":", 1)[1].split())
    if "avx2" in flags:
        config.available_features.add("host-avx2")
    if "avx_vnni" in flags:
        config.available_features.add("host-avxvnni")
    if {"avx512f", "avx512vl", "avx512bw"} <= flags:
        config.available_features.add("host-avx512")
except OSError:
    pass
