"""A tiny georeferenced city and its scenario for the calibrator's tests.

24 x 24 cells of 50 m in British National Grid; sixteen areas of 6 x 6 cells ("A" to
"P", row by row) whose deprivation runs from 0.05 to 0.95 in a scrambled order; a
small commercial centre with nightlife; 1,500 residents and 120 offenders. Enough
crime in a few simulated months to fit robbery and assault rates, small enough that a
month runs in a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import CRS

WIDTH = HEIGHT = 24
AREAS = tuple("ABCDEFGHIJKLMNOP")
#: Deprivation of each area: 0.05 + 0.06 i for i = 0..15, scrambled over the grid.
DEPRIVATION = 0.05 + 0.06 * np.array([9, 2, 14, 5, 0, 11, 7, 12, 4, 15, 1, 8, 13, 6, 10, 3])

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
    rows, cols = np.indices((HEIGHT, WIDTH))
    district = ((rows // 6) * 4 + cols // 6).astype(np.int32)
    land = np.zeros((HEIGHT, WIDTH), np.int8)
    land[10:14, 10:14] = 1
    land[11:13, 11:13] = 2
    land[0:3, 20:24] = 4
    np.savez(folder / "city.npz", land_use=land, district=district,
             district_names=np.array(AREAS),
             deprivation=DEPRIVATION[district],
             crs_wkt=np.array(CRS.from_epsg(27700).to_wkt()),
             transform=np.array([50.0, 0.0, 530000.0, 0.0, -50.0, 181000.0]))
    path = folder / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path
