"""One policy search on the crime model: the base runs, the loop, the output files.

:func:`run_policy_search` ties the pieces together: the experiment's uncertainty
samples (:mod:`~sim.analysis.search.evaluation`), the base city's runs under each
sample and seed (once per search: every candidate is measured against the same
runs), and the loop of :mod:`~sim.analysis.search.optimiser`, which hands each batch's
candidates to the executor as one list of jobs. The output folder then holds:

- ``evaluations.csv``: one row per candidate and uncertainty sample (the levers, the
  sample's values, the objectives, coverages) -- every evaluation exactly once;
- ``candidates.csv``: one row per candidate: levers, budget shares, robust objectives
  (and the mean total cost with the partners' money), feasibility, each harm
  objective's maximum regret, and whether it is on the Pareto front of the feasible
  candidates;
- ``pareto.csv``: the Pareto set alone, and ``pareto.png``, its figure;
- ``mixes/mix_<trial>.toml``: the chosen Pareto mixes (the most harm prevented for
  everyone first) as scenario files, to compare, edit and share;
- ``discovery.csv``, ``prim_boxes.csv``, ``prim_boxes.png``: under which futures the
  first chosen mix fails (:mod:`~sim.analysis.search.discovery`);
- ``study.log``: optuna's journal (run again with ``--resume`` to continue);
- ``search.json``: the experiment's statement and settings
  (:mod:`~sim.analysis.search.search_manifest`), written before a new search's first
  run and again once the study has accepted the folder (so a resume refused for
  another experiment leaves it alone); the folder can then be read while the search
  runs and without the experiment file (:mod:`~sim.analysis.search.search_results`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.executor import Executor
from sim.analysis.search.discovery import Discovery, chosen_mixes, discover
from sim.analysis.search.evaluation import (
    base_jobs,
    budget_shares,
    candidate_jobs,
    sample_objectives,
    search_job,
    uncertainty_samples,
)
from sim.analysis.search.experiment import SearchExperiment
from sim.analysis.search.mix_files import mix_toml
from sim.analysis.search.optimiser import (
    STUDY_LOG,
    Evaluated,
    Lever,
    SearchProblem,
    run_search,
)
from sim.analysis.search.robust import max_regret, non_dominated
from sim.analysis.search.search_manifest import write_manifest
from sim.atomic_files import atomic_write


@dataclass(frozen=True)
class SearchResult:
    """A finished search: its candidates and the tables written from them."""

    experiment: SearchExperiment
    samples: list[dict[str, Any]]
    evaluated: list[Evaluated]
    candidates: pd.DataFrame
    pareto: pd.DataFrame
    mixes: dict[int, Path]
    discovery: Discovery | None


def problem_of(exp: SearchExperiment) -> SearchProblem:
    """The loop's view of an experiment: levers, objectives, budget and floors."""
    levers = tuple([Lever(f"share.{label}", 0.0, 1.0) for label in exp.split]
                   + [Lever(r.key, r.low, r.high, r.integer) for r in exp.levers])
    names = tuple(exp.objective_names)
    return SearchProblem(levers=levers, objectives=names,
                         maximise=tuple(n != "cost_per_year" for n in names),
                         statistic=exp.statistic, quantile=exp.quantile, trials=exp.trials,
                         batch=exp.batch, seed=exp.seed, sampler=exp.sampler,
                         budget=exp.budget_per_year, floors=dict(exp.floors),
                         fingerprint=exp.fingerprint())


