"""Files written whole or not at all: write to a temporary name, then rename.

Every file crimesim leaves behind -- a run's metrics, a comparison's areas, a sweep's
parts, the decision brief -- is written to a temporary name in its destination folder
and renamed into place (``os.replace``, atomic on one file system), so a crash or a
full disk never leaves a half-written file under the final name. It sits in the lowest
layer so that every layer that writes files shares this one implementation.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[str], object], suffix: str | None = None, *,
                 prefix: str | None = None, writer_creates: bool = False,
                 sync: bool = False) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``.

    Args:
        path: The final file.
        write: Writes the content to the temporary name it is given.
        suffix: The temporary name's ending (default: ``path``'s own extension --
            some writers, GDAL's among them, pick their format from it).
        prefix: The temporary name's start (default ``.<name>.``: a hidden file); a
            caller that sweeps up leftovers by a prefix of its own passes it.
        writer_creates: The writer creates the file itself and refuses one that
            exists (GDAL: an empty file is not a GeoPackage), so none is made first.
        sync: Flush the file to disk before the rename (a sweep's parts: a power cut
            must not leave a renamed but empty part).

    Returns:
        ``path``.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix if suffix is None
                               else suffix, prefix=prefix or f".{path.name}.")
    os.close(fd)
    if writer_creates:
        os.unlink(tmp)
    try:
        write(tmp)
        if sync:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
