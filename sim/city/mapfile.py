"""Map files: a real or hand-drawn city read from ``.npz`` layers or a ``.csv`` letter grid.

A map fixes the land use (and optionally districts, deprivation, lighting, disorder and
CCTV); any layer it leaves out is derived exactly as the generator would, so a bare
land-use sketch is enough to run. The grid size comes from the file. Every problem is one
:class:`~sim.scenario.ScenarioError` naming the file and what is wrong, so the CLI can
print it as a single line. docs/city.md shows both formats.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from sim.city.city import City
from sim.city.districts import district_names, voronoi_districts
from sim.city.layers import a0_of, derive_cctv, derive_disorder, derive_lighting
from sim.config import CODE, FLOAT, INT, LAND_USE_LETTERS, LAND_USES
from sim.scenario import Params, ScenarioError

#: Optional float layers of an ``.npz`` map, each in [0, 1].
FLOAT_LAYERS: tuple[str, ...] = ("deprivation", "lighting", "disorder", "cctv")
#: Georeference and census arrays of an imported map (``crimesim city import``).
GEO_ARRAYS: tuple[str, ...] = ("population", "street_length_m", "crs_wkt", "transform")
#: Optional layers of non-negative amounts per cell (people, metres of street).
AMOUNT_LAYERS: tuple[str, ...] = ("population", "street_length_m")
#: Every array name an ``.npz`` map may hold.
NPZ_ARRAYS: tuple[str, ...] = (
    "land_use", "district", *FLOAT_LAYERS, "district_names", *GEO_ARRAYS
)
_LETTERS = ", ".join(LAND_USE_LETTERS)


def _err(path: Path, message: str) -> ScenarioError:
    return ScenarioError(f"{path}: {message}")


# --- reading ----------------------------------------------------------------------------


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """Read every array of an ``.npz`` file, refusing pickled objects."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise _err(path, f"not a readable .npz file ({exc})") from None


def _read_csv(path: Path) -> np.ndarray:
    """Parse a rectangle of land-use letters into codes.

    Cells may be comma-separated or not; whitespace, blank lines and ``#`` comment lines
    are ignored and letters are case-insensitive. Errors give the 1-based file line and
    the 1-based cell position in the row.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _err(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise _err(path, f"cannot read ({exc.strerror})") from None
    rows: list[list[int]] = []
    first_line = 0
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split(",")] if "," in line else list(
            "".join(line.split())
        )
        codes = []
        for col, cell in enumerate(cells, start=1):
            letter = cell.upper()
            if len(letter) != 1 or letter not in LAND_USE_LETTERS:
                what = "empty cell" if not cell else f"unknown land-use letter {cell!r}"
                raise _err(
                    path, f"{what} at line {lineno}, column {col} (expected one of {_LETTERS})"
                )
            codes.append(LAND_USE_LETTERS.index(letter))
        if rows and len(codes) != len(rows[0]):
            raise _err(
                path,
                f"ragged rows: line {lineno} has {len(codes)} cells but line {first_line} "
                f"has {len(rows[0])}",
            )
        if not rows:
            first_line = lineno
        rows.append(codes)
    if not rows:
        raise _err(path, "no rows of land-use letters")
    return np.array(rows, CODE)


def _check_int_layer(path: Path, name: str, arr: np.ndarray) -> None:
    if arr.dtype.kind not in "iu":
        raise _err(path, f"array {name!r} must hold integers, got dtype {arr.dtype}")


def _check_shape(path: Path, name: str, arr: np.ndarray, shape: tuple[int, ...]) -> None:
    if arr.shape != shape:
        raise _err(
            path, f"array {name!r} has shape {arr.shape}, but land_use has shape {shape}"
        )


def _check_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Validate names, dtypes, shapes and ranges of an ``.npz`` map's arrays."""
    unknown = sorted(set(arrays) - set(NPZ_ARRAYS))
    if unknown:
        raise _err(
            path,
            f"unknown array {unknown[0]!r} (allowed: {', '.join(NPZ_ARRAYS)})",
        )
    if "land_use" not in arrays:
        raise _err(path, "missing required array 'land_use'")
    land = arrays["land_use"]
    _check_int_layer(path, "land_use", land)
    if land.ndim != 2:
        raise _err(path, f"array 'land_use' must be 2-D (rows = y), got {land.ndim}-D")
    if land.shape[0] < 2 or land.shape[1] < 2:
        raise _err(path, f"map is {land.shape[1]}x{land.shape[0]} cells; at least 2x2 needed")
    bad = (land < 0) | (land >= len(LAND_USES))
    if bad.any():
        y, x = np.argwhere(bad)[0]
        raise _err(
            path,
            f"array 'land_use' has value {land[y, x]} at row {y}, column {x}; "
            f"codes are 0..{len(LAND_USES) - 1} ({', '.join(LAND_USES)})",
        )
    if "district" in arrays:
        dist = arrays["district"]
        _check_int_layer(path, "district", dist)
        _check_shape(path, "district", dist, land.shape)
        if dist.min() < 0:
            raise _err(path, f"array 'district' has negative index {dist.min()}")
    for name in FLOAT_LAYERS:
        if name not in arrays:
            continue
        arr = arrays[name]
        if arr.dtype.kind not in "fiu":
            raise _err(path, f"array {name!r} must hold numbers in [0, 1], got dtype {arr.dtype}")
        _check_shape(path, name, arr, land.shape)
        ok = np.isfinite(arr) & (arr >= 0) & (arr <= 1)
        if not ok.all():
            y, x = np.argwhere(~ok)[0]
            raise _err(
                path, f"array {name!r} has value {arr[y, x]} at row {y}, column {x}; "
                "values must be in [0, 1]"
            )
    if "district_names" in arrays:
        names = arrays["district_names"]
        if names.dtype.kind not in "US" or names.ndim != 1:
            raise _err(path, "array 'district_names' must be a 1-D array of strings")
        if "district" not in arrays:
            raise _err(path, "array 'district_names' given without array 'district'")
        n = int(arrays["district"].max()) + 1
        if len(names) != n:
            raise _err(
                path,
                f"array 'district_names' has {len(names)} names but 'district' uses "
                f"indices 0..{n - 1} ({n} districts)",
            )
        text = [_to_str(s) for s in names]
        if any(not s.strip() for s in text) or len(set(text)) != len(text):
            raise _err(path, "array 'district_names' must hold unique, non-empty names")
    _check_geo(path, arrays, land.shape)


