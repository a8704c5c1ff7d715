"""Districts of a city: spread-out seed cells, their Voronoi partition, names, deprivation.

Shared by the generator (:mod:`sim.city.generator`) and map files
(:mod:`sim.city.mapfile`), so a generated city and a map without districts get
districts the same way. Every random draw comes from the ``rng`` passed in.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import FLOAT, INT
from sim.scenario import ScenarioError

#: Made-up neighbourhood names; drawn without replacement, suffixed when exhausted.
NEIGHBOURHOOD_NAMES: tuple[str, ...] = (
    "Northgate", "Riverside", "Old Town", "Eastfield", "Westbrook", "Southmead",
    "Highbury", "Millbank", "Ashford", "Kingsmead", "Brookside", "Fairview",
    "Hillcrest", "Oakwood", "Elmwood", "Greenhill", "Marston", "Harbourside",
    "Cathedral Quarter", "Canal Side", "Foundry Lane", "Ironbridge", "Stoneleigh",
    "Bridgeford", "Parkside", "Moorfield", "Westgate", "Eastgate", "Southgate",
    "Market Hill", "Church End", "Castleton", "Redcliffe", "Newtown", "Ashgrove",
    "Beechwood", "Chapel Fields", "Dockside", "Thornbury", "Weavers Row", "Hollowell",
    "Larkfield", "Meadowbank", "Orchard Park", "Pennington", "Queensway", "Rosehill",
    "Saltmarsh", "Tanners Yard", "Upper Heath", "Victoria Park", "Willowdale",
    "Yarrow Green", "Brickfields", "Copperfield", "Daleside", "Fernhill",
    "Glassworks", "Hawthorn", "Lower Marsh",
)  # fmt: skip


def district_names(n: int, rng: np.random.Generator) -> list[str]:
    """Return ``n`` unique neighbourhood names in a seeded random order.

    Past the pool, names repeat with a number ("Northgate 2") so they stay unique.
    """
    pool = len(NEIGHBOURHOOD_NAMES)
    order = rng.permutation(pool)
    names = []
    for i in range(n):
        base = NEIGHBOURHOOD_NAMES[order[i % pool]]
        names.append(base if i < pool else f"{base} {i // pool + 1}")
    return names


def axis_offsets(size: int, centres: np.ndarray, periodic: bool) -> np.ndarray:
    """Distances along one axis from every coordinate ``0..size-1`` to each centre.

    Returns shape ``(size, len(centres))``; wrapped when the city is a torus.
    """
    d = np.abs(np.arange(size, dtype=FLOAT)[:, None] - np.asarray(centres, FLOAT)[None, :])
    if periodic:
        d = np.minimum(d, size - d)
    return d


def spread_cells(eligible: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Pick ``n`` distinct eligible cells spread evenly over the grid (flat indices).

    Jittered stratified sampling: the grid is cut into about ``n`` rectangular slots, one
    random eligible cell is taken per slot, and ``n`` of those are kept. This spreads
    district seeds and schools like a real city without an O(n^2) spacing loop.
    """
    height, width = eligible.shape
    idx = np.flatnonzero(eligible.ravel())
    if n <= 0:
        return np.empty(0, INT)
    if n >= len(idx):
        return rng.permutation(idx).astype(INT)
    nx = max(1, round(math.sqrt(n * width / height)))
    ny = max(1, -(-n // nx))
    slot = (idx // width) * ny // height * nx + (idx % width) * nx // width
    perm = rng.permutation(len(idx))
    _, first = np.unique(slot[perm], return_index=True)
    reps = idx[perm[first]]
    if len(reps) >= n:
        return rng.choice(reps, size=n, replace=False).astype(INT)
    rest = np.setdiff1d(idx, reps)
    extra = rng.choice(rest, size=n - len(reps), replace=False)
    return np.concatenate([reps, extra]).astype(INT)


def voronoi_districts(
    width: int, height: int, n: int, periodic: bool, rng: np.random.Generator
) -> np.ndarray:
    """District index per cell: the Voronoi partition of ``n`` spread-out seed cells.

    Seeds are distinct cells, so each seed's own cell is nearest to it and no district is
    empty. Distances are computed in row blocks to bound memory on large grids.
    """
    if n > width * height:
        raise ScenarioError(
            f"city.districts: {n} districts do not fit in a {width}x{height} grid"
        )
    seeds = spread_cells(np.ones((height, width), bool), n, rng)
    dx2 = (axis_offsets(width, seeds % width, periodic) ** 2).astype(np.float32)
    dy2 = (axis_offsets(height, seeds // width, periodic) ** 2).astype(np.float32)
    out = np.empty((height, width), INT)
    rows = max(1, 4_000_000 // max(1, width * n))
    for y0 in range(0, height, rows):
        d = dy2[y0 : y0 + rows, None, :] + dx2[None, :, :]
        out[y0 : y0 + rows] = d.argmin(axis=2)
    return out


def beta_values(mean: float, spread: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` district deprivations from a Beta distribution.

    ``spread`` is the standard deviation as a share of the largest one a [0, 1] variable
    with this mean can have, sqrt(mean * (1 - mean)); so the Beta concentration is
    ``1 / spread**2 - 1`` and spread 0 gives every district exactly the mean.
    """
    if spread <= 0.0 or mean <= 0.0 or mean >= 1.0:
        return np.full(n, mean, FLOAT)
    s = min(spread, 0.99)
    kappa = 1.0 / (s * s) - 1.0
    return rng.beta(mean * kappa, (1.0 - mean) * kappa, size=n).astype(FLOAT)
