"""sim.kernels.offending (offend, rival_at) against plain-numpy references.

The reference is written from the module docstring: for an active, free offender who
has not offended yet this tick, at cell c,

    h_k = rate_k * A_c * S_k(c) * dark_k(c) * exp(-(P_c + G_c)) * M_i * crowd_k(c)

and a crime happens with p = 1 - exp(-dt * sum_k h_k); type in proportion to h_k, victim
in proportion to vulnerability. Draws per trying offender: one uniform "crime or not",
then for a crime one for the type and one for the victim.
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import (
    BURGLARY,
    DEAD,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_RESIDENT,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    IN_PUBLIC,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    NO_GANG,
    RESIDENTIAL,
    ROBBERY,
    STREET_CRIMES,
)
from sim.kernels.offending import offend, rival_at

INT = np.int64
SEEDS = range(8)
TICK = 10


# --- world builders ------------------------------------------------------------------
def public_buckets(pos, state, n_cells):
    """Residents in public bucketed by cell (count, start, order)."""
    in_public = np.flatnonzero(state == IN_PUBLIC)
    order = np.zeros(pos.shape[0], INT)
    order[: in_public.size] = in_public[np.argsort(pos[in_public], kind="stable")]
    count = np.bincount(pos[in_public], minlength=n_cells).astype(INT)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(INT)
    return count, start, order


def make_world(seed, width=3, height=2, n_res=40, n_hh=15, n_off=30, n_gangs=3,
               abstract=False, gang_radius=None):
    g = np.random.default_rng(1000 + seed)
    n_cells = width * height
    w = SimpleNamespace(abstract=abstract, width=width)
    w.gang_radius = seed % 3 if gang_radius is None else gang_radius
    w.land_use = g.integers(0, 6, n_cells).astype(np.int8)
    w.land_use[: n_cells // 2 + 1] = RESIDENTIAL
    w.a0 = g.uniform(0.05, 1.0, n_cells)
    w.b = g.uniform(0.0, 0.5, n_cells)
    w.lighting = g.uniform(0.0, 1.0, n_cells)
    w.guardianship = g.uniform(0.0, 0.5, n_cells)
    w.police_field = g.uniform(0.0, 0.5, n_cells)
    w.rate = g.uniform(0.2, 1.5, N_CRIME)
    if seed % 3 == 1:
        w.rate[g.integers(0, N_CRIME)] = 0.0
    w.darkness = g.uniform(0.0, 2.0, N_CRIME)
    w.crowd = float(g.uniform(0.0, 0.3))
    w.compliance = float(g.uniform(0.0, 1.0))
    w.enrolled_effect = float(g.uniform(0.0, 1.0))
    w.tension = 1.0 + g.uniform(0.0, 2.0, (n_gangs, n_gangs))
    if abstract:
        n_res = n_hh = 0
    # households, sorted by cell
    hh_home = np.sort(g.integers(0, n_cells, n_hh))
    w.cell_hh_count = np.bincount(hh_home, minlength=n_cells).astype(INT)
    w.cell_hh_start = np.concatenate([[0], np.cumsum(w.cell_hh_count)[:-1]]).astype(INT)
    w.household_home = g.integers(0, 3, n_hh).astype(INT)  # members at home; 0 = empty
    w.hh_vuln = g.uniform(0.5, 2.0, n_hh)
    # residents
    r_pos = g.integers(0, n_cells, n_res).astype(INT)
    r_state = g.integers(0, 3, n_res).astype(np.int8)
    w.r_vuln = g.uniform(0.0, 2.0, (n_res, N_CRIME))
    w.r_vuln[g.random((n_res, N_CRIME)) < 0.2] = 0.0
    w.r_legitimacy = g.uniform(0.0, 1.0, n_res)
    w.r_enrolled_until = g.integers(0, 2 * TICK, n_res).astype(INT)
    w.public_count, w.public_start, w.public_order = public_buckets(r_pos, r_state, n_cells)
    # offenders
    w.o_pos = g.integers(0, n_cells, n_off).astype(INT)
    w.o_state = g.choice(np.array([DEAD, FREE, FREE, FREE, FREE, JAILED], np.int8), n_off)
    w.o_active = g.random(n_off) < 0.85
    w.o_acted = g.random(n_off) < 0.1
    w.o_motivation = g.gamma(2.0, 0.6, n_off)
    w.o_gang = g.integers(-1, n_gangs, n_off).astype(INT)
    if n_res:
        w.o_resident = np.where(g.random(n_off) < 0.7, g.integers(0, n_res, n_off), -1)
    else:
        w.o_resident = np.full(n_off, -1)
    w.o_resident = w.o_resident.astype(INT)
    w.o_home = g.integers(-1, n_cells, n_off).astype(INT)
    return w


def abstract_lattice(a, n_per_cell, b=None):
    """Short et al.'s lattice: no residents, one house per cell, neutral modifiers."""
    a = np.asarray(a, float)
    n_cells = a.size
    n_off = n_cells * n_per_cell
    w = SimpleNamespace(abstract=True, width=n_cells, gang_radius=0)
    w.land_use = np.full(n_cells, RESIDENTIAL, np.int8)
    w.a0 = a.copy() if b is None else a - b
    w.b = np.zeros(n_cells) if b is None else np.asarray(b, float)
    w.lighting = np.ones(n_cells)
    w.guardianship = np.zeros(n_cells)
    w.police_field = np.zeros(n_cells)
    w.rate = np.array([1.0, 0.7, 0.3, 0.2, 0.9])
    w.darkness = np.array([0.5, 1.0, 1.0, 1.0, 0.5])
    w.crowd = 0.1
    w.compliance = 0.0
    w.enrolled_effect = 0.3
    w.tension = np.ones((1, 1))
    w.cell_hh_count = np.zeros(n_cells, INT)
    w.cell_hh_start = np.zeros(n_cells, INT)
    w.household_home = np.zeros(0, INT)
    w.hh_vuln = np.zeros(0)
    w.r_vuln = np.zeros((0, N_CRIME))
    w.r_legitimacy = np.zeros(0)
    w.r_enrolled_until = np.zeros(0, INT)
    w.public_count = np.zeros(n_cells, INT)
    w.public_start = np.zeros(n_cells, INT)
    w.public_order = np.zeros(0, INT)
    w.o_pos = np.repeat(np.arange(n_cells), n_per_cell).astype(INT)
    w.o_state = np.full(n_off, FREE, np.int8)
    w.o_active = np.ones(n_off, np.bool_)
    w.o_acted = np.zeros(n_off, np.bool_)
    w.o_motivation = np.ones(n_off)
    w.o_gang = np.full(n_off, NO_GANG, INT)
    w.o_resident = np.full(n_off, -1, INT)
    w.o_home = np.full(n_off, -1, INT)
    return w


