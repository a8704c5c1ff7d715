"""``crimesim sensitivity``: which assumptions an intervention's effect depends on most.

    crimesim sensitivity BASE ALT... [--keys k1,k2] [--days D] [--reps N] [--step S]
        [--top N] [--seed S] [--workers W] [--set key=value ...] [--out DIR]
        [--only-interventions]

Moves each key 25% down and up, one at a time, in the base and the alternative alike,
reruns the paired comparison and prints the keys ranked by how far the effect on total
crime swings (sim.analysis.sensitivity_oat); writes ``DIR/sensitivity.csv``.

The same check feeds the decision brief of ``crimesim compare``: :func:`add_report_flags`
adds ``--sensitivity-days``, ``--sensitivity-reps`` and ``--no-sensitivity`` there, and
:func:`sensitivity_for` runs it with those settings.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path
from typing import Any

from sim.analysis.sensitivity_defaults import BRIEF_REPS as DEFAULT_REPS
from sim.analysis.sensitivity_defaults import BRIEF_WINDOW_DAYS as DEFAULT_WINDOW_DAYS
from sim.cli.arguments import nonneg_int, pos_float, pos_int, writable_folder


def add_report_flags(p: argparse.ArgumentParser) -> None:
    """Add the brief's sensitivity flags to ``crimesim compare`` (they act with --report)."""
    p.add_argument("--sensitivity-days", type=pos_float, default=None, metavar="D",
                   help="days per run of the brief's one-at-a-time sensitivity check "
                        f"(default: {DEFAULT_WINDOW_DAYS:g} days after the first "
                        "intervention starts, at most --days)")
    p.add_argument("--sensitivity-reps", type=pos_int, default=DEFAULT_REPS, metavar="N",
                   help="paired replications per point of the sensitivity check "
                        f"(default {DEFAULT_REPS})")
    p.add_argument("--no-sensitivity", action="store_true",
                   help="leave the sensitivity check out of the brief")


def check_days(base: Any, alternatives: list[Any], compare_days: float,
               requested: float | None) -> float:
    """Days per run of the check: the request, or the default window; at most the run's.

    Raises:
        UsageError: The request leaves no day after the first intervention starts.
    """
    from sim.analysis.outcome import evaluation_start
    from sim.analysis.sensitivity_oat import brief_days
    from sim.errors import UsageError

    start_day = evaluation_start([base, *alternatives]) / base.params.time.ticks_per_day
    days = (brief_days(base, alternatives, compare_days) if requested is None
            else min(requested, compare_days))
    if days <= start_day:
        raise UsageError(f"--sensitivity-days {days:g}: the first intervention starts on day "
                         f"{start_day:g}; the check needs runs longer than that")
    return days


def sensitivity_for(base: Any, alternatives: list[Any], compare_days: float,
                    args: argparse.Namespace, executor: Any = None,
                    on_done: Any = None) -> dict[str, list[Any]]:
    """The brief's check: alternative label -> its ten most influential keys.

    Args:
        base: The comparison's base scenario (``--set`` applied).
        alternatives: Its alternatives, in the comparison's order.
        compare_days: Days per run of the comparison (the check runs at most as long).
        args: ``compare``'s parsed arguments (``sensitivity_days``, ``sensitivity_reps``,
            ``no_sensitivity``, ``seed``).
        executor: Where runs are computed (the comparison's).
        on_done: Called with a job index after each run.

    Returns:
        Label -> :class:`~sim.analysis.sensitivity_oat.SensitivityRow` list, largest
        swing first; empty with ``--no-sensitivity``.
    """
    results = sensitivity_results_for(base, alternatives, compare_days, args, executor,
                                      on_done)
    return {label: res.rows for label, res in results.items()}


def sensitivity_results_for(base: Any, alternatives: list[Any], compare_days: float,
                            args: argparse.Namespace, executor: Any = None,
                            on_done: Any = None) -> dict[str, Any]:
    """As :func:`sensitivity_for`, with each alternative's whole result.

    Label -> :class:`~sim.analysis.sensitivity_oat.SensitivityResult`: the central
    effect, the keys skipped, the check's days and replications too.
    """
    from sim.analysis.sensitivity_oat import sensitivity_analysis

    if getattr(args, "no_sensitivity", False):
        return {}
    days = check_days(base, alternatives, compare_days, args.sensitivity_days)
    return sensitivity_analysis(base, alternatives, reps=args.sensitivity_reps, days=days,
                                seed=args.seed, executor=executor, on_done=on_done)


