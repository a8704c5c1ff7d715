"""Procedural justice: community policing with fair contact raises trust in the police.

Mazerolle et al. (2013, Campbell review): policing that is procedurally just -- voice,
neutrality, respect, trustworthy motives -- improves satisfaction, confidence,
compliance and cooperation. The review gives a direction, not a size that this model
can be calibrated on, so the calibration target is a direction with a plausible band
(docs/interventions/procedural_justice.md).

In the model, trust (legitimacy L) rises with each fair contact with an honest officer
and feeds reporting, residents' cooperation (guardianship) and offenders' compliance
(docs/ODD.md §7.4, §7.12-§7.14). The programme works on the contacts:

- **more community policing**: a ``coverage`` share of the random-patrol officers is
  reassigned to community policing, with beats in the target area's districts (most
  deprived first), where they walk and talk to residents (§7.13 contacts);
- **fairer contacts** (``fair_contact_gain``): officers trained in procedural justice
  move a resident's trust further toward 1 with each fair contact -- also when a
  reported crime ends in an arrest. The training is force-wide (the rate is one
  lever, ``levers.fair_gain``), and it never lowers the scenario's own gain;
- **fairer stops** (``fair_share``): with ``legitimacy.contacts_enabled`` every
  officer's contacts are fair with this probability (§7.13a), never less than the
  scenario's;
- **more contacts** (``contacts``): community officers talk to more residents an hour
  (``levers.community_contacts``; never fewer than the scenario's);
- **door-to-door visits** (``home_visits``, default 0: off): added before issue 14 and
  tuned, because street contacts alone hardly moved trust; with
  ``legitimacy.contacts_enabled`` every patrolling officer's stops and talks reach
  residents, and hearsay spreads them (§7.13a), so the programme now works through
  those contacts and their fairness, and the visits are kept only so that older
  scenarios load. When set, each hour from 9:00 to 21:00 every community officer with
  a beat in the target area calls at ``home_visits`` homes in the cell where he
  stands; a resident found at home has a contact with the same effect as one in the
  street (§7.13: toward 1 by the fair-contact gain if the officer
  is honest, toward 0 by ``legitimacy.corruption_loss`` if not).

Status of the settings (docs/calibration.md §13): ``coverage`` is the scheme's design
(officers moved to community beats); ``fair_share`` 0.95, ``fair_contact_gain`` 0.06
and ``contacts`` 3 are assumptions, not tuned. Mazerolle et al. (2013) measure the
programmes' effects on residents' views, not these contact-level quantities, so the
rise in the area's trust is a prediction of the legitimacy mechanism (§7.12-§7.13a).

A corrupt officer's contact still costs trust: training does not make him honest
(that is anti-corruption's work). At ``end_tick`` the reassigned officers return to
random patrol and both rates return to their values; the trust built up then fades
back toward each resident's baseline (§7.13), as after any contact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import AT_HOME, COMMUNITY_PATROL, INT, RANDOM_PATROL, RESIDENTIAL
from sim.fields import int_field, prob_field
from sim.plugins.base import Intervention
from sim.plugins.registry import register

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Hours in which community officers knock on doors: daytime and early evening.
VISIT_HOURS = (9, 21)


def target_districts(model: CrimeModel, area: np.ndarray) -> np.ndarray:
    """Districts with a cell in ``area``, most deprived first."""
    ranked = model.city.districts_by_deprivation()
    return ranked[np.isin(ranked, model.city.flat("district")[area])].astype(INT)


@register
class ProceduralJustice(Intervention):
    """Reassign random patrols to community beats in the area; train fair contact."""

    name = "procedural_justice"
    summary = "community policing and fair contact: trust up, so reporting and compliance"
    unit = "community officer (trained)"
    params = {
        "fair_contact_gain": prob_field(
            0.06, "gain toward 1 from a fair contact by a trained officer (the scenario's "
            "legitimacy.fair_contact_gain if higher)"),
        "contacts": int_field(
            3, "residents a community officer talks to per tick (the scenario's "
            "police.community_contacts if higher)", 0, 1000),
        "home_visits": int_field(
            0, "deprecated (tuned before issue 14): homes a community officer of the area "
            "calls at per hour, 9:00-21:00 (0: none)", 0, 100),
        "fair_share": prob_field(
            0.95, "share of a trained officer's contacts that are fair (the scenario's "
            "legitimacy.fair_share if higher; assumption: training halves unfair "
            "contacts)"),
    }
    defaults = {
        "coverage": 0.5,
        # Per community officer: procedural-justice training, ~3 days with cover for the
        # shifts, ~2,000 EUR once; community meetings, supervision and coaching ~10 EUR
        # a day. Officers' salaries are not counted: they are reassigned, not hired.
        # Assumptions, docs/interventions/procedural_justice.md.
        "setup_cost": 2_000.0,
        "running_cost": 10.0,
        "target": {"most_deprived": 3},
    }

    # --- life cycle -------------------------------------------------------------------
    def apply(self, model: CrimeModel) -> float:
        """Reassign officers to the area's beats and raise the contact levers."""
        pol = model.police
        q = model.levers
        randoms = np.flatnonzero(pol.strategy == RANDOM_PATROL)
        moved = self.reach(randoms)
        self.moved_officers = moved.astype(INT)
        self._old = {"beat": pol.beat[moved].copy(), "target": pol.target[moved].copy(),
                     "fair_gain": q.fair_gain, "community_contacts": q.community_contacts,
                     "fair_share": q.fair_share}
        districts = target_districts(model, self.mask)
        beats = districts[np.arange(moved.size) % districts.size]
        pol.strategy[moved] = COMMUNITY_PATROL
        pol.beat[moved] = beats
        pol.target[moved] = -1
        pol.pos[moved] = [self._cell_in(model, int(d)) for d in beats]
        q.fair_gain = max(q.fair_gain, self["fair_contact_gain"])
        q.community_contacts = max(q.community_contacts, self["contacts"])
        q.fair_share = max(q.fair_share, self["fair_share"])  # every officer's contacts
        self._districts = districts
        self.visits = 0
        return float((pol.strategy == COMMUNITY_PATROL).sum())

    def officers_redeployed(self) -> float:
        """The officers moved from random patrol to community beats (their time)."""
        return float(self.moved_officers.size)

    def full_units(self, model: CrimeModel) -> float:
        """Every random-patrol officer moved: the whole community and random force."""
        s = model.police.strategy
        return float(((s == COMMUNITY_PATROL) | (s == RANDOM_PATROL)).sum())

    def undo(self, model: CrimeModel) -> None:
        """Reassigned officers return to random patrol; the contact rates return."""
        pol = model.police
        m = self.moved_officers
        pol.strategy[m] = RANDOM_PATROL
        pol.beat[m] = self._old["beat"]
        pol.target[m] = self._old["target"]
        model.levers.fair_gain = self._old["fair_gain"]
        model.levers.community_contacts = self._old["community_contacts"]
        model.levers.fair_share = self._old["fair_share"]

    def hourly(self, model: CrimeModel, tick: int) -> None:
        """Door-to-door visits by the area's community officers (see the module doc).

        Draws, per officer in index order and visit: one uniform (which resident of the
        cell), whether or not anyone is at home, so the draws depend only on where the
        officers stand.
        """
        hour = tick % model.ticks_per_day
        if not (VISIT_HOURS[0] <= hour < VISIT_HOURS[1]) or self["home_visits"] == 0:
            return
        pol, res = model.police, model.residents
        if res.n == 0:
            return
        officers = np.flatnonzero((pol.strategy == COMMUNITY_PATROL)
                                  & np.isin(pol.beat, self._districts))
        gain = model.levers.fair_gain
        loss = model.p.legitimacy.corruption_loss
        for j in officers:
            c = pol.pos[j]
            n = res.cell_res_count[c]
            u = self.rng.random(self["home_visits"])
            if n == 0:
                continue
            who = res.cell_res_start[c] + (u * n).astype(INT)
            who = who[res.state[who] == AT_HOME]
            if pol.corrupt[j]:
                res.legitimacy[who] -= loss * res.legitimacy[who]
            else:
                res.legitimacy[who] += gain * (1.0 - res.legitimacy[who])
            self.visits += int(who.size)

    def _cell_in(self, model: CrimeModel, district: int) -> int:
        """A residential cell of ``district`` (any of its cells if none): the new beat.

        A community officer never steps out of his beat (sim/kernels/patrol.py), so he
        must start inside it.
        """
        city = model.city
        cells = np.flatnonzero(city.flat("district") == district)
        homes = cells[city.flat("land_use")[cells] == RESIDENTIAL]
        pool = homes if homes.size else cells
        return int(pool[self.rng.integers(pool.size)])

    # --- what only the programme knows -------------------------------------------------
    def report(self, model: CrimeModel) -> dict[str, float]:
        """Mean legitimacy of the residents living in the target area, at the end.

        The headline of the calibration: the trust of the people the community
        officers serve (the model's metrics only give city-wide group means).
        """
        if self.mask is None or model.residents.n == 0:
            return {}
        res = model.residents
        here = self.mask[res.home]
        return {"legitimacy_area": float(res.legitimacy[here].mean()) if here.any()
                else float("nan"),
                "officers_moved": float(self.moved_officers.size),
                "home_visits": float(self.visits)}
