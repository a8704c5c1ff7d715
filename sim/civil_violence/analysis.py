"""Outbursts in a series of active citizens: Epstein's punctuated equilibrium, measured.

Epstein (2002) shows long calm spells broken by outbursts of rebellion and plots the
distribution of waiting times between them. Here an outburst is a maximal run of
ticks with more active citizens than a threshold, and a waiting time is the time from
the start of one outburst to the start of the next. The threshold is a share of the
citizens (5% by default: about 56 actives on Epstein's 40 x 40 lattice), so the same
definition serves any grid size; the report states the one it used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Default threshold of an outburst, as a share of all citizens.
OUTBURST_SHARE = 0.05


@dataclass(frozen=True)
class Outbursts:
    """The outbursts of one series.

    Attributes:
        threshold: Actives above which a tick is part of an outburst.
        start: First tick of each outburst.
        end: Tick after the last tick of each outburst.
        peak: Largest number of actives in each outburst.
    """

    threshold: float
    start: np.ndarray
    end: np.ndarray
    peak: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    @property
    def duration(self) -> np.ndarray:
        """Ticks each outburst lasted."""
        return self.end - self.start

    @property
    def waiting(self) -> np.ndarray:
        """Ticks from the start of each outburst to the start of the next."""
        return np.diff(self.start)

    def summary(self) -> dict[str, float | int | None]:
        """Count, mean waiting time, mean duration and largest peak (None if undefined)."""
        wait, dur = self.waiting, self.duration
        return {"threshold": float(self.threshold), "outbursts": len(self),
                "mean_waiting_ticks": float(wait.mean()) if wait.size else None,
                "sd_waiting_ticks": float(wait.std(ddof=1)) if wait.size > 1 else None,
                "mean_duration_ticks": float(dur.mean()) if dur.size else None,
                "largest_peak": int(self.peak.max()) if self.peak.size else 0}


def find_outbursts(active: np.ndarray, threshold: float) -> Outbursts:
    """Runs of ticks with ``active > threshold`` (a run still going at the end counts)."""
    above = np.asarray(active) > threshold
    edges = np.diff(np.concatenate([[False], above, [False]]).astype(np.int8))
    start = np.nonzero(edges == 1)[0]
    end = np.nonzero(edges == -1)[0]
    peak = np.array([np.max(active[s:e]) for s, e in zip(start, end, strict=True)], np.int64)
    return Outbursts(threshold, start.astype(np.int64), end.astype(np.int64), peak)


def outbursts_of(active: np.ndarray, citizens: int, share: float = OUTBURST_SHARE) -> Outbursts:
    """Outbursts above ``share`` of ``citizens`` active."""
    return find_outbursts(active, share * citizens)
