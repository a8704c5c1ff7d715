"""Calibration check and out-of-sample predictions of the interventions, in two tables.

    .venv/bin/python -m experiments.calibration [NAME ...] [--reps 8] [--days 365]
        [--workers 2] [--seed 101] [--no-baseline] [--check-tuning] [--report FILE]

Table 1, **calibration targets**: facts of the baseline city without any
intervention (survey prevalences, where and to whom violence happens, the burglary
journey) that scenario keys were tuned to (docs/calibration.md). One year of the
baseline per seed; mean and 95% t-interval across the seeds' cities next to the
target. Meeting them is a check that the calibration holds on cities it was not
fitted on, not a prediction.

Table 2, **out-of-sample predictions**: for each intervention module, replication i
runs the base and the intervention scenario with seed ``seed + i`` (common random
numbers), reads the headline from the pair (the module's ``measure``) and reports the
paired relative change with its 95% confidence interval (Fieller), next to the
evidence range, with a verdict (:mod:`experiments.calibration.verdict`): **matches**
(the interval inside the range), **partly** (it overlaps the range) or **does not**
(no overlap).

Seeds start at 101 and may not include the seeds anything was tuned on: the
baseline's calibration seeds (1-8) and the seeds the interventions' strengths were
tuned on (1000-1007). ``--check-tuning`` re-runs the tuning seeds instead (default
seed 1000), to reproduce the figures the plug-ins' pages give; table 2 is then titled a
check of the tuning, not predictions. The exit status is 1 when a verdict is "does not".

``--report FILE`` also writes the two tables as a Markdown page (the command, a
verdict table the validation index reads, and the printed report), so the published
report is the command's output rather than a copy of it
(docs/validation/interventions_report.md).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import t as student_t

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.calibration.runs import baseline_job, modules, pair_job  # noqa: E402
from experiments.calibration.verdict import DOES_NOT, verdict  # noqa: E402
from sim.analysis.executor import make_executor  # noqa: E402
from sim.analysis.stats import paired_change  # noqa: E402

#: First seed a prediction may use: 1-8 calibrated the baseline (docs/calibration.md).
FIRST_VALIDATION_SEED = 101
#: Seeds the interventions' strengths were tuned on (docs/interventions.md): never
#: used for a prediction.
TUNING_SEEDS = range(1000, 1008)


def seed_problem(seed: int, reps: int) -> str | None:
    """Why seeds ``seed .. seed + reps - 1`` may not be used for predictions, or None."""
    if seed < FIRST_VALIDATION_SEED:
        return (f"--seed must be at least {FIRST_VALIDATION_SEED}: seeds below it calibrate "
                "the baseline")
    used = set(range(seed, seed + reps)) & set(TUNING_SEEDS)
    if used:
        return (f"seeds {min(used)}-{max(used)} were used to tune the interventions' "
                "strengths; choose seeds outside 1000-1007")
    return None


def t_interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% t-interval across seeds (NaN ends with fewer than two values)."""
    v = np.asarray([x for x in values if np.isfinite(x)], float)
    if v.size == 0:
        return float("nan"), float("nan"), float("nan")
    if v.size < 2:
        return float(v.mean()), float("nan"), float("nan")
    half = float(student_t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size))
    return float(v.mean()), float(v.mean()) - half, float(v.mean()) + half


def calibration_rows(runs: list[dict]) -> list[tuple[str, str, float, float, float, str]]:
    """Table 1: (figure, target, mean, low, high, verdict) per baseline calibration target.

    A point target holds when the interval covers it ("covers"/"misses"); a range
    target gets the verdict of :func:`verdict`.
    """
    from experiments.baseline_calibration import SHARE_TARGETS, TARGETS, achieved

    rows = []
    for label, group, crime, target, _ in TARGETS:
        mean, lo, hi = t_interval([achieved(r, group, crime) for r in runs])
        if label.startswith("any of"):  # an upper bound: ten survey crimes against five
            rows.append((label, f"below {target:g}", mean, lo, hi,
                         verdict(lo, hi, -math.inf, target)))
            continue
        covers = np.isfinite(lo) and lo <= target <= hi
        rows.append((label, f"{target:g}", mean, lo, hi, "covers" if covers else "misses"))
    for label, crime, name, target, _ in SHARE_TARGETS:
        mean, lo, hi = t_interval([r["shares"][(crime, name)] for r in runs])
        if target is None:
            rows.append((label, "-", mean, lo, hi, "-"))
        else:
            rows.append((label, f"{target[0]:g} to {target[1]:g}", mean, lo, hi,
                         verdict(lo, hi, float(target[0]), float(target[1]))))
    return rows


def print_calibration(runs: list[dict], seeds: list[int], days: int) -> None:
    """Print table 1."""
    print(f"Table 1. Calibration targets: the baseline city, {days} days, seeds "
          f"{seeds[0]}-{seeds[-1]} (checks of the calibration, not predictions)\n")
    head = f"{'figure':<44}{'target':>14}{'mean':>10}{'95% CI':>20}  verdict"
    print(head)
    print("-" * len(head))
    for label, target, mean, lo, hi, mark in calibration_rows(runs):
        print(f"{label:<44}{target:>14}{mean:>10.2f}{f'[{lo:.2f}, {hi:.2f}]':>20}  {mark}")
    print()


