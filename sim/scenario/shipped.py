"""The scenarios that come with crimesim, found the same way in a clone and in a wheel.

The repository's top-level ``scenarios/`` folder is the one source of truth. A built
wheel carries a copy of it as package data, ``sim/scenario/package_data/scenarios``
(setup.py copies it at build time); a clone or an editable install has no such copy
and reads the repository's folder directly, so an edited scenario is seen at once.
:func:`shipped_dir` is the one answer to "where are the shipped scenarios" for the
command line, the dashboard and the city importer.

A shipped scenario is named by its path under that folder without ``.toml``:
``baseline``, ``street_lighting``, ``lessons/displacement``. :func:`resolve_scenario`
turns what a user typed into a file: an existing file wins, then a shipped name, and
otherwise one line lists the closest names.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sim.errors import ScenarioError, UsageError

#: The copy inside an installed wheel.
PACKAGED_DIR = Path(__file__).resolve().parent / "package_data" / "scenarios"
#: The repository's folder, beside the ``sim`` package in a clone.
REPOSITORY_DIR = Path(__file__).resolve().parents[2] / "scenarios"
#: The subfolder of the Learn page's lesson presets.
LESSONS = "lessons"
#: Files of the scenario tree that are not data (left out of copies).
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


@dataclass(frozen=True)
class ShippedScenario:
    """One shipped scenario file.

    Attributes:
        name: Its path under :func:`shipped_dir` without ``.toml`` (``lessons/x``),
            the name ``crimesim run NAME`` accepts.
        path: The file.
        description: Its ``description`` key (its ``name`` key if it has none).
    """

    name: str
    path: Path
    description: str

    @property
    def is_lesson(self) -> bool:
        """Whether it is a Learn page preset (under ``lessons/``)."""
        return self.name.startswith(f"{LESSONS}/")


def shipped_dir() -> Path:
    """The folder of the shipped scenarios: the wheel's copy, else the repository's.

    Raises:
        UsageError: Neither exists (an installation without its package data).
    """
    for folder in (PACKAGED_DIR, REPOSITORY_DIR):
        if (folder / "baseline.toml").is_file():
            return folder
    raise UsageError(f"the shipped scenarios are missing (looked in {PACKAGED_DIR} and "
                     f"{REPOSITORY_DIR}); reinstall crimesim")


def describe(path: Path) -> str:
    """A scenario file's one-line description, read without validating the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    return str(raw.get("description", raw.get("name", "")))


def shipped_scenarios() -> list[ShippedScenario]:
    """Every shipped scenario, the city scenarios first, then the lessons, each by name."""
    root = shipped_dir()
    files = sorted(root.glob("*.toml")) + sorted((root / LESSONS).glob("*.toml"))
    return [ShippedScenario(path.relative_to(root).with_suffix("").as_posix(), path,
                            describe(path)) for path in files]


def shipped_names() -> list[str]:
    """The names ``crimesim run NAME`` accepts."""
    return [s.name for s in shipped_scenarios()]


def shipped_name(reference: str | Path) -> str:
    """The shipped name a reference would be: no ``.toml``, no leading ``scenarios/``."""
    name = Path(reference).as_posix().removesuffix(".toml")
    return name.removeprefix("./").removeprefix("scenarios/")


def find_shipped(reference: str | Path) -> Path | None:
    """The shipped scenario file ``reference`` names, or None if it names none."""
    name = shipped_name(reference)
    return shipped_dir() / f"{name}.toml" if name in shipped_names() else None


def resolve_scenario(reference: str | Path) -> Path:
    """The scenario file a user means: a file if it exists, else a shipped scenario.

    ``baseline``, ``baseline.toml`` and ``scenarios/baseline.toml`` all name the
    shipped baseline when no such file exists here, so the repository's commands
    (``crimesim run scenarios/baseline.toml``) also work after ``pip install``.

    Raises:
        ScenarioError: Neither a file nor a shipped name; the message lists the
            closest shipped names.
    """
    path = Path(reference)
    if path.is_file():
        return path
    shipped = find_shipped(reference)
    if shipped is not None:
        return shipped
    name = shipped_name(reference)
    names = shipped_names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"closest: {', '.join(close)}" if close else f"shipped: {', '.join(names[:4])}, ..."
    raise ScenarioError(f"{reference}: scenario file not found, nor a shipped scenario of "
                        f"that name ({hint}; `crimesim scenarios` lists them)")


def copy_shipped(destination: str | Path) -> list[Path]:
    """Copy every shipped scenario and map into a new or empty folder, to edit.

    The folder keeps the shipped layout (``lessons/``, ``maps/``), so each file's
    ``extends`` and ``map_file`` still find their targets. The copy is made beside
    the folder and moved into place, so a failure leaves nothing half-written.

    Returns:
        The copied files, relative to ``destination``.

    Raises:
        UsageError: ``destination`` is a file or a folder that is not empty.
    """
    target = Path(destination)
    if target.exists() and not target.is_dir():
        raise UsageError(f"init: {target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"init: {target} is not empty; give a new or empty folder")
    source = shipped_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        copy = staging / "scenarios"
        shutil.copytree(source, copy, ignore=IGNORED)
        if target.is_dir():
            target.rmdir()
        copy.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
