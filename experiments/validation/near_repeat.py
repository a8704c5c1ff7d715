"""Near-repeat victimisation: a Knox table of crime pairs close in space and time.

Johnson et al. (2007) measured the near-repeat pattern of burglary with the Knox
test as the Near Repeat Calculator runs it: every pair of burglaries is counted in a
band of distance and a band of time between them; the expected count of each cell of
that table comes from permutations that shuffle the events' dates over their places,
which keeps where burglary happens and when it happens but breaks any link between
the two. A Knox ratio (observed / expected) above 1 in the near-and-soon cells, with
a small permutation p-value, is the near-repeat pattern: homes near a recent burglary
run a raised risk for a while.

Tables of several cities (seeds) add up: their observed counts and, permutation by
permutation, their permuted counts (each city's permutations are independent draws of
its null, so their sum is a draw of the pooled null).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Distance bands in metres, left-closed: same cell, then 100 m bands, then the rest.
DISTANCE_EDGES = (0.0, 1.0, 101.0, 201.0, 301.0, 401.0, 501.0, np.inf)
DISTANCE_LABELS = ("same cell", "1-100 m", "101-200 m", "201-300 m", "301-400 m",
                   "401-500 m", "> 500 m")
#: Time bands in days, left-closed: weeks for two months.
TIME_EDGES = (0.0, 7.0, 14.0, 21.0, 28.0, 35.0, 42.0, 49.0, 56.0)
TIME_LABELS = ("0-7 d", "7-14 d", "14-21 d", "21-28 d", "28-35 d", "35-42 d", "42-49 d",
               "49-56 d")


@dataclass(frozen=True)
class KnoxTable:
    """Pairs of events by distance band (rows) and time band (columns).

    Attributes:
        distance_edges: Band edges in metres (len rows + 1).
        time_edges: Band edges in days (len columns + 1).
        observed: Pair counts.
        permuted: Pair counts under each permutation, shape (permutations, rows, columns).
        n_events: Events behind the table.
    """

    distance_edges: np.ndarray
    time_edges: np.ndarray
    observed: np.ndarray
    permuted: np.ndarray
    n_events: int

    @property
    def expected(self) -> np.ndarray:
        """Mean pair count under the permutations (the null of no space-time link)."""
        return self.permuted.mean(axis=0)

    @property
    def ratio(self) -> np.ndarray:
        """Knox ratio: observed / expected (NaN where nothing is expected)."""
        exp = self.expected
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(exp > 0, self.observed / exp, np.nan)

    @property
    def p_value(self) -> np.ndarray:
        """One-sided permutation p-value of an excess: (1 + #{permuted >= observed}) / (P + 1)."""
        ge = (self.permuted >= self.observed[None]).sum(axis=0)
        return (1.0 + ge) / (self.permuted.shape[0] + 1.0)

    def null_ratio_band(self, q: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """The central ``q`` range of the ratio under the null (permuted / expected)."""
        exp = self.expected
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(exp > 0, self.permuted / exp, np.nan)
        a = (1.0 - q) / 2.0
        with warnings.catch_warnings():  # cells with no expected pairs stay NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanquantile(r, a, axis=0), np.nanquantile(r, 1.0 - a, axis=0)

    def block(self, d_lo: float, d_hi: float, t_lo: float, t_hi: float) -> dict[str, float]:
        """One Knox test of the pairs in the bands between the given distances and times.

        The bands lying wholly within ``[d_lo, d_hi]`` metres and ``[t_lo, t_hi]`` days
        are summed, observed and permuted alike, so the block gets one p-value (no
        multiple comparisons) and the power of all its pairs.

        Returns:
            ``observed``, ``expected``, ``ratio``, one-sided ``p`` (NaN ratio and p = 1
            when the block holds no band) and ``detectable``, the smallest ratio that
            would have reached p < 0.05 (the permutations' 95th percentile over the
            expected count): the test's power, stated as a ratio.
        """
        d_low, d_up = self.distance_edges[:-1], self.distance_edges[1:] - 1.0
        rows = (d_low >= d_lo) & (d_up <= d_hi)
        cols = (self.time_edges[:-1] >= t_lo) & (self.time_edges[1:] <= t_hi)
        obs = float(self.observed[np.ix_(rows, cols)].sum())
        perm = self.permuted[:, rows][:, :, cols].sum(axis=(1, 2))
        exp = float(perm.mean()) if perm.size else 0.0
        p = (1.0 + float((perm >= obs).sum())) / (perm.size + 1.0)
        q95 = float(np.quantile(perm, 0.95)) if perm.size else float("nan")
        return {"observed": obs, "expected": exp,
                "ratio": obs / exp if exp > 0 else float("nan"),
                "p": p if exp > 0 else 1.0,
                "detectable": q95 / exp if exp > 0 else float("nan")}

    def window(self, max_m: float, max_days: float) -> dict[str, float]:
        """:meth:`block` of every pair within ``max_m`` metres and ``max_days`` days.

        Johnson et al.'s near-repeat window is about 200 m and 14 days.
        """
        return self.block(0.0, max_m, 0.0, max_days)

    def __add__(self, other: KnoxTable) -> KnoxTable:
        """Pool two tables with the same bands and number of permutations."""
        if (not np.array_equal(self.distance_edges, other.distance_edges)
                or not np.array_equal(self.time_edges, other.time_edges)
                or self.permuted.shape != other.permuted.shape):
            raise ValueError("Knox tables differ in bands or permutations")
        return KnoxTable(self.distance_edges, self.time_edges, self.observed + other.observed,
                         self.permuted + other.permuted, self.n_events + other.n_events)


def _bin_pairs(dist: np.ndarray, dt: np.ndarray, d_edges: np.ndarray,
               t_edges: np.ndarray) -> np.ndarray:
    """Count pairs into (distance band, time band); pairs outside every band are dropped."""
    nd, nt = d_edges.size - 1, t_edges.size - 1
    di = np.searchsorted(d_edges, dist, side="right") - 1
    ti = np.searchsorted(t_edges, dt, side="right") - 1
    ok = (di >= 0) & (di < nd) & (ti >= 0) & (ti < nt)
    flat = np.bincount(di[ok] * nt + ti[ok], minlength=nd * nt)
    return flat.reshape(nd, nt)


def knox_table(x_m: np.ndarray, y_m: np.ndarray, t_days: np.ndarray,
               rng: np.random.Generator, permutations: int = 99,
               distance_edges: tuple[float, ...] | np.ndarray = DISTANCE_EDGES,
               time_edges: tuple[float, ...] | np.ndarray = TIME_EDGES,
               distance: np.ndarray | None = None) -> KnoxTable:
    """The Knox table of a set of events, with its permutation null.

    Args:
        x_m: Events' x coordinates in metres.
        y_m: Events' y coordinates in metres.
        t_days: Events' times in days.
        rng: Seeded generator for the permutations.
        permutations: Shuffles of the times over the places.
        distance_edges: Distance band edges in metres.
        time_edges: Time band edges in days.
        distance: Pairwise distances in the order of ``np.triu_indices(n, 1)`` when the
            plane is not flat (a torus); computed from ``x_m``, ``y_m`` otherwise.

    Returns:
        The table; pairs farther apart in time than the last time edge are not counted.
    """
    t = np.asarray(t_days, dtype=float)
    n = t.size
    d_edges = np.asarray(distance_edges, dtype=float)
    t_edges = np.asarray(time_edges, dtype=float)
    i, j = np.triu_indices(n, 1)
    if distance is None:
        x = np.asarray(x_m, dtype=float)
        y = np.asarray(y_m, dtype=float)
        distance = np.hypot(x[i] - x[j], y[i] - y[j])
    observed = _bin_pairs(distance, np.abs(t[i] - t[j]), d_edges, t_edges)
    permuted = np.empty((permutations, *observed.shape), dtype=np.int64)
    for k in range(permutations):
        tp = t[rng.permutation(n)]
        permuted[k] = _bin_pairs(distance, np.abs(tp[i] - tp[j]), d_edges, t_edges)
    return KnoxTable(d_edges, t_edges, observed, permuted, n)
