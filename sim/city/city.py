"""The City: the grid's cell layers as 2-D numpy arrays, the single source of truth.

Every layer is an array of shape ``(height, width)`` indexed ``[y, x]``. Kernels see the
same memory through flat views (cell index ``y * width + x``), so a change made by a
kernel, an intervention or the dashboard is seen by all of them without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.config import CRIME_TYPES, FLOAT, LAND_USES, N_CRIME


@dataclass
class City:
    """Cell layers of one city.

    Attributes:
        width: Cells across (x).
        height: Cells down (y).
        cell_size_m: Side of a cell in metres (distances in reports).
        periodic: Whether the edges wrap (a torus, as in Short et al. 2008).
        land_use: Land-use code per cell (see ``sim.config.LAND_USES``).
        district: District index per cell.
        district_names: Name of each district.
        deprivation: Deprivation per cell in [0, 1] (0 affluent, 1 most deprived).
        lighting: Street-lighting level per cell in [0, 1].
        disorder: Physical disorder per cell in [0, 1] (litter, vacancy: broken windows).
        cctv: CCTV coverage per cell in [0, 1].
        a0: Static attractiveness A0 (Short et al.'s A0), from land use and conditions.
        b: Dynamic attractiveness B (the near-repeat field), changed by crime.
        guardianship: Standing guardianship per cell (private security, CCTV, cooperation),
            refreshed by the model; it lowers the offending hazard as exp(-guardianship).
        crime_count: Crimes per cell since the start, by type: shape ``(n_types, h, w)``.
        reported_heat: Reported crimes per cell, decaying; what hot-spot patrols target.
        population: Residents' home weight per cell (e.g. people per cell from a census),
            or None: then homes follow residential land use and deprivation alone.
        crs_wkt: The map's coordinate reference system as WKT, or None (no georeference).
        transform: The affine transform from (column, row) to map coordinates, six
            numbers in GDAL/rasterio order (a, b, c, d, e, f), or None.
        street_length_m: Metres of street per cell (an imported OpenStreetMap street
            network), or None. The model does not use it yet; maps keep it for analysts
            and for street-level results.
    """

    width: int
    height: int
    cell_size_m: float
    periodic: bool
    land_use: np.ndarray
    district: np.ndarray
    district_names: list[str]
    deprivation: np.ndarray
    lighting: np.ndarray
    disorder: np.ndarray
    cctv: np.ndarray
    a0: np.ndarray
    b: np.ndarray = field(default=None)  # type: ignore[assignment]
    guardianship: np.ndarray = field(default=None)  # type: ignore[assignment]
    crime_count: np.ndarray = field(default=None)  # type: ignore[assignment]
    reported_heat: np.ndarray = field(default=None)  # type: ignore[assignment]
    population: np.ndarray | None = None
    crs_wkt: str | None = None
    transform: tuple[float, ...] | None = None
    street_length_m: np.ndarray | None = None

    def __post_init__(self) -> None:
        shape = (self.height, self.width)
        for name in ("land_use", "district", "deprivation", "lighting", "disorder", "cctv", "a0"):
            arr = getattr(self, name)
            if arr.shape != shape:
                raise ValueError(f"layer {name} has shape {arr.shape}, expected {shape}")
        for name in ("population", "street_length_m"):
            arr = getattr(self, name)
            if arr is not None and arr.shape != shape:
                raise ValueError(f"layer {name} has shape {arr.shape}, expected {shape}")
        if self.b is None:
            self.b = np.zeros(shape, FLOAT)
        if self.guardianship is None:
            self.guardianship = np.zeros(shape, FLOAT)
        if self.crime_count is None:
            self.crime_count = np.zeros((N_CRIME, *shape), np.int64)
        if self.reported_heat is None:
            self.reported_heat = np.zeros(shape, FLOAT)

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.width * self.height

    @property
    def n_districts(self) -> int:
        """Number of districts."""
        return len(self.district_names)

    @property
    def attractiveness(self) -> np.ndarray:
        """Total attractiveness A = A0 + B (a new array)."""
        return self.a0 + self.b

    def flat(self, name: str) -> np.ndarray:
        """A flat (cell-indexed) view of a layer, sharing memory with it."""
        arr = getattr(self, name)
        return arr.reshape(-1)

    def district_deprivation(self) -> np.ndarray:
        """Mean deprivation of each district."""
        sums = np.bincount(self.district.ravel(), self.deprivation.ravel(), self.n_districts)
        counts = np.bincount(self.district.ravel(), minlength=self.n_districts)
        return sums / np.maximum(counts, 1)

    def districts_by_deprivation(self) -> np.ndarray:
        """District codes, most deprived first (ties: lower code first)."""
        return most_deprived_first(self.district_deprivation())

    def cells_of(self, land_use: int) -> np.ndarray:
        """Flat indices of the cells with a given land-use code."""
        return np.flatnonzero(self.land_use.ravel() == land_use)

    def layers(self) -> dict[str, np.ndarray]:
        """Every layer by name, as written to ``fields.npz`` (copies)."""
        out = {
            "land_use": self.land_use.copy(),
            "district": self.district.copy(),
            "deprivation": self.deprivation.copy(),
            "lighting": self.lighting.copy(),
            "disorder": self.disorder.copy(),
            "cctv": self.cctv.copy(),
            "guardianship": self.guardianship.copy(),
            "attractiveness_static": self.a0.copy(),
            "attractiveness_dynamic": self.b.copy(),
            "attractiveness": self.attractiveness,
            "reported_heat": self.reported_heat.copy(),
            "crime_total": self.crime_count.sum(axis=0),
        }
        for k, name in enumerate(CRIME_TYPES):
            out[f"crime_{name}"] = self.crime_count[k].copy()
        return out

    def land_use_names(self) -> list[str]:
        """Names of the land-use codes, in code order."""
        return list(LAND_USES)


def most_deprived_first(district_deprivation: np.ndarray) -> np.ndarray:
    """District codes ranked by mean deprivation, highest first, ties by lower code.

    One ranking for everything that picks "the k most deprived districts" (targets,
    community beats), so they always agree on which districts those are.
    """
    return np.argsort(-np.asarray(district_deprivation), kind="stable")


def static_attractiveness(
    land_use: np.ndarray,
    deprivation: np.ndarray,
    disorder: np.ndarray,
    base: dict[str, float] | np.ndarray,
    deprivation_gain: float,
    disorder_gain: float,
) -> np.ndarray:
    """A0 per cell: the land use's base value raised by deprivation and disorder.

    ``A0 = base[land_use] * (1 + deprivation_gain * deprivation) * (1 + disorder_gain *
    disorder)``. Poorer, more disordered places offer more unguarded targets (Sampson &
    Raudenbush 1999; Wilson & Kelling 1982). With a uniform land use and no deprivation
    or disorder this is a constant, Short et al.'s A0.
    """
    if isinstance(base, dict):
        base = np.array([base[name] for name in LAND_USES], FLOAT)
    return (
        base[land_use]
        * (1.0 + deprivation_gain * deprivation)
        * (1.0 + disorder_gain * disorder)
    ).astype(FLOAT)
