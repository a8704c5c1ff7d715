"""ReferenceCrimeModel: the crime model written the plain Mesa way, to be read.

The same rules as :class:`sim.crime.model.CrimeModel` (docs/ODD.md), in the same order, but
every resident, offender, officer, outreach worker and guard is a ``mesa.Agent``
living in a cell of an ``OrthogonalMooreGrid``, with a ``step()`` that reads like the
theory; no numba. The city and the people are built by the fast engine's own builders
(``sim/city``, ``sim/population``) from the model's ``rng``, so for the same scenario
and seed both engines start from the same city and the same people. After that the
reference draws from ``model.random`` (Python's generator, the plain Mesa way), so
the two engines agree in distribution, not draw for draw (tests/reference/).

Each tick (one hour), as in the fast engine:

0. at the first tick of a day: the daily tasks (:mod:`sim.reference.daily`), then
   the interventions;
1. jailed offenders whose term has ended walk free;
2. residents go where their plan says (home, work or school, out in public);
3. officers patrol; the police deterrence field P is recast;
4. on weekdays from 9:00 to 17:00, outreach workers walk and visit homes;
5. community officers talk to people in the street;
6. offenders decide whether to go out; then ``offenders.moves_per_tick`` rounds of
   "everyone out tries to offend, then those who did not offend walk";
7. the crimes' consequences (:mod:`sim.reference.consequences`);
8. new transient burglars appear (Short et al.'s Gamma, lattice scenarios only);
9. the near-repeat field B takes this tick's crimes (:mod:`sim.reference.near_repeat`);
10. the tick's metrics are recorded (the fast engine's columns;
    :mod:`sim.reference.observation`).
"""

from __future__ import annotations

import math
from os import PathLike
from types import SimpleNamespace
from typing import Any

import mesa
import numpy as np
from mesa.agent import AgentSet

from sim.city import build_city
from sim.config import (
    ADULT,
    CRIME_TYPES,
    ELDERLY,
    FREE,
    GROUPS,
    IN_PUBLIC,
    N_CRIME,
    NIGHTLIFE,
    NO_GANG,
    YOUTH,
)
from sim.interventions import InterventionError
from sim.metrics.events import EventLog
from sim.metrics.prevalence import group_masks
from sim.metrics.recorder import MetricsRecorder
from sim.plugins.runner import InterventionSet
from sim.population.guardians import build_guards, build_police, build_workers
from sim.population.offenders import build_offenders, gang_territories
from sim.population.residents import build_residents
from sim.reference.consequences import consequences
from sim.reference.daily import run_daily
from sim.reference.guardians import Guard, OutreachWorker, PoliceOfficer
from sim.reference.guardianship import police_presence, standing_guardianship
from sim.reference.near_repeat import update_b
from sim.reference.observation import Observation
from sim.reference.offenders import Crime, Offender
from sim.reference.residents import Household, Resident
from sim.reference.space import build_grid, cell_at, nearest_public
from sim.scenario import Scenario, ScenarioError
from sim.scenario.classic import CLASSIC_SWITCHES
from sim.scenario.model_scenario import ScenarioAttribute, resolve_scenario

#: Interventions the reference runs: those that change only the city's layers (which
#: both engines share). The others change the fast engine's arrays or rates.
SUPPORTED_INTERVENTIONS = ("street_lighting", "urban_renewal")


class AgentList(list):
    """A plain list of agents that also answers ``.n``, the fast engine's head count.

    So the shared reports (``sim.crime.report``, ``sim.crime.output``) read both engines.
    """

    @property
    def n(self) -> int:
        """Number of agents."""
        return len(self)


def _namespace(value: Any) -> Any:
    """Nested dicts as attribute namespaces: ``p.offenders.home_decay`` reads a key."""
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _namespace(v) for k, v in value.items()})
    return value



def refuse_newer_mechanisms(scenario: Scenario) -> None:
    """Refuse a scenario with a mechanism the reference engine does not implement.

    The reference engine implements the classic model only (the first release's
    rules); the mechanisms added since each have an off-switch in
    :data:`sim.scenario.classic.CLASSIC_SWITCHES`. Running it with one of them on
    would compare two different models, so every switch not off is named in a
    :class:`ScenarioError`. (Rates, recalibrated or not, it runs as given.)
    """
    wrong = {key: _dotted(scenario.params, key) for key in CLASSIC_SWITCHES}
    wrong = {key: value for key, value in wrong.items() if value != CLASSIC_SWITCHES[key]}
    if wrong:
        keys = ", ".join(f"{key} = {CLASSIC_SWITCHES[key]!r}" for key in wrong)
        raise ScenarioError(
            f"the reference engine implements the classic model only: set {keys} "
            "(or apply sim.scenario.classic.classic)")


