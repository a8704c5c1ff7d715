"""Importing a city from uploaded files: formats, the one-line messages, nothing left behind.

The outputs are opened back with geopandas and numpy, as a GIS user would.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from area_city import NAMES, areas, write_areas

from sim.dashboard.state import city_upload
from sim.dashboard.state.city_library import CITIES_ENV, imported_cities
from sim.dashboard.state.city_upload import import_staged, stage_upload
from sim.errors import UsageError


@pytest.fixture
def cities(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cities"
    monkeypatch.setenv(CITIES_ENV, str(folder))
    return folder


@pytest.fixture
def staging(tmp_path) -> Path:
    folder = tmp_path / "staging"
    folder.mkdir()
    return folder


def shapefile_parts(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "shp"
    folder.mkdir()
    areas().to_file(folder / "town.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def refused(files, staging) -> str:
    with pytest.raises(UsageError) as caught:
        stage_upload(files, staging)
    assert list(staging.iterdir()) == []  # the temporary folder is gone
    message = str(caught.value)
    assert "\n" not in message and str(staging) not in message
    return message


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_upload_imports_the_city_as_the_command_does(tmp_path, cities, staging, suffix):
    source = write_areas(tmp_path / f"town{suffix}")
    staged = stage_upload([(source.name, source.read_bytes())], staging)
    assert staged.columns[staged.layers[0]] == ["name", "imd", "people"]
    scenario = import_staged(staged, "town", "name", deprivation_column="imd",
                             population_column="people", cell_size_text="100")
    assert scenario == cities / "town" / "scenario.toml" and scenario.is_file()
    saved = gpd.read_file(cities / "town" / "areas.gpkg", layer="areas")
    assert list(saved["name"]) == list(NAMES) and list(saved["district"]) == [0, 1, 2]
    with np.load(cities / "town" / "city.npz") as arrays:
        assert arrays["district"].shape == (10, 12)
        assert list(arrays["district_names"]) == list(NAMES)
        assert arrays["population"].sum() == pytest.approx(800)
    assert imported_cities() == {"city: town": scenario}
    staged.discard()
    assert list(staging.iterdir()) == []


def test_zipped_and_loose_shapefiles(tmp_path, cities, staging):
    parts = shapefile_parts(tmp_path)
    archive = tmp_path / "town.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, data in parts.items():
            zipped.writestr(f"inner/folder/{name}", data)
    staged = stage_upload([("town.zip", archive.read_bytes())], staging)
    assert staged.path.name == "town.shp" and staged.columns["town"][0] == "name"
    import_staged(staged, "zipped", "name", cell_size_text="100")
    loose = stage_upload(list(parts.items()), staging)
    import_staged(loose, "loose", "name", cell_size_text="100")
    assert set(imported_cities()) == {"city: loose", "city: zipped"}


def test_bad_uploads_give_one_line_and_leave_nothing(tmp_path, cities, staging, monkeypatch):
    assert refused([("broken.gpkg", b"not a geopackage")], staging).startswith(
        "broken.gpkg: not a readable vector file")
    parts = shapefile_parts(tmp_path)
    assert refused([("town.shp", parts["town.shp"])], staging) == (
        "town.shp: a Shapefile needs its .shx and .dbf file(s) too; drop them together, "
        "or a .zip of them")
    assert "no areas file" in refused([("notes.txt", b"hello")], staging)
    assert refused([("bad.zip", b"PK nonsense")], staging) == "bad.zip: not a readable zip file"
    monkeypatch.setattr(city_upload, "MAX_UPLOAD_BYTES", 1000)
    assert "at most 0.0 MB" in refused([("big.gpkg", b"x" * 1001)], staging)
    assert not cities.exists()


def test_bad_fields_give_one_line_and_leave_nothing(tmp_path, cities, staging):
    source = write_areas(tmp_path / "town.gpkg")
    staged = stage_upload([(source.name, source.read_bytes())], staging)
    cases = {
        ("", "100"): "choose the id column: the column that names each area",
        ("name", "many"): "cell size: expected metres as a number, got 'many'",
    }
    for (column, size), expected in cases.items():
        with pytest.raises(UsageError, match=f"^{expected}$"):
            import_staged(staged, "town", column, cell_size_text=size)
    with pytest.raises(UsageError, match="city name '../up'"):
        import_staged(staged, "../up", "name")
    with pytest.raises(UsageError, match="use a cell size of 1 or more"):
        import_staged(staged, "town", "name", cell_size_text="0.001")
    assert not cities.exists() or list(cities.iterdir()) == []
    import_staged(staged, "town", "name", cell_size_text="100")
    with pytest.raises(UsageError, match="exists already"):
        import_staged(staged, "town", "name", cell_size_text="100")


def test_a_geopackage_with_two_layers_offers_both(tmp_path, cities, staging):
    source = tmp_path / "two.gpkg"
    areas().to_file(source, layer="wards", engine="pyogrio")
    areas()[["name", "geometry"]].rename(columns={"name": "code"}).to_file(
        source, layer="lsoa", engine="pyogrio")
    staged = stage_upload([(source.name, source.read_bytes())], staging)
    assert staged.columns == {"wards": ["name", "imd", "people"], "lsoa": ["code"]}
    import_staged(staged, "lsoa", "code", layer="lsoa", cell_size_text="100")
    saved = gpd.read_file(cities / "lsoa" / "areas.gpkg", layer="areas")
    assert list(saved["code"]) == list(NAMES)
