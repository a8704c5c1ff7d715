"""A run's recorded crime written as if it were a city's: the importer's Parquet.

The calibrator is checked by fitting data whose parameters are known: the model's own
crimes. This module runs a scenario on an imported (georeferenced) city and writes its
reported crimes with :func:`sim.geo.crimes.write_placed`, the writer of ``crimesim
crimes import``, so the file has exactly the importer's schema and metadata. After
``burn_in_days`` the run replays ``months`` calendar months from ``first_month``, day
for day, as the calibrator's runs do; each crime sits at its cell's centre.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from sim.analysis.city_counts import month_days, month_range
from sim.config import CRIME_TYPES, EV_CELL, EV_REPORTED, EV_TICK, EV_TYPE
from sim.scenario import Scenario


def _add_months(first: str, n: int) -> str:
    y, m = int(first[:4]), int(first[5:7]) - 1 + n
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def write_simulated_crimes(scenario: Scenario, seed: int, months: int, out: str | Path,
                           first_month: str = "2024-01", burn_in_days: int = 0) -> int:
    """Run ``scenario`` and write its reported crimes, month by month, as observed crime.

    Args:
        scenario: A map scenario whose ``city.npz`` has a georeference.
        seed: The run's seed.
        months: Calendar months to replay after the burn-in.
        out: The Parquet file (``.summary.json`` is written next to it).
        first_month: The first month, ``YYYY-MM``.
        burn_in_days: Days run before the first month (their crimes are not written).

    Returns:
        The number of crimes written.
    """
    from sim.crime.model import CrimeModel
    from sim.geo.city_grid import load_city_grid
    from sim.geo.crimes import SCHEMA, PlacedCrimes, write_placed

    grid = load_city_grid(scenario.params.city.map_file)
    model = CrimeModel(scenario=scenario.with_overrides({"metrics.event_log": True}),
                       rng=seed, agent_views=False)
    names = month_range(first_month, _add_months(first_month, months - 1))
    per_day = scenario.params.time.ticks_per_day
    start = burn_in_days * per_day
    ends = start + per_day * np.cumsum(month_days(names))
    model.run_for(int(ends[-1]))
    ev = model.events.array
    ev = ev[np.asarray(ev[:, EV_REPORTED]).astype(bool) & (ev[:, EV_TICK] >= start)]
    month = np.array(names)[np.searchsorted(ends, ev[:, EV_TICK], side="right")]
    cell = ev[:, EV_CELL].astype(np.int64)
    row, col = cell // grid.width, cell % grid.width
    a, b, c, d, e, f = grid.transform
    x = a * (col + 0.5) + b * (row + 0.5) + c
    y = d * (col + 0.5) + e * (row + 0.5) + f
    district = grid.district[row, col].astype(np.int32)
    types = np.array(CRIME_TYPES)[ev[:, EV_TYPE].astype(np.int64)]
    n = len(ev)
    table = pa.Table.from_pydict({
        "crime_type": types.tolist(), "source_type": types.tolist(),
        "month": month.tolist(), "cell": cell, "row": row.astype(np.int32),
        "col": col.astype(np.int32), "district": district,
        "area": [grid.district_names[i] for i in district],
        "x": x.astype(np.float64), "y": y.astype(np.float64),
        "source_file": [f"simulated seed {seed}"] * n, "record": np.arange(1, n + 1),
    }, schema=SCHEMA)
    write_placed(PlacedCrimes(table=table, rows_read=n), grid, Path(out),
                 {"files": [], "format": "simulated", "seed": seed,
                  "burn_in_days": burn_in_days})
    return n