def run_offend(w, night, dt, rng, tick=TICK, capacity=None, rows=None):
    """Call the kernel on copies; return (events, acted).

    ``rows``: optional (r_vuln table, row per resident, hh_vuln table, row per
    household) for the kernel; by default every resident and household has its own
    row of ``w.r_vuln`` and ``w.hh_vuln``.
    """
    n_off = w.o_pos.shape[0]
    events = np.full((capacity or n_off + 1, N_EVENT_FIELDS), -7, INT)
    acted = w.o_acted.copy()
    if rows is None:
        rows = (w.r_vuln, np.arange(w.r_vuln.shape[0]), w.hh_vuln, np.arange(w.hh_vuln.size))
    r_vuln, r_row, hh_vuln, hh_row = rows
    off = containers.offenders(
        pos=w.o_pos, state=w.o_state, active=w.o_active, acted=acted,
        motivation=w.o_motivation, gang=w.o_gang, resident=w.o_resident, home=w.o_home)
    res = containers.residents(
        vuln_table=r_vuln, vuln_group=r_row, legitimacy=w.r_legitimacy,
        enrolled_until=w.r_enrolled_until, public_count=w.public_count,
        public_start=w.public_start, public_order=w.public_order,
        cell_hh_start=w.cell_hh_start, cell_hh_count=w.cell_hh_count,
        household_home=w.household_home, hh_vuln_table=hh_vuln, hh_group=hh_row)
    cells = containers.cells(
        land_use=w.land_use, a0=w.a0, b=w.b, lighting=w.lighting, guardianship=w.guardianship,
        police_field=w.police_field, width=w.width)
    rates = containers.rates(rate=w.rate, darkness=w.darkness)
    n = offend(tick, night, dt, off, res, cells, rates, w.abstract, w.crowd, w.compliance,
               w.enrolled_effect, w.tension, w.gang_radius, events, 0, rng)
    assert 0 <= n <= events.shape[0]
    np.testing.assert_array_equal(events[n:], -7)  # nothing written past the count
    return events[:n], acted


