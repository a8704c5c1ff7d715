"""Results by area on an imported city: ``crimesim run`` and ``crimesim compare`` outputs.

The city is made by ``crimesim city import`` from three synthetic areas in UTM 30N at
100 m cells: A (1 x 1 km, south-west), B (1 x 1 km, south-east) and C (1.5 x 0.5 km,
north-west), a 20 x 15 grid whose north-east corner lies outside every area. Every
expected value is recounted here from the run's own files (events.parquet, the
city's district layer, summary.json) or from the geometry built here.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cli_support import crimesim
from repo_paths import ROOT
from scipy import stats

from sim.config import CRIME_TYPES, GROUPS

WEST, SOUTH = 500_000.0, 5_700_000.0
BOXES = {"A": (WEST, SOUTH, WEST + 1000, SOUTH + 1000),
         "B": (WEST + 1000, SOUTH, WEST + 2000, SOUTH + 1000),
         "C": (WEST, SOUTH + 1000, WEST + 1500, SOUTH + 1500)}
POPULATION = {"A": 600, "B": 300, "C": 100}
#: Enough offenders on 1,000 residents for a few dozen crimes in a few days.
BUSY = ("--set", "offenders.count=100")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    import geopandas as gpd
    from shapely.geometry import box

    folder = tmp_path_factory.mktemp("areas")
    gdf = gpd.GeoDataFrame({"code": list(BOXES), "pop": list(POPULATION.values())},
                           geometry=[box(*b) for b in BOXES.values()], crs="EPSG:32630")
    gdf.to_file(folder / "areas.gpkg")
    code = _main("city", "import", folder / "areas.gpkg", "--id-column", "code",
                 "--population-column", "pop", "--cell-size-m", "100",
                 "--out", folder / "city")
    assert code == 0
    return folder / "city"


def _main(*args) -> int:
    from sim.cli.main import main

    return main([str(a) for a in args])


@pytest.fixture(scope="module")
def run(city, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    code = _main("run", city / "scenario.toml", "--days", "4", "--seed", "3", *BUSY,
                 "--out", out, "--quiet")
    assert code == 0
    return out


@pytest.fixture(scope="module")
def grid(city):
    with np.load(city / "city.npz") as z:
        return {k: z[k] for k in ("district", "district_names", "crs_wkt", "transform")}


def _recount(run, grid) -> pd.DataFrame:
    """Crimes by area and type from events.parquet and the city's district layer."""
    events = pd.read_parquet(run / "events.parquet")
    area = grid["district"].ravel()[events["cell"].to_numpy()]
    names = grid["district_names"][area]
    table = pd.crosstab(names, events["crime_type"].astype(str))
    return table.reindex(index=list(BOXES), columns=list(CRIME_TYPES), fill_value=0)


def test_areas_csv_adds_up_to_the_run(run, city):
    areas = pd.read_csv(run / "areas.csv")
    summary = json.loads((run / "summary.json").read_text())
    totals = summary["totals"]
    assert areas["area"].tolist() == list(BOXES)
    assert totals["crimes_total"] >= 10  # enough crime for the test to mean something
    for t in (*CRIME_TYPES, "total"):
        assert areas[f"crimes_{t}"].sum() == totals[f"crimes_{t}"], t
    for g in GROUPS:
        assert areas[f"victimisations_{g}"].sum() == totals[f"victimisations_{g}"], g
    assert areas["residents"].sum() == summary["prevalence"]["everyone"]["n"] == 1000
    from sim import Scenario
    from sim.crime.model import CrimeModel

    scenario = Scenario.load(city / "scenario.toml").with_overrides({"offenders.count": 100})
    model = CrimeModel(scenario=scenario, rng=3, agent_views=False)
    assert areas["households"].sum() == model.residents.hh_first.size


def test_residents_live_where_the_population_layer_puts_them(run):
    # Homes are drawn in proportion to the population layer (600 : 300 : 100). Whole
    # households move together (about 2.3 people each), so the binomial sd of an
    # area's residents is about sqrt(households * p * (1 - p)) * 2.3 people; 5 sd.
    areas = pd.read_csv(run / "areas.csv").set_index("area")
    households = areas["households"].sum()
    for name, people in POPULATION.items():
        p = people / 1000
        sd = math.sqrt(households * p * (1 - p)) * 2.3
        assert abs(areas.loc[name, "residents"] - people) <= 5 * sd, name


def test_crimes_by_area_match_a_recount_of_the_events(run, grid):
    areas = pd.read_csv(run / "areas.csv").set_index("area")
    want = _recount(run, grid)
    for t in CRIME_TYPES:
        assert areas[f"crimes_{t}"].tolist() == want[t].tolist(), t
    assert areas["crimes_total"].tolist() == want.sum(axis=1).tolist()


