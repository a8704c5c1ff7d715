"""A sweep's experiment file: what to vary, how to sample it, what to keep.

An experiment is data (``experiments/*.toml``), validated here in full before any run
starts, so a typo costs a second rather than a night on a cluster. Every problem is
one :class:`SweepError` naming the key, in the style of scenario errors::

    name = "quick_sweep"
    scenario = "../scenarios/baseline.toml"   # relative to this file, or a shipped
                                               # scenario's name ("baseline")
    days = 20                                  # run length
    warmup_days = 0                            # "final" metrics skip these days
    replications = 2                           # seeds seed, seed+1, ...
    seed = 1                                   # first seed; also seeds the design
    record = "final"                           # "tick", "day" or "final"
    metrics = ["crimes_total", "arrests"]      # default: a standard set

    [design]
    kind = "grid"                              # grid, lhs, sobol or morris
    samples = 16                               # lhs points / sobol N / morris trajectories

    [parameters]
    "offenders.count" = [100, 200, 300]                       # values
    "police.count" = { low = 10, high = 40, steps = 4 }       # a range

Any dotted scenario key can be swept, intervention parameters included
(``interventions.<label>.<key>``). A parameter's type (integer, real, text, switch)
is the base scenario's: integer ranges are sampled as integers
(:mod:`sim.analysis.sweep.parameters` checks them).
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.sweep.errors import SweepError
from sim.analysis.sweep.metrics import DEFAULT_METRICS, FINAL_ONLY, RECORDS, check_metrics
from sim.analysis.sweep.parameters import Parameter, parse_parameters
from sim.families import runs_crime_model
from sim.scenario import Scenario, ScenarioError
from sim.scenario.shipped import find_shipped

DESIGNS = ("grid", "lhs", "sobol", "morris")
_TOP_KEYS = {"name", "description", "scenario", "days", "warmup_days", "replications",
             "seeds", "seed", "record", "metrics", "design", "parameters", "set"}
_DESIGN_KEYS = {"kind", "samples", "levels", "second_order"}


@dataclass(frozen=True)
class Design:
    """How parameter points are chosen.

    Attributes:
        kind: ``grid`` (every combination), ``lhs`` (Latin hypercube), ``sobol``
            (Saltelli's sample for Sobol indices) or ``morris`` (elementary effects).
        samples: LHS points; Sobol base sample N (a power of 2; N(2D+2) points);
            Morris trajectories (N(D+1) points). Unused by grid.
        levels: Morris grid levels.
        second_order: Sobol second-order indices (more points: N(2D+2) vs N(D+2)).
    """

    kind: str = "grid"
    samples: int = 0
    levels: int = 4
    second_order: bool = False


@dataclass(frozen=True)
class Experiment:
    """A validated sweep.

    Attributes:
        name: Experiment name (defaults to the file's stem).
        description: One line for reports.
        source: The experiment file's path.
        text: The file's text (kept in the manifest, hashed for it).
        scenario: The base scenario, with the file's fixed ``[set]`` overrides.
        parameters: The swept keys.
        design: How points are chosen.
        seeds: Replication seeds; every point runs with each (common random numbers).
        days: Days each run lasts.
        warmup_days: Days ignored by ``final`` metrics (the city settles).
        record: ``tick``, ``day`` or ``final``.
        metrics: Metric columns kept.
        design_seed: Seeds Latin hypercube, Sobol and Morris sampling.
    """

    name: str
    description: str
    source: str
    text: str
    scenario: Scenario
    parameters: tuple[Parameter, ...]
    design: Design
    seeds: tuple[int, ...]
    days: float
    warmup_days: float
    record: str
    metrics: tuple[str, ...]
    design_seed: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """Hash of the experiment file's text (the manifest records it)."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def ticks(self) -> int:
        """Ticks each run lasts."""
        return int(round(self.days * self.scenario.params.time.ticks_per_day))

    @property
    def time_column(self) -> str:
        """The dataset's time column: ``tick`` or ``day`` (``day`` for final records)."""
        return "tick" if self.record == "tick" else "day"

    def setup_key(self) -> str:
        """Hash of everything besides parameters and seed that decides a run's rows.

        A resumed sweep must agree with the stored one on this, or its rows would mix
        runs of different lengths or metrics.
        """
        blob = json.dumps({"scenario": self.scenario.digest(), "days": self.days,
                           "warmup_days": self.warmup_days, "record": self.record,
                           "metrics": list(self.metrics)}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; raise :class:`SweepError` naming the problem."""
    path = Path(path)
    if not path.is_file():
        raise SweepError(f"{path}: experiment file not found")
    try:
        text = path.read_bytes().decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise SweepError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SweepError(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse_experiment(raw, text=text, source=str(path), base_dir=path.parent,
                                default_name=path.stem)
    except SweepError as exc:
        raise SweepError(f"{path}: {exc}") from None


def parse_experiment(raw: dict[str, Any], *, text: str = "", source: str = "",
                     base_dir: Path | None = None, default_name: str = "sweep") -> Experiment:
    """Validate an experiment given as a dict shaped like the TOML file."""
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise SweepError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    scenario = _base_scenario(raw, base_dir)
    days = _number(raw, "days", scenario.params.time.days, positive=True)
    warmup = _number(raw, "warmup_days", 0.0)
    if warmup >= days:
        raise SweepError(f"warmup_days: {warmup:g} must be less than days ({days:g})")
    record = raw.get("record", "final")
    if record not in RECORDS:
        raise SweepError(f"record: {record!r} is not one of {', '.join(RECORDS)}")
    metrics = raw.get("metrics", list(DEFAULT_METRICS))
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str)
                                                                for m in metrics):
        raise SweepError("metrics: must be a non-empty list of metric names")
    try:
        check_metrics(metrics, record)
    except ValueError as exc:
        raise SweepError(f"metrics: {exc}") from None
    design = _design(raw.get("design", {}))
    params = parse_parameters(raw.get("parameters"), scenario, design.kind)
    seeds = _seeds(raw)
    exp = Experiment(
        name=str(raw.get("name", default_name)), description=str(raw.get("description", "")),
        source=source, text=text, scenario=scenario, parameters=params, design=design,
        seeds=seeds, days=days, warmup_days=warmup, record=record,
        metrics=tuple(dict.fromkeys(metrics)), design_seed=int(raw.get("seed", 1)))
    return exp


# --- pieces -----------------------------------------------------------------------
def _base_scenario(raw: dict[str, Any], base_dir: Path | None) -> Scenario:
    ref = raw.get("scenario")
    if ref is None:
        scenario = Scenario.default()
    elif not isinstance(ref, str) or not ref:
        raise SweepError("scenario: must be the path of a scenario file")
    else:
        path = Path(ref) if Path(ref).is_absolute() or base_dir is None else base_dir / ref
        if not path.is_file():  # a shipped scenario's name (crimesim scenarios lists them)
            path = find_shipped(ref) or path
        try:
            scenario = Scenario.load(path)
        except ScenarioError as exc:
            raise SweepError(f"scenario: {exc}") from None
        if not runs_crime_model(scenario):
            raise SweepError(f"scenario: {ref} has model = {scenario.params.model!r}; sweeps "
                             "run the crime model only")
    fixed = raw.get("set", {})
    if not isinstance(fixed, dict):
        raise SweepError("set: must be a table of dotted scenario keys and values")
    try:
        return scenario.with_overrides(_flatten(fixed)) if fixed else scenario
    except ScenarioError as exc:
        raise SweepError(f"set.{exc}") from None


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` and ``{"a.b": 1}`` both -> ``{"a.b": 1}``."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def _number(raw: dict[str, Any], key: str, default: float, positive: bool = False) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SweepError(f"{key}: expected a number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise SweepError(f"{key}: must be {'positive' if positive else 'zero or more'}")
    return float(value)


def _seeds(raw: dict[str, Any]) -> tuple[int, ...]:
    if "seeds" in raw:
        seeds = raw["seeds"]
        if "replications" in raw:
            raise SweepError("seeds: give either seeds or replications, not both")
        if (not isinstance(seeds, list) or not seeds
                or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0
                           for s in seeds)):
            raise SweepError("seeds: must be a non-empty list of whole numbers >= 0")
        if len(set(seeds)) != len(seeds):
            raise SweepError("seeds: a seed is listed twice")
        return tuple(seeds)
    reps = raw.get("replications", 1)
    first = raw.get("seed", 1)
    for key, value in (("replications", reps), ("seed", first)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SweepError(f"{key}: expected a whole number >= 0, got {value!r}")
    if reps < 1:
        raise SweepError("replications: must be at least 1")
    return tuple(range(first, first + reps))


def _design(raw: Any) -> Design:
    if not isinstance(raw, dict):
        raise SweepError("design: must be a table, e.g. [design] kind = \"grid\"")
    unknown = sorted(set(raw) - _DESIGN_KEYS)
    if unknown:
        raise SweepError(f"design.{unknown[0]}: unknown key")
    kind = raw.get("kind", "grid")
    if kind not in DESIGNS:
        raise SweepError(f"design.kind: {kind!r} is not one of {', '.join(DESIGNS)}")
    samples = raw.get("samples", 0 if kind == "grid" else None)
    if kind != "grid":
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise SweepError(f"design.samples: a {kind} design needs samples, a whole "
                             "number >= 1")
        if kind == "sobol" and samples & (samples - 1):
            raise SweepError(f"design.samples: Sobol sampling needs a power of 2, got {samples}")
    levels = raw.get("levels", 4)
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2:
        raise SweepError("design.levels: must be an even whole number >= 2")
    second = raw.get("second_order", False)
    if not isinstance(second, bool):
        raise SweepError("design.second_order: must be true or false")
    return Design(kind=kind, samples=int(samples or 0), levels=levels, second_order=second)


__all__ = ["DESIGNS", "FINAL_ONLY", "Design", "Experiment", "Parameter", "SweepError",
           "load_experiment", "parse_experiment"]
