"""sim.kernels.services (outreach, expire_enrolments) against plain-numpy references.

From the docstrings: each worker makes ``contacts`` home visits in its cell, drawing two
uniforms per visit (who -- uniformly among the cell's residents -- and whether they
enrol) whenever the cell has residents. A young resident at home, at risk (deprived
home, marginalised or already offending) and not enrolled enrols with ``enrol_prob``
while the worker's caseload is below capacity, for ``programme_ticks``.
``expire_enrolments`` closes finished programmes and frees the workers' caseload, so
``caseload[w]`` is the number of youth enrolled with worker ``w`` ("youth enrolled now").
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.config import AT_ACTIVITY, AT_HOME, YOUTH
from sim.kernels.services import expire_enrolments, outreach

INT = np.int64
SEEDS = range(8)
TICK = 50
PROGRAMME = 30
AT_RISK = 0.5


def make_world(seed, n_cells=4, n_res=40, n_workers=3):
    g = np.random.default_rng(200 + seed)
    w = SimpleNamespace()
    home = np.sort(g.integers(0, n_cells - 1, n_res))  # the last cell is empty
    w.cell_res_count = np.bincount(home, minlength=n_cells).astype(INT)
    w.cell_res_start = np.concatenate([[0], np.cumsum(w.cell_res_count)[:-1]]).astype(INT)
    w.age = np.where(g.random(n_res) < 0.6, YOUTH, g.integers(1, 3, n_res)).astype(np.int8)
    w.state = np.where(g.random(n_res) < 0.75, AT_HOME, AT_ACTIVITY).astype(np.int8)
    w.marginalised = g.random(n_res) < 0.2
    w.home_deprivation = g.uniform(0.0, 1.0, n_res)
    w.offender_of = np.where(g.random(n_res) < 0.2, g.integers(0, 50, n_res), -1).astype(INT)
    w.worker_pos = g.integers(0, n_cells, n_workers).astype(INT)
    w.capacity = int(g.integers(2, 6))
    w.contacts = int(g.integers(1, 5))
    w.enrol_prob = float(g.uniform(0.3, 0.9))
    # some residents already enrolled (consistently with the caseloads)
    w.enrolled_by = np.where(g.random(n_res) < 0.1, g.integers(0, n_workers, n_res), -1)
    w.enrolled_by = w.enrolled_by.astype(INT)
    w.enrolled_until = np.where(w.enrolled_by >= 0, TICK + g.integers(1, 20, n_res), 0)
    w.enrolled_until = w.enrolled_until.astype(INT)
    w.caseload = np.bincount(w.enrolled_by[w.enrolled_by >= 0], minlength=n_workers)
    w.caseload = np.minimum(w.caseload, w.capacity).astype(INT)
    return w


def call_outreach(w, tick, rng, caseload, enrolled_until, enrolled_by, home=None,
                  cell_deprivation=None):
    """Call the kernel; by default each resident's "home cell" is its own index, so the
    kernel's ``cell_deprivation[home[i]]`` is ``w.home_deprivation[i]``."""
    if home is None:
        home, cell_deprivation = np.arange(w.age.size), w.home_deprivation
    return outreach(w.worker_pos, caseload, w.capacity, w.contacts, w.cell_res_start,
                    w.cell_res_count, w.age, w.state, w.marginalised, home, cell_deprivation,
                    w.offender_of, AT_RISK, w.enrol_prob, tick, PROGRAMME, enrolled_until,
                    enrolled_by, rng)


def run_outreach(w, rng, tick=TICK):
    out = SimpleNamespace(caseload=w.caseload.copy(), enrolled_until=w.enrolled_until.copy(),
                          enrolled_by=w.enrolled_by.copy())
    out.n = call_outreach(w, tick, rng, out.caseload, out.enrolled_until, out.enrolled_by)
    return out


