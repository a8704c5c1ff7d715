"""A ratio of two means over paired replications, with Fieller's confidence interval.

Some comparison figures are ratios of two quantities measured in the same
replications: the weighted displacement quotient (buffer change over treated-area
change) and the cost per crime prevented (extra cost over crimes prevented). The
ratio of the means is the estimator (Cochran 1977, ch. 6): averaging per-replication
ratios fails when a replication's denominator is near zero. Fieller's (1954) interval
accounts for the denominator's uncertainty and the correlation between the two, and
says honestly when the denominator is not clearly away from zero: the interval is
then unbounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.quantiles import t95


@dataclass(frozen=True)
class RatioEstimate:
    """A ratio of means with Fieller's 95% interval (NaN bounds when unbounded)."""

    value: float
    low: float
    high: float
    n: int


def fieller_ratio(num: np.ndarray, den: np.ndarray) -> RatioEstimate:
    """``mean(num) / mean(den)`` over paired replications, with Fieller's 95% interval.

    The interval is the set of ratios q for which ``mean(num) - q mean(den)`` is not
    significantly different from zero: the roots of a quadratic. It is bounded only
    when the denominator's mean is itself significantly different from zero;
    otherwise the bounds are NaN.
    """
    num = np.asarray(num, float)
    den = np.asarray(den, float)
    ok = np.isfinite(num) & np.isfinite(den)
    num, den = num[ok], den[ok]
    n = int(num.size)
    if n == 0:
        return RatioEstimate(math.nan, math.nan, math.nan, 0)
    a, b = float(num.mean()), float(den.mean())
    value = a / b if b != 0 else math.nan
    if n < 2 or b == 0:
        return RatioEstimate(value, math.nan, math.nan, n)
    cov = np.cov(num, den, ddof=1) / n
    v11, v12, v22 = float(cov[0, 0]), float(cov[0, 1]), float(cov[1, 1])
    t2 = t95(n - 1) ** 2
    qa = b * b - t2 * v22
    qb = a * b - t2 * v12
    qc = a * a - t2 * v11
    disc = qb * qb - qa * qc
    if -1e-12 * qb * qb <= disc < 0:
        disc = 0.0  # rounding: exactly proportional samples give a zero-width interval
    if qa <= 0 or disc < 0:
        return RatioEstimate(value, math.nan, math.nan, n)
    root = math.sqrt(disc)
    return RatioEstimate(value, (qb - root) / qa, (qb + root) / qa, n)
