"""Residents and their households: routine activities, victimisation, trust in police.

Routine activity theory (Cohen & Felson 1979) says crime happens where a motivated
offender meets a suitable target with no capable guardian. Residents supply the
targets: each morning a resident plans the day (work or school, an outing, an
evening out), and each hour goes where the plan says -- home (keeping the household's
home occupied, so it cannot be burgled), sheltered at work or school (exposed to
nothing), or out in public (exposed to street crime). The rules are docs/ODD.md §7.1;
the fast engine's twin is ``sim/kernels/routines.py``.

A resident also carries a perceived legitimacy of the police, L in [0, 1] (Tyler
2004): it falls a little with every victimisation and with unanswered reports, rises
with fair contact, and relaxes each day toward the resident's own baseline (§7.13).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, CellAgent

from sim.config import ADULT, AGE_GROUPS, AT_ACTIVITY, AT_HOME, ELDERLY, IN_PUBLIC, YOUTH
from sim.reference.space import random_cell_near

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel
    from sim.reference.offenders import Offender

#: Group slots (``sim.config.GROUPS`` order): everyone, youth, adult, elderly,
#: women_and_girls, men_and_boys, marginalised.
_AGE_SLOT = {YOUTH: 1, ADULT: 2, ELDERLY: 3}


@dataclass
class Plan:
    """One resident's plan for one day; hours are 0-23, ``eve_end`` may pass 24.

    A part whose cell is None does not happen today.
    """

    early_cell: Cell | None = None  # yesterday's evening, carried past midnight
    early_end: int = 0
    day_cell: Cell | None = None  # work, school or a daytime outing
    day_start: int = 0
    day_end: int = 0
    day_public: bool = False  # an outing (in public all along), not work or school
    eve_cell: Cell | None = None  # an evening out, local or in the nightlife streets
    eve_start: int = 0
    eve_end: int = 0


class Household:
    """People who share a home: a burglary hurts them all, anyone at home protects it.

    Households are not agents (they do not act), only a collective the offenders see.

    Args:
        index: The household's number (the fast engine's household index).
        home: The home cell.
        vulnerability: Burglary weight: higher for a marginalised household (§7.6).
    """

    def __init__(self, index: int, home: Cell, vulnerability: float) -> None:
        self.index = index
        self.home = home
        self.vulnerability = vulnerability
        self.members: list[Resident] = []

    def nobody_home(self) -> bool:
        """Whether the home is empty this hour: a burglar's suitable target."""
        return all(m.where != AT_HOME for m in self.members)


