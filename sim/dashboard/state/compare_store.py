"""Finished comparisons kept on the server, so a browser reload finds them.

A comparison used to live in the browser session only: a reload lost it. Every
finished comparison is now written to a folder of its own under the store
(``out/dashboard/compare/<id>/`` by default, or ``$CRIMESIM_COMPARE_STORE``), and the
Compare page shows it at ``/compare?run=<id>`` in any tab, without running again.

A run's folder holds what ``crimesim compare`` writes (comparison.csv,
comparison.json, the figures), ``settings.json`` (the page's settings, so they come
back too), ``table.txt`` (the terminal table), the per-area maps and tables, and
``result.json`` (what the page shows, as data: :mod:`sim.dashboard.state.stored_result`;
never a pickle, so a file dropped into the store cannot run code). The folder is written under
a temporary name and renamed when complete, so a reader never sees half a run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.dashboard.state.compare_result import CompareResult
from sim.dashboard.state.stored_result import from_data, to_data

#: Where the runs are kept unless ``$CRIMESIM_COMPARE_STORE`` says otherwise.
DEFAULT_STORE = Path("out") / "dashboard" / "compare"
#: The file of a run's folder that holds the page's result as data.
RESULT = "result.json"
#: Stored comparisons kept unless ``$CRIMESIM_COMPARE_KEEP`` says otherwise: a save
#: removes the oldest beyond this many, so a server that runs for a term does not fill
#: its disk (a run's folder is a few megabytes, mostly figures).
DEFAULT_KEEP = 200
#: A ``.partial-`` folder older than this (seconds) was left by a crash: removed.
STALE_PARTIAL_S = 24 * 3600.0
#: A run id: UTC time of the save and a random suffix (safe in a URL and a path).
RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")


class StoredRunError(Exception):
    """A run id that names no readable stored comparison (the message says why)."""


@dataclass(frozen=True)
class StoredRun:
    """One stored comparison as the list of recent runs shows it.

    Attributes:
        run_id: The folder's name, and the ``run`` of the page's URL.
        settings: The page's settings when the comparison ran.
        saved: Seconds since the epoch when it was written.
    """

    run_id: str
    settings: dict[str, Any]
    saved: float

    @property
    def summary(self) -> str:
        """One line: when, base against alternatives, replications and days."""
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(self.saved))
        return f"{when}: {describe_settings(self.settings)}"


def describe_settings(settings: dict[str, Any]) -> str:
    """Settings in one line: base against alternatives, replications, days, seed."""
    days = settings.get("days")
    return (f"{settings.get('base')} against {', '.join(settings.get('alternatives', []))}, "
            f"{settings.get('reps')} replications of "
            f"{'the scenario days' if days is None else f'{days:g} days'}, "
            f"seed {settings.get('seed')}")


def store_root() -> Path:
    """The store's folder: ``$CRIMESIM_COMPARE_STORE``, else ``out/dashboard/compare``."""
    return Path(os.environ.get("CRIMESIM_COMPARE_STORE") or DEFAULT_STORE)


def save_result(result: CompareResult, root: Path | None = None) -> str:
    """Write ``result`` and its settings to a new run folder; return the run's id.

    The folder is complete or absent: it is written under a hidden name and renamed.
    """
    root = store_root() if root is None else root
    root.mkdir(parents=True, exist_ok=True)
    run_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)
    tmp = root / f".partial-{run_id}"
    tmp.mkdir()
    try:
        for name, data in result.files.items():
            (tmp / name).write_bytes(data)
        (tmp / "settings.json").write_text(json.dumps(result.settings, indent=2) + "\n")
        (tmp / "table.txt").write_text(result.table)
        area_files = {}
        for k, (label, area) in enumerate(result.areas.items()):
            area_files[label] = (f"area_change_{k}.png", f"area_change_{k}.csv")
            (tmp / area_files[label][0]).write_bytes(area.png)
            (tmp / area_files[label][1]).write_bytes(area.csv)
        (tmp / RESULT).write_text(json.dumps(to_data(result, area_files)))
        os.replace(tmp, root / run_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(root, keep_count())
    return run_id


def keep_count() -> int:
    """How many stored comparisons to keep: ``$CRIMESIM_COMPARE_KEEP``, else 200.

    Raises:
        StoredRunError: The variable is set but not a positive whole number.
    """
    text = os.environ.get("CRIMESIM_COMPARE_KEEP", "").strip()
    if not text:
        return DEFAULT_KEEP
    if not text.isdigit() or int(text) < 1:
        raise StoredRunError(f"CRIMESIM_COMPARE_KEEP: expected a positive whole number of "
                             f"comparisons to keep, got {text!r}")
    return int(text)


def prune(root: Path, keep: int) -> list[str]:
    """Remove all but the ``keep`` newest stored runs, and crashed partial folders.

    Run ids start with their UTC save time, so sorting them sorts by age. Folders that
    are not runs of this store are left alone.

    Returns:
        The names of the folders removed.
    """
    runs = sorted((f.name for f in root.iterdir() if f.is_dir() and RUN_ID.match(f.name)),
                  reverse=True)
    stale = [f.name for f in root.iterdir() if f.is_dir() and f.name.startswith(".partial-")
             and time.time() - f.stat().st_mtime > STALE_PARTIAL_S]
    removed = runs[keep:] + stale
    for name in removed:
        shutil.rmtree(root / name, ignore_errors=True)
    return removed


def _folder(run_id: str, root: Path | None) -> Path:
    if not RUN_ID.match(run_id):
        raise StoredRunError(f"run {run_id!r}: not a comparison id (e.g. 20260101-120000-a1b2c3)")
    folder = (store_root() if root is None else root) / run_id
    if not (folder / RESULT).is_file():
        raise StoredRunError(f"run {run_id!r}: no stored comparison with this id on this server")
    return folder


def load_result(run_id: str, root: Path | None = None) -> CompareResult:
    """The stored comparison ``run_id``, as the page showed it when it finished.

    Raises:
        StoredRunError: A malformed id, no such run, or a file this version cannot read.
    """
    folder = _folder(run_id, root)
    def read(name: str) -> bytes:
        path = folder / name
        if path.parent != folder:  # a name from the file must stay in the run's folder
            raise ValueError(f"{name!r} is not a file of the run")
        return path.read_bytes()

    try:
        result = from_data(json.loads((folder / RESULT).read_text()), read)
    except Exception as exc:  # noqa: BLE001 -- an older format, a damaged or foreign file
        raise StoredRunError(f"run {run_id!r}: its stored result cannot be read "
                             f"({type(exc).__name__}); run the comparison again") from None
    result.run_id = run_id
    return result


def recent_runs(limit: int = 10, root: Path | None = None) -> list[StoredRun]:
    """The newest stored comparisons first (at most ``limit``)."""
    root = store_root() if root is None else root
    if not root.is_dir():
        return []
    runs = []
    for folder in root.iterdir():
        if not (RUN_ID.match(folder.name) and (folder / RESULT).is_file()):
            continue
        try:
            settings = json.loads((folder / "settings.json").read_text())
        except (OSError, ValueError):
            continue
        runs.append(StoredRun(folder.name, settings, folder.stat().st_mtime))
    runs.sort(key=lambda r: r.run_id, reverse=True)
    return runs[:limit]
