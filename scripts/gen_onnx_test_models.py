#!/usr/bin/python3
"""Writes the small ONNX models of qlow's ONNX import tests.

Needs Debian's python3-onnx and python3-numpy (onnx 1.12, which has no
onnx.reference: the expected outputs of the execution test are computed here
with NumPy). Deterministic (fixed seeds), so the committed files can be
regenerated:

    /usr/bin/python3 scripts/gen_onnx_test_models.py   # writes the files below

  test/Import/Inputs/*.onnx          one model per op group, and broken ones
                                     (qdq_torch_qat.onnx: a PyTorch QAT export)
  test-exec/Inputs/onnx/cnn.onnx     Conv+Relu+MaxPool+Conv+Relu+MaxPool+Gemm
  test-exec/Inputs/onnx/x.npy        16 NCHW samples [16,3,8,8]
  test-exec/Inputs/onnx/ref/logits.npy  the expected outputs [16,10]
  test-exec/Inputs/onnx/gelu_all.onnx, dynq.onnx (+ *_x.npy, *_ref/)
                                     Gelu variants, dynamic quantization
"""
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIT = os.path.join(ROOT, "test", "Import", "Inputs")
EXEC = os.path.join(ROOT, "test-exec", "Inputs", "onnx")
OPSET = 13

rng = np.random.RandomState(7)


def const(name, shape, scale=0.5):
    return numpy_helper.from_array(
        (rng.uniform(-1, 1, size=shape) * scale).astype(np.float32), name)


def tensor_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(path, nodes, inputs, outputs, inits=(), opset=OPSET, name=None,
         check=True, domains=()):
    """`domains`: other (domain, version) opset imports."""
    graph = helper.make_graph(nodes, name or os.path.basename(path)[:-5],
                              inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid(d, v) for d, v in [("", opset)] + list(domains)])
    model.ir_version = 8
    if check:
        onnx.checker.check_model(model)
    onnx.save(model, path)
    return model


