"""Under which conditions does the chosen mix fail? A stress test, then PRIM.

The search's futures are few (enough to rank candidates); to say *when* a mix fails
it is run, with the base city beside it, in many new futures: a Latin hypercube of
``[discovery] samples`` points over the same uncertainties (seeded apart from the
search's, so these are futures the search never saw), ``[discovery] seeds``
replications each (1 by default), the same seeds for the mix and the base city. The
mix fails in a future where its harm prevented for everyone, averaged over those
seeds, is at or below ``[discovery] fails_below`` (0 by default: it prevents
nothing). With one replication a "failure" can be the luck of a single run rather
than the future; more replications per future make the boxes about the future.
PRIM (:mod:`sim.analysis.search.prim_boxes`, EMA Workbench's) then finds the boxes
of uncertainty space where failures concentrate, e.g. "fails in
83% of cases when police.deterrence is below 0.9 and offenders.count above 500".

Written to the output folder: ``discovery.csv`` (each future, its harm prevented and
whether the mix failed), ``prim_boxes.csv`` and ``prim_boxes.png``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.compare import RunJob
from sim.analysis.executor import Executor
from sim.analysis.search.evaluation import candidate_scenario, search_job
from sim.analysis.search.experiment import SearchExperiment
from sim.analysis.search.prim_boxes import (
    PrimBox,
    boxes_table,
    find_failure_boxes,
    plot_boxes,
)
from sim.atomic_files import atomic_write

#: Offset of the discovery futures' seed from the experiment's (new futures).
DISCOVERY_SEED_OFFSET = 1_000_003


@dataclass(frozen=True)
class Discovery:
    """The stress test of one mix and the boxes where it fails.

    Attributes:
        trial: The mix's trial number in the search.
        futures: One row per future: ``uncertainty.<key>`` values,
            ``harm_prevented.<group>`` and ``failed``.
        boxes: PRIM's boxes, first box first ([] if nothing failed, or if the failures
            are too spread out for a box).
    """

    trial: int
    futures: pd.DataFrame
    boxes: list[PrimBox]

    def sentences(self) -> list[str]:
        """What a council reads: how often the mix failed, and each box in words."""
        failed = int(self.futures["failed"].sum())
        n = len(self.futures)
        head = f"the mix failed in {failed} of {n} new futures"
        if failed == 0:
            return [head + "."]
        if not self.boxes:
            return [head + "; the failures are too spread out for PRIM to find a box."]
        return [head + ":", *(f"box {i + 1}: {b.describe()}"
                              for i, b in enumerate(self.boxes))]


def discovery_futures(exp: SearchExperiment) -> list[dict[str, Any]]:
    """The stress test's futures: a Latin hypercube, seeded apart from the search's."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(exp.uncertainties),
                              seed=exp.seed + DISCOVERY_SEED_OFFSET).random(
        exp.discovery_samples)
    return [{r.key: r.value(float(u)) for r, u in zip(exp.uncertainties, row, strict=True)}
            for row in unit]


def stress_test(exp: SearchExperiment, levers: dict[str, float], executor: Executor
                ) -> pd.DataFrame:
    """Run the mix and the base city in every discovery future, with the same seeds.

    Each future's harm prevented is the mean over ``exp.discovery_seeds`` paired runs
    (seeds ``exp.seed, exp.seed + 1, ...``: common random numbers, as in the search).
    """
    futures = discovery_futures(exp)
    tpd = exp.scenario.params.time.ticks_per_day
    ticks, start = int(round(exp.days * tpd)), int(round(exp.start_day * tpd))
    seeds = [exp.seed + r for r in range(exp.discovery_seeds)]
    jobs = []
    for future in futures:
        for seed in seeds:
            jobs.append(RunJob.of(exp.scenario.with_overrides(future), seed, ticks, start))
            jobs.append(RunJob.of(candidate_scenario(exp, levers, future), seed, ticks,
                                  start))
    runs = executor.map(search_job, jobs)
    per = 2 * len(seeds)
    rows = []
    for i, future in enumerate(futures):
        pairs = runs[i * per:(i + 1) * per]
        row: dict[str, Any] = {f"uncertainty.{k}": v for k, v in future.items()}
        for g in exp.groups:
            row[f"harm_prevented.{g}"] = float(np.mean(
                [base.group_harm.get(g, 0.0) - mix.group_harm.get(g, 0.0)
                 for base, mix in zip(pairs[0::2], pairs[1::2], strict=True)]))
        rows.append(row)
    table = pd.DataFrame(rows)
    table["failed"] = table[f"harm_prevented.{exp.groups[0]}"] <= exp.fails_below
    return table


def discover(exp: SearchExperiment, trial: int, levers: dict[str, float],
             executor: Executor, out: Path) -> Discovery:
    """Stress-test the mix, find PRIM's boxes, write the three files."""
    futures = stress_test(exp, levers, executor)
    samples = futures[[c for c in futures.columns if c.startswith("uncertainty.")]]
    samples = samples.rename(columns=lambda c: c.removeprefix("uncertainty.")).astype(float)
    failed = futures["failed"].to_numpy(bool)
    boxes = find_failure_boxes(samples, failed)
    atomic_write(out / "discovery.csv", lambda tmp: futures.to_csv(tmp, index=False))
    atomic_write(out / "prim_boxes.csv",
                 lambda tmp: boxes_table(boxes).to_csv(tmp, index=False))
    atomic_write(out / "prim_boxes.png", lambda tmp: plot_boxes(samples, failed, boxes, tmp))
    return Discovery(trial, futures, boxes)


def chosen_mixes(pareto: pd.DataFrame, objective: str, count: int) -> list[int]:
    """The Pareto mixes with the most robust harm prevented for ``objective``, best first."""
    if pareto.empty or count <= 0:
        return []
    ranked = pareto.sort_values([objective, "cost_per_year"], ascending=[False, True])
    return [int(t) for t in ranked["trial"].head(count)]


def failure_share(futures: pd.DataFrame) -> float:
    """Share of the futures in which the mix failed."""
    return float(np.mean(futures["failed"].to_numpy(bool))) if len(futures) else 0.0
