#!/usr/bin/python3
"""Trains the bundled digits CNN and writes examples/digits/.

Deterministic (fixed seeds, single-threaded BLAS), pure numpy +
sklearn.datasets.load_digits (the 8x8 digits ship with scikit-learn; no
download). Run with Debian's Python:

    /usr/bin/python3 scripts/train_digits.py               # train + export
    /usr/bin/python3 scripts/train_digits.py --grad-check  # also check backprop
    /usr/bin/python3 scripts/train_digits.py --check-mlir  # no training: the
        # exported model.mlir, imported by qlow-opt and evaluated by
        # qlow-reference-eval on its deterministic inputs, must match this
        # script's numpy model (needs build/bin/qlow-opt, qlow-reference-eval)

Data: the 1797 images, values 0..16 scaled to [0, 1], NHWC [N, 8, 8, 1].
One fixed permutation (seed 0) puts 360 images in the test set and the other
1437 in the training set; the 300 calibration images are drawn (seed 1) from
the training part.

Model (NHWC, TOSA weight layouts: conv [O, KH, KW, I], depthwise
[KH, KW, C, 1], fully connected [K, N]):

    conv1   3x3, 1 -> 8, pad 1      + relu1      -> [1, 8, 8, 8]
    conv2   3x3, 8 -> 16, pad 1     + relu2      -> [1, 8, 8, 16]
    maxpool 2x2 / 2                              -> [1, 4, 4, 16]
    dwconv  3x3 depthwise, 16, pad 1 + relu3     -> [1, 4, 4, 16]
    avgpool 2x2 / 2                              -> [1, 2, 2, 16]
    flatten                                      -> [1, 1, 64]
    fc      64 -> 10 (+ fc_bias), logits         -> [1, 10]

No BatchNorm (nothing to fold). Adam, softmax cross-entropy, 30 epochs.
"""
import os

# One BLAS thread: the same bits on every run (and the machine is shared).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "examples", "digits")

N_TEST = 360
N_CALIB = 300
EPOCHS = 30
BATCH = 32
LR = 3e-3

# name, shape (TOSA layout)
PARAMS = [
    ("w1", (8, 3, 3, 1)), ("b1", (8,)),
    ("w2", (16, 3, 3, 8)), ("b2", (16,)),
    ("wd", (3, 3, 16, 1)), ("bd", (16,)),
    ("wf", (64, 10)), ("bf", (10,)),
]


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def load_data():
    from sklearn.datasets import load_digits
    d = load_digits()
    x = (d.images.astype(np.float32) / np.float32(16.0))[..., None]  # NHWC
    y = d.target.astype(np.int64)
    perm = np.random.default_rng(0).permutation(len(x))
    test, train = perm[:N_TEST], perm[N_TEST:]
    calib = np.sort(np.random.default_rng(1).choice(train, N_CALIB,
                                                    replace=False))
    return (x[train], y[train]), (x[test], y[test]), x[calib]


# ---------------------------------------------------------------------------
# Layers (forward returns (out, cache); backward returns grads)
# ---------------------------------------------------------------------------

def pad_hw(x, p):
    return np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))


def conv3x3_fwd(x, w, b):
    """x [N,H,W,I], w [O,3,3,I] (TOSA conv2d), pad 1, stride 1."""
    n, h, wd, c = x.shape
    xp = pad_hw(x, 1)
    cols = np.stack([xp[:, i:i + h, j:j + wd, :]
                     for i in range(3) for j in range(3)], axis=3)
    cols = cols.reshape(n * h * wd, 9 * c)  # (kh, kw, i) order
    wm = w.reshape(w.shape[0], -1).T        # [9I, O]
    out = (cols @ wm + b).reshape(n, h, wd, w.shape[0])
    return out, (x.shape, cols, w)


def conv3x3_bwd(dout, cache):
    (n, h, wd, c), cols, w = cache
    o = w.shape[0]
    d2 = dout.reshape(-1, o)
    dw = (cols.T @ d2).T.reshape(w.shape)
    db = d2.sum(0)
    dcols = (d2 @ w.reshape(o, -1)).reshape(n, h, wd, 3, 3, c)
    dxp = np.zeros((n, h + 2, wd + 2, c), dout.dtype)
    for i in range(3):
        for j in range(3):
            dxp[:, i:i + h, j:j + wd, :] += dcols[:, :, :, i, j, :]
    return dxp[:, 1:-1, 1:-1, :], dw, db


