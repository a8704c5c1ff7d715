"""Dose-response curves from a sweep run with common random numbers.

Every point of a dose sweep runs the same seeds, so replication i at every dose is
the same city with the same people and plans; only the dose differs. The curve is
therefore read *paired*: at each dose the per-seed difference from the lowest dose
(no treatment), whose variance is far smaller than that of either run (the design
of ``crimesim compare``; :func:`sim.analysis.stats.paired_change`). Two summaries
of a curve's shape come from the same pairing: the slope of the relative change per
unit of dose, and for police numbers the elasticity of crime with respect to them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.stats import mean_ci, paired_change


def wide(final: pd.DataFrame, parameter: str, metric: str) -> pd.DataFrame:
    """One row per seed, one column per dose: the metric's final value.

    Seeds missing a dose (a failed run) are dropped, so every column pairs with every
    other.
    """
    table = final.pivot_table(index="seed", columns=parameter, values=metric,
                              aggfunc="mean")
    return table.dropna(axis=0, how="any").sort_index(axis=1)


def paired_curve(final: pd.DataFrame, parameter: str, metric: str) -> pd.DataFrame:
    """Per dose: mean, and change from the lowest dose with its paired 95% CI.

    Returns:
        Columns ``dose``, ``n``, ``mean``, ``diff``, ``diff_low``, ``diff_high``,
        ``change_pct``, ``ci_low``, ``ci_high`` (percent of the lowest dose's mean).
    """
    w = wide(final, parameter, metric)
    ref = w.columns[0]
    rows = []
    for dose in w.columns:
        pc = paired_change(w[ref].to_numpy(), w[dose].to_numpy())
        rows.append({"dose": dose, "n": pc.n, "mean": pc.value, "diff": pc.diff,
                     "diff_low": pc.diff_low, "diff_high": pc.diff_high,
                     "change_pct": pc.change_pct, "ci_low": pc.ci_low, "ci_high": pc.ci_high})
    return pd.DataFrame(rows)


def relative_slope(final: pd.DataFrame, parameter: str, metric: str
                   ) -> tuple[float, float, float]:
    """Slope of the relative change per unit dose, with its 95% CI over seeds.

    For each seed, y(dose) = metric(dose) / metric(lowest dose) - 1 is fitted by least
    squares against the dose; the seeds' slopes are averaged with a t-interval. In
    percent per unit of dose.
    """
    w = wide(final, parameter, metric)
    doses = np.asarray(w.columns, dtype=float)
    ref = w.iloc[:, 0].to_numpy(dtype=float)
    ok = ref != 0
    if ok.sum() < 2 or doses.size < 2:
        return math.nan, math.nan, math.nan
    y = w.to_numpy(dtype=float)[ok] / ref[ok, None] - 1.0
    x = doses - doses.mean()
    slopes = (y * x).sum(axis=1) / (x * x).sum()
    return mean_ci(100.0 * slopes)


def elasticity(final: pd.DataFrame, parameter: str, metric: str, low: float, high: float
               ) -> tuple[float, float, float]:
    """Arc elasticity of the metric between doses ``low`` and ``high``, 95% CI over seeds.

    Per seed, (ln m(high) - ln m(low)) / (ln high - ln low): the percent change of the
    metric per percent change of the dose around the middle of the range.
    """
    w = wide(final, parameter, metric)
    if low not in w.columns or high not in w.columns:
        return math.nan, math.nan, math.nan
    a = w[low].to_numpy(dtype=float)
    b = w[high].to_numpy(dtype=float)
    ok = (a > 0) & (b > 0)
    if ok.sum() < 2:
        return math.nan, math.nan, math.nan
    e = (np.log(b[ok]) - np.log(a[ok])) / (math.log(high) - math.log(low))
    return mean_ci(e)


def monotone_decreasing(curve: pd.DataFrame) -> bool:
    """Whether the mean change falls with the dose, each step within its noise.

    A step may rise by no more than the half-width of the paired CI at the higher
    dose: noise, not a reversal.
    """
    change = curve["change_pct"].to_numpy(dtype=float)
    half = (curve["ci_high"] - curve["ci_low"]).to_numpy(dtype=float) / 2.0
    half = np.nan_to_num(half, nan=0.0)
    return bool(np.all(np.diff(change) <= half[1:]))
