"""sim.kernels.offending (offend, rival_at) against plain-numpy references.

The reference is written from the module docstring: for an active, free offender who
has not offended yet this tick, at cell c,

    h_k = rate_k * A_c * S_k(c) * dark_k(c) * exp(-(P_c + G_c)) * M_i * crowd_k(c)

and a crime happens with p = 1 - exp(-dt * sum_k h_k); type in proportion to h_k, victim
in proportion to vulnerability. Draws per trying offender: one uniform "crime or not",
then for a crime one for the type and one for the victim.
"""
from __future__ import annotations

import numpy as np
import pytest
from offending_worlds import (
    SEEDS,
    abstract_lattice,
    eligible,
    make_world,
    ref_offend,
    run_offend,
)

from sim.config import (
    BURGLARY,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_TYPE,
    EV_VICTIM,
    N_CRIME,
)


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
