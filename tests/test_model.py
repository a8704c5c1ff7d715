"""CrimeModel: the Mesa API, the schedule of results, the grid, and run invariants."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd
import pytest
from mesa.discrete_space import OrthogonalMooreGrid

from sim import CrimeModel
from sim.config import (
    AT_HOME,
    BURGLARY,
    CRIME_TYPES,
    DEAD,
    DOMESTIC_OFFENDER,
    EV_ARRESTED,
    EV_BRIBED,
    EV_CELL,
    EV_OFFENDER,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    GROUPS,
    IN_PUBLIC,
    JAILED,
    NO_GANG,
    STREET_CRIMES,
)
from sim.kernels.court import REMAND
from sim.metrics.recorder import INTEGER_METRICS, METRICS
from sim.scenario import flatten


# --- the Mesa model --------------------------------------------------------------------------
def test_is_a_mesa_model(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    assert isinstance(model, mesa.Model)
    assert model.scenario is small_scenario
    assert model.tick == 0


def test_arguments_are_keyword_only(small_scenario):
    with pytest.raises(TypeError):
        CrimeModel(small_scenario)  # type: ignore[misc]
    with pytest.raises(TypeError):
        CrimeModel(small_scenario, 1)  # type: ignore[misc]


def test_run_for_gives_one_row_per_tick(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    model.run_for(24 * 3)
    df = model.results.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 72
    assert df["tick"].tolist() == list(range(72))
    assert list(df.columns) == ["tick", *METRICS]
    assert df["day"].tolist() == [t // 24 for t in range(72)]
    assert df["hour"].tolist() == [t % 24 for t in range(72)]
    assert model.tick == 72 and model.day == 3 and model.hour == 0
    model.run_for(5)  # runs continue where they stopped
    assert model.results.to_frame()["tick"].tolist() == list(range(77))


def test_run_days(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    seen = []
    model.run_days(2.5, callback=lambda m: seen.append(m.tick))
    assert seen == [24, 48]
    assert model.tick == 60


def test_datacollector_collects_every_day(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    assert isinstance(model.datacollector, mesa.DataCollector)
    model.run_for(24 * 3)
    mv = model.datacollector.get_model_vars_dataframe()
    assert len(mv) == 3
    df = model.results.to_frame()
    # Each collection holds the values of the last tick of its day.
    for k in range(3):
        last = df.iloc[24 * (k + 1) - 1]
        assert mv["offenders_free"].iloc[k] == last["offenders_free"]
        assert mv["crimes_total"].iloc[k] == last["crimes_total"]


def test_collect_every_is_honoured(small_scenario):
    sc = small_scenario.with_overrides({"metrics.collect_every": 6})
    model = CrimeModel(scenario=sc, rng=1, agent_views=False)
    model.run_for(24)
    assert len(model.datacollector.get_model_vars_dataframe()) == 4


def test_grid_shares_memory_with_the_city(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    grid = model.grid
    assert isinstance(grid, OrthogonalMooreGrid)
    assert grid is model.grid  # built once
    assert grid.dimensions == (40, 40)
    x, y = 7, 3
    model.city.lighting[y, x] = 0.123
    assert grid.lighting.data[x, y] == 0.123
    assert grid[(x, y)].lighting == 0.123
    grid.lighting.data[x, y] = 0.456  # and back
    assert model.city.lighting[y, x] == 0.456
    np.testing.assert_array_equal(grid.a0.data, model.city.a0.T)
    # Layers the kernels change show up on the grid as the run goes on.
    model.run_for(24)
    np.testing.assert_array_equal(grid.b.data, model.city.b.T)


# --- invariants over a busy 10-day run, checked tick by tick -----------------------------------
BUSY = {
    "offenders.count": 300,
    "offenders.gang_share": 0.6,
    "police.count": 40,
    "police.detect_prob": 1.0,
    "police.deterrence_radius": 2,
    "police.corrupt_share": 0.3,
    "flows.recruitment_rate": 0.002,
    "flows.desistance_rate": 0.01,
    "justice.hearing_days": 1.0,  # the court decides within the ten days
    "justice.court_cases_per_100k": 10_000.0,  # and keeps up with a busy small city
    **{f"crime.{t}.jail_days": 1.5 for t in CRIME_TYPES},
    **{f"crime.{t}.arrest_prob": 0.9 for t in CRIME_TYPES},
    **{f"crime.{t}.rate": 5 * flatten()[f"crime.{t}.rate"].default for t in CRIME_TYPES},
}


@dataclass
class Tick:
    tick: int
    slot_gang: np.ndarray  # each slot's gang and resident as the tick ended
    slot_resident: np.ndarray
    pre_state: np.ndarray
    pre_release: np.ndarray
    post_state: np.ndarray
    post_release: np.ndarray
    born: np.ndarray
    events: np.ndarray
    res_state: np.ndarray
    res_pos: np.ndarray
    legit_min: float
    legit_max: float


@pytest.fixture(scope="module")
def busy_run(small_scenario):
    """Ten days of a small city with many offenders, arrests and short jail terms."""
    model = CrimeModel(scenario=small_scenario.with_overrides(BUSY), rng=13)
    n_res = model.residents.n
    ticks = []
    for t in range(240):
        off = model.offenders
        pre_state, pre_release = off.state.copy(), off.release.copy()
        n_before = len(model.events)
        model.run_for(1)
        off = model.offenders  # arrays are replaced when the pool grows
        grown = off.capacity - pre_state.shape[0]  # new slots were empty before the tick
        pre_state = np.concatenate([pre_state, np.full(grown, DEAD, pre_state.dtype)])
        pre_release = np.concatenate([pre_release, np.zeros(grown, pre_release.dtype)])
        res = model.residents
        ticks.append(Tick(
            tick=t, slot_gang=off.gang.copy(), slot_resident=off.resident.copy(),
            pre_state=pre_state, pre_release=pre_release,
            post_state=off.state.copy(), post_release=off.release.copy(),
            born=off.born.copy(), events=model.events.array[n_before:].copy(),
            res_state=res.state.copy(), res_pos=res.pos.copy(),
            legit_min=float(res.legitimacy.min()), legit_max=float(res.legitimacy.max())))
        assert res.n == n_res
    return model, ticks


def test_busy_run_is_busy(busy_run):
    model, _ = busy_run
    totals = model.results.totals()
    assert totals["crimes_total"] > 50
    assert totals["arrests"] > 5 and totals["releases"] > 0
    assert totals["recruits"] > 0 and totals["desistances"] > 0
    assert totals["crimes_gang_violence"] > 0 and totals["crimes_burglary"] > 0


def test_counts_are_non_negative_and_finite(busy_run):
    model, _ = busy_run
    df = model.results.to_frame()
    assert len(df) == 240
    for col in INTEGER_METRICS:
        assert (df[col] >= 0).all(), col
    # Every group is non-empty here, so nothing may be NaN.
    assert not df.isna().any().any(), df.columns[df.isna().any()].tolist()
    assert np.isfinite(df.to_numpy(dtype=float)).all()
    crimes = df[[f"crimes_{t}" for t in CRIME_TYPES]].sum(axis=1)
    assert (df["crimes_total"] == crimes).all()
    assert (df["reported_crimes"] <= df["crimes_total"]).all()
    assert (df["arrests"] + df["bribes"] <= df["crimes_total"]).all()
    assert (df["residents_in_public"] <= model.residents.n).all()
    assert (df["offenders_active"] <= df["offenders_free"]).all()
    assert (df["gang_members"] <= df["offenders_free"] + df["offenders_jailed"]).all()


def test_legitimacy_and_fear_of_an_empty_group_are_nan_only_there(small_scenario):
    sc = small_scenario.with_overrides({"residents.marginalised_share": 0.0})
    model = CrimeModel(scenario=sc, rng=2, agent_views=False)
    model.run_for(48)
    df = model.results.to_frame()
    assert df["legitimacy_marginalised"].isna().all()
    assert df["fear_marginalised"].isna().all()  # mean fear of nobody, as legitimacy
    others = df.drop(columns=["legitimacy_marginalised", "fear_marginalised"])
    assert not others.isna().any().any()


def test_offender_pool_matches_metrics(busy_run):
    model, ticks = busy_run
    df = model.results.to_frame()
    for rec, (_, row) in zip(ticks, df.iterrows(), strict=True):
        alive = int((rec.post_state != DEAD).sum())
        jailed = int((rec.post_state == JAILED).sum())
        assert row["offenders_free"] + row["offenders_jailed"] == alive, rec.tick
        assert row["offenders_jailed"] == jailed, rec.tick
        assert row["offenders_free"] == int((rec.post_state == FREE).sum()), rec.tick


def test_releases_match_jail_terms(busy_run):
    model, ticks = busy_run
    df = model.results.to_frame()
    released = 0
    for rec in ticks:
        due = int(((rec.pre_state == JAILED) & (rec.pre_release <= rec.tick)).sum())
        if rec.tick % model.ticks_per_day == 0:
            # the court's sitting (hour 0, before the release) may also free the remanded
            # it acquits or whose time on remand covers the sentence
            remanded = int(((rec.pre_state == JAILED) & (rec.pre_release == REMAND)).sum())
            assert due <= df["releases"].iloc[rec.tick] <= due + remanded, rec.tick
            due = int(df["releases"].iloc[rec.tick])
        assert df["releases"].iloc[rec.tick] == due, rec.tick
        # Nobody stays jailed past the end of the term.
        still = (rec.post_state == JAILED) & (rec.post_release <= rec.tick)
        assert not still.any(), rec.tick
        released += due
    assert released > 0


def test_jailed_offenders_do_not_offend(busy_run):
    _, ticks = busy_run
    n_events = 0
    for rec in ticks:
        ev = rec.events
        n_events += len(ev)
        assert (ev[:, EV_TICK] == rec.tick).all()
        for o in ev[:, EV_OFFENDER]:
            locked_up = rec.pre_state[o] == JAILED and rec.pre_release[o] > rec.tick
            assert not locked_up, f"offender {o} offended at tick {rec.tick} while jailed"
            if rec.pre_state[o] == DEAD:  # only a recruit of this very tick
                assert rec.born[o] == rec.tick, (o, rec.tick)
        # One crime per offender per tick: an offender who acts stops for the tick.
        assert len(set(ev[:, EV_OFFENDER].tolist())) == len(ev), rec.tick
    assert n_events > 50


def test_only_arrested_offenders_are_jailed(busy_run):
    """Jailed on arrest (remanded), or by the court's daily sitting for an earlier arrest.

    The illicit market's extortion arrests (ODD §7.24) are made at the day's first tick
    and leave no crime event: a gang member jailed then without an arrest on record
    must be one of them, and there can be no more such jailings than the tick's
    ``extortion_arrests``.
    """
    model, ticks = busy_run
    extortion_arrests = model.results.column("extortion_arrests")
    jailings = 0
    ever_arrested: set[int] = set()
    for rec in ticks:
        ev = rec.events
        assert not ((ev[:, EV_ARRESTED] == 1) & (ev[:, EV_BRIBED] == 1)).any()
        arrested = set(ev[ev[:, EV_ARRESTED] == 1, EV_OFFENDER].tolist())
        was_out = (rec.pre_state != JAILED) | (rec.pre_release <= rec.tick)
        newly_jailed = np.flatnonzero(was_out & (rec.post_state == JAILED))
        sitting = rec.tick % model.ticks_per_day == 0  # the court decides at hour 0
        allowed = arrested | ever_arrested if sitting else arrested
        ever_arrested |= arrested
        unexplained = set(newly_jailed.tolist()) - allowed
        if sitting:  # extortion arrests: gang members, at most the day's count
            assert all(rec.slot_gang[o] != NO_GANG for o in unexplained), rec.tick
            assert len(unexplained) <= extortion_arrests[rec.tick], rec.tick
            unexplained.clear()
        assert not unexplained, rec.tick
        for o in newly_jailed:
            assert rec.post_release[o] > rec.tick
        jailings += len(newly_jailed)
    assert jailings > 0


def test_victims_are_where_the_crime_is(busy_run):
    model, ticks = busy_run
    res = model.residents
    checked = {"street": 0, "burglary": 0, "home": 0}
    domestic = model.offenders.kind == DOMESTIC_OFFENDER
    for rec in ticks:
        for row in rec.events:
            k, c, v = row[EV_TYPE], row[EV_CELL], row[EV_VICTIM]
            if domestic[row[EV_OFFENDER]]:
                # violence at home: the abuser's target, at home, in their home cell
                assert v == model.offenders.target[row[EV_OFFENDER]]
                assert res.home[v] == c and rec.res_state[v] == AT_HOME, (rec.tick, k)
                checked["home"] += 1
            elif k in STREET_CRIMES:
                assert v >= 0
                assert rec.res_pos[v] == c and rec.res_state[v] == IN_PUBLIC, (rec.tick, k)
                checked["street"] += 1
            elif k == GANG_VIOLENCE and v >= 0:
                # the victim is the attacked rival: a resident who is a rival gang's
                # member (as the tick ended: the slot may be someone else's later)
                rival_gangs = rec.slot_gang[(rec.slot_resident == v)
                                            & (rec.post_state != DEAD)]
                assert (rival_gangs != -1).any()
                assert (rival_gangs != rec.slot_gang[row[EV_OFFENDER]]).any()
            elif k == BURGLARY:
                assert v >= 0  # a household, whose home is the cell and who are all out
                members = range(res.hh_first[v], res.hh_first[v] + res.hh_size[v])
                assert res.home[res.hh_first[v]] == c
                assert all(rec.res_state[i] != AT_HOME for i in members), rec.tick
                checked["burglary"] += 1
    assert checked["street"] > 20 and checked["burglary"] >= 3  # enough cases checked


def test_victim_counts_match_metrics_and_events(busy_run):
    model, _ = busy_run
    res = model.residents
    df = model.results.to_frame()
    ev = model.events.array
    counts = res.victim_counts
    assert counts.sum() == df["victimisations_everyone"].sum()
    for k in STREET_CRIMES:
        assert counts[:, k].sum() == df[f"crimes_{CRIME_TYPES[k]}"].sum()
    burgled = ev[ev[:, EV_TYPE] == BURGLARY, EV_VICTIM]
    assert counts[:, BURGLARY].sum() == res.hh_size[burgled].sum()
    for g in GROUPS[1:]:
        assert df[f"victimisations_{g}"].sum() <= df["victimisations_everyone"].sum()


def test_legitimacy_stays_in_unit_interval(busy_run):
    model, ticks = busy_run
    assert min(r.legit_min for r in ticks) >= 0.0
    assert max(r.legit_max for r in ticks) <= 1.0
    df = model.results.to_frame()
    for g in GROUPS:
        col = df[f"legitimacy_{g}"]
        assert ((col >= 0) & (col <= 1)).all(), g


def test_crime_layers_match_metrics(busy_run):
    model, _ = busy_run
    df = model.results.to_frame()
    cc = model.city.crime_count
    assert cc.shape == (len(CRIME_TYPES), 40, 40)
    for k, t in enumerate(CRIME_TYPES):
        assert cc[k].sum() == df[f"crimes_{t}"].sum(), t
    assert cc.sum() == df["crimes_total"].sum() == len(model.events)
    ev = model.events.to_frame()
    for k, t in enumerate(CRIME_TYPES):
        cells = ev.loc[ev["crime_type"] == t, "cell"].to_numpy()
        np.testing.assert_array_equal(
            np.bincount(cells, minlength=40 * 40), cc[k].ravel(), err_msg=t)


def test_mean_attractiveness_is_a0_plus_b(busy_run):
    model, _ = busy_run
    df = model.results.to_frame()
    a0, b = model.city.a0, model.city.b
    last = df.iloc[-1]
    assert last["mean_b"] == pytest.approx(b.mean(), rel=1e-12, abs=1e-15)
    assert last["mean_attractiveness"] == pytest.approx(a0.mean() + b.mean(), rel=1e-12)
    np.testing.assert_allclose(df["mean_attractiveness"] - df["mean_b"], a0.mean(),
                               rtol=1e-12)
    assert df["mean_b"].max() > 0  # crimes did raise B


def test_prevalence(busy_run):
    model, _ = busy_run
    prev = model.prevalence()
    assert prev["days"] == pytest.approx(10.0)
    assert set(prev["groups"]) == set(GROUPS)
    for g, row in prev["groups"].items():
        assert row["n"] > 0
        for key in (*CRIME_TYPES, "any"):
            assert 0.0 <= row[key] <= 1.0, (g, key)
        assert row["any"] >= max(row[t] for t in CRIME_TYPES)
    everyone = prev["groups"]["everyone"]
    assert everyone["n"] == model.residents.n
    victimised = (model.residents.victim_counts > 0).any(axis=1).mean()
    assert everyone["any"] == pytest.approx(victimised)
    assert 0.0 <= prev["households_burgled"] <= 1.0


def test_yearly_prevalence_after_a_year(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=6, agent_views=False)
    model.run_for(365 * 24)
    assert model.yearly_prevalence == []  # the year closes at the next midnight
    model.run_for(24)
    assert len(model.yearly_prevalence) == 1
    year = model.yearly_prevalence[0]
    assert year["year"] == 1
    assert set(year["groups"]) == set(GROUPS)
    for row in year["groups"].values():
        for key in (*CRIME_TYPES, "any"):
            assert 0.0 <= row[key] <= 1.0
    assert year["groups"]["everyone"]["any"] > 0
    # The survey year restarts: the current period is one day long.
    assert model.prevalence()["days"] == pytest.approx(1.0)


def test_runs_longer_than_time_days(small_scenario):
    """``time.days`` is only the default length: the results table grows as needed."""
    model = CrimeModel(scenario=small_scenario.with_overrides({"time.days": 1}), rng=1,
                       agent_views=False)
    model.run_for(24 * 3 + 5)
    df = model.results.to_frame()
    assert df["tick"].tolist() == list(range(77))
    assert (df["offenders_free"] + df["offenders_jailed"] > 0).all()


def test_mean_attractiveness_follows_changes_to_a0(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    model.run_for(24)
    model.city.a0 *= 0.5  # an intervention or the dashboard lowering A0 in place
    model.run_for(1)
    last = model.results.to_frame().iloc[-1]
    assert last["mean_attractiveness"] == pytest.approx(
        model.city.a0.mean() + model.city.b.mean(), rel=1e-12)
