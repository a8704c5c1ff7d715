"""Benchmark 2: Epstein's model on our engine against Mesa's bundled example.

``crimesim bench --epstein`` runs this. Both engines get the same parameters --
Epstein's (``scenarios/epstein2002.toml``: 70% citizens, 4% cops, vision 7,
legitimacy 0.82, jail up to 30 ticks) -- on 40 x 40 and 200 x 200, and ours follows
the example's two departures from the paper (``arrest_rounding = "round"``,
``jail_on_grid = true``) so that the rules agree. Mesa's example is slow at 200 x 200
(2-3 s a step), so it is timed over 5 steps there (``mesa_steps``), ours over 300
ticks. Each engine is timed in wall-clock and in CPU time of this process: on a shared
machine CPU time is the steadier figure, and the ratio of the two engines' CPU times is
the headline. Mesa's example also collects two agent reporters for every agent every
step; its step is timed with and without that collection. Mesa caches each cell's
neighbourhood on first use, so its cache is filled before the clock starts.

The second half compares what the two engines produce: the distribution of the number
of active citizens over time at 40 x 40, a few seeds each, with our engine also under
the paper's rules (floor, jailed off the lattice) to show what the example's departures
change; each of our runs has the numbers of citizens and cops of the Mesa run it is
paired with. The runs are autocorrelated series, so the report gives distances between
distributions (Kolmogorov-Smirnov D, quantiles, outbursts), not p-values, and as the
yardstick the distance between two sets of our own runs that differ only in their seeds.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from sim.civil_violence.analysis import outbursts_of
from sim.civil_violence.model import CivilViolenceModel
from sim.scenario import Scenario
from sim.scenario.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]
#: The three output series, in plotting order, with their labels.
LABELS = {"mesa": "Mesa's example", "ours_mesa_rules": "ours, the example's rules",
          "ours_paper_rules": "ours, Epstein's rules"}
EPSTEIN = shipped_dir() / "epstein2002.toml"
#: Our engine under the example's rules (its departures from the paper).
MESA_RULES = {"civil_violence.arrest_rounding": "round", "civil_violence.jail_on_grid": True}
#: Keys shared by our [civil_violence] table and Mesa's EpsteinScenario.
SHARED_KEYS = ("citizen_density", "cop_density", "citizen_vision", "cop_vision", "legitimacy",
               "max_jail_term", "active_threshold", "arrest_prob_constant", "movement",
               "activation_order", "grid_type")


def mesa_model(scenario: Scenario, seed: int) -> Any:
    """Mesa's bundled example at the scenario's parameters and grid size."""
    from mesa.examples.advanced.epstein_civil_violence.model import (
        EpsteinCivilViolence,
        EpsteinScenario,
    )

    cv = scenario.params.civil_violence
    params = {key: cv[key] for key in SHARED_KEYS}
    return EpsteinCivilViolence(
        width=scenario.params.city.width, height=scenario.params.city.height,
        scenario=EpsteinScenario(rng=seed, max_iters=10**9, **params))


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _as_in_repository(path: Path) -> str:
    """A scenario path as a user's clone has it (``scenarios/epstein2002.toml``).

    The figures are kept in the repository (docs/civil_violence/bench_epstein.json), so
    they name the file relative to it, not by one machine's absolute path.
    """
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def time_ours(scenario: Scenario, ticks: int, seed: int = 1) -> dict[str, Any]:
    """Build our model and time ``ticks`` ticks after a short warm-up."""
    w0, _ = _clock()
    model = CivilViolenceModel(scenario=scenario, rng=seed)
    build = time.perf_counter() - w0
    model.run_for(5)  # kernels compiled or loaded from cache before the clock starts
    w0, c0 = _clock()
    model.run_for(ticks)
    w1, c1 = _clock()
    agents = model.citizens + model.cops
    return {"agents": agents, "build_seconds": build, "ticks": ticks,
            "wall_per_step": (w1 - w0) / ticks, "cpu_per_step": (c1 - c0) / ticks,
            "ns_per_agent_step_cpu": 1e9 * (c1 - c0) / ticks / agents,
            "mean_active": float(model.results.column("active")[5:].mean())}


def time_mesa(scenario: Scenario, steps: int, seed: int = 1) -> dict[str, Any]:
    """Build Mesa's example and time ``steps`` steps, and its data collection alone."""
    w0, _ = _clock()
    model = mesa_model(scenario, seed)
    build = time.perf_counter() - w0
    # Mesa caches each cell's neighbourhood on first use; fill the cache first so the
    # clock sees its steady state, not 200 x 200 cells' first visits (~15% of a step).
    w0, _ = _clock()
    radius = scenario.params.civil_violence.cop_vision
    for cell in model.grid.all_cells:
        cell.get_neighborhood(radius=radius)
    warm = time.perf_counter() - w0
    model.step()  # first step outside the clock, as for ours
    w0, c0 = _clock()
    for _ in range(steps):
        model.step()
    w1, c1 = _clock()
    reps = max(1, min(steps, 5))
    _, d0 = _clock()
    for _ in range(reps):
        model.datacollector.collect(model)
    collect = (time.process_time() - d0) / reps
    agents = len(model.agents)
    cpu = (c1 - c0) / steps
    return {"agents": agents, "build_seconds": build, "neighbourhood_cache_seconds": warm,
            "steps": steps, "wall_per_step": (w1 - w0) / steps, "cpu_per_step": cpu,
            "cpu_collect_per_step": collect, "cpu_per_step_without_collect": cpu - collect,
            "ns_per_agent_step_cpu": 1e9 * cpu / agents}


