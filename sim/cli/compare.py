"""``crimesim compare``: a base scenario against alternatives, with confidence intervals.

    crimesim compare BASE ALT... [--reps N] [--days D] [--out DIR] [--seed S]
        [--workers W] [--set key=value ...] [--ring-m M] [--only-interventions]
        [--report]

Prints the comparison table and writes ``DIR/comparison.csv`` (tidy),
``DIR/comparison.json`` (what was compared and how), ``DIR/effects.png`` and one
``DIR/change_map_<scenario>.png`` per alternative; on a georeferenced city also the
change per area: ``DIR/areas.csv``, ``DIR/areas.gpkg`` and one
``DIR/area_change_<scenario>.png`` per alternative. With ``--report`` also the decision
brief ``DIR/report.html`` (sim.report), and ``DIR/report.pdf`` when a Chromium can
print it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from sim.cli.arguments import nonneg_int, pos_float, pos_int, whole_number, writable_folder
from sim.cli.run import check_map, parse_overrides
from sim.cli.sensitivity import add_report_flags

#: Replications by default: five paired replications of a simulated year resolve a
#: few percent change in city-wide crime, at a minute of two cores per alternative.
DEFAULT_REPS = 5


def add_parser(sub: Any) -> None:
    """Register ``compare`` on the subcommand parser."""
    from sim.analysis.displacement import DEFAULT_RING_M
    from sim.analysis.executor import default_workers

    p = sub.add_parser("compare", help="compare a base scenario with alternatives")
    p.add_argument("base", metavar="BASE",
                   help="base scenario TOML file, or a shipped scenario's name "
                        "(crimesim scenarios lists them)")
    p.add_argument("alternatives", nargs="+", metavar="ALT",
                   help="alternative scenario files or shipped scenario names")
    p.add_argument("--reps", type=_reps, default=DEFAULT_REPS,
                   help=f"replications per scenario, at least 2 (default {DEFAULT_REPS})")
    p.add_argument("--days", type=pos_float, help="days per run (default: the base's time.days)")
    p.add_argument("--seed", type=nonneg_int, default=1,
                   help="seed of the first replication; replication i uses seed+i (default 1)")
    p.add_argument("--workers", type=pos_int, default=default_workers(),
                   help=f"processes running replications (default {default_workers()})")
    p.add_argument("--out", default="out/compare",
                   help="folder for comparison.csv and the figures (default out/compare)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a key in every scenario, e.g. --set offenders.count=500")
    p.add_argument("--ring-m", type=pos_float, default=DEFAULT_RING_M,
                   help=f"width of the displacement buffer ring in metres, measured "
                        f"straight from the treated cells (default {DEFAULT_RING_M:g})")
    p.add_argument("--only-interventions", action="store_true",
                   help="skip alternatives without interventions (for globs like "
                        "scenarios/*.toml)")
    p.add_argument("--report", action="store_true",
                   help="also write the decision brief report.html (and report.pdf when "
                        "Chromium is available)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_report_flags(p)
    p.set_defaults(func=compare_command)


def _reps(text: str) -> int:
    value = whole_number(text)
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"need at least 2 replications for a confidence interval, got {value}")
    return value


def load_scenarios(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """The base and alternative scenarios with --set applied (and filtered).

    Shared by ``compare`` and ``sensitivity``, which take the same scenario
    arguments (files or shipped names, ``--set``, ``--only-interventions``); the
    files skipped for not being scenarios are listed on stderr unless ``--quiet``.
    """
    from sim.analysis.comparison_inputs import ComparisonInputError, load_comparison
    from sim.errors import UsageError
    from sim.scenario.shipped import resolve_scenario

    def tell(skipped: list[str]) -> None:
        if not args.quiet:
            for line in skipped:
                print(line, file=sys.stderr)

    try:
        inputs = load_comparison(str(resolve_scenario(args.base)),
                                 [str(resolve_scenario(alt)) for alt in args.alternatives],
                                 parse_overrides(args.overrides),
                                 only_interventions=args.only_interventions)
    except ComparisonInputError as exc:
        tell(exc.skipped)
        raise UsageError(str(exc)) from None
    tell(inputs.skipped)
    return inputs.base, inputs.alternatives


def compare_command(args: argparse.Namespace) -> int:
    """Run the comparison, print the table, write the CSV, JSON and figures."""
    from tqdm import tqdm

    from sim.analysis.compare import plan, run_comparison
    from sim.analysis.comparison_files import write_comparison_files
    from sim.analysis.comparison_table import format_table
    from sim.analysis.effects import effect_rows
    from sim.analysis.executor import make_executor

    base, alts = load_scenarios(args)
    tpd = base.params.time.ticks_per_day
    days = base.params.time.days if args.days is None else args.days
    ticks = int(round(days * tpd))
    plan(base, alts, ticks)  # a bad window fails before anything runs
    for scenario in (base, *alts):
        check_map(scenario)
    out = writable_folder(args.out)
    n_jobs = args.reps * (1 + len(alts))
    executor = make_executor(args.workers)
    show = not (args.quiet or args.no_progress)
    t0 = time.perf_counter()
    with tqdm(total=n_jobs, unit="run", disable=not show, delay=1.0, leave=False,
              desc=f"compare ({executor.workers} worker{'s' if executor.workers > 1 else ''})",
              file=sys.stderr) as bar:
        cmp = run_comparison(base, alts, reps=args.reps, ticks=ticks, seed=args.seed,
                             executor=executor, ring_m=args.ring_m,
                             on_done=lambda _i: bar.update(1))
    runtime = time.perf_counter() - t0
    rows = effect_rows(cmp)
    paths = write_comparison_files(cmp, rows, out, runtime, executor.workers)
    if args.report:
        sensitivity = _sensitivity(base, alts, days, args, executor, cmp, rows, show)
        paths += write_brief(cmp, rows, paths, out, args.quiet, sensitivity)
    if not args.quiet:
        print(f"{n_jobs} runs of {days:g} days in {runtime:.0f} s "
              f"({executor.workers} worker{'s' if executor.workers > 1 else ''})")
        print(format_table(cmp, rows))
        print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _sensitivity(base: Any, alts: list[Any], days: float, args: argparse.Namespace,
                 executor: Any, cmp: Any, rows: list[Any], show: bool) -> dict[str, Any] | None:
    """The brief's one-at-a-time check (None with ``--no-sensitivity``).

    The same function as the Compare page's (:func:`sim.analysis.sensitivity_oat.brief_check`),
    so both briefs agree.
    """
    from tqdm import tqdm

    from sim.analysis.sensitivity_oat import brief_check, planned_runs
    from sim.cli.sensitivity import check_days

    if args.no_sensitivity:
        return None
    check = check_days(base, alts, days, args.sensitivity_days)
    total = planned_runs(base, alts, reps=args.sensitivity_reps)
    with tqdm(total=total, unit="run", disable=not show, delay=1.0, leave=False,
              desc="sensitivity check", file=sys.stderr) as bar:
        return brief_check(base, alts, cmp, rows, days=check, reps=args.sensitivity_reps,
                           executor=executor, on_done=lambda _i: bar.update(1))


def write_brief(cmp: Any, rows: list[Any], paths: list[Any], out: Any, quiet: bool,
                 sensitivity: dict[str, Any] | None = None) -> list[Any]:
    """Write report.html (and report.pdf) from the files just written; say if no PDF.

    ``sensitivity`` is the one-at-a-time check's result per alternative when one was
    run, else None (the brief then says "not run").
    """
    import json
    from pathlib import Path

    from sim.report.brief import build_brief, figures_from
    from sim.report.render import write_report_with_note

    # comparison.json as written, so the brief states exactly what the files record
    meta = json.loads((Path(out) / "comparison.json").read_text())
    brief = build_brief(cmp, rows, meta, sensitivity=sensitivity, figures=figures_from(paths))
    written, note = write_report_with_note(brief, out)
    if note and not quiet:
        print(note, file=sys.stderr)
    return written
