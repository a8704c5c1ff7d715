"""Compare on an imported city: the cities are offered, and each area's change is shown."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets as widgets
import solara
from area_city import NAMES, import_fixture_city

from sim.dashboard.pages.compare import CompareResults
from sim.dashboard.state.city_library import CITIES_ENV
from sim.dashboard.state.compare_result import run_prepared
from sim.dashboard.state.compare_settings import CompareJob


def test_compare_two_scenarios_of_an_imported_city_shows_areas(tmp_path, monkeypatch):
    cities = tmp_path / "cities"
    monkeypatch.setenv(CITIES_ENV, str(cities))
    import_fixture_city(cities / "town", source_dir=tmp_path)
    import_fixture_city(cities / "patrolled", source_dir=tmp_path / "other")
    scenario = cities / "patrolled" / "scenario.toml"
    text = scenario.read_text()  # named after the areas file: "patrolled-areas"
    scenario.write_text(text.replace("[police]\ncount = 1", "[police]\ncount = 8"))
    job = CompareJob(overrides={"residents.count": 600, "offenders.count": 40})
    assert {"city: town", "city: patrolled"} <= set(job.choices)
    assert job.set_base("city: town") is None
    assert job.set_alternatives(["city: patrolled"]) is None
    for key, value in (("reps", "2"), ("days", "1"), ("workers", "1")):
        assert job.set_field(key, value) is None
    prepared = job.prepare()
    assert prepared is not None, job.errors
    result = run_prepared(prepared)
    assert list(result.areas) == ["patrolled-areas"]
    _, rc = solara.render(CompareResults(result), handle_error=False)
    markdown = " ".join(w.template for w in rc.find(v.VuetifyTemplate).widgets
                        if isinstance(w.template, str))
    assert "Which areas gain: patrolled-areas - town-areas" in markdown
    assert all(f"<td>{name}</td>" in markdown for name in NAMES)
    assert len(rc.find(widgets.Image).widgets) == 3  # effects, change map, area change
    downloads = " ".join(str(c) for w in rc.find(v.Btn).widgets for c in w.children)
    assert "Download the areas' changes (CSV)" in downloads
    rc.close()
