"""CivilViolenceModel: Mesa interface, reproducibility, and Epstein's known behaviour."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pytest

from sim import CivilViolenceModel, CrimeModel, Scenario, ScenarioError
from sim.config import CV_ACTIVE, CV_JAILED

ROOT = Path(__file__).resolve().parents[2]
EPSTEIN = ROOT / "scenarios" / "epstein2002.toml"


@pytest.fixture(scope="module")
def epstein() -> Scenario:
    return Scenario.load(EPSTEIN)


def run(scenario: Scenario, seed: int, ticks: int, **keys) -> CivilViolenceModel:
    model = CivilViolenceModel(scenario=scenario.with_overrides(keys) if keys else scenario,
                               rng=seed)
    model.run_for(ticks)
    return model


# --- interface --------------------------------------------------------------------------
def test_is_a_mesa_model_with_keyword_only_arguments(epstein):
    model = CivilViolenceModel(scenario=epstein, rng=1)
    assert isinstance(model, mesa.Model)
    with pytest.raises(TypeError):
        CivilViolenceModel(epstein, 1)  # type: ignore[misc]
    assert model.citizens == round(0.7 * 1600) and model.cops == round(0.04 * 1600)
    model.run_for(30)
    df = model.results.to_frame()
    assert list(df.columns) == ["tick", "active", "quiet", "jailed", "arrests", "extortions",
                                "legitimacy", "perceived_legitimacy"]
    assert list(df.tick) == list(range(30))
    assert (df.active + df.quiet + df.jailed == model.citizens).all()
    collected = model.datacollector.get_model_vars_dataframe()
    assert len(collected) == 30
    np.testing.assert_array_equal(collected.active.to_numpy(), df.active.to_numpy())
    np.testing.assert_array_equal(collected.jailed.to_numpy(), df.jailed.to_numpy())


def test_defaults_and_paths_and_keyword_overrides():
    assert CivilViolenceModel(rng=1).width == 40  # Epstein's lattice by default
    model = CivilViolenceModel(scenario=str(EPSTEIN), rng=1, civil_violence__legitimacy=0.5,
                               city__width=30)
    assert model.p.legitimacy == 0.5 and model.width == 30


def test_crime_and_civil_violence_models_refuse_each_others_scenarios(epstein):
    with pytest.raises(ScenarioError, match="CivilViolenceModel runs scenarios with model"):
        CivilViolenceModel(scenario=Scenario.default(), rng=1)
    with pytest.raises(ScenarioError, match="crime model only"):
        CrimeModel(scenario=epstein, rng=1)


def test_grid_is_a_mesa_grid_sharing_the_cell_codes(epstein):
    from mesa.discrete_space import OrthogonalMooreGrid, OrthogonalVonNeumannGrid

    model = CivilViolenceModel(scenario=epstein, rng=2)
    assert isinstance(model.grid, OrthogonalVonNeumannGrid)
    model.run_for(3)
    layer = model.grid.state.data  # Mesa's [x, y] view of our [y, x] cells
    kinds = model.lattice.kind.reshape(model.height, model.width)
    np.testing.assert_array_equal(layer, kinds.T)
    moore = CivilViolenceModel(scenario=epstein.with_overrides(
        {"civil_violence.grid_type": "Moore"}), rng=2)
    assert isinstance(moore.grid, OrthogonalMooreGrid)


def test_layers_show_the_citizens_where_they_stand(epstein):
    model = run(epstein, 3, 40)
    layers = model.layers()
    lat = model.lattice
    on = lat.pos[: lat.n_citizens] >= 0
    assert np.isfinite(layers["hardship"]).sum() == on.sum()
    y, x = np.divmod(lat.pos[: lat.n_citizens][on], model.width)
    np.testing.assert_array_equal(layers["hardship"][y, x], lat.hardship[on])
    assert set(np.unique(layers["state"])) <= {0, 1, 2, 3, 4}


# --- reproducibility ----------------------------------------------------------------------
def test_same_seed_same_run_and_another_seed_another(epstein):
    a = run(epstein, 11, 150).results.to_frame()
    b = run(epstein, 11, 150).results.to_frame()
    c = run(epstein, 12, 150).results.to_frame()
    assert a.equals(b)
    assert not a.active.equals(c.active)


def test_run_in_pieces_equals_run_at_once(epstein):
    whole = run(epstein, 5, 90).results.to_frame()
    model = CivilViolenceModel(scenario=epstein, rng=5)
    for _ in range(9):
        model.run_for(10)
    assert model.results.to_frame().equals(whole)


# --- Epstein's rules, seen in the aggregate -------------------------------------------------
def test_nobody_rebels_when_legitimacy_leaves_no_grievance_above_threshold(epstein):
    """G = H (1 - L) <= 1 - L, so with L >= 1 - T nobody's G - N exceeds T: none active."""
    for legitimacy in (0.9, 1.0):
        model = run(epstein, 1, 200, **{"civil_violence.legitimacy": legitimacy})
        df = model.results.to_frame()
        assert df.active.max() == 0 and df.arrests.sum() == 0


