"""Crime concentration at places, on the model's cells and on 100 m blocks.

Weisburd (2015) found that about 50% of a city's crime falls at 2-6% of its street
segments and 25% at 0.4-1.6%. A street segment is roughly 100-150 m of street; the
model's cells are smaller (50 m in the baseline), so counting cells makes places four
times finer than segments and crime look more concentrated than it is. Blocks of
k × k cells, with k = max(1, round(100 / cell size)), are the nearest the grid gets to
a segment-sized place: 2 × 2 at 50 m. Blocks at the right and bottom edges may be
partial (a 45-cell wide city has a last column of blocks one cell wide); they count
as places like any other, so the denominator is every block of the city, parks and
industry included, as Weisburd's is every segment.

These functions serve the run's summary.json and the validation experiment alike, so
both report the same figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: The side of a block in metres (about one street segment).
BLOCK_M = 100.0


def top_share(counts: np.ndarray, share: float) -> float:
    """Share of all crime held by the ``share`` most criminal places.

    The number of places is ``max(1, round(share * places))``, as the sweeps count
    their ``crime_concentration_top5`` (:mod:`sim.analysis.sweep.metrics`).

    Args:
        counts: Crimes per place (any shape; flattened).
        share: Fraction of places, e.g. 0.05 for the top 5%.

    Returns:
        The share of crime (0-1), NaN when there is no crime.
    """
    flat = np.asarray(counts, dtype=float).ravel()
    total = float(flat.sum())
    if total <= 0:
        return float("nan")
    k = max(1, int(round(share * flat.size)))
    return float(np.partition(flat, flat.size - k)[-k:].sum()) / total


def places_for_share(counts: np.ndarray, crime_share: float) -> float:
    """Smallest share of places that together hold at least ``crime_share`` of crime.

    Places are taken from the most criminal down, as Weisburd counts segments.

    Args:
        counts: Crimes per place (any shape; flattened).
        crime_share: Share of crime, e.g. 0.5.

    Returns:
        The share of places (0-1), NaN when there is no crime.
    """
    flat = np.sort(np.asarray(counts, dtype=float).ravel())[::-1]
    total = flat.sum()
    if total <= 0:
        return float("nan")
    cum = np.cumsum(flat) / total
    k = int(np.searchsorted(cum, crime_share - 1e-12)) + 1
    return k / flat.size


def block_side(cell_m: float, block_m: float = BLOCK_M) -> int:
    """Cells per side of a block: ``max(1, round(block_m / cell_m))`` (2 at 50 m)."""
    return max(1, int(round(block_m / float(cell_m))))


def block_counts(crime_map: np.ndarray, k: int) -> np.ndarray:
    """Crimes per k × k block of a (height, width) map; edge blocks may be partial.

    Args:
        crime_map: Crimes per cell, shape (height, width).
        k: Cells per side of a block.

    Returns:
        Crimes per block, shape (ceil(height / k), ceil(width / k)).
    """
    m = np.asarray(crime_map, dtype=float)
    h, w = m.shape
    bh, bw = -(-h // k), -(-w // k)
    padded = np.zeros((bh * k, bw * k))
    padded[:h, :w] = m
    return padded.reshape(bh, k, bw, k).sum(axis=(1, 3))


def concentration_figures(counts: np.ndarray) -> dict[str, float]:
    """Weisburd's figures of a map: top 5% and 1% shares, places for 50% and 25%.

    Returns:
        ``top5``, ``top1`` (share of crime in the top 5% / 1% of places),
        ``places_50``, ``places_25`` (share of places holding 50% / 25% of crime) and
        ``places`` (the denominator: every place of the map).
    """
    return {"top5": top_share(counts, 0.05), "top1": top_share(counts, 0.01),
            "places_50": places_for_share(counts, 0.5),
            "places_25": places_for_share(counts, 0.25),
            "places": int(np.asarray(counts).size)}


def concentration(crime_map: np.ndarray, cell_m: float) -> dict[str, Any]:
    """Concentration of a (height, width) crime map on its cells and on 100 m blocks.

    Args:
        crime_map: Crimes per cell, shape (height, width), all crime types or one.
        cell_m: Side of a cell in metres.

    Returns:
        ``cells`` and ``blocks`` (each :func:`concentration_figures`), ``block_cells``
        (cells per block side) and ``block_m`` (a block's side in metres).
    """
    k = block_side(cell_m)
    return {"cells": concentration_figures(crime_map),
            "blocks": concentration_figures(block_counts(crime_map, k)),
            "block_cells": k, "block_m": k * float(cell_m)}
