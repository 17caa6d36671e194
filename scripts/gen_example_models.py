#!/usr/bin/env python3
"""Writes the small FP32 TOSA models under test/Inputs/.

Pure standard library and deterministic: every constant tensor k holds
    value[i] = sin(i * 0.37 + 1.3 * k) * amplitude
over its elements in row-major order (amplitude ~ 1/sqrt(fan-in) for
weights, 0.1 for biases), so the files can be regenerated bit for bit:

    python3 scripts/gen_test_models.py            # writes test/Inputs/*.mlir
    python3 scripts/gen_test_models.py --out DIR  # somewhere else

Every op carries a NameLoc (loc("conv1"), ...) so that qlow-import gives its
tensor a readable name.
"""
import argparse
import math
import os


class Model:
    def __init__(self):
        self.lines = []
        self.ntensors = 0  # constant tensors written so far (the phase k)
        self.nvalues = 0   # SSA values written so far

    def value(self):
        name = "%%%d" % self.nvalues
        self.nvalues += 1
        return name

    def emit(self, text, loc=None):
        suffix = ' loc("%s")' % loc if loc else ""
        self.lines.append("  " + text + suffix)

    def const(self, shape, amplitude):
        k = self.ntensors
        self.ntensors += 1
        n = 1
        for d in shape:
            n *= d
        flat = [math.sin(i * 0.37 + 1.3 * k) * amplitude for i in range(n)]
        ty = tensor_type(shape)
        v = self.value()
        self.emit('%s = "tosa.const"() {values = dense<%s> : %s} : () -> %s'
                  % (v, nested(flat, shape), ty, ty))
        return v

    def zero_point(self):
        v = self.value()
        self.emit('%s = "tosa.const"() {values = dense<0.0> : tensor<1xf32>}'
                  ' : () -> tensor<1xf32>' % v)
        return v

    def shape(self, dims):
        v = self.value()
        self.emit("%s = tosa.const_shape {values = dense<[%s]> : tensor<%dxindex>}"
                  " : () -> !tosa.shape<%d>"
                  % (v, ", ".join(map(str, dims)), len(dims), len(dims)))
        return v

    def op(self, text, loc):
        v = self.value()
        self.emit("%s = %s" % (v, text), loc)
        return v


def tensor_type(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape))


def fmt(x):
    return "%.6f" % x


