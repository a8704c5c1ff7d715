"""Intervention tables: the plug-ins' declared fields, registered from above.

A scenario's ``[interventions.<label>]`` tables are checked here, against the fields
each plug-in declares (its parameters, the common keys and the target area). The
plug-ins live two layers up (:mod:`sim.interventions`, on :mod:`sim.plugins`), so
rather than import them, which would make the scenario layer depend on the engine,
this module keeps a registry that each plug-in fills when it registers
(:func:`sim.plugins.registry.register`). ``sim/__init__.py`` imports
:mod:`sim.interventions`, so every plug-in is registered before any scenario loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.values import type_name, validate_tree

#: Plug-in name -> a function returning its table's declared fields (a Field tree).
_TABLES: dict[str, Callable[[], dict[str, Any]]] = {}


def register_intervention_table(kind: str, fields: Callable[[], dict[str, Any]]) -> None:
    """Declare the fields of the tables that name plug-in ``kind``.

    Args:
        kind: The plug-in's name, as scenario files write it (``type = "..."``).
        fields: Returns the table's Field tree (common keys, parameters, ``target``);
            called at each validation, so it always reflects the plug-in class.

    Raises:
        TypeError: ``kind`` is empty or already registered by another plug-in.
    """
    if not kind:
        raise TypeError("an intervention table needs a non-empty plug-in name")
    known = _TABLES.get(kind)
    if known is not None and known != fields:
        raise TypeError(f"intervention name {kind!r} is registered twice")
    _TABLES[kind] = fields


def intervention_kinds() -> list[str]:
    """The plug-in names a scenario may use, sorted."""
    return sorted(_TABLES)


def validate_interventions(data: Any, base_dir: Path | None) -> dict[str, Any]:
    """Validate ``[interventions.<label>]`` tables against their plug-in's fields.

    Args:
        data: The scenario's ``interventions`` table, as the file gave it.
        base_dir: Folder that relative paths (mask files) are relative to, or None.

    Returns:
        ``{label: settings}``, every key filled in and ``type`` set.

    Raises:
        ScenarioError: Not a table, an unknown plug-in, a bad key or value, or an
            ``end_tick`` not after ``start_tick``.
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"interventions: expected a table, got {type_name(data)}")
    out: dict[str, Any] = {}
    for label, table in data.items():
        where = f"interventions.{label}"
        if not isinstance(table, dict):
            raise ScenarioError(f"{where}: expected a table, got {type_name(table)}")
        kind = table.get("type", label)
        if not isinstance(kind, str):
            raise ScenarioError(f"{where}.type: expected a string, got {type_name(kind)}")
        if kind not in _TABLES:
            raise ScenarioError(
                f"{where}.type: unknown intervention {kind!r} (known: "
                f"{', '.join(intervention_kinds())}); the label is the type unless "
                "`type` is given")
        settings = validate_tree(table, _TABLES[kind](), where + ".", base_dir)
        settings["type"] = kind
        end, start = settings["end_tick"], settings["start_tick"]
        if 0 <= end <= start:
            raise ScenarioError(f"{where}.end_tick: {end} is not after start_tick {start}")
        out[label] = settings
    return out
