"""The Compare page in a real browser: stored results, Stop, named variants.

The module's dashboard server (conftest's ``server``) stores its comparisons in a
temporary folder (``CRIMESIM_COMPARE_STORE``), so the tests never write to ``out/``. The comparisons
are tiny (a 40 x 40 city, 2 replications, 10 days) so a run takes seconds.
"""

from __future__ import annotations

import re

from browser_support import screenshot
from playwright.sync_api import expect

#: A city small enough for a comparison in a few seconds (as test_dashboard_browser's).
SMALL_CITY = ("city.width=40\ncity.height=40\nresidents.count=3000\noffenders.count=60\n"
              "police.count=6\nservices.count=3\nsecurity.guards=5\ncity.districts=4\n"
              "city.schools=4")
RESULT = "replications per scenario"


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


def test_two_named_variants_compare_in_one_run_that_survives_a_reload(open_page, server):
    page = open_page("/")
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
    # settings too: the fields may be filled a render after the table (under load the
    # two renders reach the page apart), so wait for them as a user would
    expect(page.get_by_label("days", exact=True)).to_have_value("10", timeout=30_000)
    expect(page.locator(".variant-row")).to_have_count(2, timeout=30_000)
    other = open_page(page.url[len(server):])  # the same URL in another tab
    other.locator("table").first.wait_for()
    assert other.locator("table").first.inner_text() == table
    other.get_by_text(re.compile(r"Recent comparisons on this server \(1\)")).wait_for()
    screenshot(page, "compare_stored")


def test_stop_ends_a_ten_year_comparison_within_seconds(open_page):
    page = open_page("/compare")
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
    page.get_by_text(re.compile(r"running: 0 of \d+ runs done")).wait_for()
    page.wait_for_timeout(1500)  # the runs are under way
    page.get_by_role("button", name="Stop").click()
    status = page.locator(".compare-status").first
    status.filter(has_text="stopped").wait_for(timeout=15_000)
    took = float(re.search(r"Stop took ([\d.]+) s", status.inner_text()).group(1))
    assert took < 5, status.inner_text()
    assert page.get_by_role("button", name="Run comparison").is_enabled()