def _dotted(params: Any, key: str) -> Any:
    """The value of a dotted key in validated parameters."""
    node = params
    for part in key.split("."):
        node = getattr(node, part)
    return node

class ReferenceCrimeModel(Observation, ScenarioAttribute, mesa.Model):
    """The crime model as plain Mesa agents (see the module docstring).

    Args:
        scenario: The scenario, or the path of a scenario file (default: the defaults).
        rng: Seed or numpy Generator. Set-up draws from ``model.rng`` exactly as the
            fast engine does; the run draws from ``model.random``.

    Attributes:
        city: The cell layers, shared with the grid's property layers.
        grid: The Mesa grid; every agent is in one of its cells.
        residents, officers, workers, guards: The agents of each kind, in the fast
            engine's index order (offenders come and go: :attr:`offenders`).
        results: Per-tick metrics with the fast engine's columns (``to_frame()``).
        events: One row per crime (offender = the agent's ``unique_id``).
        datacollector: A Mesa DataCollector with the fast engine's headline reporters.
    """

    def __init__(self, *, scenario: Scenario | str | PathLike | None = None,
                 rng: Any = None) -> None:
        super().__init__(rng=rng)
        # The fast engine spawns two streams first (plans, interventions); so do we, so
        # interventions draw the same cells and the set-up below draws the same numbers.
        _, intervention_rng = self.rng.spawn(2)
        self.scenario = resolve_scenario(scenario, {}, family="crime",
                                         default=Scenario.default,
                                         refusal="the reference engine runs the crime "
                                                 "model only")
        params = self.scenario.params
        refuse_newer_mechanisms(self.scenario)
        self.p = _namespace(params.to_dict())
        self.ticks_per_day = self.p.time.ticks_per_day
        self.dt = self.p.time.dt
        self.tick = 0
        self._build_world(params)
        self._init_parameters()
        self.interventions = InterventionSet(params.interventions.to_dict(), intervention_rng)
        for item in self.interventions:
            if item.name not in SUPPORTED_INTERVENTIONS:
                raise InterventionError(
                    f"interventions.{item.label}: the reference engine runs only the "
                    f"interventions that change the city's layers "
                    f"({', '.join(SUPPORTED_INTERVENTIONS)}); {item.name} is not one")
        self.interventions.check(self)
        self.results = MetricsRecorder(min(self.p.time.days * self.ticks_per_day + 1, 1 << 16))
        self.events = EventLog(enabled=self.p.metrics.event_log)
        self.datacollector = mesa.DataCollector(model_reporters={
            name: (lambda m, n=name: m.results.last(n))
            for name in ("crimes_total", *[f"crimes_{t}" for t in CRIME_TYPES],
                         "reported_crimes", "arrests", "offenders_free", "offenders_jailed",
                         "gang_members", "legitimacy_everyone", "mean_b")})

    # --- set-up -------------------------------------------------------------------------
    def _build_world(self, params: Any) -> None:
        """The city and the people, by the fast engine's builders, then as Mesa agents."""
        city_rng = np.random.default_rng(params.city.seed) if params.city.seed >= 0 else self.rng
        self.city = city = build_city(params, city_rng)
        pop = build_residents(city, params, self.rng)
        self.territory = [int(g) for g in gang_territories(city, params.offenders.gangs)]
        pool = build_offenders(city, pop, params, np.asarray(self.territory), self.rng)
        police = build_police(city, params, self.rng)
        workers = build_workers(city, params, self.rng)
        guards = build_guards(city, params, self.rng)

        self.police_field = np.zeros((city.height, city.width))
        self.e_field = np.zeros((city.height, city.width))
        self.grid = grid = build_grid(city, self.police_field, self.random)
        self.cells = [cell_at(grid, c) for c in range(city.n_cells)]  # flat order
        self.nearest_public = nearest_public(grid)
        self.nightlife_cells = [self.cells[c] for c in city.cells_of(NIGHTLIFE)]
        self.abstract_houses = pop.n == 0

        # Derived arrays (properties of Residents): made once, not once per row.
        hh_home, hh_vuln, household = pop.hh_home, pop.hh_vuln, pop.household
        vulnerability = pop.vulnerability
        households = [Household(h, self.cells[hh_home[h]], float(hh_vuln[h]))
                      for h in range(hh_home.shape[0])]
        self._households_at: dict[Any, list[Household]] = {}
        for hh in households:
            self._households_at.setdefault(hh.home, []).append(hh)
        self.residents = AgentList(
            Resident(self, i, households[household[i]], int(pop.age[i]),
                     bool(pop.female[i]), bool(pop.marginalised[i]), bool(pop.employed[i]),
                     self.cells[pop.activity_cell[i]] if pop.activity_cell[i] >= 0 else None,
                     float(pop.legitimacy[i]), tuple(float(v) for v in vulnerability[i]))
            for i in range(pop.n))
        for s in np.flatnonzero(pool.state == FREE):
            home = self.cells[pool.home[s]] if pool.home[s] >= 0 else None
            Offender(self, self.cells[pool.pos[s]], home, float(pool.motivation[s]),
                     int(pool.gang[s]),
                     self.residents[pool.resident[s]] if pool.resident[s] >= 0 else None)
        self.officers = AgentList(
            PoliceOfficer(self, self.cells[police.pos[j]], int(police.strategy[j]),
                          int(police.beat[j]), bool(police.corrupt[j]))
            for j in range(police.n))
        self.workers = AgentList(OutreachWorker(self, self.cells[workers.pos[w]],
                                                int(workers.district[w]))
                                 for w in range(workers.n))
        self.guards = AgentList(Guard(self, self.cells[c]) for c in guards.pos)

    def _init_parameters(self) -> None:
        """Per-crime-type rates as lists, and everything the metrics keep between ticks."""
        params = self.scenario.params
        crime = [params.crime[t] for t in CRIME_TYPES]
        self.crime_rates = [c.rate for c in crime]
        self.darkness = [c.darkness for c in crime]
        self.report_probs = [c.report_prob for c in crime]
        self.arrest_probs = [c.arrest_prob for c in crime]
        self.clearance_probs = [c.clearance_prob for c in crime]
        self.jail_days = [c.jail_days for c in crime]
        self.near_repeat_types = [self.p.near_repeat.crime_types == "all" or k == 0
                                  for k in range(N_CRIME)]
        r = self.p.routines
        self.routine = {age: SimpleNamespace(
            work_start=r.work_start, work_end=r.work_end, school_end=r.school_end,
            evening_start=r.evening_start, day_out=getattr(r.day_out, name),
            evening_out=getattr(r.evening_out, name),
            evening_hours=getattr(r.evening_hours, name),
            nightlife_choice=getattr(r.nightlife_choice, name))
            for age, name in ((YOUTH, "youth"), (ADULT, "adult"), (ELDERLY, "elderly"))}
        n_gangs = max(self.p.offenders.gangs, 1)
        self.grievance = [[0.0] * n_gangs for _ in range(n_gangs)]
        self.tension = [[1.0] * n_gangs for _ in range(n_gangs)]
        self.bribes = [0] * self.city.n_districts
        self.residents_in_district = [0] * self.city.n_districts
        for person in self.residents:
            self.residents_in_district[person.home.district] += 1
        self.hot_cells: list[Any] = []
        self.calls: list[Any] = []
        self.is_night = False
        self.enrolled = 0
        self.day_counts = {"recruits": 0, "desistances": 0}
        self.group_victims = [0] * len(GROUPS)
        self.legitimacy_means = [math.nan] * len(GROUPS)
        self.yearly_prevalence: list[dict[str, Any]] = []
        self._masks = group_masks(np.array([r.age for r in self.residents], np.int8),
                                  np.array([r.female for r in self.residents], bool),
                                  np.array([r.marginalised for r in self.residents], bool))
        self._year_start_counts = self.victim_counts()
        self._year_start_tick = 0
        if self.p.near_repeat.initial_b:
            self.city.b[:] = self.p.near_repeat.initial_b
        standing_guardianship(self)

    # --- what agents ask of the world ----------------------------------------------
    def agents_of(self, kind: type) -> AgentSet:
        """The Mesa AgentSet of one kind of agent, in creation order (maybe empty)."""
        return self.agents_by_type.get(kind) or AgentSet([], random=self.random)

    @property
    def offenders(self) -> list[Offender]:
        """The offenders now (free or jailed), oldest first."""
        return list(self.agents_by_type.get(Offender, ()))

    @property
    def day(self) -> int:
        """Days completed."""
        return self.tick // self.ticks_per_day

    @property
    def hour(self) -> int:
        """Tick within the current day (the hour)."""
        return self.tick % self.ticks_per_day

    def people_in_public(self, cell: Any) -> list[Resident]:
        """The residents out in public in ``cell`` this hour: targets and witnesses."""
        return [a for a in cell.agents if isinstance(a, Resident) and a.where == IN_PUBLIC]

    def households_at(self, cell: Any) -> list[Household]:
        """The households whose home is ``cell``."""
        return self._households_at.get(cell, [])

    # --- the hour --------------------------------------------------------------------
    def step(self) -> None:
        """Advance one tick, in the order of the module docstring."""
        p, tick = self.p, self.tick
        hour, day = self.hour, self.day
        if hour == 0:
            run_daily(self, day)
        if self.interventions.items:
            self.interventions.on_tick(self, tick, hour == 0)
        figures: dict[str, float] = {"day": day, "hour": hour}
        figures["releases"] = sum(self.agents_of(Offender).map("serve_time"))  # 1.
        residents = self.agents_of(Resident)
        residents.do("step")  # 2.
        figures["residents_in_public"] = len(residents.select(lambda r: r.in_public))
        officers = self.agents_of(PoliceOfficer)
        if officers:  # 3.
            officers.do("step")
            police_presence(self)
        if residents and 9 <= hour < 17 and day % 7 < 5:  # 4.
            self.enrolled += sum(self.agents_of(OutreachWorker).map("step"))
        if residents and p.police.community_contacts:  # 5.
            officers.do("talk_to_public")
        crimes, figures["offenders_active"] = self.offenders_hour(hour)  # 6.
        self.group_victims = [0] * len(GROUPS)
        counts = consequences(self, crimes)  # 7.
        if p.offenders.spawn_rate > 0:  # 8.
            for _ in range(poisson(self.random, p.offenders.spawn_rate * self.dt
                                   * self.city.n_cells)):
                Offender(self, self.random.choice(self.cells), None, 1.0, NO_GANG, None)
        update_b(self.city.b, self.e_field, p.near_repeat.eta,  # 9.
                 p.near_repeat.omega * self.dt, p.near_repeat.theta, self.city.periodic)
        self.record(figures, counts)  # 10.
        self.tick = tick + 1
        if self.tick % p.metrics.collect_every == 0:
            self.datacollector.collect(self)

    def offenders_hour(self, hour: int) -> tuple[list[Crime], int]:
        """Step 6: who goes out, then rounds of trying to offend and walking.

        Returns the tick's crimes and how many offenders were out.
        """
        op = self.p.offenders
        if hour < self.p.routines.night_end:
            p_active = op.active_night
        elif hour >= 18:
            p_active = op.active_evening
        else:
            p_active = op.active_day
        self.is_night = hour >= self.p.routines.night_start or hour < self.p.routines.night_end
        self.tension = [[1.0 + self.p.flows.retaliation * g for g in row]
                        for row in self.grievance]
        offenders = self.agents_of(Offender)
        offenders.do("decide_to_go_out", p_active, op.always_active)
        crimes: list[Crime] = []
        for _ in range(op.moves_per_tick):
            gang_members = list(offenders.select(
                lambda o: o.gang != NO_GANG and o.state == FREE and o.out))
            tries = offenders.select(lambda o: o.can_act).map(
                "try_to_offend", self.dt / op.moves_per_tick, gang_members)
            crimes += [crime for crime in tries if crime is not None]
            offenders.select(lambda o: o.can_act).do("walk")
        return crimes, len(offenders.select(lambda o: o.out))

    def run_days(self, days: float) -> None:
        """Run ``days`` days of hourly ticks."""
        self.run_for(int(round(days * self.ticks_per_day)))


def poisson(random: Any, lam: float) -> int:
    """A Poisson(``lam``) count: arrivals of a Poisson process within one unit of time."""
    n, t = 0, random.expovariate(lam) if lam > 0 else math.inf
    while t < 1.0:
        n += 1
        t += random.expovariate(lam)
    return n
