#!/usr/bin/python3
"""Exports torchvision's resnet18 and mobilenet_v2 (random weights) to ONNX,
with calibration and test inputs, for comparing qlow with ONNX Runtime.

    /usr/bin/python3 scripts/export_torchvision.py OUTDIR [--force]
        [--models NAME,...|zoo] [--opset N]

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

Other models (scripts/model_zoo.py runs them): `--models NAME,...` exports
the named torchvision builders instead (`zoo`: the ZOO list below, every
torchvision 0.14 classification family qlow is compared on), each as
OUTDIR/NAME.onnx in the same way (seeded random weights, BatchNorm
statistics re-estimated where there is BatchNorm, dynamic batch axis on
`input` and `logits`, constant folding), with `--opset N` (13 to 17, default
13). Each model is cached on its own: it is exported again only when its
file is older than this script or has another opset. The data files are
written for every input size the models need: 224 as above, other sizes as
OUTDIR/calib_SIZE/input.npy and OUTDIR/test_x_SIZE.npy (inception_v3: 299).
A model that fails to export is reported as
`export_torchvision: error: NAME: <first line of the error>` and the others
are still exported (exit status 1 at the end); a model in SKIPPED (too big
for this machine) is reported as `export_torchvision: skipped NAME: <why>`
and does not change the exit status.
"""
import argparse
import os
import sys

MODELS = ("resnet18", "mobilenet_v2")
DEFAULT_OPSET = 13
OPSETS = range(13, 18)
CALIB_SAMPLES = 8
TEST_SAMPLES = 2
BN_BATCHES = 4
BN_BATCH_SIZE = 8
DEFAULT_SIZE = 224

# torchvision 0.14's classification models, by family.
ZOO = (
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d",
    "wide_resnet50_2", "wide_resnet101_2",
    "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn",
    "vgg19", "vgg19_bn",
    "alexnet",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "googlenet", "inception_v3",
    "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3",
    "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
    "squeezenet1_0", "squeezenet1_1",
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2",
    "efficientnet_b3", "efficientnet_b4", "efficientnet_b5",
    "efficientnet_b6", "efficientnet_b7",
    "efficientnet_v2_s", "efficientnet_v2_m", "efficientnet_v2_l",
    "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf",
    "regnet_x_8gf", "regnet_x_16gf", "regnet_x_32gf",
    "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf",
    "regnet_y_8gf", "regnet_y_16gf", "regnet_y_32gf", "regnet_y_128gf",
    "convnext_tiny", "convnext_small", "convnext_base", "convnext_large",
)

# Zoo models this machine cannot export or compile, and why.
SKIPPED = {
    "regnet_y_128gf": "644.8M parameters: 2.58 GB of float32 weights, over "
                      "protobuf's 2 GiB limit for one .onnx file (torch "
                      "would write external data files)",
}

# Input sizes other than 224x224.
INPUT_SIZES = {"inception_v3": 299}

# Builder arguments (besides weights=None): one logits output, and no
# warning about the default initialization.
BUILD_KWARGS = {
    "inception_v3": {"aux_logits": False, "init_weights": True},
    "googlenet": {"aux_logits": False, "init_weights": True},
}


def input_size(name):
    return INPUT_SIZES.get(name, DEFAULT_SIZE)


def calib_dir(outdir, size=DEFAULT_SIZE):
    """The calibration directory for SIZE x SIZE models (holds input.npy)."""
    return os.path.join(outdir, "calib" if size == DEFAULT_SIZE
                        else f"calib_{size}")


def test_file(outdir, size=DEFAULT_SIZE):
    return os.path.join(outdir, "test_x.npy" if size == DEFAULT_SIZE
                        else f"test_x_{size}.npy")


def model_file(outdir, name):
    return os.path.join(outdir, name + ".onnx")


def outputs(outdir):
    return ([os.path.join(outdir, m + ".onnx") for m in MODELS] +
            [os.path.join(outdir, "calib", "input.npy"),
             os.path.join(outdir, "test_x.npy")])


def fresh(path):
    """PATH exists and is newer than this script."""
    script_time = os.path.getmtime(os.path.abspath(__file__))
    return os.path.exists(path) and os.path.getmtime(path) >= script_time


def up_to_date(outdir):
    return all(fresh(path) for path in outputs(outdir))


def model_up_to_date(outdir, name, opset):
    path = model_file(outdir, name)
    if not fresh(path):
        return False
    try:
        import onnx
        model = onnx.load(path, load_external_data=False)
    except Exception:
        return False
    return any(o.domain in ("", "ai.onnx") and o.version == opset
               for o in model.opset_import)