def nested(flat, shape):
    if len(shape) == 1:
        return "[" + ", ".join(fmt(x) for x in flat) + "]"
    step = len(flat) // shape[0]
    return "[" + ", ".join(nested(flat[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def conv_attrs(pad):
    return ("{acc_type = f32, pad = array<i64: %s>, stride = array<i64: 1, 1>,"
            " dilation = array<i64: 1, 1>}" % ", ".join(map(str, pad)))


INF = "0x7F800000 : f32"


def tosa_cnn():
    m = Model()
    x = "%input"
    t = tensor_type
    zp = m.zero_point()
    # conv1: 3x3, 3 -> 8, pad 1, bias; ReLU6.
    w1 = m.const([8, 3, 3, 3], 1 / math.sqrt(27))
    b1 = m.const([8], 0.1)
    c1 = m.op("tosa.conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (x, w1, b1, zp, zp, conv_attrs([1, 1, 1, 1]), t([1, 8, 8, 3]),
                 t([8, 3, 3, 3]), t([8]), t([1, 8, 8, 8])), "conv1")
    r1 = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = 6.0 : f32} :"
              " (%s) -> %s" % (c1, t([1, 8, 8, 8]), t([1, 8, 8, 8])), "relu1")
    # dwconv1: depthwise 3x3, 8 channels, M = 1, pad 1; ReLU.
    wd = m.const([3, 3, 8, 1], 1 / 3)
    bd = m.const([8], 0.1)
    d1 = m.op("tosa.depthwise_conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s,"
              " tensor<1xf32>, tensor<1xf32>) -> %s"
              % (r1, wd, bd, zp, zp, conv_attrs([1, 1, 1, 1]),
                 t([1, 8, 8, 8]), t([3, 3, 8, 1]), t([8]), t([1, 8, 8, 8])),
              "dwconv1")
    r2 = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = %s} : (%s) -> %s"
              % (d1, INF, t([1, 8, 8, 8]), t([1, 8, 8, 8])), "relu2")
    # conv2: 1x1, 8 -> 8; residual add with relu1.
    w2 = m.const([8, 1, 1, 8], 1 / math.sqrt(8))
    b2 = m.const([8], 0.1)
    c2 = m.op("tosa.conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (r2, w2, b2, zp, zp, conv_attrs([0, 0, 0, 0]), t([1, 8, 8, 8]),
                 t([8, 1, 1, 8]), t([8]), t([1, 8, 8, 8])), "conv2")
    a1 = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (c2, r1, t([1, 8, 8, 8]), t([1, 8, 8, 8]), t([1, 8, 8, 8])),
              "add1")
    # Pools: 8x8 -> 4x4 -> 2x2.
    p1 = m.op("tosa.max_pool2d %s {kernel = array<i64: 2, 2>, stride ="
              " array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (%s) -> %s"
              % (a1, t([1, 8, 8, 8]), t([1, 4, 4, 8])), "maxpool")
    p2 = m.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64:"
              " 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>}"
              " : (%s, tensor<1xf32>, tensor<1xf32>) -> %s"
              % (p1, zp, zp, t([1, 4, 4, 8]), t([1, 2, 2, 8])), "avgpool")
    # Fully connected: reshape -> matmul -> add(bias) -> reshape.
    s3 = m.shape([1, 1, 32])
    f = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s"
             % (p2, s3, t([1, 2, 2, 8]), t([1, 1, 32])), "flatten")
    wf = m.const([1, 32, 10], 1 / math.sqrt(32))
    bf = m.const([1, 1, 10], 0.1)
    mm = m.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (f, wf, zp, zp, t([1, 1, 32]), t([1, 32, 10]), t([1, 1, 10])),
              "fc")
    ab = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (mm, bf, t([1, 1, 10]), t([1, 1, 10]), t([1, 1, 10])),
              "fc_bias")
    s2 = m.shape([1, 10])
    out = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<2>) -> %s"
               % (ab, s2, t([1, 1, 10]), t([1, 10])), "logits")
    return wrap("tosa_cnn", "%input: " + t([1, 8, 8, 3]), t([1, 10]), m, out,
                "A small float TOSA CNN: conv3x3+ReLU6, depthwise3x3+ReLU, "
                "conv1x1 + residual add,\n// max pool, avg pool, fully "
                "connected layer. Input [1,8,8,3] NHWC, output [1,10].")


def tosa_mlp():
    m = Model()
    t = tensor_type
    zp = m.zero_point()
    s3 = m.shape([1, 1, 16])
    f = m.op("tosa.reshape %%input, %s : (%s, !tosa.shape<3>) -> %s"
             % (s3, t([1, 16]), t([1, 1, 16])), "flatten")
    w1 = m.const([1, 16, 32], 1 / 4)
    b1 = m.const([1, 1, 32], 0.1)
    m1 = m.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (f, w1, zp, zp, t([1, 1, 16]), t([1, 16, 32]), t([1, 1, 32])),
              "fc1")
    a1 = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (m1, b1, t([1, 1, 32]), t([1, 1, 32]), t([1, 1, 32])),
              "fc1_bias")
    r1 = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = %s} : (%s) -> %s"
              % (a1, INF, t([1, 1, 32]), t([1, 1, 32])), "relu1")
    w2 = m.const([1, 32, 8], 1 / math.sqrt(32))
    b2 = m.const([1, 1, 8], 0.1)
    m2 = m.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (r1, w2, zp, zp, t([1, 1, 32]), t([1, 32, 8]), t([1, 1, 8])),
              "fc2")
    a2 = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (m2, b2, t([1, 1, 8]), t([1, 1, 8]), t([1, 1, 8])),
              "fc2_bias")
    s2 = m.shape([1, 8])
    out = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<2>) -> %s"
               % (a2, s2, t([1, 1, 8]), t([1, 8])), "logits")
    return wrap("tosa_mlp", "%input: " + t([1, 16]), t([1, 8]), m, out,
                "A small float TOSA MLP: 16 -> 32 (ReLU) -> 8. Input [1,16], "
                "output [1,8].")


def wrap(name, args, result, m, out, about):
    head = ["// Generated by scripts/gen_test_models.py; do not edit.",
            "// " + about,
            "func.func @%s(%s) -> %s {" % (name, args, result)]
    tail = ["  return %s : %s" % (out, result), "}", ""]
    return "\n".join(head + m.lines + tail)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "examples"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, text in (("tosa_cnn.mlir", tosa_cnn()),
                       ("tosa_mlp.mlir", tosa_mlp())):
        with open(os.path.join(args.out, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
