"""Journey to crime: how far from home offenders offend, and how that decays.

Two views of the same distances. The *histogram* counts crimes by distance from the
offender's home, the figure most studies report (about half of burglaries within
~0.8 km in one UK study; most trips under ~2 km). The *rate per available cell*
divides each distance band's crimes by the cells that lie in that band around the
offenders' homes: rings grow with distance, so a flat histogram can still hide a
steep decay of the chance that any one place is chosen, and a distance-decay function
in the strict sense (Rengert et al. 1999) is this rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from experiments.validation.geometry import Grid

#: Distance bands in metres for the histograms (100 m wide up to 3 km).
BAND_EDGES = tuple(float(e) for e in range(0, 3001, 100))


@dataclass(frozen=True)
class JourneySummary:
    """The headline figures of a set of journeys.

    Attributes:
        n: Journeys.
        median_m: Median distance in metres.
        mean_m: Mean distance in metres.
        within_800: Share of journeys of at most 800 m.
        within_2000: Share of journeys of at most 2 km.
        max_m: Longest journey in metres.
    """

    n: int
    median_m: float
    mean_m: float
    within_800: float
    within_2000: float
    max_m: float


def band_counts(lengths: np.ndarray, edges: tuple[float, ...] | np.ndarray = BAND_EDGES
                ) -> np.ndarray:
    """Journeys in each band ``[edges[k], edges[k+1])``; beyond the last edge: not counted.

    Every band is left-closed and right-open, the last one too (``np.histogram`` would
    close the last band on the right and count a journey at the last edge).
    """
    e = np.asarray(edges, dtype=float)
    k = np.searchsorted(e, np.asarray(lengths, dtype=float), side="right") - 1
    k = k[(k >= 0) & (k < e.size - 1)]
    return np.bincount(k, minlength=e.size - 1).astype(float)


def journey_lengths(home_cells: np.ndarray, crime_cells: np.ndarray, grid: Grid) -> np.ndarray:
    """Distance in metres from each offender's home cell to the crime's cell.

    Events without a home (a negative home cell) are dropped.
    """
    home = np.asarray(home_cells, dtype=np.int64)
    cell = np.asarray(crime_cells, dtype=np.int64)
    keep = home >= 0
    return grid.distance_m(home[keep], cell[keep])


def summarise(lengths: np.ndarray) -> JourneySummary:
    """Median, mean, shares within 0.8 and 2 km, and the longest journey."""
    d = np.asarray(lengths, dtype=float)
    if d.size == 0:
        nan = float("nan")
        return JourneySummary(0, nan, nan, nan, nan, nan)
    return JourneySummary(n=int(d.size), median_m=float(np.median(d)), mean_m=float(d.mean()),
                          within_800=float((d <= 800.0).mean()),
                          within_2000=float((d <= 2000.0).mean()), max_m=float(d.max()))


def histogram(lengths: np.ndarray, edges: tuple[float, ...] | np.ndarray = BAND_EDGES
              ) -> np.ndarray:
    """Share of journeys in each band ``[edges[k], edges[k+1])`` (beyond the last: dropped).

    Shares are of all journeys, so they sum to less than 1 when some are longer.
    """
    d = np.asarray(lengths, dtype=float)
    return band_counts(d, edges) / max(d.size, 1)


def available_cells(home_cells: np.ndarray, grid: Grid,
                    edges: tuple[float, ...] | np.ndarray = BAND_EDGES) -> np.ndarray:
    """Cells of the city in each distance band, summed over the journeys' homes.

    A journey from home h could have ended in any cell; the cells at distance band k
    from h are its opportunities at that distance. Summed over journeys (each home
    counted once per journey from it), this is the denominator of the rate per cell.
    """
    home = np.asarray(home_cells, dtype=np.int64)
    home = home[home >= 0]
    e = np.asarray(edges, dtype=float)
    out = np.zeros(e.size - 1)
    if home.size == 0:
        return out
    uniq, mult = np.unique(home, return_counts=True)
    cells = np.arange(grid.n_cells)
    for h, m in zip(uniq, mult, strict=True):
        out += m * band_counts(grid.distance_m(np.full(cells.size, h), cells), e)
    return out


def rate_per_cell(lengths: np.ndarray, home_cells: np.ndarray, grid: Grid,
                  edges: tuple[float, ...] | np.ndarray = BAND_EDGES) -> np.ndarray:
    """Crimes per available cell in each distance band: the distance-decay function.

    ``crimes in band k / available cells in band k``, where the cells are counted
    around each journey's home (:func:`available_cells`); NaN for empty bands. The
    value is the probability that a given cell at that distance was the one chosen.
    """
    counts = band_counts(lengths, edges)
    avail = available_cells(home_cells, grid, edges)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(avail > 0, counts / avail, np.nan)
