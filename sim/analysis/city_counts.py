"""Counts the calibrator compares: observed crime by area, type and month, and a run's.

Observed crime comes from ``crimesim crimes import`` (:mod:`sim.geo.observed`). The
months it spans, first to last, are split into training months (the fit) and the last
``holdout`` months (scored out of sample). A run replays the whole period: after a
burn-in it simulates each observed month for as many days as that month has, so
month ``m`` of the run is compared with month ``m`` of the data, and the held-out
months are the run's last months, never seen by the fit.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.analysis.compare import RunJob
from sim.config import CRIME_TYPES, N_CRIME
from sim.errors import UsageError
from sim.scenario import Scenario


def month_days(months: list[str]) -> list[int]:
    """Calendar days in each ``YYYY-MM`` month."""
    return [calendar.monthrange(int(m[:4]), int(m[5:7]))[1] for m in months]


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

    @property
    def months(self) -> list[str]:
        """Every month, training then held out."""
        return self.train_months + self.holdout_months

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
    """One run's reported crimes by month, district and type, and by cell.

    Attributes:
        by_month: Reported crimes, shape (months, N_CRIME, districts).
        by_cell: Reported crimes of the fitted types, summed over every month, per cell.
    """

    by_month: np.ndarray
    by_cell: np.ndarray


@dataclass(frozen=True)
class CountJob:
    """One simulation of one trial (picklable, for the process and Dask executors).

    Attributes:
        run: The scenario, seed and ticks (burn-in plus every month).
        n_districts: Districts of the city.
        types: Indices of the fitted crime types.
        month_ends: Tick at which each month ends (the first starts at ``run.start_tick``,
            the end of the burn-in).
    """

    run: RunJob
    n_districts: int
    types: tuple[int, ...]
    month_ends: tuple[int, ...]


def count_job(job: CountJob) -> SimCounts:
    """Run one simulation and count its reported crimes by month, district, type and cell.

    Module-level, so a process pool can pickle it.
    """
    from sim.config import EV_CELL, EV_REPORTED, EV_TICK, EV_TYPE
    from sim.crime.model import CrimeModel

    scenario = job.run.scenario().with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=scenario, rng=job.run.seed, agent_views=False)
    model.run_for(job.run.ticks)
    ev = model.events.array
    ev = ev[(ev[:, EV_TICK] >= job.run.start_tick) & np.asarray(ev[:, EV_REPORTED]).astype(bool)]
    month = np.searchsorted(np.asarray(job.month_ends), ev[:, EV_TICK], side="right")
    kind = ev[:, EV_TYPE].astype(np.int64)
    cell = ev[:, EV_CELL].astype(np.int64)
    district = model.city.district.ravel().astype(np.int64)[cell]
    n_months, n = len(job.month_ends), job.n_districts
    flat = (month * N_CRIME + kind) * n + district
    by_month = np.bincount(flat, minlength=n_months * N_CRIME * n).reshape(n_months, N_CRIME, n)
    fitted = np.isin(kind, job.types)
    by_cell = np.bincount(cell[fitted], minlength=model.city.n_cells).astype(np.float32)
    return SimCounts(by_month, by_cell)


def count_jobs(scenario: Scenario, seeds: list[int], observed: ObservedCounts,
               burn_in_days: int) -> list[CountJob]:
    """The simulations of one trial: ``scenario`` once per seed, replaying every month."""
    per_day = scenario.params.time.ticks_per_day
    start = burn_in_days * per_day
    ends = tuple(int(start + per_day * d) for d in np.cumsum(month_days(observed.months)))
    types = tuple(type_indices(observed.types))
    return [CountJob(RunJob.of(scenario, s, ends[-1], start), len(observed.areas), types, ends)
            for s in seeds]


def expected_counts(runs: list[SimCounts], observed: ObservedCounts, held_out: bool
                    ) -> np.ndarray:
    """Mean reported crimes over the runs by area and fitted type, in the training months.

    With ``held_out``, in the held-out months instead.

    Returns:
        Shape (areas, fitted types).
    """
    k = len(observed.train_months)
    months = slice(k, None) if held_out else slice(0, k)
    idx = type_indices(observed.types)
    return np.mean([r.by_month[months][:, idx].sum(axis=0).T for r in runs], axis=0)


def type_totals(runs: list[SimCounts], observed: ObservedCounts) -> np.ndarray:
    """Each run's reported crimes per fitted type over the training months, (runs, types)."""
    k = len(observed.train_months)
    idx = type_indices(observed.types)
    return np.array([r.by_month[:k][:, idx].sum(axis=(0, 2)) for r in runs], np.float64)


def cells_per_month(runs: list[SimCounts], observed: ObservedCounts) -> np.ndarray:
    """Mean reported crimes of the fitted types per cell per month over the runs."""
    total = np.mean([r.by_cell.astype(np.float64) for r in runs], axis=0)
    return total / len(observed.months)


def type_indices(types: list[str]) -> list[int]:
    """Positions of crime type names in ``CRIME_TYPES``."""
    return [CRIME_TYPES.index(t) for t in types]
