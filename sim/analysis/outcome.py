"""One replication's outcome over an evaluation window, small enough to ship around.

It holds crime and reports per cell by type, metric totals, prevalence and
victimisations by group, the treated area, the cost account and how the scenario
weighs harm and prices costs -- what a comparison needs, without the model.

Comparisons need the same window for every scenario, starting when the first
intervention starts: before that, runs with the same seed are identical (common
random numbers), so including those days would only dilute the effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.cost_account import CostSettings, cost_components
from sim.analysis.stop_signal import RunStoppedError, stop_requested
from sim.config import BURGLARY, CRIME_TYPES, EV_CELL, EV_REPORTED, EV_TICK, EV_TYPE, N_CRIME
from sim.crime.areas import area_table, geography
from sim.crime.model import CrimeModel
from sim.metrics.areas import AreaGeography, AreaTable
from sim.metrics.catalog import CRIME_METRICS, names
from sim.metrics.prevalence import prevalence_table
from sim.scenario import Scenario

#: Per-tick metrics summed over the window: the flows (:mod:`sim.metrics.catalog`).
SUMMED = names(CRIME_METRICS, "flow")
#: Per-tick metrics taken at the window's end: the stocks.
FINAL = names(CRIME_METRICS, "stock")


@dataclass
class RunOutcome:
    """What a comparison needs from one run.

    Attributes:
        scenario: Scenario name.
        seed: The run's seed.
        start_tick: First tick of the evaluation window.
        end_tick: Ticks run.
        width: City width (maps are flat, row-major).
        height: City height.
        crime_map: Crimes per cell in the window, shape (N_CRIME, cells).
        reported_map: Reported crimes per cell in the window, same shape.
        totals: Metric -> value over the window (``SUMMED`` summed, ``FINAL`` at the end).
        prevalence: Group -> crime type (or "any") -> share victimised in the window.
        treated: Treated cells (flat bool), or None without interventions.
        costs: The interventions' cost accounts.
        currency: The scenario's currency label.
        extras: The interventions' own figures (``<label>.<key>``), e.g. participants'
            offending.
        areas: Counts by area in the window (crimes where they happened,
            victimisations where the victims live; :mod:`sim.metrics.areas`), for a
            georeferenced city only; else None.
        geography: Where those areas are (:class:`sim.metrics.areas.AreaGeography`),
            or None without a georeference.
        victimisations: Group -> crime type -> victimisations of the group's members
            in the window (a person hit twice counts twice).
        harm_weights: Crime type -> harm of one crime (``[harm.weights]``).
        harm_unit: What one unit of harm counts (``harm.unit``).
        harm_index: The index's name (``harm.index``).
        cost_settings: How the scenario prices costs (``[costs]``, currency, year).
    """

    scenario: str
    seed: int
    start_tick: int
    end_tick: int
    width: int
    height: int
    crime_map: np.ndarray
    reported_map: np.ndarray
    totals: dict[str, float]
    prevalence: dict[str, dict[str, float]]
    treated: np.ndarray | None = None
    costs: list[dict[str, Any]] = field(default_factory=list)
    currency: str = ""
    extras: dict[str, float] = field(default_factory=dict)
    areas: AreaTable | None = None
    geography: AreaGeography | None = None
    victimisations: dict[str, dict[str, float]] = field(default_factory=dict)
    harm_weights: dict[str, float] = field(default_factory=dict)
    harm_unit: str = ""
    harm_index: str = ""
    cost_settings: CostSettings = field(default_factory=CostSettings)

    @property
    def total_cost(self) -> float:
        """All interventions' spending in the run, as the plug-ins booked it."""
        return float(sum(c["total"] for c in self.costs))

    def cost_components(self) -> dict[str, float]:
        """The window's full cost by component (sim.analysis.cost_account)."""
        return cost_components(self.costs, self.cost_settings)

    def harm(self, crime_type: str = "total") -> float:
        """Harm of the window's crimes of one type, or of all ("total")."""
        types = CRIME_TYPES if crime_type == "total" else (crime_type,)
        return float(sum(self.harm_weights[t] * self.totals[f"crimes_{t}"] for t in types))

    def group_harm(self, group: str) -> float:
        """Harm of the victimisations of ``group``'s members in the window."""
        counts = self.victimisations.get(group, {})
        return float(sum(self.harm_weights[t] * counts.get(t, 0.0) for t in CRIME_TYPES))


def evaluation_start(scenarios: list[Scenario]) -> int:
    """The first tick any of the scenarios' interventions starts (0 if none has any)."""
    starts = [spec["start_tick"] for sc in scenarios
              for spec in sc.params.interventions.to_dict().values()]
    return min(starts) if starts else 0


def run_outcome(scenario: Scenario, seed: int, ticks: int, start_tick: int,
                stop_file: str | None = None) -> RunOutcome:
    """Run ``scenario`` with ``seed`` for ``ticks`` ticks; measure from ``start_tick``.

    Agent views are skipped (they cost time and change nothing); the event log is
    switched on, since the maps are made from it.

    Args:
        scenario: What to run.
        seed: The model's seed.
        ticks: Ticks to run.
        start_tick: First tick of the measured window.
        stop_file: A :class:`~sim.analysis.stop_signal.StopSignal`'s path, polled once
            per simulated day (None: run to the end).

    Raises:
        RunStoppedError: The stop signal was set before the run ended.
    """
    if not scenario.params.metrics.event_log:
        scenario = scenario.with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    stop = None if stop_file is None else (lambda: stop_requested(stop_file))
    return measure_run(model, ticks, start_tick, stop)


