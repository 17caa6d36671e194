#!/usr/bin/python3
"""Trains the digits CNN with PyTorch quantization-aware training (QAT) and
exports it to ONNX QDQ; writes examples/digits_qat/.

Deterministic (fixed seeds, one thread). Run with Debian's Python (torch
1.13, onnx, scikit-learn, numpy):

    /usr/bin/python3 scripts/train_digits_qat.py

Data: exactly the split of scripts/train_digits.py (its load_data() is
imported): 1437 training and 360 test images, values in [0, 1]. The test set
is written in NCHW [360, 1, 8, 8], the layout of the ONNX input; the script
checks that it is examples/digits/test_x.npy transposed.

Model (NCHW, PyTorch eager-mode quantization):

    quant   QuantStub                                  -> [N, 1, 8, 8]
    conv1   3x3, 1 -> 8, pad 1 + ReLU (fused)          -> [N, 8, 8, 8]
    conv2   3x3, 8 -> 16, pad 1 + ReLU (fused)         -> [N, 16, 8, 8]
    maxpool 2x2 / 2                                    -> [N, 16, 4, 4]
    dwconv  3x3 depthwise, 16, pad 1 + ReLU (fused)    -> [N, 16, 4, 4]
    avgpool 2x2 / 2                                    -> [N, 16, 2, 2]
    flatten                                            -> [N, 64]
    fc      64 -> 10                                   -> [N, 10]
    dequant DeQuantStub                                -> logits

Training: FP32 with Adam for FP32_EPOCHS, then fuse_modules_qat, the
'fbgemm' QAT qconfig (version 0: FakeQuantize modules, which the ONNX
exporter knows; per-channel symmetric int8 weights, u8 activations with
reduce_range, i.e. 0..127), prepare_qat and QAT_EPOCHS of fine-tuning;
observers are frozen for the last epochs.

Outputs (examples/digits_qat/):
    model.onnx            the QAT (fake-quant) model, opset 13, QDQ: input
                          'input' [N,1,8,8] (dynamic batch), output 'logits'
    test_x.npy, test_y.npy  the 360 test images (NCHW) and labels
    torch_int8_logits.npy   logits of PyTorch's converted INT8 model
    accuracy.json         FP32, QAT fake-quant and PyTorch INT8 test accuracy

PyTorch's converted model runs on the 'onednn' quantized engine: Debian's
torch is built without FBGEMM ('fbgemm' and 'x86' are not available).
"""
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import copy
import json
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import train_digits  # noqa: E402  (the same data split)

OUT = os.path.join(ROOT, "examples", "digits_qat")
FP32_EPOCHS = 20
QAT_EPOCHS = 6
FREEZE_OBSERVERS_AFTER = 4
BATCH = 32
LR = 3e-3
QAT_LR = 3e-4
QCONFIG_BACKEND = "fbgemm"
ENGINE = "onednn"


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.maxpool = nn.MaxPool2d(2)
        self.dwconv = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.relu3 = nn.ReLU()
        self.avgpool = nn.AvgPool2d(2)
        self.fc = nn.Linear(64, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        x = self.maxpool(x)
        x = self.relu3(self.dwconv(x))
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return self.dequant(x)


def nchw(x):
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


def train_epochs(model, xt, yt, epochs, lr, gen, on_epoch=None):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        if on_epoch:
            on_epoch(epoch)
        model.train()
        order = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for s in range(0, len(order), BATCH):
            bi = order[s:s + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xt[bi]), yt[bi])
            loss.backward()
            opt.step()
            total += float(loss) * len(bi)
        sched.step()
        print("  epoch %2d  loss %.4f" % (epoch + 1, total / len(xt)))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return float((logits.argmax(1) == y).float().mean()), logits.numpy()


