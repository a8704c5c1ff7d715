"""Where a benchmark's figures go: JSON beside ``--json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_json_beside(path: str | Path, name: str, data: Any) -> Path:
    """Write ``data`` as JSON to ``name`` in the folder of ``path``; return where.

    Each benchmark keeps its figures beside ``--json`` (default ``out/bench.json``):
    ``out/bench_sweep.json``, ``out/bench_reference.json``, ...
    """
    target = Path(path).with_name(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2) + "\n")
    return target
