#!/usr/bin/python3
"""Exports torchvision's resnet18 and mobilenet_v2 (random weights) to ONNX,
with calibration and test inputs, for comparing qlow with ONNX Runtime.

    /usr/bin/python3 scripts/export_torchvision.py OUTDIR [--force]

writes

    OUTDIR/resnet18.onnx, OUTDIR/mobilenet_v2.onnx
        opset 13, input `input` [N,3,224,224] (dynamic batch), output `logits`
    OUTDIR/calib/input.npy      float32 [8,3,224,224]: calibration "images"
                                (qlow-compile --calibration OUTDIR/calib)
    OUTDIR/test_x.npy           float32 [2,3,224,224]: test "images" (qlow-run
                                runs a stack sample by sample; ort-run.js runs
                                it as one batch of 2)

Needs Debian's python3-torch, python3-torchvision, python3-onnx and
python3-numpy (/usr/bin/python3). Deterministic: fixed seeds, one thread.
No pretrained weights are downloaded (weights=None). So that activations do
not vanish or explode through ~50 layers of randomly initialized weights,
the BatchNorm statistics are re-estimated on random inputs (train-mode
forward passes without gradients, momentum=None: a cumulative average); the
exported eval-mode model then has unit-scale activations, like a trained one.

Skips everything when every output exists and is newer than this script
(pass --force to redo it). About 20 s on two cores.
"""
import argparse
import os
import sys

MODELS = ("resnet18", "mobilenet_v2")
CALIB_SAMPLES = 8
TEST_SAMPLES = 2
BN_BATCHES = 4
BN_BATCH_SIZE = 8


def outputs(outdir):
    return ([os.path.join(outdir, m + ".onnx") for m in MODELS] +
            [os.path.join(outdir, "calib", "input.npy"),
             os.path.join(outdir, "test_x.npy")])


def up_to_date(outdir):
    script_time = os.path.getmtime(os.path.abspath(__file__))
    for path in outputs(outdir):
        if not os.path.exists(path) or os.path.getmtime(path) < script_time:
            return False
    return True


def images(gen, n):
    """Random "images": ImageNet-normalized-looking values (about N(0, 1)),
    smooth at a coarse scale plus pixel noise, so they are not pure white
    noise for the convolutions."""
    import torch
    coarse = torch.randn(n, 3, 28, 28, generator=gen)
    smooth = torch.nn.functional.interpolate(coarse, size=(224, 224),
                                             mode="bilinear",
                                             align_corners=False)
    x = 0.8 * smooth + 0.6 * torch.randn(n, 3, 224, 224, generator=gen)
    return x.float()


def save_npy(path, array):
    import numpy as np
    tmp = path + ".tmp.npy"
    np.save(tmp, np.ascontiguousarray(array, dtype=np.float32))
    os.replace(tmp, path)


def export(name, outdir):
    import torch
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    # Re-estimate the BatchNorm statistics on random inputs.
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    gen = torch.Generator().manual_seed(1)
    model.train()
    with torch.no_grad():
        for _ in range(BN_BATCHES):
            model(images(gen, BN_BATCH_SIZE))
    model.eval()
    path = os.path.join(outdir, name + ".onnx")
    tmp = path + ".tmp"
    dummy = images(torch.Generator().manual_seed(2), 1)
    torch.onnx.export(model, dummy, tmp, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(tmp))
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--force", action="store_true",
                        help="export even when the outputs are up to date")
    args = parser.parse_args()
    outdir = args.outdir
    if not args.force and up_to_date(outdir):
        print(f"export_torchvision: {outdir} is up to date")
        return 0
    try:
        import torch
    except ImportError as e:
        print(f"export_torchvision: error: {e} (install Debian's python3-torch "
              "and python3-torchvision; run with /usr/bin/python3)",
              file=sys.stderr)
        return 1
    torch.set_num_threads(1)
    os.makedirs(os.path.join(outdir, "calib"), exist_ok=True)
    for name in MODELS:
        export(name, outdir)
        print(f"export_torchvision: wrote {os.path.join(outdir, name)}.onnx")
    save_npy(os.path.join(outdir, "calib", "input.npy"),
             images(torch.Generator().manual_seed(3), CALIB_SAMPLES).numpy())
    save_npy(os.path.join(outdir, "test_x.npy"),
             images(torch.Generator().manual_seed(4), TEST_SAMPLES).numpy())
    print(f"export_torchvision: wrote {outdir}/calib/input.npy "
          f"({CALIB_SAMPLES} samples), {outdir}/test_x.npy "
          f"({TEST_SAMPLES} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
