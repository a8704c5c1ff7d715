"""``crimesim bench``: speed of the engine, printed as a table (and JSON).

Measures, on the baseline city and on a city scaled up N-fold (area and every
population): kernel compile or cache-load time, seconds per simulated year (measured
over ``--days`` and scaled to 365 days), agent-steps per second (agents times ticks
over wall time), and what the Mesa agent views cost to create (time and memory per
view). Timings are wall-clock on one core (numba kernels are single-threaded).
Cities are scaled and agents counted by :mod:`sim.bench.sizes`, as in every other
benchmark.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

from sim.bench.sizes import agent_count, scaled
from sim.scenario import Scenario


def time_run(scenario: Scenario, days: float, seed: int = 1) -> dict[str, Any]:
    """Build a model without views and time ``days`` days of it."""
    from sim.crime.model import CrimeModel

    t0 = time.perf_counter()
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    build = time.perf_counter() - t0
    ticks = int(round(days * model.ticks_per_day))
    agents_start = agent_count(model)
    t0 = time.perf_counter()
    model.run_for(ticks)
    wall = time.perf_counter() - t0
    agents = (agents_start + agent_count(model)) / 2
    return {
        "cells": model.city.n_cells,
        "residents": model.residents.n,
        "agents": agents,
        "days": days,
        "ticks": ticks,
        "build_seconds": build,
        "run_seconds": wall,
        "seconds_per_year": wall * 365.0 / days,
        "agent_steps_per_second": agents * ticks / wall,
        "ns_per_agent_step": 1e9 * wall / (agents * ticks),
        "crimes": int(model.results.column("crimes_total").sum()),
    }


def view_cost(scenario: Scenario) -> dict[str, Any]:
    """Time and memory to create the Mesa views of every agent of the scenario."""
    from sim.crime.agents import AgentViews
    from sim.crime.model import CrimeModel

    model = CrimeModel(scenario=scenario, rng=1, agent_views=False)
    views = AgentViews(model, enabled=True, measure=True)
    n = len(model.agents)
    return {
        "views": n,
        "seconds": views.build_seconds,
        "us_per_view": 1e6 * views.build_seconds / max(n, 1),
        "bytes_per_view": views.build_bytes / max(n, 1),
    }


def engine_bench(args: argparse.Namespace) -> int:
    """``crimesim bench``: time the crime model at each scale, print the table, write JSON.

    The scenario must be a crime-model scenario (``crimesim bench`` checks that before
    calling).
    """
    from sim.crime.model import CrimeModel

    base = Scenario.load(args.scenario)
    scales = [float(s) for s in args.scales]  # checked by the CLI: numbers > 0
    t0 = time.perf_counter()
    warm = CrimeModel(scenario=base.with_overrides({"residents.count": 500,
                                                    "offenders.count": 20}),
                      rng=0, agent_views=False)
    warm.run_for(48)
    compile_s = time.perf_counter() - t0
    rows = []
    for s in scales:
        days = args.days if s == 1 else args.big_days
        rows.append({"scale": s, **time_run(scaled(base, s) if s != 1 else base, days)})
    views = view_cost(base)
    print(f"crimesim bench on {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"kernels compiled or loaded from cache, plus a 2-day warm-up: {compile_s:.2f} s")
    print()
    print(f"{'scale':>6}{'cells':>10}{'agents':>10}{'days':>7}{'wall s':>9}"
          f"{'s/year':>9}{'Magent-steps/s':>16}{'ns/agent-step':>15}")
    for r in rows:
        print(f"{r['scale']:>6g}{r['cells']:>10}{r['agents']:>10.0f}{r['days']:>7g}"
              f"{r['run_seconds']:>9.2f}{r['seconds_per_year']:>9.2f}"
              f"{r['agent_steps_per_second'] / 1e6:>16.2f}{r['ns_per_agent_step']:>15.1f}")
    print()
    print(f"Mesa agent views: {views['views']} views in {views['seconds']:.3f} s "
          f"({views['us_per_view']:.2f} us and {views['bytes_per_view']:.0f} B each); "
          "off with agents.views = false")
    result = {"machine": platform.platform(), "python": platform.python_version(),
              "compile_seconds": compile_s, "runs": rows, "views": views}
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {path}")
    return 0
