#!/usr/bin/python3
"""Runs ONNX's node tests (Debian libonnx-testdata) through qlow.

For every test case of an op type qlow imports: import the model
(qlow-translate --import-onnx), compile it FP32 (qlow-compile --precision
fp32), run it on each test_data_set_*/input_*.pb (qlow-run) and compare with
output_*.pb (rtol 1e-3, atol 1e-5 for float; exact for integers). Prints one
line per case and a table per op: passed / converted / failed / unsupported,
with the reasons. Every case runs at the opset it ships with; only when qlow
refuses that op version is the model converted (onnx.version_converter, to
opset 13) as a fallback, and a case that passes so is counted as
"converted", not "passed". A case the importer refuses (a clear import
error, e.g. a run-time shape input) is "unsupported" with that message;
anything else that goes wrong is "failed". Exit code 1 if any case failed.

The op types are those of `qlow-translate --onnx-op-table` (the importer's
converter table).

    /usr/bin/python3 scripts/onnx_conformance.py [--build build] [--op Conv ...]

Needs python3-onnx and python3-numpy (scripts/setup.sh installs them).
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.version_converter
from onnx import numpy_helper

SUPPORTED = []  # filled by main() from qlow-translate --onnx-op-table


def supported_ops(translate):
    """The default-domain op types of the importer's converter table."""
    out = subprocess.run([translate, "--onnx-op-table"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    ops = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if (len(cells) > 2 and cells[1] and cells[1] not in ("op", "---")
                and "." not in cells[1] and not cells[1].startswith("-")):
            ops.append(cells[1])
    return ops
ALIASES = {"batchnorm": "BatchNormalization", "constantpad": "Pad",
           "instancenorm": "InstanceNormalization",
           "edgepad": "Pad", "reflectpad": "Pad"}


def case_op(name, model):
    """The supported op a test case is about, or None."""
    key = name[len("test_"):].replace("_", "").lower()
    present = {n.op_type for n in model.graph.node}
    best = None
    for op in SUPPORTED:
        if key.startswith(op.lower()) and op in present:
            if best is None or len(op) > len(best):
                best = op
    for prefix, op in ALIASES.items():
        if best is None and key.startswith(prefix) and op in present:
            best = op
    return best


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    return text.strip().splitlines()[-1] if text.strip() else "unknown"


def check_case(case_dir, tools, tmp):
    model_path = os.path.join(case_dir, "model.onnx")
    status, reason = check_model(model_path, case_dir, tools, tmp)
    if status != "unsupported" or "is not implemented; qlow imports" not in reason:
        return status, reason
    # qlow does not implement the op version of this opset: converted to
    # opset 13 as a fallback, counted apart.
    model = onnx.load(model_path)
    opset = max((o.version for o in model.opset_import
                 if o.domain in ("", "ai.onnx")), default=0)
    try:
        model = onnx.version_converter.convert_version(model, 13)
    except Exception as e:
        return "unsupported", "%s; conversion to opset 13 failed (%s)" % (
            reason, str(e).splitlines()[0])
    model_path = os.path.join(tmp, "converted.onnx")
    onnx.save(model, model_path)
    status, creason = check_model(model_path, case_dir, tools, tmp)
    if status == "passed":
        status = "converted"
    return status, (creason + " (converted from opset %d)" % opset).strip()


# (op type, input index) that qlow needs as constants: static weights and
# shapes. The node tests feed them as graph inputs; the runner freezes those
# inputs into initializers from each data set (and says so).
STATIC_INPUTS = {("Conv", 1), ("Conv", 2),
                 ("Reshape", 1), ("Squeeze", 1), ("Unsqueeze", 1), ("Pad", 1),
                 ("Pad", 2), ("Pad", 3), ("Resize", 1), ("Resize", 2),
                 ("Resize", 3), ("Slice", 1), ("Slice", 2), ("Slice", 3),
                 ("Slice", 4), ("Expand", 1), ("Tile", 1), ("Split", 1),
                 ("TopK", 1), ("ConvTranspose", 1), ("ConvTranspose", 2),
                 ("Upsample", 1),
                 ("ConvInteger", 1), ("ConvInteger", 3),
                 ("MatMulInteger", 1), ("MatMulInteger", 3)}
STATIC_INPUTS |= {(op, 1) for op in (
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
    "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum",
    "ReduceLogSumExp")}
# QLinear ops: weights, scales and zero points (everything but the data).
STATIC_INPUTS |= {("QLinearConv", i) for i in (1, 2, 3, 4, 5, 6, 7, 8)}
STATIC_INPUTS |= {("QLinearMatMul", i) for i in (1, 2, 4, 5, 6, 7)}


def read_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def check_model(model_path, case_dir, tools, tmp):
    model = onnx.load(model_path)
    inits = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in inits]
    outputs = [o.name for o in model.graph.output]
    static = {n.input[i] for n in model.graph.node
              for i in range(len(n.input)) if (n.op_type, i) in STATIC_INPUTS}
    frozen = [k for k, name in enumerate(inputs) if name in static]
    for ds in sorted(glob.glob(os.path.join(case_dir, "test_data_set_*"))):
        try:
            values = [read_tensor(os.path.join(ds, "input_%d.pb" % k))
                      for k in range(len(inputs))]
        except Exception as e:  # e.g. optional or sequence inputs
            rc, out = run([tools["qlow-translate"], "--import-onnx",
                           model_path, "-o", os.path.join(tmp, "m.mlir")])
            if rc:
                return "unsupported", first_error(out)
            return "failed", "cannot read the test data: %s" % e
        path = model_path
        if frozen:
            m = onnx.ModelProto()
            m.CopyFrom(model)
            keep = [i for i in m.graph.input
                    if i.name not in {inputs[k] for k in frozen}]
            del m.graph.input[:]
            m.graph.input.extend(keep)
            for k in frozen:
                m.graph.initializer.append(
                    numpy_helper.from_array(values[k], inputs[k]))
            path = os.path.join(tmp, "frozen.onnx")
            onnx.save(m, path)
        rc, out = run([tools["qlow-translate"], "--import-onnx", path,
                       "-o", os.path.join(tmp, "m.mlir")])
        if rc:
            return "unsupported", first_error(out)
        prefix = os.path.join(tmp, "m")
        rc, out = run([tools["qlow-compile"], path, "--precision", "fp32",
                       "-o", prefix])
        if rc:
            return "failed", "compile: " + first_error(out)
        args = [tools["qlow-run"], prefix + ".so"]
        for k, name in enumerate(inputs):
            if k in frozen:
                continue
            npy = os.path.join(tmp, "in%d.npy" % k)
            np.save(npy, values[k])
            args += ["--input", "%s=%s" % (name, npy)]
        outdir = os.path.join(tmp, "out_" + os.path.basename(ds))
        rc, out = run(args + ["--output-dir", outdir])
        if rc:
            return "failed", "run: " + first_error(out)
        for k, name in enumerate(outputs):
            want = read_tensor(os.path.join(ds, "output_%d.pb" % k))
            got = np.load(os.path.join(outdir, name + ".npy"))
            if got.shape != want.shape:
                return "failed", "output '%s' has shape %s, expected %s" % (
                    name, got.shape, want.shape)
            if np.issubdtype(want.dtype, np.floating):
                ok = np.allclose(got, want, rtol=1e-3, atol=1e-5,
                                 equal_nan=True)
            else:
                ok = np.array_equal(got, want)
            if not ok:
                err = np.max(np.abs(got.astype(np.float64) - want))
                return "failed", "output '%s' differs (max abs error %g)" % (
                    name, err)
    if frozen:
        return "passed", "(%s frozen as initializers)" % ", ".join(
            "'%s'" % inputs[k] for k in frozen)
    return "passed", ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="/usr/share/libonnx-testdata/data/node")
    ap.add_argument("--op", action="append", help="only these op types")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="cases checked in parallel (default 2)")
    args = ap.parse_args()
    tools = {t: os.path.join(args.build, "bin", t)
             for t in ("qlow-translate", "qlow-compile", "qlow-run")}
    SUPPORTED.extend(supported_ops(tools["qlow-translate"]))
    if not os.path.isdir(args.data):
        print("no ONNX node test data at %s (Debian: libonnx-testdata)"
              % args.data)
        return 1
    cases = []
    for case_dir in sorted(glob.glob(os.path.join(args.data, "test_*"))):
        name = os.path.basename(case_dir)
        try:
            model = onnx.load(os.path.join(case_dir, "model.onnx"))
        except Exception:
            continue
        op = case_op(name, model)
        if op is None or (args.op and op not in args.op):
            continue
        cases.append((op, name, case_dir))

    def one(case):
        op, name, case_dir = case
        with tempfile.TemporaryDirectory() as tmp:
            try:
                status, reason = check_case(case_dir, tools, tmp)
            except Exception as e:  # the runner itself must not stop
                status, reason = "failed", "runner: %s" % e
        return op, name, status, reason

    results = collections.defaultdict(list)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for op, name, status, reason in pool.map(one, cases):
            results[op].append((name, status, reason))
            if args.verbose or status != "passed":
                print("%-11s %-55s %s" % (status, name, reason), flush=True)

    print()
    print("| op | passed | converted | failed | unsupported |")
    print("|---|---|---|---|---|")
    total = collections.Counter()
    for op in sorted(results):
        c = collections.Counter(s for _, s, _ in results[op])
        total.update(c)
        print("| %s | %d | %d | %d | %d |" % (
            op, c["passed"], c["converted"], c["failed"], c["unsupported"]))
    print("| total | %d | %d | %d | %d |" % (
        total["passed"], total["converted"], total["failed"],
        total["unsupported"]))
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
