"""Land-use placement of the generated city: blobs, radiating streets, an edge gradient.

Industry and parks are irregular elliptical blobs of an exact total area, nightlife
spills out of the centre along a few streets, industry leans to one edge; on grids of
:data:`GUARANTEE_SIDE` and up every land use gets at least one cell. Every random draw
comes from the ``rng`` passed in, in a fixed order, so one seed gives one city.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import COMMERCIAL, FLOAT, INDUSTRIAL, INT, LAND_USES, NIGHTLIFE, RESIDENTIAL

#: Smallest grid side on which every land use is guaranteed to be present.
GUARANTEE_SIDE = 20


def blob_score(
    shape: tuple[int, int],
    centres: np.ndarray,
    areas: np.ndarray,
    stretch: np.ndarray,
    angle: np.ndarray,
    periodic: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """Score field of irregular elliptical blobs: 1 at a centre, 0 on the rim, < 0 outside.

    Each blob is an ellipse of the given area with a wobbly rim (two random harmonics),
    evaluated only in its bounding box. Taking the top-scoring cells then gives blobs of
    an exact total area, grown or shrunk evenly when they overlap or are clipped.
    """
    height, width = shape
    score = np.full(shape, -np.inf)
    wob = rng.uniform(0.0, 0.2, (len(areas), 2))
    phase = rng.uniform(0.0, 2 * np.pi, (len(areas), 2))
    for i, c in enumerate(centres):
        cy, cx = divmod(int(c), width)
        r = math.sqrt(max(areas[i], 1.0) / math.pi)
        a, b = r * stretch[i], r / stretch[i]
        reach = math.ceil(2.0 * a) + 1
        xs = np.arange(cx - reach, cx + reach + 1)
        ys = np.arange(cy - reach, cy + reach + 1)
        if periodic:
            xs = xs if len(xs) <= width else np.arange(cx - width // 2, cx - width // 2 + width)
            ys = ys if len(ys) <= height else np.arange(cy - height // 2, cy - height // 2 + height)
            xi, yi = xs % width, ys % height
        else:
            xs = xs[(xs >= 0) & (xs < width)]
            ys = ys[(ys >= 0) & (ys < height)]
            xi, yi = xs, ys
        dx = (xs - cx)[None, :].astype(FLOAT)
        dy = (ys - cy)[:, None].astype(FLOAT)
        ca, sa = math.cos(angle[i]), math.sin(angle[i])
        u, v = dx * ca + dy * sa, -dx * sa + dy * ca
        rho = np.sqrt((u / a) ** 2 + (v / b) ** 2)
        theta = np.arctan2(v, u)
        rim = 1.0 + wob[i, 0] * np.cos(theta + phase[i, 0]) + wob[i, 1] * np.cos(
            2 * theta + phase[i, 1]
        )
        block = np.ix_(yi, xi)
        score[block] = np.maximum(score[block], 1.0 - rho / rim)
    return score


def top_cells(score: np.ndarray, eligible: np.ndarray, n: int) -> np.ndarray:
    """Flat indices of the (up to) ``n`` eligible cells with the highest finite score."""
    flat = score.ravel()
    idx = np.flatnonzero(eligible.ravel() & np.isfinite(flat))
    if n <= 0:
        return np.empty(0, INT)
    if len(idx) <= n:
        return idx
    return idx[np.argpartition(-flat[idx], n - 1)[:n]]


def place_blobs(
    land: np.ndarray,
    code: int,
    n: int,
    centres: np.ndarray,
    stretch_max: float,
    angle: np.ndarray | None,
    periodic: bool,
    rng: np.random.Generator,
) -> None:
    """Turn about ``n`` residential cells around ``centres`` into land use ``code``."""
    k = len(centres)
    if n <= 0 or k == 0:
        return
    weights = rng.lognormal(0.0, 0.5, k)
    areas = n * weights / weights.sum()
    stretch = rng.uniform(1.0, stretch_max, k)
    if angle is None:
        angle = rng.uniform(0.0, np.pi, k)
    score = blob_score(land.shape, centres, areas, stretch, angle, periodic, rng)
    land.ravel()[top_cells(score, land == RESIDENTIAL, n)] = code


def street_cells(
    width: int, height: int, cx: int, cy: int, radius: float, n: int, periodic: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """Flat indices of ``n`` one-cell-wide streets radiating from the centre.

    Streets are evenly spaced in angle (with jitter) and 1.5-2x the centre radius long,
    so nightlife spills out of the centre along a few arteries, as it does in real towns.
    """
    if n <= 0:
        return np.empty(0, INT)
    angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(n) / n
    angles += rng.normal(0.0, 0.15 * 2 * np.pi / n, n)  # sd: 15% of the spacing
    lengths = rng.uniform(1.5, 2.0, n) * max(radius, 1.0)
    cells = []
    for ang, length in zip(angles, lengths, strict=True):
        t = np.arange(0.0, length + 0.5, 0.5)
        x = np.rint(cx + t * math.cos(ang)).astype(INT)
        y = np.rint(cy + t * math.sin(ang)).astype(INT)
        if periodic:
            x, y = x % width, y % height
        else:
            ok = (x >= 0) & (x < width) & (y >= 0) & (y < height)
            x, y = x[ok], y[ok]
        cells.append(y * width + x)
    return np.unique(np.concatenate(cells))


def edge_gradient(width: int, height: int, edge: int) -> np.ndarray:
    """1 on the given edge (0 west, 1 east, 2 north, 3 south), falling to 0 opposite it."""
    x = np.arange(width, dtype=FLOAT) / max(width - 1, 1)
    y = np.arange(height, dtype=FLOAT) / max(height - 1, 1)
    if edge == 0:
        g = np.broadcast_to(1.0 - x[None, :], (height, width))
    elif edge == 1:
        g = np.broadcast_to(x[None, :], (height, width))
    elif edge == 2:
        g = np.broadcast_to(1.0 - y[:, None], (height, width))
    else:
        g = np.broadcast_to(y[:, None], (height, width))
    return np.ascontiguousarray(g)


def guarantee_land_uses(
    land: np.ndarray, dist_c: np.ndarray, gradient: np.ndarray, rng: np.random.Generator
) -> None:
    """Make sure every land use has at least one cell, so every routine has a destination.

    A missing use takes the best-placed cell of a use that has cells to spare,
    residential first: commercial and nightlife nearest the centre, industry nearest the
    industrial edge, parks, schools and housing anywhere.
    """
    flat = land.ravel()
    random_key = rng.random(flat.size)
    anchor = {
        COMMERCIAL: dist_c.ravel(),
        NIGHTLIFE: dist_c.ravel(),
        INDUSTRIAL: 1.0 - gradient.ravel(),
    }
    for code in range(len(LAND_USES)):
        counts = np.bincount(flat, minlength=len(LAND_USES))
        if counts[code] > 0:
            continue
        spare = counts[flat] >= 2
        key = anchor.get(code, random_key) + 1e6 * (flat != RESIDENTIAL)
        key = np.where(spare, key, np.inf)
        flat[int(np.argmin(key))] = code
