#!/usr/bin/python3
"""Runs models through qlow and ONNX Runtime and prints one Markdown table
row per model: qlow FP32, qlow INT8 (PTQ) and ONNX Runtime's own INT8
against ONNX Runtime FP32.

    /usr/bin/python3 scripts/model_zoo.py [--models NAME,...|zoo]
        [--build DIR] [--work DIR] [--opset N] [--timeout S] [--mcpu CPU]

--models: torchvision model builders (`zoo`, the default: every model of
export_torchvision.py's ZOO list) and/or the small models of
export_torch_models.py (transformer_classifier, upsample_cnn,
upsample_cnn_align, reducemean_cnn, shape_arith_cnn, convtranspose_cnn;
their opsets are their own, --opset does not apply). --build: the build tree with bin/qlow-compile
and bin/qlow-run (default: the repository's build/); --work: where models
and results go (default BUILD/zoo); --opset: of the torchvision exports (13
to 17, default 13); --timeout: seconds each step may take (default 1800);
--mcpu: qlow-compile's --mcpu (default native).

For each model M, with W the work directory:

 a. export: export_torchvision.py W/models --models M --opset N (or
    export_torch_models.py W/models --models M); cached by those scripts;
 b. ORT FP32: node tools/ort/ort-run.js W/models/M.onnx --input input=TEST
    --output-dir W/M_ort_fp32 (the reference of every cosine);
 c. qlow FP32: qlow-compile W/models/M.onnx --precision fp32 --mcpu CPU
    -o W/M_fp32, then qlow-run W/M_fp32.so --input input=TEST
    --output-dir W/M_fp32_out;
 d. qlow INT8: qlow-compile W/models/M.onnx --calibration CALIB --mcpu CPU
    -o W/M_int8 (it writes W/M_int8.stats.json), run as in c;
 e. QDQ: make_qdq_onnx.py W/models/M.onnx W/M_int8.stats.json W/M_qdq.onnx,
    run by ONNX Runtime (ORT INT8) and compiled by qlow without calibration
    (qlow-compile W/M_qdq.onnx --mcpu CPU -o W/M_qdq) and run;
 f. cosines against ORT FP32 (compare_npy.py's, the smallest over the
    outputs), and the compile times of c, d and e.

TEST and CALIB are export_torchvision.py's test_x.npy and calib/ (for
inception_v3 test_x_299.npy and calib_299/), or export_torch_models.py's
M_x.npy and M_calib/. Every command and its output go to W/M.log.

    | model | qlow FP32 cos | qlow INT8 cos | ORT INT8 cos | qlow QDQ cos | compile s (fp32/int8/qdq) | result |

result: `pass` when the FP32 cosine is >= 0.9999 and both qlow INT8 cosines
(PTQ and QDQ) are >= the ORT INT8 cosine - 0.01; otherwise `FAIL: ` and the
reasons, or, when a step fails, `FAIL (step): ` and the first line of its
first error (e.g. qlow-compile's `error: unsupported ONNX op 'X' (node
...)`). Steps that do not depend on a failed one still run; the next model
follows. Models in export_torchvision.py's SKIPPED list (too big for one
machine) get a `skipped: why` row and are not attempted. The CPU model and
whether it has avx2, avx512f and avx512_vnni are printed above the table.
Exit status 0 when every attempted model passed, 1 otherwise.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)

import numpy as np  # noqa: E402

import export_torch_models  # noqa: E402
import export_torchvision  # noqa: E402
from compare_npy import cosine_similarity  # noqa: E402

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable
ORT_RUN = os.path.join(REPO, "tools", "ort", "ort-run.js")
MIN_FP32_COSINE = 0.9999
INT8_SLACK = 0.01
CPU_FLAGS = ("avx2", "avx512f", "avx512_vnni")
HEADER = ("| model | qlow FP32 cos | qlow INT8 cos | ORT INT8 cos | "
          "qlow QDQ cos | compile s (fp32/int8/qdq) | result |")
RULE = "|---|---|---|---|---|---|---|"


class StepError(Exception):
    def __init__(self, step, message):
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


def cpu_info():
    model, flags = "unknown CPU", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and model == "unknown CPU":
                    model = value.strip()
                elif key == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    return model, {flag: flag in flags for flag in CPU_FLAGS}


def first_error(text):
    """The first line that reports an error, else the last non-empty line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"\berror\b", line, re.IGNORECASE):
            return line
    return lines[-1] if lines else ""


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


