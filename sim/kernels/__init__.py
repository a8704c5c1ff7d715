"""Numba kernels: module-level ``@njit(cache=True)`` functions, arrays in, arrays out.

One concern per module; each has a plain-numpy reference in ``tests/kernels``. Random
draws come from the model's ``numpy.random.Generator``, passed in as an argument, so a
kernel advances the same stream as the rest of the model -- except in the parallel
kernels, whose draws come from a counter-based stream keyed by one draw of that
generator (:mod:`sim.kernels.counter_rng`). Importing the package sets numba's
threading layer to one that is safe for concurrent launches (:mod:`sim.kernels.threads`).
"""

from sim.kernels.threads import choose_threading_layer

choose_threading_layer()
