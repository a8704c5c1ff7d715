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


#: The Explore figures, in page order: the map, then the daily series (the "where crime
#: happens" panel's images below them carry their own classes and are not counted).
FIGURES = "img.solara-image:not(.where-settings):not(.where-awareness)"
#: The "where crime happens" panel's settings-by-type figure.
SETTINGS_FIGURE = "img.solara-image.where-settings"


def figure_pixels(page) -> list[str]:
    """What each Explore figure shows, as drawn in the browser (a data URL per image).

    Reading the pixels back through a canvas, not the ``src``, proves the browser drew
    a new picture, not only that it was handed a new address. Waits until both
    figures have loaded.
    """
    page.wait_for_function(
        """selector => {
            const imgs = [...document.querySelectorAll(selector)];
            return imgs.length === 2 && imgs.every(i => i.complete && i.naturalWidth > 0);
        }""", arg=FIGURES, timeout=60_000)
    return page.eval_on_selector_all(FIGURES, """imgs => imgs.map(img => {
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        canvas.getContext('2d').drawImage(img, 0, 0);
        return canvas.toDataURL();
    })""")


def figures_changed(page, before: list[str], timeout_s: float = 60) -> list[bool]:
    """Whether each figure differs from ``before``, waiting up to ``timeout_s`` for both."""
    deadline = time.monotonic() + timeout_s
    while True:
        changed = [now != old for now, old in zip(figure_pixels(page), before, strict=True)]
        if all(changed) or time.monotonic() > deadline:
            return changed
        page.wait_for_timeout(200)


def wait_for_status(page, pattern: str):
    """Wait until Explore's status line matches ``pattern``; return its locator."""
    status = page.get_by_text(re.compile(pattern))
    status.wait_for(timeout=120_000)
    return status
