"""The load benchmark's smallest run: 2 browser sessions stepping one day each.

Not a measurement (that is ``crimesim bench --dashboard-load``, docs/dashboard.md):
this checks the tool runs end to end, stops by itself and writes figures that its
own reader (json) reads back consistently.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from sim.bench.dashboard_load import percentile, run


def _missing() -> str | None:
    """Why the load tool cannot run here (as conftest.py's browser fixture says), or None."""
    if shutil.which("chromium") is None:
        return "Chromium not found: install Debian's chromium package to run the browser tests"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing (pip install -e '.[dev]')"
    return None


def test_percentile_interpolates_like_numpy():
    values = [0.4, 0.1, 0.3, 0.2, 1.0]
    # numpy.quantile([...], 0.9) by hand: sorted 0.1 .. 1.0, position 3.6 -> 0.4 + 0.6 * 0.6
    assert percentile(values, 0.9) == pytest.approx(0.76)
    assert percentile(values, 0.5) == pytest.approx(0.3)


def test_two_sessions_step_a_day_and_the_figures_are_written(tmp_path, capsys):
    problem = _missing()
    if problem:
        if os.environ.get("CRIMESIM_REQUIRE_BROWSER") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    out = tmp_path / "load.json"
    assert run(sessions=2, days=1, json_path=out) == 0
    result = json.loads(out.read_text())
    assert result["sessions"] == 2 and result["steps"] == 2
    flat = [t for session in result["latencies_s"] for t in session]
    assert len(flat) == 2 and all(0 < t < 120 for t in flat)
    assert result["max_s"] == max(flat) and result["median_s"] <= result["max_s"]
    # both halves of a step's cost were read: the server's and the Chromium pages'
    assert result["server_cpu_s_per_step"] > 0 and result["browser_cpu_s_per_step"] > 0
    line = capsys.readouterr().out
    assert "2 sessions x 1 day steps: median" in line and "the browsers'" in line
