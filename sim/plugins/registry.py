"""The intervention registry: plug-ins declare themselves by name.

A plug-in is a subclass of :class:`sim.plugins.base.Intervention` decorated with
:func:`register`. Scenario files name plug-ins by that name (``type = "..."``), so the
registry is the one place that maps the words a user writes to the code that runs.
Registering a plug-in also registers its table's declared fields with the scenario
layer (:mod:`sim.scenario.intervention_tables`), which validates
``[interventions.<label>]`` tables without importing any plug-in. Every module of
:mod:`sim.interventions` is imported when that package is, so adding a plug-in is
adding one file there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.scenario.intervention_tables import register_intervention_table

if TYPE_CHECKING:
    from sim.plugins.base import Intervention

REGISTRY: dict[str, type[Intervention]] = {}


def register(cls: type[Intervention]) -> type[Intervention]:
    """Class decorator: make a plug-in available under ``cls.name``."""
    name = getattr(cls, "name", "")
    if not name:
        raise TypeError(f"{cls.__name__}: an intervention needs a non-empty `name`")
    if name in REGISTRY and REGISTRY[name] is not cls:
        raise TypeError(f"intervention name {name!r} is registered twice")
    REGISTRY[name] = cls
    register_intervention_table(name, cls.fields)
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
