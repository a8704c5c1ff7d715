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
import importlib
import pkgutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sim import Scenario  # noqa: E402
from sim.experiments.outcome import evaluation_start, run_outcome  # noqa: E402
from sim.experiments.stats import paired_change  # noqa: E402

_NOT_MODULES = {"target", "__main__"}


def modules() -> dict[str, ModuleType]:
    """Every calibration module, by intervention name."""
    import experiments.calibration as pkg

    out = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name not in _NOT_MODULES and not info.name.startswith("_"):
            out[info.name] = importlib.import_module(f"experiments.calibration.{info.name}")
    return dict(sorted(out.items()))


def scenarios(mod: ModuleType) -> tuple[Scenario, Scenario]:
    """The module's base and intervention scenarios."""
    base = Scenario.load(ROOT / getattr(mod, "BASE", "scenarios/baseline.toml"))
    overrides = getattr(mod, "BASE_OVERRIDES", None)
    if overrides:
        base = base.with_overrides(overrides)
    return base, Scenario.load(ROOT / mod.SCENARIO)


def one_pair(name: str, seed: int, days: int) -> tuple[float, float]:
    """Run replication ``seed`` of ``name``: the headline under base and alternative."""
    mod = modules()[name]
    base, alt = scenarios(mod)
    ticks = days * base.params.time.ticks_per_day
    start = evaluation_start([base, alt])
    b = run_outcome(base, seed, ticks, start)
    a = run_outcome(alt, seed, ticks, start)
    return mod.measure(b, a)


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
    jobs = [(n, args.seed + i) for n in names for i in range(args.reps)]
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = {job: pool.submit(one_pair, job[0], job[1], args.days) for job in jobs}
        results = {job: f.result() for job, f in futures.items()}
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
