"""Spatial keys' values and intervals from a quadratic surface fitted to the trials.

A spatial key (the deprivation gain, the journey to crime) moves where crime falls,
which the shape deviance measures (each type's expected crimes scaled to its recorded
total). Each trial's shape deviance carries its runs' chance variation, so the lowest
trial is partly luck, and the trials near it are too few to trace a profile. As in a
response-surface analysis (Box & Draper 2007), a quadratic in the spatial keys (each
scaled to its search range, 0 to 1) is fitted by least squares to every trial; its
minimum is the estimate, and the profile of a key (the surface
minimised over the other keys) is ``h (u - u*)^2 / 2``, so the 95% interval is
``u* +- sqrt(2 cut / h)``. A surface that is not convex (no minimum: the data do not
locate the keys) gives no estimate, and the caller falls back to the trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SurfaceInterval:
    """One key's estimate and interval on the search scale.

    Attributes:
        value: The surface's minimum, inside the search range.
        low: Lower bound.
        high: Upper bound.
        open_low: The bound is the range's (the interval reaches past it).
        open_high: The same above.
    """

    value: float
    low: float
    high: float
    open_low: bool
    open_high: bool


def _quadratic_terms(u: np.ndarray) -> np.ndarray:
    """Columns 1, u_j and u_j u_k (j <= k) of a full quadratic."""
    n, k = u.shape
    cols = [np.ones(n)] + [u[:, j] for j in range(k)]
    cols += [u[:, i] * u[:, j] for i in range(k) for j in range(i, k)]
    return np.column_stack(cols)


def fit_surface(u: np.ndarray, deviance: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Gradient ``g`` and Hessian ``H`` of ``D(u) = c + g.u + u'Hu / 2``.

    None if there are no more trials than coefficients.
    """
    u = np.asarray(u, np.float64)
    n, k = u.shape
    design = _quadratic_terms(u)
    if n <= design.shape[1]:
        return None
    coef = np.linalg.lstsq(design, np.asarray(deviance, np.float64), rcond=None)[0]
    g = coef[1:1 + k]
    hess = np.zeros((k, k))
    pos = 1 + k
    for i in range(k):
        for j in range(i, k):
            if i == j:
                hess[i, i] = 2.0 * coef[pos]
            else:
                hess[i, j] = hess[j, i] = coef[pos]
            pos += 1
    return g, hess


def surface_intervals(values: np.ndarray, deviance: np.ndarray, bounds: list[tuple[float, float]],
                      cut: float) -> list[SurfaceInterval] | None:
    """Estimates and intervals of every spatial key, or None if the surface has no minimum.

    Args:
        values: Each trial's spatial keys on their search scales, (trials, keys).
        deviance: Each trial's shape deviance.
        bounds: Each key's search range.
        cut: Largest rise of the profile inside the interval (dispersion x 3.84).
    """
    values = np.asarray(values, np.float64)
    lo = np.array([b[0] for b in bounds])
    span = np.array([b[1] - b[0] for b in bounds])
    u = (values - lo) / span
    d = np.asarray(deviance, np.float64)
    fit = fit_surface(u, d)
    if fit is None:
        return None
    g, hess = fit
    if np.any(np.linalg.eigvalsh(hess) <= 0):
        return None
    centre = np.linalg.solve(hess, -g)
    out = []
    for j in range(u.shape[1]):
        others = [i for i in range(u.shape[1]) if i != j]
        h = hess[j, j]
        if others:
            h_jo = hess[j, others]
            h -= h_jo @ np.linalg.solve(hess[np.ix_(others, others)], h_jo)
        half = math.sqrt(2.0 * cut / h)
        value = min(max(centre[j], 0.0), 1.0)
        low, high = centre[j] - half, centre[j] + half
        # an interval reaching past the range ends at it (open); one wholly past it
        # shrinks to the range's end, where the estimate is
        low_in, high_in = min(max(low, 0.0), value), max(min(high, 1.0), value)
        out.append(SurfaceInterval(
            float(lo[j] + span[j] * value), float(lo[j] + span[j] * low_in),
            float(lo[j] + span[j] * high_in), bool(low <= 0.0), bool(high >= 1.0)))
    return out