def dwconv3x3_fwd(x, w, b):
    """x [N,H,W,C], w [3,3,C,1] (TOSA depthwise_conv2d), pad 1."""
    n, h, wd, c = x.shape
    xp = pad_hw(x, 1)
    out = np.zeros_like(x) + b
    for i in range(3):
        for j in range(3):
            out += xp[:, i:i + h, j:j + wd, :] * w[i, j, :, 0]
    return out, (xp, w)


def dwconv3x3_bwd(dout, cache):
    xp, w = cache
    n, h, wd, c = dout.shape
    dw = np.zeros_like(w)
    dxp = np.zeros_like(xp)
    for i in range(3):
        for j in range(3):
            dw[i, j, :, 0] = (xp[:, i:i + h, j:j + wd, :] * dout).sum((0, 1, 2))
            dxp[:, i:i + h, j:j + wd, :] += dout * w[i, j, :, 0]
    return dxp[:, 1:-1, 1:-1, :], dw, dout.sum((0, 1, 2))


def relu_fwd(x):
    return np.maximum(x, 0), x > 0


def maxpool2_fwd(x):
    n, h, w, c = x.shape
    r = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 5, 2, 4)
    r = r.reshape(n, h // 2, w // 2, c, 4)
    idx = r.argmax(-1)
    return np.take_along_axis(r, idx[..., None], -1)[..., 0], (x.shape, idx)


def maxpool2_bwd(dout, cache):
    (n, h, w, c), idx = cache
    d = np.zeros(dout.shape + (4,), dout.dtype)
    np.put_along_axis(d, idx[..., None], dout[..., None], -1)
    d = d.reshape(n, h // 2, w // 2, c, 2, 2).transpose(0, 1, 4, 2, 5, 3)
    return d.reshape(n, h, w, c)


def avgpool2_fwd(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).mean((2, 4))


def avgpool2_bwd(dout):
    d = np.repeat(np.repeat(dout, 2, axis=1), 2, axis=2)
    return d / dout.dtype.type(4)


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------

def init_params(rng):
    def he(shape, fan_in):
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(
            np.float32)
    return {
        "w1": he((8, 3, 3, 1), 9), "b1": np.zeros(8, np.float32),
        "w2": he((16, 3, 3, 8), 72), "b2": np.zeros(16, np.float32),
        "wd": he((3, 3, 16, 1), 9), "bd": np.zeros(16, np.float32),
        "wf": he((64, 10), 64) * np.float32(0.5),
        "bf": np.zeros(10, np.float32),
    }


def forward(p, x, keep=False):
    c1, k1 = conv3x3_fwd(x, p["w1"], p["b1"])
    r1, m1 = relu_fwd(c1)
    c2, k2 = conv3x3_fwd(r1, p["w2"], p["b2"])
    r2, m2 = relu_fwd(c2)
    mp, kp = maxpool2_fwd(r2)
    cd, kd = dwconv3x3_fwd(mp, p["wd"], p["bd"])
    r3, m3 = relu_fwd(cd)
    ap = avgpool2_fwd(r3)
    flat = ap.reshape(ap.shape[0], -1)  # NHWC row-major, as tosa.reshape
    logits = flat @ p["wf"] + p["bf"]
    if not keep:
        return logits
    return logits, (k1, m1, k2, m2, kp, kd, m3, ap.shape, flat)


def loss_and_grads(p, x, y):
    logits, (k1, m1, k2, m2, kp, kd, m3, apshape, flat) = forward(p, x, True)
    z = logits - logits.max(1, keepdims=True)
    e = np.exp(z)
    prob = e / e.sum(1, keepdims=True)
    n = len(y)
    loss = -np.log(prob[np.arange(n), y]).mean()
    dl = prob
    dl[np.arange(n), y] -= 1
    dl /= n
    g = {"wf": flat.T @ dl, "bf": dl.sum(0)}
    d = avgpool2_bwd((dl @ p["wf"].T).reshape(apshape)) * m3
    d, g["wd"], g["bd"] = dwconv3x3_bwd(d, kd)
    d = maxpool2_bwd(d, kp) * m2
    d, g["w2"], g["b2"] = conv3x3_bwd(d, k2)
    d = d * m1
    _, g["w1"], g["b1"] = conv3x3_bwd(d, k1)
    return loss, g


def accuracy(p, x, y):
    return float((forward(p, x).argmax(1) == y).mean())


def grad_check():
    """Central differences in float64 on a tiny batch, every parameter."""
    rng = np.random.default_rng(123)
    p = {k: v.astype(np.float64) for k, v in init_params(rng).items()}
    for k in p:  # non-zero biases so that their gradients are exercised
        if k.startswith("b"):
            p[k] = rng.standard_normal(p[k].shape) * 0.1
    (xt, yt), _, _ = load_data()
    x, y = xt[:4].astype(np.float64), yt[:4]
    _, g = loss_and_grads(p, x, y)
    eps = 1e-6
    worst = 0.0
    for k in p:
        flat = p[k].reshape(-1)
        idx = rng.choice(flat.size, min(flat.size, 25), replace=False)
        for i in idx:
            old = flat[i]
            flat[i] = old + eps
            lp, _ = loss_and_grads(p, x, y)
            flat[i] = old - eps
            lm, _ = loss_and_grads(p, x, y)
            flat[i] = old
            num = (lp - lm) / (2 * eps)
            ana = g[k].reshape(-1)[i]
            rel = abs(num - ana) / max(1e-8, abs(num) + abs(ana))
            worst = max(worst, rel)
            if rel > 1e-5:
                raise SystemExit("grad check FAILED: %s[%d] numeric %.8g "
                                 "analytic %.8g" % (k, i, num, ana))
    print("grad check passed (max relative error %.2e)" % worst)


def train(xt, yt):
    rng = np.random.default_rng(42)
    p = init_params(rng)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, t = 0.9, 0.999, 0
    for epoch in range(EPOCHS):
        lr = LR * 0.5 * (1 + np.cos(np.pi * epoch / EPOCHS))  # cosine decay
        order = rng.permutation(len(xt))
        total = 0.0
        for s in range(0, len(order), BATCH):
            bi = order[s:s + BATCH]
            loss, g = loss_and_grads(p, xt[bi], yt[bi])
            total += loss * len(bi)
            t += 1
            for k in p:
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                mh = m[k] / (1 - b1 ** t)
                vh = v[k] / (1 - b2 ** t)
                p[k] = (p[k] - lr * mh / (np.sqrt(vh) + 1e-8)).astype(
                    np.float32)
        if epoch % 5 == 4 or epoch == EPOCHS - 1:
            print("epoch %2d  loss %.4f  train acc %.4f"
                  % (epoch + 1, total / len(xt), accuracy(p, xt, yt)))
    return p


# ---------------------------------------------------------------------------
# TOSA MLIR export (the style of examples/tosa_cnn.mlir)
# ---------------------------------------------------------------------------

def fmt(x):
    return "%.8e" % x  # 9 significant digits: every f32 round-trips


def nested(a):
    if a.ndim == 1:
        return "[" + ", ".join(fmt(x) for x in a) + "]"
    return "[" + ", ".join(nested(s) for s in a) + "]"


def ty(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape))


def export_mlir(p, path):
    lines = []
    n = [0]

    def val():
        s = "%%%d" % n[0]
        n[0] += 1
        return s

    def const(a):
        v = val()
        a = np.asarray(a, np.float32)
        lines.append('  %s = "tosa.const"() {values = dense<%s> : %s} : () -> %s'
                     % (v, nested(a), ty(a.shape), ty(a.shape)))
        return v

    def op(text, loc):
        v = val()
        lines.append('  %s = %s loc("%s")' % (v, text, loc))
        return v

    def shape(dims):
        v = val()
        lines.append("  %s = tosa.const_shape {values = dense<[%s]> : "
                     "tensor<%dxindex>} : () -> !tosa.shape<%d>"
                     % (v, ", ".join(map(str, dims)), len(dims), len(dims)))
        return v

    def conv(x, xs, w, b, ys, name):
        wv, bv = const(w), const(b)
        return op("tosa.conv2d %s, %s, %s, %s, %s {acc_type = f32, pad = "
                  "array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation "
                  "= array<i64: 1, 1>} : (%s, %s, %s, tensor<1xf32>, "
                  "tensor<1xf32>) -> %s"
                  % (x, wv, bv, zp, zp, ty(xs), ty(w.shape), ty(b.shape),
                     ty(ys)), name)

    def relu(x, s, name):
        return op("tosa.clamp %s {min_val = 0.0 : f32, max_val = 0x7F800000 : "
                  "f32} : (%s) -> %s" % (x, ty(s), ty(s)), name)

    zp = val()
    lines.append('  %s = "tosa.const"() {values = dense<0.0> : tensor<1xf32>}'
                 ' : () -> tensor<1xf32>' % zp)
    x = "%input"
    x = conv(x, (1, 8, 8, 1), p["w1"], p["b1"], (1, 8, 8, 8), "conv1")
    x = relu(x, (1, 8, 8, 8), "relu1")
    x = conv(x, (1, 8, 8, 8), p["w2"], p["b2"], (1, 8, 8, 16), "conv2")
    x = relu(x, (1, 8, 8, 16), "relu2")
    x = op("tosa.max_pool2d %s {kernel = array<i64: 2, 2>, stride = "
           "array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (%s) -> %s"
           % (x, ty((1, 8, 8, 16)), ty((1, 4, 4, 16))), "maxpool")
    wv, bv = const(p["wd"]), const(p["bd"])
    x = op("tosa.depthwise_conv2d %s, %s, %s, %s, %s {acc_type = f32, pad = "
           "array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = "
           "array<i64: 1, 1>} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) "
           "-> %s" % (x, wv, bv, zp, zp, ty((1, 4, 4, 16)), ty((3, 3, 16, 1)),
                      ty((16,)), ty((1, 4, 4, 16))), "dwconv")
    x = relu(x, (1, 4, 4, 16), "relu3")
    x = op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64: "
           "2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : "
           "(%s, tensor<1xf32>, tensor<1xf32>) -> %s"
           % (x, zp, zp, ty((1, 4, 4, 16)), ty((1, 2, 2, 16))), "avgpool")
    s = shape([1, 1, 64])
    x = op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s"
           % (x, s, ty((1, 2, 2, 16)), ty((1, 1, 64))), "flatten")
    wv = const(p["wf"][None])
    bv = const(p["bf"][None, None])
    x = op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>, "
           "tensor<1xf32>) -> %s" % (x, wv, zp, zp, ty((1, 1, 64)),
                                     ty((1, 64, 10)), ty((1, 1, 10))), "fc")
    x = op("tosa.add %s, %s : (%s, %s) -> %s"
           % (x, bv, ty((1, 1, 10)), ty((1, 1, 10)), ty((1, 1, 10))),
           "fc_bias")
    s = shape([1, 10])
    x = op("tosa.reshape %s, %s : (%s, !tosa.shape<2>) -> %s"
           % (x, s, ty((1, 1, 10)), ty((1, 10))), "logits")
    lines.append("  return %s : tensor<1x10xf32>" % x)

    header = [
        "// Generated by scripts/train_digits.py; do not edit.",
        "// A small CNN trained on the 8x8 scikit-learn digits (see README.md):",
        "// conv3x3+ReLU, conv3x3+ReLU, max pool, depthwise 3x3+ReLU, avg pool,",
        "// fully connected. Input [1,8,8,1] NHWC in [0,1], output logits [1,10].",
        "func.func @digits(%input: tensor<1x8x8x1xf32>) -> "
        "tensor<1x10xf32> {",
    ]
    with open(path, "w") as f:
        f.write("\n".join(header + lines + ["}"]) + "\n")