class Resident(CellAgent):
    """A resident of the city.

    Args:
        model: The reference model.
        index: The resident's number (the fast engine's resident index).
        household: The household the resident belongs to (and is appended to).
        age: Age group code (``YOUTH``, ``ADULT``, ``ELDERLY``).
        female: Whether the resident is female.
        marginalised: Whether the resident's household is marginalised.
        employed: Whether an adult works.
        activity: Workplace (employed adults), nearest school (youth), or None.
        legitimacy: Perceived legitimacy of the police at the start, also the baseline.
        vulnerability: Victim-choice weight per crime type (§7.5).
    """

    def __init__(self, model: ReferenceCrimeModel, index: int, household: Household,
                 age: int, female: bool, marginalised: bool, employed: bool,
                 activity: Cell | None, legitimacy: float,
                 vulnerability: tuple[float, ...]) -> None:
        super().__init__(model)
        self.index = index
        self.household = household
        household.members.append(self)
        self.home: Cell = household.home
        self.age = age
        self.female = female
        self.marginalised = marginalised
        self.employed = employed
        self.activity = activity
        self.legitimacy = legitimacy
        self.legitimacy_baseline = legitimacy
        self.vulnerability = vulnerability
        self.victimisations = [0] * len(vulnerability)
        self.enrolled_until = 0  # tick a youth programme ends
        self.enrolled_by = None  # the outreach worker, while enrolled
        self.offender: Offender | None = None  # the offender this resident also is
        self.plan = Plan()
        self.where = AT_HOME
        self.cell = self.home
        self.groups = (0, _AGE_SLOT[age], 4 if female else 5) + ((6,) if marginalised else ())

    @property
    def age_group(self) -> str:
        """"youth", "adult" or "elderly"."""
        return AGE_GROUPS[self.age]

    @property
    def in_public(self) -> bool:
        """Out in public space this hour, where street crime can find them."""
        return self.where == IN_PUBLIC

    def enrolled(self, tick: int) -> bool:
        """Whether the resident is in a youth programme at ``tick``."""
        return self.enrolled_until > tick

    # --- the day's plan (daily) ------------------------------------------------------
    def plan_day(self, weekend: bool, u: list[float] | None = None) -> None:
        """Make today's plan from six uniforms ``u`` (docs/ODD.md §7.1).

        The uniforms are reused as the fast engine reuses them: ``u[3]`` sets the start
        hour of both outings and ``u[1]`` is also a coordinate of the evening outing.
        Without ``u`` the resident draws them.
        """
        model = self.model
        if u is None:
            u = [self.random.random() for _ in range(6)]
        r = model.routine[self.age]
        old, plan = self.plan, Plan()
        # An evening that ran past midnight carries over into this morning.
        if old.eve_cell is not None and old.eve_end > 24:
            plan.early_cell, plan.early_end = old.eve_cell, old.eve_end - 24
        if not weekend and self.activity is not None and (self.age == YOUTH or self.employed):
            plan.day_cell = self.activity
            plan.day_start = r.work_start
            plan.day_end = r.school_end if self.age == YOUTH else r.work_end
        elif u[0] < r.day_out:
            plan.day_cell = self.local_outing(u[1], u[2])
            plan.day_public = True
            plan.day_start = 10 + int(u[3] * 6.0)
            plan.day_end = plan.day_start + 2
        if u[4] < r.evening_out:
            v, choice, nightlife = u[5], r.nightlife_choice, model.nightlife_cells
            if nightlife and v < choice:
                plan.eve_cell = nightlife[int(v / choice * len(nightlife)) % len(nightlife)]
            else:
                w = (v - choice) / max(1.0 - choice, 1e-12) if nightlife else v
                plan.eve_cell = self.local_outing(w, u[1])
            plan.eve_start = r.evening_start + int(u[3] * 2.0)
            plan.eve_end = plan.eve_start + r.evening_hours
        self.plan = plan

    def local_outing(self, u1: float, u2: float) -> Cell:
        """The public place nearest to a spot drawn near home: a shop, park or bar."""
        model = self.model
        near = random_cell_near(model.grid, self.home, model.p.routines.local_radius, u1, u2)
        return model.nearest_public[near]

    # --- the hour (step 2 of the model's step) ------------------------------------
    def step(self) -> None:
        """Go where today's plan says for this hour.

        The first part of the plan that applies wins: an evening carried over from
        yesterday, the day block, the evening outing, else home. Commuters are in
        public in the first and last hour of a work or school block.
        """
        hour, plan = self.model.hour, self.plan
        if hour < plan.early_end:
            self.go(plan.early_cell, IN_PUBLIC)
        elif plan.day_cell is not None and plan.day_start <= hour < plan.day_end:
            commuting = hour in (plan.day_start, plan.day_end - 1)
            self.go(plan.day_cell, IN_PUBLIC if plan.day_public or commuting else AT_ACTIVITY)
        elif plan.eve_cell is not None and plan.eve_start <= hour < plan.eve_end:
            self.go(plan.eve_cell, IN_PUBLIC)
        else:
            self.go(self.home, AT_HOME)

    def go(self, cell: Cell, where: int) -> None:
        """Move to ``cell`` and be at home, at an activity, or in public there."""
        self.cell = cell
        self.where = where

    # --- what happens to a resident ----------------------------------------------
    def victimised(self, crime_type: int) -> None:
        """Count a victimisation; being a victim costs a little trust (Skogan 2006)."""
        self.victimisations[crime_type] += 1
        self.legitimacy -= self.model.p.legitimacy.victim_loss * self.legitimacy
        for g in self.groups:
            self.model.group_victims[g] += 1

    def fair_contact(self) -> None:
        """Fair treatment by the police: trust moves toward 1 (Tyler 2004)."""
        self.legitimacy += self.model.p.legitimacy.fair_contact_gain * (1.0 - self.legitimacy)

    def lose_trust(self, share: float) -> None:
        """Lose ``share`` of one's trust (an unanswered report, a corrupt officer)."""
        self.legitimacy -= share * self.legitimacy

    def relax_legitimacy(self, keep: float, bribe_news: float) -> None:
        """Daily: drift back toward one's own baseline, then hear of local bribes.

        Args:
            keep: Share of the gap to the baseline kept after a day.
            bribe_news: Share of trust lost to the bribes taken in the home district
                yesterday (0 if none).
        """
        x = self.legitimacy_baseline + (self.legitimacy - self.legitimacy_baseline) * keep
        x -= bribe_news * x
        self.legitimacy = min(max(x, 0.0), 1.0)
