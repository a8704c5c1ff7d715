"""Evaluating candidate mixes on the crime model, with common random numbers.

A candidate is a value for every lever. It is run under every uncertainty sample
(Latin hypercube over the uncertainties' ranges, drawn once from the experiment's
seed) with the same replication seeds; the base city runs once per sample and seed,
and every candidate is measured against those same runs. Two candidates therefore
differ only by their levers, not by their luck (common random numbers), which is
what makes a few replications enough to rank them.

Per sample the objectives are the seeds' means of:

- ``harm_prevented.<group>``: the base city's harm of the group's victimisations in
  the window minus the candidate's (harm index weights, ``[harm]``);
- ``cost_per_year``: the public money the candidate costs in the window, per year
  (set-up spread over the horizon, running costs, officers' time:
  sim/analysis/cost_account.py) -- what the council's budget pays;
- ``total_cost_per_year``: the same with the partners' money (a partnership's private
  share), reported beside it.

and each intervention's coverage (the lowest over the seeds), for the floors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.analysis.compare import RunJob
from sim.analysis.cost_account import CostSettings, cost_components
from sim.analysis.outcome import run_outcome
from sim.analysis.search.experiment import SearchExperiment
from sim.scenario import Scenario

#: A share below this is no money at all: the intervention is off (coverage 0).
NO_SHARE = 1e-9


@dataclass(frozen=True)
class SearchRun:
    """What a search keeps of one run: harm by group, cost and coverage."""

    group_harm: dict[str, float]
    cost_public: float
    cost_total: float
    window_days: float
    coverage: dict[str, float]


def search_job(job: RunJob) -> SearchRun:
    """Run one job and keep what the search needs (module level: process pools pickle it)."""
    scenario = job.scenario()
    outcome = run_outcome(scenario, job.seed, job.ticks, job.start_tick, job.stop_file)
    groups = outcome.victimisations.keys()
    cost = cost_components(outcome.costs, CostSettings.from_params(scenario.params))
    tpd = scenario.params.time.ticks_per_day
    return SearchRun({g: outcome.group_harm(g) for g in groups}, float(cost["public"]),
                     float(cost["total"]), (job.ticks - job.start_tick) / tpd,
                     {str(acc["label"]): float(acc["coverage"]) for acc in outcome.costs})


def uncertainty_samples(exp: SearchExperiment) -> list[dict[str, float | int]]:
    """The experiment's uncertainty samples (one empty sample when there are none).

    A Latin hypercube (scipy's, seeded by the experiment's seed): each uncertainty's
    range is cut into ``samples`` equal slices and every slice is used once, so even
    four samples span each range.
    """
    if not exp.uncertainties:
        return [{}]
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(exp.uncertainties), seed=exp.seed).random(exp.samples)
    return [{r.key: r.value(float(u)) for r, u in zip(exp.uncertainties, row, strict=True)}
            for row in unit]


def budget_shares(exp: SearchExperiment, levers: dict[str, float]) -> dict[str, float]:
    """The split interventions' shares of the budget: the lever weights, normalised.

    Each ``share.<label>`` lever is a weight from 0 to 1; the shares are the weights
    over their sum, so every candidate spends the whole budget between the split's
    interventions (all weights 0: equal shares).
    """
    weights = np.array([float(levers[f"share.{label}"]) for label in exp.split], float)
    if weights.size == 0:
        return {}
    total = weights.sum()
    shares = weights / total if total > 0 else np.full(weights.size, 1.0 / weights.size)
    return dict(zip(exp.split, (float(s) for s in shares), strict=True))


def candidate_overrides(exp: SearchExperiment, levers: dict[str, float]) -> dict[str, Any]:
    """The scenario keys a candidate sets: its interventions' start, budgets and levers.

    A split intervention's ``budget`` is its share of the yearly budget over the days
    it runs; the plug-in fits its coverage to it (sim/plugins/base.py), paying set-up
    in full within the run -- a cautious reading, as the reported cost spreads set-up
    over the horizon.
    """
    tpd = exp.scenario.params.time.ticks_per_day
    start_tick = int(round(exp.start_day * tpd))
    running_days = exp.days - exp.start_day
    over: dict[str, Any] = {}
    for label, share in budget_shares(exp, levers).items():
        over[f"interventions.{label}.start_tick"] = start_tick
        if share < NO_SHARE:
            over[f"interventions.{label}.coverage"] = 0.0
        else:
            over[f"interventions.{label}.budget"] = share * exp.budget_per_year * (
                running_days / 365.0)
    for r in exp.levers:
        value = levers[r.key]
        over[r.key] = int(round(value)) if r.integer else float(value)
    return over


def candidate_scenario(exp: SearchExperiment, levers: dict[str, float],
                       sample: dict[str, Any]) -> Scenario:
    """The candidate's city under one uncertainty sample."""
    return exp.scenario.with_overrides({**sample, **candidate_overrides(exp, levers)})


def _window(exp: SearchExperiment) -> tuple[int, int]:
    tpd = exp.scenario.params.time.ticks_per_day
    return int(round(exp.days * tpd)), int(round(exp.start_day * tpd))


def seeds_of(exp: SearchExperiment) -> list[int]:
    """The replication seeds every candidate and the base city run with."""
    return [exp.seed + r for r in range(exp.seeds)]


def base_jobs(exp: SearchExperiment, samples: list[dict[str, Any]]) -> list[RunJob]:
    """The base city's runs: every sample x seed, sample-major."""
    ticks, start = _window(exp)
    return [RunJob.of(exp.scenario.with_overrides(sample), seed, ticks, start)
            for sample in samples for seed in seeds_of(exp)]


def candidate_jobs(exp: SearchExperiment, levers: dict[str, float],
                   samples: list[dict[str, Any]]) -> list[RunJob]:
    """A candidate's runs, in the same order as :func:`base_jobs`."""
    ticks, start = _window(exp)
    return [RunJob.of(candidate_scenario(exp, levers, sample), seed, ticks, start)
            for sample in samples for seed in seeds_of(exp)]


def sample_objectives(exp: SearchExperiment, base: list[SearchRun], runs: list[SearchRun],
                      samples: int) -> list[dict[str, float]]:
    """Per sample: harm prevented per group, cost per year and coverage per intervention.

    Args:
        exp: The experiment.
        base: The base runs (:func:`base_jobs` order).
        runs: The candidate's runs, same order.
        samples: How many samples the runs cover.
    """
    per = len(runs) // samples
    out = []
    for s in range(samples):
        b, c = base[s * per:(s + 1) * per], runs[s * per:(s + 1) * per]
        row: dict[str, float] = {}
        for g in exp.groups:
            row[f"harm_prevented.{g}"] = float(np.mean(
                [x.group_harm.get(g, 0.0) - y.group_harm.get(g, 0.0)
                 for x, y in zip(b, c, strict=True)]))
        row["cost_per_year"] = float(np.mean([y.cost_public * 365.0 / y.window_days
                                              for y in c]))
        row["total_cost_per_year"] = float(np.mean([y.cost_total * 365.0 / y.window_days
                                                    for y in c]))
        for label in exp.floors:
            row[f"coverage.{label}"] = min(y.coverage.get(label, 0.0) for y in c)
        out.append(row)
    return out
