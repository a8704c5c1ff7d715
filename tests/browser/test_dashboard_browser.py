"""The dashboard in a real browser: each page loads, Explore steps, Compare runs.

Served by ``crimesim dashboard`` (see conftest.py) and driven through Debian's Chromium.
Each test also saves a screenshot of its page; with CRIMESIM_SCREENSHOTS=1 they
refresh docs/images/ (shown in README.md).
"""

from __future__ import annotations

import re

from browser_support import (
    CHARTS,
    SETTINGS_FIGURE,
    chart_option,
    figure_pixels,
    figures_changed,
    screenshot,
    wait_for_status,
)

from sim.dashboard.labels import label_of

#: The small city the Compare test runs (a few seconds per replication).
SMALL_CITY = ("city.width=40\ncity.height=40\nresidents.count=3000\noffenders.count=60\n"
              "police.count=6\nservices.count=3\nsecurity.guards=5\ncity.districts=4\n"
              "city.schools=4")


def test_explore_steps_and_the_map_and_charts_change(open_page):
    page = open_page("/")
    status = wait_for_status(page, r"day \d+, \d\d:00 \(tick \d+\)")
    assert "tick 0)" in status.inner_text()
    assert page.get_by_role("tab", name="Explore").is_visible()  # not Solara's "Home"
    before = figure_pixels(page)
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")
    assert figures_changed(page, before) == [True, True], "[map, charts] changed"
    before = figure_pixels(page)
    page.get_by_role("button", name="Step 1 hour").click()
    wait_for_status(page, r"day 1, 01:00 \(tick 25\)")
    assert figures_changed(page, before, expected=(0,))[0], "the map shows the new hour"
    assert page.get_by_text("Interventions").first.is_visible()
    screenshot(page, "explore")


def test_explore_refuses_a_bad_value_with_a_message(open_page):
    page = open_page("/")
    page.get_by_text(re.compile(r"\(tick \d+\)")).wait_for()
    field = page.get_by_label(label_of("offenders.count"), exact=True)
    field.fill("many")
    field.press("Enter")
    message = page.locator(".v-input.error--text", has=page.get_by_label(
        label_of("offenders.count"), exact=True)).locator(".v-messages__message")
    message.wait_for(timeout=60_000)
    assert "offenders.count: expected an integer" in message.inner_text()


def test_compare_runs_a_small_comparison(open_page):
    page = open_page("/compare")
    page.get_by_role("button", name="Run comparison").wait_for()
    page.get_by_label("replications", exact=True).fill("2")
    page.get_by_label("days", exact=True).fill("90")  # 60 days after the lights go on
    overrides = page.locator("textarea").first  # "overrides (--set)"
    overrides.fill(SMALL_CITY)
    overrides.press("Tab")  # the field commits when it loses focus
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Run comparison").click()
    table = page.locator("table").first
    table.wait_for(timeout=180_000)
    assert "2 replications per scenario" in page.content()
    page.get_by_text("Download comparison.csv").wait_for()
    screenshot(page, "compare")