def mesa_active(scenario: Scenario, seed: int, ticks: int) -> tuple[np.ndarray, int, int]:
    """Actives after each of ``ticks`` steps of Mesa's example, and its citizens and cops."""
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop

    model = mesa_model(scenario, seed)
    citizens, cops = len(model.agents_by_type[Citizen]), len(model.agents_by_type[Cop])
    for _ in range(ticks):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    return frame["active"].to_numpy()[1:].astype(np.int64), citizens, cops  # row 0: start


def ours_active(scenario: Scenario, seed: int, ticks: int) -> np.ndarray:
    """Actives after each of ``ticks`` ticks of our engine."""
    model = CivilViolenceModel(scenario=scenario, rng=seed)
    model.run_for(ticks)
    return model.results.column("active").astype(np.int64)


def describe(series: list[np.ndarray], citizens: int, burn_in: int) -> dict[str, Any]:
    """Quantiles, mean and outbursts of the active series after ``burn_in`` ticks."""
    pooled = np.concatenate([s[burn_in:] for s in series])
    bursts = [outbursts_of(s[burn_in:], citizens).summary() for s in series]
    waits = [b["mean_waiting_ticks"] for b in bursts if b["mean_waiting_ticks"] is not None]
    return {"mean": float(pooled.mean()),
            "quantiles": {str(q): float(np.quantile(pooled, q))
                          for q in (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)},
            "share_of_ticks_in_outburst": float((pooled > 0.05 * citizens).mean()),
            "outbursts_per_1000_ticks": 1000 * sum(b["outbursts"] for b in bursts)
            / sum(s.size - burn_in for s in series),
            "mean_waiting_ticks": float(np.mean(waits)) if waits else None,
            "largest_peak": int(pooled.max())}


