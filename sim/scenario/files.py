"""Scenario files: reading TOML, and ``extends`` (a file laid over its parent).

A policy scenario holds only what differs from the city it treats: its keys are laid
over the parent file's, table by table. The parent is loaded (and so validated) on
its own first, so an error in it names the parent file, not the child.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sim.errors import ScenarioError
from sim.scenario.values import type_name


class LoadedScenario(Protocol):
    """What :func:`extend` needs of a loaded parent scenario."""

    base_dir: Path | None

    def raw(self) -> dict[str, Any]:
        """The keys the file set."""
        ...


def read_toml(path: Path) -> dict[str, Any]:
    """The raw key tree of a scenario file.

    Raises:
        ScenarioError: The file is missing, unreadable, not UTF-8 or not TOML; the
            message starts with the path.
    """
    if not path.is_file():
        raise ScenarioError(f"{path}: scenario file not found")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` laid over ``parent``, recursively for tables."""
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def extend(raw: dict[str, Any], path: Path, seen: tuple[Path, ...],
           load: Callable[[Path, tuple[Path, ...]], LoadedScenario]) -> dict[str, Any]:
    """Resolve ``extends``: the parent file's raw keys with ``raw`` laid over them.

    Args:
        raw: The child file's keys, ``extends`` among them (removed here).
        path: The child file.
        seen: Files already on the chain of ``extends``, to refuse a cycle.
        load: Loads and validates the parent (``Scenario.load``).

    Raises:
        ScenarioError: ``extends`` is not a file name, names a missing file, or
            makes a cycle.
    """
    parent_name = raw.pop("extends")
    if not isinstance(parent_name, str):
        raise ScenarioError(f"{path}: extends: expected a file name, got {type_name(parent_name)}")
    parent = (path.parent / parent_name).resolve()
    if parent in seen or parent == path.resolve():
        raise ScenarioError(f"{path}: extends: {parent_name} extends this file again (a cycle)")
    if not parent.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {path.parent / parent_name}")
    base = load(parent, (*seen, path.resolve()))
    base_raw = base.raw()
    if base.base_dir != path.parent:
        rebase_paths(base_raw, base.base_dir, path.parent)
    return merge(base_raw, raw)


def rebase_paths(raw: dict[str, Any], old: Path | None, new: Path) -> None:
    """Make the parent's relative file paths (map and mask files) absolute."""
    city = raw.get("city", {})
    if old is not None and city.get("map_file") and not Path(city["map_file"]).is_absolute():
        city["map_file"] = str((old / city["map_file"]).resolve())
    for table in raw.get("interventions", {}).values():
        target = table.get("target", {}) if isinstance(table, dict) else {}
        mask = target.get("mask_file")
        if old is not None and mask and not Path(mask).is_absolute():
            target["mask_file"] = str((old / mask).resolve())
