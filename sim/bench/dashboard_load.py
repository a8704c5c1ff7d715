"""Many users at once: N browser sessions on one dashboard server, each stepping days.

``python -m sim.bench.dashboard_load --sessions 20 --days 3`` (or ``crimesim bench
--dashboard-load --sessions 20 --days 3``) starts ``crimesim dashboard`` on a free
loopback port, opens N pages in one headless Chromium (one browser context each, so
each is its own session), waits until every page shows Explore and has stepped a
first day (untimed: it includes the server's first compile), and then has all of
them click "Step 1 day" ``--days`` times at once. A step's latency is from the click
to the page's status line showing the next day *and* the map having painted that
day (its ``data-drawn`` title), i.e. what the user waits for; the page is watched
with a MutationObserver, not polled, so watching adds no work to the pages. It prints the
median, 90th percentile and maximum, and the CPU time per step of the server and of
the Chromium pages (both on the same cores: which half a step's wait goes to), and
writes them, with every latency, to ``--json`` (default ``out/dashboard_load.json``).
The server is stopped at the end whatever happens, so the command always ends by
itself.

A workshop is the case this measures (issue 16: 20 sessions on a 2-core machine,
day-step p90 under 1.5 s). It needs Playwright and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sim.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
#: Seconds a page may take to show Explore, and a step to show its day.
PAGE_TIMEOUT_S = 240.0
STEP_TIMEOUT_S = 120.0
#: What plays a participant: a Chromium page, or a browserless widget-protocol client.
CLIENTS: tuple[str, ...] = ("browser", "widgets")
#: The JavaScript test that the map shows ``day N, 00:00`` (its title is the day).
MAP_SHOWS_DAY = """day => {
    const el = document.querySelector('.explore-map');
    const chart = el && el.__chart;
    if (!chart) return false;
    const title = chart.getOption().title;
    return !!title && title[0].text.includes(`day ${day}, 00:00`);
}"""
#: JavaScript: a promise that resolves once the status line shows ``day N, 00:00``
#: and the map has painted that day (its ``data-drawn`` title). A MutationObserver
#: wakes it on each change of the page, so waiting costs the page nothing between
#: changes -- unlike polling every animation frame, which in twenty pages at once
#: took CPU from the very steps being timed.
SHOWS_DAY = """day => new Promise((resolve) => {
    const want = `day ${day}, 00:00`;
    const shown = () => {
        const map = document.querySelector('.explore-map');
        const status = document.querySelector('.explore-status');
        return !!map && (map.dataset.drawn || '').includes(want)
            && !!status && status.textContent.includes(want);
    };
    if (shown()) return resolve(true);
    const watch = new MutationObserver(() => {
        if (shown()) { watch.disconnect(); resolve(true); }
    });
    watch.observe(document.body, {subtree: true, childList: true, characterData: true,
                                  attributes: true, attributeFilter: ['data-drawn']});
})"""


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    """``crimesim dashboard`` on ``127.0.0.1:port``; returns once it answers."""
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim.cli.main", "dashboard",
                                 "--port", str(port)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited with status {proc.returncode}; "
                               f"see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"the dashboard did not answer within 120 s; see {log}")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid: int) -> set[int]:
    """``pid`` and every process under it, from /proc's parent links."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None:
            parents[int(entry.name)] = int(fields[1])
    family, changed = {pid}, True
    while changed:
        grown = family | {child for child, parent in parents.items() if parent in family}
        changed, family = grown != family, grown
    return family


def _used(pids: set[int]) -> float:
    """CPU seconds (user + system) the processes ``pids`` have used so far."""
    total = 0.0
    for member in pids:
        fields = _stat(member)
        if fields is not None:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process and its descendants have used so far.

    ``crimesim dashboard`` runs the server as a child process, hence the
    descendants. Read for the server only: with the browser pages on the same
    machine, it tells the server's share of a step from the browsers' drawing.
    None where /proc is missing (not Linux).
    """
    if _stat(pid) is None:
        return None
    return _used(_descendants(pid))


def _is_browser(pid: int) -> bool:
    """Whether ``pid`` is a Chromium process (browser, renderer, GPU or utility)."""
    try:
        return "chrom" in Path(f"/proc/{pid}/comm").read_text().lower()
    except OSError:
        return False


def browser_cpu_seconds() -> float | None:
    """CPU time the Chromium processes this process started have used so far.

    The other half of a step's cost: each page parses its frame and ECharts draws
    it. Renderers that exited before the reading are not counted (none exit during
    the timed steps). None where /proc is missing.
    """
    if _stat(os.getpid()) is None:
        return None
    return _used({p for p in _descendants(os.getpid()) if _is_browser(p)})


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a dashboard server process (terminate, then kill after 15 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _open(browser: Any, url: str) -> Any:
    """A new context and page on Explore, waiting until its map is drawn."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
    await page.goto(url + "/")
    await page.wait_for_function(MAP_SHOWS_DAY, arg=0, polling=250,
                                 timeout=PAGE_TIMEOUT_S * 1000)
    return page


