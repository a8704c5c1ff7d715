"""The validation's simulations, as module-level jobs an executor can send to workers.

Kept apart from the experiments' modules and from ``__main__`` so that worker
processes (forked from the executor's server, or Dask workers) import only what they
run. A job is a small frozen dataclass; its result is plain arrays and numbers, so it
pickles cheaply back to the driver. A run depends on its job alone (scenario,
overrides, seed), which makes every figure reproducible from the seeds in the report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from experiments.validation.equilibrium import ShortParams
from sim.config import EV_RESIDENT

ROOT = Path(__file__).resolve().parents[2]
SHORT_SCENARIO = ROOT / "scenarios" / "short2008.toml"
BASELINE_SCENARIO = ROOT / "scenarios" / "baseline.toml"
#: A city a tenth of the baseline's size (as tests/conftest.py shrinks it): quick mode.
SMALL_CITY: dict[str, Any] = {
    "city.width": 40, "city.height": 40, "city.districts": 4, "residents.count": 3000,
    "offenders.count": 60, "police.count": 6, "services.count": 3, "security.guards": 5,
    "city.schools": 4}


@dataclass(frozen=True)
class LatticeJob:
    """One run of Short et al.'s lattice model.

    Attributes:
        params: The parameter set.
        seed: The run's seed.
        units: Model time units to run (100 steps each at dt = 0.01).
        size: Lattice side (128 in the paper).
        window: Time units averaged into each B map.
        lag: Time units between the two averaged maps whose correlation says whether
            hotspots stay put.
    """

    params: ShortParams
    seed: int
    units: int
    size: int = 128
    window: int = 5
    lag: int = 50


def lattice_scenario(params: ShortParams, size: int) -> Any:
    """The lattice scenario for a parameter set, started at its homogeneous equilibrium.

    B starts at B_bar everywhere and the lattice holds n_bar burglars per site, as in
    the shipped scenarios/short2008.toml, so the homogeneous set needs no burn-in and
    the others show how they leave the flat state.
    """
    from sim import Scenario

    return Scenario.load(SHORT_SCENARIO).with_overrides({
        "city.width": size, "city.height": size,
        "near_repeat.eta": params.eta, "near_repeat.theta": params.theta,
        "near_repeat.omega": params.omega, "attractiveness.residential": params.a0,
        "time.dt": params.dt, "offenders.spawn_rate": params.gamma,
        "near_repeat.initial_b": params.b_bar,
        "offenders.count": int(round(params.n_bar * size * size)),
    })


def lattice_run(job: LatticeJob) -> dict[str, Any]:
    """Run one lattice job; return the per-step series and the maps the report needs.

    Returns:
        ``mean_b``, ``burglars`` and ``burglaries`` per step (float arrays), the final
        attractiveness map ``a_final`` (A0 + B), the B maps averaged over the last
        ``window`` units and over the ``window`` units ``lag`` units earlier
        (``b_late``, ``b_early``), the steps per unit and the wall time.
    """
    from sim import CrimeModel

    t0 = time.perf_counter()
    sc = lattice_scenario(job.params, job.size)
    model = CrimeModel(scenario=sc, rng=job.seed, agent_views=False)
    spu = model.ticks_per_day  # one model time unit = ticks_per_day steps of dt
    early_end = job.units - job.lag
    b_early = np.zeros_like(model.city.b)
    b_late = np.zeros_like(model.city.b)
    for unit in range(1, job.units + 1):
        model.run_for(spu)
        if early_end - job.window < unit <= early_end:
            b_early += model.city.b / job.window
        if unit > job.units - job.window:
            b_late += model.city.b / job.window
    frame = model.results.to_frame()
    return {
        "label": job.params.label, "seed": job.seed, "steps_per_unit": int(spu),
        "mean_b": frame["mean_b"].to_numpy(dtype=float),
        "burglars": frame["offenders_free"].to_numpy(dtype=float),
        "burglaries": frame["crimes_burglary"].to_numpy(dtype=float),
        "a_final": (model.city.a0 + model.city.b).astype(np.float32),
        "b_early": b_early.astype(np.float32), "b_late": b_late.astype(np.float32),
        "n_sites": int(model.city.n_cells), "seconds": time.perf_counter() - t0,
    }


@dataclass(frozen=True)
class CityJob:
    """One run of the baseline city with its crime event log.

    Attributes:
        seed: The run's seed (it draws the city too, so seeds are different cities).
        days: Days to run.
        overrides: Dotted scenario overrides (the quick mode shrinks the city).
    """

    seed: int
    days: int
    overrides: dict[str, Any] = field(default_factory=dict)


def city_run(job: CityJob) -> dict[str, Any]:
    """Run the baseline city; return its events, its crime map and its geometry.

    Returns:
        ``events`` (the event log as an int64 array, columns of
        ``sim.config.EVENT_FIELDS``), ``offender_age`` (the age group of each crime's
        offender, -1 if not a resident), ``crime_count`` (crimes per cell by type),
        ``width``, ``height``, ``cell_m``, ``periodic``, ``ticks_per_day`` and the wall
        time.
    """
    from sim import CrimeModel, Scenario

    t0 = time.perf_counter()
    sc = Scenario.load(BASELINE_SCENARIO).with_overrides(
        {**job.overrides, "metrics.event_log": True})
    model = CrimeModel(scenario=sc, rng=job.seed, agent_views=False)
    model.run_for(job.days * model.ticks_per_day)
    city = model.city
    events = model.events.array.copy()
    resident = events[:, EV_RESIDENT]
    ages = model.residents.age
    offender_age = np.where(resident >= 0, ages[np.maximum(resident, 0)] if ages.size else -1,
                            -1)
    return {
        "seed": job.seed, "events": events, "offender_age": offender_age.astype(np.int64),
        "crime_count": city.crime_count.copy(), "width": int(city.width),
        "height": int(city.height), "cell_m": float(sc.params.city.cell_size_m),
        "periodic": bool(city.periodic), "ticks_per_day": int(model.ticks_per_day),
        "seconds": time.perf_counter() - t0,
    }
