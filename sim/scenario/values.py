"""Checking values against declared fields: one walker for every table of a scenario.

The schema, the intervention plug-ins' tables and the model families' sections are
all declared as :class:`~sim.fields.Field` trees, so one walker validates them and
every bad value gets the same kind of one-line message naming its dotted key.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.fields import Field
from sim.scenario.feasibility import check_feasible


def type_name(value: Any) -> str:
    """How an error message names the type of a value a user wrote: "a boolean", ..."""
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), f"a {type(value).__name__}"
    )


def check_value(key: str, field: Field, value: Any, base_dir: Path | None) -> Any:
    """Return ``value`` converted to the field's type, or raise ScenarioError.

    Args:
        key: The dotted key, for the message.
        field: The key's declaration.
        value: What the file or override gave.
        base_dir: Folder that relative ``path`` values are relative to, or None.
    """
    kind = field.kind
    if kind in ("str_list", "int_list"):
        item_kind = "str" if kind == "str_list" else "int"
        if not isinstance(value, list):
            raise ScenarioError(f"{key}: expected a list, got {type_name(value)}")
        item = Field(item_kind, None, field.help, field.low, field.high, field.choices)
        return [check_value(f"{key}[{i}]", item, v, base_dir) for i, v in enumerate(value)]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ScenarioError(f"{key}: expected true or false, got {type_name(value)}")
        return value
    if kind in ("str", "path"):
        if not isinstance(value, str):
            raise ScenarioError(f"{key}: expected a string, got {type_name(value)}")
        if field.choices and value not in field.choices:
            raise ScenarioError(
                f"{key}: {value!r} is not one of {', '.join(map(repr, field.choices))}"
            )
        if kind == "path" and value:
            path = Path(value)
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            if not path.is_file():
                raise ScenarioError(f"{key}: file not found: {path}")
            return str(path)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        want = "an integer" if kind == "int" else "a number"
        raise ScenarioError(f"{key}: expected {want}, got {type_name(value)}")
    if kind == "int":
        if isinstance(value, float):
            raise ScenarioError(f"{key}: expected an integer, got {value}")
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ScenarioError(f"{key}: must be a finite number, got {value}")
    if field.low is not None and value < field.low:
        raise ScenarioError(f"{key}: {value} is below the minimum {field.low:g}")
    if field.high is not None and value > field.high:
        raise ScenarioError(f"{key}: {value} is above the maximum {field.high:g}")
    return value


def validate_tree(
    data: dict[str, Any], schema: dict[str, Any], prefix: str, base_dir: Path | None
) -> dict[str, Any]:
    """Merge ``data`` onto the schema defaults, validating every key on the way.

    Args:
        data: A (sub)table as the file gave it.
        schema: The matching part of the schema: Fields and nested tables.
        prefix: Dotted path of ``data`` ("" at the top), for messages.
        base_dir: Folder that relative ``path`` values are relative to, or None.

    Raises:
        ScenarioError: An unknown key (with a close match if there is one), a table
            where a value belongs, or a bad value.
    """
    out: dict[str, Any] = {}
    for key in data:
        if key not in schema:
            where = prefix.rstrip(".") or "top level"
            close = [k for k in schema if k.lower() == key.lower() or k.startswith(key[:4])]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ScenarioError(f"{prefix}{key}: unknown key in {where}{hint}")
    for key, spec in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(spec, Field):
            out[key] = (
                check_value(dotted, spec, data[key], base_dir) if key in data else spec.default
            )
        else:
            sub = data.get(key, {})
            if not isinstance(sub, dict):
                raise ScenarioError(f"{dotted}: expected a table, got {type_name(sub)}")
            out[key] = validate_tree(sub, spec, dotted + ".", base_dir)
    return out


def cross_checks(values: dict[str, Any]) -> None:
    """Checks of the base schema that involve more than one key.

    Raises:
        ScenarioError: Police shares, map file, neighbourhood, resident shares or the
            city's size are inconsistent, or the combination cannot run
            (:func:`~sim.scenario.feasibility.check_feasible`).
    """
    police = values["police"]
    shares = sum(police[s] for s in ("random", "hotspot", "community", "reactive"))
    if police["count"] > 0 and abs(shares - 1.0) > 1e-6:
        raise ScenarioError(
            "police: strategy shares random + hotspot + community + reactive must sum to 1, "
            f"got {shares:g}"
        )
    city = values["city"]
    if city["layout"] == "map" and not city["map_file"]:
        raise ScenarioError("city.map_file: required when city.layout = 'map'")
    if city["neighbourhood"] not in (4, 8):
        raise ScenarioError(f"city.neighbourhood: must be 4 or 8, got {city['neighbourhood']}")
    r = values["residents"]
    if r["youth_share"] + r["elderly_share"] > 1.0:
        raise ScenarioError("residents: youth_share + elderly_share must not exceed 1")
    cells = city["width"] * city["height"]
    if cells > 50_000_000:
        raise ScenarioError(f"city: {cells} cells is more than the 50,000,000 supported")
    check_feasible(values)
