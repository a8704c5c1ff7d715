"""The calibration's runs: find the modules, build their scenarios, run one pair.

Kept out of ``__main__`` so that worker processes (started from a fork server) can
import what they run: a function defined in a ``python -m`` main module cannot be
found by name in a worker.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from sim import Scenario
from sim.analysis.outcome import evaluation_start, run_outcome

ROOT = Path(__file__).resolve().parents[2]



def modules() -> dict[str, ModuleType]:
    """Every calibration module, by intervention name.

    A calibration module is one that declares a ``TARGET`` and a ``SCENARIO``; the
    package's helpers (runs, target, verdict) do not, so a new helper module can never
    be mistaken for an intervention.
    """
    import experiments.calibration as pkg

    out = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"experiments.calibration.{info.name}")
        if hasattr(mod, "TARGET") and hasattr(mod, "SCENARIO"):
            out[info.name] = mod
    return dict(sorted(out.items()))


def scenarios(mod: ModuleType) -> tuple[Scenario, Scenario]:
    """The module's base and intervention scenarios."""
    base = Scenario.load(ROOT / getattr(mod, "BASE", "scenarios/baseline.toml"))
    overrides = getattr(mod, "BASE_OVERRIDES", None)
    if overrides:
        base = base.with_overrides(overrides)
    return base, Scenario.load(ROOT / mod.SCENARIO)


def pair_job(job: tuple[str, int, int]) -> tuple[float, float]:
    """:func:`one_pair` for one ``(name, seed, days)`` job (what an executor maps)."""
    return one_pair(*job)


def one_pair(name: str, seed: int, days: int) -> tuple[float, float]:
    """Run replication ``seed`` of ``name``: the headline under base and alternative."""
    mod = modules()[name]
    base, alt = scenarios(mod)
    ticks = days * base.params.time.ticks_per_day
    start = evaluation_start([base, alt])
    b = run_outcome(base, seed, ticks, start)
    a = run_outcome(alt, seed, ticks, start)
    return mod.measure(b, a)


def baseline_job(job: tuple[int, int]) -> dict:
    """One seeded year of the baseline city for the calibration table: ``(seed, days)``.

    The figures are those of experiments/baseline_calibration.py (survey prevalences,
    the shares of where and to whom, the journey), less its per-seed detail tables.
    """
    from experiments.baseline_calibration import run_year

    seed, days = job
    run = run_year(seed, days)
    run.pop("detail", None)
    return run
