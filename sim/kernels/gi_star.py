"""Getis-Ord Gi*: local hot spots of a per-cell count, as crime analysts map them.

Gi* (Getis & Ord 1992; Ord & Getis 1995) compares the sum of a value over a cell's
neighbourhood *including the cell itself* (the star) with what the city-wide mean
would put there, in units of its standard deviation under random placement:

    z_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n W_i - W_i^2) / (n - 1)))

with binary distance-band weights (w_ij = 1 when the centres of cells i and j are at
most ``distance`` cells apart, the cell itself included), W_i = sum_j w_ij, ``xbar``
the mean and ``S`` the population standard deviation of ``x`` over all ``n`` cells.
For binary weights sum_j w_ij^2 = W_i, so this is Ord & Getis's (1995) eq. 7 and the
``Zs`` of esda's ``G_Local(y, w, transform="B", star=True)``. On a bounded city a
border cell simply has fewer neighbours (a smaller W_i); on a wrapped city (a torus)
the band wraps round the edges.

Significance is the analytic normal approximation, two-sided (ArcGIS's Hot Spot
Analysis reports the same 90/95/99% bins), with no permutations and so no random
draws. Testing every cell at once needs a multiple-testing correction: the
Benjamini-Hochberg false discovery rate (Benjamini & Hochberg 1995; Caldas de Castro
& Singer 2006 for local spatial statistics) is the default, because neighbouring
cells share most of their window, their tests are positively dependent, under which
BH still controls the FDR (Benjamini & Yekutieli 2001), while Bonferroni over
hundreds of overlapping windows misses all but the strongest hot spots. Bonferroni
is offered for a family-wise guarantee.

The computation is a handful of shifted array sums, run once when an intervention
fixes its target or when the dashboard draws the layer: plain numpy is fast enough.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

#: Multiple-testing corrections :func:`significant` knows.
CORRECTIONS = ("fdr", "bonferroni")

#: Hot/cold-spot confidence bins (ArcGIS's Gi_Bin): bin -> two-sided significance level.
CONFIDENCE_LEVELS: dict[int, float] = {1: 0.10, 2: 0.05, 3: 0.01}


def band_offsets(distance: float) -> np.ndarray:
    """The (dy, dx) offsets of the cells whose centres lie within ``distance`` cells.

    The cell itself (0, 0) is always included: the star of Gi*.

    Args:
        distance: Band radius in cells (>= 0); 1.5 gives the 3 x 3 block (queen).

    Returns:
        An int64 array of shape (k, 2).
    """
    if not np.isfinite(distance) or distance < 0:
        raise ValueError(f"distance must be a finite number >= 0, got {distance}")
    r = int(np.floor(distance))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    # A small tolerance so that a band of exactly sqrt(2) cells keeps the diagonal.
    inside = dy * dy + dx * dx <= distance * distance + 1e-9
    return np.column_stack((dy[inside], dx[inside])).astype(np.int64)


def band_sum(values: np.ndarray, distance: float, periodic: bool = False) -> np.ndarray:
    """Sum of ``values`` over each cell's distance band (the cell included).

    Args:
        values: A 2-D array (height x width).
        distance: Band radius in cells.
        periodic: Whether the grid wraps (a torus); otherwise the band stops at the edge.

    Raises:
        ValueError: On a wrapped grid whose band reaches round to itself (the band's
            diameter is wider than the grid), which would count a cell twice.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (height x width), got shape {values.shape}")
    height, width = values.shape
    offsets = band_offsets(distance)
    r = int(np.abs(offsets).max())
    out = np.zeros_like(values)
    if periodic:
        if 2 * r + 1 > min(height, width):
            raise ValueError(
                f"a band of {distance:g} cells is wider than the {width} x {height} "
                "wrapped grid")
        for dy, dx in offsets:
            out += np.roll(values, (-dy, -dx), axis=(0, 1))
        return out
    padded = np.zeros((height + 2 * r, width + 2 * r))
    padded[r:r + height, r:r + width] = values
    for dy, dx in offsets:
        out += padded[r + dy:r + dy + height, r + dx:r + dx + width]
    return out


