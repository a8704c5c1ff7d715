"""The classic model: the newer mechanisms off, the first release's rates where the
scenario used the defaults (sim/scenario/classic.py)."""

from __future__ import annotations

from repo_paths import BASELINE

from sim import Scenario
from sim.scenario.classic import CLASSIC_CALIBRATION, CLASSIC_SWITCHES, classic


def test_baseline_gets_every_switch_and_the_first_release_rates():
    sc = classic(Scenario.load(BASELINE))
    for key, value in {**CLASSIC_SWITCHES, **CLASSIC_CALIBRATION}.items():
        assert sc[key] == value, key
    assert sc["crime.burglary.rate"] == 0.0044  # the first release's default, by hand


def test_a_scenario_keeps_the_rates_it_sets_itself():
    """Short et al.'s lattice sets its own burglary rate: the first release ran it with
    that rate too, so the classic model keeps it."""
    short = Scenario.load(BASELINE.parent / "short2008.toml")
    sc = classic(short)
    assert sc["crime.burglary.rate"] == short["crime.burglary.rate"] != 0.0044
    assert sc["relationships.enabled"] is False
