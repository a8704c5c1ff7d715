"""Verdicts of an out-of-sample prediction against the evidence's range.

A prediction is a paired relative change with a 95% confidence interval, measured on
seeds the model was never tuned on. The verdict compares the whole interval with the
published range, both in percent change, fixed before the runs:

- **matches**: the interval lies inside the range (ends included);
- **partly**: the interval overlaps the range but reaches outside it;
- **does not**: the interval and the range have no value in common.

An interval with a missing end (Fieller's interval is unbounded when the baseline
mean is not clearly away from zero; :mod:`sim.analysis.stats`) reaches without bound
on that side: it can overlap the range, but never lie inside it. The same three words
are used for the stylised facts (experiments/validation/facts_verdicts.py).
"""

from __future__ import annotations

import math

MATCHES = "matches"
PARTLY = "partly"
DOES_NOT = "does not"


def verdict(ci_low: float, ci_high: float, low: float, high: float) -> str:
    """Compare a 95% interval ``[ci_low, ci_high]`` with the range ``[low, high]``.

    Args:
        ci_low: Lower end of the prediction's interval; NaN or -inf if unbounded.
        ci_high: Upper end; NaN or +inf if unbounded.
        low: Lower end of the evidence range.
        high: Upper end of the evidence range.

    Returns:
        ``"matches"``, ``"partly"`` or ``"does not"``.

    Raises:
        ValueError: A range whose ends are missing or reversed.
    """
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ValueError(f"bad evidence range [{low}, {high}]")
    lo = -math.inf if math.isnan(ci_low) else ci_low
    hi = math.inf if math.isnan(ci_high) else ci_high
    if lo > hi:
        lo, hi = hi, lo
    if low <= lo and hi <= high:
        return MATCHES
    if hi < low or lo > high:
        return DOES_NOT
    return PARTLY
