"""Numba kernels: module-level ``@njit(cache=True)`` functions, arrays in, arrays out.

One concern per module; each has a plain-numpy reference in ``tests/kernels``. Random
draws come from the model's ``numpy.random.Generator``, passed in as an argument, so a
kernel advances the same stream as the rest of the model.
"""
