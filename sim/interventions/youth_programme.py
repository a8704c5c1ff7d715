"""Youth programme: summer jobs or mentoring/CBT for at-risk youth in the target area.

Heller (2014, Science 346:1219): a summer jobs programme cut participants'
violent-crime arrests by 43% over 16 months; Heller et al. (2017, QJE 132:1):
Becoming a Man (mentoring and cognitive behavioural therapy) cut violent-crime
arrests by 45-50% and total arrests by 28-35%. Both are randomised trials, so the
effect is measured *among participants against similar youth who were not picked*.
The plug-in reproduces that design: it picks a cohort once, at the start, and the
calibration compares the cohort's violent crimes with the same cohort in a sham
programme (the same draws pick the same youth; every effect set to 0).

Who takes part: a ``coverage`` share of the at-risk youth living in the target area.
At risk follows the outreach services' rule (docs/ODD.md §7.15): a deprived home
(deprivation >= 0.5), marginalised, or already offending.

What the programme does while it runs, through three of the model's own levers:

- **offending** (``offending_effect``, **measured**): a participant who offends --
  already at the start or recruited later -- has his motivation, and so his hazard of
  every crime type, cut by this share (docs/ODD.md §7.4). The hazard model has one
  propensity per offender, so the cut applies to all types; it is set from the
  participant-level fall in *total* arrests that Heller et al. (2017) measured for
  Becoming a Man (-28% to -35%): 0.3, inside that range. (It was once tuned, at 0.45,
  to participants' violent crime -- the headline; the violent-crime fall is now
  predicted, not set.)
- **recruitment** (``recruitment_effect``, **assumption**, 0.6: no trial measures it
  at this level): a share of the participants recruited into
  offending on a programme day are kept out (the recruitment is undone before the
  recruit acts). That is the recruitment hazard times ``1 - recruitment_effect``,
  up to the second order in a daily hazard of about 1e-4 (docs/ODD.md §7.16).
- **gangs** (``gang_effect``, **assumption**, 0.5): a participant recruited in gang
  territory who would have joined the gang stays out of it with this probability.

Why not the services' enrolment (``residents.enrolled_until``)? Its effects are the
city's outreach programme's, fixed by the scenario (``services.*``) and shared by
every enrolled youth, so a programme defined by it could neither have effect sizes of
its own nor a sham arm. The participants are therefore not enrolled in the city's
outreach, and outreach workers may still enrol them -- identically in the sham arm.

The programme runs from ``start_tick`` to ``end_tick`` (its length); at the end every
participant's motivation returns to its own value. Costs are per participant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import BURGLARY, DEAD, EV_RESIDENT, EV_TICK, EV_TYPE, INT, NO_GANG, YOUTH
from sim.crime.daily import AT_RISK_DEPRIVATION
from sim.fields import float_field, prob_field
from sim.plugins.base import Intervention
from sim.plugins.registry import register
from sim.plugins.spells import MAX_CUT, SpellDamper

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


def at_risk_youth(model: CrimeModel, area: np.ndarray) -> np.ndarray:
    """Residents who are young, live in ``area`` (flat bool) and are at risk.

    At risk: a home deprivation of at least 0.5, marginalised, or already offending --
    the outreach services' rule (sim/crime/daily.py ``AT_RISK_DEPRIVATION``).
    """
    res = model.residents
    risk = ((res.home_deprivation >= AT_RISK_DEPRIVATION) | res.marginalised
            | (res.offender_of >= 0))
    return np.flatnonzero((res.age == YOUTH) & area[res.home] & risk).astype(INT)


@register
class YouthProgramme(Intervention):
    """Enrol a ``coverage`` share of the area's at-risk youth in a programme."""

    name = "youth_programme"
    summary = "summer jobs / mentoring and CBT for at-risk youth: less offending, fewer recruits"
    unit = "participant"
    params = {
        "offending_effect": float_field(
            0.3, "measured (Heller et al. 2017: participants' total arrests -28% to "
            "-35%): fall in a participating offender's motivation (hazard of every crime "
            f"type) while the programme runs (at most {MAX_CUT})", 0.0, MAX_CUT),
        "recruitment_effect": prob_field(
            0.6, "assumption: share of participants' recruitments into offending the "
            "programme prevents"),
        "gang_effect": prob_field(
            0.5, "assumption: probability a participant recruited in gang territory "
            "stays out of the gang"),
    }
    defaults = {
        "coverage": 0.5,
        # Per participant: intake, screening and materials ~300 EUR once; sessions,
        # mentors' time or subsidised wages ~5 EUR a day (~1,800 EUR a year). Heller et
        # al. (2017) put Becoming a Man at roughly 1,100-2,000 USD per participant per
        # programme year, Heller (2014) summer jobs at ~3,000 USD for eight weeks
        # (figures recalled, marked "check" in docs/interventions/youth_programme.md).
        "setup_cost": 300.0,
        "running_cost": 5.0,
        "target": {"most_deprived": 3},
    }

    # --- life cycle -------------------------------------------------------------------
    def apply(self, model: CrimeModel) -> float:
        """Pick the cohort and lower the motivation of those already offending."""
        pool = at_risk_youth(model, self.mask)
        self.participants = self.reach(pool)
        self._in = np.zeros(model.residents.n, np.bool_)
        self._in[self.participants] = True
        self._damper = SpellDamper(1.0 - self["offending_effect"])
        self.recruits_prevented = 0
        self.gang_joins_prevented = 0
        self._take_in_new_spells(model, today=False)
        return float(self.participants.size)

    def full_units(self, model: CrimeModel) -> float:
        """Every at-risk youth in the area enrolled."""
        return float(at_risk_youth(model, self.mask).size)

    def daily(self, model: CrimeModel, day: int) -> None:
        """Act on participants recruited today (before they are out) and new spells."""
        self._take_in_new_spells(model, today=True)

    def undo(self, model: CrimeModel) -> None:
        """The programme ends: participants' motivation returns to its own value."""
        self._damper.restore(model)

    # --- mechanism --------------------------------------------------------------------
    def _take_in_new_spells(self, model: CrimeModel, today: bool) -> None:
        """Find participants' offending spells not yet dampened and act on them.

        With ``today``, spells that began at this tick are today's recruits: a
        ``recruitment_effect`` share is undone, and of the rest, gang joiners stay out
        of the gang with ``gang_effect``. Draws, in participant order: one uniform per
        new recruit, and one per remaining gang joiner.
        """
        off, res = model.offenders, model.residents
        slot = res.offender_of[self.participants]
        has = slot >= 0
        slots = slot[has]
        new = slots[~self._damper.tracked_slots(model)[slots]]
        if today and new.size:
            recruits = new[off.born[new] == model.tick]
            if recruits.size:
                drop = recruits[self.rng.random(recruits.size) < self["recruitment_effect"]]
                model.cancel_recruitment(drop)
                self.recruits_prevented += int(drop.size)
                stay = recruits[~np.isin(recruits, drop)]
                joiners = stay[off.gang[stay] != NO_GANG]
                if joiners.size:
                    out = joiners[self.rng.random(joiners.size) < self["gang_effect"]]
                    off.gang[out] = NO_GANG
                    self.gang_joins_prevented += int(out.size)
                new = new[off.state[new] != DEAD]
        self._damper.add(model, new)

    # --- what only the programme knows -------------------------------------------------
    def report(self, model: CrimeModel) -> dict[str, float]:
        """Participants, their crimes since the start, and recruitments prevented.

        ``violent_crimes`` (robbery, assault, sexual and gang violence committed by a
        participant, from the event log's ``offender_resident`` column) is the
        headline Heller's trials measure, as crimes rather than arrests. NaN when the
        event log is off.
        """
        out = {"participants": float(self.participants.size) if self.mask is not None else 0.0,
               "recruits_prevented": float(getattr(self, "recruits_prevented", 0)),
               "gang_joins_prevented": float(getattr(self, "gang_joins_prevented", 0))}
        if self.mask is None:
            return out
        if not model.events.enabled:
            return {**out, "crimes": float("nan"), "violent_crimes": float("nan")}
        ev = model.events.array
        who = ev[:, EV_RESIDENT]
        mine = (ev[:, EV_TICK] >= self.start_tick) & (who >= 0)
        mine[mine] = self._in[who[mine]]
        violent = mine & (ev[:, EV_TYPE] != BURGLARY)
        return {**out, "crimes": float(mine.sum()), "violent_crimes": float(violent.sum())}
