"""focused_deterrence: validation, call-ins, services, sanctions, effect, undo and costs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import CrimeModel, Scenario, ScenarioError
from sim.config import (
    BURGLARY,
    DEAD,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_TICK,
    EV_TYPE,
    GANG_VIOLENCE,
    NO_GANG,
    REL_FAMILY,
)
from sim.kernels.referrals import CASE_YOUTH

ROOT = Path(__file__).resolve().parents[2]
KEY = "interventions.focused_deterrence"
START = 720
#: More offenders and a force that sees more: arrests (and so known offenders) are common.
BUSY = {"offenders.count": 200, "police.detect_prob": 0.8}


def _scenario(small: dict, **over: object) -> Scenario:
    """The plug-in's scenario on the small city: the two most deprived districts."""
    sc = Scenario.load(ROOT / "scenarios" / "focused_deterrence.toml")
    return sc.with_overrides({**small, f"{KEY}.target.most_deprived": 2,
                              **{f"{KEY}.{k}": v for k, v in over.items()}})


@pytest.mark.parametrize(("key", "value"), [
    ("warning_effect", 0.99), ("warned_risk", 1.5), ("services_uptake", 1.2),
    ("sanction_boost", 0.5),
    ("min_arrests", -1), ("min_arrests", 1.5), ("pulling_levers", True)])
def test_bad_parameters_name_the_key(small_overrides: dict, key: str, value: object) -> None:
    with pytest.raises(ScenarioError, match=rf"{KEY}\.{key}"):
        _scenario(small_overrides, **{key: value})


def _gang_in_and_out(m: CrimeModel) -> tuple[np.ndarray, np.ndarray]:
    """Live gang members present before the start, living inside / outside the area."""
    fd = m.interventions.items[0]
    off = m.offenders
    gang = np.flatnonzero((off.state != DEAD) & (off.gang != NO_GANG) & (off.born < START))
    inside = gang[fd.mask[off.home[gang]]]
    return inside, gang[~fd.mask[off.home[gang]]]


def test_call_in_raises_perceived_risk_refers_and_raises_sanctions(small_overrides: dict) -> None:
    sc = _scenario(small_overrides, coverage=1.0, warned_risk=0.7, services_uptake=1.0,
                   sanction_boost=2.0, min_arrests=0)
    base = CrimeModel(scenario=sc, rng=3, agent_views=False)
    base.run_for(START)  # the state just before the start
    motivation0 = base.offenders.motivation.copy()
    arrest0 = base.arrest_probs.copy()
    m = CrimeModel(scenario=sc, rng=3, agent_views=False)
    m.run_for(START)
    m.step()  # hour 0 of the start day: the call-in, before the tick's crimes
    fd = m.interventions.items[0]
    off, res = m.offenders, m.residents
    inside, outside = _gang_in_and_out(m)
    assert inside.size > 0 and outside.size > 0
    assert fd.called_in == inside.size
    # The warning acts on belief, not on motivation (warning_effect is 0 by default).
    np.testing.assert_array_equal(off.motivation[inside], motivation0[inside])
    assert (off.risk[inside] >= 0.7 - 0.1).all()  # >= 0.7, less at most one tick's drift
    assert (off.risk[outside] < 0.7).all()
    # Integrated action is on: help goes through referral cases on the shared list.
    cases = m.state.cases.cases
    referred = set(cases.who[(cases.until > m.tick) & (cases.kind == CASE_YOUTH)].tolist())
    waiting = off.resident[inside][res.enrolled_until[off.resident[inside]] <= START]
    assert set(waiting.tolist()) <= referred and fd.referred == waiting.size
    assert m.arrest_probs[GANG_VIOLENCE] == pytest.approx(min(1.0, 2 * arrest0[GANG_VIOLENCE]))
    others = np.arange(arrest0.size) != GANG_VIOLENCE
    np.testing.assert_array_equal(m.arrest_probs[others], arrest0[others])


def test_without_integration_members_are_enrolled_at_once(small_overrides: dict) -> None:
    sc = _scenario({**small_overrides, "integration.enabled": False}, coverage=1.0,
                   services_uptake=1.0, min_arrests=0)
    m = CrimeModel(scenario=sc, rng=3, agent_views=False)
    m.run_for(START + 1)
    inside, _ = _gang_in_and_out(m)
    assert inside.size > 0
    assert (m.residents.enrolled_until[m.offenders.resident[inside]] > m.tick).all()
    assert m.interventions.items[0].referred == 0


def test_deprecated_warning_effect_still_cuts_motivation(small_overrides: dict) -> None:
    sc = _scenario(small_overrides, coverage=1.0, warning_effect=0.5, min_arrests=0)
    ref = CrimeModel(scenario=sc, rng=3, agent_views=False)
    ref.run_for(START)
    motivation0 = ref.offenders.motivation.copy()
    m = CrimeModel(scenario=sc, rng=3, agent_views=False)
    m.run_for(START + 1)
    inside, outside = _gang_in_and_out(m)
    np.testing.assert_allclose(m.offenders.motivation[inside], 0.5 * motivation0[inside])
    np.testing.assert_allclose(m.offenders.motivation[outside], motivation0[outside])


