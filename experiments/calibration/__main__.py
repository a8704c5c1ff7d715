"""Re-run the interventions' calibration: target against achieved, with 95% CIs.

    .venv/bin/python -m experiments.calibration [NAME ...] [--reps 8] [--days 365]
        [--workers 2] [--seed 1000]

For each intervention module, replication i runs the base and the intervention
scenario with seed ``seed + i`` (common random numbers), reads the headline from the
pair (the module's ``measure``), and reports the paired relative change with its 95%
confidence interval next to the evidence range. The exit status is 1 when a headline
falls outside its range.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.calibration.runs import modules, pair_job  # noqa: E402
from sim.analysis.executor import make_executor  # noqa: E402
from sim.analysis.stats import paired_change  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the calibration and print the table."""
    mods = modules()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"interventions (default all: {', '.join(mods)})")
    parser.add_argument("--reps", type=int, default=8, help="replications (default 8)")
    parser.add_argument("--days", type=int, default=365, help="days per run (default 365)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--seed", type=int, default=1000, help="first seed (default 1000)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in mods]
    if unknown:
        parser.error(f"unknown intervention {unknown[0]!r} (known: {', '.join(mods)})")
    if args.reps < 2:
        parser.error("--reps must be at least 2 for a confidence interval")
    names = args.names or list(mods)
    t0 = time.perf_counter()
    jobs = [(n, args.seed + i, args.days) for n in names for i in range(args.reps)]
    pairs = make_executor(max(1, args.workers)).map(pair_job, jobs)
    results = {(n, seed): pair for (n, seed, _), pair in zip(jobs, pairs, strict=True)}
    print(f"{args.reps} replications of {args.days} days each, common random numbers "
          f"({time.perf_counter() - t0:.0f} s)\n")
    head = (f"{'intervention':<28}{'headline':<54}{'target %':>16}{'achieved %':>12}"
            f"{'95% CI':>18}  in range")
    print(head)
    print("-" * len(head))
    outside = 0
    for name in names:
        t = mods[name].TARGET
        pairs = np.array([results[(name, args.seed + i)] for i in range(args.reps)])
        pc = paired_change(pairs[:, 0], pairs[:, 1])
        inside = t.low <= pc.change_pct <= t.high
        outside += not inside
        rng = f"{t.low:g} to {t.high:g}"
        ci = f"[{pc.ci_low:+.1f}, {pc.ci_high:+.1f}]"
        mark = "yes" if inside else "NO"
        print(f"{name:<28}{t.headline:<54}{rng:>16}{pc.change_pct:>+12.1f}{ci:>18}  {mark}")
        point = ("no point estimate (direction only)" if np.isnan(t.point)
                 else f"point estimate {t.point:+g}%")
        print(f"{'':<28}source: {t.source}{' (check)' if t.check else ''}; {point}")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
