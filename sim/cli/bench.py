"""``crimesim bench``: the command line of every benchmark (the benchmarks: sim/bench/).

With no flag it times the engine (:mod:`sim.bench.engine`); ``--sweep``,
``--reference``, ``--epstein`` and ``--scaling`` run the benchmark of that name instead
(:mod:`sim.bench.sweep`, :mod:`sim.bench.reference`, :mod:`sim.bench.epstein_report`,
:mod:`sim.bench.scaling`). This module only parses the arguments and calls them.
"""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import (
    add_threads,
    agent_sizes_text,
    apply_threads,
    pos_float,
    pos_int,
    positive_list,
)
from sim.families import runs_crime_model
from sim.scenario import Scenario
from sim.scenario.shipped import resolve_scenario


def add_parser(sub: Any) -> None:
    """Register ``bench`` on the subcommand parser."""
    p = sub.add_parser("bench", help="measure the engine's speed")
    p.add_argument("--scenario", default="scenarios/baseline.toml",
                   help="scenario file or shipped scenario name to time")
    p.add_argument("--days", type=pos_float, default=365.0, help="days timed at scale 1")
    p.add_argument("--big-days", type=pos_float, default=30.0,
                   help="days timed at larger scales")
    p.add_argument("--scales", type=positive_list, default=[1.0, 10.0],
                   help="population multipliers > 0, e.g. 1,10 (default)")
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
    p.add_argument("--reference-sizes", type=agent_sizes_text, default="1000,10000,100000",
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
    p.add_argument("--scaling-sizes", type=agent_sizes_text, default="",
                   help="agents[:days] timed by --scaling, e.g. 1e4:40,1e6:4 (default "
                        "1e4:40,1e5:12,1e6:4,1e7:2)")
    p.add_argument("--dashboard-load", action="store_true",
                   help="instead: N sessions on one dashboard server stepping days "
                        "at once; prints median, p90 and max step latency "
                        "(sim/bench/dashboard_load.py; writes --json, default "
                        "out/dashboard_load.json)")
    p.add_argument("--sessions", type=pos_int, default=8,
                   help="sessions for --dashboard-load (default 8)")
    p.add_argument("--load-days", type=pos_int, default=3,
                   help="day steps per session for --dashboard-load (default 3)")
    p.add_argument("--load-clients", choices=("browser", "widgets"), default="browser",
                   help="who plays a participant for --dashboard-load: a headless Chromium "
                        "page on this machine (default), or a browserless session that "
                        "speaks the widget protocol (the server's share alone)")
    add_threads(p)
    p.set_defaults(func=bench_command)


def bench_command(args: argparse.Namespace) -> int:
    """Run the benchmark the flags ask for (the engine's by default)."""
    if args.dashboard_load:
        from sim.bench.dashboard_load import run

        json_path = args.json if args.json != "out/bench.json" else "out/dashboard_load.json"
        return run(args.sessions, args.load_days, json_path, args.load_clients)
    args.scenario = str(resolve_scenario(args.scenario))
    if not args.scaling:  # the scaling bench times 1 and --threads (default 2) itself
        apply_threads(args)
    if args.sweep:
        from sim.bench.sweep import sweep_bench

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
    scenario = Scenario.load(args.scenario)
    if not runs_crime_model(scenario):
        from sim.errors import UsageError

        model = scenario.params.model
        raise UsageError(f"--scenario {args.scenario}: model = {model!r}; this "
                         "bench times the crime model (crimesim bench --epstein times the "
                         "civil violence model)")
    from sim.bench.engine import engine_bench

    return engine_bench(args)
