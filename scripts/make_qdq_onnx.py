#!/usr/bin/python3
"""Quantizes an FP32 ONNX model into the QDQ model ONNX Runtime runs as
"ORT INT8", with the activation ranges qlow's calibration found.

    /usr/bin/python3 scripts/make_qdq_onnx.py FLOAT.onnx STATS.json OUT.onnx
        [--activations u8|s8]

STATS.json is the statistics file `qlow-compile --calibration` writes beside
its outputs (OUT.stats.json: {"tensors": {NAME: {"min": .., "max": ..}}},
keyed by the ONNX tensor names). The model is rewritten the way ONNX
Runtime's static quantizer (quantize_static, QDQ format, per_channel=True)
does it, so that ORT's QDQ fusions turn it into QLinearConv / QGemm /
QLinearAdd / QLinearGlobalAveragePool kernels:

- activations: QuantizeLinear -> DequantizeLinear after every tensor that a
  quantized op (Conv, Gemm, MatMul, Add, GlobalAveragePool, AveragePool,
  MaxPool, Flatten, Reshape, Concat) reads or writes, and after graph inputs;
  uint8 asymmetric by default, scale = (max - min) / 255 over the range
  widened to contain 0, zero point = round(-min / scale) (ORT's
  compute_scale_zp); a graph output keeps its name (its producer's tensor is
  renamed `<name>_QuantizeLinear_Input`);
- MaxPool, Flatten and Reshape outputs reuse their input's parameters
  (ORT's "direct 8-bit" ops), so their Q/DQ pairs cancel;
- a Relu or Clip whose input is the only use of a quantized op's output is
  removed and that output takes the activation's range (ORT's
  QDQRemovableActivation): the quantized range, which starts at 0, does the
  clamping; a Clip whose calibrated range is not inside its bounds is kept;
- weights (Conv W, Gemm/MatMul B initializers): per-channel symmetric int8,
  scale = max|w| / 127 per output channel, values in [-127, 127],
  DequantizeLinear with `axis` (0 for Conv and transposed Gemm B, 1 for
  MatMul and plain Gemm B);
- biases: int32 initializers at scale input_scale * weight_scale (per
  channel), zero point 0, DequantizeLinear on axis 0.

Rounding is round-half-to-even (numpy.rint), as in ORT's quantizer. A tensor
without statistics is left in float (with a warning), and so is every op
that reads it.

Needs python3-onnx and python3-numpy (/usr/bin/python3).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

# Ops whose activation inputs and outputs get Q/DQ.
QUANT_OPS = {"Conv", "Gemm", "MatMul", "Add", "GlobalAveragePool",
             "AveragePool", "MaxPool", "Flatten", "Reshape", "Concat"}
# Their activation inputs (the others are weights, biases, shapes).
ACTIVATION_INPUTS = {"Conv": [0], "Gemm": [0], "MatMul": [0, 1],
                     "Add": [0, 1], "GlobalAveragePool": [0],
                     "AveragePool": [0], "MaxPool": [0], "Flatten": [0],
                     "Reshape": [0], "Concat": None}  # None: all inputs
# Outputs quantized with their input's parameters (ORT's direct 8-bit ops).
SAME_AS_INPUT = {"MaxPool", "Flatten", "Reshape"}
REMOVABLE_ACTIVATIONS = {"Relu", "Clip"}


class Error(Exception):
    pass


def activation_params(lo, hi, kind):
    """ORT's compute_scale_zp for an asymmetric activation."""
    qmin, qmax = (0, 255) if kind == "u8" else (-128, 127)
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi == lo:
        return 1.0, 0
    scale = (hi - lo) / (qmax - qmin)
    zp = int(np.clip(np.rint(qmin - lo / scale), qmin, qmax))
    return float(np.float32(scale)), zp


def quantize_weight(w, axis):
    """Per-channel symmetric int8 along `axis`: (int8 values, f32 scales)."""
    moved = np.moveaxis(w.astype(np.float64), axis, 0)
    absmax = np.abs(moved.reshape(moved.shape[0], -1)).max(axis=1)
    scale = np.where(absmax > 0, absmax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scale.astype(np.float64).reshape(shape)), -127, 127)
    return q.astype(np.int8), scale


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("float_model")
    parser.add_argument("stats")
    parser.add_argument("out")
    parser.add_argument("--activations", choices=["u8", "s8"], default="u8",
                        help="activation storage type (default u8, as ORT)")
    args = parser.parse_args()
    try:
        make_qdq(args)
    except (Error, OSError, ValueError, onnx.checker.ValidationError) as e:
        print(f"make_qdq_onnx: error: {e}", file=sys.stderr)
        return 1
    return 0


