"""Offender movement: a walk biased toward attractive cells, anchored at home.

Short et al. (2008) move a burglar to neighbour ``n`` with probability
``A_n / sum_neighbours A``. Crime pattern theory (Brantingham & Brantingham 1993) adds
an awareness space around the offender's home: weights fall as ``exp(-decay * d)``
with the neighbour's distance ``d`` from home and are zero beyond the awareness
radius. With ``decay = 0`` and no radius this is exactly Short et al.'s rule, which
is how the lattice scenarios reproduce the paper.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.kernels.grid import distance, neighbour


@njit(cache=True)
def walk(
    pos: np.ndarray,
    home: np.ndarray,
    moving: np.ndarray,
    a0: np.ndarray,
    b: np.ndarray,
    width: int,
    height: int,
    periodic: bool,
    n_neighbours: int,
    home_decay: float,
    awareness: float,
    rng: np.random.Generator,
    police: np.ndarray | None = None,
    avoid: float = 0.0,
) -> None:
    """Move every offender with ``moving[i]`` one cell; others stay.

    Args:
        pos: Offender cells (updated in place).
        home: Home anchor cells (-1: no anchor, as for Short et al.'s burglars).
        moving: Which offenders move this sub-step.
        a0: Static attractiveness per cell (flat).
        b: Dynamic attractiveness per cell (flat).
        width: Grid width.
        height: Grid height.
        periodic: Whether edges wrap.
        n_neighbours: 4 (von Neumann, as in Short et al.) or 8 (Moore).
        home_decay: Distance-decay rate per cell from home.
        awareness: Largest distance from home an offender walks to (0: no limit).
        rng: The model's generator; one uniform per mover, in offender order.
        police: Police deterrence per cell (``cells.police_field``), or None.
        avoid: ``deterrence.avoidance``: a neighbour's weight is multiplied by
            ``exp(-avoid * police[nb])``: offenders steer away from police presence
            (0 or no field: unread, Short et al.'s weights).
    """
    w = np.empty(8)
    cand = np.empty(8, np.int64)
    for i in range(pos.shape[0]):
        if not moving[i]:
            continue
        c = pos[i]
        h = home[i]
        total = 0.0
        for k in range(n_neighbours):
            nb = neighbour(c, k, width, height, periodic)
            cand[k] = nb
            if nb < 0:
                w[k] = 0.0
                continue
            wk = a0[nb] + b[nb]
            if h >= 0 and (home_decay > 0.0 or awareness > 0.0):
                d = distance(nb, h, width, height, periodic)
                if awareness > 0.0 and d > awareness:
                    wk = 0.0
                else:
                    wk *= np.exp(-home_decay * d)
            if police is not None and avoid > 0.0 and police[nb] > 0.0:
                wk *= np.exp(-avoid * police[nb])
            w[k] = wk
            total += wk
        r = rng.random() * total
        if total <= 0.0:
            continue
        acc = 0.0
        for k in range(n_neighbours):
            acc += w[k]
            if r < acc:
                pos[i] = cand[k]
                break
        else:
            # Rounding left r at the very top: take the last neighbour with weight.
            for k in range(n_neighbours - 1, -1, -1):
                if w[k] > 0.0:
                    pos[i] = cand[k]
                    break
