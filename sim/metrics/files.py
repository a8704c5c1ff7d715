"""A run's files, written whole or not at all: metrics, summary, final layers, events.

Every model family leaves the same files in the same way (``metrics.parquet``,
``summary.json``, ``fields.npz``, and ``events.parquet`` when it logs events). Each
file is written to a temporary name in the output folder and renamed into place, so a
crash never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.atomic_files import atomic_write


def json_safe(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None, numpy scalars Python ones."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_files(out_dir: str | Path, frame: pd.DataFrame, summary: dict[str, Any],
                layers: dict[str, np.ndarray], events: pd.DataFrame | None = None
                ) -> dict[str, Path]:
    """Write a run's metrics, summary, final layers and events, each file atomically.

    Shared by every model family, so all runs leave the same files in the same way:
    a file is whole or absent, never half written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"metrics": out / "metrics.parquet", "summary": out / "summary.json",
             "fields": out / "fields.npz"}
    atomic_write(paths["metrics"], lambda t: frame.to_parquet(t, index=False), ".parquet")
    atomic_write(paths["summary"],
            lambda t: Path(t).write_text(json.dumps(summary, indent=2) + "\n"), ".json")

    def save_fields(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **layers)

    atomic_write(paths["fields"], save_fields, ".npz")
    if events is not None:
        paths["events"] = out / "events.parquet"
        atomic_write(paths["events"], lambda t: events.to_parquet(t, index=False), ".parquet")
    return paths
