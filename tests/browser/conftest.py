"""Browser tests: the real ``crimesim dashboard`` server driven by Playwright.

Playwright drives Debian's Chromium (``apt-get install -y chromium``), never a browser
of its own. Without Chromium (or Playwright) the tests are skipped with a message,
unless ``CRIMESIM_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.bench.dashboard_load import stop_server

ROOT = Path(__file__).resolve().parents[2]
NO_BROWSER = "Chromium not found: install Debian's chromium package to run the browser tests"
VIEWPORT = {"width": 1400, "height": 900}
#: Each served dashboard's log (stdout and stderr), by base URL.
SERVER_LOGS: dict[str, Path] = {}


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if shutil.which("chromium") is None:
        return NO_BROWSER
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return NO_BROWSER + " (and the Python package playwright: pip install -e '.[dev]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium under Playwright, headless (skip, or fail in CI, without it)."""
    problem = _missing()
    if problem:
        if os.environ.get("CRIMESIM_REQUIRE_BROWSER") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(chromium: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by ``crimesim dashboard`` on a free port; its base URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
    store = log_path.parent / "compare-runs"  # finished comparisons, not in the repo's out/
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli.main", "dashboard", "--port", str(port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "CRIMESIM_COMPARE_STORE": str(store)})
        try:
            _wait_until_served(proc, url, log_path)
            SERVER_LOGS[url] = log_path
            yield url
        finally:
            stop_server(proc)


@pytest.fixture(scope="module")
def server_log(server: str) -> Path:
    """The file the module's dashboard server writes its stdout and stderr to."""
    return SERVER_LOGS[server]


def _wait_until_served(proc: subprocess.Popen, url: str, log_path: Path) -> None:
    """Return once ``url`` answers 200; fail if the server exits or takes over 600 s.

    ``crimesim dashboard`` loads the kernels before it serves: a few seconds once they
    are cached, but on a clean clone the browser tests run first and the first server
    compiles them (about a minute on a quiet 2-core machine, more under load).
    """
    deadline = time.monotonic() + 600
    while True:
        if proc.poll() is not None:
            pytest.fail(f"crimesim dashboard exited with status {proc.returncode}:\n"
                        + log_path.read_text())
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail("crimesim dashboard did not answer within 600 s:\n"
                        + log_path.read_text())
        time.sleep(0.5)


@pytest.fixture
def open_page(chromium, server):
    """A function opening ``path`` of the dashboard in a fresh browser page."""
    contexts = []

    def open_(path: str):
        context = chromium.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(server + path)
        return page

    yield open_
    for context in contexts:
        context.close()
