"""How many paired replications would detect an effect of the size observed.

A comparison whose 95% CI spans zero has not shown that a policy does nothing: it
may have run too few replications to see an effect of that size. The normal-theory
sample size for a paired mean at two-sided level ``alpha`` and power ``1 - beta``,

    n = ((z_{1 - alpha/2} + z_{1 - beta}) * sd / |mean diff|) ** 2, rounded up,

turns the observed paired differences into that number (about 8 * (sd / mean)^2 at
5% level and 80% power). The paired t test that judges the comparison has heavier
tails than the normal at few replications, so the answer is the smallest n, from the
normal n up, that meets the same formula with Student's t quantiles at n - 1 degrees
of freedom (without this, a large effect would be "detected with 2 replications"
that 2 replications did not detect). ``sd`` and ``mean diff`` are themselves estimates
from few replications, so the figure is a guide to the order of magnitude, not a
guarantee; the verdicts say "about".
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from sim.analysis.quantiles import t95


def t_quantile(q: float, df: int) -> float:
    """Student's t quantile ``q`` at ``df`` degrees of freedom."""
    from scipy import stats

    return float(stats.t.ppf(q, df))


#: Beyond this many replications the observed effect is treated as "about zero":
#: the number says only that no practical comparison would resolve it.
MAX_REPLICATIONS = 1000


def replications_for(mean_diff: float, sd: float, *, alpha: float = 0.05,
                     power: float = 0.8) -> int | None:
    """Replications that detect a paired mean of ``mean_diff`` with spread ``sd``.

    Returns:
        The smallest n meeting the t formula (at least 2, the fewest a CI
        needs), or None when the
        effect is about zero: ``mean_diff`` is 0 or not finite, or n would exceed
        :data:`MAX_REPLICATIONS`.
    """
    if not (math.isfinite(mean_diff) and math.isfinite(sd)) or mean_diff == 0:
        return None
    ratio = sd / abs(mean_diff)
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    n = max(2, math.ceil((z * ratio) ** 2 - 1e-9))
    if n > MAX_REPLICATIONS:
        return None
    while ((t_quantile(1 - alpha / 2, n - 1) + t_quantile(power, n - 1)) * ratio) ** 2 > n:
        n += 1  # t quantiles shrink as n grows, so this ends
        if n > MAX_REPLICATIONS:
            return None
    return None if n > MAX_REPLICATIONS else n


def replications_needed(diffs: np.ndarray, *, alpha: float = 0.05,
                        power: float = 0.8) -> int | None:
    """Replications that detect the observed mean of paired differences ``diffs``.

    Args:
        diffs: One difference (alternative - base) per replication, at least 2.
        alpha: Two-sided significance level.
        power: Chance of detecting an effect of the observed size.

    Returns:
        See :func:`replications_for`.
    """
    d = np.asarray(diffs, float)
    if d.size < 2:
        raise ValueError("need at least 2 paired differences for their spread")
    return replications_for(float(d.mean()), float(d.std(ddof=1)), alpha=alpha, power=power)


def paired_sd_from_ci(low: float, high: float, n: int) -> float:
    """The paired differences' standard deviation behind a 95% t interval.

    The tidy rows keep the mean difference and its CI, not the replications; the
    interval's half-width is ``t95(n - 1) * sd / sqrt(n)``, so it gives ``sd`` back.
    """
    if n < 2 or not (math.isfinite(low) and math.isfinite(high)):
        return math.nan
    return (high - low) / 2 / t95(n - 1) * math.sqrt(n)
