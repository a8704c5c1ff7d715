"""Helpers for the browser tests that are not fixtures."""

from __future__ import annotations

import os
import tempfile
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
