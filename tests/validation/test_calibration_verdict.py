"""The intervention calibration report: verdicts of a 95% interval against a range, by hand.

Ranges are percent changes (most negative first), as the calibration modules give them.
"""

from __future__ import annotations

import math

import pytest

from experiments.calibration.__main__ import calibration_rows, seed_problem, t_interval
from experiments.calibration.runs import modules
from experiments.calibration.verdict import DOES_NOT, MATCHES, PARTLY, verdict


@pytest.mark.parametrize(("ci", "expected"), [
    ((-25.0, -15.0), MATCHES),          # inside -30..-12
    ((-30.0, -12.0), MATCHES),          # exactly the range: ends count as inside
    ((-35.0, -20.0), PARTLY),           # reaches below the range
    ((-20.0, -5.0), PARTLY),            # reaches above the range
    ((-40.0, 0.0), PARTLY),             # covers the whole range and more
    ((-11.9, +3.0), DOES_NOT),          # wholly above
    ((-50.0, -30.1), DOES_NOT),         # wholly below
    ((-12.0, -2.0), PARTLY),            # touches the upper end
    ((-15.0, -15.0), MATCHES),          # a degenerate interval inside
])
def test_verdict_hand_cases(ci: tuple[float, float], expected: str) -> None:
    assert verdict(ci[0], ci[1], -30.0, -12.0) == expected


def test_unbounded_interval_overlaps_but_never_matches() -> None:
    # Fieller's interval is reported with NaN ends when it is unbounded.
    assert verdict(math.nan, -20.0, -30.0, -12.0) == PARTLY
    assert verdict(-20.0, math.nan, -30.0, -12.0) == PARTLY
    assert verdict(math.nan, math.nan, -30.0, -12.0) == PARTLY
    assert verdict(math.nan, -40.0, -30.0, -12.0) == DOES_NOT   # (-inf, -40]
    assert verdict(-math.inf, -20.0, -30.0, -12.0) == PARTLY


def test_reversed_interval_is_read_as_its_ends() -> None:
    assert verdict(-15.0, -25.0, -30.0, -12.0) == MATCHES


def test_bad_range_raises() -> None:
    with pytest.raises(ValueError):
        verdict(-5.0, 5.0, 10.0, -10.0)
    with pytest.raises(ValueError):
        verdict(-5.0, 5.0, math.nan, 10.0)


def test_predictions_never_use_calibration_or_tuning_seeds() -> None:
    assert seed_problem(101, 8) is None
    assert seed_problem(2000, 20) is None
    assert seed_problem(1, 8) is not None          # the baseline's calibration seeds
    assert seed_problem(100, 2) is not None
    assert seed_problem(1000, 8) is not None       # the interventions' tuning seeds
    assert seed_problem(995, 8) is not None        # runs into 1000
    assert seed_problem(1008, 8) is None


def test_t_interval_by_hand() -> None:
    mean, lo, hi = t_interval([1.0, 2.0, 3.0])
    # sd = 1, n = 3, t(0.975, 2) = 4.3027: half-width 4.3027 / sqrt(3) = 2.4841
    assert mean == pytest.approx(2.0)
    assert lo == pytest.approx(2.0 - 2.4841, abs=1e-3)
    assert hi == pytest.approx(2.0 + 2.4841, abs=1e-3)
    assert math.isnan(t_interval([1.0])[1])


def test_calibration_rows_from_hand_made_runs() -> None:
    groups = {g: {"robbery": 0.02, "sexual_violence": 0.031, "assault": 0.099, "any": 0.09}
              for g in ("everyone", "women_and_girls", "men_and_boys", "youth", "elderly")}
    shares = {("sexual_violence", "partner"): 44.0, ("sexual_violence", "own_home"): 37.0,
              ("sexual_violence", "open_public"): 9.0, ("assault", "domestic"): 25.0,
              ("burglary", "median_m"): 800.0, ("all", "within_3km"): 95.0}
    runs = [{"survey": {"households_burgled": 0.018 + d, "groups": groups}, "shares": shares}
            for d in (-0.001, 0.0, 0.001)]
    rows = {r[0]: r for r in calibration_rows(runs)}
    burgled = rows["households burgled"]
    assert burgled[2] == pytest.approx(1.8) and burgled[5] == "covers"
    assert rows["assault, elderly"][5] == "misses"      # 9.9% without spread vs 0.8%
    assert rows["any of five types, everyone"][5] == MATCHES
    assert rows["sexual violence by a partner or ex-partner"][5] == MATCHES
    assert rows["assault by a partner or family member"][5] == "-"


def test_command_refuses_calibration_seeds() -> None:
    from experiments.calibration.__main__ import main

    with pytest.raises(SystemExit):
        main(["street_lighting", "--reps", "2", "--seed", "1"])
    with pytest.raises(SystemExit):
        main(["street_lighting", "--reps", "8", "--seed", "1000"])



def test_every_intervention_is_a_calibration_module_and_no_helper_is() -> None:
    # The eight plug-ins of docs/interventions.md, written out here rather than read
    # from the package, so that a helper module mistaken for one would fail.
    eight = {"anti_corruption", "focused_deterrence", "hotspot_policing",
             "procedural_justice", "public_private_partnership", "street_lighting",
             "urban_renewal", "youth_programme"}
    assert set(modules()) == eight
