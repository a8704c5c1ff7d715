"""Scenario comparison: replications of a base and alternatives with common random numbers.

Replication i of every scenario runs with seed ``seed + i``. The same seed gives the
same city, population and daily plans, and the same draws for every intervention
label (docs/ODD.md), so base and alternative runs of one replication differ only
through what the alternatives change: the paired difference carries the effect with
far less noise than two independent samples (sim.analysis.stats).

Every scenario is measured over one window, from the first intervention start over
all scenarios to the end of the run (sim.analysis.outcome): before that tick,
runs with the same seed are identical and would only dilute the effect.

The runs are independent jobs handed to an executor (sim.analysis.executor), so
the same comparison runs in-process, in local processes or, later, on a cluster --
with identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.displacement import DEFAULT_RING_M, ring_cells
from sim.analysis.executor import Executor, InProcessExecutor
from sim.analysis.outcome import RunOutcome, evaluation_start, run_outcome
from sim.scenario import Scenario, ScenarioError


@dataclass(frozen=True)
class RunJob:
    """One simulation of a comparison, as a picklable description.

    The scenario travels as its raw keys (plus where it came from, for relative
    paths) and is validated again in the worker: cheap, and free of pickling the
    validated tree.
    """

    raw: dict[str, Any]
    source: str | None
    base_dir: str | None
    seed: int
    ticks: int
    start_tick: int
    stop_file: str | None = None

    @classmethod
    def of(cls, scenario: Scenario, seed: int, ticks: int, start_tick: int,
           stop_file: str | None = None) -> RunJob:
        """The job that runs ``scenario`` with ``seed`` (stopped by ``stop_file``)."""
        return cls(scenario.raw(), scenario.source,
                   str(scenario.base_dir) if scenario.base_dir else None,
                   seed, ticks, start_tick, stop_file)

    def scenario(self) -> Scenario:
        """The validated scenario."""
        return Scenario(self.raw, source=self.source,
                        base_dir=Path(self.base_dir) if self.base_dir else None)


def run_job(job: RunJob) -> RunOutcome:
    """Run one job (module-level, so process pools can pickle it)."""
    return run_outcome(job.scenario(), job.seed, job.ticks, job.start_tick, job.stop_file)


@dataclass
class Comparison:
    """The outcomes of a comparison, by scenario label and replication.

    Attributes:
        base: The base scenario's label.
        alternatives: The alternatives' labels, in the order given.
        seeds: One seed per replication.
        ticks: Ticks per run.
        start_tick: First tick of the evaluation window.
        ticks_per_day: For reporting in days.
        ring: Radius of the displacement buffer ring in cells (Euclidean, between
            cell centres; fractional when the metres are not a whole number of cells).
        ring_m: The same in metres: the request, unless that was under one cell
            (the ring is then widened to one cell, as an empty ring measures nothing).
        outcomes: Label -> one RunOutcome per seed, in seed order.
        sources: Label -> the scenario file (or None).
        independent_seeds: True when each alternative ran with its own seeds (see
            :func:`run_comparison`), not the base's; ``seeds`` are then the base's.
    """

    base: str
    alternatives: list[str]
    seeds: list[int]
    ticks: int
    start_tick: int
    ticks_per_day: int
    ring: float
    ring_m: float
    outcomes: dict[str, list[RunOutcome]] = field(default_factory=dict)
    sources: dict[str, str | None] = field(default_factory=dict)
    independent_seeds: bool = False

    @property
    def reps(self) -> int:
        """Replications per scenario."""
        return len(self.seeds)

    @property
    def window_days(self) -> float:
        """Length of the evaluation window in days."""
        return (self.ticks - self.start_tick) / self.ticks_per_day

    @property
    def currency(self) -> str:
        """The currency label of the costs (the first alternative's)."""
        label = self.alternatives[0] if self.alternatives else self.base
        return self.outcomes[label][0].currency


def unique_labels(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario names, made unique with ``#2``, ``#3`` suffixes where they repeat."""
    seen: dict[str, int] = {}
    out = []
    for sc in scenarios:
        seen[sc.name] = seen.get(sc.name, 0) + 1
        out.append(sc.name if seen[sc.name] == 1 else f"{sc.name}#{seen[sc.name]}")
    return out


def grid_shape(scenario: Scenario) -> tuple[int, int]:
    """The city's (height, width): from the keys, or from the map file for map layouts."""
    p = scenario.params.city
    if p.layout == "map":
        import numpy as np

        from sim.city import build_city

        city = build_city(scenario.params, np.random.default_rng(0))
        return city.height, city.width
    return int(p.height), int(p.width)


def check_compatible(scenarios: Sequence[Scenario]) -> None:
    """Raise ScenarioError unless every scenario has the base's grid and clock.

    Cell-by-cell maps and the displacement areas need one grid; one window needs
    one clock.
    """
    base = scenarios[0]
    shape, tpd = grid_shape(base), base["time.ticks_per_day"]
    for sc in scenarios[1:]:
        where = sc.source or sc.name
        other = grid_shape(sc)
        if other != shape:
            raise ScenarioError(
                f"{where}: its {other[1]} x {other[0]} city differs from the base's "
                f"{shape[1]} x {shape[0]}; a comparison needs one city grid")
        if sc["time.ticks_per_day"] != tpd:
            raise ScenarioError(
                f"{where}: time.ticks_per_day = {sc['time.ticks_per_day']} differs from "
                f"the base's {tpd}; a comparison needs one clock")


def plan(base: Scenario, alternatives: Sequence[Scenario], ticks: int) -> int:
    """Check the scenarios can be compared over ``ticks``; return the window's start.

    Raises:
        ScenarioError: Different grids or clocks, or a window that would be empty.
    """
    check_compatible([base, *alternatives])
    start = evaluation_start([base, *alternatives])
    if start >= ticks:
        tpd = base.params.time.ticks_per_day
        raise ScenarioError(
            f"the first intervention starts on day {start / tpd:g}, at or after the end of "
            f"the run (day {ticks / tpd:g}): run longer (--days)")
    return start


def run_comparison(base: Scenario, alternatives: Sequence[Scenario], *, reps: int,
                   ticks: int, seed: int = 1, executor: Executor | None = None,
                   ring_m: float = DEFAULT_RING_M,
                   on_done: Callable[[int], None] | None = None,
                   independent_seeds: bool = False,
                   stop_file: str | None = None) -> Comparison:
    """Run ``reps`` replications of the base and every alternative.

    Args:
        base: The base scenario (usually without interventions).
        alternatives: Scenarios to compare with it, on the same city grid.
        reps: Replications per scenario (at least 2, for a confidence interval).
        ticks: Ticks per run.
        seed: Seed of the first replication; replication i uses ``seed + i``.
        executor: Where runs are computed (default: in this process).
        ring_m: Radius of the displacement buffer ring in metres, from the treated
            cells' centres (sim.analysis.displacement.buffer_ring).
        on_done: Called with a job index after each run, e.g. for a progress bar;
            there are ``reps * (1 + len(alternatives))`` jobs.
        independent_seeds: Give alternative k (1, 2, ...) the seeds
            ``seed + k * reps + i`` instead of the base's, so its runs share no random
            numbers with the base. Not for real comparisons (common random numbers are
            what make the paired intervals narrow), but for checking the statistics:
            an A/A test with a sham alternative must then find no effect about 95% of
            the time (tests/test_aa_coverage.py).
        stop_file: A :class:`~sim.analysis.stop_signal.StopSignal`'s path: every run
            polls it once per simulated day and ends with
            :class:`~sim.analysis.stop_signal.RunStoppedError` once it is set.

    Raises:
        ScenarioError: Scenarios that cannot be compared.
        ValueError: Fewer than 2 replications or no alternative.
    """
    if reps < 2:
        raise ValueError("a comparison needs at least 2 replications for a confidence interval")
    if not alternatives:
        raise ValueError("a comparison needs at least one alternative")
    start = plan(base, alternatives, ticks)
    scenarios = [base, *alternatives]
    labels = unique_labels(scenarios)
    seeds = [seed + i for i in range(reps)]
    # Replication-major order: early results cover every scenario, and a pool's
    # workers finish a replication's scenarios at about the same time.
    stride = reps if independent_seeds else 0
    jobs = [RunJob.of(sc, s + k * stride, ticks, start, stop_file)
            for s in seeds for k, sc in enumerate(scenarios)]
    results = (executor or InProcessExecutor()).map(run_job, jobs, on_done)
    outcomes: dict[str, list[RunOutcome]] = {label: [] for label in labels}
    for k, outcome in enumerate(results):
        outcomes[labels[k % len(scenarios)]].append(outcome)
    cell_m = float(base.params.city.cell_size_m)
    ring = ring_cells(ring_m, cell_m)
    return Comparison(
        base=labels[0], alternatives=labels[1:], seeds=seeds, ticks=ticks, start_tick=start,
        ticks_per_day=int(base.params.time.ticks_per_day), ring=ring, ring_m=ring * cell_m,
        outcomes=outcomes,
        sources={label: sc.source for label, sc in zip(labels, scenarios, strict=True)},
        independent_seeds=independent_seeds)


def comparison_meta(cmp: Comparison) -> dict[str, Any]:
    """What was compared and how, for ``comparison.json`` next to the CSV.

    ``cost_accounts`` are the first replication's (units can vary with the seed
    where a target depends on it; the CSV has the means).
    """
    from sim import __version__

    return {
        "version": __version__, "base": cmp.base, "alternatives": cmp.alternatives,
        "sources": cmp.sources, "seeds": cmp.seeds, "reps": cmp.reps, "ticks": cmp.ticks,
        "ticks_per_day": cmp.ticks_per_day, "window_start_tick": cmp.start_tick,
        "window_days": cmp.window_days, "ring_cells": cmp.ring, "ring_m": cmp.ring_m,
        "currency": cmp.currency,
        "cost_accounts": {label: cmp.outcomes[label][0].costs for label in cmp.alternatives},
        **({"independent_seeds": True} if cmp.independent_seeds else {}),
    }
