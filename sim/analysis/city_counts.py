"""Counts the calibrator compares: observed crime by area, type and month, and a run's.

Observed crime comes from ``crimesim crimes import`` (:mod:`sim.geo.observed`). The
months it spans, first to last, are split into training months (the fit) and the last
``holdout`` months (scored out of sample). The model has no calendar, so a run of
``days`` days gives an expected count per area and type per month (its recorded, that
is reported, crimes times ``MONTH_DAYS / days``), which is scaled to as many months as
the observed period it is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.analysis.compare import RunJob
from sim.config import CRIME_TYPES, N_CRIME
from sim.errors import UsageError
from sim.scenario import Scenario

#: Mean days in a month (365.25 / 12).
MONTH_DAYS = 365.25 / 12


@dataclass(frozen=True)
class ObservedCounts:
    """Observed crime, split into training and held-out months.

    Attributes:
        areas: Area names, in district order.
        types: Crime types with any observed crime, in ``CRIME_TYPES`` order.
        train: Counts in the training months, shape (areas, types).
        holdout: Counts in the held-out months, same shape (zeros if none held out).
        train_months: The training months, ``YYYY-MM``.
        holdout_months: The held-out months.
        cells_train: Observed crimes per cell (flat, row-major) in the training months.
        cells_holdout: The same for the held-out months.
        width: The city's width in cells (cells are row-major).
        height: Its height.
    """

    areas: list[str]
    types: list[str]
    train: np.ndarray
    holdout: np.ndarray
    train_months: list[str]
    holdout_months: list[str]
    cells_train: np.ndarray
    cells_holdout: np.ndarray
    width: int
    height: int


@dataclass(frozen=True)
class CityShape:
    """What the calibrator needs of the model's city: its size, areas and districts."""

    width: int
    height: int
    district: np.ndarray
    areas: list[str]


def city_shape(scenario: Scenario) -> CityShape:
    """The scenario's map city, built once here to check the observed data against.

    Raises:
        UsageError: The scenario is not a map city (a generated city has no real areas).
    """
    p = scenario.params.city
    if p.layout != "map":
        raise UsageError(f"{scenario.source or scenario.name}: city.layout is {p.layout!r}; "
                         "calibrate needs your city's map (crimesim city import)")
    from sim.city import build_city

    city = build_city(scenario.params, np.random.default_rng(0))
    return CityShape(city.width, city.height, city.district.ravel().astype(np.int64),
                     list(city.district_names))


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def load_observed(path: str | Path, shape: CityShape, holdout: int | None
                  ) -> ObservedCounts:
    """Read the importer's Parquet, check it is this city's, and split off held-out months.

    Args:
        path: The Parquet of ``crimesim crimes import``.
        shape: The model's city.
        holdout: Months held out (the last ones); None: a quarter of them, at least one.

    Raises:
        UsageError: Another city's crimes, a file that is not the importer's, or too
            few months to hold ``holdout`` out and still fit.
    """
    from sim.geo.observed import check_same_city, counts_by_area, read_observed

    crimes, grid = read_observed(path)
    check_same_city(grid, shape.width, shape.height, shape.areas, path)
    if crimes.empty:
        raise UsageError(f"{path}: holds no crime to fit")
    months = month_range(crimes["month"].min(), crimes["month"].max())
    k = max(1, len(months) // 4) if holdout is None else holdout
    if holdout is None and len(months) < 2:
        k = 0
    if k >= len(months):
        raise UsageError(f"--holdout-months {k}: the data span {len(months)} month(s); "
                         "at least one must be left to fit")
    train_months, holdout_months = months[:len(months) - k], months[len(months) - k:]
    in_train = crimes["month"].isin(train_months)
    types = [t for t in CRIME_TYPES if (crimes.loc[in_train, "crime_type"] == t).any()]
    if not types:
        raise UsageError(f"{path}: no crime in the training months {train_months[0]} to "
                         f"{train_months[-1]}")
    train = counts_by_area(crimes[in_train], shape.areas)[types].to_numpy(np.float64)
    held = counts_by_area(crimes[~in_train], shape.areas)[types].to_numpy(np.float64)
    fitted = crimes["crime_type"].isin(types)
    n_cells = shape.width * shape.height
    cells_train = np.bincount(crimes.loc[in_train & fitted, "cell"], minlength=n_cells)
    cells_holdout = np.bincount(crimes.loc[~in_train & fitted, "cell"], minlength=n_cells)
    return ObservedCounts(shape.areas, types, train, held, train_months, holdout_months,
                          cells_train.astype(np.float64), cells_holdout.astype(np.float64),
                          shape.width, shape.height)


@dataclass(frozen=True)
class SimCounts:
    """One run's reported crimes by district and type, and by cell.

    Attributes:
        by_area: Reported crimes, shape (N_CRIME, districts).
        by_cell: Reported crimes of each type, summed, per cell (flat).
        days: Days simulated.
    """

    by_area: np.ndarray
    by_cell: np.ndarray
    days: float


@dataclass(frozen=True)
class CountJob:
    """One simulation of one trial (picklable, for the process and Dask executors)."""

    run: RunJob
    n_districts: int
    types: tuple[int, ...]


def count_job(job: CountJob) -> SimCounts:
    """Run one simulation and count its reported crimes by district, type and cell.

    Module-level, so a process pool can pickle it.
    """
    from sim.analysis.outcome import measure_run
    from sim.crime.model import CrimeModel

    scenario = job.run.scenario().with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=scenario, rng=job.run.seed, agent_views=False)
    outcome = measure_run(model, job.run.ticks, 0)
    district = model.city.district.ravel().astype(np.int64)
    by_area = np.stack([np.bincount(district, outcome.reported_map[t], job.n_districts)
                        for t in range(N_CRIME)])
    by_cell = outcome.reported_map[list(job.types)].sum(axis=0).astype(np.float32)
    days = job.run.ticks / scenario.params.time.ticks_per_day
    return SimCounts(by_area, by_cell, days)


def expected_per_month(runs: list[SimCounts], type_index: list[int]) -> np.ndarray:
    """Mean reported crimes per month by area and fitted type over the runs.

    Returns:
        Shape (areas, fitted types).
    """
    total = sum(r.by_area[type_index].T for r in runs)
    days = sum(r.days for r in runs)
    return np.asarray(total, np.float64) * MONTH_DAYS / days


def cells_per_month(runs: list[SimCounts]) -> np.ndarray:
    """Mean reported crimes of the fitted types per cell per month over the runs."""
    total = sum(r.by_cell.astype(np.float64) for r in runs)
    return np.asarray(total) * MONTH_DAYS / sum(r.days for r in runs)


def type_indices(types: list[str]) -> list[int]:
    """Positions of crime type names in ``CRIME_TYPES``."""
    return [CRIME_TYPES.index(t) for t in types]
