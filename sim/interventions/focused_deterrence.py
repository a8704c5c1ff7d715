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

The three levers, each through a documented mechanism of the model:

- **warning** (``warning_effect``): a called-in member's motivation, hence his hazard
  of every crime (docs/ODD.md §7.4), falls by this share while the programme runs --
  the deterrent message, which works on the person told.
- **services** (``services_uptake``): a called-in member accepts help with this
  probability and is enrolled in the city's outreach programme for as long as the
  strategy runs (``residents.enrolled_until``), with its effects from the scenario
  (docs/ODD.md §7.15: motivation x (1 - ``services.motivation_effect``), desistance x
  ``services.desistance_boost``). Members already in a worker's caseload keep it.
  Unlike the youth programme, these are the city's own services brought to the gang
  members, so the city's effect sizes are the right ones.
- **swift sanctions** (``sanction_boost``): gang violence is followed up first, so its
  arrest probability on detection and its clearance probability by investigation are
  multiplied by this factor (capped at 1). The per-type rates are city-wide; with the
  gang territories in the target area that is where gang violence happens.

At ``end_tick`` the warning wears off (motivation back), the programme's enrolments
close and the sanction rates return to their values. Costs are per called-in member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import DEAD, GANG_VIOLENCE, INT, MAX_TICKS, NO_GANG
from sim.fields import float_field, int_field, prob_field
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
        "warning_effect": float_field(
            0.5, "fall in a called-in member's motivation (hazard of every crime type) "
            f"while the strategy runs (at most {MAX_CUT})", 0.0, MAX_CUT),
        "services_uptake": prob_field(
            0.5, "probability a called-in member accepts services (enrolled in outreach)"),
        "min_arrests": int_field(
            1, "also call in offenders with at least this many arrests (0: gang members "
            "only)"),
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
        accept = called[self.rng.random(called.size) < self["services_uptake"]]
        res = model.residents
        r = model.offenders.resident[accept]
        r = r[(res.enrolled_by[r] < 0) & (res.enrolled_until[r] <= model.tick)]
        res.enrolled_until[r] = self._until
        self.enrolled_residents = np.concatenate([self.enrolled_residents, r.astype(INT)])

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Members called in and enrolled in services by the strategy."""
        return {"called_in": float(getattr(self, "called_in", 0)),
                "enrolled": float(getattr(self, "_enrolled", np.zeros(0)).size)}