def run_policy_search(exp: SearchExperiment, executor: Executor, out: str | Path,
                      progress: Callable[[int, int], None] | None = None) -> SearchResult:
    """Run (or continue) the search and write its tables and figure to ``out``."""
    out = Path(out)
    if not (out / STUDY_LOG).is_file():  # a new search: say what it is before it runs
        write_manifest(exp, out)
    samples = uncertainty_samples(exp)
    base = executor.map(search_job, base_jobs(exp, samples))

    def evaluate(candidates: list[dict[str, float]]) -> list[list[dict[str, float]]]:
        jobs = [job for c in candidates for job in candidate_jobs(exp, c, samples)]
        runs = executor.map(search_job, jobs)
        per = len(samples) * exp.seeds
        return [sample_objectives(exp, base, runs[i * per:(i + 1) * per], len(samples))
                for i in range(len(candidates))]

    evaluated = run_search(problem_of(exp), evaluate, out, progress)
    write_manifest(exp, out)  # after run_search accepted the folder (a resumed one too)
    candidates = candidates_table(exp, evaluated)
    pareto = candidates[candidates["pareto"]].reset_index(drop=True)
    write_tables(exp, samples, evaluated, candidates, pareto, out)
    chosen = chosen_mixes(pareto, exp.objective_names[0],
                          max(exp.brief_mixes, 1 if exp.discovery_samples else 0))
    levers = {e.number: e.levers for e in evaluated}
    mixes = write_mixes(exp, {trial: levers[trial] for trial in chosen}, out / "mixes")
    found = (discover(exp, chosen[0], levers[chosen[0]], executor, out)
             if chosen and exp.discovery_samples else None)
    return SearchResult(exp, samples, evaluated, candidates, pareto, mixes, found)


def write_mixes(exp: SearchExperiment, chosen: dict[int, dict[str, float]], folder: Path
                ) -> dict[int, Path]:
    """Each chosen mix as ``folder/mix_<trial>.toml``; trial -> path."""
    if not chosen:
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for trial, levers in chosen.items():
        text = mix_toml(exp, levers, f"mix_{trial}")
        paths[trial] = atomic_write(folder / f"mix_{trial}.toml",
                                    lambda tmp, t=text: Path(tmp).write_text(t))
    return paths


def candidates_table(exp: SearchExperiment, evaluated: list[Evaluated]) -> pd.DataFrame:
    """One row per candidate (see the module docstring)."""
    objectives = exp.objective_names
    rows = []
    for e in evaluated:
        row: dict[str, Any] = {"trial": e.number}
        row.update(e.levers)
        row.update({f"budget_share.{k}": v for k, v in budget_shares(exp, e.levers).items()})
        row.update(e.robust)
        if all("total_cost_per_year" in s for s in e.samples):  # partners' money too
            row["total_cost_per_year"] = float(np.mean([s["total_cost_per_year"]
                                                        for s in e.samples]))
        row["feasible"] = e.feasible
        row.update({f"violation.{k}": max(v, 0.0) for k, v in e.constraints.items()})
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    for name in objectives[:-1]:  # regret of each harm objective, over every candidate
        per_sample = np.array([[s[name] for s in e.samples] for e in evaluated])
        table[f"max_regret.{name}"] = max_regret(per_sample)
    feasible = table["feasible"].to_numpy(bool)
    pareto = np.zeros(len(table), bool)
    if feasible.any():
        points = table.loc[feasible, objectives].to_numpy(float)
        pareto[np.flatnonzero(feasible)] = non_dominated(
            points, [n != "cost_per_year" for n in objectives])
    table["pareto"] = pareto
    return table


def evaluations_table(exp: SearchExperiment, samples: list[dict[str, Any]],
                      evaluated: list[Evaluated]) -> pd.DataFrame:
    """One row per candidate and uncertainty sample."""
    rows = []
    for e in evaluated:
        for s, (values, result) in enumerate(zip(samples, e.samples, strict=True)):
            rows.append({"trial": e.number, "sample": s, **e.levers,
                         **{f"uncertainty.{k}": v for k, v in values.items()}, **result})
    return pd.DataFrame(rows)


def write_tables(exp: SearchExperiment, samples: list[dict[str, Any]],
                 evaluated: list[Evaluated], candidates: pd.DataFrame, pareto: pd.DataFrame,
                 out: Path) -> list[Path]:
    """Write the CSVs and the figure (each whole or not at all); their paths."""
    from sim.analysis.search.pareto_figure import draw_pareto

    tables = {"evaluations.csv": evaluations_table(exp, samples, evaluated),
              "candidates.csv": candidates, "pareto.csv": pareto}
    paths = [atomic_write(out / name, lambda tmp, t=table: t.to_csv(tmp, index=False))
             for name, table in tables.items()]
    figure = out / "pareto.png"
    paths.append(atomic_write(figure, lambda tmp: draw_pareto(exp, candidates, tmp)))
    return paths
