"""sim.kernels.perceived_risk, and the kernels that read the belief, against twins.

Twins written from the rules in the module docstrings: learning from each crime's
outcome (arrested -> toward 1 by ``learning``, bribed -> toward 0 by
``bribe_learning``, neither -> toward 0 by ``learning``), sightings
``r += sighting (1 - exp(-P)) (1 - r)`` for free street offenders out, drift
``r = prior + keep (r - prior)``, and empty slots reset to the prior; the hazard
multiplied by ``exp(-sensitivity (r - prior))``; the walk's weights by
``exp(-avoid P)``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from offending_worlds import make_world, ref_offend, run_offend
from test_movement import ref_walk

from sim.config import (
    DEAD,
    DOMESTIC_OFFENDER,
    EV_ARRESTED,
    EV_BRIBED,
    EV_OFFENDER,
    FREE,
    JAILED,
    N_EVENT_FIELDS,
    STREET_OFFENDER,
)
from sim.kernels.movement import walk
from sim.kernels.perceived_risk import check_params, learn, see_and_drift

SEEDS = range(6)


@pytest.mark.parametrize("seed", SEEDS)
def test_learn_matches_twin(seed):
    rng = np.random.default_rng(seed)
    n_off, n_ev = 12, 30
    risk = rng.random(n_off).astype(np.float32)
    events = np.zeros((n_ev + 3, N_EVENT_FIELDS), np.int64)
    events[:, EV_OFFENDER] = rng.integers(0, n_off, n_ev + 3)
    events[:, EV_ARRESTED] = rng.random(n_ev + 3) < 0.3
    events[:, EV_BRIBED] = (rng.random(n_ev + 3) < 0.3) & (events[:, EV_ARRESTED] == 0)
    expected = risk.copy()
    for e in range(n_ev):  # rows past n_ev are not read
        i = events[e, EV_OFFENDER]
        r = float(expected[i])
        if events[e, EV_ARRESTED]:
            r = r + 0.1 * (1 - r)
        elif events[e, EV_BRIBED]:
            r = r * (1 - 0.4)
        else:
            r = r * (1 - 0.1)
        expected[i] = r
    learn(events, n_ev, risk, 0.1, 0.4)
    np.testing.assert_allclose(risk, expected, rtol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_see_and_drift_matches_twin(seed):
    rng = np.random.default_rng(seed)
    n, n_cells = 40, 9
    state = rng.choice(np.array([DEAD, FREE, JAILED], np.int8), n)
    active = rng.random(n) < 0.6
    kind = np.where(rng.random(n) < 0.2, DOMESTIC_OFFENDER, STREET_OFFENDER).astype(np.int8)
    pos = rng.integers(0, n_cells, n).astype(np.int32)
    field = np.where(rng.random(n_cells) < 0.5, rng.uniform(0, 2, n_cells), 0.0)
    risk = rng.random(n).astype(np.float32)
    prior, sighting, keep = 0.2, 0.05, 0.99
    expected = risk.astype(float)
    for i in range(n):
        if state[i] == DEAD:
            expected[i] = prior
            continue
        r = float(risk[i])
        if state[i] == FREE and active[i] and kind[i] == STREET_OFFENDER:
            r += sighting * (1 - math.exp(-field[pos[i]])) * (1 - r)
        expected[i] = prior + keep * (r - prior)
    see_and_drift(state, active, kind, pos, field, risk, sighting, prior, keep)
    np.testing.assert_allclose(risk, expected, rtol=1e-6)


def test_check_params_rejects_shares_outside_0_1():
    check_params(0.2, 0.1, 0.2, 0.05, 0.99)
    with pytest.raises(ValueError):
        check_params(1.2, 0.1, 0.2, 0.05, 0.99)


@pytest.mark.parametrize("night", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_offend_with_perceived_risk_matches_reference(seed, night):
    w = make_world(seed)
    w.o_risk = np.random.default_rng(50 + seed).random(w.o_pos.shape[0]).astype(np.float32)
    w.risk_sens, w.risk_ref = 3.0, 0.2
    ev, acted = run_offend(w, night, 0.7, np.random.default_rng(seed))
    ref_ev, ref_acted = ref_offend(w, night, 0.7, np.random.default_rng(seed))
    np.testing.assert_array_equal(ev, ref_ev)
    np.testing.assert_array_equal(acted, ref_acted)


def test_perceived_risk_lowers_the_crime_rate_as_documented():
    """Seeded: offenders with risk 1 offend exp(-s (1 - prior)) times as often."""
    w = make_world(3, n_off=30)
    w.risk_sens, w.risk_ref = 1.5, 0.2
    counts = []
    for r in (0.2, 1.0):
        w.o_risk = np.full(w.o_pos.shape[0], r, np.float32)
        counts.append(sum(len(run_offend(w, False, 0.02, np.random.default_rng(s))[0])
                          for s in range(400)))
    ratio = counts[1] / counts[0]
    expected = math.exp(-1.5 * 0.8)
    # small dt: p ~ h dt, so counts are ~Poisson; SE of a ratio of counts
    se = ratio * math.sqrt(1 / counts[0] + 1 / counts[1])
    assert abs(ratio - expected) < 4 * se + 0.02 * expected


@pytest.mark.parametrize("seed", SEEDS)
def test_walk_avoids_police_presence_as_documented(seed):
    rng = np.random.default_rng(seed)
    width, height, n = 6, 5, 40
    n_cells = width * height
    a0, b = rng.random(n_cells), rng.exponential(1.0, n_cells)
    field = np.where(rng.random(n_cells) < 0.4, rng.uniform(0, 3, n_cells), 0.0)
    pos = rng.integers(0, n_cells, n)
    home = np.full(n, -1)
    moving = rng.random(n) < 0.8
    got = pos.copy()
    walk(got, home, moving, a0, b, width, height, False, 8, 0.0, 0.0,
         np.random.default_rng(seed), field, 0.7)
    # the twin: Short et al.'s walk on weights (a0 + b) exp(-avoid P)
    weighted = (a0 + b) * np.exp(-0.7 * field)
    expected = ref_walk(pos, home, moving, weighted, np.zeros(n_cells), width, height, False,
                        8, 0.0, 0.0, np.random.default_rng(seed))
    np.testing.assert_array_equal(got, expected)
