"""Plain-Python twin of sim.kernels.gravity.draw_destination (see test_gravity.py).

Shared by test_gravity.py and the plan tests (day_plans.py); ``rng`` is anything with a
``random()`` method: there, a resident's counter stream (counter_twin.TwinStream), the
same uniforms the kernel draws.
"""

from __future__ import annotations

import math

import numpy as np

from sim.kernels.gravity import MAX_TRIES


def ref_draw(origin, a, width, height, beta, d0, side, rng):
    """Plain-Python twin of draw_destination, written from the sampler's rule."""
    nbx, nby = -(-width // side), -(-height // side)
    blocks = [[] for _ in range(nbx * nby)]
    for c in np.flatnonzero(a > 0):  # candidates in cell order within each block
        blocks[(c // width // side) * nbx + (c % width) // side].append(int(c))
    ox, oy = origin % width, origin // width
    zx, zy = ox // side, oy // side

    def w(j):
        return (math.hypot(j % width - ox, j // width - oy) + d0) ** -beta

    def bound(b):  # decay at the smallest distance between a cell of z and one of b
        gx, gy = abs(b % nbx - zx), abs(b // nbx - zy)
        sx = 0 if gx == 0 else (gx - 1) * side + 1
        sy = 0 if gy == 0 else (gy - 1) * side + 1
        return (math.hypot(sx, sy) + d0) ** -beta

    is_near = [abs(b % nbx - zx) <= 1 and abs(b // nbx - zy) <= 1 for b in range(nbx * nby)]
    near = [j for b in range(nbx * nby) if is_near[b] for j in blocks[b]]
    near_cum = np.cumsum([a[j] * w(j) for j in near]) if near else np.zeros(1)
    far = [b for b in range(nbx * nby) if not is_near[b] and blocks[b]]
    far_cum = np.cumsum([sum(a[c] for c in blocks[b]) * bound(b) for b in far])
    s_near = near_cum[-1]
    f_far = far_cum[-1] if far else 0.0
    j = -1
    for _ in range(MAX_TRIES):
        u = rng.random() * (s_near + f_far)
        if u < s_near:
            return near[min(int(np.searchsorted(near_cum, u, side="right")), len(near) - 1)]
        b = far[min(int(np.searchsorted(far_cum, u - s_near, side="right")), len(far) - 1)]
        inner = np.cumsum([a[c] for c in blocks[b]])
        k = min(int(np.searchsorted(inner, rng.random() * inner[-1], side="right")),
                len(inner) - 1)
        j = blocks[b][k]
        if rng.random() * bound(b) < w(j):
            return j
    return j
