"""Per-tick metrics in a preallocated table, and the tidy frame made from it.

The model writes one row per tick into a float array that grows by doubling, so
recording costs a few array stores rather than Python objects; ``to_frame()`` turns
it into a pandas DataFrame with a ``tick`` column and one column per metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import CRIME_TYPES, GROUPS

#: Columns recorded every tick, in order. Counts are per tick unless said otherwise;
#: legitimacy is measured once a day (at midnight) and carried through the day.
METRICS: tuple[str, ...] = (
    "day",
    "hour",
    *(f"crimes_{t}" for t in CRIME_TYPES),
    "crimes_total",
    "reported_crimes",
    "arrests",
    "bribes",
    *(f"victimisations_{g}" for g in GROUPS),
    "offenders_free",
    "offenders_active",
    "offenders_jailed",
    "gang_members",
    "recruits",
    "desistances",
    "releases",
    "enrolled",
    "residents_in_public",
    *(f"legitimacy_{g}" for g in GROUPS),
    "mean_attractiveness",
    "mean_b",
)
COLUMN = {name: i for i, name in enumerate(METRICS)}
#: Columns stored as integers in the frame.
INTEGER_METRICS = frozenset(
    m for m in METRICS if not (m.startswith("legitimacy_") or m.startswith("mean_"))
)


class MetricsRecorder:
    """A growing table of per-tick metrics.

    Use :meth:`row` to get the current tick's row (a float array to fill in place),
    then :meth:`commit`. ``len(recorder)`` is the number of committed ticks.

    Args:
        expected_ticks: Rows to preallocate (the table doubles when full).
        metrics: Column names, in order; the crime model's :data:`METRICS` by default.
            Another model family (the civil-violence model) passes its own, so every
            model records and exports its metrics the same way.
        integer_metrics: Columns stored as integers in the frame (default: the crime
            model's :data:`INTEGER_METRICS`, or none for other columns).
    """

    def __init__(self, expected_ticks: int = 1024, metrics: tuple[str, ...] = METRICS,
                 integer_metrics: frozenset[str] | None = None):
        self.metrics = tuple(metrics)
        self._column = {name: i for i, name in enumerate(self.metrics)}
        self._integer = INTEGER_METRICS if integer_metrics is None else integer_metrics
        self._data = np.zeros((max(expected_ticks, 16), len(self.metrics)))
        self._ticks = np.zeros(self._data.shape[0], np.int64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def row(self) -> np.ndarray:
        """The next row to fill (zeroed), growing the table if needed."""
        if self._n == self._data.shape[0]:
            self._data = np.concatenate([self._data, np.zeros_like(self._data)])
            self._ticks = np.concatenate([self._ticks, np.zeros_like(self._ticks)])
        r = self._data[self._n]
        r[:] = 0.0
        return r

    def commit(self, tick: int) -> None:
        """Store the row filled since :meth:`row` as tick ``tick``."""
        self._ticks[self._n] = tick
        self._n += 1

    def column(self, name: str) -> np.ndarray:
        """One metric over all committed ticks (a view)."""
        return self._data[: self._n, self._column[name]]

    def last(self, name: str) -> float:
        """The latest value of a metric (NaN before the first tick)."""
        return float(self._data[self._n - 1, self._column[name]]) if self._n else float("nan")

    def last_row(self) -> np.ndarray:
        """The latest committed row, every metric (a view; empty before the first tick)."""
        return self._data[self._n - 1] if self._n else self._data[:0, :].ravel()

    def to_frame(self) -> pd.DataFrame:
        """One row per recorded tick: ``tick`` then every metric in column order."""
        data = {"tick": self._ticks[: self._n].copy()}
        for i, name in enumerate(self.metrics):
            col = self._data[: self._n, i]
            data[name] = col.astype(np.int64) if name in self._integer else col.copy()
        return pd.DataFrame(data)

    def totals(self) -> dict[str, float]:
        """Sums of the count metrics over the run (crimes, arrests, victimisations...)."""
        out = {}
        for name in self.metrics:
            if name.startswith(("crimes_", "victimisations_")) or name in (
                "reported_crimes", "arrests", "bribes", "recruits", "desistances", "releases",
            ):
                out[name] = int(self.column(name).sum())
        return out
