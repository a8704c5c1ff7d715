"""Focused deterrence: police and service workers together target the gangs.

The "pulling levers" strategy (Boston Ceasefire; High Point; UNICRI's "integrated
action" of police, social services and the community): gang members are called in,
told directly that violence by any of them will bring swift and certain sanctions,
and offered help to leave. Braga, Weisburd & Turchan (2018, Campbell review): a
moderate fall in crime, d ~ 0.38, larger for gang and group violence programmes
(d ~ 0.66, marked "check" in docs/evidence.md); High Point: violent crime -34%.

Who: the groups and people behind the violence, as the police know them -- gang
members, and offenders with at least ``min_arrests`` arrests (the chronic offenders
that Ceasefire-style call-ins and High Point's drug-market intervention also named) --
whose home is in the target area. Each is called in once, with probability
``coverage`` (not everyone is reached), when the strategy starts or, for later
recruits and newly arrested offenders, on the first day they qualify.

The three levers, each an action the real programme performs on a mechanism of the
model; none is a tuned strength (docs/calibration.md §13):

- **warning** (``warned_risk``): the call-in tells each member, in person, that the
  next violence by him or his group will be met with arrest. With deterrence on
  (``deterrence.enabled``, docs/ODD.md §7.10b) it raises his perceived risk of arrest
  (``Offenders.risk``) to at least ``warned_risk``; from there the belief moves as any
  offender's does -- up with arrests, down with crimes that go unpunished, back toward
  the prior with ``deterrence.drift_days`` -- so the warning lasts only as long as
  the sanctions that follow make it credible. Its effect on crime is a prediction of
  the perceived-risk mechanism. ``warned_risk`` (0.5: even odds) is an assumption:
  no study measures the perceived certainty a call-in creates. With deterrence off
  the warning does nothing. ``warning_effect`` (a cut in motivation, tuned before
  issue 14) is kept only so that older scenarios load; its default is 0.
- **services** (``services_uptake``): each called-in member accepts the offer of help
  with this probability. With integrated action on (``integration.enabled``, §7.26) the
  police open a referral case on the shared list, and the city's outreach workers
  enrol him when one has caseload room, for the services' programme length, with its
  effects (§7.15) -- the same path as a police referral of an arrested youth, so the
  offer is limited by the services' capacity. Without integration he is enrolled at
  once for as long as the strategy runs (the first release's rule). The default
  uptake, 0.15, is the city's own outreach enrolment probability
  (``services.enrol_prob``): an assumption that an offer made at a call-in is taken
  up as often as one made in the street.
- **swift sanctions** (``sanction_boost``): gang violence is investigated first, so its
  arrest probability on detection and its clearance probability (with justice on,
  the investigation's clearance at the reference effort, §7.25) are multiplied by this
  factor (capped at 1). An assumption (1.5), not tuned.

At ``end_tick`` the motivation cut (if any) ends, enrolments without integration close
and the sanction rates return to their values; raised beliefs drift back on their own.
Costs are per called-in member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import DEAD, GANG_VIOLENCE, INT, MAX_TICKS, NO_GANG
from sim.crime.integration import SharedCases
from sim.fields import float_field, int_field, prob_field
from sim.kernels.referrals import CASE_YOUTH, open_case
from sim.plugins.base import Intervention
from sim.plugins.registry import register
from sim.plugins.spells import MAX_CUT, SpellDamper

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: An enrolment "until the strategy ends" when it has no end tick: the last tick a run
#: can reach (residents' ticks are stored as ``sim.config.INDEX``).
_OPEN_END = MAX_TICKS


def targeted_offenders(model: CrimeModel, area: np.ndarray, min_arrests: int) -> np.ndarray:
    """Slots of the live offenders the strategy targets in ``area``.

    Resident offenders with a home in the area who are gang members or have at least
    ``min_arrests`` arrests (``min_arrests`` 0: gang members only).
    """
    off = model.offenders
    home = off.home
    known = off.gang != NO_GANG
    if min_arrests > 0:
        known = known | (off.arrests >= min_arrests)
    ok = (off.state != DEAD) & known & (off.resident >= 0) & (home >= 0)
    ok[ok] = area[home[ok]]
    return np.flatnonzero(ok).astype(INT)


@register
class FocusedDeterrence(Intervention):
    """Call in the area's gang members and known offenders: warnings, services, sanctions."""

    name = "focused_deterrence"
    summary = "police and services target gang members: warnings, help to leave, swift sanctions"
    unit = "offender called in"
    params = {
        "warned_risk": prob_field(
            0.5, "perceived risk of arrest a call-in gives a member at least (with "
            "deterrence.enabled; an assumption: no study measures it)"),
        "warning_effect": float_field(
            0.0, "deprecated (tuned before issue 14): fall in a called-in member's "
            f"motivation while the strategy runs (at most {MAX_CUT}); 0: the warning acts "
            "only through perceived risk", 0.0, MAX_CUT),
        "services_uptake": prob_field(
            0.15, "probability a called-in member accepts services (default: the city's "
            "outreach enrolment probability, services.enrol_prob; an assumption)"),
        "min_arrests": int_field(
            1, "also call in offenders with at least this many arrests (0: gang members "
            "only; 1, the scheme's design: Ceasefire-style call-ins name group members "
            "and offenders known to the police)"),
        "sanction_boost": float_field(
            1.5, "multiplier on gang violence's arrest and clearance probabilities "
            "(capped at 1)", 1.0),
    }
    defaults = {
        "coverage": 0.8,
        # Per member called in: a call-in meeting, custom notification and case review
        # ~1,000 EUR once; a case manager's and the focused police team's time ~15 EUR a
        # day (one case manager per ~20 members, ~100,000 EUR a year of staff for 20
        # members with police overtime). Assumptions, docs/interventions/focused_deterrence.md.
        "setup_cost": 1_000.0,
        "running_cost": 15.0,
        "target": {"most_deprived": 3},
    }

    # --- life cycle -------------------------------------------------------------------
    def apply(self, model: CrimeModel) -> float:
        """Raise the sanction rates and call in the area's targeted offenders."""
        k = GANG_VIOLENCE
        self._old_rates = (float(model.arrest_probs[k]), float(model.clearance_probs[k]))
        boost = self["sanction_boost"]
        model.arrest_probs[k] = min(1.0, self._old_rates[0] * boost)
        model.clearance_probs[k] = min(1.0, self._old_rates[1] * boost)
        self.considered = SpellDamper(1.0)  # every member considered: called in or not
        self.warned = SpellDamper(1.0 - self["warning_effect"])
        self.enrolled_residents = np.zeros(0, INT)
        self.referred = 0
        self._until = self.end_tick if self.end_tick >= 0 else _OPEN_END
        self.called_in = 0
        self._call_in(model)
        return float(self.called_in)

    def full_units(self, model: CrimeModel) -> float:
        """Every targeted offender of the area called in."""
        return float(targeted_offenders(model, self.mask, self["min_arrests"]).size)

    def daily(self, model: CrimeModel, day: int) -> None:
        """Call in new members (recruits, members seen for the first time)."""
        before = self.called_in
        self._call_in(model)
        added = self.called_in - before
        if added:
            self.units += added
            self.spent_setup += self.settings["setup_cost"] * added

    def undo(self, model: CrimeModel) -> None:
        """Warnings wear off, the strategy's enrolments close, sanction rates return."""
        self.warned.restore(model)
        res = model.residents
        ours = self.enrolled_residents[(res.enrolled_until[self.enrolled_residents] == self._until)
                              & (res.enrolled_by[self.enrolled_residents] < 0)]
        res.enrolled_until[ours] = model.tick
        model.arrest_probs[GANG_VIOLENCE], model.clearance_probs[GANG_VIOLENCE] = (
            self._old_rates)

    # --- mechanism --------------------------------------------------------------------
    def _call_in(self, model: CrimeModel) -> None:
        """Consider members not seen before: call in, warn, offer services.

        Draws, over the new members in slot order: one uniform each (called in?), then
        one per called-in member (accepts services?).
        """
        members = targeted_offenders(model, self.mask, self["min_arrests"])
        new = members[~self.considered.tracked_slots(model)[members]]
        if new.size == 0:
            return
        self.considered.add(model, new)
        called = new[self.rng.random(new.size) < self.coverage]
        self.warned.add(model, called)
        self.called_in += int(called.size)
        if model.p.deterrence.enabled:
            risk = model.offenders.risk
            risk[called] = np.maximum(risk[called], np.float32(self["warned_risk"]))
        accept = called[self.rng.random(called.size) < self["services_uptake"]]
        res = model.residents
        r = model.offenders.resident[accept]
        if model.levers.integration.on:
            self._refer(model, r)
            return
        r = r[(res.enrolled_by[r] < 0) & (res.enrolled_until[r] <= model.tick)]
        res.enrolled_until[r] = self._until
        self.enrolled_residents = np.concatenate([self.enrolled_residents, r.astype(INT)])

    def _refer(self, model: CrimeModel, residents: np.ndarray) -> None:
        """Open a referral case on the shared list for each member who accepted help.

        Services enrol him when a worker has caseload room (sim.kernels.referrals.
        enrol_referred, daily); a member already enrolled or with an open case is
        skipped; a full list drops the referral, as for the police's own referrals.
        """
        if model.state.cases is None:
            model.state.cases = SharedCases.of(model.levers.integration.case_slots)
        cases = model.state.cases.cases
        res = model.residents
        ticks = model.levers.integration.case_ticks
        for r in residents[res.enrolled_until[residents] <= model.tick]:
            open_ = (cases.until > model.tick) & (cases.kind == CASE_YOUTH) & (cases.who == r)
            if not open_.any() and open_case(cases, model.tick, CASE_YOUTH,
                                             int(res.home[r]), int(r), ticks) >= 0:
                self.referred += 1

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Members called in, enrolled directly, and referred to services by the strategy."""
        return {"called_in": float(getattr(self, "called_in", 0)),
                "enrolled": float(getattr(self, "enrolled_residents", np.zeros(0)).size),
                "referred": float(getattr(self, "referred", 0))}
