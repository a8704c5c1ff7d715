"""Police presence with memory and visibility: the deterrence field officers leave.

The classic field deterred only in the 3x3 cells around where an officer stood at the
end of the hour, and vanished the moment they left. Two findings say otherwise:

- *Residual deterrence* (Sherman 1990; Koper 1995): crime and disorder stay low for a
  while after police leave a place. In the Minneapolis hot-spots data, Koper found
  that the chance of crime or disorder in the half hour after police left was about
  15% after a drive-through and about 4% after a stop of 10-16 minutes.
- *Visibility*: an officer is seen, and the patrol car noticed, further than the block
  they stand on.

So every cell carries a presence ``Q_c``: the officer-hours spent there, each weighed
by the officer's deterrence weight (``police.corrupt_deterrence`` for a corrupt one)
and decaying with a half-life ``deterrence.presence_half_life_min`` after the visit.
An officer's hour is split evenly over the cells of its path (``speed`` steps, so a
cell passed through gets ``1/speed`` of an hour). The deterrence field is then

    P_c = deterrence * sum_cells' Q_c' * v(d(c, c')),   v(d) = 1 - d / (R + cell)

for cells within Euclidean distance ``R = deterrence.visibility_m`` (``v`` falls
linearly from 1 in the officer's own cell). ``P_c`` is what the offending hazard reads
(``cells.police_field``), as before.

Nothing scans the whole city: a visit older than ``n_rows`` ticks has decayed below
1% and is dropped, so the kernel keeps only the last ``n_rows`` ticks' paths (a ring
of visits, ``rows x officers*speed``) and recomputes the field on their footprint:
exactly the exponentially decaying per-cell field, cut off at 1%.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.config import FLOAT, INDEX

#: Visits weighing less than this share of a fresh one are dropped.
CUTOFF = 0.01


def stencil(visibility_m: float, cell_size_m: float) -> tuple[np.ndarray, np.ndarray,
                                                               np.ndarray]:
    """Cell offsets within ``visibility_m`` and their weights ``1 - d / (R + cell)``.

    Returns ``(dx, dy, weight)``; the officer's own cell (0, 0) always has weight 1.

    Raises:
        ValueError: If a distance is negative or the cell size is not positive.
    """
    if visibility_m < 0 or cell_size_m <= 0:
        raise ValueError("visibility must be >= 0 and the cell size > 0")
    r = int(visibility_m // cell_size_m)
    dx, dy, w = [], [], []
    for j in range(-r, r + 1):
        for i in range(-r, r + 1):
            d = math.hypot(i, j) * cell_size_m
            if d <= visibility_m:
                dx.append(i)
                dy.append(j)
                w.append(1.0 - d / (visibility_m + cell_size_m))
    return np.array(dx, INDEX), np.array(dy, INDEX), np.array(w, FLOAT)


def ring_rows(half_life_min: float, tick_min: float) -> int:
    """Ticks a visit is remembered: until its weight ``0.5^(age / half-life)`` < 1%."""
    if half_life_min <= 0 or tick_min <= 0:
        raise ValueError("the half-life and the tick must be positive")
    keep = 0.5 ** (tick_min / half_life_min)
    return max(1, min(1000, math.ceil(math.log(CUTOFF) / math.log(keep))))


@njit(cache=True)
def presence_field(
    trail: np.ndarray,
    weight: np.ndarray,
    ring_cell: np.ndarray,
    ring_w: np.ndarray,
    head: int,
    keep: float,
    deterrence: float,
    dx: np.ndarray,
    dy: np.ndarray,
    sw: np.ndarray,
    width: int,
    height: int,
    field: np.ndarray,
) -> int:
    """Add this tick's paths to the ring of visits and recast ``field`` on its footprint.

    Args:
        trail: ``(officers, speed)`` cells each officer stood on after each step.
        weight: Deterrence weight per officer (1 honest, less if corrupt).
        ring_cell: ``(rows, officers*speed)`` cells of the remembered visits (-1: none;
            updated: row ``head`` gets this tick's paths).
        ring_w: Weights of those visits (updated likewise).
        head: The row to overwrite (the oldest).
        keep: A visit's weight one tick later relative to now: ``0.5^(tick/half-life)``.
        deterrence: Hazard reduction per officer-hour of presence (``police.deterrence``).
        dx: Visibility stencil, column offsets.
        dy: Row offsets.
        sw: Weights of the stencil's cells.
        width: Grid width.
        height: Grid height.
        field: Deterrence per cell (updated: zero away from every remembered visit).

    Returns:
        The row to overwrite next tick.
    """
    rows, cols = ring_cell.shape
    n_st = dx.shape[0]
    # Clear the footprint of every remembered visit (the oldest row's included).
    for r in range(rows):
        for j in range(cols):
            c = ring_cell[r, j]
            if c < 0:
                continue
            x0 = c % width
            y0 = c // width
            for s in range(n_st):
                x = x0 + dx[s]
                y = y0 + dy[s]
                if 0 <= x < width and 0 <= y < height:
                    field[y * width + x] = 0.0
    # This tick's paths replace the oldest row: 1/speed officer-hours per step.
    n_pol, speed = trail.shape
    share = 1.0 / speed
    for j in range(cols):
        ring_cell[head, j] = -1
        ring_w[head, j] = 0.0
    for i in range(n_pol):
        for k in range(speed):
            j = i * speed + k
            if j < cols:
                ring_cell[head, j] = trail[i, k]
                ring_w[head, j] = weight[i] * share
    # Cast: every visit, decayed by its age, seen across the stencil.
    for r in range(rows):
        age = (head - r) % rows
        decay = deterrence * keep ** age
        for j in range(cols):
            c = ring_cell[r, j]
            if c < 0:
                continue
            w = ring_w[r, j] * decay
            x0 = c % width
            y0 = c // width
            for s in range(n_st):
                x = x0 + dx[s]
                y = y0 + dy[s]
                if 0 <= x < width and 0 <= y < height:
                    field[y * width + x] += w * sw[s]
    return (head + 1) % rows


__all__ = ["CUTOFF", "presence_field", "ring_rows", "stencil"]
