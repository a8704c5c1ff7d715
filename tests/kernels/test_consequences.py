"""sim.kernels.consequences.consequences: what follows a tick's crimes, from the packed
containers the model passes.

Expected values: the composed kernels called one by one (victimise, report, respond,
after_response, remove_transient; each tested against its own plain-numpy reference)
and the tallies counted with numpy from the resulting events: crimes per type and
cell, reported crimes (and their heat), arrests, bribes, and E for the near-repeat
types.
"""

from __future__ import annotations

import containers
import numpy as np
import pytest
from test_victims import make_world as victims_world

from sim.config import EV_ARRESTED, EV_BRIBED, EV_CELL, EV_REPORTED, EV_TYPE, GROUPS, N_CRIME
from sim.kernels.arrest import justice_off, respond
from sim.kernels.consequences import consequences
from sim.kernels.court import empty_court
from sim.kernels.event_context import annotate
from sim.kernels.flows import remove_transient
from sim.kernels.legitimacy import after_response, report
from sim.kernels.victims import victimise

SEEDS = range(6)
TICK = 100
#: Cell side in metres for the journey lengths.
CELL_M = 50.0
SCALARS = dict(bystander_prob=0.5, report_slope=2.0, legit_ref=0.5, radius=1, detect_prob=0.6,
               bribe_prob=0.4, cctv_detection=0.5, conviction_prob=0.7, fair_gain=0.1,
               unanswered_loss=0.05)


