#!/usr/bin/python3
"""Regenerates the NumPy-written fixtures of NpyTest.cpp (needs numpy; the
tests themselves do not). Run from this directory: /usr/bin/python3 generate.py
"""
import numpy as np

np.save("f4_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3) * 0.5 - 1)
np.save("f8_3.npy", np.array([1.5, -2.25, 1e300], dtype="<f8"))
np.save("f2_2.npy", np.array([1.0, -0.5], dtype="<f2"))
np.save("i1_scalar.npy", np.array(-7, dtype="i1"))
np.save("u1_4.npy", np.array([0, 1, 128, 255], dtype="u1"))
np.save("i4_2x2.npy", np.array([[1, -2], [2**31 - 1, -2**31]], dtype="<i4"))
np.save("i8_2.npy", np.array([2**40, -3], dtype="<i8"))
np.save("f4_empty.npy", np.zeros((0, 3), dtype="<f4"))
np.save("f4_fortran.npy", np.asfortranarray(np.ones((2, 3), dtype="<f4")))
np.save("f4_bigendian.npy", np.ones(2, dtype=">f4"))
np.save("c8.npy", np.ones(2, dtype="<c8"))
args = dict(x=np.arange(4, dtype="<f4"), y=np.arange(6, dtype="i1").reshape(2, 3))
np.savez("stored.npz", **args)
np.savez_compressed("deflated.npz", **args)
