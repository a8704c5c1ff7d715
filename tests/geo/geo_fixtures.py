"""Synthetic areas for the ``crimesim city import`` tests, built with shapely/geopandas.

Two 1 km x 1 km squares side by side in UTM zone 30N (EPSG:32630): "A" west, "B" east.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
from cli_support import crimesim
from shapely.geometry import box

WEST, SOUTH = 500_000.0, 5_700_000.0
UTM30N = "EPSG:32630"


def two_squares(crs: str | None = UTM30N) -> gpd.GeoDataFrame:
    """Squares A (west) and B (east), 1 km each; IMD 10 and 30; 3000 and 1000 people."""
    gdf = gpd.GeoDataFrame(
        {"code": ["A", "B"], "imd": [10.0, 30.0], "income": [900.0, 100.0],
         "pop": [3000, 1000]},
        geometry=[box(WEST, SOUTH, WEST + 1000, SOUTH + 1000),
                  box(WEST + 1000, SOUTH, WEST + 2000, SOUTH + 1000)],
        crs=UTM30N,
    )
    if crs is None:
        return gdf.set_crs(None, allow_override=True)
    return gdf.to_crs(crs)


def write(gdf: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    """Write with geopandas; a file without a CRS is the point of some tests, so quietly."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        gdf.to_file(path, **kwargs)
    return path


def run_import(capsys, areas: Path, out: Path, *flags: str) -> tuple[int, str, str]:
    return crimesim(capsys, "city", "import", areas, "--id-column", "code",
                    "--cell-size-m", "100", *flags, "--out", out)


def load(out: Path) -> dict[str, np.ndarray]:
    with np.load(out / "city.npz", allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
