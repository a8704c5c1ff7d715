"""``crimesim search EXPERIMENT.toml --out DIR``: which mix of policies, for a budget.

Reads and checks the experiment file (sim/analysis/search/experiment.py) before any
run, then runs the many-objective search (sim/analysis/search/optimiser.py) on the
project's executors -- in this process (``--workers 1``), local processes
(``--workers N``), a Dask LocalCluster (``--cluster``) or an existing Dask cluster
(``--scheduler``) -- and writes the Pareto table and figure, the chosen mixes, their
stress test with PRIM's boxes and the decision brief (docs/search.md).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from sim.cli.arguments import pos_int


def add_parser(sub: Any) -> None:
    """Register ``search`` on the subcommand parser."""
    from sim.analysis.executor import default_workers

    p = sub.add_parser("search", help="search mixes of interventions for a budget, robust "
                                      "to uncertain parameters (docs/search.md)")
    p.add_argument("experiment", metavar="EXPERIMENT.toml",
                   help="the search's experiment file, e.g. experiments/budget_search.toml")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the tables, the figure and the study")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=pos_int, default=default_workers(),
                       help=f"processes running simulations (default {default_workers()})")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the simulations on a Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--cluster", action="store_true",
                   help="run the --workers on a Dask LocalCluster on 127.0.0.1 (as sweeps "
                        "do) instead of a process pool; the results are the same")
    p.add_argument("--resume", action="store_true",
                   help="continue the search in --out (needed when it already holds one)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=search_command)


def search_command(args: argparse.Namespace) -> int:
    """Check the experiment, run the search, write the tables and the figure."""
    from pathlib import Path

    from sim.analysis.search.experiment import SearchExperimentError, load_search_experiment
    from sim.analysis.search.floor_check import floor_problem
    from sim.analysis.search.optimiser import STUDY_LOG
    from sim.analysis.search.search_run import run_policy_search
    from sim.cli.arguments import writable_folder
    from sim.cli.executors import executor_for
    from sim.errors import UsageError

    try:
        exp = load_search_experiment(args.experiment)
    except SearchExperimentError as exc:
        raise UsageError(str(exc)) from None
    problem = floor_problem(exp)
    if problem:
        raise UsageError(f"{exp.path}: {problem}")
    out = Path(args.out)
    exists = (out / STUDY_LOG).is_file()
    if exists and not args.resume:
        raise UsageError(f"--out {out}: holds a search already; add --resume to continue "
                         "it, or choose a new folder")
    if args.resume and not exists:
        raise UsageError(f"--resume: {out} holds no search to continue")
    writable_folder(str(out))
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    levers = len(exp.split) + len(exp.levers)
    say(f"search {exp.name}: {levers} levers, {exp.trials} candidates x "
        f"{max(exp.samples, 1) if exp.uncertainties else 1} futures x {exp.seeds} seeds, "
        f"budget {exp.budget_per_year:,.0f} {exp.scenario.params.currency} a year")
    executor = executor_for(args.workers, args.scheduler, args.cluster)
    t0 = time.perf_counter()

    def progress(done: int, wanted: int) -> None:
        say(f"  candidates {done}/{wanted} ({time.perf_counter() - t0:.0f} s)")

    try:
        result = run_policy_search(exp, executor, out, progress)
        briefed = _brief(exp, result, executor, out / "brief", args.quiet)
    finally:
        if hasattr(executor, "close"):
            executor.close()
    pareto = result.pareto
    if not result.candidates["feasible"].any():
        say("no candidate met the budget and the floors: raise [budget] per_year or lower "
            "[floors] (candidates.csv shows each one's violations)")
    say(f"{len(pareto)} mixes on the Pareto front of {int(result.candidates['feasible'].sum())}"
        f" feasible candidates")
    if not pareto.empty:
        top = pareto.sort_values(exp.objective_names[0], ascending=False).iloc[0]
        shares = ", ".join(f"{k.split('.', 1)[1]} {top[k]:.0%}" for k in pareto.columns
                           if k.startswith("budget_share."))
        say(f"  most harm prevented overall: {top[exp.objective_names[0]]:,.0f} "
            f"{exp.scenario.params.harm.unit} over days {exp.start_day:g}-{exp.days:g}, "
            f"for {top['cost_per_year']:,.0f} {exp.scenario.params.currency} of public "
            "money a year" + (f" ({shares})" if shares else ""))
    if result.discovery is not None:
        say(f"  stress test of mix_{result.discovery.trial}: "
            + "\n    ".join(result.discovery.sentences()))
    written = ["candidates.csv", "pareto.csv", "pareto.png", "evaluations.csv"]
    if result.mixes:
        written.append(f"mixes/ ({len(result.mixes)} scenario files)")
    if result.discovery is not None:
        written += ["discovery.csv", "prim_boxes.csv", "prim_boxes.png"]
    if briefed:
        written.append("brief/report.html")
    say(f"wrote in {out}: " + ", ".join(written))
    return 0


def _brief(exp: Any, result: Any, executor: Any, out: Any, quiet: bool) -> bool:
    """The decision brief of the chosen mixes against the base city (``[brief] mixes``).

    The same comparison and report as ``crimesim compare BASE MIX... --report`` (its
    one-at-a-time sensitivity check is not run here: the search's futures already
    vary the uncertain keys), written to ``out``.
    """
    from sim.analysis.compare import run_comparison
    from sim.analysis.comparison_files import write_comparison_files
    from sim.analysis.effects import effect_rows
    from sim.cli.compare import write_brief
    from sim.scenario import Scenario

    if not exp.brief_mixes or not result.mixes:
        return False
    mixes = [Scenario.load(path) for path in list(result.mixes.values())[:exp.brief_mixes]]
    ticks = int(round(exp.days * exp.scenario.params.time.ticks_per_day))
    t0 = time.perf_counter()
    cmp = run_comparison(exp.scenario, mixes, reps=exp.brief_reps, ticks=ticks,
                         seed=exp.seed, executor=executor)
    rows = effect_rows(cmp)
    out.mkdir(parents=True, exist_ok=True)
    paths = write_comparison_files(cmp, rows, out, time.perf_counter() - t0,
                                   executor.workers)
    write_brief(cmp, rows, paths, out, quiet)
    return True
