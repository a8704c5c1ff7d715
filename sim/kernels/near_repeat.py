"""The near-repeat field: Short et al.'s (2008) dynamic attractiveness B.

    B_s(t + dt) = [(1 - eta) B_s + (eta / z) * sum_neighbours B] (1 - omega dt) + theta E_s

Each crime at ``s`` raises B there by theta (repeat and near-repeat victimisation:
Johnson et al. 2007); B spreads to the ``z = 4`` neighbours (eta) and decays (omega).
On a bounded grid the neighbour average runs over the neighbours that exist (``z`` is
their number), a reflecting edge; on a torus every cell has four.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.kernels.grid import neighbour


@njit(cache=True, inline="always")
def next_b(c: int, b: np.ndarray, crimes: np.ndarray, eta: float, keep: float, theta: float,
           width: int, height: int, periodic: bool) -> float:
    """Cell ``c``'s next B (reads only the current field)."""
    s = 0.0
    z = 0
    for k in range(4):
        nb = neighbour(c, k, width, height, periodic)
        if nb >= 0:
            s += b[nb]
            z += 1
    lap = (1.0 - eta) * b[c] + eta * s / z if z > 0 else b[c]
    return lap * keep + theta * crimes[c]


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
        out[c] = next_b(c, b, crimes, eta, keep, theta, width, height, periodic)


@njit(cache=True, parallel=True)
def update_b_parallel(
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
    """:func:`update_b` in parallel over cells (``prange``).

    Each cell's new value reads only the old field, with the same operations in the
    same order whatever the thread: the result is :func:`update_b`'s, bit for bit.
    """
    keep = 1.0 - omega_dt
    for c in prange(b.shape[0]):
        out[c] = next_b(c, b, crimes, eta, keep, theta, width, height, periodic)


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
    parallel: bool = False,
) -> None:
    """Advance B in place by one step (via ``scratch``) and clear ``crimes``.

    ``parallel``: use :func:`update_b_parallel` (big grids, several threads; the same
    field).
    """
    if parallel:
        update_b_parallel(b, crimes, eta, omega_dt, theta, width, height, periodic, scratch)
    else:
        update_b(b, crimes, eta, omega_dt, theta, width, height, periodic, scratch)
    b[:] = scratch
    crimes[:] = 0.0
