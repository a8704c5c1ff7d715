"""Explore's controls in a real browser: busy, confirm before a restart, refusals, districts.

Served by ``crimesim dashboard`` (see conftest.py) and driven through Debian's Chromium;
the page opens the baseline city with seed 1.
"""

from __future__ import annotations

import re

from browser_support import ROOT, screenshot, wait_for_status
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sim.dashboard.labels import label_of
from sim.dashboard.state.explore_session import ExploreSession

#: Records in the page whether the busy indicator was ever drawn (it may show for
#: only a few frames, shorter than Playwright's polling).
WATCH_BUSY = """() => {
    window.sawBusy = false;
    new MutationObserver(() => {
        if (document.querySelector('.explore-busy')) window.sawBusy = true;
    }).observe(document.body, {childList: true, subtree: true});
}"""


def test_busy_while_stepping_then_confirm_before_a_restart(open_page):
    page = open_page("/")
    wait_for_status(page, r"day 0, 00:00 \(tick 0\)")
    page.get_by_text("for the remaining 365 days").wait_for()  # the estimate
    page.evaluate(WATCH_BUSY)
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")
    assert page.evaluate("window.sawBusy"), "the busy indicator showed while stepping"
    page.get_by_text(re.compile("for the remaining 364 days")).wait_for()  # updated
    field = page.get_by_label(label_of("police.count"), exact=True)
    field.fill("30")
    field.press("Enter")
    dialog = page.get_by_text("Changing police patrol units on duty restarts the city; "
                              "the run so far (day 1) will be lost.")
    dialog.wait_for()
    screenshot(page, "explore_confirm_restart")
    page.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")  # the city kept its day
    assert page.get_by_label(label_of("police.count"), exact=True).input_value() == "24"
    field = page.get_by_label(label_of("police.count"), exact=True)
    field.fill("30")
    field.press("Enter")
    dialog.wait_for()
    page.get_by_role("button", name="Continue").click()
    wait_for_status(page, r"day 0, 00:00 \(tick 0\)")  # restarted with 30 units
    assert page.get_by_label(label_of("police.count"), exact=True).input_value() == "30"


def test_a_refused_combination_shows_its_message_and_keeps_the_day(open_page):
    page = open_page("/")
    wait_for_status(page, r"\(tick 0\)")
    page.get_by_role("button", name="Step 1 day").click()
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")
    field = page.get_by_label(label_of("residents.count"), exact=True)
    field.fill("100")  # fewer residents than the 450 offenders drawn from them
    field.press("Enter")
    message = page.locator(".v-input.error--text", has=page.get_by_label(
        label_of("residents.count"), exact=True)).locator(".v-messages__message")
    message.wait_for()
    assert message.inner_text().startswith(
        "offenders.count: 450 offenders but only 100 residents")
    assert page.get_by_text("restarts the city").count() == 0  # nothing to confirm
    wait_for_status(page, r"day 1, 00:00 \(tick 24\)")  # and nothing restarted
    screenshot(page, "explore_refused_combination")


def test_district_select_lists_the_city_names(open_page):
    names = ExploreSession(ROOT / "scenarios" / "baseline.toml").district_names()
    page = open_page("/")
    wait_for_status(page, r"\(tick 0\)")
    page.get_by_text("street lighting", exact=True).click()  # open its settings
    select = page.get_by_label(label_of("interventions.street_lighting.target.districts"),
                               exact=True)
    menu = page.locator(".v-menu__content.menuable__content__active")
    for _attempt in range(5):  # a click while the panel is still opening can be lost
        select.first.scroll_into_view_if_needed()
        select.first.click(force=True)  # Vuetify covers the input
        try:
            menu.wait_for(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    menu.wait_for()
    assert menu.locator(".v-list-item").all_inner_texts() == names
    menu.locator(".v-list-item", has_text=names[0]).click()
    page.keyboard.press("Escape")
    page.locator(".v-select__selection", has_text=names[0]).first.wait_for()
    screenshot(page, "explore_district_select")