def choose(page, label: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> None:
    """Tick ``add`` and untick ``remove`` in the multiple-choice field ``label``."""
    page.get_by_label(label, exact=True).click(force=True)
    menu = page.locator(".v-menu__content.menuable__content__active")
    for item in (*remove, *add):
        menu.locator(".v-list-item", has_text=item).first.click()
    page.keyboard.press("Escape")


def test_compare_runs_the_explore_settings_and_keeps_the_result(open_page):
    # Explore: switch street lighting on; that is what "Explore settings" will run
    page = open_page("/")
    wait_for_status(page, r"\(tick 0\)")
    page.get_by_text("street lighting", exact=True).click()
    page.locator("label", has_text="street lighting on").click()  # as a user clicks it
    page.get_by_text("street lighting (on)", exact=True).wait_for()
    # Compare, reached through the tab: baseline file against the Explore settings
    page.get_by_role("tab", name="Compare").click()
    page.get_by_role("button", name="Run comparison").wait_for()
    page.get_by_text("Explore settings: baseline.toml; interventions on: "
                     "street_lighting").wait_for()
    choose(page, "alternatives", add=("Explore settings",), remove=("street_lighting",))
    page.get_by_label("replications", exact=True).fill("2")
    page.get_by_label("days", exact=True).fill("33")
    overrides = page.locator("textarea").first
    overrides.fill(SMALL_CITY)
    overrides.press("Tab")
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text(re.compile(r"running: \d+ of \d+ runs done")).wait_for()
    # leave while it runs, come back: it went on, and the result is here
    page.get_by_role("tab", name="Learn").click()
    page.get_by_text("Lessons", exact=True).wait_for()
    page.get_by_role("tab", name="Compare").click()
    table = page.locator("table", has_text="crimes, change %")
    table.wait_for(timeout=180_000)
    assert "Explore settings (baseline)" in table.inner_text()
    page.get_by_role("tab", name="About").click()
    page.get_by_text("What crimesim is").wait_for()
    page.get_by_role("tab", name="Compare").click()
    table.wait_for(timeout=15_000)  # no new run: the same result
    assert "Explore settings (baseline)" in table.inner_text()
    # another browser is another session: none of this is there
    other = open_page("/compare")
    other.get_by_role("button", name="Run comparison").wait_for()
    other.get_by_text("Choose a base").wait_for()
    assert other.locator("table").count() == 0
    assert other.get_by_text("offered once Explore has been opened").is_visible()


def test_learn_shows_the_lessons(open_page):
    page = open_page("/learn")
    page.get_by_text("Lessons", exact=True).wait_for()
    assert page.get_by_role("button", name=re.compile(r"^1\. ")).is_visible()
    screenshot(page, "learn")


def test_about_explains_the_model(open_page):
    page = open_page("/about")
    page.get_by_text("What crimesim is").wait_for()
    page.get_by_text("Mechanisms and their sources").wait_for()
    screenshot(page, "about")


def test_explore_shows_where_crime_happens(open_page):
    page = open_page("/")
    wait_for_status(page, r"\(tick 0\)")
    assert page.get_by_text("Where crime happens", exact=True).count() == 0  # off: faster
    page.get_by_label("show where crime happens (slower steps)").click(force=True)
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")
    page.get_by_text("Where crime happens", exact=True).wait_for(timeout=60_000)
    page.wait_for_function(
        """selector => {
            const img = document.querySelector(selector);
            return img && img.complete && img.naturalWidth > 0;
        }""", arg=SETTINGS_FIGURE, timeout=60_000)
    size = page.eval_on_selector(SETTINGS_FIGURE, "img => [img.naturalWidth, img.naturalHeight]")
    assert size[0] > 200 and size[1] > 100, size
    assert page.get_by_text("Settings: home, street").is_visible()


def test_explore_charts_are_drawn_in_the_browser_from_the_model(open_page):
    requests: list[str] = []
    page = open_page("/")
    page.on("request", lambda request: requests.append(request.url))
    page.reload()  # every request of the page, from the first
    wait_for_status(page, r"\(tick 0\)")
    for selector in CHARTS:  # ECharts draws on a canvas: no picture comes from the server
        chart_option(page, selector)
        assert page.locator(f"{selector} canvas").count() >= 1
    assert page.locator("img.solara-image").count() == 0
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")
    page.wait_for_function("""() => {
        const chart = document.querySelector('.explore-map').__chart;
        return chart && chart.getOption().title[0].text.includes('day 1, 00:00');
    }""", timeout=60_000)
    drawn = chart_option(page, ".explore-map")
    kinds = {series["name"]: series["type"] for series in drawn["series"]}
    assert kinds["offenders (free)"] == "scatter" and kinds["area boundaries"] == "scatter"
    assert "lines" in [series["type"] for series in drawn["series"]]  # the boundaries
    assert drawn["series"][0]["type"] == "heatmap" and drawn["series"][0]["data"]
    series = chart_option(page, ".explore-series")
    assert series["title"][1]["text"] == "Victimisations per 1,000 residents of the group per day"
    assert series["title"][1]["subtext"] == "7-day moving average of complete days"
    assert series["xAxis"][0]["data"] == [0]  # day 0 is complete, day 1 just began
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 2, 00:00 \(tick 48\)")
    page.wait_for_function("""() => document.querySelector('.explore-series')
        .__chart.getOption().xAxis[0].data.length === 2""", timeout=60_000)
    # the layer chooser: land use is drawn as categories with a legend
    page.get_by_label("map layer", exact=True).click(force=True)
    page.locator(".v-menu__content.menuable__content__active .v-list-item",
                 has_text="land use").first.click()
    page.wait_for_function("""() => document.querySelector('.explore-map')
        .__chart.getOption().title[0].text.startsWith('Land use')""", timeout=60_000)
    assert chart_option(page, ".explore-map")["visualMap"][0]["type"] == "piecewise"
    outside = [url for url in requests
               if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                      "blob:http://127.0.0.1"))]
    assert outside == [], "every request stays on loopback (ECharts is served offline)"


def test_the_map_stays_in_view_while_the_settings_scroll(open_page):
    page = open_page("/")
    wait_for_status(page, r"\(tick 0\)")
    chart_option(page, ".explore-map")
    seed = page.get_by_label("seed", exact=True)
    top_before = seed.bounding_box()["y"]
    page.mouse.move(100, 600)  # over the settings column
    for _ in range(6):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    assert seed.bounding_box()["y"] < top_before - 300, "the settings scrolled"
    box = page.locator(".explore-map").bounding_box()
    assert box is not None and box["y"] >= -1 and box["y"] + 100 < 900, box
    screenshot(page, "explore_scrolled")