def lit_models():
    os.makedirs(LIT, exist_ok=True)
    p = lambda n: os.path.join(LIT, n)

    # Conv (pads, strides, bias) + Relu + Clip: NCHW in and out.
    save(p("conv.onnx"), [
        helper.make_node("Conv", ["x", "w", "b"], ["c1"], name="conv1",
                         pads=[1, 0, 1, 0], strides=[2, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Clip", ["r1", "lo", "hi"], ["y"], name="clip1"),
    ], [tensor_info("x", [1, 3, 8, 8])], [tensor_info("y", [1, 4, 4, 6])],
        [const("w", [4, 3, 3, 3]), const("b", [4]),
         numpy_helper.from_array(np.array(0.0, np.float32), "lo"),
         numpy_helper.from_array(np.array(6.0, np.float32), "hi")],
        name="conv-net")

    # Depthwise conv (group = C), SAME_UPPER, dilation; then a grouped conv.
    save(p("conv_group.onnx"), [
        helper.make_node("Conv", ["x", "wd"], ["dw"], name="dw",
                         group=4, auto_pad="SAME_UPPER", dilations=[2, 2]),
        helper.make_node("Conv", ["dw", "wg"], ["y"], name="grouped",
                         group=2),
    ], [tensor_info("x", [1, 4, 6, 6])], [tensor_info("y", [1, 6, 4, 4])],
        [const("wd", [4, 1, 3, 3]), const("wg", [6, 2, 3, 3])])

    # Gemm with transB, alpha, beta and a [N] bias; a second one with an
    # [M,N] addend and transA.
    save(p("gemm.onnx"), [
        helper.make_node("Gemm", ["x", "w", "b"], ["fc"], name="fc",
                         transB=1, alpha=2.0, beta=0.5),
        helper.make_node("Gemm", ["fc", "w2", "c2"], ["y"], name="fc2",
                         transA=1),
    ], [tensor_info("x", [2, 4])], [tensor_info("y", [3, 5])],
        [const("w", [3, 4]), const("b", [3]), const("w2", [2, 5]),
         const("c2", [3, 5])])

    # MatMul [2,3,4]x[4,5] + bias; [2,2,3,4]x[4,5]; two run-time operands.
    save(p("matmul.onnx"), [
        helper.make_node("MatMul", ["x", "w"], ["mm"], name="mm"),
        helper.make_node("Add", ["mm", "b"], ["y"], name="bias"),
        helper.make_node("MatMul", ["x4", "w"], ["y4"], name="mm4"),
        helper.make_node("MatMul", ["x", "xt"], ["yb"], name="batched"),
    ], [tensor_info("x", [2, 3, 4]), tensor_info("x4", [2, 2, 3, 4]),
        tensor_info("xt", [2, 4, 3])],
        [tensor_info("y", [2, 3, 5]), tensor_info("y4", [2, 2, 3, 5]),
         tensor_info("yb", [2, 3, 3])],
        [const("w", [4, 5]), const("b", [5])])

    # Element-wise ops, with constants and broadcasting.
    save(p("elementwise.onnx"), [
        helper.make_node("Add", ["a", "b"], ["add"], name="add"),
        helper.make_node("Sub", ["add", "k"], ["subc"], name="subc"),
        helper.make_node("Sub", ["subc", "b"], ["sub"], name="sub"),
        helper.make_node("Mul", ["sub", "k"], ["mul"], name="mul"),
        helper.make_node("Div", ["mul", "k"], ["divc"], name="divc"),
        helper.make_node("Div", ["divc", "b"], ["div"], name="div"),
        helper.make_node("LeakyRelu", ["div"], ["leaky"], name="leaky",
                         alpha=0.1),
        helper.make_node("Sigmoid", ["leaky"], ["sig"], name="sig"),
        helper.make_node("Tanh", ["sig"], ["tanh"], name="tanh"),
        helper.make_node("HardSigmoid", ["tanh"], ["hsig"], name="hsig",
                         alpha=0.3, beta=0.4),
        helper.make_node("HardSwish", ["hsig"], ["hswish"], name="hswish"),
        helper.make_node("Erf", ["hswish"], ["y"], name="erf"),
    ], [tensor_info("a", [2, 3]), tensor_info("b", [3])],
        [tensor_info("y", [2, 3])], [const("k", [1, 3])], opset=14)

    # Pools: MaxPool (ceil_mode), AveragePool with and without counting the
    # padding, GlobalAveragePool, Flatten.
    save(p("pool.onnx"), [
        helper.make_node("MaxPool", ["x"], ["mp"], name="mp",
                         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["mp"], ["ap"], name="ap",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["ap"], ["api"], name="api",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["api"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["y"], name="flat"),
    ], [tensor_info("x", [1, 2, 7, 7])], [tensor_info("y", [1, 2])])

    # Shape ops.
    save(p("shape.onnx"), [
        helper.make_node("Constant", [], ["shape"], name="shape_const",
                         value=numpy_helper.from_array(
                             np.array([1, 4, 6], np.int64))),
        helper.make_node("Reshape", ["x", "shape"], ["r"], name="reshape"),
        helper.make_node("Transpose", ["r"], ["t"], name="transpose",
                         perm=[0, 2, 1]),
        helper.make_node("Unsqueeze", ["t", "axes"], ["u"], name="unsq"),
        helper.make_node("Squeeze", ["u", "axes"], ["s"], name="sq"),
        helper.make_node("Identity", ["s"], ["i"], name="id"),
        helper.make_node("Cast", ["i"], ["c"], name="cast",
                         to=TensorProto.FLOAT),
        helper.make_node("Concat", ["c", "c"], ["y"], name="cat", axis=1),
    ], [tensor_info("x", [1, 2, 3, 4])], [tensor_info("y", [1, 12, 4])],
        [numpy_helper.from_array(np.array([1], np.int64), "axes")])

    # NCHW concat of two convs stays NHWC; a transpose NCHW -> NHWC folds.
    save(p("layout.onnx"), [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="c1"),
        helper.make_node("Conv", ["x", "w2"], ["c2"], name="c2"),
        helper.make_node("Concat", ["c1", "c2"], ["cat"], name="cat", axis=1),
        helper.make_node("Add", ["cat", "bias"], ["add"], name="add"),
        helper.make_node("Transpose", ["add"], ["y"], name="to_nhwc",
                         perm=[0, 2, 3, 1]),
    ], [tensor_info("x", [1, 2, 4, 4])], [tensor_info("y", [1, 4, 4, 5])],
        [const("w1", [2, 2, 1, 1]), const("w2", [3, 2, 1, 1]),
         const("bias", [5, 1, 1])])

    save(p("softmax_layernorm.onnx"), [
        helper.make_node("Softmax", ["x"], ["sm"], name="softmax", axis=-1),
        helper.make_node("LayerNormalization", ["sm", "g", "beta"], ["y"],
                         name="ln", axis=-1, epsilon=1e-5),
    ], [tensor_info("x", [2, 3, 8])], [tensor_info("y", [2, 3, 8])],
        [const("g", [8]), const("beta", [8])], opset=17)

    save(p("batchnorm.onnx"), [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("BatchNormalization",
                         ["c", "scale", "bias", "mean", "var"], ["y"],
                         name="bn", epsilon=1e-3),
    ], [tensor_info("x", [1, 2, 4, 4])], [tensor_info("y", [1, 3, 4, 4])],
        [const("w", [3, 2, 1, 1]), const("scale", [3]), const("bias", [3]),
         const("mean", [3]),
         numpy_helper.from_array(np.array([1.0, 0.5, 2.0], np.float32),
                                 "var")])

    # A symbolic batch dimension (fixed to 1, or --batch N).
    save(p("dynamic_batch.onnx"), [
        helper.make_node("Relu", ["x"], ["y"], name="relu"),
    ], [tensor_info("x", ["N", 3])], [tensor_info("y", ["N", 3])])

    # --- errors ---
    save(p("dynamic_dim.onnx"), [
        helper.make_node("Relu", ["x"], ["y"], name="relu"),
    ], [tensor_info("x", [1, "L"])], [tensor_info("y", [1, "L"])])
    save(p("unsupported_op.onnx"), [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Det", ["r"], ["y"], name="det0"),
    ], [tensor_info("x", [1, 3])], [tensor_info("y", [1, 3])])
    save(p("bad_opset.onnx"), [
        helper.make_node("Relu", ["x"], ["y"], name="relu"),
    ], [tensor_info("x", [1, 3])], [tensor_info("y", [1, 3])], opset=22,
        check=False)
    save(p("cast_int.onnx"), [
        helper.make_node("Cast", ["x"], ["y"], name="to_int",
                         to=TensorProto.DOUBLE),
    ], [tensor_info("x", [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1, 3])])
    save(p("conv_runtime_weights.onnx"), [
        helper.make_node("Conv", ["x", "w"], ["y"], name="conv"),
    ], [tensor_info("x", [1, 2, 4, 4]), tensor_info("w", [3, 2, 1, 1])],
        [tensor_info("y", [1, 3, 4, 4])])
    # Shapes that do not fit: inference fails.
    save(p("bad_shapes.onnx"), [
        helper.make_node("Add", ["a", "b"], ["y"], name="add"),
    ], [tensor_info("a", [2, 3]), tensor_info("b", [4, 5])],
        [tensor_info("y", [2, 3])], check=False)
    good = open(p("conv.onnx"), "rb").read()
    with open(p("truncated.onnx"), "wb") as f:
        f.write(good[: len(good) // 2])
    with open(p("garbage.onnx"), "wb") as f:
        f.write(b"this is not an ONNX model\n")


# --- the execution test's CNN, and NumPy to compute its outputs -------------

def conv2d(x, w, b, pad):
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    y = np.zeros((n, o, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nchw,oc->nohw", xp[:, :, i:i + oh, j:j + ow],
                           w[:, :, i, j])
    return y + b.reshape(1, o, 1, 1)


def maxpool2(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def cnn():
    os.makedirs(os.path.join(EXEC, "ref"), exist_ok=True)
    w1, b1 = const("w1", [8, 3, 3, 3], 0.4), const("b1", [8], 0.1)
    w2, b2 = const("w2", [16, 8, 3, 3], 0.2), const("b2", [16], 0.1)
    wf, bf = const("wf", [10, 64], 0.2), const("bf", [10], 0.1)
    save(os.path.join(EXEC, "cnn.onnx"), [
        helper.make_node("Conv", ["input", "w1", "b1"], ["conv1"],
                         name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv1"], ["relu1"], name="relu1"),
        helper.make_node("MaxPool", ["relu1"], ["pool1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pool1", "w2", "b2"], ["conv2"],
                         name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv2"], ["relu2"], name="relu2"),
        helper.make_node("MaxPool", ["relu2"], ["pool2"], name="pool2",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool2"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["logits"], name="fc",
                         transB=1),
    ], [tensor_info("input", ["batch", 3, 8, 8])],
        [tensor_info("logits", ["batch", 10])],
        [w1, b1, w2, b2, wf, bf], name="cnn")
    arr = numpy_helper.to_array
    x = rng.uniform(-1, 1, size=(16, 3, 8, 8)).astype(np.float32)
    h = maxpool2(np.maximum(conv2d(x, arr(w1), arr(b1), 1), 0))
    h = maxpool2(np.maximum(conv2d(h, arr(w2), arr(b2), 1), 0))
    y = h.reshape(16, -1) @ arr(wf).astype(np.float64).T + arr(bf)
    np.save(os.path.join(EXEC, "x.npy"), x)
    np.save(os.path.join(EXEC, "ref", "logits.npy"), y.astype(np.float32))


# --- pre-quantized (QDQ) models ----------------------------------------------
# Quantized the way ONNX Runtime's static quantizer does it (QDQ format):
# per-channel symmetric int8 weights, asymmetric uint8 or int8 activations
# from min/max ranges, int32 biases at scale input scale x weight scale.

qrng = np.random.RandomState(23)
QRANGE = {TensorProto.UINT8: (0, 255, np.uint8),
          TensorProto.INT8: (-128, 127, np.int8)}


def act_params(lo, hi, dtype):
    """ORT's MinMax calibration: the range widened to contain 0."""
    qmin, qmax, _ = QRANGE[dtype]
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = np.float32((hi - lo) / (qmax - qmin)) if hi > lo else np.float32(1)
    zp = int(np.clip(np.rint(qmin - lo / scale), qmin, qmax))
    return scale, zp


def quantize(x, scale, zp, dtype):
    """QuantizeLinear: round half to even, saturate (float32 division)."""
    qmin, qmax, _ = QRANGE[dtype]
    q = np.rint(np.asarray(x, np.float32) / np.float32(scale))
    return np.clip(q + zp, qmin, qmax)


def dequantize(q, scale, zp):
    return ((q - zp).astype(np.float32) * np.float32(scale)).astype(np.float32)


def qdq(x, scale, zp, dtype):
    return dequantize(quantize(x, scale, zp, dtype), scale, zp)


def weight_params(w):
    """Per output channel (axis 0), symmetric int8 in [-127, 127]."""
    m = np.abs(w.reshape(w.shape[0], -1)).max(axis=1)
    scale = (np.maximum(m, 1e-8) / 127.0).astype(np.float32)
    q = np.clip(np.rint(w / scale.reshape([-1] + [1] * (w.ndim - 1))),
                -127, 127).astype(np.int8)
    return q, scale


def bias_params(b, x_scale, w_scale):
    scale = (np.float32(x_scale) * w_scale).astype(np.float32)
    return np.rint(b / scale).astype(np.int32), scale


class QdqBuilder:
    """Builds a QDQ graph; `q(x)` adds QuantizeLinear + DequantizeLinear."""

    def __init__(self, dtype):
        self.dtype, self.nodes, self.inits = dtype, [], []

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def q(self, x, scale, zp, name):
        _, _, npt = QRANGE[self.dtype]
        s = self.init(name + "_scale", np.array(scale, np.float32))
        z = self.init(name + "_zp", np.array(zp, npt))
        self.nodes.append(helper.make_node(
            "QuantizeLinear", [x, s, z], [name + "_q"], name=name + "_Q"))
        self.nodes.append(helper.make_node(
            "DequantizeLinear", [name + "_q", s, z], [name + "_dq"],
            name=name + "_DQ"))
        return name + "_dq"

    def weights(self, name, qw, scale, axis=0):
        w = self.init(name + "_int8", qw)
        s = self.init(name + "_w_scale", scale)
        z = self.init(name + "_w_zp", np.zeros(scale.shape, np.int8))
        self.nodes.append(helper.make_node(
            "DequantizeLinear", [w, s, z], [name + "_w_dq"], axis=axis,
            name=name + "_w_DQ"))
        return name + "_w_dq"

    def bias(self, name, qb, scale):
        b = self.init(name + "_int32", qb)
        s = self.init(name + "_b_scale", scale)
        z = self.init(name + "_b_zp", np.zeros(scale.shape, np.int32))
        self.nodes.append(helper.make_node(
            "DequantizeLinear", [b, s, z], [name + "_b_dq"], axis=0,
            name=name + "_b_DQ"))
        return name + "_b_dq"


def qdq_cnn(dtype, suffix):
    """A CNN (Conv+Relu, MaxPool, Conv+Relu, MaxPool, Flatten, Gemm) in QDQ
    form, its inputs and its outputs simulated in NumPy: dequantize ->
    float op -> quantize (half to even, saturating) at every Q node."""
    w1 = (qrng.uniform(-1, 1, (8, 3, 3, 3)) * 0.4).astype(np.float32)
    b1 = (qrng.uniform(-1, 1, 8) * 0.1).astype(np.float32)
    w2 = (qrng.uniform(-1, 1, (16, 8, 3, 3)) * 0.2).astype(np.float32)
    b2 = (qrng.uniform(-1, 1, 16) * 0.1).astype(np.float32)
    wf = (qrng.uniform(-1, 1, (10, 64)) * 0.2).astype(np.float32)
    bf = (qrng.uniform(-1, 1, 10) * 0.1).astype(np.float32)
    calib = qrng.uniform(-1, 1, (32, 3, 8, 8)).astype(np.float32)
    x = qrng.uniform(-1, 1, (16, 3, 8, 8)).astype(np.float32)

    qw1, sw1 = weight_params(w1)
    qw2, sw2 = weight_params(w2)
    qwf, swf = weight_params(wf)

    # Ranges from the float model on the calibration data (ORT: MinMax).
    p_in = act_params(calib.min(), calib.max(), dtype)
    h1 = np.maximum(conv2d(calib, w1, b1, 1), 0)
    p1 = act_params(h1.min(), h1.max(), dtype)
    h2 = np.maximum(conv2d(maxpool2(h1), w2, b2, 1), 0)
    p2 = act_params(h2.min(), h2.max(), dtype)
    yf = maxpool2(h2).reshape(len(calib), -1) @ wf.T.astype(np.float64) + bf
    p_out = act_params(yf.min(), yf.max(), dtype)

    qb1, sb1 = bias_params(b1, p_in[0], sw1)
    qb2, sb2 = bias_params(b2, p1[0], sw2)
    qbf, sbf = bias_params(bf, p2[0], swf)

    g = QdqBuilder(dtype)
    t = g.q("input", *p_in, "input")
    g.nodes.append(helper.make_node(
        "Conv", [t, g.weights("conv1", qw1, sw1), g.bias("conv1", qb1, sb1)],
        ["conv1"], name="conv1", pads=[1, 1, 1, 1]))
    g.nodes.append(helper.make_node("Relu", ["conv1"], ["relu1"],
                                    name="relu1"))
    t = g.q("relu1", *p1, "relu1")
    g.nodes.append(helper.make_node("MaxPool", [t], ["pool1"], name="pool1",
                                    kernel_shape=[2, 2], strides=[2, 2]))
    t = g.q("pool1", *p1, "pool1")
    g.nodes.append(helper.make_node(
        "Conv", [t, g.weights("conv2", qw2, sw2), g.bias("conv2", qb2, sb2)],
        ["conv2"], name="conv2", pads=[1, 1, 1, 1]))
    g.nodes.append(helper.make_node("Relu", ["conv2"], ["relu2"],
                                    name="relu2"))
    t = g.q("relu2", *p2, "relu2")
    g.nodes.append(helper.make_node("MaxPool", [t], ["pool2"], name="pool2",
                                    kernel_shape=[2, 2], strides=[2, 2]))
    t = g.q("pool2", *p2, "pool2")
    g.nodes.append(helper.make_node("Flatten", [t], ["flat"], name="flatten"))
    t = g.q("flat", *p2, "flat")
    g.nodes.append(helper.make_node(
        "Gemm", [t, g.weights("fc", qwf, swf), g.bias("fc", qbf, sbf)],
        ["fc"], name="fc", transB=1))
    t = g.q("fc", *p_out, "fc")
    g.nodes.append(helper.make_node("Identity", [t], ["logits"],
                                    name="output"))
    save(os.path.join(EXEC, "cnn_qdq_%s.onnx" % suffix), g.nodes,
         [tensor_info("input", ["batch", 3, 8, 8])],
         [tensor_info("logits", ["batch", 10])], g.inits,
         name="cnn_qdq_" + suffix)

    # The QDQ model simulated: every Q node rounds and saturates.
    def sim(x):
        h = qdq(x, *p_in, dtype)
        dw1 = dequantize(qw1, sw1.reshape(-1, 1, 1, 1), 0)
        db1 = dequantize(qb1, sb1, 0)
        h = qdq(np.maximum(conv2d(h, dw1, db1, 1), 0), *p1, dtype)
        h = qdq(maxpool2(h), *p1, dtype)
        dw2 = dequantize(qw2, sw2.reshape(-1, 1, 1, 1), 0)
        db2 = dequantize(qb2, sb2, 0)
        h = qdq(np.maximum(conv2d(h, dw2, db2, 1), 0), *p2, dtype)
        h = qdq(maxpool2(h), *p2, dtype)
        h = qdq(h.reshape(len(h), -1), *p2, dtype)
        dwf = dequantize(qwf, swf.reshape(-1, 1), 0)
        dbf = dequantize(qbf, sbf, 0)
        y = h.astype(np.float64) @ dwf.T.astype(np.float64) + dbf
        return qdq(y.astype(np.float32), *p_out, dtype)

    out = os.path.join(EXEC, "qdq_%s_ref" % suffix)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(EXEC, "qdq_%s_x.npy" % suffix), x)
    np.save(os.path.join(out, "logits.npy"), sim(x).astype(np.float32))


def qdq_lit_models():
    p = lambda n: os.path.join(LIT, n)
    u8, s8 = TensorProto.UINT8, TensorProto.INT8
    # QDQ conv: u8 activations, per-channel int8 weights, int32 bias.
    w = (qrng.uniform(-1, 1, (3, 2, 3, 3)) * 0.5).astype(np.float32)
    qw, sw = weight_params(w)
    qb, sb = bias_params(np.array([0.1, -0.2, 0.05], np.float32),
                         np.float32(0.02), sw)
    g = QdqBuilder(u8)
    t = g.q("x", np.float32(0.02), 128, "x")
    g.nodes.append(helper.make_node(
        "Conv", [t, g.weights("conv", qw, sw), g.bias("conv", qb, sb)],
        ["conv"], name="conv", pads=[1, 1, 1, 1]))
    g.nodes.append(helper.make_node("Relu", ["conv"], ["relu"], name="relu"))
    t = g.q("relu", np.float32(0.05), 0, "relu")
    g.nodes.append(helper.make_node("Sigmoid", [t], ["sig"], name="sig"))
    t = g.q("sig", np.float32(1 / 256), 0, "sig")
    g.nodes.append(helper.make_node("Identity", [t], ["y"], name="out"))
    save(p("qdq_conv.onnx"), g.nodes, [tensor_info("x", [1, 2, 4, 4])],
         [tensor_info("y", [1, 3, 4, 4])], g.inits)

    # QOperator form: QuantizeLinear, QLinearConv, QLinearMatMul,
    # DequantizeLinear; Q -> Cast (to its own type) -> DQ.
    g = QdqBuilder(s8)
    sx, zx = g.init("sx", np.float32(0.05)), g.init("zx", np.int8(-3))
    sy, zy = g.init("sy", np.float32(0.1)), g.init("zy", np.int8(2))
    g.init("w", qw)
    g.init("sw", sw)
    g.init("zw", np.zeros(3, np.int8))
    g.init("b", qb)
    g.init("wm", qrng.randint(-127, 128, (48, 5)).astype(np.int8))
    g.init("swm", np.float32(0.01))
    g.init("zwm", np.int8(0))
    g.init("sz", np.float32(0.2))
    g.init("zz", np.int8(0))
    g.nodes += [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"],
                         name="quant"),
        helper.make_node("Cast", ["xq"], ["xc"], to=s8, name="cast"),
        helper.make_node("QLinearConv", ["xc", "sx", "zx", "w", "sw", "zw",
                                         "sy", "zy", "b"], ["yq"],
                         name="qconv", pads=[1, 1, 1, 1]),
        helper.make_node("Flatten", ["yq"], ["fq"], name="flatten"),
        helper.make_node("QLinearMatMul", ["fq", "sy", "zy", "wm", "swm",
                                           "zwm", "sz", "zz"], ["zq"],
                         name="qmatmul"),
        helper.make_node("DequantizeLinear", ["zq", "sz", "zz"], ["z"],
                         name="dequant"),
    ]
    save(p("qlinear.onnx"), g.nodes, [tensor_info("x", [1, 2, 4, 4])],
         [tensor_info("z", [1, 5])], g.inits)

    # ConvInteger / MatMulInteger (int32 results), Cast to float, scaled.
    g = QdqBuilder(u8)
    g.init("sx", np.float32(0.05))
    g.init("zx", np.uint8(120))
    g.init("wi", qw)
    g.init("zwi", np.int8(0))
    g.init("wm", qrng.randint(-127, 128, (32, 4)).astype(np.int8))
    g.init("scale", np.float32(0.05 * 0.01))
    g.nodes += [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"],
                         name="quant"),
        helper.make_node("ConvInteger", ["xq", "wi", "zx", "zwi"], ["ci"],
                         name="convint", pads=[1, 1, 1, 1]),
        helper.make_node("Cast", ["ci"], ["cf"], to=TensorProto.FLOAT,
                         name="cast"),
        helper.make_node("Mul", ["cf", "scale"], ["y"], name="scale_mul"),
        helper.make_node("Flatten", ["xq"], ["xf"], name="flatten"),
        helper.make_node("MatMulInteger", ["xf", "wm", "zx"], ["mi"],
                         name="matmulint"),
        helper.make_node("Cast", ["mi"], ["m"], to=TensorProto.FLOAT,
                         name="cast2"),
    ]
    save(p("integer_ops.onnx"), g.nodes, [tensor_info("x", [1, 2, 4, 4])],
         [tensor_info("y", [1, 3, 4, 4]), tensor_info("m", [1, 4])], g.inits)

    # Errors: a zero and a negative scale, DynamicQuantizeLinear.
    for name, scale in (("qdq_zero_scale.onnx", 0.0),
                        ("qdq_negative_scale.onnx", -0.5)):
        g = QdqBuilder(u8)
        g.init("s", np.float32(scale))
        g.init("z", np.uint8(0))
        g.nodes += [
            helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"],
                             name="bad_quant"),
            helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["y"],
                             name="bad_dequant"),
        ]
        save(p(name), g.nodes, [tensor_info("x", [1, 4])],
             [tensor_info("y", [1, 4])], g.inits)
    save(p("dynamic_quantize.onnx"), [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["q", "s", "z"],
                         name="dynq"),
        helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"],
                         name="dq"),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])])


