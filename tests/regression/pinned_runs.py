"""The runs whose results are pinned, and how a run is reduced to what is pinned.

Shared by the regression test (``test_pinned_results.py``) and the script that writes
the pinned file (``pin_results.py``), so both compute exactly the same figures.

Each pinned run is one scenario file, one seed and ``DAYS`` days, written to disk
the way ``crimesim run --out`` writes it. What is kept of it: the total of every
column of ``metrics.parquet`` and a SHA-256 of the content of ``events.parquet``
(every column's values in order, not the file's bytes, which carry the writer's
version). Interventions start on day ``START_DAY`` instead of their scenario's own
start tick, so that a short run exercises them.

Two variants are pinned. ``current``: the scenarios as they are
(``pinned_results.json``). ``classic``: the same scenarios with every mechanism added
since the first release switched off (:func:`sim.scenario.classic.classic`:
routes, awareness spaces, relationships, repeat victimisation, fear), which must give
the pinned results exactly: the metric totals the first release had and the same
crime events in the columns it had (``pinned_classic.json``). It was written before
those mechanisms existed and held until the residents' plans moved to the counter-based
stream of the parallel kernels (issue 17), which changes every variant's draws; it was
regenerated then (``pin_results.py --classic``), for the same columns.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
PIN_FILE = Path(__file__).with_name("pinned_results.json")
CLASSIC_PIN_FILE = Path(__file__).with_name("pinned_classic.json")
#: The event log's columns in the first release (the classic digest covers these).
CLASSIC_EVENT_COLUMNS = ("tick", "crime_type", "cell", "offender", "victim", "reported",
                         "arrested", "bribed", "offender_home", "offender_resident")
VARIANTS = ("current", "classic")
SCENARIOS = ("baseline", "hotspot_policing", "integrated_action", "street_lighting",
             "public_private_partnership", "procedural_justice")
SEEDS = (1, 2, 3)
DAYS = 30
START_DAY = 10


def intervention_overrides(scenario: Any) -> dict[str, Any]:
    """Move every intervention's start to ``START_DAY`` (the pinned runs are short)."""
    ticks = START_DAY * scenario.params.time.ticks_per_day
    return {f"interventions.{label}.start_tick": ticks
            for label in scenario.params.interventions.to_dict()}


def events_digest(path: Path, columns: tuple[str, ...] | None = None) -> str:
    """SHA-256 of an events table's values, column by column, in file order.

    ``columns``: only these (in the file's order); all by default.
    """
    frame = pd.read_parquet(path)
    digest = hashlib.sha256()
    for name in frame.columns:
        if columns is not None and name not in columns:
            continue
        column = frame[name]
        values = column.cat.codes if isinstance(column.dtype, pd.CategoricalDtype) else column
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(values.to_numpy(np.int64)).tobytes())
    return digest.hexdigest()


def metric_totals(path: Path) -> dict[str, float]:
    """The total of every column of a metrics table (NaN-skipping, float64)."""
    frame = pd.read_parquet(path)
    return {name: float(np.nansum(frame[name].to_numpy(np.float64)))
            for name in frame.columns}


def run_pinned(name: str, seed: int, variant: str = "current") -> dict[str, Any]:
    """Run one pinned scenario and seed; return its totals and events digest.

    ``variant``: ``"current"`` or ``"classic"`` (see the module docstring).
    """
    from sim import CrimeModel, Scenario
    from sim.crime.output import write_run
    from sim.scenario.classic import classic

    scenario = Scenario.load(REPO / "scenarios" / f"{name}.toml")
    scenario = scenario.with_overrides(intervention_overrides(scenario))
    columns = None
    if variant == "classic":
        scenario = classic(scenario)
        columns = CLASSIC_EVENT_COLUMNS
    model = CrimeModel(scenario=scenario, rng=seed)
    model.run_days(DAYS)
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_run(model, tmp, seed)
        return {"metric_totals": metric_totals(paths["metrics"]),
                "events_sha256": events_digest(paths["events"], columns),
                "events": int(len(pd.read_parquet(paths["events"])))}


def key(name: str, seed: int) -> str:
    """The pinned file's key for one run."""
    return f"{name}/seed={seed}"


def pin_file(variant: str) -> Path:
    """The pinned file of a variant."""
    return CLASSIC_PIN_FILE if variant == "classic" else PIN_FILE


def load_pins(variant: str = "current") -> dict[str, Any]:
    """The pinned file's runs (empty if the variant's file does not exist yet)."""
    path = pin_file(variant)
    return json.loads(path.read_text())["runs"] if path.exists() else {}
