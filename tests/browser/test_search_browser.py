"""The Search page in a real browser: it opens a search folder and reads it.

The folder is the session's tiny real search (tests/search_support.py), copied under
the repository's ``out/`` (the only place the page opens searches from; removed
afterwards); the page is pointed at it by the ``folder`` query parameter
(``/search?folder=DIR``). The test draws the Pareto figure and its table, picks
another mix, reads the stress test's sentences and downloads the decision brief; it
also saves the page's screenshot (docs/images/search.png with CRIMESIM_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import screenshot

from sim.analysis.search.search_results import open_search

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def search_folder(tiny_search) -> Iterator[Path]:
    """The tiny search under ``out/`` (removed at the end)."""
    work = ROOT / "out" / f"browser-search-{os.getpid()}"
    try:
        yield Path(shutil.copytree(tiny_search.out, work / "tiny"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def figures_drawn(page, count: int) -> None:
    """Wait until ``count`` images of figure size have loaded."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('img')].filter("
        "i => i.complete && i.naturalWidth > 300).length >= n", arg=count, timeout=120_000)


def image_sources(page) -> list[str]:
    return page.eval_on_selector_all("img", "imgs => imgs.map(i => i.src)")


def test_search_draws_the_pareto_set_picks_a_mix_and_opens_the_brief(open_page,
                                                                     search_folder):
    results = open_search(search_folder)
    shown = search_folder.relative_to(ROOT).as_posix()  # as a user types it: out/...
    page = open_page(f"/search?folder={quote(shown)}")
    page.get_by_text("Search tiny").wait_for()
    assert page.get_by_text("4 of 4 candidates done; finished.").is_visible()
    page.get_by_text("Harm prevented against cost", exact=True).wait_for()
    figures_drawn(page, 2)  # the Pareto figure and the stress test's
    assert page.get_by_label("search folder", exact=True).input_value() == shown

    first, *boxes = results.prim_sentences()
    for sentence in [first, *boxes]:
        assert page.get_by_text(sentence, exact=False).first.is_visible()

    before = image_sources(page)
    other = next(t for t in results.pareto_trials() if t not in results.chosen())
    page.get_by_label("mix", exact=True).click(force=True)  # Vuetify covers the input
    page.get_by_role("option").filter(has_text=f"mix {other}:").click()
    page.wait_for_function(
        "before => [...document.querySelectorAll('img')].some(i => !before.includes(i.src))",
        arg=before, timeout=60_000)
    page.get_by_text(f"Download mix {other} as CSV").wait_for()
    figures_drawn(page, 2)
    page.set_viewport_size({"width": 1400, "height": 1500})  # the figure and the mix whole
    page.get_by_text("Search tiny").scroll_into_view_if_needed()
    screenshot(page, "search")
    page.set_viewport_size({"width": 1400, "height": 900})

    page.get_by_text("The numbers behind this figure").first.click()
    page.get_by_text("Download tiny_candidates.csv").wait_for()

    with page.expect_download() as download:
        page.get_by_text("Open the decision brief (report.html)").click()
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "report.html"
    assert saved.read_bytes() == (search_folder / "brief" / "report.html").read_bytes()


def test_search_names_a_folder_outside_out_beside_the_field(open_page, search_folder):
    page = open_page("/search?folder=" + quote("/etc"))
    page.get_by_text("outside out/").first.wait_for()
    assert page.locator("img.solara-image").count() == 0
    assert "Traceback" not in page.inner_text("body")
    page.get_by_text("Browse the search folders under out/").click()
    page.get_by_role("button", name=f"{search_folder.parent.name}/").click()
    page.get_by_role("button", name="tiny (search: open)").click()
    figures_drawn(page, 2)
    assert page.get_by_label("search folder", exact=True).input_value() == \
        f"out/{search_folder.parent.name}/tiny"
