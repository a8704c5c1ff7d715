"""The reference model as a Mesa model: its outputs, interventions, Short et al., the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim
from repo_paths import small_set_args

from sim import CrimeModel, Scenario
from sim.bench.reference import parse_sizes, scenario_for
from sim.config import CRIME_TYPES, GROUPS
from sim.interventions import InterventionError
from sim.reference import ReferenceCrimeModel
from sim.reference.agents import Guard, Offender, OutreachWorker, PoliceOfficer, Resident
from sim.scenario import ScenarioError
from sim.scenario.classic import classic

SMALL = {"city.width": 20, "city.height": 20, "city.districts": 3, "city.schools": 2,
         "residents.count": 600, "offenders.count": 40, "police.count": 4,
         "services.count": 2, "security.guards": 3}


@pytest.fixture(scope="module")
def small(baseline: Scenario) -> Scenario:
    return baseline.with_overrides(SMALL)


@pytest.fixture(scope="module")
def two_days(small: Scenario) -> ReferenceCrimeModel:
    model = ReferenceCrimeModel(scenario=small, rng=3)
    model.run_for(48)
    return model


def test_it_is_a_mesa_model_of_real_agents_in_cells(two_days):
    m = two_days
    kinds = set(m.agents_by_type)
    assert {Resident, Offender, PoliceOfficer, OutreachWorker, Guard} <= kinds
    assert all(a.cell is not None and a.cell in m.grid.all_cells for a in m.agents)
    assert len(m.agents_by_type[Resident]) == 600
    guard = m.guards[0]
    assert guard in guard.cell.agents


def test_results_have_the_fast_engines_columns(two_days, small):
    fast = CrimeModel(scenario=small, rng=3, agent_views=False)
    fast.run_for(2)
    ref = two_days.results.to_frame()
    assert list(ref.columns) == list(fast.results.to_frame().columns)
    assert len(ref) == 48 and ref["tick"].tolist() == list(range(48))
    assert (ref["crimes_total"] == ref[[f"crimes_{t}" for t in CRIME_TYPES]].sum(axis=1)).all()
    assert ref[[f"legitimacy_{g}" for g in GROUPS]].notna().all().all()
    assert ref["residents_in_public"].max() > 0


def test_event_log_and_prevalence_agree_with_the_counts(two_days):
    m = two_days
    events = m.events.to_frame()
    assert len(events) == m.results.column("crimes_total").sum()
    prev = m.prevalence()
    assert prev["days"] == 2.0
    assert set(prev["groups"]) == set(GROUPS)
    victims = m.victim_counts()
    assert prev["groups"]["everyone"]["any"] == pytest.approx((victims.sum(axis=1) > 0).mean())
    assert victims.sum() == m.results.column("victimisations_everyone").sum()


def test_datacollector_collects_daily(two_days):
    frame = two_days.datacollector.get_model_vars_dataframe()
    assert len(frame) == 2
    assert "crimes_total" in frame.columns


def test_the_seed_fixes_the_run(small):
    def run(seed):
        m = ReferenceCrimeModel(scenario=small, rng=seed)
        m.run_for(30)
        return m.results.to_frame()

    pd.testing.assert_frame_equal(run(8), run(8))
    assert not run(8).equals(run(9))


def test_street_lighting_brightens_the_shared_layer(small):
    sc = small.with_overrides({"interventions.street_lighting.start_tick": 5,
                               "interventions.street_lighting.end_tick": 10,
                               "interventions.street_lighting.target.top_k": 12})
    m = ReferenceCrimeModel(scenario=sc, rng=2)
    before = m.city.lighting.copy()
    m.run_for(6)
    lit = m.city.lighting > before
    assert lit.sum() == 12
    y, x = np.argwhere(lit)[0]
    assert m.grid[(x, y)].lighting == pytest.approx(0.95)  # agents see it through cells
    m.run_for(5)
    np.testing.assert_array_equal(m.city.lighting, before)  # undone at end_tick


def test_interventions_on_the_fast_engines_arrays_are_refused(small):
    sc = small.with_overrides({"interventions.hotspot_policing.start_tick": 0})
    with pytest.raises(InterventionError, match="hotspot_policing"):
        ReferenceCrimeModel(scenario=sc, rng=1)


def test_other_model_families_are_refused(root):
    with pytest.raises(ScenarioError, match="civil_violence"):
        ReferenceCrimeModel(scenario=root / "scenarios" / "epstein2002.toml", rng=1)


def test_short_et_al_lattice_keeps_its_equilibrium(root):
    """On Short et al.'s lattice the reference is their model: burglaries arrive at
    Gamma per site and B stays at theta * Gamma / omega (tests/test_short2008.py)."""
    side, steps = 32, 500
    n_bar = 0.019 * 0.01 / (1 - math.exp(-(1 / 30 + 0.1596) * 0.01))
    sc = Scenario.load(root / "scenarios" / "short2008.toml").with_overrides(
        {"city.width": side, "city.height": side,
         "offenders.count": round(n_bar * side * side)})
    sc = classic(sc)
    m = ReferenceCrimeModel(scenario=sc, rng=4)
    m.run_for(steps)
    burglaries = m.results.column("crimes_burglary").sum()
    expected = 0.019 * 0.01 * side * side * steps  # Gamma dt per site per step
    assert abs(burglaries - expected) < 4 * math.sqrt(expected)
    # B-bar's stationary sd is theta * sqrt(Gamma / (2 omega N)): 0.0066 here.
    assert m.city.b.mean() == pytest.approx(0.1596, abs=4 * 0.0066)
    assert all(o.home is None for o in m.offenders)


def test_cli_runs_the_reference_engine(capsys, tmp_path, small_args):
    code, out, _ = crimesim(capsys, "run", "scenarios/baseline.toml", "--engine", "reference",
                            "--days", "1", "--out", tmp_path, *small_args, "--no-progress")
    assert code == 0
    assert "crime type" in out
    frame = pd.read_parquet(tmp_path / "metrics.parquet")
    assert len(frame) == 24
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["ticks"] == 24


def test_cli_reference_engine_runs_the_classic_model_of_any_scenario(capsys, tmp_path):
    """A user's plain --engine reference run: the newer mechanisms are switched off for
    them (the reference implements the classic model), with a note, and the run goes."""
    code, out, _ = crimesim(capsys, "run", "scenarios/baseline.toml", "--engine", "reference",
                            "--days", "1", "--out", tmp_path, *small_set_args(),
                            "--no-progress")
    assert code == 0
    assert "the classic model" in out
    params = json.loads((tmp_path / "summary.json").read_text())["parameters"]
    assert params["relationships"]["enabled"] is False
    assert params["awareness"]["enabled"] is False


def test_cli_reference_engine_refuses_a_newer_mechanism_set_on(capsys):
    code, _, err = crimesim(capsys, "run", "scenarios/baseline.toml", "--engine", "reference",
                            "--days", "1", *small_set_args(), "--set", "fear.enabled=true")
    assert_usage_error(code, err, "fear.enabled")


def test_cli_reference_engine_refuses_array_interventions(capsys, small_args):
    code, _, err = crimesim(capsys, "run", "scenarios/hotspot_policing.toml", "--engine",
                            "reference", "--days", "1", *small_args)
    assert_usage_error(code, err, "hotspot_policing", "reference engine")


def test_bench_reference_prints_and_writes(capsys, tmp_path):
    code, out, _ = crimesim(capsys, "bench", "--reference", "--reference-sizes", "300:0.5",
                            "--reference-repeats", "1", "--json", tmp_path / "bench.json")
    assert code == 0
    assert "reference sampled" in out and "load average" in out
    result = json.loads((tmp_path / "bench_reference.json").read_text())
    row = result["sizes"][0]
    assert row["ticks"] == 12 and row["reference"]["ticks"] == row["fast"]["ticks"] == 12
    assert row["ratio_per_agent_step"] > 1


def test_bench_sizes_and_scaling(baseline):
    assert parse_sizes("1000,10000:3") == {1000: 14.0, 10000: 3.0}
    with pytest.raises(ValueError, match="whole number of agents >= 1"):
        parse_sizes("0")
    p = scenario_for(baseline, 10_000).params
    agents = (p.residents.count + p.offenders.count + p.police.count + p.services.count
              + p.security.guards)
    assert agents == pytest.approx(10_000, rel=0.02)


def test_newer_mechanisms_are_refused_by_name(root):
    sc = Scenario.load(root / "scenarios" / "baseline.toml")  # relationships on
    with pytest.raises(ScenarioError, match="relationships.enabled = False"):
        ReferenceCrimeModel(scenario=sc, rng=1)
