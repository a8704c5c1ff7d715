"""The dashboard in a real browser: each page loads, Explore steps, Compare runs.

Served by ``crimesim dashboard`` (see conftest.py) and driven through Debian's Chromium.
Each test also saves a screenshot of its page; with CRIMESIM_SCREENSHOTS=1 they
refresh docs/images/ (shown in README.md).
"""

from __future__ import annotations

import re

from browser_support import screenshot

#: The small city the Compare test runs (a few seconds per replication).
SMALL_CITY = ("city.width=40\ncity.height=40\nresidents.count=3000\noffenders.count=60\n"
              "police.count=6\nservices.count=3\nsecurity.guards=5\ncity.districts=4\n"
              "city.schools=4")


def map_image(page):
    """The Explore map (the first matplotlib figure on the page)."""
    return page.locator("img").first


def test_explore_loads_steps_and_saves_a_screenshot(open_page):
    page = open_page("/")
    status = page.get_by_text(re.compile(r"day \d+, \d\d:00 \(tick \d+\)"))
    status.wait_for()
    assert "tick 0)" in status.inner_text()
    before = map_image(page).get_attribute("src")
    page.get_by_role("button", name="Step 1 day").click()
    page.get_by_text(re.compile(r"day 1, 00:00 \(tick 24\)")).wait_for(timeout=120_000)
    page.wait_for_function(
        "src => document.querySelector('img').src !== src",
        arg=before, timeout=60_000)
    assert page.get_by_role("button", name="Step 1 hour").is_visible()
    assert page.get_by_text("Interventions").first.is_visible()
    screenshot(page, "explore")


def test_explore_refuses_a_bad_value_with_a_message(open_page):
    page = open_page("/")
    page.get_by_text(re.compile(r"\(tick \d+\)")).wait_for()
    field = page.get_by_label("offenders.count", exact=True)
    field.fill("many")
    field.press("Enter")
    message = page.locator(".v-input.error--text", has=page.get_by_label(
        "offenders.count", exact=True)).locator(".v-messages__message")
    message.wait_for(timeout=60_000)
    assert "offenders.count: expected an integer" in message.inner_text()


def test_compare_runs_a_small_comparison(open_page):
    page = open_page("/compare")
    page.get_by_role("button", name="Run comparison").wait_for()
    page.get_by_label("replications", exact=True).fill("2")
    page.get_by_label("days", exact=True).fill("33")
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