# --- Gelu, LayerNormalization's extra outputs, DynamicQuantizeLinear --------
# (own random state: the models above stay byte-identical)

trng = np.random.RandomState(31)
MS = ("com.microsoft", 1)


def gelu_erf(x):
    erf = np.vectorize(math.erf)
    x = x.astype(np.float64)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_tanh(x):
    x = x.astype(np.float64)
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                  (x + 0.044715 * x ** 3)))


def gelu_nodes(x, bias, bias2, names):
    """ai.onnx Gelu (both forms), com.microsoft Gelu, FastGelu (bias),
    BiasGelu, each on `x`, giving `names`."""
    erf, tanh, ms, fast, biasgelu = names
    return [
        helper.make_node("Gelu", [x], [erf], name=erf),
        helper.make_node("Gelu", [x], [tanh], name=tanh, approximate="tanh"),
        helper.make_node("Gelu", [x], [ms], name=ms, domain=MS[0]),
        helper.make_node("FastGelu", [x, bias], [fast], name=fast,
                         domain=MS[0]),
        helper.make_node("BiasGelu", [x, bias2], [biasgelu], name=biasgelu,
                         domain=MS[0]),
    ]


def dynamic_quantize(x):
    """DynamicQuantizeLinear as ONNX defines it (uint8), in float32."""
    lo = np.minimum(np.float32(0), x.min())
    hi = np.maximum(np.float32(0), x.max())
    scale = (hi - lo) / np.float32(255) if hi > lo else np.float32(1)
    zp = np.uint8(np.clip(np.rint(-lo / scale), 0, 255))
    y = np.clip(np.rint(x / scale) + zp, 0, 255).astype(np.uint8)
    return y, scale, zp


