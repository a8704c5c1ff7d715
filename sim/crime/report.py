"""Readable terminal tables of a crime run's headline figures.

What ``crimesim run`` prints after a run of the crime model (either engine: the
reference writes the same results). It sits beside :mod:`sim.crime.output`, the run's
files, below the model families' registry (:mod:`sim.families`), which hands it to
the command line as the crime family's headline printer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config import CRIME_TYPES, GROUPS
from sim.metrics.prevalence import annualise

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


#: Column labels for the groups (GROUPS order) in terminal tables.
_LABEL = {"everyone": "everyone", "youth": "youth", "adult": "adults", "elderly": "elderly",
          "women_and_girls": "women+girls", "men_and_boys": "men+boys",
          "marginalised": "marginal."}


def print_headline(model: CrimeModel, runtime_s: float) -> None:
    """Print crimes by type, prevalence by group (annualised) and the justice figures."""
    res = model.results
    days = model.tick / model.ticks_per_day
    totals = res.totals()
    total = totals["crimes_total"]
    print(f"{model.scenario.name}: {days:g} days ({model.tick} ticks) in {runtime_s:.1f} s")
    print()
    print(f"{'crime type':<18}{'crimes':>9}{'per day':>10}")
    for t in CRIME_TYPES:
        n = totals[f"crimes_{t}"]
        print(f"{t:<18}{n:>9}{n / max(days, 1e-9):>10.2f}")
    print(f"{'total':<18}{total:>9}{total / max(days, 1e-9):>10.2f}")
    rep = totals["reported_crimes"]
    print()
    print(f"reported {rep} ({100 * rep / total if total else 0:.0f}%), "
          f"arrests {totals['arrests']}, bribes {totals['bribes']}, "
          f"offenders free {res.last('offenders_free'):.0f}, "
          f"jailed {res.last('offenders_jailed'):.0f}, gang members "
          f"{res.last('gang_members'):.0f}")
    if model.residents.n == 0:
        print(f"mean attractiveness {res.last('mean_attractiveness'):.4f}, "
              f"mean B {res.last('mean_b'):.4f}")
        return
    prev = model.prevalence()
    pdays = prev["days"]
    label = "annual" if abs(pdays - 365) < 1 else f"annualised from {pdays:g} days"
    print()
    print(f"victimisation prevalence, % of people ({label})")
    header = "".join(f"{_LABEL[g]:>12}" for g in GROUPS)
    print(f"{'crime type':<18}{header}")
    for t in (*CRIME_TYPES, "any"):
        cells = "".join(f"{100 * annualise(prev['groups'][g][t], pdays):>12.2f}" for g in GROUPS)
        print(f"{t:<18}{cells}")
    hh = annualise(prev["households_burgled"], pdays)
    print(f"households burgled: {100 * hh:.2f}%   mean legitimacy: "
          f"{res.last('legitimacy_everyone'):.3f}")
    levers = getattr(model, "levers", None)  # the reference engine has no fear
    if levers is not None and levers.fear.enabled:
        fear = "".join(f"{res.last(f'fear_{g}'):>12.3f}" for g in GROUPS)
        avoided = "".join(f"{int(res.column(f'avoided_outings_{g}').sum()):>12}"
                          for g in GROUPS)
        print(f"{'fear of crime':<18}{fear}")
        print(f"{'outings avoided':<18}{avoided}")
