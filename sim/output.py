"""Writing a run's results: metrics.parquet, summary.json, fields.npz (and events).

Each file is written to a temporary name in the output folder and renamed into
place, so a crash never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.metrics.prevalence import annualise

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


def _atomic(path: Path, write: Any, suffix: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None, numpy scalars Python ones."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summarise(model: CrimeModel, seed: Any, runtime_s: float | None = None) -> dict[str, Any]:
    """The run's headline figures as a JSON-ready dict."""
    from sim.version import __version__

    prev = model.prevalence()
    days = prev["days"]
    annual = {
        g: {k: (annualise(v, days) if k != "n" else v) for k, v in row.items()}
        for g, row in prev["groups"].items()
    }
    totals = model.results.totals()
    total = totals.get("crimes_total", 0)
    return _clean({
        "scenario": model.scenario.name,
        "scenario_file": model.scenario.source,
        "scenario_digest": model.scenario.digest(),
        "seed": seed,
        "version": __version__,
        "ticks": model.tick,
        "days": model.tick / model.ticks_per_day,
        "runtime_seconds": runtime_s,
        "totals": totals,
        "reported_share": totals.get("reported_crimes", 0) / total if total else None,
        "final": {
            "offenders_free": model.results.last("offenders_free"),
            "offenders_jailed": model.results.last("offenders_jailed"),
            "gang_members": model.results.last("gang_members"),
            "legitimacy_everyone": model.results.last("legitimacy_everyone"),
            "mean_b": model.results.last("mean_b"),
        },
        "prevalence_period_days": days,
        "prevalence": prev["groups"],
        "prevalence_annualised": annual,
        "households_burgled": prev["households_burgled"],
        "households_burgled_annualised": annualise(prev["households_burgled"], days),
        "yearly_prevalence": model.yearly_prevalence,
        "interventions": {
            "currency": model.p.currency,
            "costs": model.interventions.costs(),
            "total_cost": model.interventions.total_cost(),
            "treated_cells": int(model.interventions.treated_mask(model.city.n_cells).sum()),
            "figures": model.interventions.reports(model),
        },
        "parameters": model.scenario.to_dict(),
    })


def write_run(model: CrimeModel, out_dir: str | Path, seed: Any,
              runtime_s: float | None = None) -> dict[str, Path]:
    """Write a run's files into ``out_dir``; returns the paths written.

    metrics.parquet, summary.json, fields.npz, and events.parquet if the event log is on.
    """
    layers = model.city.layers()
    if len(model.interventions):
        shape = (model.city.height, model.city.width)
        layers["treated"] = model.interventions.treated_mask(model.city.n_cells).reshape(shape)
    events = model.events.to_frame() if model.events.enabled else None
    return write_files(out_dir, model.results.to_frame(), summarise(model, seed, runtime_s),
                       layers, events)


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
    _atomic(paths["metrics"], lambda t: frame.to_parquet(t, index=False), ".parquet")
    _atomic(paths["summary"],
            lambda t: Path(t).write_text(json.dumps(summary, indent=2) + "\n"), ".json")

    def save_fields(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **layers)

    _atomic(paths["fields"], save_fields, ".npz")
    if events is not None:
        paths["events"] = out / "events.parquet"
        _atomic(paths["events"], lambda t: events.to_parquet(t, index=False), ".parquet")
    return paths


def write_json_beside(path: str | Path, name: str, data: Any) -> Path:
    """Write ``data`` as JSON to ``name`` in the folder of ``path``; return where.

    Each benchmark keeps its figures beside ``--json`` (default ``out/bench.json``):
    ``out/bench_sweep.json``, ``out/bench_reference.json``, ...
    """
    target = Path(path).with_name(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2) + "\n")
    return target
