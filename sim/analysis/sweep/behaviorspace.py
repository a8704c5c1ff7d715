"""Export a sweep in NetLogo BehaviorSpace's "table" CSV shape.

NetLogo users, and the tools they analyse BehaviorSpace output with, expect six
header lines (tool, model, experiment, date, world bounds), then one row per recorded
step: ``[run number]``, the varied settings, ``[step]``, one column per metric, every
value quoted. Runs are numbered from 1 in design order (point, then seed).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.analysis.sweep.store import BEHAVIORSPACE, ResultStore

if TYPE_CHECKING:
    from sim.analysis.sweep.spec import Experiment


def behaviorspace_frame(rows: pd.DataFrame, parameters: list[str], time_column: str,
                        metrics: list[str], ticks_per_day: int) -> pd.DataFrame:
    """The table's body: run numbers, settings, ``[step]`` (ticks), metrics.

    ``[step]`` counts model ticks, as NetLogo's does: a daily or final row is stamped
    with the tick at the end of its day.
    """
    if rows.empty:
        return pd.DataFrame(columns=["[run number]", *parameters, "[step]", *metrics])
    order = rows.sort_values(["point_id", "seed", time_column], kind="stable")
    runs = order.drop_duplicates("run_id")["run_id"].tolist()
    number = {rid: i + 1 for i, rid in enumerate(runs)}
    step = order[time_column] if time_column == "tick" else (order[time_column] + 1) * ticks_per_day
    body = pd.DataFrame({"[run number]": order["run_id"].map(number)})
    for key in parameters:
        body[key] = order[key]
    body["[step]"] = step.astype("int64")
    for m in metrics:
        body[m] = order[m]
    return body.reset_index(drop=True)


def write_behaviorspace(store: ResultStore, exp: Experiment) -> Path:
    """Write ``table.csv`` for every stored run (atomically); return its path."""
    params = [p.key for p in exp.parameters]
    rows = store.read()
    body = behaviorspace_frame(rows, params, exp.time_column, list(exp.metrics),
                               exp.scenario.params.time.ticks_per_day)
    city = exp.scenario.params.city
    path = store.root / BEHAVIORSPACE
    tmp = path.with_name(f".tmp-{path.name}.{os.getpid()}")
    from sim import __version__

    stamp = dt.datetime.now(dt.UTC).strftime("%m/%d/%Y %H:%M:%S:%f")[:-3] + " +0000"
    with open(tmp, "w", newline="") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL)
        out.writerow([f"BehaviorSpace results (crimesim {__version__})"])
        out.writerow([exp.scenario.source or exp.scenario.name])
        out.writerow([exp.name])
        out.writerow([stamp])
        out.writerow(["min-pxcor", "max-pxcor", "min-pycor", "max-pycor"])
        out.writerow([0, city.width - 1, 0, city.height - 1])
        for col in body.columns:  # NetLogo writes switches as true/false
            if body[col].dtype == bool:
                body[col] = body[col].map({True: "true", False: "false"})
        body.to_csv(fh, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    os.replace(tmp, path)
    return path