def gi_star(values: np.ndarray, distance: float, periodic: bool = False) -> np.ndarray:
    """Gi* z-score of every cell, with binary distance-band weights.

    Args:
        values: Per-cell counts or heat, 2-D (height x width).
        distance: Band radius in cells (the cell itself always counts).
        periodic: Whether the grid wraps.

    Returns:
        The z-scores, same shape as ``values``; all zero when ``values`` is constant
        (no cell stands out, and the formula would divide by zero).
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    mean = x.mean()
    s = np.sqrt(max((x * x).mean() - mean * mean, 0.0))
    weight = band_sum(np.ones_like(x), distance, periodic)
    if n < 2 or s <= 1e-12 * max(1.0, abs(mean)):
        return np.zeros_like(x)
    local = band_sum(x, distance, periodic)
    spread = np.sqrt(np.maximum(n * weight - weight * weight, 0.0) / (n - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (local - mean * weight) / (s * spread)
    # A band covering the whole grid (W_i = n) carries no information: z = 0.
    return np.where(spread > 0, z, 0.0)


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """The two-sided normal p-value 2 (1 - Phi(|z|))."""
    return 2.0 * ndtr(-np.abs(np.asarray(z, dtype=float)))


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """Which tests the Benjamini-Hochberg procedure rejects at false discovery rate alpha.

    Sort the m p-values, find the largest k with p_(k) <= k alpha / m, reject the k
    smallest (Benjamini & Hochberg 1995).

    Returns:
        A boolean array the shape of ``p``.
    """
    p = np.asarray(p, dtype=float)
    flat = p.ravel()
    m = flat.size
    order = np.argsort(flat, kind="stable")
    passed = np.flatnonzero(flat[order] <= alpha * np.arange(1, m + 1) / m)
    reject = np.zeros(m, np.bool_)
    if passed.size:
        reject[order[:passed[-1] + 1]] = True
    return reject.reshape(p.shape)


def significant(p: np.ndarray, alpha: float, correction: str = "fdr") -> np.ndarray:
    """Cells significant at ``alpha`` after the multiple-testing ``correction``.

    Args:
        p: Two-sided p-values, one per cell.
        alpha: The false discovery rate ("fdr") or family-wise error rate ("bonferroni").
        correction: One of :data:`CORRECTIONS`.
    """
    if correction == "fdr":
        return benjamini_hochberg(p, alpha)
    if correction == "bonferroni":
        return np.asarray(p) <= alpha / np.asarray(p).size
    raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, got {correction!r}")


def hot_spots(values: np.ndarray, distance: float, alpha: float, correction: str = "fdr",
              periodic: bool = False) -> np.ndarray:
    """Cells that are significant hot spots: significant at ``alpha`` with z > 0."""
    z = gi_star(values, distance, periodic)
    return significant(two_sided_p(z), alpha, correction) & (z > 0)


def confidence_bins(values: np.ndarray, distance: float, correction: str = "fdr",
                    periodic: bool = False) -> np.ndarray:
    """Hot (+) and cold (-) spots by confidence: 3 = 99%, 2 = 95%, 1 = 90%, 0 = neither.

    Each level is corrected on its own (the 95% bin holds the cells the FDR procedure
    rejects at 0.05), as ArcGIS's Hot Spot Analysis does with its FDR option.

    Returns:
        An int8 array the shape of ``values``.
    """
    z = gi_star(values, distance, periodic)
    p = two_sided_p(z)
    bins = np.zeros(z.shape, np.int8)
    for level, alpha in sorted(CONFIDENCE_LEVELS.items()):
        bins[significant(p, alpha, correction)] = level
    return (bins * np.sign(z)).astype(np.int8)