def transformer_lit_models():
    p = lambda n: os.path.join(LIT, n)
    f = lambda n, a: numpy_helper.from_array(a.astype(np.float32), n)
    # Gelu: ai.onnx (opset 20, both forms) and com.microsoft (Gelu,
    # FastGelu with a bias, BiasGelu) on [2,3,8]; com.microsoft Gelu after a
    # Conv keeps NHWC. libonnx 1.12's checker knows neither: check=False.
    save(p("gelu.onnx"),
         gelu_nodes("x", "b", "b2", ["erf", "tanh", "ms", "fast", "biasgelu"])
         + [helper.make_node("Conv", ["x4", "w"], ["c"], name="conv"),
            helper.make_node("Gelu", ["c"], ["y4"], name="conv_gelu",
                             domain=MS[0])],
         [tensor_info("x", [2, 3, 8]), tensor_info("x4", [1, 2, 4, 4])],
         [tensor_info(n, [2, 3, 8])
          for n in ["erf", "tanh", "ms", "fast", "biasgelu"]]
         + [tensor_info("y4", [1, 3, 4, 4])],
         [f("b", trng.uniform(-1, 1, 8)), f("b2", trng.uniform(-1, 1, 8)),
          f("w", trng.uniform(-1, 1, (3, 2, 1, 1)))],
         opset=20, check=False, domains=[MS])
    # Errors: an unknown approximate; ai.onnx Gelu before opset 20; a
    # com.microsoft op in a model that does not import the domain; BiasGelu
    # without its bias.
    save(p("gelu_bad_approximate.onnx"), [
        helper.make_node("Gelu", ["x"], ["y"], name="gelu",
                         approximate="fast"),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], opset=20,
        check=False)
    save(p("gelu_opset17.onnx"), [
        helper.make_node("Gelu", ["x"], ["y"], name="gelu"),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], opset=17,
        check=False)
    save(p("gelu_no_bias.onnx"), [
        helper.make_node("BiasGelu", ["x"], ["y"], name="gelu", domain=MS[0]),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], opset=17,
        check=False, domains=[MS])
    save(p("gelu_no_domain.onnx"), [
        helper.make_node("Gelu", ["x"], ["y"], name="gelu", domain=MS[0]),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], opset=17,
        check=False)

    # LayerNormalization with its Mean and InvStdDev outputs (axis 1 of
    # [2,3,4]: both [2,1,1]); one asking for InvStdDev only; stash_type
    # double is an error.
    save(p("layernorm_stats.onnx"), [
        helper.make_node("LayerNormalization", ["x", "g", "beta"],
                         ["y", "mean", "inv"], name="ln", axis=1),
        helper.make_node("LayerNormalization", ["x", "g2"],
                         ["y2", "", "inv2"], name="ln2", axis=-1),
    ], [tensor_info("x", [2, 3, 4])],
        [tensor_info("y", [2, 3, 4]), tensor_info("mean", [2, 1, 1]),
         tensor_info("inv", [2, 1, 1]), tensor_info("y2", [2, 3, 4]),
         tensor_info("inv2", [2, 3, 1])],
        [f("g", trng.uniform(0.5, 1.5, (3, 4))),
         f("beta", trng.uniform(-1, 1, (3, 4))),
         f("g2", trng.uniform(0.5, 1.5, 4))], opset=17)
    save(p("layernorm_stash.onnx"), [
        helper.make_node("LayerNormalization", ["x", "g"], ["y"], name="ln",
                         stash_type=TensorProto.DOUBLE),
    ], [tensor_info("x", [2, 4])], [tensor_info("y", [2, 4])],
        [f("g", np.ones(4))], opset=17)

    # DynamicQuantizeLinear: its three outputs returned (u8 integers, f32
    # scale); dynamic quantization as ONNX Runtime's quantize_dynamic makes
    # it (MatMulInteger / ConvInteger with the run-time zero point, the
    # int32 result scaled by y_scale * w_scale); a run-time scale vector in
    # DequantizeLinear is an error.
    u8 = lambda n, a: numpy_helper.from_array(np.asarray(a, np.uint8), n)
    s8 = lambda n, a: numpy_helper.from_array(np.asarray(a, np.int8), n)
    save(p("dynq_outputs.onnx"), [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"],
                         name="dynq"),
    ], [tensor_info("x", [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [2, 3]),
         tensor_info("s", []),
         helper.make_tensor_value_info("z", TensorProto.UINT8, [])],
        opset=13)
    save(p("dynq_ops.onnx"), [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"],
                         name="dynq"),
        helper.make_node("MatMulInteger", ["xq", "wm", "xz", "wmz"], ["mi"],
                         name="matmulint"),
        helper.make_node("Cast", ["mi"], ["mf"], to=TensorProto.FLOAT,
                         name="cast"),
        helper.make_node("Mul", ["xs", "wms"], ["ms"], name="scale"),
        helper.make_node("Mul", ["mf", "ms"], ["m"], name="rescale"),
        helper.make_node("DynamicQuantizeLinear", ["x4"], ["cq", "cs", "cz"],
                         name="dynq4"),
        helper.make_node("ConvInteger", ["cq", "wc", "cz"], ["ci"],
                         name="convint", pads=[1, 1, 1, 1]),
        helper.make_node("Cast", ["ci"], ["c"], to=TensorProto.FLOAT,
                         name="cast4"),
        helper.make_node("DequantizeLinear", ["cq", "cs", "cz"], ["dq"],
                         name="dequant"),
    ], [tensor_info("x", [2, 6]), tensor_info("x4", [1, 2, 4, 4])],
        [tensor_info("m", [2, 3]), tensor_info("c", [1, 3, 4, 4]),
         tensor_info("dq", [1, 2, 4, 4])],
        [s8("wm", trng.randint(-127, 128, (6, 3))), s8("wmz", 0),
         f("wms", np.float32(0.02)),
         u8("wc", trng.randint(0, 256, (3, 2, 3, 3)))], opset=13)
    save(p("dynq_vector_scale.onnx"), [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["q", "s", "z"],
                         name="dynq"),
        helper.make_node("Mul", ["s", "two"], ["s2"], name="double"),
        helper.make_node("DequantizeLinear", ["q", "s2", "z"], ["y"],
                         name="dq"),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])],
        [f("two", np.array([2, 2, 2, 2]))], opset=13)


def transformer_exec_models():
    os.makedirs(os.path.join(EXEC, "gelu_ref"), exist_ok=True)
    os.makedirs(os.path.join(EXEC, "dynq_ref"), exist_ok=True)
    # Gelu variants on [4,16], against NumPy in float64.
    x = (trng.standard_normal((4, 16)) * 2).astype(np.float32)
    b = trng.uniform(-1, 1, 16).astype(np.float32)
    b2 = trng.uniform(-1, 1, 16).astype(np.float32)
    names = ["erf", "tanh", "ms", "fast", "biasgelu"]
    save(os.path.join(EXEC, "gelu_all.onnx"),
         gelu_nodes("x", "b", "b2", names), [tensor_info("x", [4, 16])],
         [tensor_info(n, [4, 16]) for n in names],
         [numpy_helper.from_array(b, "b"), numpy_helper.from_array(b2, "b2")],
         opset=20, check=False, domains=[MS])
    np.save(os.path.join(EXEC, "gelu_x.npy"), x)
    for n, y in zip(names, [gelu_erf(x), gelu_tanh(x), gelu_erf(x),
                            gelu_tanh(x + b), gelu_erf(x + b2)]):
        np.save(os.path.join(EXEC, "gelu_ref", n + ".npy"),
                y.astype(np.float32))

    # A dynamically quantized layer as ONNX Runtime's quantize_dynamic makes
    # it: DynamicQuantizeLinear, MatMulInteger with int8 weights, Cast, Mul
    # by y_scale * w_scale, Add bias; and the quantized input itself.
    x = (trng.standard_normal((8, 32)) * 1.5 + 0.3).astype(np.float32)
    w = trng.randint(-127, 128, (32, 16)).astype(np.int8)
    ws = np.float32(0.004)
    bias = trng.uniform(-0.5, 0.5, 16).astype(np.float32)
    save(os.path.join(EXEC, "dynq.onnx"), [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"],
                         name="dynq"),
        helper.make_node("MatMulInteger", ["xq", "w", "xz"], ["mi"],
                         name="matmulint"),
        helper.make_node("Cast", ["mi"], ["mf"], to=TensorProto.FLOAT,
                         name="cast"),
        helper.make_node("Mul", ["xs", "ws"], ["s"], name="scale"),
        helper.make_node("Mul", ["mf", "s"], ["ms"], name="rescale"),
        helper.make_node("Add", ["ms", "bias"], ["y"], name="bias_add"),
    ], [tensor_info("x", [8, 32])],
        [tensor_info("y", [8, 16]),
         helper.make_tensor_value_info("xq", TensorProto.UINT8, [8, 32]),
         tensor_info("xs", []),
         helper.make_tensor_value_info("xz", TensorProto.UINT8, [])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(ws, "ws"),
         numpy_helper.from_array(bias, "bias")])
    q, scale, zp = dynamic_quantize(x)
    acc = (q.astype(np.int32) - np.int32(zp)) @ w.astype(np.int32)
    y = acc.astype(np.float32) * (scale * ws) + bias
    np.save(os.path.join(EXEC, "dynq_x.npy"), x)
    for n, a in [("y", y), ("xq", q), ("xs", scale), ("xz", zp)]:
        np.save(os.path.join(EXEC, "dynq_ref", n + ".npy"), a)


