"""Relationships and violence at home (sim.population.relationships, sim.kernels.domestic).

The couples are checked against a per-household loop written from the rule; the
abusers against their definition (who may abuse whom) and their shares (binomial);
a model run against what violence at home must look like in the event log, and an
abuser in jail must not offend.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CrimeModel
from sim.config import (
    ASSAULT,
    DOMESTIC_OFFENDER,
    FREE,
    JAILED,
    REL_FAMILY,
    REL_PARTNER,
    SEXUAL_VIOLENCE,
    STREET_OFFENDER,
    YOUTH,
)
from sim.population.relationships import couples
from sim.scenario.classic import CLASSIC_OVERRIDES


def ref_couples(household, adult, female, u, share):
    """Per household: with u < share and adults of both sexes, its first woman and
    first man."""
    a_out, b_out = [], []
    for h in range(u.size):
        members = np.flatnonzero(household == h)
        women = [i for i in members if adult[i] and female[i]]
        men = [i for i in members if adult[i] and not female[i]]
        if women and men and u[h] < share:
            a_out.append(women[0])
            b_out.append(men[0])
    return np.array(a_out, int), np.array(b_out, int)


@pytest.mark.parametrize("seed", range(6))
def test_couples_match_the_rule(seed):
    g = np.random.default_rng(seed)
    sizes = 1 + g.poisson(1.4, 80)
    household = np.repeat(np.arange(sizes.size), sizes)
    adult = g.random(household.size) < 0.7
    female = g.random(household.size) < 0.5
    u = g.random(sizes.size)
    got = couples(household, sizes.size, adult, female, u, 0.7)
    ref = ref_couples(household, adult, female, u, 0.7)
    np.testing.assert_array_equal(got[0], ref[0])
    np.testing.assert_array_equal(got[1], ref[1])
    assert got[0].size > 10


@pytest.fixture(scope="module")
def big(baseline):
    """A 30,000-resident city with many abusers, to check shares."""
    sc = baseline.with_overrides({
        "relationships.abuser_share_men": 0.2, "relationships.abuser_share_women": 0.05,
        "relationships.family_abuser_share": 0.02, "relationships.ex_partner_share": 0.5,
        "agents.views": False})
    return CrimeModel(scenario=sc, rng=5, agent_views=False)


def test_abusers_are_partners_exes_or_family(big):
    res, off = big.residents, big.offenders
    dom = np.flatnonzero(off.kind == DOMESTIC_OFFENDER)
    assert dom.size > 1000
    r, v, rel = off.resident[dom], off.target[dom], off.relation[dom]
    assert np.unique(r).size == r.size  # one slot per resident
    np.testing.assert_array_equal(res.offender_of[r], dom)
    assert (r != v).all()
    same = res.household[r] == res.household[v]
    partner = rel == REL_PARTNER
    assert (same | partner).all()  # family live together
    # partners are adults; an ex-partner is of the other sex and lives elsewhere
    assert (res.age[r[partner]] != YOUTH).all() and (res.age[v[partner]] != YOUTH).all()
    assert (res.female[r[partner]] != res.female[v[partner]]).all()  # a woman and a man
    assert (partner & ~same).any()  # ex-partners
    assert (rel[~partner] == REL_FAMILY).all() and (~partner).any()
    # abusers stay home, are in no gang, and start free
    assert (off.state[dom] == FREE).all() and (off.home[dom] == res.home[r]).all()
    assert (off.gang[dom] == -1).all()
    assert (off.kind[off.state == FREE] == STREET_OFFENDER).sum() == 450


def test_abuser_shares_follow_the_keys(baseline):
    """Among couples, the share of men who abuse is abuser_share_men (4 binomial SEs;
    men already street offenders are passed over, so it can only fall short by their
    share, under 2%)."""
    sc = baseline.with_overrides({"relationships.abuser_share_men": 0.2,
                                  "relationships.abuser_elderly_factor": 1.0,
                                  "relationships.family_abuser_share": 0.0,
                                  "relationships.ex_partner_share": 0.0})
    m = CrimeModel(scenario=sc, rng=6, agent_views=False)
    res = m.residents
    rng = np.random.default_rng(0)
    a, b = couples(res.household.astype(np.int64), res.hh_first.size, res.age != YOUTH,
                   res.female, rng.random(res.hh_first.size), 0.75)
    men = np.concatenate([a[~res.female[a]], b[~res.female[b]]])
    off = m.offenders
    dom = off.kind == DOMESTIC_OFFENDER
    n_men_abusers = int((dom & ~res.female[np.maximum(off.resident, 0)]).sum())
    # the couples above are another draw of the same households: compare counts
    n = men.size
    se = np.sqrt(0.2 * 0.8 * n)
    assert 0.2 * n * 0.97 - 4 * se < n_men_abusers < 0.2 * n + 4 * se


def test_draws_nothing_when_off(baseline):
    """Switched off, the population and the run are the classic ones (no slot taken)."""
    m = CrimeModel(scenario=baseline.with_overrides(CLASSIC_OVERRIDES), rng=5, agent_views=False)
    assert not (m.offenders.kind == DOMESTIC_OFFENDER).any()


@pytest.fixture(scope="module")
def violent(small_scenario):
    """A small city with frequent violence at home, reported and cleared, run 20 days."""
    sc = small_scenario.with_overrides({
        "relationships.abuser_share_men": 0.3, "relationships.abuser_share_women": 0.1,
        "relationships.family_abuser_share": 0.05, "relationships.assault_rate": 0.05,
        "relationships.sexual_violence_rate": 0.02, "crime.assault.report_prob": 0.9,
        "crime.assault.clearance_prob": 0.5, "police.conviction_prob": 1.0})
    m = CrimeModel(scenario=sc, rng=2, agent_views=False)
    jailed_before, offenders_after = [], []
    for _ in range(20 * 24):
        dom = m.offenders.kind == DOMESTIC_OFFENDER
        # jailed now and not released at the start of the next tick
        held = np.flatnonzero(dom & (m.offenders.state == JAILED)
                              & (m.offenders.release > m.tick))
        n0 = len(m.events)
        m.run_for(1)
        new = m.events.to_frame().iloc[n0:] if len(m.events) > n0 else None
        jailed_before.append(held)
        offenders_after.append(set() if new is None else set(new.offender))
    return m, jailed_before, offenders_after


def test_violence_at_home_in_the_event_log(violent):
    m = violent[0]
    ev = m.events.to_frame()
    off = m.offenders
    dom = off.kind[ev.offender.to_numpy()] == DOMESTIC_OFFENDER
    d = ev[dom]
    assert len(d) > 100
    assert set(d.crime_type.cat.codes) <= {ASSAULT, SEXUAL_VIOLENCE}
    assert d.relationship.isin(["partner", "family"]).all()
    assert (d.setting == "home").all() and (d.victim_home == d.cell).all()
    together = d.offender_home == d.cell
    assert (d.distance_m[together] == 0).all() and (d.distance_m[~together] > 0).all()
    assert (d.victim == off.target[d.offender.to_numpy()]).all()
    street = ev[~dom]
    assert not street.relationship.isin(["partner"]).any()


def test_a_jailed_abuser_does_not_offend(violent):
    m, held, acted = violent
    n_held = sum(h.size for h in held)
    assert n_held > 20  # arrests happened: the test is not vacuous
    for h, who in zip(held, acted, strict=True):
        assert not (set(h.tolist()) & who)