def train():
    """Returns (data, fp32 model, QAT model, converted INT8 model, FP32
    accuracy, QAT accuracy); data = (test x NCHW, test y)."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.backends.quantized.engine = ENGINE

    (xt, yt), (xs, ys), _ = train_digits.load_data()
    ref_x = os.path.join(ROOT, "examples", "digits", "test_x.npy")
    ref_y = os.path.join(ROOT, "examples", "digits", "test_y.npy")
    if not (np.array_equal(np.load(ref_x), xs)
            and np.array_equal(np.load(ref_y), ys)):
        raise SystemExit("the test split differs from examples/digits")
    xt_t, yt_t = torch.from_numpy(nchw(xt)), torch.from_numpy(yt)
    xs_n = nchw(xs).astype(np.float32)
    xs_t, ys_t = torch.from_numpy(xs_n), torch.from_numpy(ys)
    gen = torch.Generator().manual_seed(1)
    t0 = time.time()

    model = DigitsCNN()
    print("FP32 training (%d epochs)" % FP32_EPOCHS)
    train_epochs(model, xt_t, yt_t, FP32_EPOCHS, LR, gen)
    fp32_acc, _ = accuracy(model, xs_t, ys_t)
    print("FP32 test accuracy %.4f" % fp32_acc)

    model.train()
    qat = tq.fuse_modules_qat(model, [["conv1", "relu1"], ["conv2", "relu2"],
                                      ["dwconv", "relu3"]])
    qat.qconfig = tq.get_default_qat_qconfig(QCONFIG_BACKEND, version=0)
    tq.prepare_qat(qat, inplace=True)

    def freeze(epoch):
        if epoch == FREEZE_OBSERVERS_AFTER:
            qat.apply(tq.disable_observer)
            print("  (observers frozen)")

    print("QAT fine-tuning (%d epochs, qconfig '%s')"
          % (QAT_EPOCHS, QCONFIG_BACKEND))
    train_epochs(qat, xt_t, yt_t, QAT_EPOCHS, QAT_LR, gen, freeze)
    qat.apply(tq.disable_observer)
    qat_acc, _ = accuracy(qat, xs_t, ys_t)
    print("QAT (fake-quant) test accuracy %.4f" % qat_acc)

    int8 = tq.convert(copy.deepcopy(qat).eval(), inplace=False)
    print("trained in %.1f s" % (time.time() - t0))
    return (xs_n, ys), model, qat, int8, fp32_acc, qat_acc


def main():
    (xs_n, ys), _, qat, int8, fp32_acc, qat_acc = train()
    xs_t, ys_t = torch.from_numpy(xs_n), torch.from_numpy(ys)
    int8_acc, int8_logits = accuracy(int8, xs_t, ys_t)
    print("PyTorch INT8 (convert, engine %s) test accuracy %.4f (%d/%d)"
          % (ENGINE, int8_acc, round(int8_acc * len(ys)), len(ys)))

    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "model.onnx")
    qat.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(qat, xs_t[:1], path, opset_version=13,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                          do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    print("exported %s: %s" % (os.path.relpath(path, ROOT),
                               ", ".join("%s %d" % kv
                                         for kv in sorted(ops.items()))))

    np.save(os.path.join(OUT, "test_x.npy"), xs_n)
    np.save(os.path.join(OUT, "test_y.npy"), ys.astype(np.int64))
    np.save(os.path.join(OUT, "torch_int8_logits.npy"),
            int8_logits.astype(np.float32))
    with open(os.path.join(OUT, "accuracy.json"), "w") as f:
        json.dump({"fp32": round(fp32_acc, 6),
                   "qat_fake_quant": round(qat_acc, 6),
                   "torch_int8": round(int8_acc, 6),
                   "torch_int8_engine": ENGINE,
                   "qconfig": QCONFIG_BACKEND,
                   "test_images": len(ys)}, f, indent=2)
        f.write("\n")
    print("wrote %s/{model.onnx,test_x.npy,test_y.npy,torch_int8_logits.npy,"
          "accuracy.json}" % os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    sys.exit(main())