# --- the reference -------------------------------------------------------------------
def pick(weights, u):
    """Index drawn with probability proportional to ``weights`` from a uniform u."""
    cum = np.cumsum(weights)
    k = int(np.searchsorted(cum, u * cum[-1], side="right"))
    k = min(k, len(weights) - 1)
    while weights[k] <= 0.0:
        k -= 1
    return k


def people_in_public(w, c):
    s = w.public_start[c]
    return w.public_order[s: s + w.public_count[c]]


def empty_households(w, c):
    hh = np.arange(w.cell_hh_start[c], w.cell_hh_start[c] + w.cell_hh_count[c])
    return hh[w.household_home[hh] == 0]


def eligible(w, i, acted):
    return w.o_state[i] == FREE and w.o_active[i] and not acted[i]


def chebyshev(a, b, width):
    return max(abs(a % width - b % width), abs(a // width - b // width))


def rivals_present(w, i):
    """Active free members of other gangs within gang_radius cells of offender i."""
    g = w.o_gang[i]
    return [j for j in range(w.o_pos.shape[0])
            if w.o_gang[j] != NO_GANG and w.o_gang[j] != g
            and w.o_state[j] == FREE and w.o_active[j]
            and chebyshev(w.o_pos[i], w.o_pos[j], w.width) <= w.gang_radius]


def ref_hazards(w, i, night, tick=TICK):
    """h_k of offender i, straight from the module docstring."""
    c = w.o_pos[i]
    people = people_in_public(w, c)
    suit = np.zeros(N_CRIME)
    if w.abstract:
        suit[BURGLARY] = 1.0 if w.land_use[c] == RESIDENTIAL else 0.0
    else:
        suit[BURGLARY] = w.hh_vuln[empty_households(w, c)].sum()
    for k in STREET_CRIMES:
        suit[k] = w.r_vuln[people, k].sum()
    g = w.o_gang[i]
    if g != NO_GANG:
        suit[GANG_VIOLENCE] = sum(w.tension[g, w.o_gang[j]] for j in rivals_present(w, i))
    attract = w.a0[c] + w.b[c]
    dark = 1.0 + w.darkness * (1.0 - w.lighting[c]) if night else np.ones(N_CRIME)
    deter = np.exp(-(w.police_field[c] + w.guardianship[c]))
    m = w.o_motivation[i]
    r = w.o_resident[i]
    if r >= 0:
        m *= 1.0 - w.compliance * w.r_legitimacy[r]
        if w.r_enrolled_until[r] > tick:
            m *= 1.0 - w.enrolled_effect
    crowd = np.ones(N_CRIME)
    public = list(STREET_CRIMES) + [GANG_VIOLENCE]
    crowd[public] = 1.0 / (1.0 + w.crowd * people.size)
    return w.rate * attract * suit * dark * deter * m * crowd


def ref_offend(w, night, dt, rng, tick=TICK):
    acted = w.o_acted.copy()
    rows = []
    for i in range(w.o_pos.shape[0]):
        if not eligible(w, i, acted):
            continue
        h = ref_hazards(w, i, night, tick)
        p = 1.0 - np.exp(-dt * h.sum())
        if not rng.random() < p:
            continue
        k = pick(h, rng.random())
        u = rng.random()
        c = w.o_pos[i]
        v = -1
        if k == BURGLARY and not w.abstract:
            empty = empty_households(w, c)
            v = empty[pick(w.hh_vuln[empty], u)]
        elif k in STREET_CRIMES:
            people = people_in_public(w, c)
            v = people[pick(w.r_vuln[people, k], u)]
        row = np.zeros(N_EVENT_FIELDS, INT)
        row[EV_TICK], row[EV_TYPE], row[EV_CELL] = tick, k, c
        row[EV_OFFENDER], row[EV_VICTIM], row[EV_HOME] = i, v, w.o_home[i]
        row[EV_RESIDENT] = w.o_resident[i]
        rows.append(row)
        acted[i] = True
    return np.array(rows, INT).reshape(-1, N_EVENT_FIELDS), acted


# --- equivalence ---------------------------------------------------------------------
@pytest.mark.parametrize("night", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_offend_matches_reference(seed, night):
    w = make_world(seed)
    dt = 0.7
    ev, acted = run_offend(w, night, dt, np.random.default_rng(seed))
    rng_ref = np.random.default_rng(seed)
    ref_ev, ref_acted = ref_offend(w, night, dt, rng_ref)
    np.testing.assert_array_equal(ev, ref_ev)
    np.testing.assert_array_equal(acted, ref_acted)
    assert len(ev) > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_offend_looks_weights_up_by_row(seed):
    """Weights shared by groups through one-byte row codes, on the model's narrow
    dtypes, give the very events that everyone's own int64-indexed copy gives."""
    w = make_world(seed)
    g = np.random.default_rng(100 + seed)
    r_table = g.uniform(0.0, 2.0, (12, N_CRIME))
    r_table[0] = 0.0  # a group nobody can pick
    r_row = g.integers(0, 12, w.r_vuln.shape[0]).astype(np.int8)
    hh_table = np.array([1.0, 1.7])
    hh_row = g.integers(0, 2, w.hh_vuln.size).astype(np.int8)
    w.r_vuln, w.hh_vuln = r_table[r_row], hh_table[hh_row]  # per-row copies
    want = [run_offend(w, night, 0.7, np.random.default_rng(seed)) for night in (False, True)]
    # The model's dtypes: int32 cells, people and offsets, int8 members at home.
    for name in ("o_pos", "o_resident", "o_home", "public_count", "public_start",
                 "public_order", "cell_hh_start", "cell_hh_count", "r_enrolled_until"):
        setattr(w, name, getattr(w, name).astype(np.int32))
    w.household_home = w.household_home.astype(np.int8)
    for night, (want_ev, want_acted) in zip((False, True), want, strict=True):
        ev, acted = run_offend(w, night, 0.7, np.random.default_rng(seed),
                               rows=(r_table, r_row, hh_table, hh_row))
        np.testing.assert_array_equal(ev, want_ev)
        np.testing.assert_array_equal(acted, want_acted)
        assert len(ev) > 0


def test_offend_reference_covers_every_crime_type():
    types = set()
    for seed in SEEDS:
        for night in (False, True):
            ev, _ = run_offend(make_world(seed), night, 0.7, np.random.default_rng(seed))
            types.update(ev[:, EV_TYPE].tolist())
    assert types == set(range(N_CRIME))


@pytest.mark.parametrize("seed", SEEDS)
def test_offend_abstract_matches_reference(seed):
    w = make_world(seed, abstract=True)
    ev, acted = run_offend(w, True, 0.5, np.random.default_rng(seed))
    ref_ev, ref_acted = ref_offend(w, True, 0.5, np.random.default_rng(seed))
    np.testing.assert_array_equal(ev, ref_ev)
    np.testing.assert_array_equal(acted, ref_acted)


@pytest.mark.parametrize("seed", SEEDS)
def test_offend_consumes_the_documented_draws(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    ev, _ = run_offend(w, False, 0.7, rng)
    n_try = sum(eligible(w, i, w.o_acted) for i in range(w.o_pos.shape[0]))
    expect = np.random.default_rng(seed)
    expect.random(n_try + 2 * len(ev))
    assert rng.random() == expect.random()


# --- Short et al.'s lattice ------------------------------------------------------------
@pytest.mark.parametrize("night", [False, True])
def test_abstract_lattice_crime_probability_is_one_minus_exp(night):
    a = np.array([0.02, 0.3, 1.0, 2.5])
    b = np.array([0.01, 0.1, 0.0, 0.5])
    n = 20_000
    dt = 0.4
    w = abstract_lattice(a, n, b)
    ev, acted = run_offend(w, night, dt, np.random.default_rng(7))
    assert (ev[:, EV_TYPE] == BURGLARY).all()
    assert (ev[:, EV_VICTIM] == -1).all()
    assert (ev[:, EV_HOME] == -1).all()
    np.testing.assert_array_equal(np.sort(ev[:, EV_OFFENDER]), np.flatnonzero(acted))
    crimes = np.bincount(ev[:, EV_CELL], minlength=a.size)
    p = 1.0 - np.exp(-a * dt)
    sd = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(crimes - n * p) < 5 * sd), (crimes, n * p, sd)


def test_abstract_lattice_decision_is_exactly_u_below_p():
    """Each offender's first uniform decides: crime iff u < 1 - exp(-A dt)."""
    a = np.array([0.05, 0.5, 1.5])
    dt = 0.3
    w = abstract_lattice(a, 500)
    ev, _ = run_offend(w, False, dt, np.random.default_rng(3))
    rng = np.random.default_rng(3)
    expected = []
    for i in range(w.o_pos.shape[0]):
        if rng.random() < 1.0 - np.exp(-a[w.o_pos[i]] * dt):
            expected.append(i)
            rng.random(2)  # type and victim
    np.testing.assert_array_equal(ev[:, EV_OFFENDER], expected)


def test_abstract_non_residential_cell_has_no_house():
    w = abstract_lattice([1.0, 1.0], 200)
    w.land_use[1] = 1  # commercial
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(0))
    assert len(ev) > 0
    assert (ev[:, EV_CELL] == 0).all()


# --- victim and type choice -------------------------------------------------------------
def one_cell_world(n_off, r_vuln=None, hh_vuln=None, household_home=None, rate=None):
    """All offenders at cell 0 of a 2-cell world; everyone in public is at cell 0."""
    w = abstract_lattice([50.0, 1.0], 0)
    w.abstract = False
    n_res = 0 if r_vuln is None else r_vuln.shape[0]
    w.r_vuln = np.zeros((0, N_CRIME)) if r_vuln is None else r_vuln
    w.r_legitimacy = np.zeros(n_res)
    w.r_enrolled_until = np.zeros(n_res, INT)
    w.public_count = np.array([n_res, 0], INT)
    w.public_start = np.zeros(2, INT)
    w.public_order = np.arange(n_res, dtype=INT)
    n_hh = 0 if hh_vuln is None else hh_vuln.size
    w.hh_vuln = np.zeros(0) if hh_vuln is None else hh_vuln
    w.household_home = np.zeros(n_hh, INT) if household_home is None else household_home
    w.cell_hh_count = np.array([n_hh, 0], INT)
    w.cell_hh_start = np.zeros(2, INT)
    w.crowd = 0.0
    w.rate = np.zeros(N_CRIME) if rate is None else rate
    w.o_pos = np.zeros(n_off, INT)
    w.o_state = np.full(n_off, FREE, np.int8)
    w.o_active = np.ones(n_off, np.bool_)
    w.o_acted = np.zeros(n_off, np.bool_)
    w.o_motivation = np.ones(n_off)
    w.o_gang = np.full(n_off, NO_GANG, INT)
    w.o_resident = np.full(n_off, -1, INT)
    w.o_home = np.zeros(n_off, INT)
    return w


def assert_frequencies(observed, weights, n):
    p = weights / weights.sum()
    sd = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(observed - n * p) <= 5 * sd + 1e-9), (observed, n * p)


def test_street_victim_follows_vulnerability():
    weights = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 0.5])
    r_vuln = np.zeros((weights.size, N_CRIME))
    r_vuln[:, ROBBERY] = weights
    rate = np.zeros(N_CRIME)
    rate[ROBBERY] = 1.0
    n = 30_000
    w = one_cell_world(n, r_vuln=r_vuln, rate=rate)
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(11))
    assert len(ev) == n  # the hazard is huge
    assert (ev[:, EV_TYPE] == ROBBERY).all()
    counts = np.bincount(ev[:, EV_VICTIM], minlength=weights.size)
    assert counts[0] == 0
    assert_frequencies(counts, weights, n)


