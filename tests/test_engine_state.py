"""The crime engine's state, levers and plan (sim/crime/state.py, levers.py, plan.py).

The plan is data in ODD order; levers are the one place rates live (a change is read
by the next phase); the state's public names replace the private attributes that
plug-ins and analysis used to reach.
"""

from __future__ import annotations

import numpy as np
import pytest
from repo_paths import ROOT

from sim.crime.levers import Levers
from sim.crime.model import CrimeModel
from sim.crime.plan import DAILY_PLAN, HOURLY_PLAN
from sim.crime.state import EngineState
from sim.kernels.arrays import CellArrays, OffenderArrays, ResidentArrays
from sim.kernels.domestic import P_ASSAULT, P_SEXUAL


@pytest.fixture
def model(small_scenario):
    return CrimeModel(scenario=small_scenario, rng=3, agent_views=False)


def test_the_plan_lists_the_odd_steps_in_order():
    numbered = [int(ph.odd_section) for ph in HOURLY_PLAN if ph.odd_section.isdigit()
                and ph.name not in ("open row",)]
    assert numbered == sorted(numbered)
    assert set(numbered) == set(range(1, 11))  # steps 1 to 10, each at least once
    assert HOURLY_PLAN[0].odd_section == "0b"  # the interventions' hooks come first
    assert {ph.odd_section for ph in DAILY_PLAN} == {"0a"}
    names = [ph.name for ph in DAILY_PLAN + HOURLY_PLAN]
    assert len(names) == len(set(names))


def test_the_model_runs_its_plan(model):
    daily_plan, hourly_plan = model.plan
    assert daily_plan == DAILY_PLAN and hourly_plan == HOURLY_PLAN
    assert isinstance(model.state, EngineState) and isinstance(model.levers, Levers)
    model.run_for(3)
    assert model.tick == 3 and model.clock.tick == 2 and model.clock.hour == 2


def test_levers_refuse_unknown_names(model):
    with pytest.raises(AttributeError):
        model.levers.bribe_probability = 0.5  # a typo must not pass silently


def test_per_type_rates_are_the_levers_arrays(model):
    assert model.crime_rates is model.levers.crime_rates
    assert model.arrest_probs is model.levers.arrest_probs
    assert model.report_probs is model.levers.report_probs
    assert model.clearance_probs is model.levers.clearance_probs
    model.run_for(168)  # a small city: a few crimes a day, so a week to be sure of one
    assert model.results.to_frame()["crimes_total"].sum() > 0
    model.levers.crime_rates[:] = 0.0  # in place: the next offenders' hour reads it
    # violence at home has its own rates (relationships.*), also levers changed in place
    model.levers.relationships[[P_ASSAULT, P_SEXUAL]] = 0.0
    model.run_for(24)
    assert model.results.to_frame()["crimes_total"].iloc[168:].sum() == 0


def test_scalar_levers_are_read_every_tick(model):
    model.run_for(24)
    model.levers.active_day = model.levers.active_evening = model.levers.active_night = 0.0
    model.levers.always_active = False
    model.run_for(24)
    # With outings (awareness.enabled) no one starts one now; those out finish theirs,
    # which last at most 2 * outing_hours - 1 hours.
    longest = 2 * model.levers.aw_hours - 1 if model.levers.aw_enabled else 0
    active = model.results.to_frame()["offenders_active"]
    assert (active.iloc[24 + longest:] == 0).all()


def test_hot_spot_list_is_public_and_refreshed_on_refresh_days(model):
    model.run_for(1)  # the daily tasks of day 0 map the list
    assert model.state.justice.hot_cells.size == model.levers.hotspot_cells
    model.state.justice.hot_cells = np.array([5], np.int64)  # as a plug-in sets it
    model.run_for(24 * model.levers.hotspot_refresh_days)  # the next refresh re-maps it
    # the analyst's list, plus the shared cases' cells police read (ODD §7.26)
    assert model.state.justice.hot_cells.size >= model.levers.hotspot_cells


def test_refresh_guardianship_counts_new_guards(model):
    p = model.p
    cell = int(np.argmin(model.city.guardianship.ravel()))
    before = model.city.guardianship.ravel()[cell]
    model.guards = type(model.guards)(pos=np.append(model.guards.pos, cell))
    model.refresh_guardianship()
    assert model.state.guards is model.guards
    assert model.city.guardianship.ravel()[cell] == pytest.approx(
        before + p.security.guard_deterrence)


def test_refresh_police_weight_follows_corruption(model):
    pol = model.police
    pol.corrupt[:] = False
    pol.corrupt[0] = True
    model.refresh_police_weight()
    weight = model.state.fields.police_weight
    assert weight[0] == model.p.police.corrupt_deterrence
    assert (weight[1:] == 1.0).all()


def test_packed_containers_hold_the_live_arrays(model):
    off = OffenderArrays(*model.state.packed_offenders())
    res = ResidentArrays(*model.state.packed_residents())
    cells = CellArrays(*model.state.city.packed)
    assert off.pos is model.offenders.pos and off.free_top is model.offenders.free_top
    assert res.legitimacy is model.residents.legitimacy
    assert np.shares_memory(cells.b, model.city.b) and cells.width == model.city.width
    capacity = model.offenders.capacity
    model.state.grow_offenders()
    assert model.offenders.capacity == 2 * capacity
    assert OffenderArrays(*model.state.packed_offenders()).pos is model.offenders.pos
    assert model.state.scratch.events.shape[0] == model.offenders.capacity + 1
    assert model.state.scratch.moving.shape[0] == model.offenders.capacity


def test_group_masks_are_public(model):
    masks = model.group_masks()
    assert masks["everyone"].sum() == model.residents.n


def test_the_odd_schedule_names_the_plan():
    """docs/ODD.md §3.1 has a row for every step of the plan and names the plan."""
    odd = (ROOT / "docs" / "ODD.md").read_text()
    section = odd[odd.index("### 3.1"):odd.index("### 3.3")]
    rows = {line.split("|")[1].strip() for line in section.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip()[:1].isdigit()}
    assert {ph.odd_section for ph in HOURLY_PLAN} <= rows
    assert "DAILY_PLAN" in section and "HOURLY_PLAN" in section
