"""Writing a crime run: its headline figures as summary.json, and every file of the run.

The files themselves are written by :func:`sim.metrics.files.write_files`, the same for
every model family; this module says what a crime run puts in them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.crime.areas import write_area_files
from sim.crime.fear import fear_summary
from sim.crime.justice import justice_summary
from sim.crime.market import market_summary
from sim.metrics.files import json_safe, write_files
from sim.metrics.prevalence import annualise
from sim.metrics.where_summary import where_summary

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


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
    return json_safe({
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
        **where_summary(model.events.array if model.events.enabled else None,
                        model.city.crime_count.sum(axis=0), model.city.cell_size_m),
        "fear": fear_summary(model),
        "market": market_summary(model),
        "justice": justice_summary(model),
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

    metrics.parquet, summary.json, fields.npz, and events.parquet if the event log is on;
    on a georeferenced city also areas.csv, areas.gpkg and crime.tif
    (:func:`sim.crime.areas.write_area_files`).
    """
    layers = model.city.layers()
    if len(model.interventions):
        shape = (model.city.height, model.city.width)
        layers["treated"] = model.interventions.treated_mask(model.city.n_cells).reshape(shape)
    events = model.events.to_frame() if model.events.enabled else None
    paths = write_files(out_dir, model.results.to_frame(), summarise(model, seed, runtime_s),
                        layers, events)
    return paths | write_area_files(model, out_dir)
