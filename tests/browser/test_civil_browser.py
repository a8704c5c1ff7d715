"""The civil-violence lesson in a real browser: Learn opens it in Explore, which steps it.

Served by ``crimesim dashboard`` (see conftest.py) and driven through Debian's Chromium.
With CRIMESIM_SCREENSHOTS=1 the screenshots refresh docs/images/learn.png (the lesson
list, now seven) and docs/images/explore_civil.png (docs/dashboard_civil.md).
"""

from __future__ import annotations

from browser_support import figure_pixels, figures_changed, screenshot, wait_for_status

from sim.dashboard.labels import label_of

#: The lesson's button on the Learn page.
LESSON = "7. Legitimacy and rebellion (Epstein 2002)"


def test_civil_violence_lesson_opens_in_explore_and_steps(open_page):
    page = open_page("/learn")
    page.get_by_text("Lessons", exact=True).wait_for()
    page.get_by_role("button", name=LESSON).wait_for()
    screenshot(page, "learn")
    page.get_by_role("button", name=LESSON).click()
    page.get_by_text("punctuated").first.wait_for()
    page.get_by_role("button", name="Open in Explore").click()
    status = wait_for_status(page, r"lesson_legitimacy_rebellion: tick 0 - ")
    assert "1120 citizens, 64 cops" in status.inner_text()
    # the civil-violence controls, not the crime city's
    legitimacy = page.get_by_label(label_of("civil_violence.legitimacy"), exact=True)
    assert legitimacy.input_value() == "0.82"
    assert page.get_by_role("button", name="Step 1 hour").count() == 0
    assert page.get_by_text("Interventions", exact=True).count() == 0
    before = figure_pixels(page)
    page.get_by_role("button", name="Step 10 ticks").click()
    wait_for_status(page, r"lesson_legitimacy_rebellion: tick 10 - \d+ active")
    assert figures_changed(page, before) == [True, True], "[map, series] changed"
    before = figure_pixels(page)
    page.get_by_role("button", name="Step 1 tick").click()
    wait_for_status(page, r"tick 11 - ")
    assert figures_changed(page, before, expected=(0,))[0], "the map shows the new tick"
    screenshot(page, "explore_civil")


def test_a_bad_civil_value_shows_its_message(open_page):
    page = open_page("/learn")
    page.get_by_role("button", name=LESSON).click()
    page.get_by_role("button", name="Open in Explore").click()
    wait_for_status(page, r"lesson_legitimacy_rebellion: tick 0 - ")
    field = page.get_by_label(label_of("civil_violence.cop_vision"), exact=True)
    field.fill("30")
    field.press("Enter")
    message = page.locator(".v-input.error--text", has=page.get_by_label(
        label_of("civil_violence.cop_vision"), exact=True)).locator(".v-messages__message")
    message.wait_for(timeout=60_000)
    assert "needs a grid at least 61 cells across" in message.inner_text()
