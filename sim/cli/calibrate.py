"""``crimesim calibrate``: fit a city's scenario to its recorded crime.

    crimesim calibrate SCENARIO --observed FILE.parquet --out DIR [--trials N]
        [--workers W | --scheduler ADDRESS] [--seed S] [--batch B] [--replications R]
        [--burn-in-days D] [--holdout-months K] [--fit KEY[=LOW:HIGH] ...]

Writes ``DIR/scenario.toml`` (extends SCENARIO with the fitted keys), ``DIR/fit.md``,
``DIR/trials.csv`` and ``DIR/figures/``; the search itself is kept in
``DIR/study.log``, so running the command again on DIR continues it (docs/city.md,
"Fit the model to your city"). The work is in :mod:`sim.analysis.calibrate_city`.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from sim.cli.arguments import nonneg_int, pos_int

DEFAULT_TRIALS = 40


def add_parser(sub: Any) -> None:
    """Register ``calibrate`` on the subcommand parser."""
    from sim.analysis.executor import default_workers

    p = sub.add_parser("calibrate",
                       help="fit crime rates and spatial keys to a city's recorded crime")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="the city's scenario (e.g. the one `crimesim city import` wrote)")
    p.add_argument("--observed", required=True, metavar="FILE.parquet",
                   help="the city's recorded crime from `crimesim crimes import`")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the calibrated scenario, fit.md and the study "
                        "(run again on it to continue)")
    p.add_argument("--trials", type=pos_int, default=DEFAULT_TRIALS,
                   help=f"trials in all, counting finished ones (default {DEFAULT_TRIALS})")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=pos_int, default=default_workers(),
                       help=f"processes running simulations (default {default_workers()})")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the simulations on a Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--seed", type=nonneg_int, default=1,
                   help="seeds the search and the simulations (default 1)")
    p.add_argument("--batch", type=pos_int, default=4,
                   help="trials proposed and run at once (default 4); results depend on "
                        "it, not on --workers")
    p.add_argument("--replications", type=pos_int, default=2,
                   help="simulations per trial, the same seeds for every trial (default 2)")
    p.add_argument("--burn-in-days", type=nonneg_int, default=0, metavar="D",
                   help="days each run simulates before the first observed month, so "
                        "jails and hot spots fill up first (default 0)")
    p.add_argument("--holdout-months", type=nonneg_int, metavar="K",
                   help="last K months left out of the fit and scored (default: a "
                        "quarter, at least 1)")
    p.add_argument("--fit", action="append", default=[], metavar="KEY[=LOW:HIGH]",
                   help="a key to fit (repeat; default: the observed types' "
                        "crime.<type>.rate, attractiveness.deprivation_gain, awareness.leisure_km)")
    p.add_argument("--resume", action="store_true",
                   help="continue the study in --out (also done without this flag)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=calibrate_command)


def calibrate_command(args: argparse.Namespace) -> int:
    """Check the inputs, run the search, write the calibrated scenario and fit.md."""
    from sim.analysis.calibrate_city import STUDY_LOG, prepare, run_calibration
    from sim.analysis.fit_report import write_report
    from sim.cli.executors import executor_for
    from sim.errors import UsageError

    setup = prepare(args.scenario, args.observed, args.out, trials=args.trials,
                    seed=args.seed, batch=args.batch, replications=args.replications,
                    burn_in_days=args.burn_in_days, holdout_months=args.holdout_months,
                    fit=args.fit)
    if args.resume and not (setup.out / STUDY_LOG).is_file():
        raise UsageError(f"--resume: {setup.out} holds no calibration to continue")
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    obs = setup.observed
    say(f"calibrate {setup.scenario.name}: {', '.join(k.key for k in setup.keys)} to "
        f"{int(obs.train.sum())} crimes in {len(obs.areas)} areas, "
        f"{obs.train_months[0]}..{obs.train_months[-1]}"
        + (f" (held out {', '.join(obs.holdout_months)})" if obs.holdout_months else ""))
    executor = executor_for(args.workers, args.scheduler)
    t0 = time.perf_counter()

    def progress(done: int, wanted: int, best: float) -> None:
        say(f"  trials {done}/{wanted}: best deviance {best:.4g} "
            f"({time.perf_counter() - t0:.0f} s)")

    try:
        result = run_calibration(setup, executor, progress)
        write_report(result, setup.out)
    finally:
        if hasattr(executor, "close"):
            executor.close()
    for k in setup.keys:
        iv = result.intervals[k.key]
        say(f"  {k.key} = {result.fitted[k.key]:.4g} (95% CI {iv.low:.4g} to "
            f"{iv.high:.4g})")
    say(f"wrote {setup.out}/scenario.toml, fit.md, trials.csv and figures/")
    return 0
