"""Verdicts of the stylised facts against evidence ranges, with CIs across cities.

Each target of issue 13 is a published range (concentration on 100 m blocks, journey
length, near repeats, where and to whom sexual violence happens). A figure measured on
one city is a draw; the verdict compares the 95% confidence interval of its mean over
the seeded cities with the range, fixed before the numbers are read:

- **matches**: the whole interval lies inside the range;
- **does not**: the whole interval lies outside it;
- **partly**: the interval straddles an end of the range.

With a single city (the quick mode) there is no interval and the point is judged.

Some targets are *calibrated*: a scenario key was set so the model gives the published
figure (the awareness keys for journey length and near repeats, the relationship keys
for the sexual-violence shares). Meeting such a target is a check that the calibration
holds, not a prediction, and each verdict says which it is. :data:`TARGETS` is the
table of targets, their ranges, sources and that flag; the lead engineer sets the flag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t


@dataclass(frozen=True)
class Target:
    """One published target.

    Attributes:
        claim: What the report calls it.
        low: Lowest value in range (``-inf`` for "below").
        high: Highest value in range (``inf`` for "at least").
        source: Author/year of the published figure.
        calibrated: Whether a scenario key was set to give it (then the verdict is a
            check of that calibration, not a prediction).
    """

    claim: str
    low: float
    high: float
    source: str
    calibrated: bool

    @property
    def kind(self) -> str:
        """``"check (calibrated)"`` or ``"prediction"``, for the verdict's reason."""
        return "check (calibrated)" if self.calibrated else "prediction"


#: The targets of issue 13 (ranges as shares or metres). ``calibrated`` says which were
#: fitted by a scenario key; everything else is a prediction of the model.
TARGETS: dict[str, Target] = {
    "blocks_50": Target("50% of crime in 2–6% of 100 m blocks", 0.02, 0.06,
                        "Weisburd 2015", calibrated=False),
    "blocks_25": Target("25% of crime in 0.4–1.6% of 100 m blocks", 0.004, 0.016,
                        "Weisburd 2015", calibrated=False),
    "burglary_median_m": Target("burglary journey median 0.4–1.6 km", 400.0, 1600.0,
                                "UK burglary journeys (evidence.md)", calibrated=True),
    "within_3km": Target("at least 80% of all crimes within 3 km of home", 0.8,
                         math.inf, "journey-to-crime studies (evidence.md)",
                         calibrated=True),
    "near_repeat_cities": Target("near repeat (200 m, 14 days) significant in at least "
                                 "5 of 6 cities", 5 / 6, math.inf, "Johnson et al. 2007",
                                 calibrated=True),
    "near_repeat_ratio": Target("pooled near-repeat Knox ratio at least 1.5", 1.5,
                                math.inf, "Johnson et al. 2007", calibrated=True),
    "youth_shorter_m": Target("juvenile offenders travel less far than adults (median street "
                              "journey, youth minus adult, below 0)", -math.inf, 0.0,
                              "Snook 2004", calibrated=False),
    "violence_shorter_m": Target("violence away from home travels less far than burglary "
                                 "(median journey, assault and sexual violence minus "
                                 "burglary, below 0)",
                                 -math.inf, 0.0, "journey-to-crime studies (Rossmo 2000)",
                                 calibrated=False),
    "sv_partner": Target("sexual violence by a partner or ex-partner 35–55%", 0.35, 0.55,
                         "ONS CSEW 2017, 2020 (44%)", calibrated=True),
    "sv_own_home": Target("sexual violence in the victim's own home 25–50%", 0.25, 0.50,
                          "ONS CSEW 2017, 2020 (37%)", calibrated=True),
    "sv_open_public": Target("sexual violence in open public space below 20%",
                             -math.inf, 0.20, "ONS CSEW 2017, 2020 (9%)",
                             calibrated=True),
}


def mean_ci(values: list[float] | np.ndarray, level: float = 0.95
            ) -> tuple[float, float, float]:
    """Mean of the finite values and its t-interval across cities.

    Returns:
        ``(mean, low, high)``; the bounds are NaN with fewer than two values (and all
        three NaN with none).
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return (float("nan"),) * 3
    m = float(v.mean())
    if v.size < 2:
        return m, float("nan"), float("nan")
    half = float(student_t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1)
                 / math.sqrt(v.size))
    return m, m - half, m + half


def range_verdict(mean: float, low: float, high: float, target: Target) -> str:
    """Verdict (matches, partly, does not) of the interval ``[low, high]`` against the target.

    Without an interval (NaN bounds) the mean is judged alone: in range matches,
    out of range does not. A NaN mean (nothing measured) does not match.
    """
    if not np.isfinite(mean):
        return "does not"
    if not (np.isfinite(low) and np.isfinite(high)):
        low = high = mean
    if target.low <= low and high <= target.high:
        return "matches"
    if high < target.low or low > target.high:
        return "does not"
    return "partly"


def judge(key: str, values: list[float] | np.ndarray, show: str = "pct"
          ) -> tuple[str, str, str]:
    """The claim, verdict and reason of a target from its per-city values.

    Args:
        key: A key of :data:`TARGETS`.
        values: The figure in each city.
        show: ``"pct"`` (shares shown as percentages) or ``"m"`` (metres).

    Returns:
        ``(claim, verdict, reason)`` for :meth:`Report.verdict`.
    """
    target = TARGETS[key]
    m, lo, hi = mean_ci(values)
    verdict = range_verdict(m, lo, hi, target)
    return target.claim, verdict, f"{target.kind}: {describe(m, lo, hi, show)} ({target.source})"


def describe(mean: float, low: float, high: float, show: str = "pct") -> str:
    """"mean (95% CI low–high)" in percent or metres; the point alone without a CI."""
    def f(x: float) -> str:
        if not np.isfinite(x):
            return "–"
        return f"{100 * x:.1f}%" if show == "pct" else f"{x:.0f} m"

    if not np.isfinite(mean):
        return "none measured"
    if np.isfinite(low) and np.isfinite(high):
        return f"{f(mean)} (95% CI {f(low)}–{f(high)})"
    return f"{f(mean)} (one city, no CI)"
