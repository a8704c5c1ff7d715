"""The Compare page in a real browser: stored results, Stop, named variants.

A server of this module's own stores its comparisons in a temporary folder
(``CRIMESIM_COMPARE_STORE``), so the tests never write to ``out/``. The comparisons
are tiny (a 40 x 40 city, 2 replications, 10 days) so a run takes seconds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from browser_support import screenshot
from conftest import ROOT, _free_port, _wait_until_served

#: A city small enough for a comparison in a few seconds (as test_dashboard_browser's).
SMALL_CITY = ("city.width=40\ncity.height=40\nresidents.count=3000\noffenders.count=60\n"
              "police.count=6\nservices.count=3\nsecurity.guards=5\ncity.districts=4\n"
              "city.schools=4")
RESULT = "replications per scenario"


@pytest.fixture(scope="module")
def store_server(chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``crimesim dashboard`` with its comparison store in a temporary folder."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("compare-store")
    log_path = folder / "server.log"
    env = {**os.environ, "CRIMESIM_COMPARE_STORE": str(folder / "runs")}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli.main", "dashboard", "--port", str(port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_until_served(proc, url, log_path)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def open_at(chromium, store_server):
    """Open ``path`` of the store server in a new browser context; also returns it."""
    contexts = []

    def open_(path: str):
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(store_server + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def set_up(page, reps: str = "2", days: str = "10") -> None:
    """Type a tiny comparison's settings into the Compare page."""
    page.get_by_role("button", name="Run comparison").wait_for()
    page.get_by_label("replications", exact=True).fill(reps)
    page.get_by_label("days", exact=True).fill(days)
    overrides = page.locator("textarea").first
    overrides.fill(SMALL_CITY)
    overrides.press("Tab")  # the field commits when it loses focus
    page.wait_for_timeout(800)


def headline_rows(page) -> list[str]:
    """The first column of the headline table (one row per alternative)."""
    return [c.inner_text() for c in page.locator("table").first.locator("tbody tr td:first-child")
            .all()]


def test_two_named_variants_compare_in_one_run_that_survives_a_reload(open_at, store_server):
    page = open_at("/")
    page.get_by_role("button", name="Step 1 day").wait_for()  # Explore has its city
    page.get_by_role("tab", name="Compare").click()
    set_up(page)
    page.get_by_label("alternatives", exact=True).click(force=True)
    page.locator(".v-menu__content.menuable__content__active .v-list-item",
                 has_text="street_lighting").first.click()  # untick the default
    page.keyboard.press("Escape")
    for count, name in enumerate(("first look", "second look"), start=1):
        page.get_by_label("new variant's name", exact=True).fill(name)
        page.get_by_role("button", name="Add current Explore settings as a variant").click()
        page.locator(".variant-row").nth(count - 1).wait_for()
    page.get_by_role("button", name="Run comparison").click()
    page.locator("table").first.wait_for(timeout=120_000)
    assert headline_rows(page) == ["first look", "second look"]
    screenshot(page, "compare_variants")
    page.wait_for_url(re.compile(r"/compare\?run=\d{8}-\d{6}-[0-9a-f]{6}$"))
    table = page.locator("table").first.inner_text()
    page.reload()
    page.locator("table").first.wait_for()
    assert page.locator("table").first.inner_text() == table
    assert page.get_by_label("days", exact=True).input_value() == "10"  # settings too
    assert page.locator(".variant-row").count() == 2
    other = open_at(page.url[len(store_server):])  # the same URL in another tab
    other.locator("table").first.wait_for()
    assert other.locator("table").first.inner_text() == table
    other.get_by_text(re.compile(r"Recent comparisons on this server \(1\)")).wait_for()
    screenshot(page, "compare_stored")


def test_stop_ends_a_ten_year_comparison_within_seconds(open_at):
    page = open_at("/compare")
    set_up(page, days="3650")
    workers = page.get_by_label("workers", exact=True)
    workers.fill("2")
    workers.press("Enter")
    estimate = page.locator(".compare-estimate", has_text=re.compile(
        r"about [\d.]+ (s|min|h) on 2 workers for 4 runs of 3650 days"))
    estimate.wait_for(timeout=120_000)  # timed on a server other tests keep busy
    estimate.scroll_into_view_if_needed()
    screenshot(page, "compare_estimate")
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text(re.compile("running: 0 of 4 runs done")).wait_for()
    page.wait_for_timeout(1500)  # the runs are under way
    page.get_by_role("button", name="Stop").click()
    status = page.locator(".compare-status").first
    status.filter(has_text="stopped").wait_for(timeout=15_000)
    took = float(re.search(r"Stop took ([\d.]+) s", status.inner_text()).group(1))
    assert took < 5, status.inner_text()
    assert page.get_by_role("button", name="Run comparison").is_enabled()
