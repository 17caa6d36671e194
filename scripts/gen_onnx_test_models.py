#!/usr/bin/python3
"""Writes the small ONNX models of qlow's ONNX import tests.

Needs Debian's python3-onnx and python3-numpy (onnx 1.12, which has no
onnx.reference: the expected outputs of the execution test are computed here
with NumPy). Deterministic (fixed seeds), so the committed files can be
regenerated:

    /usr/bin/python3 scripts/gen_onnx_test_models.py   # writes the files below

  test/Import/Inputs/*.onnx          one model per op group, and broken ones
  test-exec/Inputs/onnx/cnn.onnx     Conv+Relu+MaxPool+Conv+Relu+MaxPool+Gemm
  test-exec/Inputs/onnx/x.npy        16 NCHW samples [16,3,8,8]
  test-exec/Inputs/onnx/ref/logits.npy  the expected outputs [16,10]
"""
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
         check=True):
    graph = helper.make_graph(nodes, name or os.path.basename(path)[:-5],
                              inputs, outputs, list(inits))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
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
        helper.make_node("Sin", ["r"], ["y"], name="sin0"),
    ], [tensor_info("x", [1, 3])], [tensor_info("y", [1, 3])])
    save(p("bad_opset.onnx"), [
        helper.make_node("Relu", ["x"], ["y"], name="relu"),
    ], [tensor_info("x", [1, 3])], [tensor_info("y", [1, 3])], opset=11)
    save(p("cast_int.onnx"), [
        helper.make_node("Cast", ["x"], ["y"], name="to_int",
                         to=TensorProto.INT64),
    ], [tensor_info("x", [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.INT64, [1, 3])])
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


if __name__ == "__main__":
    lit_models()
    cnn()