def test_end_undoes_warnings_enrolments_and_sanctions(small_overrides: dict) -> None:
    end = START + 24 * 10
    sc = _scenario({**small_overrides, "integration.enabled": False}, coverage=1.0,
                   services_uptake=1.0, warning_effect=0.5, end_tick=end)
    ref = CrimeModel(scenario=sc, rng=4, agent_views=False)
    ref.run_for(START)
    motivation0 = ref.offenders.motivation.copy()
    born0 = ref.offenders.born.copy()
    arrest0, clear0 = ref.arrest_probs.copy(), ref.clearance_probs.copy()
    m = CrimeModel(scenario=sc, rng=4, agent_views=False)
    m.run_for(START + 1)
    fd = m.interventions.items[0]
    enrolled = fd.enrolled_residents.copy()
    assert enrolled.size > 0
    m.run_for(end - m.tick + 1)
    assert fd.finished
    np.testing.assert_array_equal(m.arrest_probs, arrest0)
    np.testing.assert_array_equal(m.clearance_probs, clear0)
    assert (m.residents.enrolled_until[enrolled] <= m.tick).all()
    off = m.offenders
    same = (off.state != DEAD) & (off.born == born0) & (off.born < START)
    np.testing.assert_allclose(off.motivation[same], motivation0[same])


def test_known_offenders_are_called_in_with_min_arrests(small_overrides: dict) -> None:
    sc = _scenario({**small_overrides, **BUSY}, coverage=1.0, min_arrests=1)
    m = CrimeModel(scenario=sc, rng=5, agent_views=False)
    m.run_for(START + 24 * 60)
    # The call-in is daily (hour 0): arrests made later in the day wait for tomorrow's.
    # Run that hour and compare with the arrests known at the call-in.
    arrests_then = m.offenders.arrests.copy()
    m.run_for(1)
    fd = m.interventions.items[0]
    off = m.offenders
    arrests = np.zeros(off.capacity, arrests_then.dtype)
    arrests[:arrests_then.size] = arrests_then
    live = (off.state != DEAD) & (off.resident >= 0) & (off.home >= 0)
    live[live] = fd.mask[off.home[live]]
    known = live & ((off.gang != NO_GANG) | (arrests >= 1))
    assert (live & (off.gang == NO_GANG) & (arrests >= 1)).any()
    # Everyone targeted now has been seen (and, at coverage 1, called in).
    assert fd.considered.tracked_slots(m)[known].all()
    assert fd.warned.tracked_slots(m)[known].all()


def test_warning_lowers_the_warned_offenders_street_violence(
        small_overrides: dict, falls_significantly) -> None:
    """Effect direction of the warning alone, against a sham call-in, over 4 seeds.

    The sham calls in the same members with the same draws (common random numbers) but
    leaves their belief alone (``warned_risk`` 0), gives no help and no sanctions; the
    treated run raises their perceived risk to 0.9. With deterrence's sensitivity 3 the
    hazard of a member at 0.9 instead of the prior 0.2 is exp(-2.1) ~ 1/8, drifting back
    with a 60-day half-life and down with each crime that goes unpunished. Counted: the
    street violence (not at home: the programme does not target it) of the offenders
    called in (their slots), over the 60 days after the call-in. The z-test on Poisson
    counts of the module's conftest (sqrt(base + alt), Z = 3.1) decides; the sham must
    see >= 40 crimes so that a fall to half is detectable.
    """
    over = {**small_overrides, **BUSY, "metrics.event_log": True}
    common = {"coverage": 1.0, "min_arrests": 1, "services_uptake": 0.0,
              "sanction_boost": 1.0}
    sham = _scenario(over, warned_risk=0.0, **common)
    alt = _scenario(over, warned_risk=0.9, **common)
    totals = {"sham": 0, "alt": 0}
    for seed in (1, 2, 3, 4):
        for name, sc in (("sham", sham), ("alt", alt)):
            m = CrimeModel(scenario=sc, rng=seed, agent_views=False)
            m.run_for(START + 24 * 60)
            warned = m.interventions.items[0].warned.tracked_slots(m)
            ev = m.events.array
            street = ev[:, EV_RELATIONSHIP] > REL_FAMILY  # not by a partner or relative
            keep = (ev[:, EV_TICK] >= START) & (ev[:, EV_TYPE] != BURGLARY) & street
            who = ev[keep, EV_OFFENDER]
            who = who[(who >= 0) & (who < warned.size)]
            totals[name] += int(warned[who].sum())
    assert totals["sham"] >= 40, totals
    assert falls_significantly(totals["sham"], totals["alt"]), totals


def test_cost_account_grows_with_new_call_ins(small_overrides: dict) -> None:
    sc = _scenario({**small_overrides, **BUSY}, coverage=1.0, setup_cost=100.0,
                   running_cost=2.0, min_arrests=1)
    m = CrimeModel(scenario=sc, rng=5, agent_views=False)
    m.run_for(START + 1)
    fd = m.interventions.items[0]
    first = fd.units
    m.run_for(24 * 60)
    cost = fd.cost()
    assert fd.units == fd.called_in > first
    assert cost["setup"] == pytest.approx(100.0 * fd.called_in)
    assert first * 2.0 * cost["days_active"] <= cost["running"]
    assert cost["running"] <= fd.units * 2.0 * cost["days_active"]
