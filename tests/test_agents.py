"""Mesa agent views on the agent arrays (sim.crime.agents)."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from sim import CrimeModel
from sim.config import AGE_GROUPS, CRIME_TYPES, DEAD, DOMESTIC_OFFENDER, JAILED, STRATEGIES
from sim.crime.agents import Guard, Offender, Officer, OutreachWorker, Resident

VIEW_TYPES = (Resident, Offender, Officer, OutreachWorker, Guard)


@pytest.fixture
def model(small_scenario) -> CrimeModel:
    return CrimeModel(scenario=small_scenario, rng=4)


def alive_slots(model: CrimeModel) -> set[int]:
    return {int(i) for i in np.flatnonzero(model.offenders.state != DEAD)}


def offender_view_indices(model: CrimeModel) -> list[int]:
    return [a.index for a in model.agents_by_type[Offender]]


def test_every_kind_of_agent_has_views(model):
    by_type = model.agents_by_type
    for kind in VIEW_TYPES:
        assert kind in by_type, kind.__name__
        assert issubclass(kind, mesa.Agent)
    assert len(by_type[Resident]) == model.residents.n == 3000
    assert len(by_type[Officer]) == model.police.n == 6
    assert len(by_type[OutreachWorker]) == model.workers.n == 3
    assert len(by_type[Guard]) == model.guards.n == 5
    abusers = int((model.offenders.kind == DOMESTIC_OFFENDER).sum())  # violence at home
    assert len(by_type[Offender]) == len(alive_slots(model)) == 60 + abusers
    assert len(model.agents) == 3000 + 6 + 3 + 5 + 60 + abusers


def test_views_index_each_array_slot_once(model):
    for kind, n in ((Resident, model.residents.n), (Officer, model.police.n),
                    (OutreachWorker, model.workers.n), (Guard, model.guards.n)):
        assert sorted(a.index for a in model.agents_by_type[kind]) == list(range(n))
    assert sorted(offender_view_indices(model)) == sorted(alive_slots(model))
    ids = [a.unique_id for a in model.agents]
    assert len(set(ids)) == len(ids)


def test_resident_view_reads_and_writes_the_array(model):
    view = next(a for a in model.agents_by_type[Resident] if a.index == 17)
    res = model.residents
    assert view.legitimacy == pytest.approx(res.legitimacy[17])
    assert isinstance(view.legitimacy, float)
    view.legitimacy = 0.123
    assert res.legitimacy[17] == 0.123
    res.legitimacy[17] = 0.987
    assert view.legitimacy == 0.987
    assert view.age_group == AGE_GROUPS[int(res.age[17])]
    assert view.female == bool(res.female[17])
    x, y = view.home
    assert y * model.city.width + x == res.home[17]
    assert set(view.victimisations) == set(CRIME_TYPES)


def test_position_is_shared_both_ways(model):
    view = next(a for a in model.agents_by_type[Officer] if a.index == 2)
    w = model.city.width
    cell = int(model.police.pos[2])
    assert view.pos == (cell % w, cell // w)
    view.pos = (3, 5)
    assert model.police.pos[2] == 5 * w + 3
    model.police.pos[2] = 7 * w + 1
    assert view.pos == (1, 7)


def test_officer_offender_views(model):
    for officer in model.agents_by_type[Officer]:
        assert officer.strategy in STRATEGIES
        assert officer.corrupt == bool(model.police.corrupt[officer.index])
    off = model.offenders
    for view in model.agents_by_type[Offender]:
        i = view.index
        assert view.motivation == pytest.approx(off.motivation[i])
        assert view.gang == off.gang[i]
        assert view.status == ("jailed" if off.state[i] == JAILED else "free")
        r = view.resident
        assert r >= 0 and model.residents.offender_of[r] == i


def test_select_and_groupby(model):
    residents = model.agents_by_type[Resident]
    groups = residents.groupby("age_group")
    counts = groups.count()
    assert set(counts) == {"youth", "adult", "elderly"}
    ages = model.residents.age
    for k, name in enumerate(AGE_GROUPS):
        assert counts[name] == int((ages == k).sum())
    women = model.agents.select(lambda a: isinstance(a, Resident) and a.female)
    assert len(women) == int(model.residents.female.sum())
    trusting = residents.select(lambda a: a.legitimacy > 0.6)
    assert len(trusting) == int((model.residents.legitimacy > 0.6).sum())
    assert len(model.agents.select(agent_type=Guard)) == model.guards.n


def test_views_off_by_keyword(small_scenario):
    model = CrimeModel(scenario=small_scenario, rng=4, agent_views=False)
    assert len(model.agents) == 0
    model.run_for(48)
    assert len(model.agents) == 0
    assert model.residents.n == 3000  # the arrays are still there


def test_views_off_by_scenario_key(small_scenario):
    model = CrimeModel(scenario=small_scenario.with_overrides({"agents.views": False}), rng=4)
    assert len(model.agents) == 0
    model.run_for(24)
    assert len(model.agents) == 0


def test_keyword_overrides_scenario_key(small_scenario):
    sc = small_scenario.with_overrides({"agents.views": False})
    model = CrimeModel(scenario=sc, rng=4, agent_views=True)
    assert len(model.agents_by_type[Resident]) == 3000


def test_offender_views_follow_recruitment_and_desistance(small_scenario):
    # Faster flows so both happen often in 30 days.
    sc = small_scenario.with_overrides({"flows.recruitment_rate": 0.002,
                                        "flows.desistance_rate": 0.01})
    model = CrimeModel(scenario=sc, rng=21)
    born, gone = 0, 0
    before = alive_slots(model)
    for _ in range(30):
        model.run_for(24)
        now = alive_slots(model)
        born += len(now - before)
        gone += len(before - now)
        before = now
        assert sorted(offender_view_indices(model)) == sorted(now)
        assert len(model.agents_by_type[Offender]) == len(now)
    assert born > 0 and gone > 0
    # Every view still reads a live slot.
    for view in model.agents_by_type[Offender]:
        assert model.offenders.state[view.index] != DEAD


def test_offender_views_survive_pool_growth(small_scenario):
    sc = small_scenario.with_overrides({"offenders.capacity": 64,
                                        "flows.recruitment_rate": 0.01})
    model = CrimeModel(scenario=sc, rng=2)
    start = model.offenders.capacity
    model.run_for(24 * 10)
    assert model.offenders.capacity > start
    assert sorted(offender_view_indices(model)) == sorted(alive_slots(model))


def test_datacollector_with_agent_reporters(model):
    dc = mesa.DataCollector(
        model_reporters={"residents": lambda m: len(m.agents_by_type[Resident])},
        agent_reporters={"cell": "pos"},
        agenttype_reporters={Resident: {"legitimacy": "legitimacy"}},
    )
    dc.collect(model)
    first = len(model.agents)
    model.run_for(24)
    dc.collect(model)
    agents = dc.get_agent_vars_dataframe()
    assert len(agents) == first + len(model.agents)
    legit = dc.get_agenttype_vars_dataframe(Resident)
    assert len(legit) == 2 * 3000
    last = legit.xs(legit.index.get_level_values(0).max(), level=0)["legitimacy"].to_numpy()
    np.testing.assert_allclose(np.sort(last), np.sort(model.residents.legitimacy))
    assert dc.get_model_vars_dataframe()["residents"].tolist() == [3000, 3000]


def test_new_offender_in_a_reused_slot_gets_a_new_agent(root):
    from sim import Scenario

    sc = Scenario.load(root / "scenarios" / "short2008.toml").with_overrides(
        {"city.width": 20, "city.height": 20, "offenders.count": 40, "agents.views": True})
    model = CrimeModel(scenario=sc, rng=1)
    reborn = 0
    for _ in range(3000):
        before = {a.index: (a.unique_id, int(model.offenders.born[a.index]))
                  for a in model.agents_by_type[Offender]}
        model.run_for(1)
        for a in model.agents_by_type[Offender]:
            old = before.get(a.index)
            if old is not None and old[1] != int(model.offenders.born[a.index]):
                reborn += 1
                assert a.unique_id != old[0], "a different offender kept the old agent"
        if reborn >= 3:
            break
    assert reborn >= 1
