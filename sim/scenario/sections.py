"""Model families' sections of the schema, registered by the families themselves.

A scenario's ``model`` key names its model family. The crime model reads the base
schema (:mod:`sim.scenario.schema`); another family, such as Epstein's civil
violence model, reads its own table (``[civil_violence]``) and a few named keys of
the base schema. The families live above the scenario layer, so each registers its
section here when it is imported (``sim/__init__.py`` imports them all): the section's
fields join :data:`~sim.scenario.schema.SCHEMA`, its name joins the choices of the
``model`` key, and a scenario is checked for keys its family would silently ignore.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.errors import ScenarioError
from sim.fields import Field
from sim.scenario.schema import SCHEMA

#: Keys every family reads, whatever its section.
COMMON_KEYS: tuple[str, ...] = ("name", "description", "model")


@dataclass(frozen=True)
class FamilySection:
    """The part of a scenario one model family reads, besides the common keys.

    Attributes:
        model: The ``model`` value of the family's scenarios; also the name of its
            table, e.g. ``"civil_violence"`` for ``[civil_violence]``.
        fields: The table's declared keys.
        shared_keys: Dotted keys of the base schema the family also reads
            (e.g. ``city.width``); any other key set in its scenarios is an error.
        check: Cross-checks of the validated values (the whole scenario's), raising
            ScenarioError; None for none.
    """

    model: str
    fields: dict[str, Field]
    shared_keys: tuple[str, ...] = ()
    check: Callable[[dict[str, Any]], None] | None = None

    def reads(self, dotted: str) -> bool:
        """Whether this family reads the (dotted) scenario key."""
        return (dotted in COMMON_KEYS or dotted in self.shared_keys
                or dotted.split(".", 1)[0] == self.model)


_SECTIONS: dict[str, FamilySection] = {}


def register_section(section: FamilySection) -> None:
    """Add a family's section to the schema and its name to the ``model`` choices.

    Registering the same section again (a module re-imported) changes nothing.

    Raises:
        TypeError: The name is taken by a base schema table or another section.
    """
    known = _SECTIONS.get(section.model)
    if known == section:
        return
    if known is not None or section.model in SCHEMA:
        raise TypeError(f"schema section {section.model!r} is registered twice")
    _SECTIONS[section.model] = section
    SCHEMA[section.model] = section.fields
    model = SCHEMA["model"]
    if section.model not in model.choices:
        SCHEMA["model"] = dataclasses.replace(model, choices=(*model.choices, section.model))


def section_of(model: str) -> FamilySection | None:
    """The registered section of family ``model``; None for the crime model's base schema."""
    return _SECTIONS.get(model)


def reads_key(model: str, dotted: str) -> bool:
    """Whether scenarios of family ``model`` read the (dotted) key.

    The crime model reads every key but the other families' sections.
    """
    section = _SECTIONS.get(model)
    if section is not None:
        return section.reads(dotted)
    return dotted.split(".", 1)[0] not in _SECTIONS


def _dotted_keys(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """Every leaf key of a raw scenario tree, dotted."""
    out: list[str] = []
    for key, value in tree.items():
        if isinstance(value, dict):
            out += _dotted_keys(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def check_family_keys(raw: dict[str, Any], values: dict[str, Any]) -> None:
    """Refuse keys the scenario's family never reads, then run its cross-checks.

    A key the chosen model never reads would be ignored without a word, so it is an
    error that names it, as an unknown key is.

    Args:
        raw: The keys the file (and overrides) set.
        values: The validated values, defaults filled in.

    Raises:
        ScenarioError: A key of another family's section, a key outside the family's
            section and shared keys, or a failed cross-check.
    """
    section = _SECTIONS.get(values["model"])
    if section is None:
        for other in _SECTIONS:
            if other in raw:
                raise ScenarioError(f"{other}: only read when model = '{other}'")
        return
    for key in _dotted_keys(raw):
        if not section.reads(key):
            raise ScenarioError(
                f"{key}: not read by model '{section.model}' (it reads "
                f"{', '.join(section.shared_keys)} and [{section.model}])")
    if section.check is not None:
        section.check(values)
