"""The near-repeat field: Short et al.'s (2008) dynamic attractiveness B.

    B_s(t + dt) = [(1 - eta) B_s + (eta / z) * sum_neighbours B] (1 - omega dt) + theta E_s

Each crime at ``s`` raises B there by theta (repeat and near-repeat victimisation:
Johnson et al. 2007); B spreads to the ``z = 4`` neighbours (eta) and decays (omega).
On a bounded grid the neighbour average runs over the neighbours that exist (``z`` is
their number), a reflecting edge; on a torus every cell has four.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.kernels.grid import neighbour


@njit(cache=True)
def update_b(
    b: np.ndarray,
    crimes: np.ndarray,
    eta: float,
    omega_dt: float,
    theta: float,
    width: int,
    height: int,
    periodic: bool,
    out: np.ndarray,
) -> None:
    """Write the next B field into ``out`` (flat arrays; ``out`` must not alias ``b``).

    Args:
        b: Current B per cell.
        crimes: Crimes counted toward B per cell during this step (E_s).
        eta: Share of B spread to the neighbours.
        omega_dt: Decay per step, omega * dt.
        theta: Increase of B per crime.
        width: Grid width.
        height: Grid height.
        periodic: Whether edges wrap.
        out: Output array.
    """
    keep = 1.0 - omega_dt
    for c in range(b.shape[0]):
        s = 0.0
        z = 0
        for k in range(4):
            nb = neighbour(c, k, width, height, periodic)
            if nb >= 0:
                s += b[nb]
                z += 1
        lap = (1.0 - eta) * b[c] + eta * s / z if z > 0 else b[c]
        out[c] = lap * keep + theta * crimes[c]


@njit(cache=True)
def step_b(
    b: np.ndarray,
    crimes: np.ndarray,
    eta: float,
    omega_dt: float,
    theta: float,
    width: int,
    height: int,
    periodic: bool,
    scratch: np.ndarray,
) -> None:
    """Advance B in place by one step (via ``scratch``) and clear ``crimes``."""
    update_b(b, crimes, eta, omega_dt, theta, width, height, periodic, scratch)
    b[:] = scratch
    crimes[:] = 0.0
