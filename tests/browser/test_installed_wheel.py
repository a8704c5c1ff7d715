"""crimesim installed from a built wheel, used from outside the repository.

Issue 16's "for users who install the package": a wheel is built from a copy of the
sources, installed with ``pip --no-index`` into a fresh virtual environment in a
temporary folder (the heavy dependencies come from the environment running the tests,
through a ``.pth`` file, so no network is needed), and the installed ``crimesim`` then
lists its scenarios, copies them, runs a short comparison by name and serves the
dashboard's first page to Chromium. Every command runs in a folder outside the
repository with no ``PYTHONPATH``, and the first test checks that the ``sim`` imported
is the wheel's.

The first comparison in a fresh installation compiles the numba kernels (about 35 s
on 2 cores); the dashboard test comes after it and finds them cached.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from cli_support import crimesim
from repo_paths import ROOT, SCENARIOS, small_set_args

from sim.bench.dashboard_load import stop_server
from sim.cli.dashboard import check_port

#: What a wheel is built from (setup.py copies scenarios/ and docs/ into the package).
SOURCES = ("sim", "scenarios", "docs", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md")
#: The comparison the installed package runs, and the clone runs again to check it.
COMPARISON = ("compare", "baseline", "street_lighting", "--days", "40", "--reps", "2",
              "--workers", "1", "--quiet", *small_set_args())


@dataclass(frozen=True)
class Installed:
    """A virtual environment holding the wheel, and a work folder outside the repository."""

    venv: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run one of the venv's programs (``crimesim``, ``python``) in the work folder."""
        program, *rest = (str(a) for a in args)
        return subprocess.run([str(self.venv / "bin" / program), *rest], cwd=self.work,
                              env=self.env, capture_output=True, text=True, timeout=timeout)


def copy_sources(target: Path) -> None:
    """The files a wheel is built from, without caches (numba's, Python's)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def link_data_files(prefix: Path, venv: Path) -> None:
    """Link the dependencies' files outside site-packages into ``venv``.

    Installing the dependencies would put them there: Jupyter's widget configuration
    (``etc/jupyter``, which Solara's server reads) and Solara's offline assets
    (``share/solara/cdn``).
    """
    for folder in ("etc", "share"):
        if not (prefix / folder).is_dir():
            continue
        (venv / folder).mkdir(exist_ok=True)
        for entry in (prefix / folder).iterdir():
            if not (venv / folder / entry.name).exists():
                (venv / folder / entry.name).symlink_to(entry)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """One wheel, built and installed once for the tests of this file."""
    base = tmp_path_factory.mktemp("wheel")
    source, dist, venv, work = (base / name for name in ("src", "dist", "venv", "work"))
    copy_sources(source)
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(dist), str(source)], check=True, timeout=300)
    wheel, = dist.glob("crimesim-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=300, cwd=work, env=env)
    packages, = venv.glob("lib/python3*/site-packages")
    # Then the dependencies, from the environment running the tests. Its own crimesim
    # (an editable install's finder) is not loaded: the .pth files of a folder that a
    # .pth file lists are not read.
    (packages / "test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    link_data_files(Path(sys.prefix), venv)
    return Installed(venv, work, env | {"MPLBACKEND": "Agg"})


def test_the_wheels_sim_is_the_one_imported(installed: Installed) -> None:
    done = installed.run("python", "-c", "import sim; print(sim.__file__)")
    assert done.returncode == 0, done.stderr
    imported = Path(done.stdout.strip())
    assert imported.is_relative_to(installed.venv), imported
    assert not imported.is_relative_to(ROOT)


def test_the_docs_tab_of_the_wheel_has_the_documentation(installed: Installed) -> None:
    done = installed.run("python", "-c", "from sim.dashboard.pages.docs import DOCS_DIR, "
                         "doc_pages, rendered_text; print(DOCS_DIR); print(len(doc_pages()));"
                         " print(len(rendered_text('ODD.md')))")
    assert done.returncode == 0, done.stderr
    folder, pages, odd_chars = done.stdout.split()
    assert Path(folder).is_relative_to(installed.venv)  # the wheel's copy, not a clone's
    assert int(pages) == len(list((ROOT / "docs").rglob("*.md")))
    assert int(odd_chars) > 10_000


def test_scenarios_and_init_from_the_wheel(installed: Installed) -> None:
    done = installed.run("crimesim", "scenarios")
    assert done.returncode == 0, done.stderr
    assert str(installed.venv) in done.stdout.splitlines()[0]  # the wheel's copy
    for path in [*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("lessons/*.toml")]:
        name = path.relative_to(SCENARIOS).with_suffix("").as_posix()
        description = tomllib.loads(path.read_text(encoding="utf-8"))["description"]
        assert f"  {name} " in done.stdout and description in done.stdout, name
    done = installed.run("crimesim", "init", "mine")
    assert done.returncode == 0, done.stderr
    copied = {p.relative_to(installed.work / "mine") for p in (installed.work / "mine").rglob("*")}
    assert copied == {p.relative_to(SCENARIOS) for p in SCENARIOS.rglob("*")
                      if "__pycache__" not in p.parts}
    done = installed.run("crimesim", "validate", "mine/lessons/displacement.toml",
                         "mine/small_town_map.toml", "--schema-only")
    assert done.returncode == 0, done.stderr


def test_a_comparison_by_name_gives_the_clones_figures(
        installed: Installed, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    done = installed.run("crimesim", *COMPARISON, "--out", "compare", timeout=600)
    assert done.returncode == 0, done.stderr
    wheel_rows = pd.read_csv(installed.work / "compare" / "comparison.csv")
    assert set(wheel_rows["scenario"]) == {"street_lighting"}
    # The same comparison from the clone, in this process: the same seeds, the same rows.
    code, _, err = crimesim(capsys, *COMPARISON, "--out", tmp_path / "clone")
    assert code == 0, err
    pd.testing.assert_frame_equal(wheel_rows, pd.read_csv(tmp_path / "clone" / "comparison.csv"))


def free_port() -> int:
    """A port nothing listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def installed_dashboard(installed: Installed) -> Iterator[str]:
    """``crimesim dashboard`` of the installed package, on a free port; its URL."""
    port = free_port()
    assert check_port("127.0.0.1", port) is None
    log = (installed.work / "dashboard.log").open("w")
    server = subprocess.Popen([str(installed.venv / "bin" / "crimesim"), "dashboard",
                               "--port", str(port)], cwd=installed.work, env=installed.env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)
        log.close()


def get_status(url: str, deadline_s: float = 90) -> int:
    """The status of ``GET url`` once the server answers (0 if it never does)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.status
        except OSError:
            time.sleep(0.5)
    return 0


def test_the_dashboard_of_the_wheel_shows_its_first_page(
        installed: Installed, installed_dashboard: str, chromium) -> None:
    assert get_status(installed_dashboard + "/") == 200, (
        installed.work / "dashboard.log").read_text()
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(installed_dashboard + "/")
        page.get_by_text("crimesim: urban crime prevention").first.wait_for()
        page.get_by_text("baseline", exact=False).first.wait_for()  # the shipped scenario
    finally:
        context.close()
    log = (installed.work / "dashboard.log").read_text()
    assert "Traceback" not in log, log