def test_areas_gpkg_has_the_imported_outlines_and_the_counts(run, grid):
    import geopandas as gpd
    from pyproj import CRS
    from shapely.geometry import box

    gdf = gpd.read_file(run / "areas.gpkg", layer="areas")
    assert gdf["area"].tolist() == list(BOXES)
    assert CRS.from_user_input(gdf.crs) == CRS.from_wkt(str(grid["crs_wkt"]))
    for name, geom in zip(gdf["area"], gdf.geometry, strict=True):
        assert geom.symmetric_difference(box(*BOXES[name])).area < 1e-6, name
    csv = pd.read_csv(run / "areas.csv")
    pd.testing.assert_frame_equal(pd.DataFrame(gdf.drop(columns="geometry")), csv,
                                  check_dtype=False)


def test_outlines_traced_from_the_cells_without_areas_gpkg(grid):
    from shapely.geometry import box
    from shapely.ops import unary_union

    from sim.geo.area_files import area_polygons

    gdf = area_polygons(grid["district"], list(grid["district_names"]), str(grid["crs_wkt"]),
                        tuple(grid["transform"]), areas_file=None)
    assert gdf["area"].tolist() == list(BOXES)
    # A touches none of the cells outside every area, so its cells are exactly its box.
    a = gdf.geometry[0]
    assert a.symmetric_difference(box(*BOXES["A"])).area < 1e-6
    # Every cell belongs to one area: the outlines tile the whole 2 x 1.5 km grid.
    whole = unary_union(list(gdf.geometry))
    assert whole.symmetric_difference(box(WEST, SOUTH, WEST + 2000, SOUTH + 1500)).area < 1e-6
    assert sum(g.area for g in gdf.geometry) == pytest.approx(2000 * 1500)


def test_crime_tif_is_the_crime_per_cell_on_the_city_grid(run, grid):
    import rasterio
    from pyproj import CRS

    events = pd.read_parquet(run / "events.parquet")
    height, width = grid["district"].shape
    with rasterio.open(run / "crime.tif") as src:
        assert CRS.from_wkt(src.crs.to_wkt()) == CRS.from_wkt(str(grid["crs_wkt"]))
        assert tuple(src.transform)[:6] == pytest.approx(tuple(grid["transform"]))
        assert (src.width, src.height) == (width, height)
        assert list(src.descriptions) == [*CRIME_TYPES, "total"]
        bands = src.read()
    totals = json.loads((run / "summary.json").read_text())["totals"]
    for k, t in enumerate(CRIME_TYPES):
        cells = events.loc[events["crime_type"] == t, "cell"].to_numpy()
        want = np.bincount(cells, minlength=width * height).reshape(height, width)
        np.testing.assert_array_equal(bands[k], want, err_msg=t)
        assert bands[k].sum() == totals[f"crimes_{t}"]
    np.testing.assert_array_equal(bands[-1], bands[:-1].sum(axis=0))


def test_the_reference_engine_writes_the_same_area_files(city, tmp_path):
    # The plain-Mesa engine keeps residents as agents; its areas must add up the same way.
    code = _main("run", city / "scenario.toml", "--engine", "reference", "--days", "1",
                 "--seed", "3", *BUSY, "--out", tmp_path, "--quiet")
    assert code == 0
    areas = pd.read_csv(tmp_path / "areas.csv")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert areas["area"].tolist() == list(BOXES)
    assert areas["residents"].sum() == 1000
    assert summary["totals"]["crimes_total"] > 0
    for key in ("crimes_total", "victimisations_everyone", "victimisations_youth"):
        assert areas[key].sum() == summary["totals"][key], key
    assert {"areas.gpkg", "crime.tif"} <= {p.name for p in tmp_path.iterdir()}


def test_a_city_without_georeference_gets_no_area_files(capsys, tmp_path, small_args):
    code, _, err = crimesim(capsys, "run", ROOT / "scenarios" / "baseline.toml", "--days",
                            "0.5", "--out", tmp_path, "--quiet", *small_args)
    assert code == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    assert "summary.json" in names
    assert not names & {"areas.csv", "areas.gpkg", "crime.tif"}


