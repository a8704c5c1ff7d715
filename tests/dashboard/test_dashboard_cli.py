"""``crimesim dashboard``: argument checks and the server command (not started here)."""

from __future__ import annotations

import socket

from cli_support import assert_usage_error, crimesim

from sim.cli import dashboard


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


def test_serves_the_app_on_localhost_by_default(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(dashboard.subprocess, "call", lambda cmd, env: calls.append(cmd) or 0)
    code, out, _ = crimesim(capsys, "dashboard", "--port", "8799")
    assert code == 0 and "http://127.0.0.1:8799/" in out
    (cmd,) = calls
    assert cmd[1:4] == ["-m", "solara", "run"] and dashboard.APP in cmd
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8799"
    assert "--no-check-version" in cmd  # offline: no request to PyPI


def test_app_module_has_the_explore_route():
    from sim.dashboard import app

    assert [route.label for route in app.routes] == ["Explore"]
