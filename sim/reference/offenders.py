"""Offenders: routine activity theory's motivated offender, on the move.

Each hour a free offender may go out (most offending happens in the evening and at
night: Felson & Boba 2010); an outing starts from home. Out, the offender walks
toward attractive places within an awareness space around home (crime pattern
theory: Brantingham & Brantingham 1993; the walk is Short et al. 2008's), and at each
place weighs the chance of a crime:

    h_k = rate_k * S_k * A * M * exp(-(P + G)) * D_k * C_k

a suitable target ``S_k`` (empty homes, people in public, a rival gang member), the
place's attractiveness ``A = A0 + B``, the offender's propensity ``M`` (motivation,
tempered by trust in the police and by a youth programme), the absence of capable
guardians (police ``P``, standing guardianship ``G``), darkness ``D_k`` and the
crowd's eyes ``C_k``. The rules are docs/ODD.md §7.2-§7.7; the fast engine's twins are
``sim/kernels/activity.py``, ``offending.py`` and ``movement.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, CellAgent

from sim.config import (
    BURGLARY,
    FREE,
    GANG_VIOLENCE,
    JAILED,
    N_CRIME,
    NO_GANG,
    RESIDENTIAL,
    STREET_CRIMES,
)
from sim.reference.space import chebyshev, euclidean, walking_neighbours

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel
    from sim.reference.residents import Household, Resident


@dataclass
class Crime:
    """One crime and what came of it (a row of the fast engine's event log).

    The victim is a Resident, a Household (burglary), or None; for gang violence the
    victim is found after everyone has moved (the attacked rival's resident record).
    """

    kind: int
    cell: Cell
    offender: Offender
    victim: Resident | Household | None = None
    reported: bool = False
    arrested: bool = False
    bribed: bool = False


class Offender(CellAgent):
    """A motivated offender.

    Args:
        model: The reference model.
        cell: Where the offender starts.
        home: The home anchor (None for Short et al.'s transient burglars).
        motivation: Individual propensity (Gamma distributed, mean 1).
        gang: Gang number, or ``NO_GANG``.
        resident: The resident this offender also is, or None (a burglar of the lattice).
    """

    def __init__(self, model: ReferenceCrimeModel, cell: Cell, home: Cell | None,
                 motivation: float, gang: int, resident: Resident | None) -> None:
        super().__init__(model)
        self.cell = cell
        self.home = home
        self.motivation = motivation
        self.gang = gang
        self.resident = resident
        if resident is not None:
            resident.offender = self
        self.state = FREE
        self.release = 0  # tick a jail term ends
        self.arrests = 0
        self.born = model.tick
        self.out = False  # out this hour
        self.offended = False  # committed a crime this tick: done for the hour

    # --- going out (§7.2) -----------------------------------------------------------
    def decide_to_go_out(self, p_active: float, always: bool) -> None:
        """Go out this hour with probability ``p_active``; a new outing starts at home."""
        self.offended = False
        if self.state != FREE:
            self.out = False
            return
        if always:
            self.out = True
            return
        was_out = self.out
        self.out = self.random.random() < p_active
        if (not self.out or not was_out) and self.home is not None:
            self.cell = self.home

    @property
    def can_act(self) -> bool:
        """Out, free, and not yet offended this tick."""
        return self.out and self.state == FREE and not self.offended

    # --- the crime decision (§7.4-§7.7) --------------------------------------------
    def propensity(self) -> float:
        """Motivation, lowered by trust in the police and by a youth programme.

        ``M = motivation * (1 - compliance * L) * (1 - programme effect)`` (Tyler 2004;
        Epstein 2002; Heller et al. 2017).
        """
        m = self.motivation
        r = self.resident
        if r is not None:
            m *= 1.0 - self.model.p.offenders.compliance * r.legitimacy
            if r.enrolled(self.model.tick):
                m *= 1.0 - self.model.p.services.motivation_effect
        return m

    def rivals_near(self, gang_members: list[Offender]) -> list[Offender]:
        """Members of other gangs who are out and free within the gang radius."""
        if self.gang == NO_GANG:
            return []
        radius = self.model.p.flows.gang_radius
        return [j for j in gang_members if j.gang not in (NO_GANG, self.gang)
                and j.state == FREE and j.out and chebyshev(j.cell, self.cell) <= radius]

    def hazards(self, gang_members: list[Offender]) -> list[float]:
        """The hazard of each crime type here and now, ``h_k`` (per hour).

        Args:
            gang_members: Gang members out and free this round (rivals are among them).
        """
        model, cell = self.model, self.cell
        people = model.people_in_public(cell)
        eyes = 1.0 / (1.0 + model.p.guardianship.crowd * len(people))  # the crowd watches
        targets = [0.0] * N_CRIME
        if model.abstract_houses:  # Short et al.'s lattice: each cell is one house
            targets[BURGLARY] = 1.0 if cell.land_use == RESIDENTIAL else 0.0
        else:
            targets[BURGLARY] = sum(hh.vulnerability for hh in model.households_at(cell)
                                    if hh.nobody_home())
        for k in STREET_CRIMES:
            targets[k] = sum(p.vulnerability[k] for p in people) * eyes
        if self.gang != NO_GANG:
            tension = model.tension
            targets[GANG_VIOLENCE] = sum(tension[self.gang][j.gang]
                                         for j in self.rivals_near(gang_members)) * eyes
        common = ((cell.a0 + cell.b) * self.propensity()
                  * math.exp(-(cell.police + cell.guardianship)))
        night, dark = model.is_night, 1.0 - cell.lighting
        return [model.crime_rates[k] * targets[k] * common
                * (1.0 + model.darkness[k] * dark if night else 1.0) for k in range(N_CRIME)]

    def try_to_offend(self, dt: float, gang_members: list[Offender]) -> Crime | None:
        """Commit a crime in this sub-step with ``1 - exp(-dt * sum_k h_k)``.

        The type is drawn in proportion to ``h_k``, the victim in proportion to
        vulnerability; an offender who offends stops for the rest of the tick.
        """
        h = self.hazards(gang_members)
        total = sum(h)
        if self.random.random() >= 1.0 - math.exp(-total * dt) or total <= 0.0:
            return None
        kind = self.random.choices(range(N_CRIME), weights=h)[0]
        self.offended = True
        return Crime(kind, self.cell, self, self.choose_victim(kind))

    def choose_victim(self, kind: int) -> Resident | Household | None:
        """The victim: an empty household, or a person in public, by vulnerability.

        Gang violence finds its victim later (the rival nearby once everyone has moved).
        """
        model, cell = self.model, self.cell
        if kind == BURGLARY:
            if model.abstract_houses:
                return None
            empty = [hh for hh in model.households_at(cell) if hh.nobody_home()]
            return self.random.choices(empty, weights=[hh.vulnerability for hh in empty])[0]
        if kind == GANG_VIOLENCE:
            return None
        people = model.people_in_public(cell)
        return self.random.choices(people, weights=[p.vulnerability[kind] for p in people])[0]

    # --- the walk (§7.3) ---------------------------------------------------------------
    def pull(self, cell: Cell) -> float:
        """How strongly a neighbouring cell draws the offender.

        ``(A0 + B) * exp(-decay * d)`` within the awareness radius of home, where ``d``
        is the cell's distance from home; no anchor, no pull of home.
        """
        a = cell.a0 + cell.b
        op = self.model.p.offenders
        if self.home is None or (op.home_decay <= 0.0 and op.awareness_radius <= 0):
            return a
        city = self.model.city
        d = euclidean(cell, self.home, city.width, city.height, city.periodic)
        if 0 < op.awareness_radius < d:
            return 0.0
        return a * math.exp(-op.home_decay * d)

    def walk(self) -> None:
        """Step to a neighbouring cell, drawn in proportion to its pull."""
        options = walking_neighbours(self.cell, self.model.p.city.neighbourhood)
        weights = [self.pull(c) for c in options]
        if sum(weights) > 0.0:
            self.cell = self.random.choices(options, weights=weights)[0]

    # --- justice ------------------------------------------------------------------------
    def jail(self, ticks: int) -> None:
        """Serve a jail term; the offender stays off the streets until released."""
        self.state = JAILED
        self.release = self.model.tick + ticks

    def serve_time(self) -> bool:
        """Walk free if the term has ended; returns whether released now (§7.18)."""
        if self.state == JAILED and self.release <= self.model.tick:
            self.state = FREE
            return True
        return False

    def leave(self) -> None:
        """Stop offending for good (desistance, or a transient burglar's exit).

        The resident, if any, is an ordinary resident again and may be recruited anew.
        """
        if self.resident is not None:
            self.resident.offender = None
            self.resident = None
        self.remove()