def test_writing_runs_and_comparisons_does_not_import_geopandas():
    code = ("import sys, sim.cli.main, sim.crime.output, sim.analysis.comparison_files, "
            "sim.analysis.area_changes\n"
            "print(sorted(m for m in ('geopandas', 'rasterio') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


# --- compare ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comparison(city, tmp_path_factory):
    from sim import Scenario
    from sim.analysis.compare import run_comparison
    from sim.analysis.comparison_files import write_comparison_files
    from sim.analysis.effects import effect_rows

    base = Scenario.load(city / "scenario.toml").with_overrides({"offenders.count": 100})
    alt = base.with_overrides({
        "name": "lights", "interventions.street_lighting.start_tick": 24,
        "interventions.street_lighting.lighting": 0.95,
        "interventions.street_lighting.target.top_k": 30})
    cmp = run_comparison(base, [alt], reps=3, ticks=24 * 3, seed=5)
    rows = effect_rows(cmp)
    out = tmp_path_factory.mktemp("compare")
    write_comparison_files(cmp, rows, out, runtime_s=0.0, workers=1)
    return cmp, out


def test_compare_areas_csv_has_a_row_per_area_and_adds_up(comparison):
    cmp, out = comparison
    areas = pd.read_csv(out / "areas.csv")
    assert areas["area"].tolist() == list(BOXES)
    assert set(areas["scenario"]) == {"lights"}
    for suffix in ("baseline", "value", "diff", "diff_low", "diff_high", "change_pct",
                   "ci_low", "ci_high"):
        for m in ("crimes_total", *(f"crimes_{t}" for t in CRIME_TYPES),
                  *(f"victimisations_{g}" for g in GROUPS)):
            assert f"{m}_{suffix}" in areas.columns
    headline = pd.read_csv(out / "comparison.csv")
    total = headline[(headline.metric == "crimes") & (headline.crime_type == "total")
                     & (headline.area == "city")].iloc[0]
    assert areas["crimes_total_baseline"].sum() == pytest.approx(total["baseline"])
    assert areas["crimes_total_value"].sum() == pytest.approx(total["value"])
    assert total["baseline"] > 0


def test_compare_area_intervals_are_paired_t_intervals(comparison):
    # The twin: per-replication crimes in area A recounted from the outcomes' crime maps
    # and the district layer, then scipy's t quantile.
    cmp, out = comparison
    areas = pd.read_csv(out / "areas.csv").set_index("area")
    district = cmp.outcomes[cmp.base][0].geography.district.ravel()

    def in_a(outcome):
        return float(outcome.crime_map.sum(axis=0)[district == 0].sum())

    b = np.array([in_a(o) for o in cmp.outcomes[cmp.base]])
    a = np.array([in_a(o) for o in cmp.outcomes["lights"]])
    d = a - b
    half = stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size)
    row = areas.loc["A"]
    assert row["crimes_total_baseline"] == pytest.approx(b.mean())
    assert row["crimes_total_diff"] == pytest.approx(d.mean())
    assert row["crimes_total_diff_low"] == pytest.approx(d.mean() - half)
    assert row["crimes_total_diff_high"] == pytest.approx(d.mean() + half)
    if b.mean() > 0:
        assert row["crimes_total_change_pct"] == pytest.approx(100 * d.mean() / b.mean())


def test_compare_areas_gpkg_and_map(comparison, grid):
    import geopandas as gpd
    import pyogrio
    from matplotlib.image import imread
    from pyproj import CRS

    _, out = comparison
    assert [name for name, _ in pyogrio.list_layers(out / "areas.gpkg")] == ["lights"]
    gdf = gpd.read_file(out / "areas.gpkg", layer="lights")
    assert gdf["area"].tolist() == list(BOXES)
    assert CRS.from_user_input(gdf.crs) == CRS.from_wkt(str(grid["crs_wkt"]))
    assert "crimes_total_diff" in gdf.columns
    image = imread(out / "area_change_lights.png")
    assert image.ndim == 3 and image.shape[0] > 300


def test_a_map_with_an_unreadable_crs_fails_before_the_run(capsys, city, tmp_path):
    import shutil

    from cli_support import assert_usage_error

    bad = tmp_path / "bad"
    shutil.copytree(city, bad)
    with np.load(bad / "city.npz") as z:
        arrays = {k: z[k] for k in z.files}
    arrays["crs_wkt"] = np.array("not a coordinate reference system")
    np.savez_compressed(bad / "city.npz", **arrays)
    out = tmp_path / "out"
    code, _, err = crimesim(capsys, "run", bad / "scenario.toml", "--days", "1", "--out", out)
    assert_usage_error(code, err, "city.npz", "crs_wkt", "coordinate reference system")
    assert not out.exists()
    code, _, err = crimesim(capsys, "compare", bad / "scenario.toml", bad / "scenario.toml",
                            "--reps", "2", "--days", "1", "--out", tmp_path / "cmp")
    assert_usage_error(code, err, "crs_wkt")
    assert not (tmp_path / "cmp").exists() or not any((tmp_path / "cmp").iterdir())


def test_a_map_of_many_areas_names_the_30_largest_changes():
    from sim.analysis.area_figure import MAX_LABELS, _labelled

    diff = np.array([(-1) ** i * i for i in range(40)], float)  # |diff| = 0 .. 39
    keep = _labelled(pd.DataFrame({"crimes_total_diff": diff}))
    assert MAX_LABELS == 30
    assert np.flatnonzero(keep).tolist() == list(range(10, 40))
    assert _labelled(pd.DataFrame({"crimes_total_diff": diff[:5]})).all()
