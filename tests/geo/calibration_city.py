"""A tiny georeferenced city and its scenario for the calibrator's tests.

24 x 24 cells of 50 m in British National Grid, four areas (quadrants "A" to "D") of
rising deprivation, a small commercial centre with nightlife, 1,500 residents and 120
offenders: enough crime in a few simulated months to fit robbery and assault rates,
small enough that a run of 60 days takes a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import CRS

WIDTH = HEIGHT = 24
AREAS = ("A", "B", "C", "D")

SCENARIO = """name = "tiny"
[time]
days = 60
[city]
layout = "map"
map_file = "city.npz"
cell_size_m = 50.0
[crime.robbery]
rate = 0.002
[crime.assault]
rate = 0.002
[residents]
count = 1500
[offenders]
count = 120
gangs = 1
[police]
count = 3
[services]
count = 1
[security]
guards = 2
[agents]
views = false
"""


def write_calibration_city(folder: Path) -> Path:
    """Write ``folder/city.npz`` and ``folder/scenario.toml``; return the scenario path."""
    folder.mkdir(parents=True, exist_ok=True)
    district = np.zeros((HEIGHT, WIDTH), np.int32)
    district[:, WIDTH // 2:] += 1
    district[HEIGHT // 2:, :] += 2
    land = np.zeros((HEIGHT, WIDTH), np.int8)
    land[10:14, 10:14] = 1
    land[11:13, 11:13] = 2
    land[0:3, 20:24] = 4
    np.savez(folder / "city.npz", land_use=land, district=district,
             district_names=np.array(AREAS),
             deprivation=np.array([0.1, 0.4, 0.6, 0.9])[district],
             crs_wkt=np.array(CRS.from_epsg(27700).to_wkt()),
             transform=np.array([50.0, 0.0, 530000.0, 0.0, -50.0, 181000.0]))
    path = folder / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path
