"""``crimesim run`` for a civil-violence scenario (``model = "civil_violence"``).

``run`` dispatches here on the scenario's ``model`` key. Epstein's model counts ticks,
not days: the run length is ``--ticks`` or the scenario's
``civil_violence.max_iters``; ``--days`` is refused with a message saying so.
"""

from __future__ import annotations

import argparse

from sim.civil_violence.analysis import OUTBURST_SHARE, outbursts_of
from sim.civil_violence.model import CivilViolenceModel
from sim.scenario import Scenario


def run_civil_violence(args: argparse.Namespace, scenario: Scenario) -> int:
    """Run a civil-violence scenario, print its headline figures, write its files."""
    from sim.civil_violence.output import write_run
    from sim.cli.run import run_and_report
    from sim.errors import UsageError

    if getattr(args, "engine", "fast") != "fast":
        raise UsageError("--engine: the civil_violence model has one engine (no reference "
                         "engine); leave --engine out")
    if getattr(args, "check_invariants", False):
        raise UsageError("--check-invariants: not available for a civil_violence scenario "
                         "(its kernel tests check the lattice invariants)")
    if args.days is not None:
        raise UsageError("--days: a civil_violence scenario counts ticks; use --ticks "
                         f"(default civil_violence.max_iters = "
                         f"{scenario.params.civil_violence.max_iters})")
    model = CivilViolenceModel(scenario=scenario, rng=args.seed)
    ticks = args.ticks if args.ticks is not None else scenario.params.civil_violence.max_iters
    return run_and_report(model, ticks, args, write_run, print_headline, chunk=100)


def print_headline(model: CivilViolenceModel, runtime_s: float) -> None:
    """Citizens by state, arrests, and the outbursts of the run."""
    res = model.results
    p = model.p
    print(f"{model.scenario.name}: {model.tick} ticks of Epstein's civil violence on "
          f"{model.width} x {model.height} in {runtime_s:.1f} s")
    print(f"{model.citizens} citizens, {model.cops} cops "
          f"({int(model.lattice.corrupt.sum())} corrupt), legitimacy {p.legitimacy:g}"
          + (f" falling by {p.legitimacy_drop:g}" if p.legitimacy_drop else ""))
    if not len(res):
        return
    print()
    print(f"{'':<10}{'mean':>9}{'max':>8}{'final':>8}")
    for name in ("active", "quiet", "jailed"):
        col = res.column(name)
        print(f"{name:<10}{col.mean():>9.1f}{col.max():>8.0f}{col[-1]:>8.0f}")
    bursts = outbursts_of(res.column("active"), model.citizens, OUTBURST_SHARE).summary()
    wait = bursts["mean_waiting_ticks"]
    print()
    print(f"arrests {int(res.column('arrests').sum())}, extortions "
          f"{int(res.column('extortions').sum())}, mean perceived legitimacy "
          f"{res.column('perceived_legitimacy').mean():.3f}")
    print(f"outbursts (> {100 * OUTBURST_SHARE:g}% of citizens active): "
          f"{bursts['outbursts']}, largest {bursts['largest_peak']} active"
          + (f", mean waiting time {wait:.0f} ticks" if wait is not None else ""))
