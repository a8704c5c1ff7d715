"""The Sweeps page in a real browser: it opens a sweep folder and draws its figures.

The folder is a small grid sweep made here, in-process, before the page is opened,
under the repository's ``out/`` (the only place the page opens sweeps from; removed
afterwards); the page is pointed at it by the ``folder`` query parameter of the
address (``/sweeps?folder=DIR``), which the page reads as its first folder, or finds it
in its folder browser. The test also saves
the page's screenshot (docs/images/sweeps.png with CRIMESIM_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import screenshot

from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment

ROOT = Path(__file__).resolve().parents[2]
#: Crime against offenders and police on a small city: 27 runs of 20 days (~10 s).
EXPERIMENT = f"""
name = "offenders_police"
description = "Crime against offenders and police numbers, small city, 20 days"
scenario = "{ROOT / 'scenarios' / 'baseline.toml'}"
days = 20
warmup_days = 5
replications = 3
record = "day"
metrics = ["crimes_total", "crimes_robbery", "arrests", "legitimacy_everyone"]

[design]
kind = "grid"

[parameters]
"offenders.count" = [30, 60, 90]
"police.count" = {{ low = 2, high = 12, steps = 3 }}

[set]
"city.width" = 40
"city.height" = 40
"city.districts" = 4
"city.schools" = 4
"residents.count" = 3000
"services.count" = 3
"security.guards" = 5
"agents.views" = false
"""


@pytest.fixture(scope="module")
def sweep_folder() -> Iterator[Path]:
    """A finished grid sweep, recorded per day, under ``out/`` (removed at the end)."""
    work = ROOT / "out" / f"browser-test-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        path = work / "offenders_police.toml"
        path.write_text(EXPERIMENT)
        out = work / "offenders_police"
        summary = run_sweep(load_experiment(path), out, InProcessExecutor())
        assert summary.failed == 0
        yield out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def figures_drawn(page, count: int) -> None:
    """Wait until ``count`` images of figure size have loaded."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('img')].filter("
        "i => i.complete && i.naturalWidth > 300).length >= n", arg=count, timeout=120_000)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select labelled ``label``, as a user clicks it."""
    page.get_by_label(label, exact=True).click(force=True)  # Vuetify covers the input
    page.get_by_role("option", name=option, exact=True).click()


def test_sweeps_opens_a_folder_and_draws_the_response(open_page, sweep_folder):
    page = open_page(f"/sweeps?folder={quote(str(sweep_folder))}")
    page.get_by_text("Sweep offenders_police").wait_for()
    assert page.get_by_text("27 of 27 runs stored").is_visible()
    page.get_by_text("Response curve", exact=True).wait_for()
    figures_drawn(page, 3)  # response curve, surface, time course
    assert page.get_by_label("sweep folder", exact=True).input_value() == str(sweep_folder)
    for label, option in (("metric", "arrests"), ("metric", "crimes_total"),
                          ("curves by", "police.count")):
        before = page.locator("img").first.get_attribute("src")
        choose(page, label, option)
        page.wait_for_function("src => document.querySelector('img').src !== src",
                               arg=before, timeout=60_000)
    figures_drawn(page, 3)
    assert page.get_by_text("Surface: offenders.count and police.count").is_visible()
    screenshot(page, "sweeps")


def test_sweeps_names_a_bad_folder_beside_the_field(open_page, sweep_folder):
    page = open_page(f"/sweeps?folder={quote(str(sweep_folder))}")
    page.get_by_text("Response curve", exact=True).wait_for()
    field = page.get_by_label("sweep folder", exact=True)
    field.fill(str(sweep_folder / "no_such"))
    field.press("Enter")
    message = page.locator(".v-input.error--text", has=field).locator(".v-messages__message")
    message.wait_for(timeout=60_000)
    assert "no such folder" in message.inner_text()
    page.get_by_text("Response curve", exact=True).wait_for(state="detached")  # figures gone
    assert "Traceback" not in page.inner_text("body")


def test_the_folder_browser_opens_a_sweep_under_out_and_nothing_outside(open_page,
                                                                       sweep_folder):
    """A path outside out/ is refused; browsing out/ -> this test's folder opens the sweep."""
    page = open_page("/sweeps?folder=" + quote("/etc"))
    page.get_by_text("outside out/").first.wait_for()
    assert page.locator("img.solara-image").count() == 0
    page.get_by_text("Browse the sweep folders under out/").click()
    page.get_by_role("button", name=f"{sweep_folder.parent.name}/").click()
    page.get_by_role("button", name="offenders_police (sweep: open)").click()
    figures_drawn(page, 3)
    field = page.get_by_label("sweep folder", exact=True)
    assert field.input_value() == f"out/{sweep_folder.parent.name}/offenders_police"
    page.get_by_text("The numbers behind this figure").first.click()
    page.get_by_text("Download offenders_police_crimes_total_response.csv").wait_for()
    screenshot(page, "sweeps_browser")
