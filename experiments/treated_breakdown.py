"""Where an intervention's effect falls: crime in its treated cells by type, night and day.

    .venv/bin/python experiments/treated_breakdown.py NAME [--reps 8] [--days 365]
        [--seed 1000] [--set key=value ...]

Runs the same pairs as ``python -m experiments.calibration NAME`` (replication i:
seed ``seed + i`` for the module's base and intervention scenarios, common random
numbers) and prints the paired change, with its 95% CI, of crime in the treated cells
for each crime type by night (20:00-06:00, the model's ``routines.night_start`` /
``night_end`` defaults) and day, then for all of the treated cells, the rest of the
city and the whole city. ``--set`` overrides the intervention's own keys
(``--set lighting=0.9`` means ``interventions.NAME.lighting = 0.9``), for tuning.
The intervention documents in docs/interventions/ quote its output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from experiments.calibration.runs import modules, scenarios  # noqa: E402
from sim import CrimeModel, Scenario  # noqa: E402
from sim.analysis.outcome import evaluation_start, measure_run  # noqa: E402
from sim.analysis.stats import paired_change  # noqa: E402
from sim.config import CRIME_TYPES, EV_CELL, EV_TICK, EV_TYPE  # noqa: E402
from sim.scenario.scenario import parse_override_value  # noqa: E402

ROWS = [f"{t} {w}" for t in CRIME_TYPES for w in ("night", "day")] + [
    "treated night", "treated day", "treated, all", "rest of the city", "whole city"]


def counts(scenario: Scenario, seed: int, ticks: int, start: int,
           treated: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One run: the counts of :data:`ROWS`, and its treated mask."""
    sc = scenario.with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    out = measure_run(model, ticks, start)
    mask = out.treated if treated is None else treated
    ev = model.events.array
    ev = ev[ev[:, EV_TICK] >= start]
    hour = ev[:, EV_TICK] % model.ticks_per_day
    p = model.p.routines
    night = (hour >= p.night_start) | (hour < p.night_end)
    inside = mask[ev[:, EV_CELL]]
    kind = ev[:, EV_TYPE]
    row = [((kind == k) & inside & (night if w == "night" else ~night)).sum()
           for k in range(len(CRIME_TYPES)) for w in ("night", "day")]
    row += [(inside & night).sum(), (inside & ~night).sum(), inside.sum(), (~inside).sum(),
            len(ev)]
    return np.array(row, float), mask


def main(argv: list[str] | None = None) -> int:
    """Run the pairs and print the table."""
    mods = modules()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=list(mods))
    ap.add_argument("--reps", type=int, default=8)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override one of the intervention's keys")
    args = ap.parse_args(argv)
    if args.reps < 2:
        ap.error("--reps must be at least 2 for a confidence interval")
    base, alt = scenarios(mods[args.name])
    overrides = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--set {item}: expected KEY=VALUE")
        overrides[f"interventions.{args.name}.{key}"] = parse_override_value(value)
    if overrides:
        alt = alt.with_overrides(overrides)
    ticks = args.days * base.params.time.ticks_per_day
    start = evaluation_start([base, alt])
    pairs = []
    for i in range(args.reps):
        a, mask = counts(alt, args.seed + i, ticks, start, None)
        b, _ = counts(base, args.seed + i, ticks, start, mask)
        pairs.append((b, a))
    b = np.array([p[0] for p in pairs])
    a = np.array([p[1] for p in pairs])
    print(f"{args.name}{' ' + ' '.join(args.set) if args.set else ''}: {args.reps} "
          f"replications of {args.days} days, crimes from tick {start}, mean per run\n")
    print(f"{'':<28}{'base':>9}{'with':>9}{'change %':>10}{'95% CI':>18}")
    for j, label in enumerate(ROWS):
        if b[:, j].sum() == 0:
            continue
        pc = paired_change(b[:, j], a[:, j])
        print(f"{label:<28}{pc.baseline:>9.1f}{pc.value:>9.1f}{pc.change_pct:>+10.1f}"
              f"{f'[{pc.ci_low:+.1f}, {pc.ci_high:+.1f}]':>18}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
