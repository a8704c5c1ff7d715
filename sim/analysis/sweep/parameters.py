"""A sweep's parameters: the scenario keys it varies, their values or ranges, checked.

Each parameter takes its type (integer, real, text, switch) from the base scenario's
setting, so an integer range is sampled as integers and a typo in a value fails before
any run starts, with an error naming the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.analysis.sweep.errors import SweepError
from sim.scenario import Scenario

#: Keys of one parameter's table.
_PARAM_KEYS = {"values", "low", "high", "steps"}


@dataclass(frozen=True)
class Parameter:
    """One swept scenario key.

    Attributes:
        key: Dotted scenario key, e.g. ``offenders.count``.
        kind: ``"int"``, ``"float"``, ``"str"`` or ``"bool"`` (the base scenario's type).
        values: The values to take (a value list), or None for a range.
        low: Lower end of a range.
        high: Upper end of a range (inclusive for integers).
        steps: Grid points across a range (grid design only).
    """

    key: str
    kind: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    steps: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (for the manifest)."""
        out: dict[str, Any] = {"key": self.key, "kind": self.kind}
        if self.values is not None:
            out["values"] = list(self.values)
        else:
            out.update(low=self.low, high=self.high)
            if self.steps is not None:
                out["steps"] = self.steps
        return out


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    raise SweepError(f"cannot sweep a {type(value).__name__} setting")


def parse_parameters(raw: Any, scenario: Scenario, design_kind: str
                     ) -> tuple[Parameter, ...]:
    """The ``[parameters]`` table checked against the base scenario, one per key.

    Args:
        raw: The table as read from TOML.
        scenario: The base scenario: each key must be one of its settings, and the
            setting's type is the parameter's.
        design_kind: The design's kind (only a grid takes ``steps`` over a range).

    Raises:
        SweepError: Naming the key and what is wrong with it.
    """
    if not isinstance(raw, dict) or not raw:
        raise SweepError("parameters: list at least one scenario key to vary, e.g. "
                         "[parameters] \"offenders.count\" = [100, 200]")
    out = []
    for key, spec in _flatten_params(raw).items():
        try:
            base = scenario[key]
        except KeyError:
            raise SweepError(f"parameters.{key}: not a key of the base scenario") from None
        try:
            kind = _kind_of(base)
        except SweepError as exc:
            raise SweepError(f"parameters.{key}: {exc}") from None
        out.append(_parameter(key, kind, spec, design_kind))
    return tuple(out)


def _flatten_params(raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys may be quoted (``"a.b" = [...]``) or nested tables (``[parameters.a]``)."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not (set(value) & _PARAM_KEYS):
            out.update(_flatten_params(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def _parameter(key: str, kind: str, spec: Any, design_kind: str) -> Parameter:
    where = f"parameters.{key}"
    if isinstance(spec, list):
        spec = {"values": spec}
    if not isinstance(spec, dict):
        raise SweepError(f"{where}: give a list of values or a table {{ low, high, steps }}")
    unknown = sorted(set(spec) - _PARAM_KEYS)
    if unknown:
        raise SweepError(f"{where}.{unknown[0]}: unknown key (use values, or low/high/steps)")
    if "values" in spec:
        if set(spec) - {"values"}:
            raise SweepError(f"{where}: give either values or low/high, not both")
        values = spec["values"]
        if not isinstance(values, list) or not values:
            raise SweepError(f"{where}.values: must be a non-empty list")
        checked = tuple(_coerce(f"{where}.values", kind, v) for v in values)
        if len(set(checked)) != len(checked):
            raise SweepError(f"{where}.values: a value is listed twice")
        return Parameter(key, kind, values=checked)
    if kind not in ("int", "float"):
        raise SweepError(f"{where}: a {kind} setting takes a list of values, not a range")
    if "low" not in spec or "high" not in spec:
        raise SweepError(f"{where}: a range needs both low and high")
    low = _coerce(f"{where}.low", kind, spec["low"])
    high = _coerce(f"{where}.high", kind, spec["high"])
    if not low < high:
        raise SweepError(f"{where}: low ({low}) must be below high ({high})")
    steps = spec.get("steps")
    if design_kind == "grid":
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
            raise SweepError(f"{where}.steps: a grid over a range needs steps, a whole "
                             "number >= 2")
    elif steps is not None:
        raise SweepError(f"{where}.steps: only a grid design uses steps "
                         f"({design_kind} samples the range)")
    return Parameter(key, kind, low=low, high=high, steps=steps)


def _coerce(where: str, kind: str, value: Any) -> Any:
    """Check a value against the setting's type; integers are accepted for reals."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise SweepError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise SweepError(f"{where}: expected text, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SweepError(f"{where}: expected a number, got {value!r}")
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise SweepError(f"{where}: expected a whole number, got {value!r}")
        return int(value)
    if not math.isfinite(value):
        raise SweepError(f"{where}: expected a finite number, got {value!r}")
    return float(value)