def _run_checking(model: CrimeModel, ticks: int, total: int,
                  stop: Callable[[], bool] | None) -> None:
    """Run ``ticks`` more ticks, a simulated day at a time when ``stop`` is given.

    Raises:
        RunStoppedError: ``stop()`` returned True before the ticks were run.
    """
    if stop is None:
        model.run_for(ticks)
        return
    day = int(model.ticks_per_day)
    end = model.tick + ticks
    while model.tick < end:
        if stop():
            raise RunStoppedError(int(model.tick), total)
        model.run_for(min(day, end - model.tick))


def measure_run(model: CrimeModel, ticks: int, start_tick: int,
                stop: Callable[[], bool] | None = None) -> RunOutcome:
    """Run a fresh ``model`` to ``ticks`` and summarise the window from ``start_tick``.

    The model must keep its event log (``metrics.event_log``). Stepping a day at a
    time gives the same run as one call: ``run_for`` only repeats the tick.

    Args:
        model: A fresh model.
        ticks: Tick to run to.
        start_tick: First tick of the measured window.
        stop: Polled once per simulated day; True ends the run with
            :class:`~sim.analysis.stop_signal.RunStoppedError`.
    """
    if not model.events.enabled:
        raise ValueError("measure_run needs the event log (metrics.event_log = true)")
    start_tick = min(max(start_tick, 0), ticks)
    if start_tick:
        _run_checking(model, start_tick, ticks, stop)
    counts0 = model.residents.victim_counts.copy()
    if ticks > start_tick:
        _run_checking(model, ticks - start_tick, ticks, stop)
    n = model.city.n_cells
    ev = model.events.array
    tick, kinds, cell, rep = ev[:, EV_TICK], ev[:, EV_TYPE], ev[:, EV_CELL], ev[:, EV_REPORTED]
    sel = tick >= start_tick
    flat_idx = kinds[sel].astype(np.int64) * n + cell[sel].astype(np.int64)
    crime_map = np.bincount(flat_idx, minlength=N_CRIME * n).reshape(N_CRIME, n)
    rep_sel = np.asarray(rep[sel]).astype(bool)
    reported_map = np.bincount(flat_idx[rep_sel], minlength=N_CRIME * n).reshape(N_CRIME, n)
    df = model.results.to_frame()
    window = df[df.tick >= start_tick]
    totals = {m: float(window[m].sum()) for m in SUMMED}
    last = df.iloc[-1]
    totals.update({m: float(last[m]) for m in FINAL})
    res = model.residents
    table = prevalence_table(res.victim_counts - counts0, model.group_masks()) if res.n else {}
    prevalence = {g: {k: float(v) for k, v in row.items() if k != "n"} for g, row in table.items()}
    victimisations = victimisations_by_group(
        res.victim_counts - counts0, model.group_masks(), res.hh_size[res.household]) \
        if res.n else {}
    p = model.p
    inter = model.interventions
    place = geography(model)
    areas = (area_table(model, crime_map, res.victim_counts - counts0)
             if place is not None else None)
    return RunOutcome(
        scenario=model.scenario.name, seed=seed_of(model),
        start_tick=start_tick, end_tick=ticks, width=model.city.width,
        height=model.city.height, crime_map=crime_map, reported_map=reported_map,
        totals=totals, prevalence=prevalence,
        treated=inter.treated_mask(n) if len(inter) else None, costs=inter.costs(),
        currency=p.currency, extras=inter.reports(model), areas=areas, geography=place,
        victimisations=victimisations, harm_weights=dict(p.harm.weights.to_dict()),
        harm_unit=p.harm.unit, harm_index=p.harm.index,
        cost_settings=CostSettings.from_params(p))


def victimisations_by_group(counts: np.ndarray, masks: dict[str, np.ndarray],
                            household_size: np.ndarray) -> dict[str, dict[str, float]]:
    """Group -> crime type -> victimisations, from per-resident counts (n, N_CRIME).

    A burglary victimises a household: every member's count goes up by one
    (sim/kernels/victims.py). Here each member carries ``1 / household size`` of it,
    so a group's share of burglary harm follows its share of the burgled households'
    members and the groups' burglaries add up to the crimes, not to a multiple of them.
    """
    per_person = counts.astype(float)
    per_person[:, BURGLARY] /= np.maximum(household_size, 1)
    return {g: dict(zip(CRIME_TYPES, per_person[m].sum(axis=0).tolist(), strict=True))
            for g, m in masks.items()}


def seed_of(model: CrimeModel) -> int:
    """The integer seed the model was made with, or -1 if it was given a Generator."""
    seed = getattr(model, "_seed", None)
    return int(seed) if isinstance(seed, int | np.integer) else -1
