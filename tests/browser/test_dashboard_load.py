"""The load benchmark's smallest runs: 2 sessions stepping one day each.

Not a measurement (that is ``crimesim bench --dashboard-load``, docs/dashboard.md):
this checks the tool runs end to end, stops by itself and writes figures that its
own reader (json) reads back consistently.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil

import pytest

from sim.bench.dashboard_load import (
    _widget_session,
    _widget_step,
    free_port,
    percentile,
    run,
    start_server,
    stop_server,
)
from sim.bench.widget_client import WidgetClient
from sim.dashboard.pages.explore import DEFAULT_SCENARIO
from sim.dashboard.pages.live_frame import read_frame
from sim.dashboard.state.explore_session import ExploreSession


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
    assert "2 sessions in Chromium on this machine x 1 day steps: median" in line
    assert "the browsers'" in line


def test_two_browserless_sessions_step_a_day_and_the_figures_are_written(tmp_path, capsys):
    out = tmp_path / "load.json"
    assert run(sessions=2, days=1, json_path=out, clients="widgets") == 0
    result = json.loads(out.read_text())
    assert result["clients"] == "widgets" and result["steps"] == 2
    flat = [t for session in result["latencies_s"] for t in session]
    assert len(flat) == 2 and all(0 < t < 120 for t in flat)
    assert result["server_cpu_s_per_step"] > 0 and result["browser_cpu_s_per_step"] is None
    line = capsys.readouterr().out
    assert "2 browserless sessions (the server's share) x 1 day steps" in line
    assert "click to the day received" in line


def test_a_browserless_session_sees_the_same_day_as_the_model_in_process(tmp_path):
    """The widget client reads the frame the server sends: a day of the default city
    with seed 1, as an in-process session of the same scenario and seed reports it."""
    port = free_port()
    server = start_server(port, tmp_path / "server.log")

    async def one_day() -> tuple[str, str]:
        session = await _widget_session(f"http://127.0.0.1:{port}")
        client, _button, frame = session
        try:
            await _widget_step(session, 1)
            return read_frame(client.widgets[frame]["frame_json"])["status"], frame
        finally:
            await client.close()

    try:
        status, _frame = asyncio.run(one_day())
    finally:
        stop_server(server)
    local = ExploreSession(DEFAULT_SCENARIO, None, 1)
    local.step(24)
    expected = f"{local.scenario.name}: {local.read(local.family.status)}"
    assert status == expected


def test_the_widget_client_refuses_a_missing_button():
    client = WidgetClient("http://127.0.0.1:1")
    client.widgets = {"a": {"_model_name": "BtnModel", "children": ["Play"]}}
    with pytest.raises(RuntimeError, match="expected one button 'Step 1 day', found 0"):
        client.button("Step 1 day")
