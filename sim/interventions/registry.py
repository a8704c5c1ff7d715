"""The intervention registry: plug-ins declare themselves by name.

A plug-in is a subclass of :class:`sim.interventions.base.Intervention` decorated with
:func:`register`. Scenario files name plug-ins by that name (``type = "..."``), so the
registry is the one place that maps the words a user writes to the code that runs.
Every module in this package is imported when the package is, so adding a plug-in is
adding one file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.interventions.base import Intervention

REGISTRY: dict[str, type[Intervention]] = {}


def register(cls: type[Intervention]) -> type[Intervention]:
    """Class decorator: make a plug-in available under ``cls.name``."""
    name = getattr(cls, "name", "")
    if not name:
        raise TypeError(f"{cls.__name__}: an intervention needs a non-empty `name`")
    if name in REGISTRY and REGISTRY[name] is not cls:
        raise TypeError(f"intervention name {name!r} is registered twice")
    REGISTRY[name] = cls
    return cls


def get(name: str) -> type[Intervention]:
    """The plug-in class registered as ``name``; KeyError names the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown intervention {name!r} (known: {', '.join(names())})") from None


def names() -> list[str]:
    """Registered plug-in names, sorted."""
    return sorted(REGISTRY)
