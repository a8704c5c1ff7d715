"""The dashboard's state and figures work without Solara, as their folders promise.

Only ``sim/dashboard/pages/`` and ``sim/dashboard/app.py`` may import Solara: the
state (sessions, Compare jobs, sweep tables) and the figures are plain Python, so
they can be tested and reused (``sim.bench.dashboard_step`` times a frame with them)
without a browser. Checked in a fresh interpreter, since this test session has
Solara loaded already.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules_in(folder: str) -> list[str]:
    """Dotted names of the modules in ``sim/dashboard/<folder>/``."""
    return [f"sim.dashboard.{folder}.{p.stem}"
            for p in sorted((ROOT / "sim" / "dashboard" / folder).glob("*.py"))
            if p.stem != "__init__"]


def test_state_and_figures_import_without_solara():
    names = modules_in("state") + modules_in("figures")
    assert "sim.dashboard.state.explore_session" in names
    assert "sim.dashboard.figures.sweeps" in names
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'solara'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stdout


def test_every_page_module_is_under_pages():
    """A module that imports Solara lives in pages/ (or is the app itself)."""
    solara_users = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "sim" / "dashboard").rglob("*.py")
        if "import solara" in p.read_text())
    assert solara_users
    assert all(p.startswith("sim/dashboard/pages/") or p == "sim/dashboard/app.py"
               for p in solara_users), solara_users