def test_burglary_victim_is_an_empty_household_by_vulnerability():
    hh_vuln = np.array([1.0, 5.0, 2.0, 3.0, 0.0])
    household_home = np.array([0, 1, 0, 0, 0], INT)
    rate = np.zeros(N_CRIME)
    rate[BURGLARY] = 1.0
    n = 30_000
    w = one_cell_world(n, hh_vuln=hh_vuln, household_home=household_home, rate=rate)
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(12))
    assert len(ev) == n
    counts = np.bincount(ev[:, EV_VICTIM], minlength=hh_vuln.size)
    assert counts[1] == 0 and counts[4] == 0  # occupied; zero vulnerability
    assert_frequencies(counts, np.where(household_home == 0, hh_vuln, 0.0), n)


def test_crime_type_follows_hazards():
    r_vuln = np.tile([0.0, 1.0, 0.5, 0.25, 0.0], (4, 1))
    rate = np.array([1.0, 2.0, 1.0, 4.0, 1.0])
    hh_vuln = np.array([1.5, 0.5])
    n = 30_000
    w = one_cell_world(n, r_vuln=r_vuln, hh_vuln=hh_vuln, rate=rate)
    w.crowd = 0.5
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(13))
    h = ref_hazards(w, 0, False)
    assert h[GANG_VIOLENCE] == 0.0
    counts = np.bincount(ev[:, EV_TYPE], minlength=N_CRIME)
    assert counts[GANG_VIOLENCE] == 0
    assert_frequencies(counts, h, len(ev))


