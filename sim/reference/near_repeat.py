"""The near-repeat field: each crime makes its place, and the places around it, riskier.

Burglars return to a burgled home and its neighbours (repeat and near-repeat
victimisation: Johnson et al. 2007). Short et al. (2008) model this as a dynamic
attractiveness B on every cell, added to the static A0 (``A = A0 + B``):

    B_s(t + 1) = [(1 - eta) B_s + (eta / z_s) * sum of B over the 4 rook neighbours]
                 * (1 - omega dt) + theta * E_s

- each crime at s this tick (``E_s``, of the types in ``near_repeat.crime_types``)
  raises B there by ``theta``;
- a share ``eta`` of B spreads to the neighbours (``z_s`` of them: 4 on a torus,
  fewer at a city's edge, which reflects);
- B fades by ``omega dt`` a tick.

The whole field moves at once, so it is written as array arithmetic on the grid's
property layer ``b`` (the way Mesa's PropertyLayer is meant to be used), not as a loop
over cells. docs/ODD.md §7.8; the fast engine's twin is ``sim/kernels/near_repeat.py``.
"""

from __future__ import annotations

import numpy as np


def rook_neighbours(field: np.ndarray, periodic: bool) -> tuple[np.ndarray, np.ndarray]:
    """Sum of ``field`` over each cell's 4 rook neighbours, and how many there are.

    Args:
        field: A ``(height, width)`` layer.
        periodic: Whether the city wraps (a torus) or stops at its edges.

    Returns:
        ``(sums, counts)``, both ``(height, width)``.
    """
    if periodic:
        sums = sum(np.roll(field, shift, axis) for axis in (0, 1) for shift in (1, -1))
        return sums, np.full(field.shape, 4.0)
    padded = np.pad(field, 1)  # nothing beyond the edge
    inside = np.pad(np.ones(field.shape), 1)

    def around(a: np.ndarray) -> np.ndarray:
        return a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:]

    return around(padded), around(inside)


def next_b(b: np.ndarray, crimes: np.ndarray, eta: float, omega_dt: float, theta: float,
           periodic: bool) -> np.ndarray:
    """The near-repeat field after one tick (a new array).

    Args:
        b: B now, ``(height, width)``.
        crimes: E, the crimes counted toward B at each cell this tick.
        eta: Share of B that spreads to the neighbours each tick.
        omega_dt: Share of B that fades each tick.
        theta: Rise of B per crime.
        periodic: Whether the city wraps.
    """
    sums, counts = rook_neighbours(b, periodic)
    spread = np.where(counts > 0, (1.0 - eta) * b + eta * sums / np.maximum(counts, 1.0), b)
    return spread * (1.0 - omega_dt) + theta * crimes


def update_b(b: np.ndarray, crimes: np.ndarray, eta: float, omega_dt: float, theta: float,
             periodic: bool) -> None:
    """Advance B in place (the city's layer is shared) and clear this tick's crimes."""
    b[:] = next_b(b, crimes, eta, omega_dt, theta, periodic)
    crimes[:] = 0.0
