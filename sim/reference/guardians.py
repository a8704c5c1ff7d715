"""Capable guardians: police officers, outreach workers and private security guards.

- **Police** patrol by strategy (random, hot-spot, community, reactive to calls). Their
  presence deters (the field P, :mod:`sim.reference.guardianship`), they may see a crime
  and arrest -- or, if corrupt, take a bribe -- and community officers talk to people
  in the street, which builds (or, if corrupt, erodes) trust. docs/ODD.md §7.9-§7.13;
  the fast engine's twins are ``sim/kernels/patrol.py`` and ``legitimacy.py``.
- **Outreach workers** walk their district in working hours and visit homes; an
  at-risk youth at home may enrol in a programme (Heller 2014; Heller et al. 2017).
  §7.15; ``sim/kernels/services.py``.
- **Guards** stand at their posts at businesses; they count in the standing
  guardianship G of their cell (§7.14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import Cell, CellAgent, FixedAgent

from sim.config import AT_HOME, COMMUNITY_PATROL, HOTSPOT_PATROL, REACTIVE_PATROL, YOUTH
from sim.reference.space import KING_MOVES, chebyshev, king_step, step_toward

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel

#: Deprivation at or above which a young resident counts as at risk (sim/crime/daily.py).
AT_RISK_DEPRIVATION = 0.5


class PoliceOfficer(CellAgent):
    """A police officer on patrol.

    Args:
        model: The reference model.
        cell: Where the officer starts.
        strategy: ``RANDOM_PATROL``, ``HOTSPOT_PATROL``, ``COMMUNITY_PATROL`` or
            ``REACTIVE_PATROL``.
        beat: The beat district (community officers never leave it).
        corrupt: Takes bribes instead of arresting, and deters less.
    """

    def __init__(self, model: ReferenceCrimeModel, cell: Cell, strategy: int, beat: int,
                 corrupt: bool) -> None:
        super().__init__(model)
        self.cell = cell
        self.strategy = strategy
        self.beat = beat
        self.corrupt = corrupt
        self.target: Cell | None = None  # the hot spot or call the officer heads for

    @property
    def deterrence_weight(self) -> float:
        """1 for an honest officer; offenders discount a corrupt one (§7.10)."""
        return self.model.p.police.corrupt_deterrence if self.corrupt else 1.0

    def step(self) -> None:
        """Patrol for one hour: ``police.speed`` king's moves by strategy (§7.9)."""
        model = self.model
        if self.strategy == HOTSPOT_PATROL and model.hot_cells and self.target is None:
            self.target = model.hot_cells[int(self.random.random() * len(model.hot_cells))]
        elif self.strategy == REACTIVE_PATROL and self.target is None and model.calls:
            self.target = model.calls.pop(0)  # the oldest unanswered call
        for _ in range(model.p.police.speed):
            self.patrol_move()

    def patrol_move(self) -> None:
        """One king's move: toward the target if there is one, else a random step."""
        cell, target = self.cell, self.target
        at_hot_spot = (self.strategy == HOTSPOT_PATROL and target is not None
                       and chebyshev(cell, target) <= 1)
        if target is not None and target is not cell and not at_hot_spot:
            self.cell = step_toward(self.model.grid, cell, target)
            return
        if target is not None and self.strategy == REACTIVE_PATROL:
            self.target = None  # the call is answered: back to patrol
        self.random_step(hot_spot=target if self.strategy == HOTSPOT_PATROL else None)

    def random_step(self, hot_spot: Cell | None = None) -> None:
        """A king's move in a random direction, unless it is refused.

        Refused off the city, out of the beat (community officers), or out of the
        3 x 3 block around an officer's hot spot.
        """
        dx, dy = KING_MOVES[int(self.random.random() * 8.0)]
        nb = king_step(self.model.grid, self.cell, dx, dy)
        if nb is None:
            return
        if self.strategy == COMMUNITY_PATROL and nb.district != self.beat:
            return
        if hot_spot is not None and chebyshev(nb, hot_spot) > 1:
            return
        self.cell = nb

    def talk_to_public(self) -> None:
        """Community policing: talk to up to ``police.community_contacts`` people here.

        Each contact is drawn uniformly (with replacement) from the people in public at
        the officer's cell. An honest officer's contact is fair and builds trust; a
        corrupt officer's erodes it (Tyler 2004; Mazerolle et al. 2013).
        """
        if self.strategy != COMMUNITY_PATROL:
            return
        people = self.model.people_in_public(self.cell)
        for _ in range(min(self.model.p.police.community_contacts, len(people))):
            person = people[int(self.random.random() * len(people))]
            if self.corrupt:
                person.lose_trust(self.model.p.legitimacy.corruption_loss)
            else:
                person.fair_contact()


class OutreachWorker(CellAgent):
    """A social-service outreach worker serving one district.

    Args:
        model: The reference model.
        cell: Where the worker starts.
        district: The district served.
    """

    def __init__(self, model: ReferenceCrimeModel, cell: Cell, district: int) -> None:
        super().__init__(model)
        self.cell = cell
        self.district = district
        self.caseload = 0  # youth enrolled now

    def step(self) -> int:
        """One working hour: a step inside the district, then home visits.

        Returns the net change in the number of youth enrolled.
        """
        dx, dy = KING_MOVES[int(self.random.random() * 8.0)]
        nb = king_step(self.model.grid, self.cell, dx, dy)
        if nb is not None and nb.district == self.district:
            self.cell = nb
        return self.visit_homes()

    def visit_homes(self) -> int:
        """Make ``services.contacts`` visits to residents who live in this cell.

        A young resident who is at home, at risk (deprived home, marginalised, or
        already offending) and not in a running programme enrols with
        ``services.enrol_prob``, while the caseload has room. Returns the net change
        in the number of youth enrolled.
        """
        model, sp = self.model, self.model.p.services
        living_here = [m for hh in model.households_at(self.cell) for m in hh.members]
        if not living_here:
            return 0
        change = 0
        for _ in range(sp.contacts):
            youth = living_here[int(self.random.random() * len(living_here))]
            agrees = self.random.random() < sp.enrol_prob
            if (self.caseload >= sp.capacity or youth.age != YOUTH or youth.where != AT_HOME
                    or youth.enrolled(model.tick)):
                continue
            at_risk = (youth.home.deprivation >= AT_RISK_DEPRIVATION
                       or youth.marginalised or youth.offender is not None)
            if at_risk and agrees:
                if youth.enrolled_by is not None:  # a programme ended but not yet closed
                    youth.enrolled_by.caseload -= 1
                    change -= 1
                youth.enrolled_until = model.tick + sp.programme_days * model.ticks_per_day
                youth.enrolled_by = self
                self.caseload += 1
                change += 1
        return change


class Guard(FixedAgent):
    """A private security guard at a fixed post (a shop or a bar's door).

    Guards do not act: standing at the post, they make the cell's guardianship G
    (:func:`sim.reference.guardianship.standing_guardianship`).
    """

    def __init__(self, model: ReferenceCrimeModel, cell: Cell) -> None:
        super().__init__(model)
        self.cell = cell
