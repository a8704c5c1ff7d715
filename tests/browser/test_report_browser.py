"""report.html in a real browser with the network cut, and the Compare page's Report button."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import screenshot
from report_support import cli_report, read_report

#: The small city (a few seconds per replication), as the Compare page's overrides.
SMALL_CITY = ("city.width=40\ncity.height=40\nresidents.count=3000\noffenders.count=60\n"
              "police.count=6\nservices.count=3\nsecurity.guards=5\ncity.districts=4\n"
              "city.schools=4")


@pytest.fixture(scope="module")
def report_file(small_args) -> Path:
    return cli_report(tuple(small_args))[0] / "report.html"


def test_report_reads_offline_with_no_request(chromium, report_file):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    requests: list[str] = []

    def refuse(route):
        if not route.request.url.startswith(("file:", "data:")):
            requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    try:
        context.set_offline(True)
        context.route("**/*", refuse)
        page = context.new_page()
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                else requests.append(r.url))
        page.goto(report_file.as_uri())
        verdict = page.locator("#verdicts p.verdict").first
        assert verdict.inner_text().startswith("street_lighting: ")
        headers = page.locator("#groups th").all_inner_texts()
        for column in ("everyone", "youth", "women and girls", "elderly people",
                       "marginalised people"):
            assert column in headers
        assert page.locator("#harm").inner_text().startswith("Harm")
        assert "cost per crime prevented" in page.locator("#costs").inner_text()
        assert "crimesim version" in page.locator("#provenance").inner_text()
        # every figure decoded from its data: URL (a broken image has no natural width)
        widths = page.locator("img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        screenshot(page, "report")
    finally:
        context.close()
    assert requests == []


def test_compare_page_report_button_downloads_the_brief(open_page, tmp_path):
    page = open_page("/compare")
    page.get_by_role("button", name="Run comparison").wait_for()
    page.get_by_label("replications", exact=True).fill("2")
    page.get_by_label("days", exact=True).fill("31")
    overrides = page.locator("textarea").first  # "overrides (--set)"
    overrides.fill(SMALL_CITY)
    overrides.press("Tab")  # the field commits when it loses focus
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Run comparison").click()
    report = page.get_by_role("button", name="Report", exact=True)
    report.wait_for(timeout=180_000)
    assert page.get_by_text("The verdict").is_visible()
    screenshot(page, "compare_brief")
    with page.expect_download(timeout=60_000) as info:
        report.click()
    download = info.value
    assert download.suggested_filename == "report.html"
    path = tmp_path / "report.html"
    download.save_as(path)
    reader = read_report(path.read_text())
    assert reader.verdicts and reader.verdicts[0].startswith("street_lighting: ")
    assert "women and girls" in reader.headers