# --- properties ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_zero_rate_means_no_crime(seed):
    w = make_world(seed)
    w.rate[:] = 0.0
    rng = np.random.default_rng(seed)
    ev, acted = run_offend(w, True, 1.0, rng)
    assert len(ev) == 0
    np.testing.assert_array_equal(acted, w.o_acted)
    n_try = sum(eligible(w, i, w.o_acted) for i in range(w.o_pos.shape[0]))
    expect = np.random.default_rng(seed)
    expect.random(n_try)
    assert rng.random() == expect.random()


@pytest.mark.parametrize("seed", SEEDS)
def test_only_free_active_unacted_offenders_offend(seed):
    w = make_world(seed)
    w.a0[:] = 1e6  # everyone who may offend and has a target does
    ev, acted = run_offend(w, False, 1.0, np.random.default_rng(seed))
    for i in ev[:, EV_OFFENDER]:
        assert eligible(w, i, w.o_acted)
    # acted: previously acted, plus exactly the offenders of new events
    np.testing.assert_array_equal(
        np.flatnonzero(acted & ~w.o_acted), np.sort(ev[:, EV_OFFENDER]))
    assert len(set(ev[:, EV_OFFENDER].tolist())) == len(ev)  # at most once each


@pytest.mark.parametrize("seed", SEEDS)
def test_jailed_offenders_never_offend(seed):
    w = make_world(seed)
    w.a0[:] = 1e6
    w.o_state[:] = JAILED
    rng = np.random.default_rng(seed)
    ev, acted = run_offend(w, True, 1.0, rng)
    assert len(ev) == 0
    np.testing.assert_array_equal(acted, w.o_acted)
    assert rng.random() == np.random.default_rng(seed).random()  # nobody drew