async def _step(page: Any, day: int) -> float:
    """Click "Step 1 day"; seconds until the page shows ``day`` (status and map)."""
    t0 = time.perf_counter()
    await page.get_by_role("button", name="Step 1 day").click()
    await asyncio.wait_for(page.evaluate(SHOWS_DAY, day), STEP_TIMEOUT_S)
    return time.perf_counter() - t0


async def _steps(page: Any, days: int, start: asyncio.Event) -> list[float]:
    """Step ``days`` days once ``start`` is set; each step's latency in seconds."""
    await start.wait()
    return [await _step(page, day) for day in range(2, days + 2)]


def _difference(before: float | None, after: float | None) -> float | None:
    """``after - before``, or None when either reading is missing."""
    return after - before if before is not None and after is not None else None


async def measure(url: str, sessions: int, days: int, server_pid: int | None = None
                  ) -> tuple[list[list[float]], dict[str, float | None]]:
    """Step latencies while all sessions step at once, and the CPU time they cost.

    Returns:
        Each session's latencies (seconds), and the CPU seconds used over the timed
        steps by the server (``"server"``) and by the Chromium pages
        (``"browsers"``); a value is None without /proc (or a server pid).
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            pages = [await _open(browser, url) for _ in range(sessions)]
            for page in pages:  # a first day, untimed: the server's first compile
                await _step(page, 1)
            start = asyncio.Event()
            tasks = [asyncio.create_task(_steps(page, days, start)) for page in pages]
            cpu_before = cpu_seconds(server_pid) if server_pid else None
            browser_before = browser_cpu_seconds()
            start.set()
            latencies = list(await asyncio.gather(*tasks))
            cpu_after = cpu_seconds(server_pid) if server_pid else None
            browser_after = browser_cpu_seconds()
            return latencies, {"server": _difference(cpu_before, cpu_after),
                               "browsers": _difference(browser_before, browser_after)}
        finally:
            await browser.close()


async def _widget_session(url: str) -> tuple[Any, str, str]:
    """A browserless session on Explore: the client, its step button and its frame."""
    from sim.bench.widget_client import WidgetClient

    client = WidgetClient(url)
    await client.open("/")
    frames = client.find(lambda state: "frame_json" in state)
    if len(frames) != 1:
        raise RuntimeError(f"expected Explore's one live frame, found {len(frames)}")
    return client, client.button("Step 1 day"), frames[0]


async def _widget_step(session: tuple[Any, str, str], day: int) -> float:
    """Click "Step 1 day"; seconds until the frame showing ``day`` arrives."""
    client, button, frame = session
    want = f"day {day}, 00:00"

    def is_frame(msg: dict[str, Any]) -> bool:
        content = msg.get("content", {})
        state = (content.get("data") or {}).get("state") or {}
        return content.get("comm_id") == frame and want in (state.get("frame_json") or "")

    t0 = time.perf_counter()
    await client.click(button)
    await client.wait_for(is_frame, STEP_TIMEOUT_S)
    return time.perf_counter() - t0


async def measure_widgets(url: str, sessions: int, days: int, server_pid: int | None = None
                          ) -> tuple[list[list[float]], dict[str, float | None]]:
    """As :func:`measure`, with browserless sessions (:mod:`sim.bench.widget_client`).

    A step's latency ends when the message carrying the new frame arrives: what the
    server owes a participant whose own computer then draws it (about the one-page
    browser figure of :func:`measure`).
    """
    opened = [await _widget_session(url) for _ in range(sessions)]
    try:
        for session in opened:  # a first day, untimed: the server's first compile
            await _widget_step(session, 1)
        start = asyncio.Event()

        async def steps(session: tuple[Any, str, str]) -> list[float]:
            await start.wait()
            return [await _widget_step(session, day) for day in range(2, days + 2)]

        tasks = [asyncio.create_task(steps(session)) for session in opened]
        cpu_before = cpu_seconds(server_pid) if server_pid else None
        start.set()
        latencies = list(await asyncio.gather(*tasks))
        cpu_after = cpu_seconds(server_pid) if server_pid else None
        return latencies, {"server": _difference(cpu_before, cpu_after), "browsers": None}
    finally:
        for client, _button, _frame in opened:
            await client.close()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile by linear interpolation (numpy's default method)."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(latencies: list[list[float]]) -> dict[str, float]:
    """Median, 90th percentile and maximum of every step of every session, seconds."""
    flat = [t for session in latencies for t in session]
    return {"steps": len(flat), "median_s": statistics.median(flat),
            "p90_s": percentile(flat, 0.9), "max_s": max(flat)}


def load_bench(sessions: int, days: int, json_path: Path, clients: str = "browser"
               ) -> dict[str, Any]:
    """Run the whole measurement (server, clients, steps) and write ``json_path``.

    Args:
        sessions: Sessions stepping at once.
        days: Timed day steps per session.
        json_path: Where the figures go.
        clients: ``"browser"`` (a Chromium page per session, on this machine) or
            ``"widgets"`` (browserless sessions: the server's share alone).
    """
    if clients == "browser":
        if shutil.which("chromium") is None:
            raise UsageError("dashboard load test: Chromium not found (apt-get install "
                             "chromium), or use --clients widgets")
        try:
            import playwright.async_api  # noqa: F401
        except ImportError as exc:
            raise UsageError("dashboard load test: the Python package playwright is "
                             "missing (pip install -e '.[dev]')") from exc
    run_clients = measure if clients == "browser" else measure_widgets
    with tempfile.TemporaryDirectory(prefix="crimesim-load-") as folder:
        port = free_port()
        server = start_server(port, Path(folder) / "server.log")
        try:
            latencies, cpu = asyncio.run(run_clients(f"http://127.0.0.1:{port}", sessions,
                                                     days, server.pid))
        except TimeoutError:
            raise UsageError(f"dashboard load test: a step did not reach its page within "
                             f"{STEP_TIMEOUT_S:.0f} s (see the server's log above)") from None
        finally:
            stop_server(server)
    steps = sessions * days
    per_step = {f"{who}_cpu_s_per_step": used / steps if used is not None else None
                for who, used in (("server", cpu["server"]), ("browser", cpu["browsers"]))}
    result: dict[str, Any] = {"sessions": sessions, "days": days, "clients": clients,
                              **summarise(latencies),
                              **per_step, "latencies_s": latencies}
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=1) + "\n")
    return result


def report(result: dict[str, Any]) -> str:
    """The result in one line."""
    who = ("browserless sessions (the server's share)" if result.get("clients") == "widgets"
           else "sessions in Chromium on this machine")
    line = (f"{result['sessions']} {who} x {result['days']} day steps: median "
            f"{result['median_s']:.2f} s, p90 {result['p90_s']:.2f} s, max "
            f"{result['max_s']:.2f} s per step (click to the day "
            f"{'received' if result.get('clients') == 'widgets' else 'on screen'})")
    cpu = result.get("server_cpu_s_per_step")
    if cpu is not None:
        line += f"; the server's CPU {cpu * 1000:.0f} ms per step"
    browsers = result.get("browser_cpu_s_per_step")
    if browsers is not None:
        line += f", the browsers' {browsers * 1000:.0f} ms"
    return line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of the load test (shared with ``crimesim bench --dashboard-load``)."""
    parser.add_argument("--sessions", type=int, default=8,
                        help="browser sessions stepping at once (default 8)")
    parser.add_argument("--days", type=int, default=3,
                        help="day steps per session (default 3)")
    parser.add_argument("--clients", choices=CLIENTS, default="browser",
                        help="browser: a headless Chromium page per session on this "
                             "machine (click to the day painted); widgets: browserless "
                             "sessions speaking the widget protocol (click to the frame "
                             "received: the server's share, as when each participant's "
                             "own computer draws)")


def run(sessions: int, days: int, json_path: str | Path, clients: str = "browser") -> int:
    """Check the numbers, measure, print the summary; the exit status."""
    if sessions < 1:
        raise UsageError(f"--sessions: expected a positive integer, got {sessions}")
    if days < 1:
        raise UsageError(f"--days: expected a positive integer, got {days}")
    if clients not in CLIENTS:
        raise UsageError(f"--clients: expected one of {', '.join(CLIENTS)}, got {clients!r}")
    result = load_bench(sessions, days, Path(json_path), clients)
    print(report(result))
    print(f"wrote {json_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.bench.dashboard_load``: one line of figures, and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--json", default="out/dashboard_load.json",
                        help="where to write the figures")
    args = parser.parse_args(argv)
    try:
        return run(args.sessions, args.days, args.json, args.clients)
    except UsageError as exc:
        print(f"crimesim: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
