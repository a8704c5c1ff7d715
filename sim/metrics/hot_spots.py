"""An analyzer of hot spots over time: which cells are hot each period, and which stay hot.

Like the daily crime map it reads the city's running crime counts per cell at period
boundaries (:func:`sim.metrics.crime_maps.cell_counts`), so it needs no event log and
draws no random numbers (:mod:`sim.metrics.analyzers`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.metrics.analyzers import Analyzer, register
from sim.metrics.crime_maps import cell_counts


def top_cells(counts: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` cells with most crime (at least one), ties to the lower index; sorted.

    A cell without crime is never a hot spot, so a quiet period has fewer than ``k``.
    """
    order = np.argsort(-np.asarray(counts), kind="stable")[:k]
    return np.sort(order[counts[order] > 0])


@register
class HotSpotPersistence(Analyzer):
    """Which cells are hot spots in each period, and how many stay hot in the next.

    Hot spots of a period are the ``top_share`` of cells with most crime in it (at
    least one crime; ties to the lower cell index). Persistence of a period is the
    share of the previous period's hot spots that are hot again -- near 1 where crime
    keeps to the same places (Weisburd's stable hot spots), near ``top_share`` where
    hot spots move about at random. Only complete periods count: a period cut short
    by the end of the run would have too few crimes to compare.

    Args:
        period_days: Days per period (a week by default).
        top_share: Share of the city's cells that are hot spots, e.g. 0.05.
        name: The analyzer's name in ``model.analyzers``.

    Attributes:
        hot_spots: Each complete period's hot spots (sorted flat cell indices).
    """

    name = "hot_spot_persistence"

    def __init__(self, period_days: int = 7, top_share: float = 0.05,
                 name: str | None = None) -> None:
        if period_days < 1:
            raise ValueError(f"period_days must be at least 1, not {period_days}")
        if not 0.0 < top_share <= 1.0:
            raise ValueError(f"top_share must be in (0, 1], not {top_share}")
        self.period_days = int(period_days)
        self.top_share = float(top_share)
        if name is not None:
            self.name = name
        self.hot_spots: list[np.ndarray] = []

    def start(self, model: Any) -> None:
        """Take the counts the first period is measured from."""
        self._period_ticks = self.period_days * model.ticks_per_day
        self._start_tick = model.tick
        self._since = cell_counts(model, by_type=False)
        self._k = max(1, round(self.top_share * self._since.size))
        self.hot_spots = []

    def step(self, model: Any) -> None:
        """At the end of a period, keep its hot spots."""
        if (model.tick - self._start_tick) % self._period_ticks == 0:
            now = cell_counts(model, by_type=False)
            self.hot_spots.append(top_cells(now - self._since, self._k))
            self._since = now

    @property
    def persistence(self) -> np.ndarray:
        """Per period after the first: the share of the previous hot spots still hot.

        NaN for a period after one without hot spots (no crime).
        """
        out = np.full(max(len(self.hot_spots) - 1, 0), np.nan)
        for p in range(1, len(self.hot_spots)):
            before = self.hot_spots[p - 1]
            if before.size:
                out[p - 1] = np.isin(before, self.hot_spots[p]).sum() / before.size
        return out

    @property
    def mean_persistence(self) -> float:
        """Persistence averaged over the periods that have one (NaN if none)."""
        values = self.persistence
        values = values[np.isfinite(values)]
        return float(values.mean()) if values.size else float("nan")


__all__ = ["HotSpotPersistence", "top_cells"]
