"""The crime engine's state: every array a tick reads or writes, in typed containers.

:class:`EngineState` is what the phases of a tick (:mod:`sim.crime.plan`) take, with the
levers (:class:`sim.crime.levers.Levers`) and the clock. It groups the arrays by what
they describe:

- ``city``: the city and its layers, flat (views sharing memory with the city's 2-D
  layers), with the tables the routines and the daily tasks read;
- ``residents``, ``offenders``, ``police``, ``guards``: the population containers of
  :mod:`sim.population`; ``outreach``: the workers with the strategy and target their
  walk follows;
- ``fields``: the per-cell fields of a tick (police deterrence, this tick's crimes E,
  the near-repeat scratch) and the officers' deterrence weights;
- ``justice``: the crime analyst's hot-spot list, calls for service, bribes by
  district, gang grievances and the tension they cause;
- ``tallies``: counts kept between metrics rows and the survey year's origin;
- ``scratch``: per-tick buffers sized by the offender pool (events, moving mask);
- ``results`` and ``events``: the run's output so far.

Kernels take named tuples of these arrays (:mod:`sim.kernels.arrays`); the state hands
them out packed, as plain tuples, for the kernels called from Python
(``state.packed_offenders()``, ``state.city.packed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.city import City
from sim.config import (
    BURGLARY,
    COMMUNITY_PATROL,
    EV_TYPE,
    EV_VICTIM,
    FLOAT,
    GANG_VIOLENCE,
    GROUPS,
    INDEX,
    INT,
    N_CRIME,
    N_EVENT_FIELDS,
)
from sim.crime.fear import FearTallies
from sim.crime.justice import JusticeState
from sim.crime.market import MarketState
from sim.kernels.arrays import (
    CellArrays,
    DayPlan,
    OffenderArrays,
    PoliceArrays,
    ResidentArrays,
    packer,
)
from sim.kernels.gravity import GravityTable, empty_gravity
from sim.metrics.events import EventLog
from sim.metrics.prevalence import CountSnapshot
from sim.metrics.recorder import MetricsRecorder
from sim.population.guardians import Guards, Police, Workers
from sim.population.offenders import Offenders
from sim.population.residents import Residents

_pack_offenders = packer(OffenderArrays)
_pack_residents = packer(ResidentArrays)
_pack_police = packer(PoliceArrays)
_pack_plan = packer(DayPlan)


@dataclass
class CityLayers:
    """The city with its layers flat, and the per-cell tables the tick reads.

    Attributes:
        city: The city (2-D layers).
        arrays: Flat views of its layers and the per-cell fields, for the kernels.
        packed: ``arrays`` as a plain tuple (what kernels called from Python take).
        nearest_public: Nearest public cell of every cell (residents' local outings).
        nightlife: The nightlife cells.
        territory: Each gang's territory (recruitment into gangs).
        residents_by_district: Residents living in each district.
        gravity_local: Gravity tables of shops and parks (local outings).
        gravity_night: Gravity tables of the nightlife cells (nightlife outings).
    """

    city: City
    arrays: CellArrays
    packed: tuple[Any, ...]
    nearest_public: np.ndarray
    nightlife: np.ndarray
    territory: np.ndarray
    residents_by_district: np.ndarray
    gravity_local: GravityTable = field(default_factory=empty_gravity)
    gravity_night: GravityTable = field(default_factory=empty_gravity)


@dataclass
class Outreach:
    """Outreach workers and how they walk (a community patrol of their district)."""

    workers: Workers
    strategy: np.ndarray
    target: np.ndarray


@dataclass
class Fields:
    """Per-cell fields of a tick and the weights that cast the police field.

    Attributes:
        police_field: Police deterrence per cell, recast every tick.
        e_field: This tick's crimes per cell that feed the near-repeat field (E).
        b_next: Scratch for the near-repeat update.
        police_weight: How much each officer deters (less if corrupt).
    """

    police_field: np.ndarray
    e_field: np.ndarray
    b_next: np.ndarray
    police_weight: np.ndarray


@dataclass
class Justice:
    """Policing's working lists and the gangs' grudges.

    Attributes:
        hot_cells: The crime analyst's hot-spot list (cells), refreshed by the daily
            task or set by a hot-spot policing intervention.
        calls: Cells of the latest reported crimes (calls for service, at most 64).
        bribes: Bribes taken today, by district (corruption news, daily).
        grievance: Grievance of gang row against gang column, fading daily.
        tension: ``1 + retaliation * grievance``: the weight of a rival in gang violence.
    """

    hot_cells: np.ndarray
    calls: np.ndarray
    bribes: np.ndarray
    grievance: np.ndarray
    tension: np.ndarray
    #: Today's police-contact news by district (sim.kernels.police_contacts), spread
    #: by the daily hearsay and then cleared; fair and unfair stops and community
    #: conversations made so far.
    contact_news: np.ndarray = field(default_factory=lambda: np.zeros(0, FLOAT))
    contact_tally: np.ndarray = field(default_factory=lambda: np.zeros(3, np.int64))


@dataclass
class Tallies:
    """Counts kept between metrics rows, and the survey year's origin.

    Attributes:
        tick_counts: This tick's crimes per type (row 0); reported, arrests, bribes
            (row 1, columns 0..2).
        day_counts: Recruits and desistances since the last metrics row.
        group_victims: This tick's victims per group (GROUPS order).
        legit_means: Mean legitimacy per group, measured daily.
        enrolled: Residents enrolled in an outreach programme now.
        victim_bound: An upper bound on any victimisation count (see
            :meth:`EngineState.guard_victim_counts`).
        year_start: Victimisation counts when the survey year began.
        year_start_tick: The tick the survey year began.
        yearly_prevalence: One table per completed survey year.
        avoided: Outings skipped for fear of crime per group (GROUPS order), counted
            by the day's plan and reset when recorded.
        fear: Fear of crime's daily measures and crime-count origin
            (:mod:`sim.crime.fear`).
    """

    tick_counts: np.ndarray
    day_counts: np.ndarray
    group_victims: np.ndarray
    legit_means: np.ndarray
    year_start: CountSnapshot
    enrolled: int = 0
    victim_bound: int = 0
    year_start_tick: int = 0
    yearly_prevalence: list[dict[str, Any]] = field(default_factory=list)
    avoided: np.ndarray = field(default_factory=lambda: np.zeros(len(GROUPS), np.int64))
    fear: FearTallies = field(default_factory=FearTallies)


@dataclass
class Scratch:
    """Buffers sized by the offender pool: the tick's events and the moving mask."""

    events: np.ndarray
    moving: np.ndarray

    @classmethod
    def for_capacity(cls, capacity: int) -> Scratch:
        """Buffers for ``capacity`` offender slots (one event each, plus one)."""
        return cls(np.zeros((capacity + 1, N_EVENT_FIELDS), INDEX),
                   np.zeros(capacity, np.bool_))


@dataclass
class EngineState:
    """Everything a tick of the crime model reads and writes (see the module docstring)."""

    city: CityLayers
    residents: Residents
    offenders: Offenders
    police: Police
    outreach: Outreach
    guards: Guards
    fields: Fields
    justice: Justice
    tallies: Tallies
    scratch: Scratch
    results: MetricsRecorder
    events: EventLog
    rng: np.random.Generator
    plan_rng: np.random.Generator
    aw_tables: Any = None  # sim.crime.awareness.AwarenessTables when awareness is on
    market: MarketState = field(default_factory=MarketState)  # the illicit market
    # capacity-limited justice: the court's queue, investigators' demand (sim.crime.justice)
    justice_state: JusticeState = field(default_factory=JusticeState)
    cases: Any = None  # sim.crime.integration.SharedCases when integration is on
    presence: Any = None  # sim.crime.deterrence.PresenceRing when deterrence is on

    def offender_arrays(self) -> OffenderArrays:
        """The offender pool for a kernel called once a day (named; see ``packed_*``)."""
        return OffenderArrays(*_pack_offenders(self.offenders))

    def packed_offenders(self) -> tuple[Any, ...]:
        """The offender pool, packed for a kernel (per call: ``grow`` replaces arrays)."""
        return _pack_offenders(self.offenders)

    def packed_residents(self) -> tuple[Any, ...]:
        """Residents, packed for a kernel (per call: the victim counts may be widened)."""
        return _pack_residents(self.residents)

    def packed_plan(self) -> tuple[Any, ...]:
        """Residents' plans for the day, packed (a :class:`DayPlan` in field order)."""
        return _pack_plan(self.residents)

    def packed_police(self) -> tuple[Any, ...]:
        """Officers, packed for a kernel (per call: plug-ins may reassign them)."""
        return _pack_police(self.police)

    def grow_offenders(self) -> None:
        """Double the offender pool, and the buffers sized by it."""
        off = self.offenders
        off.grow(2 * off.capacity)
        self.scratch = Scratch.for_capacity(off.capacity)

    def guard_victim_counts(self, n: int) -> None:
        """Widen ``residents.victim_counts`` if this tick's ``n`` crimes could overflow it.

        The counts are one byte; the consequences kernel increments them without a
        check, so before it runs this makes sure no count can pass the dtype's maximum,
        and widens the array (the same values, so results never depend on the dtype)
        only if one really could. Three steps, cheapest first:

        1. A crime adds at most 2 to one resident's count of one type (a gang-violence
           victim who is also its bystander), so ``victim_bound`` (an upper bound of
           every count) plus ``2 n`` bounds every count after this tick: O(1).
        2. When that bound passes the maximum and the tick's crimes are few next to it,
           the true maximum is taken (an O(residents) scan, every few hundred ticks).
        3. Otherwise (a big city's many crimes a tick), the tick's events say exactly
           whose counts they raise: the named victim (the members of a burgled
           household), and for gang violence a rival and a bystander in its own column,
           bounded by that column's maximum: O(events), plus a scan of one column on a
           tick with gang violence.
        """
        t = self.tallies
        counts = self.residents.victim_counts
        limit = int(np.iinfo(counts.dtype).max)
        if t.victim_bound + 2 * n <= limit:
            t.victim_bound += 2 * n
            return
        if 4 * n <= limit:
            t.victim_bound = int(counts.max(initial=0)) + 2 * n
            if t.victim_bound <= limit:
                return
        if self._tick_cannot_overflow(n, counts, limit):
            return
        wider = np.int32 if counts.dtype.itemsize < 4 else np.int64
        self.residents.victim_counts = counts.astype(wider)
        t.victim_bound = int(counts.max(initial=0)) + 2 * n

    def _tick_cannot_overflow(self, n: int, counts: np.ndarray, limit: int) -> bool:
        """Step 3 of :meth:`guard_victim_counts`: whether this tick's events are safe."""
        ev = self.scratch.events[:n]
        kind, victim = ev[:, EV_TYPE].astype(INT), ev[:, EV_VICTIM].astype(INT)
        gang = kind == GANG_VIOLENCE
        n_gang = int(gang.sum())
        if n_gang and int(counts[:, GANG_VIOLENCE].max(initial=0)) + 2 * n_gang > limit:
            return False
        named = ~gang & (victim >= 0)
        burgled = named & (kind == BURGLARY)
        person = named & ~burgled
        res = self.residents
        first = res.hh_first[victim[burgled]].astype(INT)
        size = res.hh_size[victim[burgled]].astype(INT)
        members = np.repeat(first, size) + (np.arange(size.sum()) - np.repeat(
            np.cumsum(size) - size, size))
        who = np.concatenate([victim[person], members])
        what = np.concatenate([kind[person], np.full(members.size, BURGLARY, INT)])
        if not who.size:
            return True
        pairs, extra = np.unique(who * N_CRIME + what, return_counts=True)
        return bool((counts[pairs // N_CRIME, pairs % N_CRIME].astype(INT) + extra
                     <= limit).all())


def city_layers(city: City, residents: Residents, territory: np.ndarray,
                nearest_public: np.ndarray, fields: Fields,
                gravity: tuple[GravityTable, GravityTable] | None = None) -> CityLayers:
    """Flatten the city's layers (views) next to the tick's per-cell fields.

    ``gravity``: the local and nightlife gravity tables (None: empty, for the nearest
    rule).
    """
    arrays = CellArrays(
        land_use=city.flat("land_use"), district=city.flat("district"),
        lighting=city.flat("lighting"), cctv=city.flat("cctv"), a0=city.flat("a0"),
        b=city.flat("b"), guardianship=city.flat("guardianship"),
        police_field=fields.police_field, e_field=fields.e_field,
        crime_count=city.crime_count.reshape(N_CRIME, -1),
        reported_heat=city.reported_heat.reshape(-1), width=city.width, height=city.height,
        periodic=city.periodic)
    by_district = np.bincount(residents.home_district, minlength=city.n_districts).astype(INT)
    layers = CityLayers(city, arrays, tuple(arrays), nearest_public,
                        city.cells_of(2).astype(INT), territory, by_district)
    if gravity is not None:
        layers.gravity_local, layers.gravity_night = gravity
    return layers


def fresh_fields(n_cells: int, police_weight: np.ndarray) -> Fields:
    """Zeroed per-cell fields."""
    return Fields(np.zeros(n_cells, FLOAT), np.zeros(n_cells, FLOAT), np.zeros(n_cells, FLOAT),
                  police_weight)


def fresh_justice(n_districts: int, gangs: int) -> Justice:
    """Empty lists, no bribes, no grievance (tension 1 between every pair of gangs)."""
    grievance = np.zeros((max(gangs, 1),) * 2, FLOAT)
    return Justice(np.zeros(0, INT), np.zeros(0, INT), np.zeros(n_districts, INT), grievance,
                   np.ones_like(grievance), contact_news=np.zeros(n_districts, FLOAT))


def fresh_tallies(residents: Residents) -> Tallies:
    """Zero counts; the survey year starts now."""
    return Tallies(np.zeros((2, N_CRIME), INT), np.zeros(2, INT), np.zeros(len(GROUPS), INT),
                   np.full(len(GROUPS), np.nan), CountSnapshot(residents.victim_counts),
                   avoided=np.zeros(len(GROUPS), np.int64))


def fresh_outreach(workers: Workers) -> Outreach:
    """Workers walking a community patrol of their district, with no target yet."""
    return Outreach(workers, np.full(workers.n, COMMUNITY_PATROL, INT),
                    np.full(workers.n, -1, INT))


__all__ = ["CityLayers", "EngineState", "Fields", "Justice", "Outreach", "Scratch", "Tallies",
           "city_layers", "fresh_fields", "fresh_justice", "fresh_outreach", "fresh_tallies"]
