"""``crimesim sweep``: run an experiment file's parameter sweep, resumably.

    crimesim sweep EXPERIMENT [--workers N] [--scheduler ADDRESS] [--resume] [--out DIR]
        [--in-process] [--retries K] [--quiet] [--no-progress]

Runs go to a local Dask cluster of ``--workers`` processes (default), to a running
cluster at ``--scheduler``, or one after another in this process (``--in-process``,
for debugging). Results stream into ``DIR/results/`` as Parquet; ``--resume`` finishes
a sweep that was stopped, running only what is missing.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType
from typing import Any

from sim.cli.arguments import nonneg_float, nonneg_int, pos_int, writable_folder


def add_parser(sub: Any) -> None:
    """Register ``sweep`` on the subcommand parser."""
    from sim.analysis.executor import default_workers

    p = sub.add_parser("sweep", help="run a parameter sweep (experiments/*.toml)")
    p.add_argument("experiment", metavar="EXPERIMENT", help="experiment TOML file")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=pos_int, default=None,
                       help=f"size of the local Dask cluster (default {default_workers()})")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--in-process", action="store_true",
                       help="run here, one run after another (debugging)")
    p.add_argument("--resume", action="store_true",
                   help="finish the sweep already in --out: run only what is missing")
    p.add_argument("--out", help="output folder (default out/<experiment name>)")
    p.add_argument("--retries", type=nonneg_int, default=2,
                   help="extra attempts for a failing run before it is recorded as failed "
                        "(default 2)")
    p.add_argument("--flush-seconds", type=nonneg_float, default=10.0, metavar="S",
                   help="write finished runs to disk at least every S seconds; a killed "
                        "sweep loses at most that much work (default 10)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=sweep_command)


def sweep_command(args: argparse.Namespace) -> int:
    """Validate, plan, run, and report the sweep."""
    from sim.analysis.sweep.design import count_runs
    from sim.analysis.sweep.runner import plan_jobs, run_sweep, sweep_executor
    from sim.analysis.sweep.spec import load_experiment
    from sim.errors import UsageError

    exp = load_experiment(args.experiment)
    plan_jobs(exp)  # every point validated before a cluster starts
    out = writable_folder(args.out or f"out/{exp.name}")
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    executor, name = sweep_executor(in_process=args.in_process, scheduler=args.scheduler,
                                    workers=args.workers)
    say(f"sweep {exp.name}: {count_runs(exp)} runs ({exp.design.kind} design, "
        f"{len(exp.parameters)} parameters, {len(exp.seeds)} seeds, {exp.days:g} days) "
        f"on {name} -> {out}")
    _stop_on_sigterm()
    bar = None
    try:
        if hasattr(executor, "start"):
            t0 = time.perf_counter()
            try:
                executor.start()
            except ConnectionError as exc:
                raise UsageError(str(exc)) from None
            startup = getattr(executor, "startup_seconds", {})
            if startup:
                say(f"{executor.workers} workers ready in {time.perf_counter() - t0:.1f} s "
                    f"(kernels loaded in {max(startup.values()):.2f} s per worker at most)")
        progress = None
        if not (args.quiet or args.no_progress):
            bar, progress = _progress_bar()
        summary = run_sweep(exp, out, executor, resume=args.resume, retries=args.retries,
                            progress=progress, executor_name=name,
                            flush_seconds=args.flush_seconds)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
            bar = None
        print(f"crimesim: interrupted; finished runs are stored in {out}/results: run the "
              "same command with --resume to finish", file=sys.stderr)
        return 130
    except OSError as exc:  # disk full, permissions: what was stored before is whole
        raise UsageError(f"cannot write the results in {out} ({exc.strerror or exc}); runs "
                         "stored before are kept: fix it and rerun with --resume") from None
    finally:
        if bar is not None:
            bar.close()
        if hasattr(executor, "close"):
            executor.close()
    if summary.skipped:
        say(f"{summary.skipped} runs already stored (skipped)")
    say(f"{summary.done} runs done, {summary.failed} failed in {summary.seconds:.1f} s; "
        f"dataset: {out}/results (pandas.read_parquet reads the folder), "
        f"BehaviorSpace table: {out}/table.csv")
    for rid, err in list(summary.failures.items())[:5]:
        say(f"  failed {rid}: {err}")
    if summary.failed:
        say(f"  errors in {out}/failures/; rerun with --resume to retry them")
    say(f"next: crimesim analyze {out}")
    return 1 if summary.failed else 0


def _progress_bar() -> tuple[Any, Any]:
    """A tqdm bar of runs (done + failed of the runs to do) with failures and an ETA."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit="run", file=sys.stderr, dynamic_ncols=True,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} runs [{elapsed}<{remaining}"
                          "{postfix}]")
    state = {"first": True}

    def update(summary: Any) -> None:
        if state["first"]:
            bar.total = summary.planned - summary.skipped
            state["first"] = False
        bar.n = summary.done + summary.failed
        bar.set_postfix_str(f"failed {summary.failed}", refresh=False)
        bar.refresh()

    return bar, update


def _stop_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so finished runs are written before the process ends."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if sys.platform != "win32":
        signal.signal(signal.SIGTERM, handler)
