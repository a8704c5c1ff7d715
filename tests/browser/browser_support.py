"""Helpers for the browser tests that are not fixtures."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Where the README's page screenshots live.
IMAGES = ROOT / "docs" / "images"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot of ``page`` as ``<name>.png``; returns its path.

    With ``CRIMESIM_SCREENSHOTS=1`` it refreshes ``docs/images/`` (the README's
    pictures); otherwise it goes to a temporary folder, so a test run never leaves
    the working tree changed.
    """
    if os.environ.get("CRIMESIM_SCREENSHOTS") == "1":
        folder = IMAGES
    else:
        folder = Path(tempfile.gettempdir()) / "crimesim-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


#: The Explore charts, in page order: the map, then the daily series (ECharts draws each
#: on a canvas in the browser from the option the server sends).
CHARTS: tuple[str, ...] = (".explore-map", ".explore-series")
#: The "where crime happens" panel's settings-by-type figure (a PNG image).
SETTINGS_FIGURE = "img.solara-image.where-settings"
#: JavaScript: the option a chart is drawing (ECharts' own ``getOption()``), or null.
READ_OPTION = """selector => {
    const el = document.querySelector(selector);
    const chart = el && el.__chart;
    return chart ? JSON.parse(JSON.stringify(chart.getOption())) : null;
}"""


def chart_option(page, selector: str) -> dict:
    """The option the chart ``selector`` draws, read back from ECharts in the page."""
    page.wait_for_function(f"({READ_OPTION})({selector!r}) !== null", timeout=60_000)
    return page.evaluate(READ_OPTION, selector)


def figure_pixels(page) -> list[str]:
    """What each Explore chart shows, as drawn in the browser (a data URL per canvas).

    Reading the canvas's pixels, not the option, proves ECharts drew a new picture.
    Waits until both charts exist and have drawn something.
    """
    page.wait_for_function(
        """selectors => selectors.every(s => {
            const canvas = document.querySelector(`${s} canvas`);
            return canvas && canvas.width > 0;
        })""", arg=list(CHARTS), timeout=60_000)
    return [page.eval_on_selector(f"{selector} canvas", "c => c.toDataURL()")
            for selector in CHARTS]


def figures_changed(page, before: list[str], timeout_s: float = 60,
                    expected: tuple[int, ...] = (0, 1)) -> list[bool]:
    """Whether each figure differs from ``before``, waiting up to ``timeout_s`` for the
    ``expected`` ones (by index: 0 the map, 1 the series) to change."""
    deadline = time.monotonic() + timeout_s
    while True:
        changed = [now != old for now, old in zip(figure_pixels(page), before, strict=True)]
        if all(changed[i] for i in expected) or time.monotonic() > deadline:
            return changed
        page.wait_for_timeout(200)


def wait_for_status(page, pattern: str):
    """Wait until Explore's status line matches ``pattern``; return its locator."""
    status = page.get_by_text(re.compile(pattern))
    status.wait_for(timeout=120_000)
    return status
