"""Paired statistics for comparisons run with common random numbers.

Replication i of every scenario uses seed ``base_seed + i``, so the city, the
population and everyone's daily plans are the same draws (docs/ODD.md). The right
analysis is then paired: the per-replication difference ``d_i = alt_i - base_i`` has a
far smaller variance than either run, and its mean carries the effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.quantiles import t95

__all__ = ["PairedChange", "mean_ci", "paired_change", "t95"]


@dataclass(frozen=True)
class PairedChange:
    """Mean of a metric under base and alternative, and the change with its 95% CI.

    Attributes:
        baseline: Mean over replications of the base scenario.
        value: Mean over replications of the alternative.
        diff, diff_low, diff_high: Mean paired difference and its 95% CI.
        change_pct, ci_low, ci_high: The difference relative to the baseline mean, in
            percent, with its 95% CI (NaN when the baseline mean is 0).
        n: Replications.
    """

    baseline: float
    value: float
    diff: float
    diff_low: float
    diff_high: float
    change_pct: float
    ci_low: float
    ci_high: float
    n: int


def paired_change(base: np.ndarray, alt: np.ndarray) -> PairedChange:
    """Paired change of ``alt`` against ``base`` (one value per replication each).

    The relative change is ``mean(d) / mean(base)``; its interval treats the baseline
    mean as known, which is accurate when the baseline is estimated far more precisely
    than the difference (true for counts summed over a city and a year) and is the
    usual report for paired simulation comparisons (Law 2015, ch. 10).
    """
    base = np.asarray(base, float)
    alt = np.asarray(alt, float)
    if base.shape != alt.shape or base.ndim != 1 or base.size == 0:
        raise ValueError("base and alt need one value per replication, same length")
    n = base.size
    d = alt - base
    mean_d = float(d.mean())
    half = t95(n - 1) * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    b = float(base.mean())
    if b != 0:
        pct, lo, hi = (100.0 * mean_d / b, 100.0 * (mean_d - half) / b,
                       100.0 * (mean_d + half) / b)
        if b < 0:
            lo, hi = hi, lo
    else:
        pct = lo = hi = math.nan
    return PairedChange(b, float(alt.mean()), mean_d, mean_d - half, mean_d + half,
                        pct, lo, hi, n)


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t interval of independent replications."""
    v = np.asarray(values, float)
    m = float(v.mean())
    if v.size < 2:
        return m, math.nan, math.nan
    half = t95(v.size - 1) * float(v.std(ddof=1)) / math.sqrt(v.size)
    return m, m - half, m + half
