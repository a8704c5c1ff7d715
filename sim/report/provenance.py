"""Where a comparison's numbers came from: versions, commit, scenario hashes, seeds.

A brief handed to a council must let anyone rerun it and get the same figures: the
same code (crimesim version and git commit), the same inputs (each scenario file's
SHA-256) and the same draws (seeds, replications, days), on named library versions.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.version import __version__

NOT_A_CHECKOUT = "not a git checkout"


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit(where: str | Path | None = None) -> str:
    """The checkout's commit (with "+ local changes" when dirty), or "not a git checkout".

    Looks at the folder holding the package's code, not the working directory, and
    only when that folder is the top of a git work tree: an installed wheel inside
    some other repository (a virtual environment in a clone) is not a checkout.
    """
    folder = Path(where) if where is not None else Path(__file__).resolve().parents[2]
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10, check=True)
        if Path(top.stdout.strip()).resolve() != folder.resolve():
            return NOT_A_CHECKOUT
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"],
                                capture_output=True, text=True, timeout=10, check=True)
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return NOT_A_CHECKOUT
    sha = commit.stdout.strip()
    if not sha:
        return NOT_A_CHECKOUT
    return sha + (" + local changes" if dirty.stdout.strip() else "")


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def provenance(meta: dict[str, Any], sources: dict[str, str | None],
               today: _dt.date | None = None) -> list[tuple[str, str]]:
    """(what, value) pairs for the brief's provenance table.

    Args:
        meta: The comparison's meta (:func:`sim.analysis.compare.comparison_meta`,
            plus ``workers`` and ``runtime_s`` when known).
        sources: Scenario label -> its file (None for a scenario built in memory).
        today: The date to print (default: today, UTC).
    """
    date = today or _dt.datetime.now(_dt.UTC).date()
    out = [("crimesim version", __version__), ("git commit", git_commit())]
    for label, source in sources.items():
        if source and Path(source).is_file():
            out.append((f"scenario {label}", f"{source} (SHA-256 {sha256_of(source)})"))
        else:
            out.append((f"scenario {label}", "built in memory, no file"))
    seeds = meta.get("seeds", [])
    out += [("seeds", ", ".join(str(s) for s in seeds)),
            ("replications", str(meta.get("reps", len(seeds)))),
            ("days per run", f"{meta['ticks'] / meta['ticks_per_day']:g}"
             if "ticks" in meta else "unknown"),
            ("days measured", f"{meta.get('window_days', float('nan')):g}"),
            ("workers", str(meta.get("workers", "unknown")))]
    out += [("Python", platform.python_version())]
    out += [(name, _version_of(name)) for name in ("numpy", "numba", "mesa")]
    out.append(("date", date.isoformat()))
    return out
