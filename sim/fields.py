"""Declared parameters: the type, range, default and meaning of one settable value.

Scenario keys (:mod:`sim.scenario.schema`) and intervention parameters
(:mod:`sim.interventions`) are both declared as :class:`Field` objects, so one walker
validates them all and every bad value gets the same kind of one-line message. This
module sits at the bottom of the import order so that both can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    """One scenario key.

    Attributes:
        kind: "int", "float", "bool", "str", "path" (a file, relative to the scenario),
            "str_list" (a list of strings) or "int_list" (a list of integers).
        default: Value used when the key is absent.
        low: Smallest allowed value (numbers) or None.
        high: Largest allowed value (numbers) or None.
        choices: Allowed values for strings, or None.
        help: One line saying what the key means, with its unit.
    """

    kind: str
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None


def float_field(
    default: float, help: str, low: float | None = 0.0, high: float | None = None
) -> Field:
    """A real number, by default non-negative."""
    return Field("float", float(default), help, low, high)


def prob_field(default: float, help: str) -> Field:
    """A probability or share in [0, 1]."""
    return Field("float", float(default), help, 0.0, 1.0)


def int_field(default: int, help: str, low: int | None = 0, high: int | None = None) -> Field:
    """An integer, by default non-negative."""
    return Field("int", int(default), help, low, high)


def bool_field(default: bool, help: str) -> Field:
    """True or false."""
    return Field("bool", bool(default), help)


def str_field(default: str, help: str, choices: tuple[str, ...] | None = None) -> Field:
    """A string, optionally one of ``choices``."""
    return Field("str", default, help, choices=choices)


def str_list_field(default: list[str], help: str) -> Field:
    """A list of strings (e.g. district names)."""
    return Field("str_list", list(default), help)


def int_list_field(default: list[int], help: str, low: int | None = 0) -> Field:
    """A list of integers (e.g. a rectangle)."""
    return Field("int_list", list(default), help, low)