def add_parser(sub: Any) -> None:
    """Register ``sensitivity`` on the subcommand parser."""
    from sim.analysis.executor import default_workers

    p = sub.add_parser("sensitivity", help="rank the assumptions an intervention's effect "
                                           "depends on (one-at-a-time check)")
    p.add_argument("base", metavar="BASE",
                   help="base scenario TOML file, or a shipped scenario's name")
    p.add_argument("alternatives", nargs="+", metavar="ALT",
                   help="alternative scenario files or shipped scenario names")
    p.add_argument("--keys", type=_keys, default=None, metavar="K1,K2",
                   help="dotted keys to move (default: the model's main assumptions and "
                        "each alternative's intervention parameters)")
    p.add_argument("--days", type=pos_float, default=None,
                   help=f"days per run (default: {DEFAULT_WINDOW_DAYS:g} days after the first "
                        "intervention starts)")
    p.add_argument("--reps", type=pos_int, default=2,
                   help="paired replications per point (default 2)")
    p.add_argument("--step", type=_step, default=0.25,
                   help="relative step: each key at (1-S) and (1+S) times its value "
                        "(default 0.25)")
    p.add_argument("--top", type=pos_int, default=10, help="keys listed per alternative "
                                                           "(default 10)")
    p.add_argument("--seed", type=nonneg_int, default=1,
                   help="seed of the first replication (default 1)")
    p.add_argument("--workers", type=pos_int, default=default_workers(),
                   help=f"processes running the runs (default {default_workers()})")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a key in every scenario")
    p.add_argument("--out", default="out/sensitivity",
                   help="folder for sensitivity.csv (default out/sensitivity)")
    p.add_argument("--only-interventions", action="store_true",
                   help="skip alternatives without interventions (for globs like "
                        "scenarios/*.toml)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=sensitivity_command)


def _keys(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise argparse.ArgumentTypeError("expected dotted keys separated by commas")
    return keys


def _step(text: str) -> float:
    value = pos_float(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"the step must be below 1, got {value:g}")
    return value


def sensitivity_command(args: argparse.Namespace) -> int:
    """Run the check, print the ranked table, write ``sensitivity.csv``."""
    from tqdm import tqdm

    from sim.analysis.compare import plan
    from sim.analysis.executor import make_executor
    from sim.analysis.sensitivity_oat import (
        CSV_COLUMNS,
        check_keys,
        csv_records,
        planned_runs,
        sensitivity_analysis,
    )
    from sim.cli.compare import load_scenarios
    from sim.cli.run import check_map

    base, alts = load_scenarios(args)
    if args.keys:
        check_keys(base, alts, args.keys)  # a bad key fails before anything runs
    run_days = base.params.time.days if args.days is None else args.days
    days = check_days(base, alts, run_days, args.days)
    plan(base, alts, int(round(days * base.params.time.ticks_per_day)))
    for scenario in (base, *alts):
        check_map(scenario)
    out = writable_folder(args.out)
    executor = make_executor(args.workers)
    show = not (args.quiet or args.no_progress)
    t0 = time.perf_counter()
    total = planned_runs(base, alts, keys=args.keys, reps=args.reps, step=args.step)
    with tqdm(total=total, unit="run", disable=not show, delay=1.0, leave=False,
              file=sys.stderr, desc="sensitivity") as bar:
        results = sensitivity_analysis(base, alts, keys=args.keys, reps=args.reps, days=days,
                                       seed=args.seed, executor=executor, step=args.step,
                                       top=args.top, on_done=lambda _i: bar.update(1))
    runtime = time.perf_counter() - t0
    path = Path(out) / "sensitivity.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_records(results))
    if not args.quiet:
        print(f"one-at-a-time check in {runtime:.0f} s: each key x{1 - args.step:g} and "
              f"x{1 + args.step:g}, {args.reps} paired replication"
              f"{'s' if args.reps > 1 else ''} of {days:g} days")
        for label, res in results.items():
            print(format_result(label, res))
        print(f"wrote {path}")
    return 0


def _pct(value: float) -> str:
    return f"{value:+.1f}%" if math.isfinite(value) else "n/a"


def format_result(label: str, res: Any) -> str:
    """One alternative's ranked keys as a plain-text table."""
    lines = [f"\n{label}: total crime {_pct(res.central_pct)} (days {res.start_day:g} to "
             f"{res.days:g}); most sensitive to:",
             f"  {'key':44} {'low':>10} {'high':>10} {'effect low':>11} {'effect high':>11}"
             f" {'swing':>7}"]
    for row in res.rows:
        lines.append(f"  {row.key:44} {row.low_value:>10.4g} {row.high_value:>10.4g} "
                     f"{_pct(row.effect_low_pct):>11} {_pct(row.effect_high_pct):>11} "
                     f"{row.swing_pct:>6.1f}")
    if math.isfinite(res.noise_pct):
        lines.append(f"  (replication noise alone gives swings of about {res.noise_pct:.1f} "
                     "points; smaller swings are not distinguishable from it)")
    else:
        lines.append("  (one replication: a swing cannot be told from noise; rerun the top "
                     "keys with --reps 2 or more)")
    for key, reason in res.skipped.items():
        lines.append(f"  (not moved: {key}: {reason})")
    return "\n".join(lines)