def _check_geo(path: Path, arrays: dict[str, np.ndarray], shape: tuple[int, ...]) -> None:
    """Validate the optional population and street layers and the georeference.

    The georeference is kept whole or not at all: a transform without its CRS (or the
    reverse) would place the grid nowhere in particular, so one needs the other.
    """
    for name in AMOUNT_LAYERS:
        if name not in arrays:
            continue
        arr = arrays[name]
        if arr.dtype.kind not in "fiu":
            raise _err(path, f"array {name!r} must hold numbers >= 0, got dtype {arr.dtype}")
        _check_shape(path, name, arr, shape)
        ok = np.isfinite(arr) & (arr >= 0)
        if not ok.all():
            y, x = np.argwhere(~ok)[0]
            raise _err(path, f"array {name!r} has value {arr[y, x]} at row {y}, column {x}; "
                       "values must be finite and >= 0")
    if ("crs_wkt" in arrays) != ("transform" in arrays):
        have, lack = ("crs_wkt", "transform") if "crs_wkt" in arrays else ("transform", "crs_wkt")
        raise _err(path, f"array {have!r} given without array {lack!r}")
    if "crs_wkt" in arrays:
        wkt = arrays["crs_wkt"]
        if wkt.dtype.kind != "U" or wkt.ndim != 0 or not str(wkt).strip():
            raise _err(path, "array 'crs_wkt' must be a 0-d unicode array holding a CRS as WKT")
        tr = arrays["transform"]
        if tr.dtype.kind != "f" or tr.shape != (6,) or not np.isfinite(tr).all():
            raise _err(path, "array 'transform' must be 6 finite floats (a, b, c, d, e, f)")
        if tr[0] * tr[4] - tr[1] * tr[3] == 0:
            raise _err(path, "array 'transform' is singular (a*e - b*d = 0)")


