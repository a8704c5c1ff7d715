"""Plain-Python twin of sim.kernels.gravity.draw_destination (see test_gravity.py).

Shared by test_gravity.py and the plan tests (day_plans.py); ``rng`` is anything with a
``random()`` method: there, a resident's counter stream (counter_twin.TwinStream), the
same uniforms the kernel draws.
"""

from __future__ import annotations

import math

import numpy as np

from sim.kernels.gravity import MAX_TRIES


def ref_draw(origin, a, width, height, beta, d0, side, rng, fine=0):
    """Plain-Python twin of draw_destination, written from the sampler's rule.

    ``side``: the table's block side; ``fine``: its fine block side (0: no fine level).
    """
    nbx, nby = -(-width // side), -(-height // side)
    per = side // fine if fine else 1

    def fine_in_block(c):  # the fine block inside its block, row-major (0 without one)
        if not fine:
            return 0
        return ((c // width) % side // fine) * per + (c % width) % side // fine

    blocks = [[] for _ in range(nbx * nby)]
    for c in np.flatnonzero(a > 0):  # candidates in cell order within each block
        blocks[(c // width // side) * nbx + (c % width) // side].append(int(c))
    blocks = [sorted(b, key=fine_in_block) for b in blocks]  # stable: then cell order
    ox, oy = origin % width, origin // width
    zx, zy = ox // side, oy // side

    def w(j):
        return (math.hypot(j % width - ox, j // width - oy) + d0) ** -beta

    def bound_at(gx, gy, size):  # decay at the smallest distance between the two blocks
        sx = 0 if gx == 0 else (gx - 1) * size + 1
        sy = 0 if gy == 0 else (gy - 1) * size + 1
        return (math.hypot(sx, sy) + d0) ** -beta

    def bound(b):
        return bound_at(abs(b % nbx - zx), abs(b // nbx - zy), side)

    is_near = [abs(b % nbx - zx) <= 1 and abs(b // nbx - zy) <= 1 for b in range(nbx * nby)]
    mid = []  # (bound, places) of the mid fine blocks, in row order
    if fine:
        nfx, nfy = -(-width // fine), -(-height // fine)
        fx, fy = ox // fine, oy // fine
        fine_blocks = {}
        for c in np.flatnonzero(a > 0):
            fine_blocks.setdefault((c % width // fine, c // width // fine), []).append(int(c))
        near = [j for gy in range(max(fy - 1, 0), min(fy + 1, nfy - 1) + 1)
                for gx in range(max(fx - 1, 0), min(fx + 1, nfx - 1) + 1)
                for j in fine_blocks.get((gx, gy), [])]
        # the 3 x 3 blocks around the origin's, row by row; in each, its fine blocks
        # row by row, less the near ones
        mid = [(bound_at(abs(gx - fx), abs(gy - fy), fine), fine_blocks.get((gx, gy), []))
               for by in range(max(zy - 1, 0), min(zy + 1, nby - 1) + 1)
               for bx in range(max(zx - 1, 0), min(zx + 1, nbx - 1) + 1)
               for gy in range(by * per, min((by + 1) * per, nfy))
               for gx in range(bx * per, min((bx + 1) * per, nfx))
               if abs(gx - fx) > 1 or abs(gy - fy) > 1]
    else:
        near = [j for b in range(nbx * nby) if is_near[b] for j in blocks[b]]
    near_cum = np.cumsum([a[j] * w(j) for j in near]) if near else np.zeros(1)
    mid_cum = np.cumsum([sum(a[c] for c in places) * wf for wf, places in mid]) if mid else [0.0]
    far = [b for b in range(nbx * nby) if not is_near[b] and blocks[b]]
    far_cum = np.cumsum([sum(a[c] for c in blocks[b]) * bound(b) for b in far])
    s_near = near_cum[-1]
    m_mid = mid_cum[-1]
    f_far = far_cum[-1] if far else 0.0
    j = -1
    for _ in range(MAX_TRIES):
        u = rng.random() * (s_near + m_mid + f_far)
        if u < s_near:
            return near[min(int(np.searchsorted(near_cum, u, side="right")), len(near) - 1)]
        if u < s_near + m_mid:
            g = int(np.searchsorted(mid_cum, u - s_near, side="right"))
            if g >= len(mid):
                continue
            wf, places = mid[g]
        else:
            b = far[min(int(np.searchsorted(far_cum, u - s_near - m_mid, side="right")),
                        len(far) - 1)]
            wf, places = bound(b), blocks[b]
        inner = np.cumsum([a[c] for c in places])
        k = min(int(np.searchsorted(inner, rng.random() * inner[-1], side="right")),
                len(inner) - 1)
        j = places[k]
        if rng.random() * wf < w(j):
            return j
    return j
