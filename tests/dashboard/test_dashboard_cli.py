"""``crimesim dashboard``: argument checks and the server command (not started here)."""

from __future__ import annotations

import os
import socket

import pytest
from cli_support import assert_usage_error, crimesim

from sim.cli import dashboard

#: The real kernel warm-up; the tests below that do not test it skip it.
PREPARE_KERNELS = dashboard.prepare_kernels


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    """Start-up without the kernel warm-up child (tested on its own below)."""
    monkeypatch.setattr(dashboard, "prepare_kernels", lambda env: None)


def test_bad_port_is_one_line_exit_2(capsys):
    code, _, err = crimesim(capsys, "dashboard", "--port", "99999")
    assert_usage_error(code, err, "--port", "1 to 65535")
    code, _, err = crimesim(capsys, "dashboard", "--port", "http")
    assert_usage_error(code, err, "--port", "whole number")


def test_port_in_use_is_one_line_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = crimesim(capsys, "dashboard", "--port", str(port))
    assert_usage_error(code, err, f"--port {port}", "already in use")


def test_a_bad_compare_keep_count_is_one_line_exit_2(monkeypatch, capsys):
    monkeypatch.setenv("CRIMESIM_COMPARE_KEEP", "lots")
    monkeypatch.setattr(dashboard, "run_server", lambda cmd, env: 0)  # never serves
    code, _, err = crimesim(capsys, "dashboard", "--port", str(_free_port()))
    assert_usage_error(code, err, "CRIMESIM_COMPARE_KEEP", "positive whole number")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serves_the_app_on_localhost_by_default(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(dashboard, "run_server", lambda cmd, env: calls.append(cmd) or 0)
    port = str(_free_port())
    code, out, _ = crimesim(capsys, "dashboard", "--port", port)
    assert code == 0 and f"http://127.0.0.1:{port}/" in out
    (cmd,) = calls
    assert cmd[3:6] == ["-m", "solara", "run"] and dashboard.APP in cmd
    assert cmd[1:3] == ["-W", dashboard.COOKIE_WARNING_FILTER]  # no warning per page load
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == port
    assert "--no-check-version" in cmd  # offline: no request to PyPI
    assert "this machine only" in out and "warning" not in out


def test_listening_wider_says_so(monkeypatch, capsys):
    monkeypatch.setattr(dashboard, "run_server", lambda cmd, env: 0)
    code, out, _ = crimesim(capsys, "dashboard", "--host", "0.0.0.0", "--port",
                            str(_free_port()))
    assert code == 0
    assert "warning: listening on 0.0.0.0, not only on this machine" in out
    assert dashboard.is_loopback("127.0.0.1") and dashboard.is_loopback("::1")
    assert dashboard.is_loopback("localhost") and not dashboard.is_loopback("192.168.1.4")


def test_app_module_has_a_route_per_page():
    from sim.dashboard import app

    assert [route.label for route in app.routes] == [
        "Explore", "Your city", "Compare", "Sweeps", "Search", "Learn", "Docs", "About"]


def test_stopping_the_command_stops_the_server(tmp_path):
    """SIGTERM to `crimesim dashboard` must not leave the server holding the port."""
    import signal
    import subprocess
    import sys
    import time

    marker = tmp_path / "child.pid"
    child = (f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); "
             "time.sleep(60)")
    code = (f"import sys; sys.argv = ['x']; from sim.cli import dashboard; "
            f"sys.exit(dashboard.run_server([sys.executable, '-c', {child!r}], {{}}))")
    proc = subprocess.Popen([sys.executable, "-c", code])
    for _ in range(200):
        if marker.exists() and marker.read_text():
            break
        time.sleep(0.05)
    pid = int(marker.read_text())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the server process outlived the command")


def test_kernels_are_loaded_before_the_server_starts(monkeypatch, capsys):
    """The first visitor's first step must not compile the kernels inside the server."""
    monkeypatch.setattr(dashboard, "prepare_kernels", PREPARE_KERNELS)
    printed_before_serving = []
    monkeypatch.setattr(dashboard, "run_server", lambda cmd, env: printed_before_serving.append(
        capsys.readouterr().out) or 0)
    code, out, _ = crimesim(capsys, "dashboard", "--port", str(_free_port()))
    assert code == 0
    (before,) = printed_before_serving
    assert "loading the model's kernels" in before
    seconds = float(before.split("kernels ready in ")[1].split(" s")[0])
    assert seconds > 0


def test_a_failed_warm_up_warns_and_still_serves(monkeypatch, capsys):
    monkeypatch.setattr(dashboard, "prepare_kernels", PREPARE_KERNELS)
    monkeypatch.setattr(dashboard, "WARM_UP_CODE", "raise SystemExit('no compiler here')")
    served = []
    monkeypatch.setattr(dashboard, "run_server", lambda cmd, env: served.append(cmd) or 0)
    code, out, _ = crimesim(capsys, "dashboard", "--port", str(_free_port()))
    assert code == 0 and len(served) == 1
    assert "warning: the kernels could not be loaded in advance (no compiler here)" in out
    assert "kernels ready" not in out