def parse_mlir_params(path):
    """Reads the weights back from model.mlir (in the order written)."""
    import re
    text = open(path).read()
    consts = re.findall(r'"tosa.const"\(\) \{values = dense<(\[.*?\])> : '
                        r'tensor<([0-9x]+)xf32>\}', text)
    p = {}
    for (name, shape), (body, tshape) in zip(PARAMS, consts):
        a = np.array([float(t) for t in re.findall(r"[-+0-9.eE]+", body)],
                     np.float32)
        dims = tuple(int(d) for d in tshape.split("x"))
        p[name] = a.reshape(dims).reshape(shape)
    assert len(p) == len(PARAMS), "model.mlir: unexpected constants"
    return p


# ---------------------------------------------------------------------------
# qlow's deterministic test inputs (include/qlow/Support/TestData.h)
# ---------------------------------------------------------------------------

M64 = (1 << 64) - 1


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def test_input_value(seed, index, rng=1.0):
    bits = splitmix64((splitmix64(seed) + index) & M64) >> 40
    unit = np.float32(bits - (1 << 23)) * np.float32(2.0 ** -23)  # exact
    return np.float32(unit * np.float32(rng))  # one f32 multiply


def test_argument_seed(seed, arg_index):
    return (seed + arg_index * 0x9E3779B97F4A7C15) & M64