def images(gen, n, size=DEFAULT_SIZE):
    """Random "images": ImageNet-normalized-looking values (about N(0, 1)),
    smooth at a coarse scale plus pixel noise, so they are not pure white
    noise for the convolutions."""
    import torch
    coarse = torch.randn(n, 3, size // 8, size // 8, generator=gen)
    smooth = torch.nn.functional.interpolate(coarse, size=(size, size),
                                             mode="bilinear",
                                             align_corners=False)
    x = 0.8 * smooth + 0.6 * torch.randn(n, 3, size, size, generator=gen)
    return x.float()


def save_npy(path, array):
    import numpy as np
    tmp = path + ".tmp.npy"
    np.save(tmp, np.ascontiguousarray(array, dtype=np.float32))
    os.replace(tmp, path)


def export(name, outdir, opset=DEFAULT_OPSET):
    import torch
    import torchvision
    torch.manual_seed(0)
    size = input_size(name)
    model = getattr(torchvision.models, name)(weights=None,
                                              **BUILD_KWARGS.get(name, {}))
    # Re-estimate the BatchNorm statistics on random inputs.
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
                model(images(gen, BN_BATCH_SIZE, size))
    model.eval()
    path = model_file(outdir, name)
    tmp = path + ".tmp"
    dummy = images(torch.Generator().manual_seed(2), 1, size)
    try:
        torch.onnx.export(model, dummy, tmp, opset_version=opset,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                          do_constant_folding=True)
        import onnx
        onnx.checker.check_model(onnx.load(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_data(outdir, size=DEFAULT_SIZE):
    """The calibration and test images for SIZE x SIZE models."""
    import torch
    os.makedirs(calib_dir(outdir, size), exist_ok=True)
    save_npy(os.path.join(calib_dir(outdir, size), "input.npy"),
             images(torch.Generator().manual_seed(3), CALIB_SAMPLES,
                    size).numpy())
    save_npy(test_file(outdir, size),
             images(torch.Generator().manual_seed(4), TEST_SAMPLES,
                    size).numpy())


def first_line(e):
    text = str(e).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(e).__name__}: {line}" if line else type(e).__name__


def parse_models(text):
    names = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        for name in (ZOO if item == "zoo" else (item,)):
            if name not in names:
                names.append(name)
    return names


def export_default(outdir):
    """The original behaviour: resnet18, mobilenet_v2, 224x224 data."""
    import torch
    torch.set_num_threads(1)
    os.makedirs(os.path.join(outdir, "calib"), exist_ok=True)
    for name in MODELS:
        export(name, outdir)
        print(f"export_torchvision: wrote {os.path.join(outdir, name)}.onnx")
    write_data(outdir)
    print(f"export_torchvision: wrote {outdir}/calib/input.npy "
          f"({CALIB_SAMPLES} samples), {outdir}/test_x.npy "
          f"({TEST_SAMPLES} samples)")
    return 0


def export_models(outdir, names, opset, force):
    import gc
    import time
    import torch
    import torchvision
    torch.set_num_threads(1)
    os.makedirs(outdir, exist_ok=True)
    failed = []
    sizes = []
    for name in names:
        if name in SKIPPED:
            print(f"export_torchvision: skipped {name}: {SKIPPED[name]}")
            continue
        if not callable(getattr(torchvision.models, name, None)):
            print(f"export_torchvision: error: {name}: torchvision "
                  f"{torchvision.__version__} has no model builder '{name}'",
                  file=sys.stderr)
            failed.append(name)
            continue
        size = input_size(name)
        if size not in sizes:
            sizes.append(size)
        if not force and model_up_to_date(outdir, name, opset):
            print(f"export_torchvision: {model_file(outdir, name)} "
                  "is up to date")
            continue
        start = time.monotonic()
        try:
            export(name, outdir, opset)
        except Exception as e:  # report the model, go on with the next one
            print(f"export_torchvision: error: {name}: {first_line(e)}",
                  file=sys.stderr)
            failed.append(name)
        else:
            print(f"export_torchvision: wrote {model_file(outdir, name)} "
                  f"(opset {opset}, {size}x{size}, "
                  f"{time.monotonic() - start:.1f} s)")
        gc.collect()
    for size in sizes:
        calib = os.path.join(calib_dir(outdir, size), "input.npy")
        test = test_file(outdir, size)
        if not force and fresh(calib) and fresh(test):
            continue
        write_data(outdir, size)
        print(f"export_torchvision: wrote {calib} ({CALIB_SAMPLES} samples), "
              f"{test} ({TEST_SAMPLES} samples)")
    if failed:
        print(f"export_torchvision: {len(failed)} of {len(names)} models "
              f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--force", action="store_true",
                        help="export even when the outputs are up to date")
    parser.add_argument("--models", metavar="NAME,...",
                        help="torchvision model builders to export instead of "
                             f"{' and '.join(MODELS)} ('zoo': all of ZOO)")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET,
                        choices=OPSETS, metavar="N",
                        help=f"ONNX opset, 13 to 17 (default {DEFAULT_OPSET})")
    args = parser.parse_args()
    outdir = args.outdir
    names = parse_models(args.models) if args.models is not None else None
    if names is not None and not names:
        parser.error("--models needs at least one name")
    default = names is None and args.opset == DEFAULT_OPSET
    if default and not args.force and up_to_date(outdir):
        print(f"export_torchvision: {outdir} is up to date")
        return 0
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"export_torchvision: error: {e} (install Debian's python3-torch "
              "and python3-torchvision; run with /usr/bin/python3)",
              file=sys.stderr)
        return 1
    if default:
        return export_default(outdir)
    return export_models(outdir, names if names is not None else list(MODELS),
                         args.opset, args.force)


if __name__ == "__main__":
    sys.exit(main())
