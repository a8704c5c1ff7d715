"""A policy search's experiment file: levers, budget, uncertainties, robustness.

``crimesim search EXPERIMENT.toml`` asks "which mix of interventions, for this budget,
protects the most people -- and does the choice hold if our assumptions are wrong?".
The file states it in the terms of exploratory modelling (EMA Workbench's, which
researchers in the field know):

- **levers**: what the council decides. ``[budget] split`` names intervention tables
  whose yearly budget shares are searched (each plug-in then fits its coverage to its
  share, as its ``budget`` key does), and ``[levers]`` gives further scenario keys
  with ranges (a coverage, a start day, a target size).
- **constraints**: the budget per year (a candidate whose measured yearly cost is over
  it is infeasible) and coverage floors per intervention.
- **uncertainties**: scenario keys with ranges (deterrence, near-repeat strength,
  offender numbers, legitimacy ...). Every candidate is evaluated under the same
  samples of them and the same seeds (common random numbers), so candidates differ
  only by their levers.
- **robustness**: how the samples are summarised per candidate: a quantile of harm
  prevented (0.25: what the policy does in a bad quarter of the futures), or the mean.
- **objectives**: harm prevented for each named group (``everyone`` and the
  vulnerable groups) is maximised, the yearly cost minimised.

Everything is checked before any run: an unknown key, an empty lever set, a range the
wrong way round or a budget that cannot be spent is one line (exit 2 on the CLI).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.config import GROUPS
from sim.scenario import Scenario, ScenarioError
from sim.scenario.shipped import resolve_scenario

#: Robustness statistics a search can optimise.
STATISTICS = ("quantile", "mean")
#: Samplers: optuna's NSGA-II (many objectives) or plain random search (a reference).
SAMPLERS = ("nsga2", "random")
#: Top-level keys of the file.
TOP_KEYS = {"name", "description", "scenario", "days", "start_day", "seed", "seeds",
            "trials", "batch", "sampler", "budget", "levers", "floors", "uncertainties",
            "robustness", "objectives", "discovery", "brief"}


class SearchExperimentError(ValueError):
    """A search experiment file that cannot be run; the message names the problem."""


@dataclass(frozen=True)
class Range:
    """A searched or uncertain scenario key and its range.

    Attributes:
        key: Dotted scenario key (``police.deterrence``), or ``share.<label>`` for a
            budget share.
        low: Lower end (inclusive).
        high: Upper end (inclusive).
        integer: Whether the key takes whole numbers (the scenario's value is an int).
    """

    key: str
    low: float
    high: float
    integer: bool = False

    def value(self, unit: float) -> float | int:
        """The value at ``unit`` (0 to 1) along the range (rounded for an integer key)."""
        x = self.low + (self.high - self.low) * unit
        return int(round(x)) if self.integer else float(x)


@dataclass(frozen=True)
class SearchExperiment:
    """A validated search experiment (see the module docstring).

    Attributes:
        name: The experiment's name.
        path: The file it came from.
        scenario: The base city (no intervention of the split switched on).
        days: Days simulated per run.
        start_day: Day the interventions start; harm and cost are counted from it.
        seed: First replication seed (the seeds are ``seed, seed + 1, ...``).
        seeds: Replications per candidate and uncertainty sample.
        trials: Candidates to evaluate in all (a resumed search counts finished ones).
        batch: Candidates proposed and evaluated at once.
        sampler: ``nsga2`` or ``random``.
        budget_per_year: The mix's budget per year, in the scenario's currency.
        split: Intervention labels whose budget shares are levers.
        levers: Further searched scenario keys.
        floors: Label -> the lowest coverage a feasible candidate may have.
        uncertainties: Uncertain scenario keys.
        samples: Uncertainty samples every candidate is evaluated under.
        statistic: ``quantile`` or ``mean``.
        quantile: The quantile of harm prevented (and 1 - it of cost) optimised.
        groups: Groups whose harm prevented is an objective (``everyone`` first).
        discovery_samples: New futures the chosen mix is stress-tested in for PRIM
            (0: no scenario discovery).
        discovery_seeds: Paired replications per stress-test future (their mean
            harm prevented decides whether the mix failed there).
        fails_below: The chosen mix fails in a future where its harm prevented for
            everyone is at or below this.
        brief_mixes: Pareto mixes compared with the base city in the decision brief
            (0: no brief).
        brief_reps: Replications of that comparison.
    """

    name: str
    path: Path
    scenario: Scenario
    days: float
    start_day: float
    seed: int
    seeds: int
    trials: int
    batch: int
    sampler: str
    budget_per_year: float
    split: tuple[str, ...]
    levers: tuple[Range, ...]
    floors: dict[str, float]
    uncertainties: tuple[Range, ...]
    samples: int
    statistic: str
    quantile: float
    groups: tuple[str, ...]
    discovery_samples: int = 0
    discovery_seeds: int = 1
    fails_below: float = 0.0
    brief_mixes: int = 0
    brief_reps: int = 5
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def lever_names(self) -> list[str]:
        """Every lever's name: ``share.<label>`` for the split, then the keys."""
        return [f"share.{label}" for label in self.split] + [r.key for r in self.levers]

    @property
    def objective_names(self) -> list[str]:
        """``harm_prevented.<group>`` for each group, then ``cost_per_year``."""
        return [f"harm_prevented.{g}" for g in self.groups] + ["cost_per_year"]

    def fingerprint(self) -> dict[str, Any]:
        """What a resumed search must share with the stored one (the file's content)."""
        return {k: v for k, v in self.raw.items()
                if k not in ("trials", "description", "discovery", "brief")}


def _fail(path: Path, message: str) -> SearchExperimentError:
    return SearchExperimentError(f"{path}: {message}")


def _number(path: Path, where: str, value: Any, *, low: float | None = None,
            low_open: bool = False, high: float | None = None, whole: bool = False) -> float:
    """A finite number within bounds, or one line naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, f"{where}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise _fail(path, f"{where}: expected a finite number, got {value!r}")
    if whole and value != int(value):
        raise _fail(path, f"{where}: expected a whole number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        bound = f"> {low:g}" if low_open else f">= {low:g}"
        raise _fail(path, f"{where}: must be {bound}, got {value!r}")
    if high is not None and value > high:
        raise _fail(path, f"{where}: must be <= {high:g}, got {value!r}")
    return float(value)


def _table(path: Path, raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise _fail(path, f"[{key}]: expected a table, got {value!r}")
    return value


def _ranges(path: Path, table: dict[str, Any], section: str, scenario: Scenario
            ) -> tuple[Range, ...]:
    """``key = [low, high]`` entries, each key and both ends checked on the scenario."""
    out = []
    for key, bounds in table.items():
        where = f"[{section}] {key}"
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise _fail(path, f"{where}: expected [low, high], got {bounds!r}")
        low, high = (_number(path, where, b) for b in bounds)
        if not low < high:
            raise _fail(path, f"{where}: the range must go from low to high, got {bounds!r}")
        integer = _takes_integers(path, where, scenario, key, (low + high) / 2)
        for end in (low, high):
            try:
                scenario.with_overrides({key: int(round(end)) if integer else end})
            except ScenarioError as exc:
                raise _fail(path, f"{where}: {end:g} is not a valid value ({exc})") from None
        out.append(Range(key, low, high, integer))
    return tuple(out)


def value_of(scenario: Scenario, key: str) -> Any:
    """A scenario's value of a dotted key, defaults included (None if there is none)."""
    node: Any = scenario.params.to_dict()
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _takes_integers(path: Path, where: str, scenario: Scenario, key: str, probe: float
                    ) -> bool:
    """Whether ``key`` takes whole numbers; one line if it is not a numeric scenario key."""
    try:
        built = scenario.with_overrides({key: probe})
    except ScenarioError as exc:
        if "expected an integer" in str(exc):
            return True
        raise _fail(path, f"{where}: not a scenario key the search can set ({exc})") from None
    value = value_of(built, key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, f"{where}: {key} is not a number in the scenario ({value!r})")
    return isinstance(value, int)


def load_search_experiment(path: str | Path) -> SearchExperiment:
    """Read and check an experiment file (see the module docstring).

    Raises:
        SearchExperimentError: Anything that would stop the search, in one line.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchExperimentError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchExperimentError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SearchExperimentError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        raise _fail(path, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(TOP_KEYS))})")
    reference = raw.get("scenario", "baseline")
    try:
        scenario_path = resolve_scenario(reference if Path(str(reference)).is_absolute()
                                         or not (path.parent / str(reference)).is_file()
                                         else path.parent / str(reference))
        scenario = Scenario.load(scenario_path)
    except ScenarioError as exc:
        raise _fail(path, f"scenario: {exc}") from None
    days = _number(path, "days", raw.get("days", 120), low=1)
    start_day = _number(path, "start_day", raw.get("start_day", 30), low=0)
    if start_day >= days:
        raise _fail(path, f"start_day {start_day:g}: must be before the run ends (days "
                          f"{days:g})")
    budget = _table(path, raw, "budget")
    unknown_budget = sorted(set(budget) - {"per_year", "split"})
    if unknown_budget:
        raise _fail(path, f"[budget]: unknown key {unknown_budget[0]!r} (known: per_year, "
                          "split)")
    if "per_year" not in budget:
        raise _fail(path, "[budget] per_year: missing (the mix's budget per year, in the "
                          "scenario's currency)")
    per_year = _number(path, "[budget] per_year", budget["per_year"], low=0, low_open=True)
    split = budget.get("split", [])
    if not isinstance(split, list) or not all(isinstance(s, str) for s in split):
        raise _fail(path, f"[budget] split: expected a list of intervention names, got "
                          f"{split!r}")
    if len(set(split)) != len(split):
        raise _fail(path, "[budget] split: an intervention is named twice")
    for label in split:
        _check_intervention(path, scenario, label, "[budget] split")
    levers = _ranges(path, _table(path, raw, "levers"), "levers", scenario)
    if not split and not levers:
        raise _fail(path, "no levers: name interventions in [budget] split or give "
                          "[levers] keys with ranges")
    floors = {}
    for label, floor in _table(path, raw, "floors").items():
        floors[label] = _number(path, f"[floors] {label}", floor, low=0, high=1)
        if label not in split and not any(r.key.startswith(f"interventions.{label}.")
                                          for r in levers):
            raise _fail(path, f"[floors] {label}: not an intervention the search sets "
                              "(name it in [budget] split or [levers])")
    uncertainties_table = dict(_table(path, raw, "uncertainties"))
    robustness = _table(path, raw, "robustness")
    samples = int(_number(path, "[robustness] samples", robustness.get("samples", 4), low=1,
                          whole=True))
    statistic = robustness.get("statistic", "quantile")
    if statistic not in STATISTICS:
        raise _fail(path, f"[robustness] statistic: expected one of {', '.join(STATISTICS)}, "
                          f"got {statistic!r}")
    quantile = _number(path, "[robustness] quantile", robustness.get("quantile", 0.25),
                       low=0, high=1)
    groups = _table(path, raw, "objectives").get("groups", ["everyone"])
    if not isinstance(groups, list) or not groups:
        raise _fail(path, "[objectives] groups: expected a list of groups")
    for g in groups:
        if g not in GROUPS:
            raise _fail(path, f"[objectives] groups: unknown group {g!r} (known: "
                              f"{', '.join(GROUPS)})")
    discovery = _table(path, raw, "discovery")
    _known(path, "discovery", discovery, {"samples", "seeds", "fails_below"})
    if discovery.get("samples", 0) and not uncertainties_table:
        raise _fail(path, "[discovery] samples: scenario discovery needs [uncertainties]")
    brief = _table(path, raw, "brief")
    _known(path, "brief", brief, {"mixes", "reps"})
    sampler = raw.get("sampler", "nsga2")
    if sampler not in SAMPLERS:
        raise _fail(path, f"sampler: expected one of {', '.join(SAMPLERS)}, got {sampler!r}")
    return SearchExperiment(
        name=str(raw.get("name", path.stem)), path=path, scenario=scenario, days=days,
        start_day=start_day,
        seed=int(_number(path, "seed", raw.get("seed", 101), low=0, whole=True)),
        seeds=int(_number(path, "seeds", raw.get("seeds", 2), low=1, whole=True)),
        trials=int(_number(path, "trials", raw.get("trials", 24), low=1, whole=True)),
        batch=int(_number(path, "batch", raw.get("batch", 4), low=1, whole=True)),
        sampler=sampler, budget_per_year=per_year, split=tuple(split), levers=levers,
        floors=floors,
        uncertainties=_ranges(path, uncertainties_table, "uncertainties", scenario),
        samples=samples, statistic=statistic, quantile=quantile, groups=tuple(groups),
        discovery_samples=int(_number(path, "[discovery] samples",
                                      discovery.get("samples", 0), low=0, whole=True)),
        discovery_seeds=int(_number(path, "[discovery] seeds", discovery.get("seeds", 1),
                                    low=1, whole=True)),
        fails_below=_number(path, "[discovery] fails_below", discovery.get("fails_below", 0.0)),
        brief_mixes=int(_number(path, "[brief] mixes", brief.get("mixes", 0), low=0,
                                whole=True)),
        brief_reps=int(_number(path, "[brief] reps", brief.get("reps", 5), low=2, whole=True)),
        raw=raw)


def _known(path: Path, section: str, table: dict[str, Any], keys: set[str]) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise _fail(path, f"[{section}]: unknown key {unknown[0]!r} (known: "
                          f"{', '.join(sorted(keys))})")


def _check_intervention(path: Path, scenario: Scenario, label: str, where: str) -> None:
    """The label names a plug-in the scenario can switch on (its table or its type)."""
    try:
        scenario.with_overrides({f"interventions.{label}.coverage": 1.0})
    except ScenarioError as exc:
        raise _fail(path, f"{where}: {label!r} is not an intervention ({exc})") from None