def qat_lit_models():
    """What torch.onnx.export makes of a PyTorch QAT model (eager mode,
    'fbgemm' qconfig): 1-element scale/zero-point tensors (zero points shared
    through Identity), the 7-bit activation range as QuantizeLinear ->
    Clip(uint8 127) -> DequantizeLinear, per-channel QuantizeLinear ->
    DequantizeLinear of float weights, no quantize after MaxPool or
    AveragePool (a Pad with zero pads before it), Gemm with transB.
    And Pad on its own."""
    p = lambda n: os.path.join(LIT, n)
    r = np.random.RandomState(11)
    u8 = TensorProto.UINT8
    inits = []

    def init(name, a):
        inits.append(numpy_helper.from_array(a, name))
        return name

    def per_channel_weights(name, shape):
        w = (r.uniform(-1, 1, shape) * 0.5).astype(np.float32)
        scale = (np.abs(w).reshape(shape[0], -1).max(1) / 127.5).astype(
            np.float32)
        init(name, w)
        init(name + "_scale", scale)
        init(name + "_zp", np.zeros(shape[0], np.int8))
        return [
            helper.make_node("QuantizeLinear",
                             [name, name + "_scale", name + "_zp"],
                             [name + "_q"], axis=0, name=name + "_Q"),
            helper.make_node("DequantizeLinear",
                             [name + "_q", name + "_scale", name + "_zp"],
                             [name + "_dq"], axis=0, name=name + "_DQ"),
        ]

    init("zp0", np.array([0], np.uint8))
    init("zp_out", np.array([91], np.uint8))
    nodes = [helper.make_node("Identity", ["zp0"], ["zp1"], name="zp_id")]

    def fake_quant(x, name, scale, zp):
        s = init(name + "_scale", np.array([scale], np.float32))
        return [
            helper.make_node("QuantizeLinear", [x, s, zp], [name + "_q"],
                             name=name + "_Q"),
            helper.make_node("Constant", [], [name + "_max"],
                             name=name + "_max",
                             value=numpy_helper.from_array(np.uint8(127))),
            helper.make_node("Clip", [name + "_q", "", name + "_max"],
                             [name + "_clip"], name=name + "_clip"),
            helper.make_node("DequantizeLinear", [name + "_clip", s, zp],
                             [name + "_dq"], name=name + "_DQ"),
        ]

    nodes += fake_quant("x", "in", 1 / 127, "zp0")
    nodes += per_channel_weights("w1", (4, 1, 3, 3))
    init("b1", (r.uniform(-1, 1, 4) * 0.1).astype(np.float32))
    nodes += [
        helper.make_node("Conv", ["in_dq", "w1_dq", "b1"], ["c1"], name="c1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="r1"),
    ]
    nodes += fake_quant("r1", "a1", 0.02, "zp1")
    nodes += per_channel_weights("wd", (4, 1, 3, 3))
    init("bd", (r.uniform(-1, 1, 4) * 0.1).astype(np.float32))
    init("no_pads", np.zeros(8, np.int64))
    nodes += [
        helper.make_node("MaxPool", ["a1_dq"], ["mp"], name="mp",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["mp", "wd_dq", "bd"], ["c2"], name="c2",
                         pads=[1, 1, 1, 1], group=4),
        helper.make_node("Relu", ["c2"], ["r2"], name="r2"),
    ]
    nodes += fake_quant("r2", "a2", 0.03, "zp1")
    nodes += per_channel_weights("wf", (3, 4))
    init("bf", (r.uniform(-1, 1, 3) * 0.1).astype(np.float32))
    nodes += [
        helper.make_node("Pad", ["a2_dq", "no_pads"], ["pad"], name="pad"),
        helper.make_node("AveragePool", ["pad"], ["ap"], name="ap",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["ap"], ["flat"], name="flat"),
        helper.make_node("Gemm", ["flat", "wf_dq", "bf"], ["fc"], name="fc",
                         transB=1),
    ]
    nodes += fake_quant("fc", "out", 0.05, "zp_out")
    nodes.append(helper.make_node("Identity", ["out_dq"], ["y"], name="y"))
    save(p("qdq_torch_qat.onnx"), nodes, [tensor_info("x", [1, 1, 4, 4])],
         [tensor_info("y", [1, 3])], inits)

    # Pad: a constant value, on the NHWC form of a convolution's result (the
    # pads permute with it); zero pads are nothing; other modes are refused.
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Pad", ["c", "pads", "value"], ["padded"],
                         name="pad"),
        helper.make_node("Pad", ["padded", "zeros"], ["y"], name="nothing"),
    ]
    save(p("pad.onnx"), nodes, [tensor_info("x", [1, 2, 3, 3])],
         [tensor_info("y", [1, 3, 6, 10])],
         [const("w", [3, 2, 1, 1]),
          numpy_helper.from_array(np.array([0, 0, 1, 3, 0, 0, 2, 4],
                                           np.int64), "pads"),
          numpy_helper.from_array(np.float32(1.5), "value"),
          numpy_helper.from_array(np.zeros(8, np.int64), "zeros")])
    save(p("pad_reflect.onnx"), [
        helper.make_node("Pad", ["x", "pads"], ["y"], name="reflect",
                         mode="reflect"),
    ], [tensor_info("x", [1, 4])], [tensor_info("y", [1, 6])],
        [numpy_helper.from_array(np.array([0, 1, 0, 1], np.int64), "pads")])


def newer_opset_models():
    """Ops at the versions opsets 18 to 21 added (libonnx 1.12 knows 17:
    qlow shows them to it as their older versions), an op version qlow does
    not implement, and the execution test's references (NumPy)."""
    nrng = np.random.RandomState(18)
    p = lambda n: os.path.join(LIT, n)
    x = nrng.uniform(-2, 2, (1, 4, 6, 6)).astype(np.float32)
    ints = lambda name, v: numpy_helper.from_array(np.array(v, np.int64),
                                                   name)
    # Opset 18: Reduce* axes inputs, Split's num_outputs, Mish.
    save(p("opset18.onnx"), [
        helper.make_node("ReduceMean", ["x", "hw"], ["mean"], name="mean",
                         keepdims=1),
        helper.make_node("ReduceMax", ["x", "c"], ["max"], name="max",
                         keepdims=0),
        helper.make_node("ReduceSumSquare", ["x"], ["all"], name="all",
                         keepdims=0),
        helper.make_node("ReduceL2", ["x", "empty"], ["same"], name="same",
                         keepdims=1, noop_with_empty_axes=1),
        helper.make_node("Split", ["x"], ["s0", "s1"], name="split", axis=1,
                         num_outputs=2),
        helper.make_node("Mish", ["s1"], ["mish"], name="mish"),
    ], [tensor_info("x", [1, 4, 6, 6])],
        [tensor_info("mean", [1, 4, 1, 1]), tensor_info("max", [1, 6, 6]),
         tensor_info("all", []), tensor_info("same", [1, 4, 6, 6]),
         tensor_info("s0", [1, 2, 6, 6]), tensor_info("mish", [1, 2, 6, 6])],
        [ints("hw", [2, 3]), ints("c", [1]), ints("empty", [])],
        opset=18, check=False)
    # Opset 19: AveragePool's dilations, Cast's saturate, Resize's
    # half_pixel_symmetric, QuantizeLinear/DequantizeLinear's saturate.
    save(p("opset19.onnx"), [
        helper.make_node("AveragePool", ["x"], ["pool"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2],
                         dilations=[1, 1]),
        helper.make_node("Cast", ["pool"], ["cast"], name="cast",
                         to=TensorProto.FLOAT, saturate=1),
        helper.make_node("Resize", ["cast", "", "scales"], ["up"],
                         name="up", mode="linear",
                         coordinate_transformation_mode="half_pixel_symmetric"),
        helper.make_node("QuantizeLinear", ["up", "qs", "qz"], ["q"],
                         name="q", saturate=1),
        helper.make_node("DequantizeLinear", ["q", "qs", "qz"], ["dq"],
                         name="dq"),
    ], [tensor_info("x", [1, 4, 6, 6])], [tensor_info("dq", [1, 4, 6, 6])],
        [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32),
                                 "scales"),
         numpy_helper.from_array(np.float32(0.05), "qs"),
         numpy_helper.from_array(np.uint8(100), "qz")],
        opset=19, check=False)
    # Opset 21 (IR version 10): QuantizeLinear's output_dtype without a zero
    # point, int8 integers out; the types-only versions of Flatten,
    # Transpose, Squeeze, Unsqueeze.
    m = save(p("opset21.onnx"), [
        helper.make_node("Transpose", ["x"], ["t"], name="t",
                         perm=[0, 2, 3, 1]),
        helper.make_node("Unsqueeze", ["t", "zero"], ["u"], name="u"),
        helper.make_node("Squeeze", ["u", "zero"], ["sq"], name="sq"),
        helper.make_node("Flatten", ["sq"], ["f"], name="f", axis=1),
        helper.make_node("QuantizeLinear", ["f", "qs"], ["q"], name="q",
                         output_dtype=TensorProto.INT8),
    ], [tensor_info("x", [1, 4, 6, 6])],
        [helper.make_tensor_value_info("q", TensorProto.INT8, [1, 144])],
        [ints("zero", [0]),
         numpy_helper.from_array(np.float32(0.02), "qs")],
        opset=21, check=False)
    m.ir_version = 10
    onnx.save(m, p("opset21.onnx"))
    # Upsample-10 is deprecated (Resize replaces it): a version qlow does not
    # implement. ReduceMean-18 with axes computed at run time.
    save(p("upsample10.onnx"), [
        helper.make_node("Upsample", ["x", "scales"], ["y"], name="up",
                         mode="nearest"),
    ], [tensor_info("x", [1, 4, 6, 6])], [tensor_info("y", [1, 4, 12, 12])],
        [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32),
                                 "scales")], opset=10, check=False)
    save(p("reduce18_runtime_axes.onnx"), [
        helper.make_node("ReduceMean", ["x", "axes"], ["y"], name="mean"),
    ], [tensor_info("x", [1, 4]),
        helper.make_tensor_value_info("axes", TensorProto.INT64, [1])],
        [tensor_info("y", [1, 1])], opset=18, check=False)

    # The execution test's inputs and NumPy references.
    d = os.path.join(EXEC, "newer_opsets")
    for v in ("18", "19", "21"):
        os.makedirs(os.path.join(d, "ref" + v), exist_ok=True)
    np.save(os.path.join(d, "x.npy"), x)
    softplus = np.log1p(np.exp(x[:, 2:].astype(np.float64)))
    refs = {
        "mean": x.mean(axis=(2, 3), keepdims=True),
        "max": x.max(axis=1),
        "all": np.float32((x.astype(np.float64) ** 2).sum()),
        "same": x,  # noop_with_empty_axes: the input itself
        "s0": x[:, :2],
        "mish": x[:, 2:] * np.tanh(softplus),
    }
    for n, v in refs.items():
        np.save(os.path.join(d, "ref18", n + ".npy"), np.float32(v))
    # opset 19: pool, linear resize x2 (half_pixel_symmetric equals
    # half_pixel for an integer scale), quantize-dequantize.
    pool = x.reshape(1, 4, 3, 2, 3, 2).mean(axis=(3, 5))
    def up1(a, axis):
        n = a.shape[axis]
        xs = (np.arange(2 * n) + 0.5) / 2 - 0.5
        i0 = np.floor(xs).astype(int)
        w1 = xs - i0
        lo = np.take(a, np.clip(i0, 0, n - 1), axis=axis)
        hi = np.take(a, np.clip(i0 + 1, 0, n - 1), axis=axis)
        shape = [1] * a.ndim
        shape[axis] = 2 * n
        return lo * (1 - w1).reshape(shape) + hi * w1.reshape(shape)
    up = up1(up1(pool.astype(np.float64), 2), 3).astype(np.float32)
    q = np.clip(np.round(up / np.float32(0.05)) + 100, 0, 255)
    np.save(os.path.join(d, "ref19", "dq.npy"),
            ((q - 100) * np.float32(0.05)).astype(np.float32))
    f = x.transpose(0, 2, 3, 1).reshape(1, 144)
    np.save(os.path.join(d, "ref21", "q.npy"),
            np.clip(np.round(f / np.float32(0.02)), -128, 127)
            .astype(np.int8))


