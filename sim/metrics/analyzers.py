"""Analyzers: measures computed during a run without editing the model (Starsim-style).

A measure that is not one of the per-tick columns of :mod:`sim.metrics.catalog` -- a
map of crime per day, how long hot spots stay hot -- is an :class:`Analyzer`: the
model calls its ``start(model)`` once when it is built, ``step(model)`` after every
tick and ``finish(model)`` when the run is over (``model.finish()``). Pass analyzers
as ``CrimeModel(analyzers=[DailyCrimeMap(), "hot_spot_persistence"])``: instances, or
names registered with :func:`register` (made with their defaults).

Analyzers only read the model. They must draw no random numbers and change no state,
so a run with analyzers gives exactly the results of the same run without them (a
test checks it); the model keeps them in an :class:`AnalyzerSet` as
``model.analyzers``, where they can be found by name after the run.

The analyzers here are :class:`~sim.metrics.crime_maps.DailyCrimeMap` and
:class:`~sim.metrics.hot_spots.HotSpotPersistence`. A new one is a subclass, e.g.
the busiest hour of each day::

    class BusiestHour(Analyzer):
        name = "busiest_hour"

        def start(self, model):
            self.hours = []

        def step(self, model):
            if model.tick % model.ticks_per_day == 0:  # a day just ended
                day = model.results.column("crimes_total")[-model.ticks_per_day:]
                self.hours.append(int(day.argmax()))

    model = CrimeModel(analyzers=[BusiestHour()])
    model.run_days(30)
    model.finish()
    model.analyzers["busiest_hour"].hours
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Analyzer:
    """A measure taken during a run: subclass and override the hooks you need.

    Attributes:
        name: The analyzer's name in ``model.analyzers`` (the class's ``name`` by
            default); two analyzers of one model need different names.
    """

    name: str = "analyzer"

    def start(self, model: Any) -> None:
        """Called once, when the model is built (before its first tick)."""

    def step(self, model: Any) -> None:
        """Called after every tick; ``model.tick`` is the number of ticks completed."""

    def finish(self, model: Any) -> None:
        """Called once, when the run is over (``model.finish()``)."""


#: Analyzers that can be asked for by name: name -> class (made with its defaults).
REGISTRY: dict[str, type[Analyzer]] = {}


def register(cls: type[Analyzer]) -> type[Analyzer]:
    """Class decorator: make ``cls`` available by its ``name`` (e.g. from a script).

    Raises:
        ValueError: If another class has that name already.
    """
    if REGISTRY.get(cls.name, cls) is not cls:
        raise ValueError(f"an analyzer named {cls.name!r} is registered already")
    REGISTRY[cls.name] = cls
    return cls


def make_analyzer(spec: Analyzer | str) -> Analyzer:
    """An analyzer instance from an instance (returned as is) or a registered name.

    Raises:
        ValueError: For a name that is not registered.
        TypeError: For anything else.
    """
    if isinstance(spec, Analyzer):
        return spec
    if isinstance(spec, str):
        if spec not in REGISTRY:
            known = ", ".join(sorted(REGISTRY)) or "none"
            raise ValueError(f"no analyzer named {spec!r} (registered: {known})")
        return REGISTRY[spec]()
    raise TypeError(f"an analyzer must be an Analyzer or a registered name, not {spec!r}")


class AnalyzerSet:
    """A model's analyzers, called in the order given.

    Empty, it is false, so the model's step can skip it at the cost of one test.

    Args:
        analyzers: Analyzer instances or registered names (None: no analyzers).

    Raises:
        ValueError: If two analyzers have the same name.
    """

    def __init__(self, analyzers: Iterable[Analyzer | str] | None = None) -> None:
        self._items = [make_analyzer(a) for a in (analyzers or ())]
        seen: set[str] = set()
        for a in self._items:
            if a.name in seen:
                raise ValueError(f"two analyzers are named {a.name!r}; give one another name")
            seen.add(a.name)
        self.finished = False

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __iter__(self) -> Iterator[Analyzer]:
        return iter(self._items)

    def __getitem__(self, name: str) -> Analyzer:
        """The analyzer called ``name``."""
        for a in self._items:
            if a.name == name:
                return a
        raise KeyError(f"no analyzer named {name!r} (have: {[a.name for a in self._items]})")

    def start(self, model: Any) -> None:
        """Call every analyzer's ``start``."""
        self._each(lambda a: a.start(model))

    def step(self, model: Any) -> None:
        """Call every analyzer's ``step`` (after a tick).

        Raises:
            RuntimeError: After :meth:`finish`: a finished measure would miss the tick.
        """
        if self.finished:
            raise RuntimeError("the analyzers were finished; a finished run cannot go on")
        self._each(lambda a: a.step(model))

    def finish(self, model: Any) -> None:
        """Call every analyzer's ``finish``, once (later calls do nothing)."""
        if not self.finished:
            self.finished = True
            self._each(lambda a: a.finish(model))

    def _each(self, call: Callable[[Analyzer], None]) -> None:
        for a in self._items:
            call(a)


__all__ = ["REGISTRY", "Analyzer", "AnalyzerSet", "make_analyzer", "register"]