@pytest.mark.parametrize("seed", SEEDS)
def test_overwhelming_deterrence_prevents_crime(seed):
    w = make_world(seed)
    w.police_field[:] = 800.0  # exp(-800) underflows to 0
    ev, _ = run_offend(w, True, 1.0, np.random.default_rng(seed))
    assert len(ev) == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_events_name_a_valid_target(seed):
    w = make_world(seed)
    ev, _ = run_offend(w, True, 2.0, np.random.default_rng(seed))
    for row in ev:
        i, c, k, v = row[EV_OFFENDER], row[EV_CELL], row[EV_TYPE], row[EV_VICTIM]
        assert c == w.o_pos[i]
        assert row[EV_TICK] == TICK and row[EV_HOME] == w.o_home[i]
        if k == BURGLARY:
            assert v in empty_households(w, c) and w.hh_vuln[v] > 0
        elif k == GANG_VIOLENCE:
            assert v == -1
            rival = rival_at(i, w.o_pos, w.o_state, w.o_active, w.o_gang, w.gang_radius, w.width)
            assert rival >= 0
        else:
            assert v in people_in_public(w, c) and w.r_vuln[v, k] > 0


def test_full_event_buffer_is_not_overrun():
    w = abstract_lattice([100.0], 50)
    ev, acted = run_offend(w, False, 1.0, np.random.default_rng(0), capacity=10)
    assert len(ev) == 10
    np.testing.assert_array_equal(ev[:, EV_OFFENDER], np.arange(10))