def ks_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Largest gap between the two empirical distribution functions."""
    grid = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), grid, side="right") / a.size
    fb = np.searchsorted(np.sort(b), grid, side="right") / b.size
    return float(np.abs(fa - fb).max())


def compare_outputs(base: Scenario, seeds: int, ticks: int, burn_in: int) -> dict[str, Any]:
    """Active series of Mesa's example, ours under its rules and ours under the paper's.

    Mesa's example draws each cell's occupant independently, so its number of cops
    varies by about +-8 around 64 between seeds, and that moves the level of rebellion
    more than anything else. Each of our runs therefore gets the numbers of citizens
    and cops of the Mesa run with the same seed (our counts are exact).
    """
    cells = base.params.city.width * base.params.city.height
    series: dict[str, list[np.ndarray]] = {name: [] for name in LABELS}
    others, counts = [], []
    for s in range(seeds):
        seed = 100 + s
        mesa, citizens, cops = mesa_active(base.with_overrides(MESA_RULES), seed, ticks)
        same = {"civil_violence.citizen_density": citizens / cells,
                "civil_violence.cop_density": cops / cells}
        series["mesa"].append(mesa)
        series["ours_mesa_rules"].append(
            ours_active(base.with_overrides({**MESA_RULES, **same}), seed, ticks))
        series["ours_paper_rules"].append(ours_active(base.with_overrides(same), seed, ticks))
        # The same engine and rules with other seeds: the gap that sampling alone makes.
        others.append(ours_active(base.with_overrides({**MESA_RULES, **same}), seed + 100,
                                  ticks))
        counts.append({"seed": seed, "citizens": citizens, "cops": cops})
    citizens = round(base.params.civil_violence.citizen_density * cells)
    pooled = {name: np.concatenate([s[burn_in:] for s in runs])
              for name, runs in series.items()}
    return {"seeds": seeds, "ticks": ticks, "burn_in": burn_in, "counts": counts,
            "summary": {name: describe(runs, citizens, burn_in)
                        for name, runs in series.items()},
            "ks_distance": {
                "mesa_vs_ours_mesa_rules": ks_distance(pooled["mesa"],
                                                       pooled["ours_mesa_rules"]),
                "mesa_vs_ours_paper_rules": ks_distance(pooled["mesa"],
                                                        pooled["ours_paper_rules"]),
                "ours_vs_ours_other_seeds": ks_distance(
                    pooled["ours_mesa_rules"], np.concatenate([s[burn_in:] for s in others]))},
            "series": {name: [s.tolist() for s in runs] for name, runs in series.items()}}


def run_benchmark(sizes: tuple[int, ...] = (40, 200), our_ticks: tuple[int, ...] = (1000, 300),
                  mesa_steps: tuple[int, ...] = (50, 5), seeds: int = 4,
                  compare_ticks: int = 400, burn_in: int = 50,
                  scenario: str | Path = EPSTEIN) -> dict[str, Any]:
    """Time both engines at each grid size, then compare their outputs at 40 x 40.

    Args:
        sizes: Grid sides (square grids).
        our_ticks: Ticks timed on our engine, per size.
        mesa_steps: Steps timed on Mesa's example, per size (sampled: fewer at 200).
        seeds: Seeds per engine in the output comparison.
        compare_ticks: Ticks per run of the output comparison.
        burn_in: Ticks left out of the distributions (the start-up outburst).
        scenario: The parameters (a civil_violence scenario file).
    """
    base = Scenario.load(scenario)
    load_before = os.getloadavg()
    rows = []
    for side, ticks, steps in zip(sizes, our_ticks, mesa_steps, strict=True):
        sc = base.with_overrides({"city.width": side, "city.height": side, **MESA_RULES})
        ours = time_ours(sc, ticks)
        mesa = time_mesa(sc, steps)
        rows.append({"side": side, "cells": side * side, "ours": ours, "mesa": mesa,
                     "ratio_cpu": mesa["cpu_per_step"] / ours["cpu_per_step"],
                     "ratio_wall": mesa["wall_per_step"] / ours["wall_per_step"],
                     "ratio_cpu_without_collect": mesa["cpu_per_step_without_collect"]
                     / ours["cpu_per_step"]})
    outputs = compare_outputs(base.with_overrides({"city.width": 40, "city.height": 40}),
                              seeds, compare_ticks, burn_in)
    return {"machine": platform.platform(), "processor": platform.processor(),
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average_before": load_before, "load_average_after": os.getloadavg(),
            "scenario": _as_in_repository(Path(scenario)),
            "parameters": base.to_dict()["civil_violence"],
            "rules": MESA_RULES, "sizes": rows, "outputs": outputs}
