"""Finding sweep folders and opening one for the Sweeps page, without Solara.

The page reads a folder that ``crimesim sweep`` wrote through
:class:`~sim.analysis.sweep.results.SweepResults`, the reader behind
``crimesim analyze``. This module finds the sweeps a user may mean (under ``out/``,
``crimesim sweep``'s default place), lists a folder's subfolders for the page's folder
browser, and opens the one chosen, with a one-line message for anything that is not a
sweep, so the page never shows a traceback. The dashboard may serve other people on
the network, so it opens only folders under ``out/``: never a path elsewhere on the
server.
"""

from __future__ import annotations

from pathlib import Path

from sim.analysis.sweep.results import SweepFolderError, SweepResults

#: Where ``crimesim sweep`` writes by default (``out/<experiment name>``).
OUT = Path("out")
#: Manifest keys the page relies on: without them the folder is not a sweep it can read.
MANIFEST_KEYS = ("name", "design", "parameters", "metrics", "seeds", "days", "record",
                 "time_column", "runs_planned")


def sweep_folders(root: str | Path = OUT) -> list[Path]:
    """Sweep folders under ``root`` (one or two levels down), newest first.

    Only two levels are searched: a sweep's own ``results/`` folder may hold thousands
    of part files, and walking every one to find manifests would stall the page.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    manifests = [*root.glob("*/manifest.json"), *root.glob("*/*/manifest.json")]
    found = {m.parent: m.stat().st_mtime for m in manifests if m.is_file()}
    return sorted(found, key=lambda p: (-found[p], str(p)))


def is_inside(path: str | Path, root: str | Path = OUT) -> bool:
    """Whether ``path`` is ``root`` or lies under it (after resolving ``..`` and links)."""
    return Path(path).expanduser().resolve().is_relative_to(Path(root).resolve())


def subfolders(folder: str | Path, root: str | Path = OUT, marker: str = "manifest.json"
               ) -> list[tuple[Path, bool]]:
    """The folders in ``folder`` (under ``root``), each with whether it is a sweep.

    A sweep's own ``results/`` folder is not offered: it is the sweep's data, opened
    through the sweep. Hidden folders are skipped. ``marker`` is the file that makes a
    folder one to open (the Search page passes ``search.json``).

    Raises:
        SweepFolderError: ``folder`` is outside ``root`` or not a folder.
    """
    folder = Path(folder)
    if not is_inside(folder, root):
        raise SweepFolderError(f"{folder}: outside {root}/; the dashboard opens only "
                               f"folders under {root}/")
    if not folder.is_dir():
        raise SweepFolderError(f"{folder}: no such folder")
    if (folder / marker).is_file():
        return []
    found = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                   key=lambda p: p.name)
    return [(p, (p / marker).is_file()) for p in found]


def open_sweep(text: str, root: str | Path | None = OUT) -> SweepResults:
    """Open the sweep folder a user chose or typed.

    Args:
        text: The folder.
        root: The only folder under which sweeps are opened (None: anywhere, for
            tools that are not served).

    Raises:
        SweepFolderError: One line saying why the text does not name a readable sweep
            (empty, outside ``root``, missing, a file, no manifest, a manifest of
            something else).
    """
    text = text.strip()
    if not text:
        raise SweepFolderError("type a sweep's output folder (crimesim sweep ... --out DIR)")
    path = Path(text).expanduser()
    if root is not None and not is_inside(path, root):
        raise SweepFolderError(f"{text}: outside {root}/; the dashboard opens only sweep "
                               f"folders under {root}/")
    if path.is_file():
        raise SweepFolderError(f"{text}: is a file; choose the folder that holds "
                               "manifest.json")
    results = SweepResults.open(path)
    manifest = results.manifest
    missing = ([k for k in MANIFEST_KEYS if k not in manifest]
               if isinstance(manifest, dict) else list(MANIFEST_KEYS))
    if missing:
        raise SweepFolderError(f"{text}: manifest.json lacks {missing[0]!r}; not a "
                               "crimesim sweep folder")
    return results


def failure_lines(results: SweepResults, limit: int = 10) -> list[str]:
    """The first failures: run id, values, seed and the error's last line."""
    out = []
    for rid, info in list(results.failures.items())[:limit]:
        error = str(info.get("error", "")).strip().splitlines() or ["?"]
        out.append(f"{rid}: {info.get('values')} seed {info.get('seed')}: {error[-1]}")
    return out