def test_input(seed, shape, arg_index=0):
    s = test_argument_seed(seed, arg_index)
    n = int(np.prod(shape))
    return np.array([test_input_value(s, k) for k in range(n)],
                    np.float32).reshape(shape)


def check_mlir(build_dir, seeds):
    model = os.path.join(OUT, "model.mlir")
    p = parse_mlir_params(model)
    opt = os.path.join(build_dir, "bin", "qlow-opt")
    ev = os.path.join(build_dir, "bin", "qlow-reference-eval")
    imported = subprocess.run(
        [opt, model, "--qlow-import-pipeline", "--qlow-instrument"],
        check=True, capture_output=True, text=True).stdout
    if "float_island" in imported or "tosa." in imported:
        raise SystemExit("check-mlir FAILED: the import left TOSA ops or "
                         "float islands")
    worst = 0.0
    for seed in seeds:
        got = subprocess.run(
            [ev, "-", "--func=digits", "--seed=%d" % seed,
             "--float-format=decimal"], input=imported, check=True,
            capture_output=True, text=True).stdout.split()
        got = np.array([float(t) for t in got], np.float64)
        want = forward(p, test_input(seed, (1, 8, 8, 1)))[0].astype(np.float64)
        if got.shape != want.shape:
            raise SystemExit("check-mlir FAILED: %d outputs, expected %d"
                             % (got.size, want.size))
        diff = float(np.abs(got - want).max())
        worst = max(worst, diff)
        print("seed %d: max |reference-eval - numpy| = %.3e" % (seed, diff))
    # The stored test logits must also come from exactly these weights.
    x = np.load(os.path.join(OUT, "test_x.npy"))
    ref = np.load(os.path.join(OUT, "reference_logits.npy"))
    d2 = float(np.abs(forward(p, x) - ref).max())
    print("model.mlir weights vs reference_logits.npy: max diff %.3e" % d2)
    if worst >= 1e-4 or d2 >= 1e-4:
        raise SystemExit("check-mlir FAILED")
    print("check-mlir passed")


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--grad-check", action="store_true",
                    help="check the backprop against central differences")
    ap.add_argument("--check-mlir", action="store_true",
                    help="compare model.mlir through qlow with numpy; "
                         "does not train")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="qlow build directory (for --check-mlir)")
    ap.add_argument("--seeds", default="1,2,3",
                    help="qlow-reference-eval seeds (for --check-mlir)")
    args = ap.parse_args()

    if args.check_mlir:
        check_mlir(args.build, [int(s) for s in args.seeds.split(",")])
        return
    if args.grad_check:
        grad_check()

    (xt, yt), (xs, ys), xc = load_data()
    print("train %d, test %d, calibration %d (from the training part)"
          % (len(xt), len(xs), len(xc)))
    t0 = time.time()
    p = train(xt, yt)
    print("trained in %.1f s" % (time.time() - t0))
    train_acc, test_acc = accuracy(p, xt, yt), accuracy(p, xs, ys)
    print("FP32 numpy model: train accuracy %.4f, test accuracy %.4f (%d/%d)"
          % (train_acc, test_acc, round(test_acc * len(ys)), len(ys)))

    os.makedirs(OUT, exist_ok=True)
    export_mlir(p, os.path.join(OUT, "model.mlir"))
    # The logits of the weights as model.mlir holds them (read back).
    q = parse_mlir_params(os.path.join(OUT, "model.mlir"))
    assert all(np.array_equal(q[k], p[k]) for k in p), "export not exact"
    np.save(os.path.join(OUT, "calib.npy"), xc.astype(np.float32))
    np.save(os.path.join(OUT, "test_x.npy"), xs.astype(np.float32))
    np.save(os.path.join(OUT, "test_y.npy"), ys.astype(np.int64))
    np.save(os.path.join(OUT, "reference_logits.npy"),
            forward(q, xs).astype(np.float32))
    print("wrote %s/{model.mlir,calib.npy,test_x.npy,test_y.npy,"
          "reference_logits.npy}" % os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    sys.exit(main())
