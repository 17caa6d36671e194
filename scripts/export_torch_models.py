#!/usr/bin/python3
"""Exports small PyTorch models (seeded random weights) that exercise ONNX
ops the torchvision zoo lacks, with calibration and test inputs and
PyTorch's own outputs, for comparing qlow with ONNX Runtime.

    /usr/bin/python3 scripts/export_torch_models.py OUTDIR [--force]
        [--models NAME,...]

writes, for each model M below (input `input`, dynamic batch axis N on the
input and on the output `logits`):

    OUTDIR/M.onnx                 the model (checked with onnx.checker)
    OUTDIR/M_calib/input.npy      float32 [8, ...]: calibration inputs
                                  (qlow-compile --calibration OUTDIR/M_calib)
    OUTDIR/M_x.npy                float32 [2, ...]: test inputs
    OUTDIR/M_torch/logits.npy     float32 [2, 10]: PyTorch's outputs (eval
                                  mode) on the test inputs

The models:

    transformer_classifier  opset 17, input [N, 16, 32] (16 feature vectors
        of width 32): Linear 32->32, + a learned positional embedding,
        nn.TransformerEncoder of 2 nn.TransformerEncoderLayer (d_model 32,
        4 heads, feed-forward 64, dropout 0, GELU, batch_first), mean over
        the sequence, LayerNorm, Linear -> logits [N, 10]
        (MatMul/Softmax/LayerNormalization/Erf and the Shape arithmetic of
        the attention heads' reshapes);
    upsample_cnn  opset 13, input [N, 3, 32, 32]: conv3x3 3->8 + relu,
        F.interpolate(scale_factor=2, nearest), conv3x3 8->8 + relu,
        F.interpolate(scale_factor=2, bilinear, align_corners=False),
        conv3x3 8->4, 4x4 max pool, flatten, Linear -> 10 (Resize);
    upsample_cnn_align  the same, with the nearest upsampling to an explicit
        size=(50, 50) (Resize with `sizes` computed from the input's Shape)
        and the bilinear one with align_corners=True;
    reducemean_cnn  opset 13, input [N, 3, 32, 32]: three conv + BatchNorm +
        relu blocks, the global pool written as x.mean((2, 3)) (ReduceMean),
        Linear -> logits; the BatchNorm statistics are re-estimated on random
        inputs as in export_torchvision.py;
    shape_arith_cnn  opset 13, input [N, 3, 32, 32]: shufflenet's channel
        shuffle (x.view(n, g, c // g, h, w).transpose(1, 2).contiguous()
        .view(n, -1, h, w), n, c, h, w from x.size()), torch.chunk(x, 2, 1),
        torch.cat, max pooling, torch.flatten(x, 1), Linear: the int64
        Shape/Gather/Unsqueeze/Concat arithmetic PyTorch emits with a dynamic
        batch axis;
    convtranspose_cnn  opset 13, input [N, 3, 32, 32]: conv (stride 2), a
        grouped ConvTranspose2d (stride 2, padding 1, output_padding 1) and a
        plain one (kernel 4, stride 2, padding 1), 4x4 max pool, Linear.

Deterministic (fixed seeds, one thread); a model is skipped while its four
outputs exist and are newer than this script (--force redoes them). Needs
python3-torch, python3-onnx and python3-numpy (/usr/bin/python3). A few
seconds on two cores.
"""
import argparse
import os
import sys

CALIB_SAMPLES = 8
TEST_SAMPLES = 2
BN_BATCHES = 4
BN_BATCH_SIZE = 8
INPUT = "input"
OUTPUT = "logits"


def fresh(path):
    script_time = os.path.getmtime(os.path.abspath(__file__))
    return os.path.exists(path) and os.path.getmtime(path) >= script_time


def model_file(outdir, name):
    return os.path.join(outdir, name + ".onnx")


def calib_dir(outdir, name):
    return os.path.join(outdir, name + "_calib")


def test_file(outdir, name):
    return os.path.join(outdir, name + "_x.npy")


def torch_dir(outdir, name):
    return os.path.join(outdir, name + "_torch")


def outputs(outdir, name):
    return [model_file(outdir, name),
            os.path.join(calib_dir(outdir, name), INPUT + ".npy"),
            test_file(outdir, name),
            os.path.join(torch_dir(outdir, name), OUTPUT + ".npy")]


def save_npy(path, array):
    import numpy as np
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp.npy"
    np.save(tmp, np.ascontiguousarray(array, dtype=np.float32))
    os.replace(tmp, path)


# --- inputs -----------------------------------------------------------------