def make_qdq(args):
    model = onnx.load(args.float_model)
    with open(args.stats) as f:
        stats = json.load(f)
    if not isinstance(stats, dict) or not isinstance(stats.get("tensors"), dict):
        raise Error(f"{args.stats}: not a qlow statistics file (no 'tensors')")
    ranges = {}
    for name, s in stats["tensors"].items():
        try:
            ranges[name] = (float(s["min"]), float(s["max"]))
        except (KeyError, TypeError, ValueError):
            raise Error(f"{args.stats}: tensor '{name}' has no min/max")
    act_type = TensorProto.UINT8 if args.activations == "u8" else TensorProto.INT8
    act_np = np.uint8 if args.activations == "u8" else np.int8

    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    consts = {}  # outputs of Constant nodes
    for n in graph.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = numpy_helper.to_array(a.t)
    graph_outputs = {o.name for o in graph.output}
    graph_inputs = [i.name for i in graph.input if i.name not in inits]
    nodes = list(graph.node)

    def consumers(tensor):
        return [n for n in nodes if tensor in n.input]

    def producer(tensor):
        for n in nodes:
            if tensor in n.output:
                return n
        return None

    def value(name):
        if name in inits:
            return numpy_helper.to_array(inits[name])
        return consts.get(name)

    # 1. Remove a Relu/Clip after a quantized op when it is the only use of
    # its output; the op writes the activation's output instead.
    removed = 0
    for act in [n for n in nodes if n.op_type in REMOVABLE_ACTIVATIONS]:
        src = act.input[0]
        prod = producer(src)
        if prod is None or prod.op_type not in QUANT_OPS - SAME_AS_INPUT:
            continue
        if len(consumers(src)) != 1 or src in graph_outputs:
            continue
        out = act.output[0]
        if out not in ranges:
            continue
        # The quantized range [min(lo, 0), max(hi, 0)] saturates; it must
        # lie inside the activation's bounds for the removal to be exact.
        lo, hi = -np.inf, np.inf
        if act.op_type == "Relu":
            lo = 0.0
        else:
            bounds = [act.input[k] if len(act.input) > k else "" for k in (1, 2)]
            if any(b and value(b) is None for b in bounds):
                continue  # run-time bounds
            if bounds[0]:
                lo = float(value(bounds[0]))
            if bounds[1]:
                hi = float(value(bounds[1]))
        qlo, qhi = min(ranges[out][0], 0.0), max(ranges[out][1], 0.0)
        if qlo < lo or qhi > hi:
            continue
        for i, o in enumerate(prod.output):
            if o == src:
                prod.output[i] = out
        nodes.remove(act)
        removed += 1
    # Constant nodes nobody reads any more (the removed Clips' bounds).
    used = {i for n in nodes for i in n.input} | graph_outputs
    nodes = [n for n in nodes if n.op_type != "Constant" or n.output[0] in used]

    # 2. Decide every quantized activation tensor's parameters.
    params = {}  # tensor -> (scale, zero point)
    missing = []

    def want(tensor):
        if tensor in params:
            return True
        if tensor in inits or tensor in consts or not tensor:
            return False
        if tensor not in ranges:
            missing.append(tensor)
            return False
        params[tensor] = activation_params(*ranges[tensor], args.activations)
        return True

    quantized_nodes = set()
    for n in nodes:  # topological order: inputs are decided before outputs
        if n.op_type not in QUANT_OPS:
            continue
        idx = ACTIVATION_INPUTS[n.op_type]
        acts = [n.input[i] for i in (range(len(n.input)) if idx is None else idx)
                if i < len(n.input)]
        if n.op_type in ("Conv", "Gemm") and n.input[1] not in inits:
            continue  # run-time weights: leave it float
        if n.op_type == "MatMul" and n.input[1] in inits:
            acts = [n.input[0]]
        if not all(want(t) for t in acts):
            continue
        out = n.output[0]
        if n.op_type in SAME_AS_INPUT:
            params[out] = params[acts[0]]
        elif not want(out):
            continue
        quantized_nodes.add(id(n))

    # 3. Weights and biases.
    new_inits = []
    weight_dq = []  # DequantizeLinear nodes of weights and biases
    w_replaced = {}  # (node id, input index) -> dequantized tensor name

    def add_weight(n, index, axis):
        w = numpy_helper.to_array(inits[n.input[index]]).astype(np.float32)
        q, scale = quantize_weight(w, axis)
        base = n.input[index]
        qn, sn, zn = base + "_quantized", base + "_scale", base + "_zero_point"
        new_inits.extend([numpy_helper.from_array(q, qn),
                          numpy_helper.from_array(scale, sn),
                          numpy_helper.from_array(np.zeros(scale.shape, np.int8), zn)])
        dq = base + "_DequantizeLinear_Output"
        weight_dq.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [dq],
                                          name=base + "_DequantizeLinear", axis=axis))
        w_replaced[(id(n), index)] = dq
        return scale

    def add_bias(n, index, x_scale, w_scale):
        b = numpy_helper.to_array(inits[n.input[index]]).astype(np.float64)
        scale = (np.float64(x_scale) * w_scale.astype(np.float64)).astype(np.float32)
        if b.ndim != 1 or b.shape[0] != scale.shape[0]:
            return
        q = np.rint(b / scale.astype(np.float64))
        if np.abs(q).max(initial=0) > 2**31 - 1:
            raise Error(f"bias '{n.input[index]}' of '{n.name}' overflows int32")
        base = n.input[index]
        qn, sn, zn = base + "_quantized", base + "_scale", base + "_zero_point"
        new_inits.extend([numpy_helper.from_array(q.astype(np.int32), qn),
                          numpy_helper.from_array(scale, sn),
                          numpy_helper.from_array(np.zeros(scale.shape, np.int32), zn)])
        dq = base + "_DequantizeLinear_Output"
        weight_dq.append(helper.make_node("DequantizeLinear", [qn, sn, zn], [dq],
                                          name=base + "_DequantizeLinear", axis=0))
        w_replaced[(id(n), index)] = dq

    for n in nodes:
        if id(n) not in quantized_nodes:
            continue
        x_scale = params[n.input[0]][0] if n.input[0] in params else None
        if n.op_type == "Conv":
            ws = add_weight(n, 1, 0)
            if len(n.input) > 2 and n.input[2] in inits:
                add_bias(n, 2, x_scale, ws)
        elif n.op_type == "Gemm":
            attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
            if attrs.get("transA", 0):
                quantized_nodes.discard(id(n))
                continue
            ws = add_weight(n, 1, 0 if attrs.get("transB", 0) else 1)
            if (len(n.input) > 2 and n.input[2] in inits and
                    attrs.get("alpha", 1.0) == 1.0 and attrs.get("beta", 1.0) == 1.0):
                add_bias(n, 2, x_scale, ws)
        elif n.op_type == "MatMul" and n.input[1] in inits:
            if numpy_helper.to_array(inits[n.input[1]]).ndim == 2:
                add_weight(n, 1, 1)

    # 4. Rewrite: Q/DQ after every quantized activation tensor.
    scale_zp_inits = []

    def qdq_nodes(src, dq_out, name):
        scale, zp = params[name]
        sn, zn = name + "_scale", name + "_zero_point"
        scale_zp_inits.extend([numpy_helper.from_array(np.array(scale, np.float32), sn),
                               numpy_helper.from_array(np.array(zp, act_np), zn)])
        q_out = name + "_QuantizeLinear_Output"
        return [helper.make_node("QuantizeLinear", [src, sn, zn], [q_out],
                                 name=name + "_QuantizeLinear"),
                helper.make_node("DequantizeLinear", [q_out, sn, zn], [dq_out],
                                 name=name + "_DequantizeLinear")]

    def dq_name(t):
        return t + "_DequantizeLinear_Output"

    out_nodes = list(weight_dq)
    for t in graph_inputs:
        if t in params:
            out_nodes += qdq_nodes(t, dq_name(t), t)
    for n in nodes:
        for i, t in enumerate(n.input):
            if (id(n), i) in w_replaced:
                n.input[i] = w_replaced[(id(n), i)]
            elif t in params and t not in graph_outputs:
                n.input[i] = dq_name(t)
        renamed = []
        for i, t in enumerate(n.output):
            if t in params and t in graph_outputs:
                n.output[i] = t + "_QuantizeLinear_Input"
                renamed.append((n.output[i], t))
        out_nodes.append(n)
        for t in n.output:
            if t in params:
                out_nodes += qdq_nodes(t, dq_name(t), t)
        for src, t in renamed:
            out_nodes += qdq_nodes(src, t, t)

    # Initializers replaced by their quantized forms are dropped.
    still_used = {i for n in out_nodes for i in n.input}
    kept = [t for t in graph.initializer if t.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits + scale_zp_inits)
    del graph.node[:]
    graph.node.extend(out_nodes)
    # Declared intermediate shapes may name renamed tensors: drop them.
    del graph.value_info[:]
    onnx.checker.check_model(model)

    tmp = args.out + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, args.out)
    counts = {}
    for n in nodes:
        if id(n) in quantized_nodes:
            counts[n.op_type] = counts.get(n.op_type, 0) + 1
    print(f"make_qdq_onnx: wrote {args.out}: {len(params)} activation tensors "
          f"({args.activations}), quantized ops "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
          + f"; removed {removed} Relu/Clip")
    for t in sorted(set(missing)):
        print(f"make_qdq_onnx: warning: no statistics for '{t}': left in float",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