def test_without_cops_exactly_the_aggrieved_rebel(epstein):
    """No cops, no risk: citizen i is active iff H_i (1 - L) > T, every tick."""
    model = run(epstein, 2, 5, **{"civil_violence.cop_density": 0.0,
                                  "civil_violence.legitimacy": 0.5})
    lat = model.lattice
    expected = lat.hardship * (1 - 0.5) > 0.1
    np.testing.assert_array_equal(lat.state == CV_ACTIVE, expected)
    assert model.results.last("jailed") == 0


@pytest.mark.slow
def test_low_legitimacy_and_few_cops_bring_most_citizens_out(epstein):
    """L = 0.1 and 0.5% cops: rebellion is the rule, not an outburst.

    Citizens with H > T / (1 - L) = 0.111, 88.9% of them, rebel whenever they see
    fewer cops than actives (floor(C/A) = 0), which with ~8 cops among hundreds of
    actives is almost always. Each cop jails at most one a tick for 15 ticks on
    average: at most 8 x 16 = 128 of 1120 in jail. So the active share should sit
    between (1120 - 128) / 1120 x 0.889 = 0.79 and 0.889, less whoever a cop's
    neighbourhood deters; we allow 0.70-0.89 for the mean of ticks 50-250 over seeds.
    """
    shares = []
    for seed in range(3):
        model = run(epstein, seed, 250, **{"civil_violence.legitimacy": 0.1,
                                           "civil_violence.cop_density": 0.005})
        shares.append(model.results.column("active")[50:].mean() / model.citizens)
    assert 0.70 < np.mean(shares) < 0.889, shares


@pytest.mark.slow
def test_at_epsteins_parameters_rebellion_comes_in_outbursts(epstein):
    """Punctuated equilibrium: mostly calm, with short bursts far above the calm level."""
    from sim.civil_violence.analysis import outbursts_of

    for seed in range(2):
        model = run(epstein, seed, 500)
        active = model.results.column("active")
        bursts = outbursts_of(active, model.citizens)
        assert len(bursts) >= 3, seed  # repeated outbursts
        assert np.median(active) < 0.03 * model.citizens  # calm most of the time
        assert bursts.peak.max() > 0.15 * model.citizens  # and large outbursts


def test_legitimacy_schedule(epstein):
    sudden = CivilViolenceModel(scenario=epstein.with_overrides({
        "civil_violence.legitimacy_drop": 0.2, "civil_violence.legitimacy_drop_start": 10}),
        rng=1)
    assert [round(sudden.legitimacy_at(t), 10) for t in (0, 9, 10, 500)] == [0.82, 0.82, 0.62,
                                                                              0.62]
    gradual = CivilViolenceModel(scenario=epstein.with_overrides({
        "civil_violence.legitimacy_drop": 0.2, "civil_violence.legitimacy_drop_start": 10,
        "civil_violence.legitimacy_drop_ticks": 100}), rng=1)
    assert gradual.legitimacy_at(9) == 0.82
    assert gradual.legitimacy_at(59) == pytest.approx(0.72)
    assert gradual.legitimacy_at(109) == pytest.approx(0.62)
    assert gradual.legitimacy_at(400) == pytest.approx(0.62)
    gradual.run_for(120)
    assert gradual.results.column("legitimacy")[109] == pytest.approx(0.62)


def test_corruption_lowers_perceived_legitimacy_and_brings_rebellion(epstein):
    """Same seeds (common random numbers), corrupt cops or none."""
    keys = {"civil_violence.corruption": 1.0, "civil_violence.corruption_loss": 0.2}
    clean, dirty = [], []
    for seed in range(3):
        a = run(epstein, seed, 200)
        b = run(epstein, seed, 200, **keys)
        assert a.results.column("extortions").sum() == 0
        assert (a.results.column("perceived_legitimacy") == 0.82).all()
        assert b.results.column("extortions").sum() > 0
        assert b.results.column("perceived_legitimacy")[-1] < 0.82
        clean.append(a.results.column("active").mean())
        dirty.append(b.results.column("active").mean())
    assert np.mean(dirty) > 1.5 * np.mean(clean), (clean, dirty)


def test_jail_on_grid_keeps_the_jailed_on_their_cells(epstein):
    model = run(epstein, 4, 60, **{"civil_violence.jail_on_grid": True})
    lat = model.lattice
    jailed = lat.state == CV_JAILED
    assert jailed.any()
    assert (lat.pos[: lat.n_citizens][jailed] >= 0).all()
    assert (lat.kind[lat.pos[: lat.n_citizens][jailed]] == CV_JAILED).all()
    assert model.jailed_off_lattice() == 0
    paper = run(epstein, 4, 60)
    assert paper.jailed_off_lattice() > 0
