"""One run of a sweep: the job sent to a worker and the rows it sends back.

A job carries everything its run depends on (the scenario with the point's values
applied, the seed, the length, what to keep), so a run's rows are the same in this
process, a local worker or a cluster node. The worker function is module-level and
imports nothing from the driver: Dask and process pools pickle it by reference.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sweep.metrics import (
    FINAL_ONLY,
    daily_rows,
    final_only_values,
    window_values,
)
from sim.scenario import Scenario


@dataclass(frozen=True)
class RunJob:
    """One simulation of a sweep.

    Attributes:
        run_id: Hash of the parameter values and seed.
        point_id: The first design point that asked for this run.
        point_key: Hash of the parameter values.
        values: Parameter values by dotted key.
        seed: The run's seed.
        scenario: Base scenario with ``values`` applied (validated by the driver).
        ticks: Ticks to run.
        warmup_ticks: Ticks ``final`` metrics ignore.
        record: ``tick``, ``day`` or ``final``.
        metrics: Metric columns to keep.
    """

    run_id: str
    point_id: int
    point_key: str
    values: dict[str, Any]
    seed: int
    scenario: Scenario
    ticks: int
    warmup_ticks: int
    record: str
    metrics: tuple[str, ...]


def execute_run(job: RunJob) -> pd.DataFrame:
    """Run one job; return its rows: ids, parameters, seed, time column, metrics.

    Set ``CRIMESIM_FAIL_RUN=<run_id>`` to make that run raise (the tests use it to
    check that a failing run is retried, recorded and does not stop the sweep).
    """
    if os.environ.get("CRIMESIM_FAIL_RUN") == job.run_id:
        raise RuntimeError(f"run {job.run_id} failed on purpose (CRIMESIM_FAIL_RUN)")
    from sim.crime.model import CrimeModel  # the worker imports the model once, on first use

    model = CrimeModel(scenario=job.scenario, rng=job.seed, agent_views=False)
    counts0 = model.residents.victim_counts.copy()
    crime0 = _crime_per_cell(model)
    if job.record == "final" and job.warmup_ticks:
        model.run_for(job.warmup_ticks)
        counts0 = model.residents.victim_counts.copy()
        crime0 = _crime_per_cell(model)
    model.run_for(job.ticks - model.tick)
    frame = model.results.to_frame()
    kept = [m for m in job.metrics if m not in FINAL_ONLY]
    if job.record == "tick":
        rows = frame[["tick", *kept]].copy()
    elif job.record == "day":
        rows = daily_rows(frame, kept)
    else:
        values = window_values(frame, kept, job.warmup_ticks)
        values.update(final_only_values(model, job.metrics, counts0, crime0))
        last_day = (job.ticks - 1) // model.ticks_per_day  # the day the run ended in
        rows = pd.DataFrame([{"day": last_day, **values}])
    return label_rows(job, rows)


def label_rows(job: RunJob, rows: pd.DataFrame) -> pd.DataFrame:
    """Put the run's ids, parameter values and seed in front of its metric rows."""
    time_col = "tick" if job.record == "tick" else "day"
    out = pd.DataFrame({"run_id": job.run_id, "point_id": np.int64(job.point_id),
                        "point_key": job.point_key}, index=rows.index)
    for key, value in job.values.items():
        out[key] = value
    out["seed"] = np.int64(job.seed)
    out[time_col] = rows[time_col].astype(np.int64)
    for m in job.metrics:
        out[m] = rows[m].astype(np.float64)
    return out.reset_index(drop=True)


def _crime_per_cell(model: Any) -> np.ndarray:
    counts = model.city.crime_count
    return counts.reshape(counts.shape[0], -1).sum(axis=0).astype(np.int64)


#: The warm-up's city: 20 x 20 cells and 3,000 residents. The default's 30,000
#: residents call no kernel that 3,000 do not, and took a fifth of the warm-up to build.
WARM_UP_CITY = {"city.width": 20, "city.height": 20, "residents.count": 3000}


def warm_up() -> float:
    """Load (or compile) every kernel in this process; return the seconds it took.

    Run once per worker before its first job, so no run pays for compilation and the
    on-disk cache is written once, by the driver, before workers start. The city is
    small (:data:`WARM_UP_CITY`) because only the kernels' first calls matter; it
    still calls every kernel a baseline run calls, with the same argument types
    (tests/sweep/test_warm_up.py), in two days, as daily kernels run once a day.
    """
    import time

    t0 = time.perf_counter()
    from sim.crime.model import CrimeModel

    tiny = Scenario.default().with_overrides(WARM_UP_CITY)
    model = CrimeModel(scenario=tiny, rng=0, agent_views=False)
    model.run_for(2 * model.ticks_per_day)
    return time.perf_counter() - t0
