"""A synthetic imported city for the importer's tests, in the format of `crimesim city import`.

20 x 10 cells of 100 m in British National Grid (EPSG:27700), upper-left corner at
easting 530000, northing 181000 (central London), so the grid covers eastings
530000-532000 and northings 180000-181000. Columns 0-9 are district 0 "E01000001",
columns 10-19 district 1 "E01000002". Only the arrays the importer reads, plus a
land use, are written; the values are made up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import CRS

WIDTH, HEIGHT, CELL = 20, 10, 100.0
LEFT, TOP = 530000.0, 181000.0
TRANSFORM = (CELL, 0.0, LEFT, 0.0, -CELL, TOP)
NAMES = ("E01000001", "E01000002")


def write_city(folder: Path, *, georeference: bool = True) -> Path:
    """Write ``folder/city.npz``; without ``georeference`` it lacks crs_wkt and transform."""
    folder.mkdir(parents=True, exist_ok=True)
    district = np.zeros((HEIGHT, WIDTH), np.int32)
    district[:, 10:] = 1
    arrays = {
        "land_use": np.zeros((HEIGHT, WIDTH), np.int8),
        "district": district,
        "district_names": np.array(NAMES, dtype=str),
    }
    if georeference:
        arrays["crs_wkt"] = np.array(CRS.from_epsg(27700).to_wkt())
        arrays["transform"] = np.array(TRANSFORM, np.float64)
    np.savez_compressed(folder / "city.npz", **arrays)
    return folder
