"""Per-tick metrics in a preallocated table, and the tidy frame made from it.

The model writes one row per tick into a float array stored in fixed-size blocks, so
recording costs a few array stores rather than Python objects; ``to_frame()`` turns
it into a pandas DataFrame with a ``tick`` column and one column per metric. The
columns, their dtypes and which of them :meth:`MetricsRecorder.totals` sums are the
declarations of :mod:`sim.metrics.catalog`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics.catalog import CRIME_METRICS, Metric, integer_names, names

#: The crime model's columns, in order (declared in :mod:`sim.metrics.catalog`).
METRICS: tuple[str, ...] = names(CRIME_METRICS)
COLUMN = {name: i for i, name in enumerate(METRICS)}
#: The crime model's columns stored as integers in the frame (dtype ``int64``).
INTEGER_METRICS = integer_names(CRIME_METRICS)


#: Largest block of rows (8192 rows of the crime model's metrics: about 2.4 MB).
BLOCK_ROWS = 8192


class MetricsRecorder:
    """A growing table of per-tick metrics, stored in fixed-size blocks.

    Use :meth:`row` to get the current tick's row (a float array to fill in place),
    then :meth:`commit`. ``len(recorder)`` is the number of committed ticks.

    Blocks rather than one doubling array: a long run's table grows by one block at a
    time and is never copied while it grows, so memory rises only by the history kept
    (about 2 MB per simulated year of the crime model), with no doubling spikes.

    Args:
        expected_ticks: Rows of the first block (later blocks are as large, at most
            :data:`BLOCK_ROWS`).
        metrics: The declared columns, in order (:mod:`sim.metrics.catalog`); the crime
            model's by default. Another model family (the civil-violence model) passes
            its own, so every model records and exports its metrics the same way. Each
            declaration's dtype is its column's dtype in the frame, and its kind says
            which columns :meth:`totals` sums (the flows).

    Attributes:
        declared: The columns' declarations, in order.
        metrics: The columns' names, in order.
    """

    def __init__(self, expected_ticks: int = 1024,
                 metrics: tuple[Metric, ...] = CRIME_METRICS):
        self.declared = tuple(metrics)
        self.metrics = names(self.declared)
        self._column = {name: i for i, name in enumerate(self.metrics)}
        self._integer = integer_names(self.declared)
        self._flows = names(self.declared, "flow")
        self._block_rows = min(max(expected_ticks, 16), BLOCK_ROWS)
        self._blocks: list[np.ndarray] = [self._new_block()]
        self._tick_blocks: list[np.ndarray] = [np.zeros(self._block_rows, np.int64)]
        self._n = 0  # committed rows in all blocks
        self._k = 0  # committed rows in the last block

    def _new_block(self) -> np.ndarray:
        return np.zeros((self._block_rows, len(self.metrics)))

    def __len__(self) -> int:
        return self._n

    def row(self) -> np.ndarray:
        """The next row to fill (zeroed), adding a block if the last one is full."""
        if self._k == self._block_rows:
            self._blocks.append(self._new_block())
            self._tick_blocks.append(np.zeros(self._block_rows, np.int64))
            self._k = 0
        r = self._blocks[-1][self._k]
        r[:] = 0.0
        return r

    def commit(self, tick: int) -> None:
        """Store the row filled since :meth:`row` as tick ``tick``."""
        self._tick_blocks[-1][self._k] = tick
        self._k += 1
        self._n += 1

    def _stacked(self, blocks: list[np.ndarray]) -> np.ndarray:
        """The committed rows of ``blocks`` as one array (a copy once there are several)."""
        if len(blocks) == 1:
            return blocks[0][: self._k]
        return np.concatenate([*blocks[:-1], blocks[-1][: self._k]])

    def column(self, name: str) -> np.ndarray:
        """One metric over all committed ticks (a view while one block holds them)."""
        i = self._column[name]
        if len(self._blocks) == 1:
            return self._blocks[0][: self._k, i]
        return np.concatenate([*(b[:, i] for b in self._blocks[:-1]),
                               self._blocks[-1][: self._k, i]])

    def last(self, name: str) -> float:
        """The latest value of a metric (NaN before the first tick)."""
        return float(self.last_row()[self._column[name]]) if self._n else float("nan")

    def last_row(self) -> np.ndarray:
        """The latest committed row, every metric (a view; empty before the first tick)."""
        if not self._n:
            return self._blocks[0][:0].ravel()
        if self._k == 0:  # a new block was added but not yet committed to
            return self._blocks[-2][-1]
        return self._blocks[-1][self._k - 1]

    def to_frame(self) -> pd.DataFrame:
        """One row per recorded tick: ``tick`` then every metric in column order."""
        data_all = self._stacked(self._blocks)
        data = {"tick": self._stacked(self._tick_blocks).copy()}
        for i, name in enumerate(self.metrics):
            col = data_all[:, i]
            data[name] = col.astype(np.int64) if name in self._integer else col.copy()
        return pd.DataFrame(data)

    def tail(self, rows: int) -> pd.DataFrame:
        """The last ``rows`` ticks as a frame, copying only the blocks that hold them."""
        need = min(rows, self._n)
        blocks, ticks, have = [], [], 0
        for i in range(len(self._blocks) - 1, -1, -1):
            k = self._k if i == len(self._blocks) - 1 else self._block_rows
            blocks.insert(0, self._blocks[i][:k])
            ticks.insert(0, self._tick_blocks[i][:k])
            have += k
            if have >= need:
                break
        data_all = np.concatenate(blocks)[have - need:] if blocks else self._blocks[0][:0]
        out = {"tick": np.concatenate(ticks)[have - need:]}
        for j, name in enumerate(self.metrics):
            col = data_all[:, j]
            out[name] = col.astype(np.int64) if name in self._integer else col.copy()
        return pd.DataFrame(out)

    def nbytes(self) -> int:
        """Memory held by the table."""
        return sum(b.nbytes for b in self._blocks) + sum(t.nbytes for t in self._tick_blocks)

    def totals(self) -> dict[str, int]:
        """Sums of the flows over the run (crimes, arrests, victimisations...), in order."""
        return {name: int(self.column(name).sum()) for name in self._flows}
