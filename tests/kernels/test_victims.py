"""sim.kernels.victims (victimise, tally) against plain-numpy references.

From the module docstring: burglary hurts every member of the burgled household; gang
violence targets a rival gang member (whose gang then holds a grievance against the
offender's gang) and, with ``bystander_prob``, also a resident in public at the cell;
every victim loses ``victim_loss`` of their legitimacy and is counted by type and group.
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import (
    ADULT,
    BURGLARY,
    ELDERLY,
    EV_CELL,
    EV_OFFENDER,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    GROUPS,
    IN_PUBLIC,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    NO_GANG,
    YOUTH,
)
from sim.kernels.victims import tally, victimise

INT = np.int64
SEEDS = range(8)


def group_flags(i, age, female, marginalised):
    """Membership of resident i in each of GROUPS (everyone, youth, adult, elderly,
    women and girls, men and boys, marginalised)."""
    flags = {
        "everyone": True,
        "youth": age[i] == YOUTH,
        "adult": age[i] == ADULT,
        "elderly": age[i] == ELDERLY,
        "women_and_girls": bool(female[i]),
        "men_and_boys": not female[i],
        "marginalised": bool(marginalised[i]),
    }
    return np.array([flags[g] for g in GROUPS], INT)


def make_world(seed, width=3, height=2, n_res=40, n_off=20, n_gangs=3, n_events=30):
    g = np.random.default_rng(500 + seed)
    n_cells = width * height
    w = SimpleNamespace(width=width, gang_radius=seed % 3)
    sizes = []
    while sum(sizes) < n_res:
        sizes.append(int(min(g.integers(1, 5), n_res - sum(sizes))))
    w.hh_size = np.array(sizes, INT)
    w.hh_first = np.concatenate([[0], np.cumsum(w.hh_size)[:-1]]).astype(INT)
    n_hh = w.hh_size.size
    w.age = g.integers(0, 3, n_res).astype(np.int8)
    w.female = g.random(n_res) < 0.5
    w.marginalised = g.random(n_res) < 0.3
    w.legitimacy = g.uniform(0.0, 1.0, n_res)
    w.victim_loss = float(g.uniform(0.0, 0.5))
    w.bystander_prob = float(g.uniform(0.2, 0.9))
    r_pos = g.integers(0, n_cells, n_res)
    r_state = g.integers(0, 3, n_res)
    in_public = np.flatnonzero(r_state == IN_PUBLIC)
    w.public_order = np.zeros(n_res, INT)
    w.public_order[: in_public.size] = in_public[np.argsort(r_pos[in_public], kind="stable")]
    w.public_count = np.bincount(r_pos[in_public], minlength=n_cells).astype(INT)
    w.public_start = np.concatenate([[0], np.cumsum(w.public_count)[:-1]]).astype(INT)
    w.o_pos = g.integers(0, n_cells, n_off).astype(INT)
    w.o_state = np.where(g.random(n_off) < 0.85, FREE, JAILED).astype(np.int8)
    w.o_active = g.random(n_off) < 0.85
    w.o_gang = g.integers(-1, n_gangs, n_off).astype(INT)
    # about half the offenders are residents (distinct ones), the rest are not
    w.o_resident = np.full(n_off, -1, INT)
    linked = np.flatnonzero(g.random(n_off) < 0.5)
    w.o_resident[linked] = g.choice(n_res, linked.size, replace=False)
    w.grievance = np.where(g.random((n_gangs, n_gangs)) < 0.3, 0.5, 0.0)
    # events: household victims for burglary, residents for street crimes, -1 for gangs
    ev = np.zeros((n_events + 3, N_EVENT_FIELDS), INT)
    ev[:, EV_TYPE] = g.integers(0, N_CRIME, n_events + 3)
    ev[:, EV_OFFENDER] = g.integers(0, n_off, n_events + 3)
    ev[:, EV_CELL] = g.integers(0, n_cells, n_events + 3)
    ev[:, EV_VICTIM] = g.integers(0, n_res, n_events + 3)
    burg = ev[:, EV_TYPE] == BURGLARY
    ev[burg, EV_VICTIM] = g.integers(0, n_hh, burg.sum())
    ev[g.random(n_events + 3) < 0.1, EV_VICTIM] = -1
    gang = ev[:, EV_TYPE] == GANG_VIOLENCE
    ev[gang, EV_VICTIM] = -1
    members = np.flatnonzero(w.o_gang != NO_GANG)
    ev[gang, EV_OFFENDER] = g.choice(members, gang.sum())
    at_home_cell = gang & (g.random(n_events + 3) < 0.7)
    ev[at_home_cell, EV_CELL] = w.o_pos[ev[at_home_cell, EV_OFFENDER]]
    w.events = ev
    w.first, w.n_events = 2, n_events + 2  # leave a row either side untouched
    return w


def run_victimise(w, rng):
    out = SimpleNamespace(
        events=w.events.copy(), grievance=w.grievance.copy(), legitimacy=w.legitimacy.copy(),
        counts=np.zeros((w.age.size, N_CRIME), np.int32), groups=np.zeros(len(GROUPS), INT),
    )
    off = containers.offenders(pos=w.o_pos, state=w.o_state, active=w.o_active, gang=w.o_gang,
                               resident=w.o_resident)
    res = containers.residents(
        public_count=w.public_count, public_start=w.public_start, public_order=w.public_order,
        hh_first=w.hh_first, hh_size=w.hh_size, age=w.age, female=w.female,
        marginalised=w.marginalised, legitimacy=out.legitimacy, victim_counts=out.counts)
    victimise(out.events, w.first, w.n_events, off, res, out.grievance, w.gang_radius,
              w.width, w.bystander_prob, w.victim_loss, out.groups, rng)
    return out


def ref_rival(w, i):
    """First active free member of another gang within gang_radius (Chebyshev) of i."""
    g = w.o_gang[i]
    if g == NO_GANG:
        return -1
    xi, yi = w.o_pos[i] % w.width, w.o_pos[i] // w.width
    for j in range(w.o_pos.size):
        xj, yj = w.o_pos[j] % w.width, w.o_pos[j] // w.width
        if (w.o_gang[j] not in (NO_GANG, g) and w.o_state[j] == FREE and w.o_active[j]
                and max(abs(xi - xj), abs(yi - yj)) <= w.gang_radius):
            return j
    return -1


def ref_victimise(w, rng):
    out = SimpleNamespace(
        events=w.events.copy(), grievance=w.grievance.copy(), legitimacy=w.legitimacy.copy(),
        counts=np.zeros((w.age.size, N_CRIME), np.int32), groups=np.zeros(len(GROUPS), INT),
    )
    for e in range(w.first, w.n_events):
        row = out.events[e]
        k, v = row[EV_TYPE], row[EV_VICTIM]
        if k == GANG_VIOLENCE:
            off = row[EV_OFFENDER]
            rival = ref_rival(w, off)
            v = -1
            if rival >= 0:
                out.grievance[w.o_gang[rival], w.o_gang[off]] = 1.0
                v = w.o_resident[rival]  # the attacked gang member, if a resident
            row[EV_VICTIM] = v
            c = row[EV_CELL]
            if rng.random() < w.bystander_prob and w.public_count[c] > 0:
                present = w.public_order[w.public_start[c]: w.public_start[c]
                                         + w.public_count[c]]
                b = present[int(rng.random() * present.size)]  # a bystander is hurt too
                out.counts[b, k] += 1
                out.legitimacy[b] *= 1.0 - w.victim_loss
                out.groups += group_flags(b, w.age, w.female, w.marginalised)
        if v < 0:
            continue
        # burglary hurts the whole household
        hurt = range(w.hh_first[v], w.hh_first[v] + w.hh_size[v]) if k == BURGLARY else [v]
        for i in hurt:
            out.counts[i, k] += 1
            out.legitimacy[i] *= 1.0 - w.victim_loss
            out.groups += group_flags(i, w.age, w.female, w.marginalised)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_victimise_matches_reference(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    got = run_victimise(w, rng)
    rng_ref = np.random.default_rng(seed)
    ref = ref_victimise(w, rng_ref)
    np.testing.assert_array_equal(got.events, ref.events)
    np.testing.assert_array_equal(got.grievance, ref.grievance)
    np.testing.assert_array_equal(got.counts, ref.counts)
    np.testing.assert_array_equal(got.groups, ref.groups)
    np.testing.assert_allclose(got.legitimacy, ref.legitimacy, rtol=1e-12, atol=0)
    assert rng.random() == rng_ref.random()  # same number of draws
    assert got.counts.sum() > 0


def test_reference_exercises_rivals_bystanders_and_grievances():
    rivals = bystanders = grievances = 0
    for seed in SEEDS:
        w = make_world(seed)
        got = run_victimise(w, np.random.default_rng(seed))
        rows = got.events[w.first:w.n_events]
        gang_rows = rows[:, EV_TYPE] == GANG_VIOLENCE
        n_rivals = (gang_rows & (rows[:, EV_VICTIM] >= 0)).sum()
        rivals += n_rivals
        bystanders += got.counts[:, GANG_VIOLENCE].sum() - n_rivals
        grievances += (got.grievance != w.grievance).sum()
    assert rivals > 0 and bystanders > 0 and grievances > 0


def test_attacked_rival_is_the_recorded_victim():
    w = make_world(3)
    got = run_victimise(w, np.random.default_rng(3))
    for row in got.events[w.first:w.n_events]:
        if row[EV_TYPE] == GANG_VIOLENCE and row[EV_VICTIM] >= 0:
            # the victim is a resident who is an offender of a rival gang
            rivals = np.flatnonzero(w.o_resident == row[EV_VICTIM])
            assert rivals.size == 1
            assert w.o_gang[rivals[0]] not in (NO_GANG, w.o_gang[row[EV_OFFENDER]])


@pytest.mark.parametrize("seed", SEEDS)
def test_victimise_properties(seed):
    w = make_world(seed)
    got = run_victimise(w, np.random.default_rng(seed))
    # rows outside first .. n_events - 1 untouched
    np.testing.assert_array_equal(got.events[: w.first], w.events[: w.first])
    np.testing.assert_array_equal(got.events[w.n_events:], w.events[w.n_events:])
    assert (got.counts >= 0).all()
    assert got.groups[GROUPS.index("everyone")] == got.counts.sum()
    assert (got.groups >= 0).all()
    assert got.groups[1:4].sum() == got.groups[0]  # age groups partition everyone
    assert got.groups[4] + got.groups[5] == got.groups[0]
    assert ((got.legitimacy >= 0) & (got.legitimacy <= 1)).all()
    assert (got.legitimacy <= w.legitimacy).all()  # victimisation never raises trust
    victims = got.counts.sum(axis=1) > 0
    np.testing.assert_array_equal(got.legitimacy[~victims], w.legitimacy[~victims])
    # the grievance is only ever set to 1
    changed = got.grievance != w.grievance
    assert (got.grievance[changed] == 1.0).all()


def test_burglary_hurts_the_whole_household():
    w = make_world(0)
    w.events[:] = 0
    w.events[:, EV_VICTIM] = -1
    hh = int(np.argmax(w.hh_size))
    w.events[2, EV_TYPE] = BURGLARY
    w.events[2, EV_VICTIM] = hh
    w.first, w.n_events = 2, 3
    rng = np.random.default_rng(0)
    got = run_victimise(w, rng)
    members = np.arange(w.hh_first[hh], w.hh_first[hh] + w.hh_size[hh])
    expected = np.zeros_like(got.counts)
    expected[members, BURGLARY] = 1
    np.testing.assert_array_equal(got.counts, expected)
    assert got.groups[0] == w.hh_size[hh] >= 2
    assert rng.random() == np.random.default_rng(0).random()  # no draws for burglary


def test_gang_violence_without_bystanders_draws_once():
    w = make_world(1)
    w.bystander_prob = 0.0
    w.o_resident[:] = -1  # rivals who are not residents are not counted
    w.events[:, EV_TYPE] = GANG_VIOLENCE
    w.events[:, EV_VICTIM] = 5
    w.events[:, EV_OFFENDER] = int(np.flatnonzero(w.o_gang != NO_GANG)[0])
    rng = np.random.default_rng(3)
    got = run_victimise(w, rng)
    assert (got.events[w.first:w.n_events, EV_VICTIM] == -1).all()
    assert got.counts.sum() == 0
    expect = np.random.default_rng(3)
    expect.random(w.n_events - w.first)
    assert rng.random() == expect.random()


def test_no_residents_means_nothing_to_count():
    w = make_world(2)
    w.hh_first = np.zeros(0, INT)
    w.hh_size = np.zeros(0, INT)
    w.age = w.age[:0]
    w.female = w.female[:0]
    w.marginalised = w.marginalised[:0]
    w.legitimacy = w.legitimacy[:0]
    w.events[:, EV_VICTIM] = -1
    rng = np.random.default_rng(4)
    got = run_victimise(w, rng)
    np.testing.assert_array_equal(got.events, w.events)
    assert got.groups.sum() == 0
    assert rng.random() == np.random.default_rng(4).random()


@pytest.mark.parametrize("seed", SEEDS)
def test_tally_matches_reference(seed):
    g = np.random.default_rng(seed)
    n = 50
    age = g.integers(0, 3, n).astype(np.int8)
    female = g.random(n) < 0.5
    marginalised = g.random(n) < 0.3
    out = np.zeros(len(GROUPS), INT)
    ref = np.zeros(len(GROUPS), INT)
    for i in g.integers(0, n, 80):
        tally(i, age, female, marginalised, out)
        ref += group_flags(i, age, female, marginalised)
    np.testing.assert_array_equal(out, ref)
