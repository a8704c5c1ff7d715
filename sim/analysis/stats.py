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
from sim.analysis.ratio import fieller_ratio

__all__ = ["PairedChange", "mean_ci", "paired_change", "t95"]


@dataclass(frozen=True)
class PairedChange:
    """Mean of a metric under base and alternative, and the change with its 95% CI.

    Attributes:
        baseline: Mean over replications of the base scenario.
        value: Mean over replications of the alternative.
        diff, diff_low, diff_high: Mean paired difference and its 95% CI.
        change_pct, ci_low, ci_high: The difference relative to the baseline mean, in
            percent, with its 95% CI: Fieller's interval for mean(alt) / mean(base),
            minus 1, times 100, so it never goes below -100%. NaN when the baseline
            mean is 0; NaN bounds when the interval is unbounded (see ``note``).
        n: Replications.
        note: Why the percentage CI is missing, or "".
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
    note: str = ""


def paired_change(base: np.ndarray, alt: np.ndarray) -> PairedChange:
    """Paired change of ``alt`` against ``base`` (one value per replication each).

    The difference gets the paired t interval. The relative change is
    ``mean(alt) / mean(base) - 1``; its interval is Fieller's (1954) for the ratio of
    the two paired means (:func:`sim.analysis.ratio.fieller_ratio`), minus 1. Unlike
    ``diff_low / mean(base)``, which treats the baseline mean as known, it accounts
    for the baseline's own noise and its correlation with the alternative (common
    random numbers), and for non-negative metrics (counts, rates, costs) it cannot
    fall below -100%: a policy cannot prevent more crimes than there are. Fieller's
    set can reach below a ratio of 0 when the alternative's mean is not clearly above
    0; for non-negative data it is intersected with ratios >= 0, which keeps its
    coverage (the true ratio is always in that range). When the baseline mean is
    not significantly different from zero the ratio interval is unbounded; the
    bounds are then NaN and ``note`` says so, rather than printing a misleading
    finite range.
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
    note = ""
    if b != 0:
        pct = 100.0 * mean_d / b
        ratio = fieller_ratio(alt, base)
        lo, hi = 100.0 * (ratio.low - 1.0), 100.0 * (ratio.high - 1.0)
        if math.isfinite(lo) and lo < -100.0 and (base >= 0).all() and (alt >= 0).all():
            lo = -100.0  # a ratio of non-negative means is >= 0: clip the set to it
        if n > 1 and not (math.isfinite(lo) and math.isfinite(hi)):
            note = "% CI unbounded (baseline mean not clearly different from 0)"
    else:
        pct = lo = hi = math.nan
    return PairedChange(b, float(alt.mean()), mean_d, mean_d - half, mean_d + half,
                        pct, lo, hi, n, note)


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t interval of independent replications."""
    v = np.asarray(values, float)
    m = float(v.mean())
    if v.size < 2:
        return m, math.nan, math.nan
    half = t95(v.size - 1) * float(v.std(ddof=1)) / math.sqrt(v.size)
    return m, m - half, m + half
