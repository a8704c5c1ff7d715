"""The integrated-action phases in a running model (sim/crime/integration.py).

With every referral made (``referral_prob = 1``) on the small town, the partnership's
bookkeeping must hold (with the model's invariant checks on): the enrolled count
equals the workers' caseloads, a served youth case's youth is enrolled, the open
cases' cells are on the hot-spot list, and an abuser under an open partner-violence
case has his motivation scaled by ``1 - victim_support_effect``. Switched off, or
without outreach workers, the model keeps no case list at all.
"""

from __future__ import annotations

import numpy as np

from sim import CrimeModel, Scenario
from sim.kernels import referrals
from tests.repo_paths import SCENARIOS

TOWN = SCENARIOS / "small_town_map.toml"


def _town(**over):
    return Scenario.load(TOWN).with_overrides({"integration.referral_prob": 1.0, **over})


def test_partnership_bookkeeping():
    m = CrimeModel(scenario=_town(), rng=3, check_invariants=True)
    m.run_days(20)
    sc = m.state.cases
    assert sc is not None
    counts = sc.summary()
    assert counts["dropped"] == 0
    assert m.state.tallies.enrolled == int(m.workers.caseload.sum())
    cases, tick = sc.cases, m.tick
    open_ = cases.until > tick
    # The list is read at the day's first tick: cases opened since (by the last day's
    # arrests) join it tomorrow.
    listed = open_ & (cases.opened < tick - m.ticks_per_day)
    assert listed.any()
    assert np.isin(cases.cell[listed], m.state.justice.hot_cells).all()
    served = open_ & (cases.kind == referrals.CASE_YOUTH) & cases.served
    assert served.any()
    assert (m.residents.enrolled_until[cases.who[served]] > tick).all()
    effect = m.scenario["integration.victim_support_effect"]
    for c in np.flatnonzero(open_ & (cases.kind == referrals.CASE_PARTNER)):
        o = cases.who[c]
        assert np.isclose(m.offenders.motivation[o], cases.saved[c] * (1 - effect))
    assert (open_ & (cases.kind == referrals.CASE_PARTNER)).any()


def test_off_keeps_no_case_list():
    for over in ({"integration.enabled": False}, {"services.count": 0}):
        m = CrimeModel(scenario=_town(**over), rng=3)
        m.run_days(3)
        assert m.state.cases is None
        assert not m.levers.integration.on