def _to_str(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_map_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` map, validated as :func:`load_map` validates them.

    For readers that need a map's arrays without building a City (the recorded-crime
    importer needs only the georeference and the districts), so that one set of rules
    decides what a valid map is.

    Raises:
        ScenarioError: The file is missing, unreadable or invalid; one line naming it.
    """
    path = Path(path)
    if not path.is_file():
        raise _err(path, "map file not found")
    arrays = _read_npz(path)
    _check_npz(path, arrays)
    return arrays


# --- public API -------------------------------------------------------------------------


def load_map(
    path: str | Path, city: Params, attractiveness: Params, rng: np.random.Generator
) -> City:
    """Build a City from a map file, deriving the layers it does not give.

    Args:
        path: A ``.npz`` file of layers or a ``.csv`` grid of land-use letters.
        city: The ``city`` parameters: cell size, periodicity, and how missing layers are
            derived (districts, deprivation mean, lighting, disorder, CCTV share). Width
            and height are ignored; they come from the file.
        attractiveness: The ``attractiveness`` parameters, for A0.
        rng: Source of the draws for derived layers.

    Returns:
        The City described by the file.

    Raises:
        ScenarioError: If the file is missing, unreadable or invalid; the message names
            the file and the problem.

    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".npz", ".csv"):
        raise _err(path, f"unsupported map file extension {ext or '(none)'!r}; use .npz or .csv")
    if not path.is_file():
        raise _err(path, "map file not found")
    if ext == ".npz":
        arrays = read_map_arrays(path)
    else:
        arrays = {"land_use": _read_csv(path)}
        if arrays["land_use"].shape[0] < 2 or arrays["land_use"].shape[1] < 2:
            h, w = arrays["land_use"].shape
            raise _err(path, f"map is {w}x{h} cells; at least 2x2 needed")

    land = arrays["land_use"].astype(CODE)
    height, width = land.shape
    periodic = bool(city.periodic)
    if "district" in arrays:
        district = arrays["district"].astype(INT)
        n = int(district.max()) + 1
        if "district_names" in arrays:
            names = [_to_str(s) for s in arrays["district_names"]]
        else:
            names = [f"District {i}" for i in range(n)]
    elif int(city.districts) <= 1:
        district = np.zeros(land.shape, INT)
        names = ["Map"]
    else:
        n = min(int(city.districts), land.size)
        district = voronoi_districts(width, height, n, periodic, rng)
        names = district_names(n, rng)

    if "deprivation" in arrays:
        deprivation = arrays["deprivation"].astype(FLOAT)
    else:
        deprivation = np.full(land.shape, float(city.deprivation_mean), FLOAT)

    def layer(name: str, derive: object) -> np.ndarray:
        if name in arrays:
            return arrays[name].astype(FLOAT)
        return derive()  # type: ignore[operator]

    lighting = layer("lighting", lambda: derive_lighting(land, deprivation, city, rng))
    cctv = layer("cctv", lambda: derive_cctv(land, city, rng))
    disorder = layer("disorder", lambda: derive_disorder(land, deprivation, city, rng))
    return City(
        width=width,
        height=height,
        cell_size_m=float(city.cell_size_m),
        periodic=periodic,
        land_use=land,
        district=district,
        district_names=names,
        deprivation=deprivation,
        lighting=lighting,
        disorder=disorder,
        cctv=cctv,
        a0=a0_of(land, deprivation, disorder, attractiveness),
        population=arrays["population"].astype(FLOAT) if "population" in arrays else None,
        street_length_m=(arrays["street_length_m"].astype(FLOAT)
                         if "street_length_m" in arrays else None),
        crs_wkt=str(arrays["crs_wkt"]) if "crs_wkt" in arrays else None,
        transform=tuple(float(v) for v in arrays["transform"]) if "transform" in arrays else None,
    )


def save_map(city: City, path: str | Path) -> None:
    """Write a city's static layers as a map file that :func:`load_map` reads back.

    ``.npz`` keeps every static layer, the district names and, when the city has them,
    the population and street-length layers and the georeference, so a loaded map is
    the same city; ``.csv`` keeps only the land use (one letter per cell), for hand editing.

    Raises:
        ScenarioError: If the extension is neither ``.npz`` nor ``.csv``.

    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".npz":
        extra: dict[str, np.ndarray] = {}
        if city.population is not None:
            extra["population"] = city.population
        if city.street_length_m is not None:
            extra["street_length_m"] = city.street_length_m
        if city.crs_wkt is not None and city.transform is not None:
            extra["crs_wkt"] = np.array(city.crs_wkt, dtype=str)
            extra["transform"] = np.array(city.transform, dtype=np.float64)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                land_use=city.land_use,
                district=city.district,
                deprivation=city.deprivation,
                lighting=city.lighting,
                disorder=city.disorder,
                cctv=city.cctv,
                district_names=np.array(city.district_names, dtype=str),
                **extra,
            )
    elif ext == ".csv":
        letters = np.array(list(LAND_USE_LETTERS))[city.land_use]
        path.write_text("\n".join(",".join(row) for row in letters) + "\n", encoding="utf-8")
    else:
        raise _err(path, f"unsupported map file extension {ext or '(none)'!r}; use .npz or .csv")
