"""``crimesim dashboard``: serve the Solara app on this machine.

The app is served by Solara's own server (``solara run sim.dashboard.app``) in a child
process, so the CLI never imports Solara and other subcommands stay fast. It binds
127.0.0.1 unless told otherwise: the dashboard runs models on the host and should not
be reachable from the network by accident. A port that is out of range or already in
use is reported as one line with exit status 2 before Solara starts, rather than as
Solara's traceback.

Before serving, the model's numba kernels are loaded once in a child process, which
compiles them into numba's on-disk cache the first time after installing (about a
minute on 2 cores; a few seconds once cached). Without this, the first "Step 1 day"
of the first visitor would compile them inside the server, silently, for that minute.

Solara sets its session cookie with ``SameSite=None; Secure`` when it can, so the app
works inside an iframe; on plain http at an address other than ``localhost`` (the
default 127.0.0.1) it falls back to ``SameSite=Lax`` and warns on every page load,
filling the log. ``Lax`` is the right cookie for this dashboard, which is opened in
its own tab, never embedded, so the server runs with that one warning filtered out.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
from typing import Any

from sim.cli.arguments import whole_number

#: The module Solara serves.
APP = "sim.dashboard.app"
#: The child that loads (the first time: compiles and caches) every kernel a run calls,
#: and prints the seconds it took.
WARM_UP_CODE = "from sim.analysis.sweep.run import warm_up; print(f'{warm_up():.1f}')"
#: Python's -W filter for Solara's per-page-load "Cookies with samesite=none" warning.
COOKIE_WARNING_FILTER = "ignore:Cookies with samesite=none require https:UserWarning"


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    value = whole_number(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value}")
    return value


def add_parser(sub: Any) -> None:
    """Register ``dashboard`` on the subcommand parser."""
    p = sub.add_parser("dashboard", help="serve the dashboard in the browser (offline)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=port_number, default=8765, help="port (default 8765)")
    p.add_argument("--open", action="store_true", help="open a browser tab")
    p.set_defaults(func=dashboard_command)


def check_port(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served, or None if it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"--host {host!r}: unknown address ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"--port {port}: already in use on {host}; choose another with --port"
            return f"--host {host} --port {port}: cannot listen there ({exc.strerror})"
    return None


def server_command(host: str, port: int, open_browser: bool = False) -> list[str]:
    """The ``solara run`` command line that serves the app."""
    return [sys.executable, "-W", COOKIE_WARNING_FILTER,
            "-m", "solara", "run", APP, "--host", host, "--port", str(port),
            "--production", "--no-check-version",  # offline: never ask PyPI for updates
            "--open" if open_browser else "--no-open"]


def dashboard_command(args: argparse.Namespace) -> int:
    """Check the address, then run Solara's server until it stops (Ctrl-C)."""
    from sim.dashboard.state.compare_store import StoredRunError, keep_count
    from sim.errors import UsageError

    problem = check_port(args.host, args.port)
    if problem:
        raise UsageError(problem)
    try:  # read by every save of a comparison: a bad value is refused before serving
        keep_count()
    except StoredRunError as exc:
        raise UsageError(str(exc)) from None
    print(f"crimesim dashboard: http://{args.host}:{args.port}/  (Ctrl-C stops it)",
          flush=True)
    if is_loopback(args.host):
        print("listening on this machine only (127.0.0.1); --host opens it to others",
              flush=True)
    else:
        print(f"warning: listening on {args.host}, not only on this machine: anyone who can "
              "reach this address can run models here", flush=True)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    try:
        prepare_kernels(env)
    except KeyboardInterrupt:
        return 0
    return run_server(server_command(args.host, args.port, args.open), env)


def prepare_kernels(env: dict[str, str]) -> float | None:
    """Load the model's kernels into numba's on-disk cache before the server starts.

    The kernels are compiled once per installation and cached on disk; every process
    after that loads them in a few seconds. Doing it here, in a child process, means
    the served app only ever loads them, and the user is told why start-up waits.

    Returns:
        The seconds the child took, or None if it failed (the app still works: its
        first step then compiles the kernels itself, which is said on the console).
    """
    print("loading the model's kernels (the first start after installing compiles them: "
          "about a minute) ...", flush=True)
    done = subprocess.run([sys.executable, "-c", WARM_UP_CODE], env=env,
                          capture_output=True, text=True)
    try:
        seconds = float(done.stdout.split()[-1]) if done.returncode == 0 else None
    except (IndexError, ValueError):
        seconds = None
    if seconds is None:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"warning: the kernels could not be loaded in advance ({last}); the first "
              "step in the app will compile them", flush=True)
        return None
    print(f"kernels ready in {seconds:.1f} s", flush=True)
    return seconds


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server until it exits; stopping this process stops the server too.

    Ctrl-C reaches both; a SIGTERM (a service manager, ``timeout``) is passed on, so no
    orphaned server keeps holding the port.
    """
    proc = subprocess.Popen(cmd, env=env)
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
