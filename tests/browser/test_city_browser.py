"""A real city in the browser: Explore draws its areas, and a GeoPackage upload imports one.

The server here is the conftest's ``crimesim dashboard``, started with
``CRIMESIM_CITIES_DIR`` pointing at a temporary folder that already holds the fixture
city "town" (tests/dashboard/area_city.py, imported by the real importer), so the
uploads never touch the repository's ``out/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import screenshot
from conftest import ROOT, _free_port, _wait_until_served

sys.path.insert(0, str(ROOT / "tests" / "dashboard"))
from area_city import NAMES, import_fixture_city, write_areas  # noqa: E402

#: Few agents, so Explore builds and steps the fixture city at once.
SMALL = {"residents.count": 600, "offenders.count": 12, "police.count": 2}


def write_small_scenario(folder: Path) -> None:
    """Shrink an imported city's agents (its scenario file, as a user would edit it)."""
    path = folder / "scenario.toml"
    text = path.read_text()
    for key, value in SMALL.items():
        section, name = key.split(".")
        text = text.replace(f"[{section}]\n{name} = ", f"[{section}]\n{name} = {value}  # ")
    path.write_text(text)


@pytest.fixture(scope="module")
def cities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    served = tmp_path_factory.mktemp("served")
    folder = served / "cities"
    import_fixture_city(folder / "town", source_dir=served)
    write_small_scenario(folder / "town")
    # the same city with more police, to compare against it
    import_fixture_city(folder / "patrolled", source_dir=served / "other")
    write_small_scenario(folder / "patrolled")
    scenario = folder / "patrolled" / "scenario.toml"
    scenario.write_text(scenario.read_text().replace("count = 2  #", "count = 8  #"))
    return folder


@pytest.fixture(scope="module")
def server(chromium: object, cities: Path, tmp_path_factory) -> Iterator[str]:
    """``crimesim dashboard`` whose imported cities live in ``cities``; its base URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = {**os.environ, "CRIMESIM_CITIES_DIR": str(cities)}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli.main", "dashboard", "--port", str(port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_until_served(proc, url, log_path)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select labelled ``label``, as a user clicks it."""
    page.get_by_label(label, exact=True).click(force=True)  # Vuetify covers the input
    menu = page.locator(".v-menu__content.menuable__content__active")  # this select's
    menu.get_by_role("option", name=option, exact=True).click()


def upload(page, path: Path) -> None:
    """Choose ``path`` with the page's "Choose files" button, as a user does."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose files").click()
    chooser.value.set_files(str(path))


def test_explore_draws_an_imported_citys_areas(open_page):
    page = open_page("/city")
    page.get_by_role("button", name="Open town in Explore").click()
    caption = page.locator(".area-caption")
    caption.wait_for(timeout=120_000)
    text = caption.inner_text()
    assert text.startswith("3 areas (boundaries from areas.gpkg), in OSGB36 / British")
    assert all(name in text for name in NAMES)
    page.get_by_text("city: town").first.wait_for()  # the scenario picker names it
    choose(page, "map layer", "crimes per area")
    page.get_by_role("button", name="Step 1 day").click()
    page.get_by_text("day 1, 00:00 (tick 24)", exact=False).wait_for(timeout=60_000)
    page.wait_for_function("""() => {  // the browser has drawn the day's area map
        const chart = document.querySelector('.explore-map').__chart;
        return chart && chart.getOption().title[0].text === 'Crimes per area - day 1, 00:00';
    }""", timeout=60_000)
    screenshot(page, "explore_city")


def test_uploading_a_geopackage_imports_and_opens_the_city(open_page, cities, tmp_path):
    source = write_areas(tmp_path / "riverside.gpkg")
    page = open_page("/city")
    upload(page, source)
    page.get_by_text("File: riverside.gpkg").wait_for()
    choose(page, "id column (names each area)", "name")
    choose(page, "population column (optional)", "people")
    size = page.get_by_label("cell size (m)", exact=True)
    size.fill("100")
    size.press("Enter")
    screenshot(page, "city_upload")
    page.get_by_role("button", name="Import").click()
    caption = page.locator(".area-caption")
    caption.wait_for(timeout=120_000)
    assert "Northfield" in caption.inner_text()
    page.get_by_text("city: riverside").first.wait_for()
    assert (cities / "riverside" / "areas.gpkg").is_file()


def test_a_bad_upload_shows_the_one_line_message(open_page, cities, tmp_path):
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"this is not a GeoPackage")
    page = open_page("/city")
    upload(page, broken)
    message = page.locator(".import-error")
    message.wait_for()
    assert message.inner_text().startswith("broken.gpkg: not a readable vector file")
    assert "Traceback" not in page.locator("body").inner_text()
    assert "broken" not in " ".join(p.name for p in cities.iterdir())


def test_compare_maps_the_change_by_area(open_page):
    page = open_page("/compare")
    page.get_by_role("button", name="Run comparison").wait_for()
    choose(page, "base scenario", "city: town")
    page.get_by_label("alternatives", exact=True).click(force=True)
    menu = page.locator(".v-menu__content.menuable__content__active")
    menu.locator(".v-list-item", has_text="street_lighting").first.click()
    menu.locator(".v-list-item", has_text="city: patrolled").first.click()
    page.keyboard.press("Escape")
    page.get_by_label("replications", exact=True).fill("3")
    page.get_by_label("days", exact=True).fill("2")
    page.get_by_label("days", exact=True).press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Run comparison").click()
    heading = page.get_by_text("Which areas gain: patrolled-areas - town-areas")
    heading.wait_for(timeout=120_000)
    table = page.locator(".area-changes table")
    assert all(name in table.inner_text() for name in NAMES)
    page.get_by_text("Download the areas' changes (CSV)").wait_for()
    page.locator(".area-changes").scroll_into_view_if_needed()
    screenshot(page, "compare_city")
