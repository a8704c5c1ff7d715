"""Verdicts against evidence ranges with CIs across cities, and the where-and-to-whom tables."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from experiments.validation.facts_text import _near_repeat_targets
from experiments.validation.facts_verdicts import (
    TARGETS,
    Target,
    describe,
    judge,
    mean_ci,
    range_verdict,
)
from experiments.validation.facts_where import pooled_shares, where_section
from experiments.validation.report import Report
from sim.config import CRIME_TYPES, RELATIONSHIPS, SETTINGS

RANGE = Target("x in 2-6%", 0.02, 0.06, "test", calibrated=False)


def test_mean_ci_is_the_t_interval_by_hand():
    # Values 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.302653; half-width 4.302653 / sqrt(3).
    m, lo, hi = mean_ci([1.0, 2.0, 3.0, float("nan")])
    half = 4.302653 / math.sqrt(3)
    assert m == 2.0
    assert lo == pytest.approx(2 - half, rel=1e-6) and hi == pytest.approx(2 + half, rel=1e-6)
    one = mean_ci([0.5])
    assert one[0] == 0.5 and np.isnan(one[1]) and np.isnan(one[2])
    assert all(np.isnan(mean_ci([])))


@pytest.mark.parametrize(("mean", "low", "high", "verdict"), [
    (0.04, 0.03, 0.05, "matches"),      # the whole CI in range
    (0.05, 0.04, 0.07, "partly"),       # straddles the top
    (0.015, 0.01, 0.025, "partly"),     # straddles the bottom
    (0.10, 0.08, 0.12, "does not"),     # wholly above
    (0.01, 0.005, 0.015, "does not"),   # wholly below
    (0.03, float("nan"), float("nan"), "matches"),   # one city: the point
    (0.07, float("nan"), float("nan"), "does not"),
    (float("nan"), float("nan"), float("nan"), "does not"),
])
def test_range_verdict(mean, low, high, verdict):
    assert range_verdict(mean, low, high, RANGE) == verdict


def test_open_ended_targets():
    below = TARGETS["sv_open_public"]
    assert range_verdict(0.09, 0.05, 0.13, below) == "matches"
    assert range_verdict(0.2, 0.15, 0.25, below) == "partly"
    at_least = TARGETS["within_3km"]
    assert range_verdict(0.9, 0.85, 0.95, at_least) == "matches"
    assert range_verdict(0.7, 0.6, 0.78, at_least) == "does not"


def test_judge_says_whether_the_target_was_calibrated():
    claim, verdict, why = judge("blocks_50", [0.035, 0.04, 0.045])
    assert claim == TARGETS["blocks_50"].claim and verdict == "matches"
    assert why.startswith("prediction:") and "95% CI" in why and "Weisburd 2015" in why
    _, _, why = judge("burglary_median_m", [700.0], show="m")
    assert why.startswith("check (calibrated):") and "700 m (one city, no CI)" in why
    assert describe(float("nan"), float("nan"), float("nan")) == "none measured"


def test_issue_ranges_are_the_published_ones():
    assert (TARGETS["blocks_50"].low, TARGETS["blocks_50"].high) == (0.02, 0.06)
    assert (TARGETS["blocks_25"].low, TARGETS["blocks_25"].high) == (0.004, 0.016)
    assert (TARGETS["burglary_median_m"].low, TARGETS["burglary_median_m"].high) == (400, 1600)
    # ONS figures (44%, 37%, 9%) sit inside their ranges.
    for key, survey in (("sv_partner", 0.44), ("sv_own_home", 0.37),
                        ("sv_open_public", 0.09)):
        assert range_verdict(survey, survey, survey, TARGETS[key]) == "matches"


def _knox(ratio: float, p: float) -> dict[str, float]:
    return {"ratio": ratio, "p": p, "observed": 0.0, "expected": 0.0}


def test_near_repeat_targets_count_significant_cities():
    rep = Report("x", "X")
    per_city = [_knox(1.6, 0.01)] * 5 + [_knox(1.1, 0.3)]
    _near_repeat_targets(rep, per_city, _knox(1.55, 0.001))
    (c1, v1, w1), (c2, v2, _) = rep.verdicts
    assert v1 == "matches" and "5 of 6" in w1 and "check (calibrated)" in w1
    assert v2 == "matches"
    rep = Report("x", "X")
    _near_repeat_targets(rep, [_knox(1.6, 0.01)] * 3 + [_knox(1.0, 0.5)] * 3,
                         _knox(1.2, 0.01))
    assert [v for _, v, _ in rep.verdicts] == ["partly", "partly"]
    rep = Report("x", "X")
    _near_repeat_targets(rep, [_knox(0.9, 0.6)] * 6, _knox(0.95, 0.7))
    assert [v for _, v, _ in rep.verdicts] == ["does not", "does not"]


def _city(settings_sv: dict[str, float], n_sv: int, sv: dict[str, float]) -> SimpleNamespace:
    """A city whose only crimes are ``n_sv`` sexual violence crimes."""
    def table(names, shares):
        empty = {"n": 0, **{k: float("nan") for k in names}}
        row = {"n": n_sv, **{k: shares.get(k, 0.0) for k in names}}
        return {"all": row, **{t: (row if t == "sexual_violence" else empty)
                               for t in CRIME_TYPES}}
    return SimpleNamespace(where={"settings": table(SETTINGS, settings_sv),
                                  "relationships": table(RELATIONSHIPS, {"partner": 1.0}),
                                  "sexual_violence": {"n": n_sv, **sv}})


def test_pooled_shares_weigh_each_crime_the_same():
    a = _city({"home": 1.0}, 10, {"partner": 1.0, "own_home": 1.0, "open_public": 0.0})
    b = _city({"street": 1.0}, 30, {"partner": 0.0, "own_home": 0.0, "open_public": 1.0})
    pooled = pooled_shares([a, b], "settings", SETTINGS)
    assert pooled["sexual_violence"]["n"] == 40
    assert pooled["sexual_violence"]["home"] == pytest.approx(0.25)
    assert pooled["sexual_violence"]["street"] == pytest.approx(0.75)
    assert pooled["robbery"]["n"] == 0 and np.isnan(pooled["robbery"]["home"])


def test_where_section_gives_three_sexual_violence_verdicts():
    cities = [_city({"home": 0.4}, 20, {"partner": p, "own_home": 0.37, "open_public": 0.09})
              for p in (0.42, 0.44, 0.46)]
    rep = Report("x", "X")
    where_section(rep, cities)
    assert [v for _, v, _ in rep.verdicts] == ["matches", "matches", "matches"]
    assert "## 4. Where and to whom" in rep.markdown()
    assert rep.numbers["where"]["sexual_violence"]["partner"] == pytest.approx(0.44)
