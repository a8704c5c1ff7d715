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

All state lives in arrays (``model.city``, ``model.residents``, ``model.offenders``,
``model.police``, ``model.workers``, ``model.guards``); Mesa agents are views on them
(:mod:`sim.crime.agents`). Every draw comes from ``model.rng`` or a stream spawned from it
at set-up (residents' daily plans; each intervention), so that scenarios run with the
same seed share their random numbers wherever they do not differ (common random
numbers): the city, the population and everyone's daily plans are the same draws.
"""

from __future__ import annotations

import math
import os
from types import SimpleNamespace
from typing import Any

import mesa
import numpy as np

from sim.city import City, build_city
from sim.config import (
    COMMUNITY_PATROL,
    CRIME_TYPES,
    DEAD,
    EV_CELL,
    EV_REPORTED,
    FLOAT,
    GROUPS,
    INDEX,
    INT,
    N_CRIME,
    N_EVENT_FIELDS,
)
from sim.crime.agents import AgentViews
from sim.crime.daily import AT_RISK_DEPRIVATION, refresh_guardianship, run_daily
from sim.crime.invariants import InvariantChecker
from sim.kernels import (
    consequences,
    flows,
    legitimacy,
    near_repeat,
    offender_tick,
    patrol,
    routines,
    services,
    summary,
)
from sim.metrics.analyzers import Analyzer, AnalyzerSet
from sim.metrics.events import EventLog
from sim.metrics.prevalence import (
    CountSnapshot,
    group_masks,
    household_burglary_rate,
    prevalence_table,
)
from sim.metrics.recorder import COLUMN, METRICS, MetricsRecorder
from sim.plugins.runner import InterventionSet
from sim.population.guardians import build_guards, build_police, build_workers
from sim.population.offenders import build_offenders, gang_territories
from sim.population.residents import build_residents, nearest_public_cells
from sim.scenario import Scenario
from sim.scenario.footprint import check_footprint
from sim.scenario.model_scenario import ScenarioAttribute, resolve_scenario

_CRIME_COL0 = COLUMN[f"crimes_{CRIME_TYPES[0]}"]
_VICTIM_COL = COLUMN[f"victimisations_{GROUPS[0]}"]
_LEGIT_COL = COLUMN[f"legitimacy_{GROUPS[0]}"]
_COL_DAY, _COL_HOUR = COLUMN["day"], COLUMN["hour"]
_COL_RELEASES, _COL_PUBLIC = COLUMN["releases"], COLUMN["residents_in_public"]
_COL_ACTIVE, _COL_TOTAL = COLUMN["offenders_active"], COLUMN["crimes_total"]
_COL_REPORTED, _COL_ARRESTS, _COL_BRIBES = (COLUMN["reported_crimes"], COLUMN["arrests"],
                                            COLUMN["bribes"])
_COL_FREE, _COL_JAILED, _COL_GANG = (COLUMN["offenders_free"], COLUMN["offenders_jailed"],
                                     COLUMN["gang_members"])
_COL_ENROLLED, _COL_RECRUITS, _COL_DESIST = (COLUMN["enrolled"], COLUMN["recruits"],
                                             COLUMN["desistances"])
_COL_MEAN_B, _COL_MEAN_A = COLUMN["mean_b"], COLUMN["mean_attractiveness"]



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
        city: The cell layers (:class:`sim.city.City`).
        residents, offenders, police, workers, guards: Agent arrays.
        results: The per-tick metrics; ``results.to_frame()`` gives a DataFrame.
        events: The crime event log (one row per crime), if enabled.
        datacollector: A Mesa DataCollector with the headline metrics, collected
            every ``metrics.collect_every`` ticks.
    """

    def __init__(self, *, scenario: Scenario | str | None = None, rng: Any = None,
                 agent_views: bool | None = None, check_invariants: bool | None = None,
                 analyzers: list[Analyzer | str] | None = None, **overrides: Any) -> None:
        super().__init__(rng=rng)
        # Streams spawned without consuming model.rng: plans and interventions draw from
        # their own, so an intervention does not shift anyone's plans (common random numbers).
        self._plan_rng, intervention_rng = self.rng.spawn(2)
        scenario = resolve_scenario(
            scenario, overrides, family="crime", default=Scenario.default,
            refusal="this runs the crime model only (run it with crimesim run or "
                    "sim.CivilViolenceModel)")
        self.scenario = scenario
        p = self.p = self.scenario.params
        self.ticks_per_day = p.time.ticks_per_day
        self.dt = p.time.dt
        self.tick = 0  # ticks completed
        # A fixed city.seed gives every replication the same city (its own stream);
        # otherwise the run's seed draws the city too, from model.rng as before.
        check_footprint(p)  # refuse in one line what this machine cannot hold
        city_rng = np.random.default_rng(p.city.seed) if p.city.seed >= 0 else self.rng
        self.city: City = build_city(p, city_rng)
        c = self.city
        self._flat = {name: c.flat(name) for name in
                      ("land_use", "district", "lighting", "cctv", "a0", "b", "guardianship")}
        self.residents = build_residents(c, p, self.rng)
        self.territory = gang_territories(c, p.offenders.gangs)
        self.offenders = build_offenders(c, self.residents, p, self.territory, self.rng)
        self.police = build_police(c, p, self.rng)
        self.workers = build_workers(c, p, self.rng)
        self.guards = build_guards(c, p, self.rng)
        self._nearest_public = nearest_public_cells(c)
        self._nightlife = c.cells_of(2).astype(INT)
        self._abstract_houses = self.residents.n == 0
        self._init_parameters()
        self._init_buffers()
        self.interventions = InterventionSet(p.interventions.to_dict(), intervention_rng)
        self.interventions.check(self)
        # Preallocate for the scenario's run length (capped: the table grows as needed).
        self.results = MetricsRecorder(min(p.time.days * self.ticks_per_day + 1, 1 << 16))
        self.events = EventLog(enabled=p.metrics.event_log)
        self.yearly_prevalence: list[dict[str, Any]] = []
        self._year_start = CountSnapshot(self.residents.victim_counts)
        # An upper bound on any victimisation count, kept so the counts' narrow dtype is
        # widened before it could overflow (see _guard_victim_counts).
        self._victim_bound = 0
        self._year_start_tick = 0
        views = p.agents.views if agent_views is None else agent_views
        self.views = AgentViews(self, enabled=views)
        self.datacollector = self._make_datacollector()
        self._grid: mesa.discrete_space.OrthogonalMooreGrid | None = None
        if check_invariants is None:
            check_invariants = os.environ.get("CRIMESIM_CHECK_INVARIANTS", "") not in ("", "0")
        self.invariants = InvariantChecker(self) if check_invariants else None
        self.analyzers = AnalyzerSet(analyzers)
        self.analyzers.start(self)

    # --- set-up -----------------------------------------------------------------
    def _init_parameters(self) -> None:
        p = self.p
        crime = p.crime
        self._rate = np.array([crime[t].rate for t in CRIME_TYPES], FLOAT)
        self._darkness = np.array([crime[t].darkness for t in CRIME_TYPES], FLOAT)
        self._report = np.array([crime[t].report_prob for t in CRIME_TYPES], FLOAT)
        self._arrest = np.array([crime[t].arrest_prob for t in CRIME_TYPES], FLOAT)
        self._clear = np.array([crime[t].clearance_prob for t in CRIME_TYPES], FLOAT)
        self._jail_ticks = np.array([crime[t].jail_days * self.ticks_per_day
                                     for t in CRIME_TYPES], FLOAT)
        r = p.routines
        self._day_out = np.array([r.day_out.youth, r.day_out.adult, r.day_out.elderly])
        self._eve_out = np.array([r.evening_out.youth, r.evening_out.adult,
                                  r.evening_out.elderly])
        self._eve_hours = np.array([r.evening_hours.youth, r.evening_hours.adult,
                                    r.evening_hours.elderly], INT)
        self._night_choice = np.array([r.nightlife_choice.youth, r.nightlife_choice.adult,
                                       r.nightlife_choice.elderly])
        self._nr_mask = (np.ones(N_CRIME, bool) if p.near_repeat.crime_types == "all"
                         else np.arange(N_CRIME) == 0)
        self._police_weight = self.police.deterrence_weight(p.police.corrupt_deterrence)
        self._legit_ref = p.residents.legitimacy_mean
        self._keep = 0.5 ** (1.0 / p.legitimacy.reversion_days)
        self._grievance_keep = math.exp(-1.0 / p.flows.retaliation_days)
        self._q = _cached_parameters(p, self.dt, self.ticks_per_day, self.city.n_cells)
        self._residents_by_district = np.bincount(
            self.residents.home_district, minlength=self.city.n_districts).astype(INT)

    def _init_buffers(self) -> None:
        c = self.city
        n = c.n_cells
        self._events = np.zeros((self.offenders.capacity + 1, N_EVENT_FIELDS), INDEX)
        self._b_next = np.zeros(n, FLOAT)
        self._e_field = np.zeros(n, FLOAT)
        self._police_field = np.zeros(n, FLOAT)
        self._bribes = np.zeros(c.n_districts, INT)
        self._group_victims = np.zeros(len(GROUPS), INT)
        self._legit_means = np.full(len(GROUPS), np.nan)
        self._grievance = np.zeros((max(self.p.offenders.gangs, 1),) * 2, FLOAT)
        self._tension = np.ones_like(self._grievance)
        self._hot_cells = np.zeros(0, INT)
        self._calls = np.zeros(0, INT)
        self._moving = np.zeros(self.offenders.capacity, np.bool_)
        self._day_counts = np.zeros(2, INT)  # recruits, desistances since the last row
        self._tick_counts = np.zeros((2, N_CRIME), INT)
        self._crime_count_flat = c.crime_count.reshape(N_CRIME, -1)
        self._heat_flat = c.reported_heat.reshape(-1)
        self._enrolled = 0
        self._worker_strategy = np.full(self.workers.n, COMMUNITY_PATROL, INT)
        self._worker_target = np.full(self.workers.n, -1, INT)
        b0 = self.p.near_repeat.initial_b
        if b0:
            c.b[:] = b0
        self._refresh_guardianship()

    def _make_datacollector(self) -> mesa.DataCollector:
        names = ["crimes_total", *[f"crimes_{t}" for t in CRIME_TYPES], "reported_crimes",
                 "arrests", "offenders_free", "offenders_jailed", "gang_members",
                 "legitimacy_everyone", "mean_b"]
        reporters = {name: (lambda m, n=name: m.results.last(n)) for name in names}
        return mesa.DataCollector(model_reporters=reporters)

    # --- public API ---------------------------------------------------------------
    @property
    def levers(self) -> SimpleNamespace:
        """The rates the hourly step reads, which interventions may change.

        A namespace of scalars (``detect_prob``, ``bribe_prob``, ``enrolled_effect``,
        ``hotspot_cells``, ...) cached from the scenario at set-up; per-crime-type rates
        are the arrays ``crime_rates``, ``arrest_probs``, ``report_probs`` and
        ``clearance_probs``.
        """
        return self._q

    @property
    def crime_rates(self) -> np.ndarray:
        """Base hazard rate per crime type (in CRIME_TYPES order), changeable in place."""
        return self._rate

    @property
    def arrest_probs(self) -> np.ndarray:
        """Arrest probability per crime type when an officer detects it, in place."""
        return self._arrest

    @property
    def report_probs(self) -> np.ndarray:
        """Base reporting probability per crime type, in place."""
        return self._report

    @property
    def clearance_probs(self) -> np.ndarray:
        """Probability an investigation solves a reported crime, per type, in place."""
        return self._clear

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

    @property
    def _masks(self) -> dict[str, np.ndarray]:
        """Residents of each group in GROUPS (boolean masks, made when asked).

        Made on demand rather than kept: seven masks would cost seven bytes per
        resident for the whole run, and prevalence is asked for rarely.
        """
        res = self.residents
        return group_masks(res.age, res.female, res.marginalised)

    def prevalence(self) -> dict[str, Any]:
        """Prevalence by group and crime type since the current survey year began."""
        counts = self._year_start.since(self.residents.victim_counts)
        days = (self.tick - self._year_start_tick) / self.ticks_per_day
        table = prevalence_table(counts, self._masks)
        return {"days": days, "groups": table,
                "households_burgled": household_burglary_rate(counts, self.residents.hh_first)}

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
            self._day_counts[0] -= 1

    def run_days(self, days: float, callback: Any = None) -> None:
        """Run ``days`` days, calling ``callback(model)`` after each day if given."""
        for _ in range(int(round(days * self.ticks_per_day)) // self.ticks_per_day):
            self.run_for(self.ticks_per_day)
            if callback is not None:
                callback(self)
        rest = int(round(days * self.ticks_per_day)) % self.ticks_per_day
        if rest:
            self.run_for(rest)

    # --- the step -----------------------------------------------------------------
    def step(self) -> None:
        """Advance one tick, running the kernels in the order in the module docstring."""
        q = self._q
        tick = self.tick
        hour = tick % self.ticks_per_day
        day = tick // self.ticks_per_day
        rng = self.rng
        city, res, off, pol, wk = (self.city, self.residents, self.offenders, self.police,
                                   self.workers)
        f = self._flat
        w, h = city.width, city.height
        if hour == 0:
            self._daily(day)
        if self.interventions.items:
            self.interventions.on_tick(self, tick, hour == 0)
        row = self.results.row()
        row[_COL_DAY] = day
        row[_COL_HOUR] = hour
        # 1. release
        row[_COL_RELEASES] = flows.release(off.state, off.release, tick)
        # 2. routines
        if res.n:
            row[_COL_PUBLIC] = routines.place_residents(
                hour, res.home, res.household, res.day_cell, res.day_start, res.day_end,
                res.day_public, res.eve_cell, res.eve_start, res.eve_end, res.early_cell,
                res.early_end, res.pos, res.state, res.public_count, res.household_home,
                res.public_start, res.public_order)
        # 3. patrol
        if pol.n:
            patrol.patrol_and_field(
                pol.pos, pol.strategy, pol.target, pol.beat, f["district"], self._hot_cells,
                self._calls, self._calls.shape[0], q.police_speed, w, h, self._police_weight,
                q.police_deterrence, q.radius, self._police_field, rng)
            self._calls = self._calls[self._calls >= 0]
        # 4. services, in working hours on weekdays
        if wk.n and res.n and 9 <= hour < 17 and (day % 7) < 5:
            patrol.patrol(wk.pos, self._worker_strategy, self._worker_target, wk.district,
                          f["district"], self._hot_cells, self._calls, 0, 1, w, h, rng)
            self._enrolled += services.outreach(
                wk.pos, wk.caseload, q.capacity, q.contacts, res.cell_res_start,
                res.cell_res_count, res.age, res.state, res.marginalised, res.home,
                res.cell_deprivation, res.offender_of, AT_RISK_DEPRIVATION, q.enrol_prob, tick,
                q.programme_ticks, res.enrolled_until, res.enrolled_by, rng)
        # 5. community contacts
        if pol.n and res.n and q.community_contacts:
            legitimacy.community_contacts(
                pol.pos, pol.strategy, pol.corrupt, q.community_contacts, res.public_count,
                res.public_start, res.public_order, res.legitimacy, q.fair_gain,
                q.corruption_loss, rng)
        # 6. offenders
        if self.invariants is not None:
            self.invariants.before_offending(self)
        if hour < q.night_end or hour >= 18:
            p_active = q.active_evening if hour >= 18 else q.active_night
        else:
            p_active = q.active_day
        night = hour >= q.night_start or hour < q.night_end
        np.multiply(self._grievance, q.retaliation, out=self._tension)
        self._tension += 1.0
        n_active, n_events = offender_tick.offender_hour(
            tick, night, self.dt, q.moves, p_active, q.always_active, off.pos, off.state,
            off.active, off.acted, off.motivation, off.gang, off.resident, off.home,
            res.vuln_table, res.vuln_group, res.legitimacy, res.enrolled_until,
            res.public_count, res.public_start, res.public_order, res.cell_hh_start,
            res.cell_hh_count, res.household_home, res.hh_vuln_table, res.hh_group,
            self._abstract_houses, f["land_use"], f["a0"],
            f["b"], f["lighting"], f["guardianship"], self._police_field, self._rate,
            self._darkness, q.crowd, q.compliance, q.enrolled_effect, self._tension,
            q.gang_radius, self._events, w, h, city.periodic, q.neighbourhood, q.home_decay,
            q.awareness, self._moving, rng)
        row[_COL_ACTIVE] = n_active
        # 7. consequences
        if n_events:
            self._consequences(tick, n_events, row)
        # 8. spawning (Short et al.'s Gamma)
        if q.spawn_lambda > 0:
            cells = rng.integers(0, city.n_cells, size=rng.poisson(q.spawn_lambda))
            flows.spawn(cells, tick, off.state, off.pos, off.home, off.motivation, off.gang,
                        off.resident, off.born, off.arrests, off.free_stack, off.free_top)
            if off.free_top[0] < max(16, off.capacity // 10):
                self._grow_offenders()
        # 9. near-repeat field
        near_repeat.step_b(f["b"], self._e_field, q.eta, q.omega_dt, q.theta, w, h,
                           city.periodic, self._b_next)
        # 10. metrics
        self._record(row)
        self.results.commit(tick)
        self.tick = tick + 1
        if self.invariants is not None:
            self.invariants.after_tick(self)
        if self.tick % q.collect_every == 0:
            self.datacollector.collect(self)
        self.views.sync()
        if self.analyzers:
            self.analyzers.step(self)

    def finish(self) -> None:
        """End the run: the analyzers take their last measures (once; idempotent)."""
        self.analyzers.finish(self)

    def _guard_victim_counts(self, n: int) -> None:
        """Widen ``residents.victim_counts`` if ``n`` more crimes could overflow it.

        A crime adds at most 2 to one resident's count of one type (a gang-violence
        victim who is also its bystander), so ``_victim_bound`` plus ``2 n`` bounds every
        count after this tick. Only when that bound passes the dtype's maximum is the
        true maximum taken (an O(residents) scan: every few thousand ticks at most), and
        only if it is really that high are the counts widened -- the same values, so
        results never depend on the dtype. O(1) per tick otherwise.
        """
        self._victim_bound += 2 * n
        counts = self.residents.victim_counts
        if self._victim_bound <= np.iinfo(counts.dtype).max:
            return
        self._victim_bound = int(counts.max(initial=0)) + 2 * n
        if self._victim_bound > np.iinfo(counts.dtype).max:
            wider = np.int32 if counts.dtype.itemsize < 4 else np.int64
            self.residents.victim_counts = counts.astype(wider)

    def _consequences(self, tick: int, n: int, row: np.ndarray) -> None:
        q = self._q
        off, res, pol, city = self.offenders, self.residents, self.police, self.city
        self._guard_victim_counts(n)
        self._group_victims[:] = 0
        counts = self._tick_counts
        counts[:] = 0
        consequences.consequences(
            tick, self._events, n, off.pos, off.state, off.active, off.gang, off.release,
            off.arrests, off.resident, res.offender_of, q.transient, off.free_stack,
            off.free_top, self._grievance,
            q.gang_radius, res.public_count, res.public_start, res.public_order, q.bystander_prob,
            res.hh_first, res.hh_size, res.age, res.female, res.marginalised, res.legitimacy,
            q.victim_loss, res.victim_counts, self._group_victims, self._report,
            q.report_slope, self._legit_ref, pol.pos, pol.corrupt, q.radius, q.detect_prob,
            self._arrest, q.bribe_prob, self._flat["cctv"], q.cctv_detection, self._clear,
            q.conviction_prob, self._jail_ticks, self._flat["district"], self._bribes,
            q.fair_gain, q.unanswered_loss, city.width, self._nr_mask, self._e_field,
            self._crime_count_flat, self._heat_flat, counts, self.rng)
        row[_CRIME_COL0:_CRIME_COL0 + N_CRIME] = counts[0]
        row[_COL_REPORTED] = counts[1, 0]
        row[_COL_ARRESTS] = counts[1, 1]
        row[_COL_BRIBES] = counts[1, 2]
        row[_VICTIM_COL:_VICTIM_COL + len(GROUPS)] = self._group_victims
        reported = self._events[:n, EV_REPORTED] != 0
        if reported.any():
            self._calls = np.concatenate(
                [self._calls, self._events[:n, EV_CELL][reported]])[-64:]
        self.events.append(self._events[:n])

    def _record(self, row: np.ndarray) -> None:
        off = self.offenders
        row[_COL_TOTAL] = row[_CRIME_COL0:_CRIME_COL0 + N_CRIME].sum()
        row[_COL_FREE], row[_COL_JAILED], row[_COL_GANG] = summary.offender_counts(
            off.state, off.gang)
        row[_COL_ENROLLED] = self._enrolled
        row[_COL_RECRUITS] = self._day_counts[0]
        row[_COL_DESIST] = self._day_counts[1]
        self._day_counts[:] = 0
        row[_LEGIT_COL:_LEGIT_COL + len(GROUPS)] = self._legit_means
        mean_b = self._flat["b"].mean()
        row[_COL_MEAN_B] = mean_b
        row[_COL_MEAN_A] = self._flat["a0"].mean() + mean_b  # A0 may be changed in place

    # --- daily tasks ------------------------------------------------------------------
    def _daily(self, day: int) -> None:
        run_daily(self, day)

    def _refresh_guardianship(self) -> None:
        refresh_guardianship(self)

    def _grow_offenders(self) -> None:
        off = self.offenders
        off.grow(2 * off.capacity)
        self._events = np.zeros((off.capacity + 1, N_EVENT_FIELDS), INDEX)
        self._moving = np.zeros(off.capacity, np.bool_)


def _cached_parameters(p: Any, dt: float, ticks_per_day: int, n_cells: int) -> SimpleNamespace:
    """Collect the scalars the hourly step reads as plain attributes.

    Reading nested scenario parameters every tick would cost more than some kernels.
    """
    return SimpleNamespace(
        police_speed=p.police.speed, police_deterrence=p.police.deterrence,
        radius=p.police.deterrence_radius, detect_prob=p.police.detect_prob,
        bribe_prob=p.police.bribe_prob, conviction_prob=p.police.conviction_prob,
        community_contacts=p.police.community_contacts,
        capacity=p.services.capacity, contacts=p.services.contacts,
        enrol_prob=p.services.enrol_prob, enrolled_effect=p.services.motivation_effect,
        programme_ticks=p.services.programme_days * ticks_per_day,
        fair_gain=p.legitimacy.fair_contact_gain, corruption_loss=p.legitimacy.corruption_loss,
        victim_loss=p.legitimacy.victim_loss, unanswered_loss=p.legitimacy.unanswered_loss,
        report_slope=p.legitimacy.report_slope,
        night_start=p.routines.night_start, night_end=p.routines.night_end,
        active_day=p.offenders.active_day, active_evening=p.offenders.active_evening,
        active_night=p.offenders.active_night, always_active=p.offenders.always_active,
        moves=p.offenders.moves_per_tick, home_decay=p.offenders.home_decay,
        awareness=float(p.offenders.awareness_radius), compliance=p.offenders.compliance,
        transient=p.offenders.transient,
        spawn_lambda=p.offenders.spawn_rate * dt * n_cells,
        neighbourhood=p.city.neighbourhood, crowd=p.guardianship.crowd,
        retaliation=p.flows.retaliation, gang_radius=p.flows.gang_radius,
        bystander_prob=p.flows.bystander_prob,
        cctv_detection=p.security.cctv_detection,
        hotspot_cells=p.police.hotspot_cells,
        hotspot_refresh_days=p.police.hotspot_refresh_days,
        eta=p.near_repeat.eta, omega_dt=p.near_repeat.omega * dt, theta=p.near_repeat.theta,
        collect_every=p.metrics.collect_every,
    )


__all__ = ["METRICS", "CrimeModel"]
