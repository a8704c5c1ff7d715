"""Benchmark 1: the fast engine against the plain-Mesa reference, per agent-step.

Both engines run the same scenario (the baseline scaled to about 1,000, 10,000 and
100,000 agents with :func:`sim.bench.sizes.scaled`), from the same seed, on the same
machine, in the same process, one after the other. Each is timed over the first
``days`` days after it is built (the build -- city, people, and for the reference
one Mesa object per cell and per agent -- is timed apart). An agent-step is one agent
for one tick: residents, offenders, officers, outreach workers and guards, counted at
the start and end of the run and averaged. The time is the process's CPU time
(``time.process_time``; both engines run on one core), so time spent waiting for a
core on a loaded machine does not count; wall time is recorded beside it.

The reference is slow at large sizes, so it is *sampled*: it runs fewer days than a
year (two days at 100,000 agents), and the fast engine is timed over exactly the same
ticks, so both see the same mix of daily tasks and hours. The fast engine's time is
the median of ``repeats`` runs (it is cheap); the reference runs once.
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from sim.scenario import Scenario

#: Agents in the baseline city: 30,000 residents, 450 offenders, 24 officers,
#: 15 outreach workers and 30 guards.
BASELINE_AGENTS = 30_519
#: Days each size is timed over (both engines): the reference is sampled at large sizes.
DEFAULT_DAYS = {1_000: 14.0, 10_000: 7.0, 100_000: 2.0}


def scenario_for(base: Scenario, agents: int) -> Scenario:
    """The baseline scaled (area and every population) to about ``agents`` agents.

    The classic model (:func:`sim.scenario.classic.classic`): the one model both
    engines implement.
    """
    from sim.bench.sizes import scaled
    from sim.scenario.classic import classic

    return classic(scaled(base, agents / BASELINE_AGENTS)).with_overrides(
        {"agents.views": False})


def count_agents(model: Any) -> int:
    """Agents stepped each tick, in either engine."""
    from sim.bench.sizes import agent_count
    from sim.reference import ReferenceCrimeModel

    if isinstance(model, ReferenceCrimeModel):
        return len(model.agents)
    return agent_count(model)


def time_engine(engine: type, scenario: Scenario, ticks: int, seed: int) -> dict[str, Any]:
    """Build one model of ``engine`` and time ``ticks`` ticks of it."""
    t0 = time.perf_counter()
    model = engine(scenario=scenario, rng=seed)
    build = time.perf_counter() - t0
    start = count_agents(model)
    t0, c0 = time.perf_counter(), time.process_time()
    model.run_for(ticks)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    agents = (start + count_agents(model)) / 2
    return {"build_seconds": build, "run_seconds": wall, "cpu_seconds": cpu,
            "agents": agents, "cells": model.city.n_cells, "ticks": ticks,
            "ns_per_agent_step": 1e9 * cpu / (agents * ticks),
            "wall_ns_per_agent_step": 1e9 * wall / (agents * ticks),
            "crimes": int(model.results.column("crimes_total").sum())}


def compare_size(base: Scenario, agents: int, days: float, seed: int = 1,
                 repeats: int = 3) -> dict[str, Any]:
    """Fast engine (median of ``repeats``) and reference (once) on one scaled city."""
    from sim.crime.model import CrimeModel
    from sim.reference import ReferenceCrimeModel

    scenario = scenario_for(base, agents)
    ticks = int(round(days * scenario.params.time.ticks_per_day))
    fast_runs = [time_engine(CrimeModel, scenario, ticks, seed) for _ in range(repeats)]
    fast = sorted(fast_runs, key=lambda r: r["cpu_seconds"])[len(fast_runs) // 2]
    fast["cpu_seconds_all"] = [r["cpu_seconds"] for r in fast_runs]
    ref = time_engine(ReferenceCrimeModel, scenario, ticks, seed)
    return {"target_agents": agents, "days": days, "ticks": ticks, "fast": fast,
            "reference": ref,
            "ratio_per_agent_step": ref["ns_per_agent_step"] / fast["ns_per_agent_step"]}


def warm_up(base: Scenario) -> float:
    """Load (or compile) the fast engine's kernels; returns the seconds it took."""
    from sim.crime.model import CrimeModel

    t0 = time.perf_counter()
    CrimeModel(scenario=scenario_for(base, 1_000), rng=0).run_for(48)
    return time.perf_counter() - t0


