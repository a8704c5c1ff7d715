"""Readable terminal tables of a civil-violence run's headline figures.

What ``crimesim run`` prints after a run of Epstein's model: citizens by state,
arrests and extortions, and the outbursts of rebellion. The model families' registry
(:mod:`sim.families`) hands it to the command line as this family's headline printer.
"""

from __future__ import annotations

from sim.civil_violence.analysis import OUTBURST_SHARE, outbursts_of
from sim.civil_violence.model import CivilViolenceModel


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
