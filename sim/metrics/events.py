"""The crime event log: one row per crime, for maps and stylised-fact analyses.

Near-repeat and journey-to-crime analyses need individual crimes (when, where, who
from where), not per-tick totals. Rows are appended in blocks to a growing array.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import CRIME_TYPES, EVENT_FIELDS, N_EVENT_FIELDS, RELATIONSHIPS, SETTINGS


class EventLog:
    """A growing int64 table with the columns of ``sim.config.EVENT_FIELDS``."""

    def __init__(self, enabled: bool = True, capacity: int = 4096):
        self.enabled = enabled
        self._data = np.zeros((capacity if enabled else 0, N_EVENT_FIELDS), np.int64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, rows: np.ndarray) -> None:
        """Append event rows (copied)."""
        if not self.enabled or rows.shape[0] == 0:
            return
        need = self._n + rows.shape[0]
        if need > self._data.shape[0]:
            grown = np.zeros((max(need, 2 * self._data.shape[0]), N_EVENT_FIELDS), np.int64)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n: need] = rows
        self._n = need

    @property
    def array(self) -> np.ndarray:
        """The rows so far (a view)."""
        return self._data[: self._n]

    def to_frame(self) -> pd.DataFrame:
        """The log as a DataFrame: codes as named categoricals, the rest as integers.

        ``crime_type``, ``setting`` and ``relationship`` become categoricals with their
        names (``sim.config.CRIME_TYPES``, ``SETTINGS``, ``RELATIONSHIPS``), so a reader
        of events.parquet needs no code table; ``victim_home`` and ``distance_m`` stay
        int64, -1 meaning none.
        """
        df = pd.DataFrame(self.array.copy(), columns=list(EVENT_FIELDS))
        for col, names in (("crime_type", CRIME_TYPES), ("setting", SETTINGS),
                           ("relationship", RELATIONSHIPS)):
            df[col] = pd.Categorical.from_codes(df[col], list(names))
        return df