class Runner:
    def __init__(self, log_path, timeout):
        self.log_path = log_path
        self.timeout = timeout
        self.log = open(log_path, "w")

    def close(self):
        self.log.close()

    def run(self, step, argv):
        """Runs ARGV; returns its wall time in seconds; raises StepError."""
        self.log.write(f"### {step}\n$ {' '.join(argv)}\n")
        self.log.flush()
        start = time.monotonic()
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True,
                                    errors="replace", start_new_session=True)
        except OSError as e:
            self.log.write(f"cannot run: {e}\n\n")
            raise StepError(step, f"cannot run {argv[0]}: {e.strerror}")
        try:
            output, _ = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            output, _ = proc.communicate()
            self.log.write(output + f"\n(timed out after {self.timeout:g} s)\n\n")
            raise StepError(step, f"timed out after {self.timeout:g} s")
        seconds = time.monotonic() - start
        self.log.write(output + f"(exit status {proc.returncode}, "
                       f"{seconds:.1f} s)\n\n")
        self.log.flush()
        if proc.returncode != 0:
            line = first_error(output)
            if proc.returncode < 0:
                try:
                    name = signal.Signals(-proc.returncode).name
                except ValueError:
                    name = f"signal {-proc.returncode}"
                line = f"killed by {name}" + (f" after: {line}" if line else "")
            raise StepError(step, line or f"exit status {proc.returncode}")
        return seconds


def cosine(ref_dir, out_dir, step):
    """The smallest cosine over the reference's outputs."""
    names = sorted(f for f in os.listdir(ref_dir) if f.endswith(".npy"))
    if not names:
        raise StepError(step, f"no outputs in {ref_dir}")
    worst = None
    for name in names:
        path = os.path.join(out_dir, name)
        if not os.path.exists(path):
            raise StepError(step, f"no output {path}")
        ref = np.load(os.path.join(ref_dir, name))
        out = np.load(path)
        if ref.shape != out.shape:
            raise StepError(step, f"{name}: shape {list(out.shape)}, ONNX "
                            f"Runtime's {list(ref.shape)}")
        c = cosine_similarity(ref, out)
        worst = c if worst is None else min(worst, c)
    return worst


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def remove(*paths):
    for path in paths:
        if os.path.exists(path):
            os.remove(path)


def model_data(models_dir, name):
    """(model file, test inputs, calibration directory, export command)."""
    if name in export_torch_models.MODELS:
        m = export_torch_models
        export = [PYTHON, os.path.join(SCRIPTS, "export_torch_models.py"),
                  models_dir, "--models", name]
        return (m.model_file(models_dir, name), m.test_file(models_dir, name),
                m.calib_dir(models_dir, name), export)
    return None


def run_model(name, args, models_dir):
    """Returns (row, passed)."""
    w = args.work
    runner = Runner(os.path.join(w, name + ".log"), args.timeout)
    cos = {}
    secs = {}
    errors = []  # StepErrors, in step order

    def attempt(fn):
        try:
            fn()
            return True
        except StepError as e:
            errors.append(e)
            return False

    compile_ = os.path.join(args.build, "bin", "qlow-compile")
    qrun = os.path.join(args.build, "bin", "qlow-run")
    data = model_data(models_dir, name)
    if data is None:
        tv = export_torchvision
        size = tv.input_size(name)
        data = (tv.model_file(models_dir, name), tv.test_file(models_dir, size),
                tv.calib_dir(models_dir, size),
                [PYTHON, os.path.join(SCRIPTS, "export_torchvision.py"),
                 models_dir, "--models", name, "--opset", str(args.opset)])
    model, test, calib, export = data
    feed = f"input={test}"
    ort_fp32 = os.path.join(w, name + "_ort_fp32")

    def step_export():
        print(f"model_zoo: {name}: export", file=sys.stderr, flush=True)
        runner.run("export", export)
        for path in (model, test, calib):
            if not os.path.exists(path):
                raise StepError("export", f"{path} was not written")

    def step_ort_fp32():
        print(f"model_zoo: {name}: ORT FP32", file=sys.stderr, flush=True)
        runner.run("ORT FP32", ["node", ORT_RUN, model, "--input", feed,
                                "--output-dir", fresh_dir(ort_fp32)])

    def qlow(kind, source, extra):
        prefix = os.path.join(w, f"{name}_{kind}")
        out = fresh_dir(prefix + "_out")
        remove(prefix + ".so")
        print(f"model_zoo: {name}: qlow {kind}", file=sys.stderr, flush=True)
        secs[kind] = runner.run(f"qlow-compile {kind}",
                                [compile_, source] + extra +
                                ["--mcpu", args.mcpu, "-o", prefix])
        runner.run(f"qlow-run {kind}", [qrun, prefix + ".so", "--input", feed,
                                        "--output-dir", out])
        cos[kind] = cosine(ort_fp32, out, f"qlow {kind} outputs")

    qdq = os.path.join(w, name + "_qdq.onnx")
    stats = os.path.join(w, name + "_int8.stats.json")
    ort_int8 = os.path.join(w, name + "_ort_int8")

    def step_make_qdq():
        remove(qdq)
        runner.run("make_qdq_onnx", [PYTHON,
                                     os.path.join(SCRIPTS, "make_qdq_onnx.py"),
                                     model, stats, qdq])

    def step_ort_int8():
        print(f"model_zoo: {name}: ORT INT8", file=sys.stderr, flush=True)
        runner.run("ORT INT8", ["node", ORT_RUN, qdq, "--input", feed,
                                "--output-dir", fresh_dir(ort_int8)])
        cos["ort_int8"] = cosine(ort_fp32, ort_int8, "ORT INT8 outputs")

    try:
        if attempt(step_export) and attempt(step_ort_fp32):
            attempt(lambda: qlow("fp32", model, ["--precision", "fp32"]))
            remove(stats)
            if attempt(lambda: qlow("int8", model, ["--calibration", calib,
                                                    "--no-progress"])):
                if attempt(step_make_qdq):
                    attempt(step_ort_int8)
                    attempt(lambda: qlow("qdq", qdq, []))
    finally:
        runner.close()

    if errors:
        e = errors[0]
        result = f"FAIL ({e.step}): {e.message}"
    else:
        reasons = []
        if cos["fp32"] < MIN_FP32_COSINE:
            reasons.append(f"FP32 cos {cos['fp32']:.6f} < {MIN_FP32_COSINE}")
        floor = cos["ort_int8"] - INT8_SLACK
        for kind, label in (("int8", "INT8"), ("qdq", "QDQ")):
            if cos[kind] < floor:
                reasons.append(f"qlow {label} cos {cos[kind]:.4f} < ORT INT8 "
                               f"{cos['ort_int8']:.4f} - {INT8_SLACK}")
        result = "FAIL: " + "; ".join(reasons) if reasons else "pass"

    def fmt_cos(key, digits):
        return f"{cos[key]:.{digits}f}" if key in cos else "-"

    times = "/".join(f"{secs[k]:.1f}" if k in secs else "-"
                     for k in ("fp32", "int8", "qdq"))
    row = (f"| {cell(name)} | {fmt_cos('fp32', 6)} | {fmt_cos('int8', 4)} | "
           f"{fmt_cos('ort_int8', 4)} | {fmt_cos('qdq', 4)} | {times} | "
           f"{cell(result)} |")
    return row, result == "pass"