def main(argv: list[str] | None = None) -> int:
    """Run the baseline years and the intervention pairs and print both tables."""
    mods = modules()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"interventions (default all: {', '.join(mods)})")
    parser.add_argument("--reps", type=int, default=8, help="replications (default 8)")
    parser.add_argument("--days", type=int, default=365, help="days per run (default 365)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--seed", type=int, default=None,
                        help=f"first seed, at least {FIRST_VALIDATION_SEED} (default "
                             f"{FIRST_VALIDATION_SEED}; {TUNING_SEEDS.start} with --check-tuning)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip table 1 (the baseline calibration targets)")
    parser.add_argument("--report", type=Path, default=None,
                        help="also write the tables as a Markdown page to this file")
    parser.add_argument("--check-tuning", action="store_true",
                        help="re-run the seeds the strengths were tuned on (default seed "
                             f"{TUNING_SEEDS.start}): a check of the tuning, not predictions")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in mods]
    if unknown:
        parser.error(f"unknown intervention {unknown[0]!r} (known: {', '.join(mods)})")
    if args.reps < 2:
        parser.error("--reps must be at least 2 for a confidence interval")
    if args.seed is None:
        args.seed = TUNING_SEEDS.start if args.check_tuning else FIRST_VALIDATION_SEED
    problem = None if args.check_tuning else seed_problem(args.seed, args.reps)
    if problem:
        parser.error(problem)
    names = args.names or list(mods)
    seeds = [args.seed + i for i in range(args.reps)]
    t0 = time.perf_counter()
    executor = make_executor(max(1, args.workers))
    jobs = [(n, s, args.days) for n in names for s in seeds]
    pairs = executor.map(pair_job, jobs)
    results = {(n, seed): pair for (n, seed, _), pair in zip(jobs, pairs, strict=True)}
    base_runs = [] if args.no_baseline else executor.map(
        baseline_job, [(s, args.days) for s in seeds])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        verdicts = print_report(args, names, mods, seeds, results, base_runs,
                                time.perf_counter() - t0)
    print(buffer.getvalue(), end="")
    if args.report:
        write_report(args.report, argv, buffer.getvalue(), verdicts)
    misses = sum(row[-1] == DOES_NOT for row in verdicts)
    return 1 if misses else 0


def print_report(args: argparse.Namespace, names: list[str], mods: dict, seeds: list[int],
                 results: dict, base_runs: list, seconds: float) -> list[tuple[str, ...]]:
    """Print both tables; return table 2's rows (name, headline, range, change, CI, verdict)."""
    print(f"{args.reps} replications of {args.days} days each, seeds {seeds[0]}-{seeds[-1]}, "
          f"common random numbers ({seconds:.0f} s)\n")
    if base_runs:
        print_calibration(base_runs, seeds, args.days)
    if args.check_tuning:
        print("Table 2. Check of the tuning: intervention headlines on the seeds the "
              "strengths were tuned on (not predictions)\n")
    else:
        print("Table 2. Out-of-sample predictions: intervention headlines against the "
              "evidence\n")
    head = (f"{'intervention':<28}{'headline':<54}{'evidence %':>16}{'predicted %':>13}"
            f"{'95% CI':>18}  verdict")
    print(head)
    print("-" * len(head))
    rows: list[tuple[str, ...]] = []
    for name in names:
        t = mods[name].TARGET
        arr = np.array([results[(name, s)] for s in seeds])
        pc = paired_change(arr[:, 0], arr[:, 1])
        mark = verdict(pc.ci_low, pc.ci_high, t.low, t.high)
        rng = f"{t.low:g} to {t.high:g}"
        ci = f"[{pc.ci_low:+.1f}, {pc.ci_high:+.1f}]"
        print(f"{name:<28}{t.headline:<54}{rng:>16}{pc.change_pct:>+13.1f}{ci:>18}  {mark}")
        point = ("no point estimate (direction only)" if np.isnan(t.point)
                 else f"point estimate {t.point:+g}%")
        print(f"{'':<28}source: {t.source}{' (check)' if t.check else ''}; {point}")
        rows.append((name, t.headline, rng, f"{pc.change_pct:+.1f}%", ci, mark))
    return rows


def write_report(path: Path, argv: list[str] | None, text: str,
                 verdicts: list[tuple[str, ...]]) -> None:
    """Write the report as a Markdown page: command, verdict table, the printed tables."""
    command = " ".join(["python -m experiments.calibration", *(sys.argv[1:] if argv is None
                                                                else argv)])
    table = ["| intervention | headline | evidence % | predicted | 95% CI | verdict |",
             "|---|---|---|---|---|---|"]
    table += [f"| `{n}` | {h} | {r} | {c} | {ci} | **{m}** |" for n, h, r, c, ci, m in verdicts]
    page = f"""# The interventions: calibration targets and out-of-sample predictions

Written by `{command}`. Table 1 checks the baseline calibration
targets on cities no key was fitted on (a check, not a prediction); table 2 gives each
intervention's headline effect, paired with the baseline by seed, against the evidence
range: **matches** (the 95% interval inside the range), **partly** (it overlaps),
**does not** (no overlap). No intervention strength was tuned to these figures, and
the seeds were never used for calibration or tuning. docs/interventions.md reads the
verdicts; each plug-in's page gives its parameters' status.

## Verdicts

{chr(10).join(table)}

## The report

```text
{text.rstrip()}
```
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