# --- rival_at ----------------------------------------------------------------------------
def ref_rival_at(w, i):
    if w.o_gang[i] == NO_GANG:
        return -1
    rivals = rivals_present(w, i)
    return rivals[0] if rivals else -1


@pytest.mark.parametrize("seed", SEEDS)
def test_rival_at_matches_reference(seed):
    w = make_world(seed, width=3, height=3, n_off=40)
    found = 0
    for i in range(w.o_pos.shape[0]):
        got = rival_at(i, w.o_pos, w.o_state, w.o_active, w.o_gang, w.gang_radius, w.width)
        assert got == ref_rival_at(w, i)
        found += got >= 0
    assert found > 0


def test_rival_at_ignores_own_gang_jailed_inactive_and_distant():
    # a 3 x 3 grid; cells 0 and 4 are diagonal neighbours, 8 is two cells away
    o_pos = np.array([0, 0, 0, 0, 8, 0, 0, 4], INT)
    o_state = np.array([FREE, FREE, JAILED, FREE, FREE, DEAD, FREE, FREE], np.int8)
    o_active = np.array([True, True, True, False, True, True, True, False])
    o_gang = np.array([0, 0, 1, 1, 1, 1, NO_GANG, 2], INT)

    def rival(i, radius):
        return rival_at(i, o_pos, o_state, o_active, o_gang, radius, 3)

    assert rival(0, 0) == -1
    assert rival(0, 1) == -1  # offender 7 is inactive
    assert rival(0, 2) == 4
    assert rival(6, 5) == -1  # no gang, no rival
    o_active[3] = True
    o_active[7] = True
    assert rival(0, 0) == 3
    assert rival(3, 0) == 0
    assert rival(4, 1) == 7
    assert rival(4, 2) == 0
