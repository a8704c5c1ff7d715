"""``crimesim bench``: speed of the engine, printed as a table (and JSON).

Measures, on the baseline city and on a city scaled up N-fold (area and every
population): kernel compile or cache-load time, seconds per simulated year (measured
over ``--days`` and scaled to 365 days), agent-steps per second (agents times ticks
over wall time), and what the Mesa agent views cost to create (time and memory per
view). Timings are wall-clock on one core (numba kernels are single-threaded).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

from sim.bench.sizes import agent_count, scaled
from sim.cli.arguments import pos_float, pos_int
from sim.scenario import Scenario


def add_parser(sub: Any) -> None:
    """Register ``bench`` on the subcommand parser."""
    p = sub.add_parser("bench", help="measure the engine's speed")
    p.add_argument("--scenario", default="scenarios/baseline.toml", help="scenario to time")
    p.add_argument("--days", type=float, default=365.0, help="days timed at scale 1")
    p.add_argument("--big-days", type=float, default=30.0, help="days timed at larger scales")
    p.add_argument("--scales", default="1,10", help="population multipliers, e.g. 1,10")
    p.add_argument("--json", default="out/bench.json", help="where to write the figures")
    p.add_argument("--sweep", action="store_true",
                   help="instead: parallel efficiency and worker start-up of a Dask sweep")
    p.add_argument("--sweep-runs", type=pos_int, default=12, help="runs in the timed sweep")
    p.add_argument("--sweep-days", type=pos_float, default=60.0,
                   help="days per run of the timed sweep (default 60: 1-2 s a run)")
    p.add_argument("--workers", type=pos_int, default=2, help="workers for the sweep bench")
    p.add_argument("--reference", action="store_true",
                   help="instead: the fast engine against the plain-Mesa reference per "
                        "agent-step (sim/bench/reference.py)")
    p.add_argument("--reference-sizes", default="1000,10000,100000",
                   help="agents[:days] timed by --reference (default days 14, 7, 2)")
    p.add_argument("--reference-repeats", type=pos_int, default=3,
                   help="fast-engine runs per size for --reference (median taken)")
    p.add_argument("--epstein", action="store_true",
                   help="instead: Epstein's civil violence on our engine against Mesa's "
                        "example at 40x40 and 200x200 (sim/bench/epstein.py)")
    p.add_argument("--scaling", action="store_true",
                   help="instead: ns per agent-step from 10^4 to 10^6 agents (10^7 if it fits "
                        "in memory), bytes per agent, cold compile and warm start "
                        "(sim/bench/scaling.py)")
    p.add_argument("--scaling-sizes", default="",
                   help="agents[:days] timed by --scaling, e.g. 1e4:40,1e6:4 (default "
                        "1e4:40,1e5:12,1e6:4,1e7:2)")
    p.set_defaults(func=bench_command)


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


def bench_command(args: argparse.Namespace) -> int:
    """Run the benchmarks and print the table."""
    from sim.crime.model import CrimeModel

    if args.sweep:
        return sweep_bench(args)
    if args.reference:
        from sim.bench.reference import reference_bench

        return reference_bench(args)
    if args.epstein:
        from sim.bench.epstein_report import epstein_bench

        return epstein_bench(args)
    if args.scaling:
        from sim.bench.scaling import scaling_bench

        return scaling_bench(args)

    base = Scenario.load(args.scenario)
    if base.params.model != "crime":
        from sim.errors import UsageError

        raise UsageError(f"--scenario {args.scenario}: model = {base.params.model!r}; this "
                         "bench times the crime model (crimesim bench --epstein times the "
                         "civil violence model)")
    scales = [float(s) for s in str(args.scales).split(",") if s.strip()]
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


def sweep_bench(args: argparse.Namespace) -> int:
    """Time a Dask sweep on one worker and on ``--workers``; print efficiency, start-up."""
    from sim.bench.sweep import run_benchmark

    print(f"sweep of {args.sweep_runs} runs of {args.sweep_days:g} days on a local Dask "
          f"cluster of 1, then {args.workers} workers ...", flush=True)
    r = run_benchmark(runs=args.sweep_runs, days=args.sweep_days, workers=args.workers,
                      scenario=args.scenario)
    one, many = r["one"], r["many"]
    print(f"{'workers':>8}{'run phase s':>13}{'cluster ready s':>17}{'kernel load s':>15}")
    for t in (one, many):
        print(f"{t['workers']:>8}{t['run_seconds']:>13.2f}{t['cluster_seconds']:>17.2f}"
              f"{t['kernel_load_seconds']:>15.2f}")
    print(f"seconds per run (one worker): {r['seconds_per_run_one_worker']:.2f}")
    print(f"speed-up {r['speedup']:.2f}x on {args.workers} workers: parallel efficiency "
          f"{100 * r['efficiency']:.0f}% (target >= 85%)")
    print(f"per-worker start-up with a warm cache: kernels load in "
          f"{max(one['kernel_load_seconds'], many['kernel_load_seconds']):.2f} s; a cluster of "
          f"{args.workers} is ready in {many['cluster_seconds']:.2f} s (target <= 1.5 s per "
          "worker)")
    if args.json:
        from sim.output import write_json_beside

        print(f"wrote {write_json_beside(args.json, 'bench_sweep.json', r)}")
    return 0
