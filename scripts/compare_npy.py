#!/usr/bin/python3
"""Compares an output array with a reference, with qlow-run's metrics.

    /usr/bin/python3 scripts/compare_npy.py REF.npy OUT.npy
        [--min-cosine C] [--max-rel-diff R] [--max-abs-diff A]

prints one line

    max_abs_diff D (rel R of max|ref| M) cosine C sqnr_db S argmax F (a/n agree)

computed in float64 as qlow-run does (docs/qlow-run.md): cosine =
sum(ref*out) / (|ref| |out|), SQNR = 10 log10(sum ref^2 / sum (ref-out)^2),
argmax agreement over the rows of the last axis; the relative difference is
max|ref - out| / max|ref|. Exit status 2 when a bound is violated (the line
is printed first), 1 on an error (missing file, shapes differ).
"""
import argparse
import sys

import numpy as np


def cosine_similarity(ref, out):
    """qlow-run's cosine similarity of two arrays of one shape, in float64:
    sum(ref*out) / (|ref| |out|); 1 when both are all zeros, 0 when only one
    is. (scripts/model_zoo.py imports it.)"""
    ref = np.asarray(ref, dtype=np.float64)
    out = np.asarray(out, dtype=np.float64)
    nr, no = np.linalg.norm(ref), np.linalg.norm(out)
    if nr == 0 and no == 0:
        return 1.0
    if nr == 0 or no == 0:
        return 0.0
    return float(np.sum(ref * out) / (nr * no))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ref")
    p.add_argument("out")
    p.add_argument("--min-cosine", type=float)
    p.add_argument("--max-rel-diff", type=float)
    p.add_argument("--max-abs-diff", type=float)
    a = p.parse_args()
    try:
        ref = np.load(a.ref).astype(np.float64)
        out = np.load(a.out).astype(np.float64)
    except (OSError, ValueError) as e:
        print(f"compare_npy: error: {e}", file=sys.stderr)
        return 1
    if ref.shape != out.shape:
        print(f"compare_npy: error: shapes differ: {a.ref} {list(ref.shape)}, "
              f"{a.out} {list(out.shape)}", file=sys.stderr)
        return 1
    diff = np.abs(ref - out)
    max_abs = float(diff.max()) if diff.size else 0.0
    max_ref = float(np.abs(ref).max()) if ref.size else 0.0
    rel = max_abs / max_ref if max_ref > 0 else (0.0 if max_abs == 0 else np.inf)
    cosine = cosine_similarity(ref, out)
    noise = float(np.sum((ref - out) ** 2))
    sqnr = np.inf if noise == 0 else 10 * np.log10(float(np.sum(ref ** 2)) / noise)
    line = (f"max_abs_diff {max_abs:.6g} (rel {rel:.3g} of max|ref| {max_ref:.6g}) "
            f"cosine {cosine:.8f} sqnr_db {sqnr:.2f}")
    if ref.ndim >= 1 and ref.shape[-1] > 0:
        r2, o2 = ref.reshape(-1, ref.shape[-1]), out.reshape(-1, ref.shape[-1])
        agree = int(np.sum(r2.argmax(axis=1) == o2.argmax(axis=1)))
        line += f" argmax {agree / len(r2):.4f} ({agree}/{len(r2)} agree)"
    print(line)
    bad = []
    if a.min_cosine is not None and not cosine >= a.min_cosine:
        bad.append(f"cosine {cosine:.8f} < {a.min_cosine}")
    if a.max_rel_diff is not None and not rel <= a.max_rel_diff:
        bad.append(f"relative max difference {rel:.3g} > {a.max_rel_diff}")
    if a.max_abs_diff is not None and not max_abs <= a.max_abs_diff:
        bad.append(f"max_abs_diff {max_abs:.6g} > {a.max_abs_diff}")
    for b in bad:
        print(f"compare_npy: {a.out}: {b}", file=sys.stderr)
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
