"""Crime concentration at places: Weisburd's law measured on the model's cells.

Weisburd (2015) found that about 50% of crime falls at 2-6% of a city's street
segments and about 25% at 0.4-1.6%, in city after city. The model's places are 50 m
cells, so the same two questions are asked of its crime map: what share of crime
do the top 5% and 1% of places hold, and what share of places holds half and a quarter
of the crime. The places judged are 100 m blocks (2 × 2 cells at 50 m, the nearest to
a street segment; :mod:`sim.metrics.places`), with the cells kept as a finer row.

Concentration measured on counts is inflated when there are fewer crimes than
places: with 2,800 crimes on 10,000 cells at most 28% of cells can have any, so half
of the crime necessarily sits in at most 14% of them (Bernasco & Steenbeek 2017).
:func:`uniform_null` gives the concentration that sparseness alone produces, the floor
a measured figure has to be read against.
"""

from __future__ import annotations

import numpy as np

from sim.metrics.places import block_counts, places_for_share
from sim.metrics.places import top_share as _top_share

__all__ = ["cells_for_share", "lorenz", "top_share", "uniform_null"]


def top_share(counts: np.ndarray, share: float) -> float:
    """Share of all crime in the ``share`` most criminal cells (the sweep's own measure).

    The library's :func:`sim.metrics.places.top_share`, which counts places as a sweep
    records ``crime_concentration_top5``; any shape of map is accepted.
    """
    return _top_share(counts, share)


def cells_for_share(counts: np.ndarray, crime_share: float) -> float:
    """Smallest share of cells that together hold at least ``crime_share`` of all crime.

    Cells are taken from the most criminal down, as Weisburd counts segments
    (:func:`sim.metrics.places.places_for_share`, the figure summary.json reports).

    Args:
        counts: Crimes per cell (any shape; flattened).
        crime_share: Share of crime, e.g. 0.5.

    Returns:
        The share of cells (0-1), or NaN when there is no crime.
    """
    return places_for_share(counts, crime_share)


def lorenz(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative share of crime against share of cells, most criminal cells first.

    Returns:
        ``(cell_share, crime_share)``, both starting at 0 and ending at 1.
    """
    flat = np.sort(np.asarray(counts, dtype=float).ravel())[::-1]
    total = max(flat.sum(), 1e-300)
    cells = np.arange(flat.size + 1) / flat.size
    crime = np.concatenate([[0.0], np.cumsum(flat) / total])
    return cells, crime


def uniform_null(total: int, n_cells: int, rng: np.random.Generator, draws: int = 200,
                 shape: tuple[int, int] | None = None, block: int = 1
                 ) -> dict[str, float]:
    """Concentration if ``total`` crimes fell on ``n_cells`` cells uniformly at random.

    The means over ``draws`` multinomial scatters of the top-5% and top-1% shares and
    of the place shares holding 50% and 25% of crime: what sparseness alone gives.
    With ``shape`` (height, width) and ``block`` > 1 the crimes are scattered on the
    cells and counted on ``block`` × ``block`` blocks (edge blocks partial), the null
    of the 100 m block figures.
    """
    out = {"top5": 0.0, "top1": 0.0, "cells_50": 0.0, "cells_25": 0.0}
    if total <= 0 or draws < 1:
        return {k: float("nan") for k in out}
    p = np.full(n_cells, 1.0 / n_cells)
    for _ in range(draws):
        c = rng.multinomial(total, p)
        if shape is not None and block > 1:
            c = block_counts(c.reshape(shape), block)
        out["top5"] += top_share(c, 0.05)
        out["top1"] += top_share(c, 0.01)
        out["cells_50"] += cells_for_share(c, 0.5)
        out["cells_25"] += cells_for_share(c, 0.25)
    return {k: v / draws for k, v in out.items()}
