"""What the reference model observes: each tick's metrics row, the event log, surveys.

A mixin of :class:`~sim.reference.model.ReferenceCrimeModel`, kept apart from the
model's set-up and its hour so each reads on its own: the rows have the fast engine's
columns (:data:`~sim.metrics.recorder.COLUMN`), the events its event log's columns, and
prevalence is counted as the fast engine counts it (ICVS style), so the shared reports
and the equivalence tests (tests/reference/) read both engines alike.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import (
    AT_HOME,
    BURGLARY,
    CRIME_TYPES,
    FREE,
    GANG_VIOLENCE,
    GROUPS,
    JAILED,
    N_CRIME,
    NO_GANG,
    REL_ACQUAINTANCE,
    REL_NONE,
    REL_STRANGER,
    SET_HOME,
)
from sim.kernels.event_context import place_setting
from sim.kernels.grid import distance
from sim.metrics.prevalence import household_burglary_rate, prevalence_table
from sim.metrics.recorder import COLUMN
from sim.reference.space import flat

if TYPE_CHECKING:
    from sim.city.city import City
    from sim.metrics.events import EventLog
    from sim.metrics.recorder import MetricsRecorder
    from sim.reference.offenders import Crime, Offender
    from sim.reference.residents import Resident


class Observation:
    """The model's measurements; the model sets the attributes named here.

    Attributes:
        city: The cell layers (for B, A0 and the grid's width).
        residents: The residents, in the fast engine's order.
        offenders: The offenders now, free or jailed.
        results: The per-tick metrics.
        events: The crime event log.
        tick: Ticks completed.
        ticks_per_day: Ticks in a day.
        group_victims: Victimisations this tick, by population group.
        legitimacy_means: Mean trust in police by group, as last measured.
        day_counts: Recruits and desistances since the last row.
        enrolled: Residents enrolled in services so far.
        yearly_prevalence: One entry per closed survey year.
    """

    city: City
    residents: list[Resident]
    offenders: list[Offender]
    results: MetricsRecorder
    events: EventLog
    tick: int
    ticks_per_day: int
    group_victims: list[int]
    legitimacy_means: list[float]
    day_counts: dict[str, int]
    enrolled: int
    yearly_prevalence: list[dict[str, Any]]
    _masks: Any
    _year_start_counts: np.ndarray
    _year_start_tick: int

    def record(self, figures: dict[str, float], counts: dict[str, Any]) -> None:
        """Write the tick's row, with the fast engine's columns (``METRICS``)."""
        offenders = self.offenders
        for k, name in enumerate(CRIME_TYPES):
            figures[f"crimes_{name}"] = counts["by_type"][k]
        figures["crimes_total"] = sum(counts["by_type"])
        figures["reported_crimes"] = counts["reported"]
        figures["arrests"] = counts["arrests"]
        figures["bribes"] = counts["bribes"]
        for g, name in enumerate(GROUPS):
            figures[f"victimisations_{name}"] = self.group_victims[g]
            figures[f"legitimacy_{name}"] = self.legitimacy_means[g]
        figures["offenders_free"] = sum(o.state == FREE for o in offenders)
        figures["offenders_jailed"] = sum(o.state == JAILED for o in offenders)
        figures["gang_members"] = sum(o.gang != NO_GANG for o in offenders)
        figures["recruits"] = self.day_counts["recruits"]
        figures["desistances"] = self.day_counts["desistances"]
        self.day_counts = {"recruits": 0, "desistances": 0}
        figures["enrolled"] = self.enrolled
        figures["mean_b"] = float(self.city.b.mean())
        figures["mean_attractiveness"] = float(self.city.a0.mean()) + figures["mean_b"]
        row = self.results.row()
        for name, value in figures.items():
            row[COLUMN[name]] = value
        self.results.commit(self.tick)

    def log_events(self, crimes: list[Crime]) -> None:
        """Append the tick's crimes to the event log (the fast engine's columns)."""
        if not self.events.enabled or not crimes:
            return
        w = self.city.width
        rows = []
        for c in crimes:
            o = c.offender
            victim = c.victim.index if c.victim is not None else -1
            rows.append([self.tick, c.kind, flat(c.cell, w), o.unique_id, victim,
                         c.reported, c.arrested, c.bribed,
                         flat(o.home, w) if o.home is not None else -1,
                         o.resident.index if o.resident is not None else -1,
                         *self._context(c)])
        self.events.append(np.array(rows, np.int64))

    def _context(self, c: Crime) -> tuple[int, int, int, int]:
        """Setting, relationship, victim's home and journey (m) of a crime.

        By the fast engine's rules (``sim/kernels/event_context.py``), in the classic
        model: every victim of violence a stranger, nobody travelling.
        """
        w, city = self.city.width, self.city
        home = -1
        victim = c.victim
        if victim is not None and getattr(victim, "home", None) is not None:
            home = flat(victim.home, w)
        if c.kind == BURGLARY or (c.kind != GANG_VIOLENCE and victim is not None
                                  and getattr(victim, "where", None) == AT_HOME):
            setting = SET_HOME
        else:
            setting = int(place_setting(int(c.cell.land_use)))
        relationship = (REL_NONE if c.kind == BURGLARY else
                        REL_ACQUAINTANCE if c.kind == GANG_VIOLENCE else REL_STRANGER)
        o_home = c.offender.home
        journey = -1 if o_home is None else int(
            distance(flat(o_home, w), flat(c.cell, w), w, city.height, city.periodic)
            * self.p.city.cell_size_m + 0.5)
        return setting, relationship, home, journey

    def measure_legitimacy(self) -> None:
        """Mean trust in police of each group (daily, carried through the day)."""
        sums, counts = [0.0] * len(GROUPS), [0] * len(GROUPS)
        for person in self.residents:
            for g in person.groups:
                sums[g] += person.legitimacy
                counts[g] += 1
        self.legitimacy_means = [s / n if n else math.nan
                                 for s, n in zip(sums, counts, strict=True)]

    def victim_counts(self) -> np.ndarray:
        """Victimisations per resident and crime type so far, ``(residents, types)``."""
        return np.array([r.victimisations for r in self.residents], np.int64).reshape(
            len(self.residents), N_CRIME)

    def _households_first(self) -> np.ndarray:
        return np.array(sorted({r.household.members[0].index for r in self.residents}),
                        np.int64)

    def prevalence(self) -> dict[str, Any]:
        """Prevalence by group and crime type since the survey year began (ICVS style)."""
        counts = self.victim_counts() - self._year_start_counts
        return {"days": (self.tick - self._year_start_tick) / self.ticks_per_day,
                "groups": prevalence_table(counts, self._masks),
                "households_burgled": household_burglary_rate(counts,
                                                              self._households_first())}

    def close_survey_year(self) -> None:
        """Store the year's prevalence by group and start counting anew."""
        prev = self.prevalence()
        self.yearly_prevalence.append({"year": len(self.yearly_prevalence) + 1,
                                       "groups": prev["groups"],
                                       "households_burgled": prev["households_burgled"]})
        self._year_start_counts = self.victim_counts()
        self._year_start_tick = self.tick
