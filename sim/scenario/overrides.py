"""Overrides: dotted keys set from a command line, a sweep or code.

``offenders.count=500`` on a command line, ``{"offenders.count": 500}`` in a sweep:
both name a key by its dotted path. Values from text are parsed with TOML rules, so
``--set city.layout=lattice`` needs no quotes and ``--set police.count=40`` is an
integer, as it would be in the file.
"""

from __future__ import annotations

import tomllib
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.schema import SCHEMA, flatten


def parse_override_value(text: str) -> Any:
    """Parse the right-hand side of ``key=value`` with TOML rules (bare words are strings)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_override(item: str) -> tuple[str, Any]:
    """Split ``"key=value"`` into the dotted key and its TOML-parsed value.

    Raises:
        ScenarioError: There is no ``=`` or no key.
    """
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(f"{item!r}: expected KEY=VALUE, e.g. offenders.count=500")
    return key.strip(), parse_override_value(value.strip())


def check_override_key(dotted: str) -> None:
    """Refuse a dotted key the schema does not declare (plug-in keys are checked later).

    The schema is read at each call: families add their sections at import time.

    Raises:
        ScenarioError: The key, or the table it names, is unknown.
    """
    if dotted.startswith("interventions."):
        return  # plug-in keys: checked when the new scenario validates
    if dotted not in flatten():
        head = dotted.split(".")[0]
        if head not in SCHEMA:
            raise ScenarioError(f"{dotted}: unknown key")
        raise ScenarioError(f"{dotted}: unknown key in {dotted.rsplit('.', 1)[0]}")


def set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``tree[a][b][c] = value`` for ``"a.b.c"``, creating tables on the way.

    Raises:
        ScenarioError: An empty part, or a part that is a value, not a table.
    """
    parts = dotted.split(".")
    if any(not p for p in parts):
        raise ScenarioError(f"{dotted}: not a valid dotted key")
    node = tree
    for i, part in enumerate(parts[:-1]):
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            raise ScenarioError(f"{'.'.join(parts[: i + 1])}: is a value, not a table")
        node = nxt
    node[parts[-1]] = value
