"""CrimeModel: the Mesa model that runs the kernels in one documented order.

One tick is one hour in the city (``time.ticks_per_day`` ticks a day; on Short et
al.'s lattice one tick is one step of their dt). Each tick (:meth:`CrimeModel.step`):

0. at the first tick of a day: daily tasks (:meth:`_daily`): residents' plans,
   legitimacy (reversion, corruption news), recruitment, desistance, programme ends,
   guardianship, hot-spot list, gang grievances, the yearly prevalence snapshot;
   then the interventions: start, stop, daily and hourly hooks (:mod:`sim.interventions`);
1. release offenders whose jail term ended;
2. routines: place every resident (home, sheltered activity, public space);
3. patrol: officers move by strategy; the police deterrence field is recast;
4. services: outreach workers walk their district and enrol at-risk youth;
5. community officers' contacts with residents;
6. offenders: who is out; then ``moves_per_tick`` times: try to offend, then walk;
7. consequences: victims, reporting, arrest or bribery, victims' trust;
   transient offenders leave after their crime (Short et al.);
8. new transient offenders spawn (rate Gamma per cell);
9. the near-repeat field B is updated with this tick's crimes;
10. layers (crime counts, reported-crime heat, calls for service) and metrics.

The schedule is data: :data:`sim.crime.plan.DAILY_PLAN` (step 0) and
:data:`sim.crime.plan.HOURLY_PLAN` (steps 0b to 10), one named phase per step, each a
function of ``(state, levers, clock)``. All state lives in arrays, in typed containers
(``model.state``: :class:`sim.crime.state.EngineState`; ``model.city``,
``model.residents``, ... are its parts); every rate the tick reads is a lever
(``model.levers``: :class:`sim.crime.levers.Levers`). Mesa agents are views on the
arrays (:mod:`sim.crime.agents`). Every draw comes from ``model.rng`` or a stream spawned from it
at set-up (residents' daily plans; each intervention), so that scenarios run with the
same seed share their random numbers wherever they do not differ (common random
numbers): the city, the population and everyone's daily plans are the same draws.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import mesa
import numpy as np

from sim.city import build_city
from sim.config import CRIME_TYPES, DEAD, INT
from sim.crime import awareness, daily, deterrence, market
from sim.crime.agents import AgentViews
from sim.crime.invariants import InvariantChecker, with_invariant_checks
from sim.crime.levers import Levers, levers_from_params
from sim.crime.plan import DAILY_PLAN, HOURLY_PLAN, Clock, Phase, PhaseRun, tick_runs
from sim.crime.state import (
    EngineState,
    Scratch,
    city_layers,
    fresh_fields,
    fresh_justice,
    fresh_outreach,
    fresh_tallies,
)
from sim.metrics.analyzers import Analyzer, AnalyzerSet
from sim.metrics.events import EventLog
from sim.metrics.prevalence import group_masks, household_burglary_rate, prevalence_table
from sim.metrics.recorder import METRICS, MetricsRecorder
from sim.plugins.runner import InterventionSet
from sim.population.destinations import destination_tables
from sim.population.guardians import (
    Guards,
    Police,
    Workers,
    build_guards,
    build_police,
    build_workers,
)
from sim.population.offenders import Offenders, build_offenders, gang_territories
from sim.population.relationships import add_domestic_offenders
from sim.population.residents import Residents, build_residents, nearest_public_cells
from sim.scenario import Scenario
from sim.scenario.footprint import check_footprint
from sim.scenario.model_scenario import ScenarioAttribute, resolve_scenario


class CrimeModel(ScenarioAttribute, mesa.Model):
    """An agent-based model of urban crime and its prevention.

    Args:
        scenario: The validated scenario, or the path of a scenario file (defaults to
            the baseline city).
        rng: Seed or numpy Generator; every random draw of the run comes from it.
        agent_views: Override ``agents.views``: create ``mesa.Agent`` views of every
            agent (True) or skip them for speed (False).
        check_invariants: Check the model's invariants after every tick (debug mode,
            :mod:`sim.crime.invariants`); default: the ``CRIMESIM_CHECK_INVARIANTS``
            environment variable.
        analyzers: Measures taken during the run (:mod:`sim.metrics.analyzers`):
            instances or registered names, called after every tick and by
            :meth:`finish`; they draw no random numbers, so results do not change.
        **overrides: Scenario keys with ``__`` for the dots, e.g. ``police__count=40``
            for ``police.count``: keyword model parameters in Mesa's manner, so
            ``mesa.batch_run(CrimeModel, parameters={"police__count": [10, 40]},
            rng=[1, 2])`` sweeps them.

    Attributes:
        state: Every array the tick reads and writes (:class:`EngineState`).
        levers: Every rate the tick reads (:class:`Levers`); plug-ins change rates here.
        plan: The phases of a tick: the daily tasks (first tick of a day), then the hour.
        clock: The tick being run, its hour, day and metrics row.
        interventions: The scenario's interventions (:mod:`sim.interventions`).
        datacollector: A Mesa DataCollector with the headline metrics, collected
            every ``metrics.collect_every`` ticks.
    """

    def __init__(self, *, scenario: Scenario | str | None = None, rng: Any = None,
                 agent_views: bool | None = None, check_invariants: bool | None = None,
                 analyzers: list[Analyzer | str] | None = None, **overrides: Any) -> None:
        super().__init__(rng=rng)
        # Streams spawned without consuming model.rng: plans and interventions draw from
        # their own, so an intervention does not shift anyone's plans (common random numbers).
        plan_rng, intervention_rng = self.rng.spawn(2)
        scenario = resolve_scenario(
            scenario, overrides, family="crime", default=Scenario.default,
            refusal="this runs the crime model only (run it with crimesim run or "
                    "sim.CivilViolenceModel)")
        self.scenario = scenario
        p = self.p = self.scenario.params
        self.ticks_per_day = p.time.ticks_per_day
        self.dt = p.time.dt
        self.tick = 0  # ticks completed
        self.state = self._build_state(p, plan_rng)
        self.levers: Levers = levers_from_params(p, self.city.n_cells)
        market.setup(self.state, self.levers)  # the illicit market (no draws)
        deterrence.start(self.state, self.levers)
        if self.levers.aw_enabled:
            self.state.aw_tables = awareness.build_tables(self.state.city.city,
                                                          self.state.city.territory)
        if p.near_repeat.initial_b:
            self.city.b[:] = p.near_repeat.initial_b
        self.refresh_guardianship()
        self.interventions = InterventionSet(p.interventions.to_dict(), intervention_rng)
        self.interventions.check(self)
        views = p.agents.views if agent_views is None else agent_views
        self.views = AgentViews(self, enabled=views)
        self.datacollector = self._make_datacollector()
        self._grid: mesa.discrete_space.OrthogonalMooreGrid | None = None
        if check_invariants is None:
            check_invariants = os.environ.get("CRIMESIM_CHECK_INVARIANTS", "") not in ("", "0")
        self.invariants = InvariantChecker(self) if check_invariants else None
        daily_plan, hourly_plan = DAILY_PLAN, HOURLY_PLAN
        if self.invariants is not None:
            hourly_plan = with_invariant_checks(hourly_plan)
        self.plan: tuple[tuple[Phase, ...], tuple[Phase, ...]] = (daily_plan, hourly_plan)
        self._first_hour_runs, self._hour_runs = tick_runs(daily_plan, hourly_plan)
        self.clock = Clock(0, 0, 0, np.zeros(0), self)
        self.analyzers = AnalyzerSet(analyzers)
        self.analyzers.start(self)

    # --- set-up -----------------------------------------------------------------
    def _build_state(self, p: Any, plan_rng: np.random.Generator) -> EngineState:
        """Build the city and the populations (in this order: the draws are pinned)."""
        check_footprint(p)  # refuse in one line what this machine cannot hold
        # A fixed city.seed gives every replication the same city (its own stream);
        # otherwise the run's seed draws the city too, from model.rng as before.
        city_rng = np.random.default_rng(p.city.seed) if p.city.seed >= 0 else self.rng
        city = build_city(p, city_rng)
        residents = build_residents(city, p, self.rng)
        territory = gang_territories(city, p.offenders.gangs)
        offenders = build_offenders(city, residents, p, territory, self.rng)
        police = build_police(city, p, self.rng)
        workers = build_workers(city, p, self.rng)
        guards = build_guards(city, p, self.rng)
        add_domestic_offenders(residents, offenders, p, self.rng)  # no draws when off
        fields = fresh_fields(city.n_cells, police.deterrence_weight(p.police.corrupt_deterrence))
        # Preallocate for the scenario's run length (capped: the table grows as needed).
        results = MetricsRecorder(min(p.time.days * self.ticks_per_day + 1, 1 << 16))
        return EngineState(
            city=city_layers(city, residents, territory, nearest_public_cells(city), fields,
                             destination_tables(city, p)),
            residents=residents, offenders=offenders, police=police,
            outreach=fresh_outreach(workers), guards=guards, fields=fields,
            justice=fresh_justice(city.n_districts, p.offenders.gangs),
            tallies=fresh_tallies(residents), scratch=Scratch.for_capacity(offenders.capacity),
            results=results, events=EventLog(enabled=p.metrics.event_log), rng=self.rng,
            plan_rng=plan_rng)

    def _make_datacollector(self) -> mesa.DataCollector:
        names = ["crimes_total", *[f"crimes_{t}" for t in CRIME_TYPES], "reported_crimes",
                 "arrests", "offenders_free", "offenders_jailed", "gang_members",
                 "legitimacy_everyone", "mean_b"]
        reporters = {name: (lambda m, n=name: m.results.last(n)) for name in names}
        return mesa.DataCollector(model_reporters=reporters)

    # --- the step -----------------------------------------------------------------
    def step(self) -> None:
        """Advance one tick: the daily plan at the first tick of a day, then the hour."""
        clock, tick = self.clock, self.tick
        clock.tick = tick
        clock.hour = hour = tick % self.ticks_per_day
        clock.day = tick // self.ticks_per_day
        state, levers = self.state, self.levers
        for run in (self._hour_runs if hour else self._first_hour_runs):
            run(state, levers, clock)

    def finish(self) -> None:
        """End the run: the analyzers take their last measures (once; idempotent)."""
        self.analyzers.finish(self)

    def instrument(self, wrap: Callable[[Phase], PhaseRun] | None = None) -> None:
        """Run every phase of the plan through ``wrap(phase)`` (None: the plain plan).

        For tools that watch the phases, such as the phase profiler
        (:mod:`sim.bench.phase_profile`): the wrapper gets each :class:`Phase` and
        returns the function to run in its place. The step itself stays one loop.
        """
        self._first_hour_runs, self._hour_runs = tick_runs(*self.plan, wrap=wrap)

    # --- the state's parts, by name ---------------------------------------------------
    @property
    def city(self) -> Any:
        """The city's cell layers (:class:`sim.city.City`)."""
        return self.state.city.city

    @property
    def residents(self) -> Residents:
        """Residents and households (arrays)."""
        return self.state.residents

    @property
    def offenders(self) -> Offenders:
        """The offender pool (slot arrays)."""
        return self.state.offenders

    @property
    def police(self) -> Police:
        """Officers (arrays)."""
        return self.state.police

    @property
    def workers(self) -> Workers:
        """Outreach workers (arrays)."""
        return self.state.outreach.workers

    @property
    def guards(self) -> Guards:
        """Private security guard posts; replaced, not resized, when posts change."""
        return self.state.guards

    @guards.setter
    def guards(self, guards: Guards) -> None:
        self.state.guards = guards

    @property
    def territory(self) -> np.ndarray:
        """Each gang's territory."""
        return self.state.city.territory

    @property
    def results(self) -> MetricsRecorder:
        """The per-tick metrics; ``results.to_frame()`` gives a DataFrame."""
        return self.state.results

    @property
    def events(self) -> EventLog:
        """The crime event log (one row per crime), if enabled."""
        return self.state.events

    @property
    def yearly_prevalence(self) -> list[dict[str, Any]]:
        """Prevalence by group of every completed survey year."""
        return self.state.tallies.yearly_prevalence

    @property
    def crime_rates(self) -> np.ndarray:
        """Base hazard rate per crime type (``levers.crime_rates``), changeable in place."""
        return self.levers.crime_rates

    @property
    def arrest_probs(self) -> np.ndarray:
        """Arrest probability per crime type (``levers.arrest_probs``), in place."""
        return self.levers.arrest_probs

    @property
    def report_probs(self) -> np.ndarray:
        """Base reporting probability per crime type (``levers.report_probs``), in place."""
        return self.levers.report_probs

    @property
    def clearance_probs(self) -> np.ndarray:
        """Probability an investigation solves a reported crime, per type, in place."""
        return self.levers.clearance_probs

    @property
    def day(self) -> int:
        """Days completed."""
        return self.tick // self.ticks_per_day

    @property
    def hour(self) -> int:
        """Tick within the current day (the hour, in the city)."""
        return self.tick % self.ticks_per_day

    @property
    def grid(self) -> mesa.discrete_space.OrthogonalMooreGrid:
        """A Mesa grid over the city, built on first use.

        The layers are property layers sharing memory with the arrays. Mesa builds one
        object per cell, so sweeps that never look at the grid never pay for it.
        """
        if self._grid is None:
            from sim.crime.mesa_grid import build_grid

            self._grid = build_grid(self)
        return self._grid

    # --- public API ---------------------------------------------------------------
    def group_masks(self) -> dict[str, np.ndarray]:
        """Residents of each group in GROUPS (boolean masks, made when asked).

        Made on demand rather than kept: seven masks would cost seven bytes per
        resident for the whole run, and prevalence is asked for rarely.
        """
        res = self.residents
        return group_masks(res.age, res.female, res.marginalised)

    def prevalence(self) -> dict[str, Any]:
        """Prevalence by group and crime type since the current survey year began."""
        t = self.state.tallies
        counts = t.year_start.since(self.residents.victim_counts)
        days = (self.tick - t.year_start_tick) / self.ticks_per_day
        table = prevalence_table(counts, self.group_masks())
        return {"days": days, "groups": table,
                "households_burgled": household_burglary_rate(counts, self.residents.hh_first)}

    def refresh_guardianship(self) -> None:
        """Recompute standing guardianship now (after guards or cameras change)."""
        daily.refresh_guardianship(self.state, self.levers)

    def refresh_police_weight(self) -> None:
        """Recompute each officer's deterrence weight (after corruption changes)."""
        self.state.fields.police_weight[:] = self.police.deterrence_weight(
            self.levers.corrupt_deterrence)

    def cancel_recruitment(self, slots: np.ndarray) -> None:
        """Undo today's recruitment of the offenders in ``slots``, before they act.

        For prevention programmes that stop a recruitment on the day it happens
        (:mod:`sim.interventions.youth_programme`). The slot returns to the free stack
        and the resident is an ordinary resident again, exactly as desistance frees a
        slot (``kernels/flows.py``), and the day's recruit count drops so the metric
        counts only those who stayed. Interventions run right after the daily
        recruitment (step 0b), so a recruit removed then has not yet been out.
        """
        off, res = self.offenders, self.residents
        for s in np.asarray(slots, INT):
            r = off.resident[s]
            if r >= 0:
                res.offender_of[r] = -1
            off.state[s] = DEAD
            off.resident[s] = -1
            off.free_stack[off.free_top[0]] = s
            off.free_top[0] += 1
            self.state.tallies.day_counts[0] -= 1

    def awareness_space(self, slot: int) -> dict[str, Any]:
        """Offender ``slot``'s awareness space: home, activity nodes, anchor, paths.

        See :func:`sim.crime.awareness.awareness_space`; raises ValueError for a free slot.
        """
        return awareness.awareness_space(self.state, self.levers, slot)

    def run_days(self, days: float, callback: Any = None) -> None:
        """Run ``days`` days, calling ``callback(model)`` after each day if given."""
        for _ in range(int(round(days * self.ticks_per_day)) // self.ticks_per_day):
            self.run_for(self.ticks_per_day)
            if callback is not None:
                callback(self)
        rest = int(round(days * self.ticks_per_day)) % self.ticks_per_day
        if rest:
            self.run_for(rest)


__all__ = ["METRICS", "CrimeModel"]
