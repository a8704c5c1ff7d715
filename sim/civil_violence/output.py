"""Writing a civil-violence run: metrics.parquet, summary.json, fields.npz.

The same three files as a crime run (:mod:`sim.crime.output`), written by the same
:func:`sim.metrics.files.write_files`, so ``crimesim run`` means the
same thing for both model families: one row per tick, the headline figures and every
parameter, and the final cell layers by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.civil_violence.analysis import OUTBURST_SHARE, outbursts_of
from sim.civil_violence.model import CivilViolenceModel
from sim.metrics.catalog import CIVIL_VIOLENCE_METRICS, names
from sim.metrics.files import json_safe, write_files


def summarise(model: CivilViolenceModel, seed: Any,
              runtime_s: float | None = None) -> dict[str, Any]:
    """The run's headline figures as a JSON-ready dict."""
    from sim.version import __version__

    res = model.results
    active = res.column("active")
    return json_safe({
        "scenario": model.scenario.name,
        "scenario_file": model.scenario.source,
        "scenario_digest": model.scenario.digest(),
        "model": "civil_violence",
        "seed": seed,
        "version": __version__,
        "ticks": model.tick,
        "runtime_seconds": runtime_s,
        "citizens": model.citizens,
        "cops": model.cops,
        "corrupt_cops": int(model.lattice.corrupt.sum()),
        "totals": res.totals(),  # the flows: arrests and extortions
        "final": {name: res.last(name) for name in names(CIVIL_VIOLENCE_METRICS, "stock")},
        "mean": {name: float(res.column(name).mean()) if len(res) else None
                 for name in ("active", "quiet", "jailed", "perceived_legitimacy")},
        "max_active": int(active.max()) if len(res) else 0,
        "outbursts": outbursts_of(active, model.citizens, OUTBURST_SHARE).summary(),
        "parameters": model.scenario.to_dict(),
    })


def write_run(model: CivilViolenceModel, out_dir: str | Path, seed: Any,
              runtime_s: float | None = None) -> dict[str, Path]:
    """Write a run's files into ``out_dir``; returns the paths written."""
    return write_files(out_dir, model.results.to_frame(), summarise(model, seed, runtime_s),
                       model.layers())
