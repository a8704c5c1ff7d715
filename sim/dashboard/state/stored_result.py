"""A finished comparison as plain data (JSON and the files beside it), and back.

The store (:mod:`sim.dashboard.state.compare_store`) keeps what the Compare page shows
after a reload: the comparison's description (not its runs' arrays: nothing on the
page needs them once the rows, tables and figures exist), the effect rows, the
headline, the per-area changes, the brief's sensitivity check and the page's
settings. It is written as JSON and read back field by field into the project's own
dataclasses -- never unpickled, so a file dropped into the store is data, not code.
"""

from __future__ import annotations

import math
from dataclasses import asdict, fields
from typing import Any

from sim.analysis.by_area import AreaChange
from sim.analysis.compare import Comparison
from sim.analysis.effects import Row
from sim.analysis.sensitivity_oat import SensitivityResult, SensitivityRow
from sim.dashboard.state.compare_areas import AreaResult
from sim.dashboard.state.compare_result import CompareResult

#: The format's version, so a later crimesim can tell an old folder.
FORMAT = 1
#: The Comparison fields a stored result keeps (all but the runs' outcomes).
COMPARISON_FIELDS = ("base", "alternatives", "seeds", "ticks", "start_tick", "ticks_per_day",
                     "ring", "ring_m", "sources", "independent_seeds")


def _number(value: Any) -> Any:
    """JSON has no NaN or infinity: they travel as strings and come back as floats."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _float(value: Any) -> float:
    return float(value)


def _plain(obj: Any) -> dict[str, Any]:
    return {k: _number(v) for k, v in asdict(obj).items()}


def _build(cls: type, data: dict[str, Any]) -> Any:
    """An instance of dataclass ``cls`` from ``data``'s fields (floats restored)."""
    kwargs = {}
    for f in fields(cls):
        if f.name in data:
            value = data[f.name]
            kwargs[f.name] = _float(value) if f.type in ("float", float) else value
    return cls(**kwargs)


def to_data(result: CompareResult, area_files: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """``result`` as JSON-ready data; ``area_files`` names each area map's PNG and CSV."""
    cmp = result.comparison
    return {
        "format": FORMAT,
        "comparison": {name: getattr(cmp, name) for name in COMPARISON_FIELDS},
        "rows": [_plain(r) for r in result.rows],
        "table": result.table,
        "headline": result.headline,
        "files": list(result.files),  # in order: the report shows the figures so
        "runtime_s": result.runtime_s,
        "areas": {label: {"changes": [_plain(c) for c in area.changes], "rows": area.rows,
                          "png": area_files[label][0], "csv": area_files[label][1]}
                  for label, area in result.areas.items()},
        "settings": result.settings,
        "sensitivity": None if result.sensitivity is None else {
            label: {**{k: _number(v) for k, v in asdict(res).items() if k != "rows"},
                    "rows": [_plain(r) for r in res.rows]}
            for label, res in result.sensitivity.items()},
    }


def from_data(data: dict[str, Any], read: Any) -> CompareResult:
    """The result ``data`` describes; ``read(name)`` gives a stored file's bytes.

    Raises:
        KeyError, TypeError, ValueError: Data this version does not understand.
    """
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r}, not {FORMAT}")
    cmp = Comparison(**{name: data["comparison"][name] for name in COMPARISON_FIELDS})
    rows = [_build(Row, r) for r in data["rows"]]
    areas = {label: AreaResult([_build(AreaChange, c) for c in area["changes"]], area["rows"],
                               read(area["png"]), read(area["csv"]))
             for label, area in data["areas"].items()}
    sensitivity = None
    if data.get("sensitivity") is not None:
        sensitivity = {}
        for label, res in data["sensitivity"].items():
            check = _build(SensitivityResult, {**res, "rows": []})
            check.rows = [_build(SensitivityRow, r) for r in res["rows"]]
            sensitivity[label] = check
    return CompareResult(cmp, rows, data["table"], data["headline"],
                         {name: read(name) for name in data["files"]}, float(data["runtime_s"]),
                         areas, data["settings"], sensitivity=sensitivity)
