"""Mesa agents as views on the arrays.

Every resident, offender, officer, outreach worker and guard can be reached as a
``mesa.Agent`` in ``model.agents``, so Mesa's tools work: ``model.agents_by_type``,
``AgentSet.select`` / ``groupby``, DataCollector agent reporters. A view stores only
its index; its attributes read and write the model's arrays, so kernels (which never
see the views) and views always agree. Views cost a few microseconds and a few
hundred bytes each: ``agents.views = false`` (or ``CrimeModel(agent_views=False)``)
skips them for large sweeps.
"""

from __future__ import annotations

import time
import tracemalloc
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.config import AGE_GROUPS, CRIME_TYPES, DEAD, JAILED, STRATEGIES

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


def _field(name: str, doc: str, cast: Any = None, writable: bool = False) -> property:
    """A property reading ``model.<store>.<name>[index]`` (and writing it if allowed)."""

    def get(self: ArrayAgent) -> Any:
        value = getattr(getattr(self.model, self.store), name)[self.index]
        return cast(value) if cast else value.item()

    def put(self: ArrayAgent, value: Any) -> None:
        getattr(getattr(self.model, self.store), name)[self.index] = value

    return property(get, put if writable else None, doc=doc)


class ArrayAgent(mesa.Agent):
    """Base of the views: an index into one of the model's agent arrays."""

    store = ""

    def __init__(self, model: CrimeModel, index: int):
        super().__init__(model)
        self.index = int(index)

    def _xy(self, cell: int) -> tuple[int, int] | None:
        if cell < 0:
            return None
        w = self.model.city.width
        return (int(cell % w), int(cell // w))

    @property
    def pos(self) -> tuple[int, int] | None:  # type: ignore[override]
        """Current cell as ``(x, y)``; assigning ``(x, y)`` moves the agent."""
        if not hasattr(self, "index"):
            return None
        return self._xy(int(getattr(self.model, self.store).pos[self.index]))

    @pos.setter
    def pos(self, value: tuple[int, int] | None) -> None:
        if value is None or not hasattr(self, "index"):
            return  # mesa.Agent.__init__ sets pos = None before the index exists
        x, y = value
        getattr(self.model, self.store).pos[self.index] = y * self.model.city.width + x

    def step(self) -> None:
        """Views do nothing on their own: the model's kernels move everyone."""


class Resident(ArrayAgent):
    """A resident: home, group attributes, legitimacy, victimisations."""

    store = "residents"
    household = _field("household", "household index", int)
    female = _field("female", "whether female", bool)
    marginalised = _field("marginalised", "whether marginalised", bool)
    legitimacy = _field("legitimacy", "perceived legitimacy of police in [0, 1]", float, True)

    @property
    def home(self) -> tuple[int, int] | None:
        """Home cell as ``(x, y)``."""
        return self._xy(int(self.model.residents.home[self.index]))

    @property
    def age_group(self) -> str:
        """"youth", "adult" or "elderly"."""
        return AGE_GROUPS[int(self.model.residents.age[self.index])]

    @property
    def victimisations(self) -> dict[str, int]:
        """Victimisations so far by crime type."""
        row = self.model.residents.victim_counts[self.index]
        return {t: int(row[k]) for k, t in enumerate(CRIME_TYPES)}

    @property
    def enrolled(self) -> bool:
        """Whether enrolled in a programme now."""
        return bool(self.model.residents.enrolled_until[self.index] > self.model.tick)


class Offender(ArrayAgent):
    """An offender: anchor, motivation, gang, free or jailed."""

    store = "offenders"
    motivation = _field("motivation", "offending motivation (mean 1)", float, True)
    gang = _field("gang", "gang index, -1 for none", int)
    arrests = _field("arrests", "arrests so far", int)
    resident = _field("resident", "index of the resident this offender is, -1 for none", int)

    @property
    def home(self) -> tuple[int, int] | None:
        """Home anchor as ``(x, y)`` (None for Short et al.'s burglars)."""
        return self._xy(int(self.model.offenders.home[self.index]))

    @property
    def status(self) -> str:
        """"free" or "jailed"."""
        return "jailed" if self.model.offenders.state[self.index] == JAILED else "free"


class Officer(ArrayAgent):
    """A police officer on patrol."""

    store = "police"
    corrupt = _field("corrupt", "takes bribes instead of arresting", bool, True)

    @property
    def strategy(self) -> str:
        """Patrol strategy name."""
        return STRATEGIES[int(self.model.police.strategy[self.index])]


class OutreachWorker(ArrayAgent):
    """A social-service outreach worker."""

    store = "workers"
    district = _field("district", "district served", int)
    caseload = _field("caseload", "youth enrolled now", int)


class Guard(ArrayAgent):
    """A private security guard at a business."""

    store = "guards"


class AgentViews:
    """Creates the views and keeps offender views in step with the offender pool.

    Attributes:
        enabled: Whether views exist.
        build_seconds: Wall time spent creating the initial views.
        build_bytes: Memory allocated while creating them (tracemalloc peak).
    """

    def __init__(self, model: CrimeModel, enabled: bool = True, measure: bool = False):
        self.model = model
        self.enabled = enabled
        self.offender_views: dict[int, Offender] = {}
        self.build_seconds = 0.0
        self.build_bytes = 0
        self._alive = np.zeros(0, bool)
        self._born = np.zeros(0, np.int64)
        if not enabled:
            return
        if measure:
            tracemalloc.start()
        t0 = time.perf_counter()
        for i in range(model.residents.n):
            Resident(model, i)
        for i in range(model.police.n):
            Officer(model, i)
        for i in range(model.workers.n):
            OutreachWorker(model, i)
        for i in range(model.guards.n):
            Guard(model, i)
        self.sync()
        self.build_seconds = time.perf_counter() - t0
        if measure:
            self.build_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()

    def sync(self) -> None:
        """Create views for new offenders and remove those of departed ones."""
        if not self.enabled:
            return
        off = self.model.offenders
        alive = off.state != DEAD
        if alive.shape != self._alive.shape:  # the pool grew
            grown = np.zeros(alive.shape, bool)
            grown[: self._alive.shape[0]] = self._alive
            self._alive = grown
            born = np.full(alive.shape, -1, off.born.dtype)
            born[: self._born.shape[0]] = self._born
            self._born = born
        # A slot emptied and refilled within one tick holds a new offender: its birth
        # tick differs, so it gets a new agent.
        changed = np.flatnonzero((alive != self._alive) | (alive & (off.born != self._born)))
        for i in changed:
            i = int(i)
            view = self.offender_views.pop(i, None)
            if view is not None:
                view.remove()
            if alive[i]:
                self.offender_views[i] = Offender(self.model, i)
        self._alive = alive
        self._born = off.born.copy()
