"""Student t quantiles for the 95% intervals every comparison figure reports.

A separate module so that :mod:`sim.analysis.stats` and :mod:`sim.analysis.ratio`
can both use it without importing each other. The quantiles come from
``scipy.stats.t`` for every degree of freedom: a hand table that falls back to the
normal 1.96 makes intervals too narrow for the small replication counts comparisons
use (with 10 replications the right value is 2.262, 15% wider).
"""

from __future__ import annotations

import math
from functools import lru_cache

from scipy.stats import t as _student_t


@lru_cache(maxsize=256)
def t95(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (NaN below 1)."""
    if df < 1:
        return math.nan
    return float(_student_t.ppf(0.975, df))
