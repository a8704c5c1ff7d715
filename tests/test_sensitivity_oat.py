"""The one-at-a-time sensitivity check: ranking, agreement with a direct comparison,
shared runs, executors, and one-line errors for bad keys."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim
from repo_paths import BASELINE, SCENARIOS

from sim import Scenario
from sim.analysis.compare import run_comparison
from sim.analysis.effects import effect_rows, find
from sim.analysis.executor import ProcessExecutor
from sim.analysis.sensitivity_oat import (
    one_at_a_time,
    planned_runs,
    sensitivity_analysis,
    swing_noise,
)
from sim.cli.main import build_parser
from sim.cli.sensitivity import sensitivity_for
from sim.errors import UsageError

LIGHTING = SCENARIOS / "street_lighting.toml"
DAYS = 15
SEED = 7
COVERAGE = "interventions.street_lighting.coverage"
#: A key planted to matter (more or fewer offenders change every crime), the
#: intervention's own dose, and a key that cannot matter: repeat.boost is read only
#: while repeat.enabled is true (sim/crime/levers.py, _repeat_boost), switched off here.
#: Plus two that cannot be moved: one at 0, one whose steps (6, 10) the scenario refuses.
KEYS = ["repeat.boost", COVERAGE, "offenders.count", "near_repeat.initial_b",
        "city.neighbourhood"]


@pytest.fixture(scope="module")
def worlds(small_overrides) -> tuple[Scenario, Scenario]:
    """The small city (120 offenders, repeat victimisation off) and a strong lighting
    scheme from day 5 on a 20 x 20 centre."""
    overrides = dict(small_overrides, **{"offenders.count": 120, "repeat.enabled": False})
    base = Scenario.load(BASELINE).with_overrides(overrides)
    lit = Scenario.load(LIGHTING).with_overrides(overrides).with_overrides({
        "interventions.street_lighting.start_tick": 24 * 5,
        "interventions.street_lighting.target.top_k": 0,
        "interventions.street_lighting.target.rect": [10, 10, 30, 30],
        "interventions.street_lighting.lighting": 1.0,
    })
    return base, lit


@pytest.fixture(scope="module")
def checked(worlds):
    """The check over KEYS, counting the runs it makes."""
    base, lit = worlds
    runs: list[int] = []
    result = sensitivity_analysis(base, [lit], keys=KEYS, reps=2, days=DAYS, seed=SEED,
                                  on_done=runs.append)
    return result["street_lighting"], len(runs)


def test_a_key_that_matters_ranks_above_one_that_cannot(checked):
    result, _ = checked
    keys = [r.key for r in result.rows]
    assert set(keys) == {"repeat.boost", COVERAGE, "offenders.count"}
    by_key = {r.key: r for r in result.rows}
    dead = by_key["repeat.boost"]
    assert dead.swing_pct == 0.0
    assert dead.effect_low_pct == dead.effect_high_pct == result.central_pct
    assert keys[0] == "offenders.count" and result.rows[0].swing_pct > 0.0
    # 25% down and up: 120 offenders -> 90 and 150; coverage 1 -> 0.75 and (capped) 1.
    assert (by_key["offenders.count"].low_value, by_key["offenders.count"].high_value) == (
        90, 150)
    assert (by_key[COVERAGE].low_value, by_key[COVERAGE].high_value) == (0.75, 1.0)
    assert by_key[COVERAGE].effect_high_pct == result.central_pct  # the central run itself
    assert by_key["repeat.boost"].label and by_key[COVERAGE].label.startswith("street lighting")


def test_keys_that_cannot_move_are_skipped_with_a_reason(checked):
    result, _ = checked
    assert "at 0" in result.skipped["near_repeat.initial_b"]
    assert "must be 4 or 8" in result.skipped["city.neighbourhood"]
    assert (result.reps, result.days, result.start_day, result.step) == (2, DAYS, 5, 0.25)
    assert math.isfinite(result.noise_pct) and result.noise_pct >= 0


def test_noise_yardstick_is_the_standard_error_of_the_effect():
    base = np.array([100.0, 120.0, 110.0])
    alt = np.array([90.0, 114.0, 96.0])
    # differences -10, -6, -14: sd 4, se 4 / sqrt(3); mean base 110; x sqrt(2) for a swing.
    assert swing_noise(base, alt) == pytest.approx(math.sqrt(2) * 100 * 4 / math.sqrt(3) / 110)
    assert math.isnan(swing_noise(base[:1], alt[:1]))


def test_runs_are_shared_where_a_scenario_does_not_change(worlds, checked):
    _, runs = checked
    # Distinct scenarios: base and lit; repeat.boost low/high in both (4); offenders.count
    # low/high in both (4); coverage low in lit only (the base has no lighting, and
    # coverage high is capped at 1: the central lit). 11 scenarios x 2 seeds.
    assert runs == 11 * 2
    assert planned_runs(*worlds[:1], [worlds[1]], keys=KEYS, reps=2) == runs


def test_effects_equal_a_direct_comparison_with_the_key_set(worlds, checked):
    result, _ = checked
    base, lit = worlds
    by_key = {r.key: r for r in result.rows}

    def direct(b: Scenario, a: Scenario) -> float:
        cmp = run_comparison(b, [a], reps=2, ticks=DAYS * 24, seed=SEED)
        return find(effect_rows(cmp), cmp.alternatives[0], "crimes").change_pct

    assert direct(base, lit) == result.central_pct
    low = {"offenders.count": 90}
    assert direct(base.with_overrides(low), lit.with_overrides(low)) == (
        by_key["offenders.count"].effect_low_pct)
    assert direct(base, lit.with_overrides({COVERAGE: 0.75})) == by_key[COVERAGE].effect_low_pct


def test_same_rows_in_process_and_in_two_processes(worlds):
    base, lit = worlds
    here = one_at_a_time(base, lit, keys=["offenders.count"], reps=2, days=8, seed=SEED)
    pool = one_at_a_time(base, lit, keys=["offenders.count"], reps=2, days=8, seed=SEED,
                         executor=ProcessExecutor(2))
    assert len(here) == 1
    assert here == pool


# --- command line ----------------------------------------------------------------------
@pytest.mark.parametrize(("key", "fragment"), [
    ("nope.key", "nope.key: unknown key"),
    ("city.layout", "city.layout: not a numeric"),
    ("interventions.youth_programme.coverage", "no intervention 'youth_programme'"),
    ("interventions.street_lighting.setup_cost", "not a numeric"),
])
def test_bad_keys_are_one_line_errors(capsys, tmp_path, key, fragment):
    out = tmp_path / "sens"
    code, _, err = crimesim(capsys, "sensitivity", BASELINE, LIGHTING, "--keys", key,
                            "--out", out)
    assert_usage_error(code, err, fragment)
    assert not out.exists()


def test_cli_writes_the_ranked_table(capsys, tmp_path, small_args):
    out = tmp_path / "sens"
    code, text, err = crimesim(capsys, "sensitivity", BASELINE, LIGHTING, "--keys",
                               "offenders.count", "--reps", "1", "--days", "33", "--workers",
                               "1", "--no-progress", "--out", out, *small_args)
    assert code == 0, err
    df = pd.read_csv(out / "sensitivity.csv")
    assert list(df.key) == ["offenders.count"] and list(df.scenario) == ["street_lighting"]
    assert (df.low_value[0], df.high_value[0]) == (45, 75)  # 60 offenders +-25%
    assert df.swing_pct[0] == pytest.approx(abs(df.effect_high_pct[0] - df.effect_low_pct[0]))
    assert (df.reps[0], df.days[0], df.start_day[0]) == (1, 33, 30)
    assert df.noise_pct.isna().all() and "cannot be told from noise" in text
    assert "offenders.count" in text and str(out / "sensitivity.csv") in text


def test_compare_flags_for_the_brief():
    parser = build_parser()
    args = parser.parse_args(["compare", str(BASELINE), str(LIGHTING), "--no-sensitivity"])
    base, lit = Scenario.load(BASELINE), Scenario.load(LIGHTING)
    assert sensitivity_for(base, [lit], 365, args) == {}
    args = parser.parse_args(["compare", str(BASELINE), str(LIGHTING),
                              "--sensitivity-days", "20", "--sensitivity-reps", "1"])
    assert (args.sensitivity_days, args.sensitivity_reps) == (20, 1)
    with pytest.raises(UsageError, match="starts on day 30"):
        sensitivity_for(base, [lit], 365, args)


def test_noise_from_the_comparisons_ci_by_hand():
    """A 95% CI of -20% to -10% over 5 replications and 335 days, for a one-replication
    check over 20 days: sd of one replication = 5 / t(0.975, 4) x sqrt(5), with
    t(0.975, 4) = 2.776445 from the t table; x sqrt(335 / 20) for the shorter window;
    x sqrt(2) for a difference of two effects."""
    from sim.analysis.sensitivity_oat import noise_from_comparison

    by_hand = math.sqrt(2) * 5 / 2.776445 * math.sqrt(5) * math.sqrt(335 / 20)
    assert noise_from_comparison(-20.0, -10.0, 5, 335.0, 20.0, 1) == pytest.approx(by_hand,
                                                                                 rel=1e-5)
    # two replications halve the variance of each effect
    assert noise_from_comparison(-20.0, -10.0, 5, 335.0, 20.0, 2) == pytest.approx(
        by_hand / math.sqrt(2), rel=1e-5)
    assert math.isnan(noise_from_comparison(-math.inf, -10.0, 5, 335.0, 20.0, 1))
