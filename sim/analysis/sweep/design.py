"""Parameter points of a sweep: a full grid, a Latin hypercube, or SALib's samples.

Sampling designs draw in the unit cube, one coordinate per parameter, and map each
coordinate to a value: a real range linearly, an integer range to evenly sized bins
(every integer from low to high equally likely), a value list to its items. The unit
coordinates are kept (``u_<key>`` in ``design.parquet``) because SALib's Morris
analysis needs the sample exactly as drawn; Sobol and Morris indices are therefore
per unit of each parameter's range.

Sobol points come from Saltelli's scheme (SALib ``sobol.sample``): N(2D+2) points with
second-order indices, N(D+2) without. Morris points are N trajectories of D+1 points
on a ``levels``-level grid (``morris.sample``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sweep.spec import Experiment, Parameter


def salib_problem_for(names: list[str]) -> dict[str, Any]:
    """The SALib problem dict: every parameter on the unit interval."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def grid_values(p: Parameter) -> list[Any]:
    """The values a grid design takes for one parameter."""
    if p.values is not None:
        return list(p.values)
    assert p.low is not None and p.high is not None and p.steps is not None
    raw = np.linspace(p.low, p.high, p.steps)
    if p.kind == "int":
        return list(dict.fromkeys(int(round(v)) for v in raw))
    return [float(v) for v in raw]


def from_unit(p: Parameter, u: float) -> Any:
    """Map a unit-interval coordinate to one of the parameter's values."""
    u = min(max(float(u), 0.0), 1.0)
    if p.values is not None:
        k = len(p.values)
        return p.values[min(int(u * k), k - 1)]
    assert p.low is not None and p.high is not None
    if p.kind == "int":
        span = int(p.high) - int(p.low) + 1
        return int(p.low) + min(int(u * span), span - 1)
    return float(p.low + u * (p.high - p.low))


def unit_sample(exp: Experiment) -> np.ndarray:
    """The design's points in the unit cube, shape (points, parameters)."""
    d = exp.design
    params = exp.parameters
    if d.kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=len(params), rng=exp.design_seed).random(d.samples)
    problem = salib_problem_for([p.key for p in params])
    if d.kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, d.samples, calc_second_order=d.second_order,
                            seed=exp.design_seed)
    if d.kind == "morris":
        from SALib.sample import morris

        return morris.sample(problem, d.samples, num_levels=d.levels, seed=exp.design_seed)
    raise ValueError(f"no unit sample for a {d.kind} design")


def point_key(values: dict[str, Any]) -> str:
    """A stable hash of one point's parameter values (same values, same key)."""
    blob = json.dumps(values, sort_keys=True, default=_json_value)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def run_id(values: dict[str, Any], seed: int) -> str:
    """A run's id: the hash of its parameter values and seed.

    The same point with the same seed is the same run wherever it appears, so a
    resumed sweep recognises it and a design that repeats a point runs it once.
    """
    blob = json.dumps({"params": values, "seed": int(seed)}, sort_keys=True,
                      default=_json_value)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _json_value(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")


def design_table(exp: Experiment) -> pd.DataFrame:
    """One row per design point: ``point_id``, ``point_key``, the values, ``u_<key>``.

    Grid designs have no unit coordinates. Rows keep the sampler's order, which
    SALib's analysis relies on.
    """
    params = exp.parameters
    if exp.design.kind == "grid":
        combos = itertools.product(*(grid_values(p) for p in params))
        rows = [dict(zip((p.key for p in params), combo, strict=True)) for combo in combos]
        unit = None
    else:
        unit = unit_sample(exp)
        rows = [{p.key: from_unit(p, u) for p, u in zip(params, row, strict=True)}
                for row in unit]
    table = pd.DataFrame(rows, columns=[p.key for p in params])
    for p in params:
        table[p.key] = table[p.key].astype(_DTYPES[p.kind])
    table.insert(0, "point_key", [point_key(r) for r in rows])
    table.insert(0, "point_id", np.arange(len(rows), dtype=np.int64))
    if unit is not None:
        for j, p in enumerate(params):
            table[f"u_{p.key}"] = unit[:, j]
    return table


_DTYPES = {"int": "int64", "float": "float64", "str": "object", "bool": "bool"}


def count_runs(exp: Experiment) -> int:
    """Points times seeds, before duplicates are merged (for messages)."""
    d = exp.design
    k = len(exp.parameters)
    if d.kind == "grid":
        points = math.prod(len(grid_values(p)) for p in exp.parameters)
    elif d.kind == "lhs":
        points = d.samples
    elif d.kind == "sobol":
        points = d.samples * (2 * k + 2 if d.second_order else k + 2)
    else:
        points = d.samples * (k + 1)
    return points * len(exp.seeds)