def qoperator_models():
    """ONNX Runtime's QOperator contrib ops (com.microsoft QLinear*, QGemm)
    on uint8 graph inputs, and their outputs by the ops' definitions in
    NumPy: dequantize, the float op (float32), quantize (half to even,
    saturating)."""
    orng = np.random.RandomState(21)
    u8 = TensorProto.UINT8
    MS_DOMAIN = "com.microsoft"
    a = orng.randint(0, 256, (1, 4, 4, 4)).astype(np.uint8)
    bq = orng.randint(0, 256, (1, 4, 4, 4)).astype(np.uint8)
    g = orng.randint(0, 256, (2, 8)).astype(np.uint8)
    s = orng.randint(0, 256, (2, 10)).astype(np.uint8)
    f32 = lambda v: numpy_helper.from_array(np.float32(v), None)
    inits = []

    def param(name, v, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.array(v, dtype), name))
        return name

    sa, za = param("sa", 0.02), param("za", 120, np.uint8)
    sb, zb = param("sb", 0.03), param("zb", 100, np.uint8)
    sy, zy = param("sy", 0.04), param("zy", 128, np.uint8)
    sp, zp = param("sp", 0.01), param("zp", 10, np.uint8)
    sg, zg = param("sg", 0.05), param("zg", 130, np.uint8)
    w = orng.randint(-127, 128, (8, 4)).astype(np.int8)
    param("w", w, np.int8)
    sw, zw = param("sw", 0.01), param("zw", 0, np.int8)
    bias = orng.randint(-500, 500, 4).astype(np.int32)
    param("bias", bias, np.int32)
    sq, zq = param("sq", 0.1), param("zq", 128, np.uint8)
    ss, zs = param("ss", 1.0 / 256), param("zs", 0, np.uint8)
    ms = lambda op, ins, out, **kw: helper.make_node(
        op, ins, [out], name=out, domain=MS_DOMAIN, **kw)
    nodes = [
        ms("QLinearAdd", ["a", sa, za, "b", sb, zb, sy, zy], "add"),
        ms("QLinearMul", ["a", sa, za, "b", sb, zb, sp, zp], "mul"),
        ms("QLinearGlobalAveragePool", ["a", sa, za, sa, za], "gap",
           channels_last=0),
        ms("QLinearAveragePool", ["a", sa, za, sy, zy], "avg",
           kernel_shape=[2, 2], strides=[2, 2], channels_last=1),
        ms("QLinearConcat", [sy, zy, "a", sa, za, "b", sb, zb], "cat",
           axis=1),
        ms("QLinearSigmoid", ["a", sa, za, ss, zs], "sig"),
        ms("QLinearLeakyRelu", ["a", sa, za, sy, zy], "leaky", alpha=0.1),
        ms("QLinearSoftmax", ["s", sg, zg, ss, zs], "soft", axis=-1,
           opset=13),
        ms("QGemm", ["g", sg, zg, "w", sw, zw, "bias", sq, zq], "gemm"),
        ms("QLinearReduceMean", ["a", sa, za, sy, zy], "mean", axes=[2, 3],
           keepdims=1),
    ]
    outs = {"add": [1, 4, 4, 4], "mul": [1, 4, 4, 4], "gap": [1, 4, 1, 1],
            "avg": [1, 2, 2, 4], "cat": [1, 8, 4, 4], "sig": [1, 4, 4, 4],
            "leaky": [1, 4, 4, 4], "soft": [2, 10], "gemm": [2, 4],
            "mean": [1, 4, 1, 1]}
    save(os.path.join(EXEC, "qoperator.onnx"), nodes,
         [helper.make_tensor_value_info(n, u8, v.shape)
          for n, v in [("a", a), ("b", bq), ("g", g), ("s", s)]],
         [helper.make_tensor_value_info(n, u8, shape)
          for n, shape in outs.items()],
         inits, domains=[("com.microsoft", 1)], check=False)

    d = os.path.join(EXEC, "qoperator")
    os.makedirs(os.path.join(d, "ref"), exist_ok=True)
    for n, v in [("a", a), ("b", bq), ("g", g), ("s", s)]:
        np.save(os.path.join(d, n + ".npy"), v)
    U8 = TensorProto.UINT8
    fa = dequantize(a.astype(np.int32), 0.02, 120)
    fb = dequantize(bq.astype(np.int32), 0.03, 100)
    q = lambda x, sc, z: quantize(x, sc, z, U8).astype(np.uint8)
    sigmoid = lambda x: (1 / (1 + np.exp(-x.astype(np.float64)))).astype(
        np.float32)
    sm = dequantize(s.astype(np.int32), 0.05, 130).astype(np.float64)
    sm = np.exp(sm - sm.max(axis=-1, keepdims=True))
    sm = (sm / sm.sum(axis=-1, keepdims=True)).astype(np.float32)
    acc = (dequantize(g.astype(np.int32), 0.05, 130) @ (w.astype(np.float32) * np.float32(0.01))
           + bias.astype(np.float32) * np.float32(np.float32(0.05) *
                                                   np.float32(0.01)))
    nhwc = fa.reshape(1, 4, 4, 4)  # channels_last: the input is NHWC
    refs = {
        "add": q(fa + fb, 0.04, 128),
        "mul": q(fa * fb, 0.01, 10),
        "gap": q(fa.mean(axis=(2, 3), keepdims=True), 0.02, 120),
        "avg": q(nhwc.reshape(1, 2, 2, 2, 2, 4).mean(axis=(2, 4)), 0.04, 128),
        "cat": q(np.concatenate([fa, fb], axis=1), 0.04, 128),
        "sig": q(sigmoid(fa), 1.0 / 256, 0),
        "leaky": q(np.where(fa < 0, fa * np.float32(0.1), fa), 0.04, 128),
        "soft": q(sm, 1.0 / 256, 0),
        "gemm": q(acc, 0.1, 128),
        "mean": q(fa.mean(axis=(2, 3), keepdims=True), 0.04, 128),
    }
    for n, v in refs.items():
        np.save(os.path.join(d, "ref", n + ".npy"), v)