def parse_models(text):
    names = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        for name in (export_torchvision.ZOO if item == "zoo" else (item,)):
            if name not in names:
                names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="zoo", metavar="NAME,...",
                        help="models to run (default: zoo)")
    parser.add_argument("--build", default=os.path.join(REPO, "build"),
                        help="the build tree (default: the repository's "
                             "build/)")
    parser.add_argument("--work", help="work directory (default BUILD/zoo)")
    parser.add_argument("--opset", type=int,
                        default=export_torchvision.DEFAULT_OPSET,
                        choices=export_torchvision.OPSETS, metavar="N",
                        help="opset of the torchvision exports (13 to 17, "
                             "default 13)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds per step (default 1800)")
    parser.add_argument("--mcpu", default="native",
                        help="qlow-compile --mcpu (default native)")
    args = parser.parse_args()
    names = parse_models(args.models)
    if not names:
        parser.error("--models needs at least one name")
    args.build = os.path.abspath(args.build)
    args.work = os.path.abspath(args.work or os.path.join(args.build, "zoo"))
    for tool in ("qlow-compile", "qlow-run"):
        if not os.access(os.path.join(args.build, "bin", tool), os.X_OK):
            print(f"model_zoo: error: no {args.build}/bin/{tool} (build qlow "
                  "first, or pass --build)", file=sys.stderr)
            return 1
    if shutil.which("node") is None:
        print("model_zoo: error: node is not on PATH (ONNX Runtime runs "
              "through tools/ort/ort-run.js)", file=sys.stderr)
        return 1
    models_dir = os.path.join(args.work, "models")
    os.makedirs(models_dir, exist_ok=True)

    model, flags = cpu_info()
    print(f"CPU: {model}; " + ", ".join(
        f"{flag} {'yes' if has else 'no'}" for flag, has in flags.items()) +
        f"; qlow-compile --mcpu {args.mcpu}; torchvision opset {args.opset}")
    print()
    print(HEADER)
    print(RULE, flush=True)
    attempted, failed, skipped = 0, [], []
    for name in names:
        if name in export_torchvision.SKIPPED:
            skipped.append(name)
            print(f"| {cell(name)} | - | - | - | - | - | skipped: "
                  f"{cell(export_torchvision.SKIPPED[name])} |", flush=True)
            continue
        attempted += 1
        row, passed = run_model(name, args, models_dir)
        if not passed:
            failed.append(name)
        print(row, flush=True)
    print()
    print(f"{attempted - len(failed)} of {attempted} models passed" +
          (f"; failed: {', '.join(failed)}" if failed else "") +
          (f"; skipped: {', '.join(skipped)}" if skipped else "") +
          f" (logs: {args.work}/MODEL.log)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