def images(gen, n, size=32):
    """Random "images" of about N(0, 1): smooth at a coarse scale plus pixel
    noise (as export_torchvision.py's)."""
    import torch
    coarse = torch.randn(n, 3, size // 8, size // 8, generator=gen)
    smooth = torch.nn.functional.interpolate(coarse, size=(size, size),
                                             mode="bilinear",
                                             align_corners=False)
    return (0.8 * smooth + 0.6 * torch.randn(n, 3, size, size,
                                             generator=gen)).float()


def sequences(gen, n, length=16, width=32):
    """Random sequences of feature vectors, N(0, 1)."""
    import torch
    return torch.randn(n, length, width, generator=gen).float()


# --- models -----------------------------------------------------------------

def transformer_classifier():
    import torch
    from torch import nn

    class TransformerClassifier(nn.Module):
        def __init__(self, length=16, width=32, d_model=32, classes=10):
            super().__init__()
            self.proj = nn.Linear(width, d_model)
            self.pos = nn.Parameter(0.5 * torch.randn(1, length, d_model))
            layer = nn.TransformerEncoderLayer(
                d_model=d_model, nhead=4, dim_feedforward=64, dropout=0.0,
                activation="gelu", batch_first=True)
            # enable_nested_tensor=False: no sparsity fast path; the export
            # runs with gradients enabled, so the layers' fused fast path
            # (torch._transformer_encoder_layer_fwd) is not taken either.
            self.encoder = nn.TransformerEncoder(layer, num_layers=2,
                                                 enable_nested_tensor=False)
            # The encoder deep-copies its layer: give every copy after the
            # first its own weights.
            for copy in self.encoder.layers[1:]:
                copy.self_attn._reset_parameters()
                copy.linear1.reset_parameters()
                copy.linear2.reset_parameters()
            self.norm = nn.LayerNorm(d_model)
            self.head = nn.Linear(d_model, classes)

        def forward(self, x):
            x = self.proj(x) + self.pos
            x = self.encoder(x)
            return self.head(self.norm(x.mean(1)))

    return TransformerClassifier()


def upsample_cnn(align=False):
    import torch
    from torch import nn
    import torch.nn.functional as F

    class UpsampleCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
            self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
            self.conv3 = nn.Conv2d(8, 4, 3, padding=1)
            # A head that sees where things are (a global average would
            # hide a resize that shifts or mirrors by a pixel): 4x4 max
            # pools of the 128x128 (100x100 with align) map, flattened.
            side = 25 if align else 32
            self.fc = nn.Linear(4 * side * side, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            if align:
                x = F.interpolate(x, size=(50, 50), mode="nearest")
            else:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = F.relu(self.conv2(x))
            x = F.interpolate(x, scale_factor=2, mode="bilinear",
                              align_corners=align)
            x = self.conv3(x)
            return self.fc(torch.flatten(F.max_pool2d(x, 4), 1))

    return UpsampleCNN()


def reducemean_cnn():
    from torch import nn

    def block(cin, cout, stride):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

    class ReduceMeanCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(block(3, 16, 1), block(16, 32, 2),
                                          block(32, 32, 2))
            self.fc = nn.Linear(32, 10)

        def forward(self, x):
            return self.fc(self.features(x).mean((2, 3)))

    return ReduceMeanCNN()


def shape_arith_cnn():
    import torch
    from torch import nn
    import torch.nn.functional as F

    def channel_shuffle(x, groups):
        n, c, h, w = x.size()
        x = x.view(n, groups, c // groups, h, w).transpose(1, 2).contiguous()
        return x.view(n, -1, h, w)

    class ShapeArithCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
            self.conv3 = nn.Conv2d(16, 16, 3, stride=2, padding=1)
            self.fc = nn.Linear(16 * 4 * 4, 10)

        def forward(self, x):
            x = channel_shuffle(F.relu(self.conv1(x)), 2)
            a, b = torch.chunk(x, 2, dim=1)
            x = torch.cat((a, F.relu(self.conv2(b))), 1)
            x = channel_shuffle(x, 4)
            x = F.max_pool2d(F.relu(self.conv3(x)), 4)
            return self.fc(torch.flatten(x, 1))

    return ShapeArithCNN()


def convtranspose_cnn():
    import torch
    from torch import nn
    import torch.nn.functional as F

    class ConvTransposeCNN(nn.Module):
        """A decoder's upsampling: grouped and plain transposed convolutions
        (stride 2, padding, output_padding)."""

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.up1 = nn.ConvTranspose2d(8, 8, 3, stride=2, padding=1,
                                          output_padding=1, groups=2)
            self.up2 = nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)
            self.fc = nn.Linear(4 * 16 * 16, 10)

        def forward(self, x):
            x = F.relu(self.conv(x))
            x = F.relu(self.up1(x))
            x = self.up2(x)
            return self.fc(torch.flatten(F.max_pool2d(x, 4), 1))

    return ConvTransposeCNN()


# name: (builder, opset, input generator)
MODELS = {
    "transformer_classifier": (transformer_classifier, 17, sequences),
    "upsample_cnn": (lambda: upsample_cnn(False), 13, images),
    "upsample_cnn_align": (lambda: upsample_cnn(True), 13, images),
    "reducemean_cnn": (reducemean_cnn, 13, images),
    "shape_arith_cnn": (shape_arith_cnn, 13, images),
    "convtranspose_cnn": (convtranspose_cnn, 13, images),
}


def export(name, outdir):
    import onnx
    import torch
    build, opset, data = MODELS[name]
    torch.manual_seed(0)
    model = build()
    bns = [m for m in model.modules()
           if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    if bns:
        gen = torch.Generator().manual_seed(1)
        model.train()
        with torch.no_grad():
            for _ in range(BN_BATCHES):
                model(data(gen, BN_BATCH_SIZE))
    model.eval()

    path = model_file(outdir, name)
    tmp = path + ".tmp"
    dummy = data(torch.Generator().manual_seed(2), 1)
    try:
        torch.onnx.export(model, dummy, tmp, opset_version=opset,
                          input_names=[INPUT], output_names=[OUTPUT],
                          dynamic_axes={INPUT: {0: "N"}, OUTPUT: {0: "N"}},
                          do_constant_folding=True)
        proto = onnx.load(tmp)
        onnx.checker.check_model(proto, full_check=True)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)

    calib = data(torch.Generator().manual_seed(3), CALIB_SAMPLES)
    test = data(torch.Generator().manual_seed(4), TEST_SAMPLES)
    # The reference runs like the export did (gradients enabled: the
    # transformer layers' unfused path), then is detached.
    ref = model(test).detach()
    if not torch.isfinite(ref).all():
        raise RuntimeError(f"{name}: non-finite PyTorch outputs")
    save_npy(os.path.join(calib_dir(outdir, name), INPUT + ".npy"),
             calib.numpy())
    save_npy(test_file(outdir, name), test.numpy())
    save_npy(os.path.join(torch_dir(outdir, name), OUTPUT + ".npy"),
             ref.numpy())

    ops = {}
    for node in proto.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    dims = ", ".join(str(d) for d in test.shape[1:])
    return (f"opset {opset}, input [N, {dims}], {len(proto.graph.node)} "
            "nodes: " + ", ".join(f"{op} {k}" for op, k in sorted(ops.items())))


def first_line(e):
    text = str(e).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(e).__name__}: {line}" if line else type(e).__name__


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--force", action="store_true",
                        help="export even when the outputs are up to date")
    parser.add_argument("--models", metavar="NAME,...",
                        help="export only these (default: all of "
                             f"{', '.join(MODELS)})")
    args = parser.parse_args()
    names = list(MODELS)
    if args.models is not None:
        names = [n.strip() for n in args.models.split(",") if n.strip()]
        unknown = [n for n in names if n not in MODELS]
        if unknown or not names:
            parser.error(f"unknown model(s) {', '.join(unknown) or '(none)'};"
                         f" known: {', '.join(MODELS)}")
    todo = [n for n in names
            if args.force or not all(fresh(p) for p in outputs(args.outdir, n))]
    for n in names:
        if n not in todo:
            print(f"export_torch_models: {model_file(args.outdir, n)} "
                  "is up to date")
    if not todo:
        return 0
    try:
        import torch
        import onnx  # noqa: F401
    except ImportError as e:
        print(f"export_torch_models: error: {e} (install Debian's "
              "python3-torch and python3-onnx; run with /usr/bin/python3)",
              file=sys.stderr)
        return 1
    import warnings
    # Emitted for the transformer's constants; harmless.
    warnings.filterwarnings("ignore", message="The shape inference of "
                            "prim::Constant type is missing")
    torch.set_num_threads(1)
    os.makedirs(args.outdir, exist_ok=True)
    failed = []
    for name in todo:
        try:
            summary = export(name, args.outdir)
        except Exception as e:  # report the model, go on with the next one
            print(f"export_torch_models: error: {name}: {first_line(e)}",
                  file=sys.stderr)
            failed.append(name)
            continue
        print(f"export_torch_models: wrote {model_file(args.outdir, name)} "
              f"({summary})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