def converter_lit_models():
    """One model per group of the converters added for models as people
    export them (the lit tests test/Import/onnx-*.test check their IR), and
    the error cases."""
    crng = np.random.RandomState(9)
    p = lambda n: os.path.join(LIT, n)
    I64, U8, BOOL = TensorProto.INT64, TensorProto.UINT8, TensorProto.BOOL
    ints = lambda name, v: numpy_helper.from_array(np.array(v, np.int64),
                                                   name)
    flt = lambda name, v: numpy_helper.from_array(np.array(v, np.float32),
                                                  name)
    info = helper.make_tensor_value_info

    # Shape arithmetic around a reshape, with a dynamic batch:
    # x.view(x.size(0), -1) as PyTorch exports it.
    save(p("shape_arith.onnx"), [
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="n", axis=0),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="n1"),
        helper.make_node("Concat", ["n1", "minus1"], ["target"],
                         name="target", axis=0),
        helper.make_node("Reshape", ["x", "target"], ["y"], name="y"),
        helper.make_node("Range", ["zero", "n", "one"], ["r"], name="range"),
        helper.make_node("Cast", ["r"], ["rf"], name="rf",
                         to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["rf", "axes1"], ["rf2"], name="rf2"),
        helper.make_node("Add", ["y", "rf2"], ["z"], name="z"),
    ], [tensor_info("x", ["N", 2, 3])], [tensor_info("z", ["N", 6])],
        [ints("zero", 0), ints("one", 1), ints("axes0", [0]),
         ints("axes1", [1]), ints("minus1", [-1])])
    save(p("shape_runtime.onnx"), [
        helper.make_node("Range", ["zero", "n", "one"], ["y"], name="range"),
    ], [info("n", I64, [])], [info("y", I64, [4])],
        [ints("zero", 0), ints("one", 1)], check=False)

    # Selections: Slice (inputs, a negative step), Split, Gather (scalar,
    # vector, run-time indices), Expand, Tile, Pad (edge).
    table = crng.uniform(-1, 1, (10, 4)).astype(np.float32)
    save(p("selections.onnx"), [
        helper.make_node("Slice", ["x", "st", "en", "ax", "sp"], ["sl"],
                         name="sl"),
        helper.make_node("Slice", ["x", "rst", "ren", "rax", "rsp"], ["rev"],
                         name="rev"),
        helper.make_node("Split", ["x", "parts"], ["p0", "p1"], name="split",
                         axis=1),
        helper.make_node("Gather", ["x", "zero"], ["g0"], name="g0", axis=2),
        helper.make_node("Gather", ["x", "pick"], ["g1"], name="g1", axis=1),
        helper.make_node("Gather", ["table", "tok"], ["emb"], name="emb",
                         axis=0),
        helper.make_node("Expand", ["v", "eshape"], ["ex"], name="ex"),
        helper.make_node("Tile", ["v", "reps"], ["ti"], name="ti"),
        helper.make_node("Pad", ["x", "pads"], ["pe"], name="pe",
                         mode="edge"),
    ], [tensor_info("x", [1, 4, 6]), info("tok", I64, [2, 3]),
        tensor_info("v", [3, 1])],
        [tensor_info("sl", [1, 2, 3]), tensor_info("rev", [1, 4, 6]),
         tensor_info("p0", [1, 1, 6]), tensor_info("p1", [1, 3, 6]),
         tensor_info("g0", [1, 4]), tensor_info("g1", [1, 3, 6]),
         tensor_info("emb", [2, 3, 4]), tensor_info("ex", [2, 3, 5]),
         tensor_info("ti", [3, 4]), tensor_info("pe", [1, 4, 9])],
        [ints("st", [1, 0]), ints("en", [3, 6]), ints("ax", [1, 2]),
         ints("sp", [1, 2]), ints("rst", [-1]), ints("ren", [-100]),
         ints("rax", [2]), ints("rsp", [-1]), ints("parts", [1, 3]),
         ints("zero", 0), ints("pick", [3, 0, 3]),
         numpy_helper.from_array(table, "table"), ints("eshape", [2, 3, 5]),
         ints("reps", [1, 4]), ints("pads", [0, 0, 1, 0, 0, 2])])

    # Reductions: spatial means and maxima are pools, others islands.
    save(p("reduce.onnx"), [
        helper.make_node("Conv", ["x", "w"], ["c"], name="c"),
        helper.make_node("ReduceMean", ["c"], ["gap"], name="gap",
                         axes=[2, 3], keepdims=0),
        helper.make_node("ReduceMax", ["c"], ["gmax"], name="gmax",
                         axes=[2, 3], keepdims=1),
        helper.make_node("GlobalMaxPool", ["c"], ["gmp"], name="gmp"),
        helper.make_node("ReduceSum", ["c", "last"], ["rs"], name="rs",
                         keepdims=1),
        helper.make_node("ArgMax", ["gap"], ["am"], name="am", axis=1,
                         keepdims=0),
    ], [tensor_info("x", [1, 3, 4, 4])],
        [tensor_info("gap", [1, 2]), tensor_info("gmax", [1, 2, 1, 1]),
         tensor_info("gmp", [1, 2, 1, 1]), tensor_info("rs", [1, 2, 4, 1]),
         info("am", I64, [1])],
        [const("w", [2, 3, 1, 1]), ints("last", [3])])

    # Resize: nearest (gathers), linear (an island); errors for the modes
    # qlow does not implement.
    save(p("resize.onnx"), [
        helper.make_node("Conv", ["x", "w"], ["c"], name="c"),
        helper.make_node("Resize", ["c", "", "sc"], ["near"], name="near",
                         mode="nearest"),
        helper.make_node("Resize", ["c", "", "sc"], ["lin"], name="lin",
                         mode="linear",
                         coordinate_transformation_mode="align_corners"),
    ], [tensor_info("x", [1, 3, 2, 2])],
        [tensor_info("near", [1, 2, 4, 4]), tensor_info("lin", [1, 2, 4, 4])],
        [const("w", [2, 3, 1, 1]), flt("sc", [1, 1, 2, 2])])
    save(p("resize_crop.onnx"), [
        helper.make_node("Resize", ["x", "roi", "sc"], ["y"], name="crop",
                         coordinate_transformation_mode="tf_crop_and_resize"),
    ], [tensor_info("x", [1, 1, 2, 2])], [tensor_info("y", [1, 1, 4, 4])],
        [flt("roi", [0, 0, 0, 0, 1, 1, 1, 1]), flt("sc", [1, 1, 2, 2])])

    # Element-wise: SiLU as one island, Max with a scalar as a clamp, Pow 2
    # as a multiplication, Neg, Sum, Where on a run-time mask.
    save(p("math.onnx"), [
        helper.make_node("Sigmoid", ["x"], ["sg"], name="sg"),
        helper.make_node("Mul", ["x", "sg"], ["silu"], name="silu"),
        helper.make_node("Max", ["x", "zerof"], ["relu"], name="relu"),
        helper.make_node("Pow", ["x", "two"], ["sq"], name="sq"),
        helper.make_node("Neg", ["x"], ["neg"], name="neg"),
        helper.make_node("Sum", ["x", "sq", "neg"], ["sum"], name="sum"),
        helper.make_node("Greater", ["x", "zerof"], ["pos"], name="pos"),
        helper.make_node("Where", ["pos", "x", "sq"], ["wh"], name="wh"),
    ], [tensor_info("x", [2, 3])],
        [tensor_info(n, [2, 3]) for n in
         ("silu", "relu", "sq", "neg", "sum", "wh")] + [info("pos", BOOL,
                                                             [2, 3])],
        [flt("zerof", 0.0), flt("two", 2.0)])

    # Integer tensors at the boundary: a uint8 image into DequantizeLinear,
    # int64 labels out of ArgMax, a bool mask in and out.
    save(p("integers.onnx"), [
        helper.make_node("DequantizeLinear", ["img", "s", "z"], ["f"],
                         name="f"),
        helper.make_node("ReduceMean", ["f"], ["m"], name="m", axes=[2, 3],
                         keepdims=0),
        helper.make_node("ArgMax", ["m"], ["label"], name="label", axis=1,
                         keepdims=0),
        helper.make_node("Not", ["mask"], ["inv"], name="inv"),
        helper.make_node("Cast", ["label"], ["labelf"], name="labelf",
                         to=TensorProto.FLOAT),
    ], [info("img", U8, [1, 3, 2, 2]), info("mask", BOOL, [4])],
        [info("label", I64, [1]), info("inv", BOOL, [4]),
         tensor_info("labelf", [1])],
        [flt("s", 0.5), numpy_helper.from_array(np.uint8(128), "z")])

    # ConvTranspose: zeros inserted, a convolution with the flipped kernel.
    save(p("convtranspose.onnx"), [
        helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], name="up",
                         strides=[2, 2], pads=[1, 1, 1, 1],
                         output_padding=[1, 1]),
    ], [tensor_info("x", [1, 2, 3, 3])], [tensor_info("y", [1, 4, 6, 6])],
        [const("w", [2, 4, 3, 3]), const("b", [4])])

    # Opset 7 and 9 semantics: Clip-6 bounds as attributes, Upsample-9,
    # BatchNormalization-7's spatial, Softmax-1 over the coerced 2-D input.
    save(p("opset7.onnx"), [
        helper.make_node("Clip", ["x"], ["c"], name="c", min=-1.0, max=1.0),
        helper.make_node("Softmax", ["c"], ["y"], name="y", axis=1),
    ], [tensor_info("x", [2, 3, 4])], [tensor_info("y", [2, 3, 4])],
        opset=7)
    save(p("upsample9.onnx"), [
        helper.make_node("Upsample", ["x", "sc"], ["y"], name="up",
                         mode="nearest"),
    ], [tensor_info("x", [1, 1, 2, 2])], [tensor_info("y", [1, 1, 4, 4])],
        [flt("sc", [1, 1, 2, 2])], opset=9)

    # A camera-frame CNN: uint8 pixels cast to float inside the model, an
    # int64 label out (ArgMax) beside the logits; calibrated on uint8 data
    # (test-exec/onnx-integer-io.test).
    save(os.path.join(EXEC, "u8_cnn.onnx"), [
        helper.make_node("Cast", ["img"], ["f"], name="f",
                         to=TensorProto.FLOAT),
        helper.make_node("Mul", ["f", "inv255"], ["n"], name="n"),
        helper.make_node("Sub", ["n", "half"], ["c"], name="c"),
        helper.make_node("Conv", ["c", "w1", "b1"], ["c1"], name="c1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="r1"),
        helper.make_node("GlobalAveragePool", ["r1"], ["g"], name="g"),
        helper.make_node("Flatten", ["g"], ["fl"], name="fl"),
        helper.make_node("Gemm", ["fl", "w2", "b2"], ["logits"],
                         name="logits", transB=1),
        helper.make_node("ArgMax", ["logits"], ["label"], name="label",
                         axis=1, keepdims=0),
    ], [info("img", U8, ["N", 3, 8, 8])],
        [tensor_info("logits", ["N", 4]), info("label", I64, ["N"])],
        [flt("inv255", 1.0 / 255), flt("half", 0.5),
         numpy_helper.from_array(
             crng.uniform(-1, 1, (8, 3, 3, 3)).astype(np.float32), "w1"),
         numpy_helper.from_array(
             crng.uniform(-0.1, 0.1, 8).astype(np.float32), "b1"),
         numpy_helper.from_array(
             crng.uniform(-1, 1, (4, 8)).astype(np.float32) * 2, "w2"),
         numpy_helper.from_array(np.array([0.5, -2.0, 0.0, 0.5], np.float32),
                                 "b2")])
    io = os.path.join(EXEC, "u8_cnn")
    os.makedirs(os.path.join(io, "calib"), exist_ok=True)
    # Images with a brightness per sample and channel, so that the labels
    # differ.
    def frames(n):
        base = crng.randint(0, 256, (n, 3, 1, 1))
        noise = crng.randint(-40, 41, (n, 3, 8, 8))
        return np.clip(base + noise, 0, 255).astype(np.uint8)
    np.save(os.path.join(io, "calib", "img.npy"), frames(16))
    np.save(os.path.join(io, "img.npy"), frames(8))

    # QOperator models with wrong parameters.
    ms = [("com.microsoft", 1)]
    save(p("qop_bad_inputs.onnx"), [
        helper.make_node("QLinearAdd", ["a", "s", "z", "a", "s"], ["y"],
                         name="add", domain="com.microsoft"),
    ], [info("a", U8, [4])], [info("y", U8, [4])],
        [flt("s", 0.1), numpy_helper.from_array(np.uint8(0), "z")],
        domains=ms, check=False)
    save(p("qop_softmax_opset.onnx"), [
        helper.make_node("QLinearSoftmax", ["a", "s", "z", "s", "z"], ["y"],
                         name="soft", domain="com.microsoft", axis=-1,
                         opset=11),
    ], [info("a", U8, [2, 4])], [info("y", U8, [2, 4])],
        [flt("s", 0.1), numpy_helper.from_array(np.uint8(0), "z")],
        domains=ms, check=False)


def qdq_selection_models():
    """A QDQ model of the data-movement ops between Q/DQ pairs (Slice,
    Split, Gather, nearest Resize, Pad edge, Transpose-free Concat, MaxPool,
    GlobalMaxPool, the spatial ReduceMean/ReduceMax): each must stay on the
    integers (no float island), and the outputs equal NumPy's simulation
    (test-exec/onnx-qdq-selections.test)."""
    srng = np.random.RandomState(33)
    u8 = TensorProto.UINT8
    g = QdqBuilder(u8)
    ints = lambda name, v: g.init(name, np.array(v, np.int64))
    s, z = np.float32(0.05), 100
    t = g.q("x", s, z, "xin")
    g.nodes += [
        helper.make_node("Slice", [t, ints("st", [1]), ints("en", [7]),
                                   ints("ax", [3]), ints("sp", [2])],
                         ["sl"], name="sl"),
        helper.make_node("Split", [t, ints("parts", [1, 3])], ["p0", "p1"],
                         name="split", axis=1),
        helper.make_node("Gather", [t, ints("pick", [3, 0, 3])], ["ga"],
                         name="ga", axis=1),
        helper.make_node("Resize", [t, "", g.init(
            "sc", np.array([1, 1, 2, 2], np.float32))], ["up"], name="up",
            mode="nearest"),
        helper.make_node("Pad", [t, ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])],
                         ["pe"], name="pe", mode="edge"),
        helper.make_node("MaxPool", [t], ["mp"], name="mp",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalMaxPool", [t], ["gmp"], name="gmp"),
        helper.make_node("ReduceMean", [t], ["rm"], name="rm", axes=[2, 3],
                         keepdims=1),
    ]
    outs = {}
    for n in ("sl", "p0", "p1", "ga", "up", "pe", "mp", "gmp", "rm"):
        outs[n] = g.q(n, s, z, n + "o")
    x = srng.uniform(-4, 4, (1, 4, 8, 8)).astype(np.float32)
    shapes = {"sl": [1, 4, 8, 3], "p0": [1, 1, 8, 8], "p1": [1, 3, 8, 8],
              "ga": [1, 3, 8, 8], "up": [1, 4, 16, 16], "pe": [1, 4, 10, 10],
              "mp": [1, 4, 4, 4], "gmp": [1, 4, 1, 1], "rm": [1, 4, 1, 1]}
    g.nodes += [helper.make_node("Identity", [outs[n]], [n + "_out"],
                                 name=n + "_out") for n in shapes]
    save(os.path.join(EXEC, "qdq_selections.onnx"), g.nodes,
         [tensor_info("x", [1, 4, 8, 8])],
         [tensor_info(n + "_out", shapes[n]) for n in shapes], g.inits)
    d = os.path.join(EXEC, "qdq_selections")
    os.makedirs(os.path.join(d, "ref"), exist_ok=True)
    np.save(os.path.join(d, "x.npy"), x)
    xq = qdq(x, s, z, u8)
    refs = {
        "sl": xq[..., 1:7:2],
        "p0": xq[:, :1], "p1": xq[:, 1:], "ga": xq[:, [3, 0, 3]],
        "up": xq.repeat(2, axis=2).repeat(2, axis=3),
        "pe": np.pad(xq, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge"),
        "mp": xq.reshape(1, 4, 4, 2, 4, 2).max(axis=(3, 5)),
        "gmp": xq.max(axis=(2, 3), keepdims=True),
        "rm": xq.mean(axis=(2, 3), keepdims=True),
    }
    for n, v in refs.items():
        np.save(os.path.join(d, "ref", n + "_out.npy"),
                qdq(v, s, z, u8).astype(np.float32))


def qdq_activation_models():
    """A QDQ model of element-wise activations between Q/DQ pairs (Sigmoid,
    Tanh, HardSigmoid, HardSwish, Erf, Elu, Softplus, Exp, and SiLU as
    x * Sigmoid(x)): each becomes a 256-entry table (qlow.lut), so no float
    island is left, and every output equals NumPy's simulation: the function
    in float64 of the dequantized input, rounded to float32, quantized
    (test-exec/onnx-qdq-activations.test)."""
    import math
    srng = np.random.RandomState(35)
    u8 = TensorProto.UINT8
    g = QdqBuilder(u8)
    s, z = np.float32(0.05), 128
    t = g.q("x", s, z, "xin")
    erf = np.vectorize(math.erf)
    softplus = lambda v: np.log1p(np.exp(v))
    fns = {
        "Sigmoid": (lambda v: 1 / (1 + np.exp(-v)), {}),
        "Tanh": (np.tanh, {}),
        "HardSigmoid": (lambda v: np.clip(0.25 * v + 0.4, 0, 1),
                        {"alpha": 0.25, "beta": 0.4}),
        "HardSwish": (lambda v: v * np.clip(v / 6 + 0.5, 0, 1), {}),
        "Erf": (erf, {}),
        "Elu": (lambda v: np.where(v > 0, v, 0.7 * (np.exp(v) - 1)),
                {"alpha": 0.7}),
        "Softplus": (softplus, {}),
        "Exp": (np.exp, {}),
    }
    x = srng.uniform(-7, 7, (1, 4, 8, 8)).astype(np.float32)
    xq = qdq(x, s, z, u8)
    grid = dequantize(np.arange(256), s, z).astype(np.float64)
    d = os.path.join(EXEC, "qdq_activations")
    os.makedirs(os.path.join(d, "ref"), exist_ok=True)
    outputs = []

    def output(name, fn, node_outputs):
        # The output's parameters from the function's range on the grid.
        ys = fn(grid)
        lo, hi = min(ys.min(), 0.0), max(ys.max(), 0.0)
        os_ = np.float32((hi - lo) / 255)
        oz = int(np.clip(np.rint(-lo / os_), 0, 255))
        g.nodes.append(helper.make_node("Identity", [g.q(
            node_outputs, os_, oz, name + "o")], [name + "_out"],
            name=name + "_out"))
        outputs.append(tensor_info(name + "_out", [1, 4, 8, 8]))
        y = fn(xq.astype(np.float64)).astype(np.float32)
        np.save(os.path.join(d, "ref", name + "_out.npy"),
                qdq(y, os_, oz, u8).astype(np.float32))

    for op, (fn, attrs) in fns.items():
        name = op.lower()
        g.nodes.append(helper.make_node(op, [t], [name], name=name, **attrs))
        output(name, fn, name)
    g.nodes += [
        helper.make_node("Sigmoid", [t], ["silu_sig"], name="silu_sig"),
        helper.make_node("Mul", [t, "silu_sig"], ["silu"], name="silu"),
    ]
    output("silu", lambda v: v / (1 + np.exp(-v)), "silu")
    save(os.path.join(EXEC, "qdq_activations.onnx"), g.nodes,
         [tensor_info("x", [1, 4, 8, 8])], outputs, g.inits, opset=17)
    np.save(os.path.join(d, "x.npy"), x)


if __name__ == "__main__":
    lit_models()
    cnn()
    qdq_lit_models()
    qdq_cnn(TensorProto.UINT8, "u8")
    qdq_cnn(TensorProto.INT8, "s8")
    transformer_lit_models()
    transformer_exec_models()
    qat_lit_models()
    newer_opset_models()
    qoperator_models()
    converter_lit_models()
    qdq_selection_models()
    qdq_activation_models()
