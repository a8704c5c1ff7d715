"""A sweep's output folder: the Parquet dataset, the manifest, the failures.

Layout (the dashboard's Sweeps page and ``crimesim analyze`` read it)::

    OUT/manifest.json        experiment file, its SHA-256, package version, start time
    OUT/experiment.toml      a copy of the experiment file
    OUT/design.parquet       one row per design point (point_id, point_key, values, u_*)
    OUT/results/part-*.parquet   the runs' rows, one tidy table across all files
    OUT/failures/<run_id>.json   runs that failed every attempt, with their error
    OUT/table.csv            the same rows in NetLogo BehaviorSpace "table" shape

Finished runs are buffered briefly and written together as one part file, through
a temporary name and an atomic rename: a part is either whole or absent, so a sweep
killed at any moment leaves only whole runs behind, and ``--resume`` finds exactly
the runs stored (by ``run_id``) and never writes one twice.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.atomic_files import atomic_write

RESULTS = "results"
FAILURES = "failures"
MANIFEST = "manifest.json"
DESIGN = "design.parquet"
EXPERIMENT_COPY = "experiment.toml"
BEHAVIORSPACE = "table.csv"
_TMP_PREFIX = ".tmp-"


class ResultStore:
    """Reads and writes one sweep folder.

    Args:
        root: The output folder (created on :meth:`create`).
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.results_dir = self.root / RESULTS
        self.failures_dir = self.root / FAILURES

    # --- state ------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the folder already holds a sweep (a manifest)."""
        return (self.root / MANIFEST).is_file()

    def manifest(self) -> dict[str, Any]:
        """The stored manifest."""
        return json.loads((self.root / MANIFEST).read_text())

    def stored_run_ids(self) -> set[str]:
        """Ids of every run whose rows are stored (reads only the ``run_id`` column)."""
        ids: set[str] = set()
        for part in self.parts():
            table = pq.read_table(part, columns=["run_id"])
            ids.update(table.column("run_id").unique().to_pylist())
        return ids

    def parts(self) -> list[Path]:
        """The dataset's part files, oldest first (temporary files excluded)."""
        if not self.results_dir.is_dir():
            return []
        return sorted(p for p in self.results_dir.glob("part-*.parquet"))

    def failures(self) -> dict[str, dict[str, Any]]:
        """Failed runs by id: values, seed, attempts, error."""
        if not self.failures_dir.is_dir():
            return {}
        return {p.stem: json.loads(p.read_text()) for p in sorted(self.failures_dir.glob("*.json"))}

    # --- writing ----------------------------------------------------------------
    def create(self, manifest: dict[str, Any], experiment_text: str,
               design: pd.DataFrame) -> None:
        """Start a new sweep folder (or refresh the manifest and design on resume)."""
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self.failures_dir.mkdir(parents=True, exist_ok=True)
        self._clear_temporaries()
        _atomic_write_text(self.root / EXPERIMENT_COPY, experiment_text)
        _atomic_write_table(self.root / DESIGN, pa.Table.from_pandas(design,
                                                                     preserve_index=False))
        self.write_manifest(manifest)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        _atomic_write_text(self.root / MANIFEST, json.dumps(manifest, indent=2, default=str))

    def write_part(self, frames: list[pd.DataFrame], schema: pa.Schema) -> Path:
        """Store finished runs' rows as one new part file, atomically.

        Args:
            frames: Row frames of one or more runs.
            schema: The dataset's schema (every part has the same one, so the folder
                reads as one table).
        """
        table = pa.Table.from_pandas(pd.concat(frames, ignore_index=True), schema=schema,
                                     preserve_index=False)
        name = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.parquet"
        path = self.results_dir / name
        _atomic_write_table(path, table)
        return path

    def record_failure(self, run_id: str, info: dict[str, Any]) -> None:
        """Note a run that failed every attempt (replaced if it fails again later)."""
        _atomic_write_text(self.failures_dir / f"{run_id}.json",
                           json.dumps(info, indent=2, default=str))

    def clear_failure(self, run_id: str) -> None:
        """Forget an earlier failure of a run that has now succeeded."""
        (self.failures_dir / f"{run_id}.json").unlink(missing_ok=True)

    def _clear_temporaries(self) -> None:
        """Remove half-written files a killed sweep left behind."""
        for folder in (self.root, self.results_dir, self.failures_dir):
            for tmp in folder.glob(f"{_TMP_PREFIX}*"):
                tmp.unlink(missing_ok=True)

    # --- reading ----------------------------------------------------------------
    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every stored row as one DataFrame (empty if no run finished yet)."""
        parts = self.parts()
        if not parts:
            return pd.DataFrame(columns=columns or [])
        return pq.ParquetDataset(parts).read(columns=columns).to_pandas()

    def design(self) -> pd.DataFrame:
        """The design table."""
        return pd.read_parquet(self.root / DESIGN)


def _atomic_write_text(path: Path, text: str) -> None:
    # a full disk leaves no half-written file behind, only a .tmp- file swept up later
    atomic_write(path, lambda tmp: Path(tmp).write_text(text), prefix=f"{_TMP_PREFIX}{path.name}.")


def _atomic_write_table(path: Path, table: pa.Table) -> None:
    # only whole parts ever carry the part-*.parquet name
    atomic_write(path, lambda tmp: pq.write_table(table, tmp),
                 prefix=f"{_TMP_PREFIX}{path.name}.", sync=True)
