"""sim.kernels.domestic.domestic_hour against a plain-numpy reference.

The reference is written from the module docstring: each domestic abuser (slots of
other kinds are left alone) is kept in (``active`` cleared, counted) and starts the
tick not having offended; a free one whose target is at home offends -- a co-resident only when
at home too, an ex-partner (living elsewhere) when not at work or school -- with

    h_k = rate_k * motivation * (1 - compliance * L_abuser) * contact * night

(``contact`` 1 or ``ex_contact``; ``night`` the night factor in the dark; the sexual
rate times ``family_sexual_factor`` for a family abuser) and ``p = 1 - exp(-dt * sum)``.
Draws: one uniform "crime or not" per abuser who finds the target at home, then one
for the type (sexual violence if ``u * total < h_sexual``).
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import (
    ASSAULT,
    AT_ACTIVITY,
    AT_HOME,
    DEAD,
    DOMESTIC_OFFENDER,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_RESIDENT,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    IN_PUBLIC,
    JAILED,
    N_EVENT_FIELDS,
    REL_FAMILY,
    REL_PARTNER,
    SEXUAL_VIOLENCE,
    STREET_OFFENDER,
)
from sim.kernels.domestic import N_PARAMS, check_params, domestic_hour

INT = np.int64
SEEDS = range(10)
TICK = 77


def make_world(seed, n_res=60, n_off=40):
    g = np.random.default_rng(500 + seed)
    w = SimpleNamespace()
    w.res_home = g.integers(0, 12, n_res).astype(INT)
    w.res_state = g.choice(np.array([AT_HOME, AT_HOME, AT_ACTIVITY, IN_PUBLIC], np.int8), n_res)
    w.res_legitimacy = g.uniform(0.0, 1.0, n_res)
    w.kind = np.where(g.random(n_off) < 0.7, DOMESTIC_OFFENDER, STREET_OFFENDER).astype(np.int8)
    w.state = g.choice(np.array([FREE, FREE, FREE, JAILED, DEAD], np.int8), n_off)
    w.active = g.random(n_off) < 0.3
    w.acted = g.random(n_off) < 0.1
    w.resident = g.permutation(n_res)[:n_off].astype(INT)
    w.target = g.integers(0, n_res, n_off).astype(INT)
    # about half the abusers live with their target (partner or family)
    co = g.random(n_off) < 0.5
    w.res_home[w.target[co]] = w.res_home[w.resident[co]]
    w.target[g.random(n_off) < 0.05] = -1
    w.relation = np.where(g.random(n_off) < 0.7, REL_PARTNER, REL_FAMILY).astype(np.int8)
    w.motivation = g.gamma(2.0, 0.5, n_off)
    w.home = w.res_home[w.resident]
    w.params = np.array([1.0, *g.uniform(0.1, 0.8, 2), *g.uniform(0.0, 1.0, 2),
                         g.uniform(1.0, 3.0), 1.0])
    w.compliance = float(g.uniform(0.0, 1.0))
    return w


def run_kernel(w, night, dt, rng):
    out = SimpleNamespace(active=w.active.copy(), acted=w.acted.copy())
    sens = getattr(w, "risk_sens", 0.0)  # deterrence by perceived risk (0: off)
    off = containers.offenders(kind=w.kind, state=w.state, active=out.active, acted=out.acted,
                               target=w.target, resident=w.resident, relation=w.relation,
                               motivation=w.motivation, home=w.home,
                               **({"risk": w.risk} if sens else {}))
    events = np.full((w.kind.size + 3, N_EVENT_FIELDS), -7, INT)
    events[0] = 99  # a row written before: kept
    extra = (sens, w.risk_ref) if sens else ()
    n, n_in = domestic_hour(TICK, night, dt, off, w.res_state, w.res_home, w.res_legitimacy,
                            w.compliance, w.params, events, 1, rng, *extra)
    np.testing.assert_array_equal(events[0], 99)
    np.testing.assert_array_equal(events[n:], -7)
    out.events, out.n_in = events[1:n], n_in
    return out


def ref_hour(w, night, dt, rng):
    out = SimpleNamespace(active=w.active.copy(), acted=w.acted.copy(), n_in=0)
    _, rate_a, rate_s, fam_s, ex_contact, night_factor, _ = w.params
    rows = []
    for i in range(w.kind.size):
        if w.kind[i] != DOMESTIC_OFFENDER:
            continue
        if out.active[i]:
            out.active[i] = False
            out.n_in += 1
        out.acted[i] = False  # a new tick for every abuser
        if w.state[i] != FREE:
            continue
        v, r = w.target[i], w.resident[i]
        if v < 0 or w.res_state[v] != AT_HOME:
            continue
        together = w.res_home[r] == w.res_home[v]
        if together and w.res_state[r] != AT_HOME:
            continue
        if not together and w.res_state[r] == AT_ACTIVITY:
            continue
        m = (w.motivation[i] * (1 - w.compliance * w.res_legitimacy[r])
             * (1.0 if together else ex_contact) * (night_factor if night else 1.0))
        if getattr(w, "risk_sens", 0.0):  # perceived risk above the prior deters
            m *= np.exp(-w.risk_sens * (float(w.risk[i]) - w.risk_ref))
        h_a = rate_a * m
        h_s = rate_s * m * (fam_s if w.relation[i] == REL_FAMILY else 1.0)
        if not rng.random() < 1 - np.exp(-dt * (h_a + h_s)):
            continue
        k = SEXUAL_VIOLENCE if rng.random() * (h_a + h_s) < h_s else ASSAULT
        row = np.zeros(N_EVENT_FIELDS, INT)
        row[EV_TICK], row[EV_TYPE], row[EV_CELL] = TICK, k, w.res_home[v]
        row[EV_OFFENDER], row[EV_VICTIM], row[EV_HOME] = i, v, w.home[i]
        row[EV_RESIDENT], row[EV_RELATIONSHIP] = r, w.relation[i]
        rows.append(row)
        out.acted[i] = True
    out.events = np.array(rows, INT).reshape(-1, N_EVENT_FIELDS)
    return out


@pytest.mark.parametrize("night", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_domestic_hour_matches_reference(seed, night):
    w = make_world(seed)
    rng, rng_ref = np.random.default_rng(seed), np.random.default_rng(seed)
    got = run_kernel(w, night, 2.0, rng)
    ref = ref_hour(w, night, 2.0, rng_ref)
    np.testing.assert_array_equal(got.events, ref.events)
    np.testing.assert_array_equal(got.active, ref.active)
    np.testing.assert_array_equal(got.acted, ref.acted)
    assert got.n_in == ref.n_in
    assert rng.random() == rng_ref.random()  # the same number of draws


@pytest.mark.parametrize("seed", SEEDS)
def test_domestic_hour_with_perceived_risk_matches_reference(seed):
    w = make_world(seed)
    w.risk = np.random.default_rng(70 + seed).random(w.kind.size).astype(np.float32)
    w.risk_sens, w.risk_ref = 3.0, 0.2
    rng, rng_ref = np.random.default_rng(seed), np.random.default_rng(seed)
    got = run_kernel(w, True, 2.0, rng)
    ref = ref_hour(w, True, 2.0, rng_ref)
    np.testing.assert_array_equal(got.events, ref.events)
    np.testing.assert_array_equal(got.acted, ref.acted)
    assert rng.random() == rng_ref.random()


def test_the_worlds_exercise_every_branch():
    events = np.concatenate([ref_hour(make_world(s), True, 2.0, np.random.default_rng(s)).events
                             for s in SEEDS])
    assert {ASSAULT, SEXUAL_VIOLENCE} <= set(events[:, EV_TYPE])
    assert {REL_PARTNER, REL_FAMILY} <= set(events[:, EV_RELATIONSHIP])
    apart = events[:, EV_CELL] != events[:, EV_HOME]
    assert apart.any() and (~apart).any()  # ex-partners' visits and co-residents


def test_hazard_gives_the_crime_probability():
    """One co-resident couple at home, many ticks: crimes ~ Binomial(n, 1 - exp(-dt h));
    tolerance 4 binomial standard errors."""
    w = make_world(0, n_res=2, n_off=1)
    w.kind[:], w.state[:], w.active[:], w.acted[:] = DOMESTIC_OFFENDER, FREE, False, False
    w.resident[:], w.target[:] = 0, 1
    w.res_home[:] = 3
    w.home[:] = 3
    w.res_state[:] = AT_HOME
    w.relation[:] = REL_PARTNER
    w.motivation[:] = 1.0
    w.compliance = 0.5
    w.res_legitimacy[:] = 0.4
    w.params = np.array([1.0, 0.05, 0.02, 0.2, 0.3, 2.0, 1.0])
    h = (0.05 + 0.02) * (1 - 0.5 * 0.4) * 2.0
    p = 1 - np.exp(-h)
    rng = np.random.default_rng(11)
    n = 4000
    crimes = sexual = 0
    for _ in range(n):
        ev = run_kernel(w, True, 1.0, rng).events
        crimes += len(ev)
        sexual += int((ev[:, EV_TYPE] == SEXUAL_VIOLENCE).sum())
    assert abs(crimes / n - p) < 4 * np.sqrt(p * (1 - p) / n)
    q = 0.02 / 0.07  # share of sexual violence among the crimes
    assert abs(sexual / crimes - q) < 4 * np.sqrt(q * (1 - q) / crimes)


def test_params_are_checked():
    assert check_params(np.zeros(N_PARAMS)).dtype == np.float64
    with pytest.raises(ValueError, match="expected"):
        check_params(np.zeros(N_PARAMS - 1))
    with pytest.raises(ValueError, match="non-negative"):
        check_params(-np.ones(N_PARAMS))
