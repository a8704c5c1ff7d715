"""``search.json``: what a search folder holds, written before its first candidate runs.

A search folder must say by itself what was searched: the dashboard's Search page (or
a colleague) opens it without the experiment file, which may have been edited,
moved, or may name its city by a path relative to itself. ``study.log`` keeps only
what a resumed search must share (no description, no number of candidates wanted),
and the tables come only at the end. So the search writes this manifest first, as a
sweep writes ``manifest.json``: the experiment's statement (name, description,
levers, uncertainties, robustness, objectives), the settings needed to read the
tables (groups, currency, harm unit, budget) and how many candidates are wanted, so a
reader can say "3 of 24 candidates done" while the search runs. A resumed search
rewrites it (``trials`` may have grown).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.analysis.search.experiment import Range, SearchExperiment
from sim.atomic_files import atomic_write

#: The manifest's file name in the search folder.
MANIFEST = "search.json"
#: The manifest's ``kind``: tells a search folder from any other folder holding JSON.
KIND = "crimesim search"


def _range(r: Range) -> dict[str, Any]:
    return {"key": r.key, "low": r.low, "high": r.high, "integer": r.integer}


def manifest_of(exp: SearchExperiment) -> dict[str, Any]:
    """The manifest of ``exp`` (plain JSON types only)."""
    params = exp.scenario.params
    return {
        "kind": KIND,
        "name": exp.name,
        "description": str(exp.raw.get("description", "")),
        "experiment": str(exp.path),
        "scenario": exp.scenario.source or "",
        "currency": str(params.currency),
        "harm_unit": str(params.harm.unit),
        "days": exp.days,
        "start_day": exp.start_day,
        "seed": exp.seed,
        "seeds": exp.seeds,
        "trials": exp.trials,
        "batch": exp.batch,
        "sampler": exp.sampler,
        "budget_per_year": exp.budget_per_year,
        "split": list(exp.split),
        "levers": [_range(r) for r in exp.levers],
        "floors": dict(exp.floors),
        "uncertainties": [_range(r) for r in exp.uncertainties],
        "samples": exp.samples if exp.uncertainties else 1,
        "statistic": exp.statistic,
        "quantile": exp.quantile,
        "groups": list(exp.groups),
        "objectives": exp.objective_names,
        "discovery_samples": exp.discovery_samples,
        "discovery_seeds": exp.discovery_seeds,
        "fails_below": exp.fails_below,
        "brief_mixes": exp.brief_mixes,
        "brief_reps": exp.brief_reps,
    }


def write_manifest(exp: SearchExperiment, out: str | Path) -> Path:
    """Write ``out/search.json`` (whole or not at all); its path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest_of(exp), indent=2) + "\n"
    return atomic_write(out / MANIFEST, lambda tmp: Path(tmp).write_text(text))