def run_benchmark(scenario: str = "scenarios/baseline.toml",
                  sizes: dict[int, float] | None = None, seed: int = 1,
                  repeats: int = 3) -> dict[str, Any]:
    """Time both engines at every size; returns the figures (JSON-ready)."""
    base = Scenario.load(scenario)
    sizes = sizes or DEFAULT_DAYS
    load_before = os.getloadavg()
    warm = warm_up(base)
    rows = [compare_size(base, n, d, seed, repeats) for n, d in sizes.items()]
    return {"machine": platform.platform(), "processor": platform.processor(),
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average_before": load_before, "load_average_after": os.getloadavg(),
            "scenario": scenario, "seed": seed, "fast_repeats": repeats,
            "kernel_warm_up_seconds": warm, "sizes": rows}


def parse_sizes(text: str) -> dict[int, float]:
    """``"1000,10000:2"`` -> ``{1000: default days, 10000: 2.0}`` (agents[:days])."""
    from sim.bench.sizes import agent_sizes

    return agent_sizes(text, DEFAULT_DAYS, 1.0)


def print_table(result: dict[str, Any]) -> None:
    """The benchmark as a terminal table, with the load caveat."""
    print(f"fast engine vs plain-Mesa reference on {result['processor'] or result['machine']}"
          f" ({result['cpus']} CPUs), Python {result['python']}")
    before = ", ".join(f"{x:.1f}" for x in result["load_average_before"])
    print(f"load average before: {before} (figures measured under this load; "
          "CPU ns per agent-step)")
    print(f"{'agents':>9}{'cells':>8}{'ticks':>7}{'fast ns/a-s':>13}{'ref ns/a-s':>12}"
          f"{'ratio':>8}{'wall ratio':>11}{'ref build s':>13}  note")
    for row in result["sizes"]:
        f, r = row["fast"], row["reference"]
        note = f"both timed over {row['days']:g} day(s)"
        if row["days"] < 365:
            note += "; reference sampled"
        print(f"{r['agents']:>9.0f}{r['cells']:>8}{row['ticks']:>7}"
              f"{f['ns_per_agent_step']:>13.1f}{r['ns_per_agent_step']:>12.0f}"
              f"{row['ratio_per_agent_step']:>7.0f}x"
              f"{r['wall_ns_per_agent_step'] / f['wall_ns_per_agent_step']:>10.0f}x"
              f"{r['build_seconds']:>13.2f}  {note}")
    after = ", ".join(f"{x:.1f}" for x in result["load_average_after"])
    print(f"load average after: {after}; fast engine: median of {result['fast_repeats']} "
          "runs, reference: one run; target >= 100x at 10,000 agents")


def reference_bench(args: Any) -> int:
    """``crimesim bench --reference``: run, print the table, write the JSON."""
    try:
        sizes = parse_sizes(args.reference_sizes)
    except ValueError as exc:
        from sim.errors import UsageError

        raise UsageError(f"--reference-sizes: {exc}") from None
    print("timing the fast engine and the plain-Mesa reference (about a minute) ...",
          flush=True)
    result = run_benchmark(args.scenario, sizes, repeats=args.reference_repeats)
    print_table(result)
    if args.json:
        from sim.bench.output import write_json_beside

        print(f"wrote {write_json_beside(args.json, 'bench_reference.json', result)}")
    return 0


__all__ = ["BASELINE_AGENTS", "DEFAULT_DAYS", "compare_size", "parse_sizes", "print_table",
           "reference_bench", "run_benchmark", "scenario_for"]