def make_world(seed, transient):
    w = victims_world(seed)
    g = np.random.default_rng(700 + seed)
    n_cells, n_off, n_res = w.public_count.size, w.o_pos.size, w.age.size
    offender_of = np.full(n_res, -1, np.int64)
    linked = np.flatnonzero(w.o_resident >= 0)
    offender_of[w.o_resident[linked]] = linked
    events = w.events[w.first:w.n_events].copy()
    world = dict(
        events=events, transient=transient,
        off=dict(pos=w.o_pos, state=w.o_state, active=w.o_active, gang=w.o_gang,
                 resident=w.o_resident, release=np.zeros(n_off, np.int64),
                 arrests=np.zeros(n_off, np.int64), free_stack=np.zeros(n_off, np.int64),
                 free_top=np.zeros(1, np.int64)),
        res=dict(hh_first=w.hh_first, hh_size=w.hh_size, age=w.age, female=w.female,
                 marginalised=w.marginalised, legitimacy=w.legitimacy,
                 victim_counts=np.zeros((n_res, N_CRIME), np.int64), offender_of=offender_of,
                 public_count=w.public_count, public_start=w.public_start,
                 public_order=w.public_order, home=g.integers(0, n_cells, n_res),
                 state=g.integers(0, 3, n_res).astype(np.int8),
                 travelling=g.random(n_res) < 0.3),
        police=dict(pos=g.integers(0, n_cells, 4), corrupt=g.random(4) < 0.5),
        cells=dict(cctv=np.where(g.random(n_cells) < 0.5, 0.5, 0.0),
                   district=g.integers(0, 2, n_cells), e_field=np.zeros(n_cells),
                   crime_count=np.zeros((N_CRIME, n_cells), np.int64),
                   reported_heat=np.zeros(n_cells), width=w.width,
                   land_use=g.integers(0, 6, n_cells), height=n_cells // w.width),
        rates=dict(report=g.uniform(0.2, 0.9, N_CRIME), arrest=g.uniform(0.2, 0.9, N_CRIME),
                   clearance=g.uniform(0.0, 0.3, N_CRIME),
                   jail_ticks=g.uniform(10.0, 100.0, N_CRIME),
                   near_repeat=np.arange(N_CRIME) == 0),
        grievance=w.grievance, gang_radius=w.gang_radius, victim_loss=w.victim_loss)
    return world


def copies(world):
    """Fresh containers of copied arrays (each run changes its own)."""
    def cp(d):
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    return (containers.offenders(**cp(world["off"])), containers.residents(**cp(world["res"])),
            containers.police(**cp(world["police"])), containers.cells(**cp(world["cells"])),
            containers.rates(**world["rates"]), world["events"].copy(),
            world["grievance"].copy())


def run_kernel(world, seed):
    off, res, police, cells, rates, events, grievance = copies(world)
    bribes, groups, counts = np.zeros(2, np.int64), np.zeros(len(GROUPS), np.int64), \
        np.zeros((2, N_CRIME), np.int64)
    s = SCALARS
    consequences(TICK, events, events.shape[0], tuple(off), tuple(res), tuple(police),
                 tuple(cells), tuple(rates), grievance, bribes, groups, counts,
                 world["transient"], world["gang_radius"], s["bystander_prob"],
                 world["victim_loss"], s["report_slope"], s["legit_ref"], s["radius"],
                 s["detect_prob"], s["bribe_prob"], s["cctv_detection"], s["conviction_prob"],
                 s["fair_gain"], s["unanswered_loss"], CELL_M, np.random.default_rng(seed),
                 np.zeros(4), tuple(empty_court(1)), np.zeros(3, np.int64))
    return off, res, cells, events, grievance, bribes, groups, counts


def run_composed(world, seed):
    off, res, police, cells, rates, events, grievance = copies(world)
    bribes, groups = np.zeros(2, np.int64), np.zeros(len(GROUPS), np.int64)
    rng, n, s = np.random.default_rng(seed), events.shape[0], SCALARS
    victimise(events, 0, n, off, res, grievance, world["gang_radius"], cells.width,
              s["bystander_prob"], world["victim_loss"], groups, rng)
    annotate(events, 0, n, res.home, res.state, res.travelling, res.hh_first, cells.land_use,
             cells.width, cells.height, cells.periodic, CELL_M)
    report(events, 0, n, res.legitimacy, res.hh_first, rates.report, s["report_slope"],
           s["legit_ref"], rng)
    respond(events, 0, n, TICK, police, off, cells, rates, s["radius"], s["detect_prob"],
            s["bribe_prob"], s["cctv_detection"], s["conviction_prob"], bribes, rng,
            *justice_off())
    after_response(events, 0, n, res.legitimacy, res.hh_first, res.hh_size, s["fair_gain"],
                   s["unanswered_loss"])
    if world["transient"]:
        remove_transient(events, 0, n, off.state, off.resident, res.offender_of,
                         off.free_stack, off.free_top)
    # the tallies, counted with numpy from the events
    k, c = events[:, EV_TYPE], events[:, EV_CELL]
    reported = events[:, EV_REPORTED] != 0
    counts = np.zeros((2, N_CRIME), np.int64)
    counts[0] = np.bincount(k, minlength=N_CRIME)
    counts[1, :3] = reported.sum(), events[:, EV_ARRESTED].sum(), events[:, EV_BRIBED].sum()
    np.add.at(cells.crime_count, (k, c), 1)
    np.add.at(cells.reported_heat, c[reported], 1.0)
    np.add.at(cells.e_field, c[rates.near_repeat[k]], 1.0)
    return off, res, cells, events, grievance, bribes, groups, counts


@pytest.mark.parametrize("transient", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_consequences_is_its_composition(seed, transient):
    world = make_world(seed, transient)
    got, want = run_kernel(world, seed), run_composed(world, seed)
    for name in ("state", "release", "arrests", "resident", "free_stack", "free_top"):
        np.testing.assert_array_equal(getattr(got[0], name), getattr(want[0], name), name)
    for name in ("legitimacy", "victim_counts", "offender_of"):
        np.testing.assert_array_equal(getattr(got[1], name), getattr(want[1], name), name)
    for name in ("crime_count", "reported_heat", "e_field"):
        np.testing.assert_array_equal(getattr(got[2], name), getattr(want[2], name), name)
    for g, e in zip(got[3:], want[3:], strict=True):
        np.testing.assert_array_equal(g, e)
    assert want[7][0].sum() == world["events"].shape[0]  # every event counted once


def test_the_worlds_exercise_reports_arrests_and_bribes():
    totals = sum(run_kernel(make_world(seed, False), seed)[7][1] for seed in SEEDS)
    assert (totals[:3] > 0).all()  # reported, arrests, bribes all happen somewhere