def ref_outreach(w, rng, tick=TICK):
    out = SimpleNamespace(caseload=w.caseload.copy(), enrolled_until=w.enrolled_until.copy(),
                          enrolled_by=w.enrolled_by.copy(), n=0)
    for wk, c in enumerate(w.worker_pos):
        lo, n = w.cell_res_start[c], w.cell_res_count[c]
        if n == 0:
            continue  # nobody lives here: no visits, no draws
        for _ in range(w.contacts):
            i = lo + int(rng.random() * n)
            u = rng.random()
            eligible = (out.caseload[wk] < w.capacity and w.age[i] == YOUTH
                        and w.state[i] == AT_HOME and not out.enrolled_until[i] > tick)
            at_risk = (w.home_deprivation[i] >= AT_RISK or w.marginalised[i]
                       or w.offender_of[i] >= 0)
            if eligible and at_risk and u < w.enrol_prob:
                if out.enrolled_by[i] >= 0:  # ended but not yet closed: close it first
                    out.caseload[out.enrolled_by[i]] -= 1
                    out.n -= 1
                out.enrolled_until[i] = tick + PROGRAMME
                out.enrolled_by[i] = wk
                out.caseload[wk] += 1
                out.n += 1
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_outreach_matches_reference(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    got = run_outreach(w, rng)
    rng_ref = np.random.default_rng(seed)
    ref = ref_outreach(w, rng_ref)
    assert got.n == ref.n
    np.testing.assert_array_equal(got.caseload, ref.caseload)
    np.testing.assert_array_equal(got.enrolled_until, ref.enrolled_until)
    np.testing.assert_array_equal(got.enrolled_by, ref.enrolled_by)
    assert rng.random() == rng_ref.random()


def test_reference_enrols_someone():
    assert sum(run_outreach(make_world(s), np.random.default_rng(s)).n for s in SEEDS) > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_outreach_draw_count_depends_only_on_worker_cells(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    run_outreach(w, rng)
    visits = w.contacts * int((w.cell_res_count[w.worker_pos] > 0).sum())
    expect = np.random.default_rng(seed)
    expect.random(2 * visits)
    assert rng.random() == expect.random()


@pytest.mark.parametrize("seed", SEEDS)
def test_outreach_enrols_only_eligible_youth_within_capacity(seed):
    w = make_world(seed)
    w.enrol_prob = 1.0
    got = run_outreach(w, np.random.default_rng(seed))
    new = np.flatnonzero(got.enrolled_until != w.enrolled_until)
    assert got.n == new.size == (got.caseload - w.caseload).sum()
    assert (got.caseload <= w.capacity).all()
    assert (w.age[new] == YOUTH).all() and (w.state[new] == AT_HOME).all()
    at_risk = ((w.home_deprivation >= AT_RISK) | w.marginalised | (w.offender_of >= 0))
    assert at_risk[new].all()
    assert (w.enrolled_until[new] <= TICK).all()  # nobody enrolled twice at once
    assert (got.enrolled_until[new] == TICK + PROGRAMME).all()
    home_cell = np.repeat(np.arange(w.cell_res_count.size), w.cell_res_count)
    assert (w.worker_pos[got.enrolled_by[new]] == home_cell[new]).all()  # visited at home


def test_zero_enrol_prob_enrols_nobody():
    w = make_world(0)
    w.enrol_prob = 0.0
    got = run_outreach(w, np.random.default_rng(0))
    assert got.n == 0
    np.testing.assert_array_equal(got.caseload, w.caseload)


# --- expire_enrolments ------------------------------------------------------------------
def ref_expire(tick, enrolled_until, enrolled_by, caseload):
    enrolled_by = enrolled_by.copy()
    caseload = caseload.copy()
    done = (enrolled_by >= 0) & (enrolled_until <= tick)
    np.subtract.at(caseload, enrolled_by[done], 1)
    enrolled_by[done] = -1
    return int(done.sum()), enrolled_by, caseload


@pytest.mark.parametrize("seed", SEEDS)
def test_expire_enrolments_matches_reference(seed):
    w = make_world(seed)
    w.caseload = np.bincount(w.enrolled_by[w.enrolled_by >= 0],
                             minlength=w.worker_pos.size).astype(INT)
    tick = TICK + 10
    until = w.enrolled_until.copy()
    by = w.enrolled_by.copy()
    caseload = w.caseload.copy()
    n = expire_enrolments(tick, until, by, caseload)
    ref_n, ref_by, ref_caseload = ref_expire(tick, w.enrolled_until, w.enrolled_by, w.caseload)
    assert n == ref_n
    np.testing.assert_array_equal(by, ref_by)
    np.testing.assert_array_equal(caseload, ref_caseload)
    np.testing.assert_array_equal(until, w.enrolled_until)
    assert (caseload >= 0).all()


# --- caseload bookkeeping over time ------------------------------------------------------
def caseload_matches_enrolments(caseload, enrolled_by):
    counts = np.bincount(enrolled_by[enrolled_by >= 0], minlength=caseload.size)
    return np.array_equal(caseload, counts)


@pytest.mark.parametrize("seed", SEEDS)
def test_caseload_is_enrolled_youth_when_expiry_runs_first(seed):
    w = make_world(seed)
    w.enrolled_by[:] = -1
    w.enrolled_until[:] = 0
    w.caseload[:] = 0
    until, by, caseload = w.enrolled_until.copy(), w.enrolled_by.copy(), w.caseload.copy()
    rng = np.random.default_rng(seed)
    for tick in range(0, 4 * PROGRAMME, 3):
        expire_enrolments(tick, until, by, caseload)
        call_outreach(w, tick, rng, caseload, until, by)
        assert (caseload >= 0).all() and (caseload <= w.capacity).all()
        assert caseload_matches_enrolments(caseload, by)
        assert ((by >= 0) == (until > tick)).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_outreach_reads_deprivation_through_the_home_cell(seed):
    """Deprivation read from a per-cell layer through int32 home cells (the model's
    way) gives what per-resident copies of it give."""
    w = make_world(seed)
    g = np.random.default_rng(300 + seed)
    n_cells = 7
    cell_dep = g.uniform(0.0, 1.0, n_cells)
    home = g.integers(0, n_cells, w.age.size).astype(np.int32)
    w.home_deprivation = cell_dep[home]
    want = SimpleNamespace(caseload=w.caseload.copy(), until=w.enrolled_until.copy(),
                           by=w.enrolled_by.copy())
    n_want = call_outreach(w, TICK, np.random.default_rng(seed), want.caseload, want.until,
                           want.by)
    got = SimpleNamespace(caseload=w.caseload.copy(),
                          until=w.enrolled_until.astype(np.int32),
                          by=w.enrolled_by.astype(np.int32))
    n_got = call_outreach(w, TICK, np.random.default_rng(seed), got.caseload, got.until,
                          got.by, home=home, cell_deprivation=cell_dep)
    assert n_got == n_want
    for name in ("caseload", "until", "by"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name))


def test_caseload_stays_youth_enrolled_now_between_daily_expiries():
    """The model expires enrolments at hour 0 and does outreach at 9-17h, so a programme
    that ends at 10h can be re-started the same afternoon by outreach."""
    w = SimpleNamespace(
        worker_pos=np.array([0], INT), capacity=5, contacts=1,
        cell_res_start=np.array([0], INT), cell_res_count=np.array([1], INT),
        age=np.array([YOUTH], np.int8), state=np.array([AT_HOME], np.int8),
        marginalised=np.array([True]), home_deprivation=np.array([0.9]),
        offender_of=np.array([-1], INT), enrol_prob=1.0,
    )
    until, by, caseload = np.zeros(1, INT), np.full(1, -1, INT), np.zeros(1, INT)
    rng = np.random.default_rng(0)
    assert call_outreach(w, 10, rng, caseload, until, by) == 1  # ends at 10 + PROGRAMME
    assert caseload[0] == 1
    # the programme has ended; the daily expiry has not run yet; the worker calls again
    call_outreach(w, 10 + PROGRAMME + 2, rng, caseload, until, by)
    assert caseload_matches_enrolments(caseload, by), (caseload, by)
    # and once everything has expired, the worker's caseload is empty again
    expire_enrolments(10 + 3 * PROGRAMME, until, by, caseload)
    assert caseload[0] == 0
