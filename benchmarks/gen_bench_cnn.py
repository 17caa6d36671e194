#!/usr/bin/env python3
"""Writes bench_cnn.mlir: a mid-sized FP32 TOSA CNN for benchmarks.

Input [1,32,32,3] NHWC: conv3x3 3->32 + ReLU6, depthwise 3x3 + ReLU,
conv1x1 32->32 + residual add, max pool, conv3x3 32->64 + ReLU,
conv3x3 64->64 + ReLU, average pools down to 1x1, fully connected 64->10.
Constants are deterministic (scripts/gen_example_models.py's generator):

    python3 benchmarks/gen_bench_cnn.py --out DIR
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "scripts"))
from gen_example_models import INF, Model, conv_attrs, tensor_type, wrap  # noqa: E402


def bench_cnn():
    m = Model()
    t = tensor_type
    zp = m.zero_point()

    def conv(x, cin, cout, hw, k, relu, name):
        w = m.const([cout, k, k, cin], 1 / math.sqrt(k * k * cin))
        b = m.const([cout], 0.1)
        pad = [k // 2] * 4
        y = m.op("tosa.conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s,"
                 " tensor<1xf32>, tensor<1xf32>) -> %s"
                 % (x, w, b, zp, zp, conv_attrs(pad), t([1, hw, hw, cin]),
                    t([cout, k, k, cin]), t([cout]), t([1, hw, hw, cout])),
                 name)
        if relu:
            y = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = %s} :"
                     " (%s) -> %s" % (y, relu, t([1, hw, hw, cout]),
                                      t([1, hw, hw, cout])), name + "_relu")
        return y

    x = "%input"
    c1 = conv(x, 3, 32, 32, 3, "6.0 : f32", "conv1")
    wd = m.const([3, 3, 32, 1], 1 / 3)
    bd = m.const([32], 0.1)
    d1 = m.op("tosa.depthwise_conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s,"
              " tensor<1xf32>, tensor<1xf32>) -> %s"
              % (c1, wd, bd, zp, zp, conv_attrs([1, 1, 1, 1]),
                 t([1, 32, 32, 32]), t([3, 3, 32, 1]), t([32]),
                 t([1, 32, 32, 32])), "dwconv1")
    r2 = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = %s} : (%s) -> %s"
              % (d1, INF, t([1, 32, 32, 32]), t([1, 32, 32, 32])), "relu2")
    p1 = conv(r2, 32, 32, 32, 1, None, "conv2")
    a1 = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (p1, c1, t([1, 32, 32, 32]), t([1, 32, 32, 32]),
                 t([1, 32, 32, 32])), "add1")
    mp = m.op("tosa.max_pool2d %s {kernel = array<i64: 2, 2>, stride ="
              " array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (%s) -> %s"
              % (a1, t([1, 32, 32, 32]), t([1, 16, 16, 32])), "maxpool")
    c3 = conv(mp, 32, 64, 16, 3, INF, "conv3")
    c4 = conv(c3, 64, 64, 16, 3, INF, "conv4")
    ap = m.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64:"
              " 16, 16>, stride = array<i64: 16, 16>, pad = array<i64: 0, 0, 0,"
              " 0>} : (%s, tensor<1xf32>, tensor<1xf32>) -> %s"
              % (c4, zp, zp, t([1, 16, 16, 64]), t([1, 1, 1, 64])), "avgpool")
    s3 = m.shape([1, 1, 64])
    f = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s"
             % (ap, s3, t([1, 1, 1, 64]), t([1, 1, 64])), "flatten")
    wf = m.const([1, 64, 10], 1 / 8)
    bf = m.const([1, 1, 10], 0.1)
    mm = m.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (f, wf, zp, zp, t([1, 1, 64]), t([1, 64, 10]), t([1, 1, 10])),
              "fc")
    ab = m.op("tosa.add %s, %s : (%s, %s) -> %s"
              % (mm, bf, t([1, 1, 10]), t([1, 1, 10]), t([1, 1, 10])),
              "fc_bias")
    s2 = m.shape([1, 10])
    out = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<2>) -> %s"
               % (ab, s2, t([1, 1, 10]), t([1, 10])), "logits")
    return wrap("bench_cnn", "%input: " + t([1, 32, 32, 3]), t([1, 10]), m,
                out, "A mid-sized float TOSA CNN for benchmarks (see "
                "benchmarks/gen_bench_cnn.py).")


def mid_cnn():
    """The x86 backend's execution test model (test/Integration/Inputs/
    x86-mid-cnn.mlir): channel counts that exercise multi-group reductions
    and several output vectors (16 -> 24 -> 40), depthwise, global pool."""
    m = Model()
    t = tensor_type
    zp = m.zero_point()
    w1 = m.const([24, 3, 3, 16], 1 / 12)
    b1 = m.const([24], 0.1)
    c1 = m.op("tosa.conv2d %%input, %s, %s, %s, %s %s : (%s, %s, %s,"
              " tensor<1xf32>, tensor<1xf32>) -> %s"
              % (w1, b1, zp, zp, conv_attrs([1, 1, 1, 1]), t([1, 6, 6, 16]),
                 t([24, 3, 3, 16]), t([24]), t([1, 6, 6, 24])), "conv1")
    r1 = m.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = 6.0 : f32} :"
              " (%s) -> %s" % (c1, t([1, 6, 6, 24]), t([1, 6, 6, 24])),
              "relu1")
    wd = m.const([3, 3, 24, 1], 1 / 3)
    bd = m.const([24], 0.1)
    d1 = m.op("tosa.depthwise_conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s,"
              " tensor<1xf32>, tensor<1xf32>) -> %s"
              % (r1, wd, bd, zp, zp, conv_attrs([1, 1, 1, 1]),
                 t([1, 6, 6, 24]), t([3, 3, 24, 1]), t([24]),
                 t([1, 6, 6, 24])), "dwconv1")
    w2 = m.const([40, 1, 1, 24], 1 / math.sqrt(24))
    b2 = m.const([40], 0.1)
    c2 = m.op("tosa.conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s,"
              " tensor<1xf32>, tensor<1xf32>) -> %s"
              % (d1, w2, b2, zp, zp, conv_attrs([0, 0, 0, 0]),
                 t([1, 6, 6, 24]), t([40, 1, 1, 24]), t([40]),
                 t([1, 6, 6, 40])), "conv2")
    ap = m.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64:"
              " 6, 6>, stride = array<i64: 6, 6>, pad = array<i64: 0, 0, 0,"
              " 0>} : (%s, tensor<1xf32>, tensor<1xf32>) -> %s"
              % (c2, zp, zp, t([1, 6, 6, 40]), t([1, 1, 1, 40])), "avgpool")
    s3 = m.shape([1, 1, 40])
    f = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s"
             % (ap, s3, t([1, 1, 1, 40]), t([1, 1, 40])), "flatten")
    wf = m.const([1, 40, 12], 1 / math.sqrt(40))
    mm = m.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>,"
              " tensor<1xf32>) -> %s"
              % (f, wf, zp, zp, t([1, 1, 40]), t([1, 40, 12]), t([1, 1, 12])),
              "fc")
    s2 = m.shape([1, 12])
    out = m.op("tosa.reshape %s, %s : (%s, !tosa.shape<2>) -> %s"
               % (mm, s2, t([1, 1, 12]), t([1, 12])), "logits")
    return wrap("mid_cnn", "%input: " + t([1, 6, 6, 16]), t([1, 12]), m, out,
                "A float TOSA CNN for the x86 backend's execution tests (see "
                "benchmarks/gen_bench_cnn.py --test-model).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--test-model", action="store_true",
                        help="write x86-mid-cnn.mlir (the execution test's "
                        "model) instead")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.test_model:
        text = mid_cnn().replace(
            "scripts/gen_test_models.py;",
            "benchmarks/gen_bench_cnn.py --test-model;", 1)
        with open(os.path.join(args.out, "x86-mid-cnn.mlir"), "w") as f:
            f.write(text)
        return
    with open(os.path.join(args.out, "bench_cnn.mlir"), "w") as f:
        f.write(bench_cnn())


if __name__ == "__main__":
    main()
