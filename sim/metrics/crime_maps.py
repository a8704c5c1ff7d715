"""An analyzer of where crime happens day by day: one crime map per day of the run.

It reads the city's running crime counts per cell (``model.city.crime_count``, kept
whether or not the event log is on) at midnight and keeps the day's difference, so it
costs nothing between midnights and needs no event log. It draws no random numbers
(:mod:`sim.metrics.analyzers`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.metrics.analyzers import Analyzer, register


def cell_counts(model: Any, by_type: bool) -> np.ndarray:
    """Crimes per cell since the start: ``(types, cells)`` by type, else ``(cells,)``."""
    counts = model.city.crime_count
    flat = counts.reshape(counts.shape[0], -1)
    return flat.copy() if by_type else flat.sum(axis=0)


@register
class DailyCrimeMap(Analyzer):
    """Crimes per cell on each day of the run: the series behind a crime-map animation.

    Args:
        by_type: Keep a map per crime type (``(days, types, height, width)``) rather
            than all types together (``(days, height, width)``); five times the memory.
        name: The analyzer's name in ``model.analyzers``.

    Attributes:
        first_day: The day the first map starts (the model's day at ``start``).
        partial_last: Whether the last map is of a day cut short by ``finish``.
    """

    name = "daily_crime_map"

    def __init__(self, by_type: bool = False, name: str | None = None) -> None:
        self.by_type = by_type
        if name is not None:
            self.name = name
        self._days: list[np.ndarray] = []
        self._shape: tuple[int, ...] = ()
        self.first_day = 0
        self.partial_last = False

    def start(self, model: Any) -> None:
        """Take the counts the first day's map is measured from."""
        n_types, height, width = model.city.crime_count.shape
        self._shape = (n_types, height, width) if self.by_type else (height, width)
        self._tpd = model.ticks_per_day
        self._since = cell_counts(model, self.by_type)
        self._since_tick = model.tick
        self.first_day = model.tick // self._tpd
        self._days = []
        self.partial_last = False

    def step(self, model: Any) -> None:
        """At the end of a day, keep its map."""
        if model.tick % self._tpd == 0:
            self._close(model)

    def finish(self, model: Any) -> None:
        """Keep the map of a day cut short, if the run did not end at midnight."""
        if model.tick > self._since_tick:
            self._close(model)
            self.partial_last = True

    def _close(self, model: Any) -> None:
        now = cell_counts(model, self.by_type)
        self._days.append((now - self._since).astype(np.int32))
        self._since, self._since_tick = now, model.tick

    @property
    def maps(self) -> np.ndarray:
        """The maps so far: ``(days, height, width)``, or with types after days."""
        if not self._days:
            return np.zeros((0, *self._shape), np.int32)
        return np.stack(self._days).reshape(len(self._days), *self._shape)


__all__ = ["DailyCrimeMap", "cell_counts"]
