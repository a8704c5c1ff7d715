"""InterventionSet: the scenario's interventions, started, stepped and stopped on time.

The model calls :meth:`InterventionSet.on_tick` once per tick, right after its daily
tasks (step 0 of the documented order, docs/ODD.md), so an intervention always sees
the day's fresh guardianship and hot-spot list and its own changes hold for the whole
tick. Instances run in label order, each with its own random stream.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.plugins.base import Intervention
from sim.plugins.registry import get

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


def label_stream(parent: np.random.Generator, label: str) -> np.random.Generator:
    """A random stream for ``label``: fixed by the parent's seed and the label alone."""
    seq = parent.bit_generator.seed_seq
    child = np.random.SeedSequence(
        seq.entropy, spawn_key=(*seq.spawn_key, zlib.crc32(label.encode("utf-8"))))
    return np.random.default_rng(child)


class InterventionSet:
    """The interventions of one run.

    Args:
        specs: ``{label: settings}`` from the scenario's ``interventions`` table.
        rng: Parent stream; each instance gets :func:`label_stream` of it.
    """

    def __init__(self, specs: Mapping[str, Mapping[str, Any]], rng: np.random.Generator):
        self.items: list[Intervention] = []
        for label in sorted(specs):
            settings = dict(specs[label])
            cls = get(settings["type"] or label)
            self.items.append(cls(label, settings, label_stream(rng, label)))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def check(self, model: CrimeModel) -> None:
        """Resolve every target now, so a bad district or mask fails before the run."""
        for item in self.items:
            item.target_mask(model)

    def on_tick(self, model: CrimeModel, tick: int, new_day: bool) -> None:
        """Start, stop, and step the interventions for ``tick``."""
        day = tick // model.ticks_per_day
        for item in self.items:
            if item.active and item.end_tick >= 0 and tick >= item.end_tick:
                item.stop(model)
            if not item.active and not item.finished and tick >= item.start_tick and (
                    item.end_tick < 0 or tick < item.end_tick):
                item.start(model)
            if item.active:
                if new_day or item.days_active == 0:
                    if new_day:
                        item.daily(model, day)
                    item.book_day()
                item.hourly(model, tick)

    def treated_mask(self, n_cells: int) -> np.ndarray:
        """Union of the treated cells of every started intervention (flat bool)."""
        out = np.zeros(n_cells, np.bool_)
        for item in self.items:
            if item.mask is not None:
                out |= item.mask
        return out

    def costs(self) -> list[dict[str, Any]]:
        """Each intervention's cost account."""
        return [item.cost() for item in self.items]

    def reports(self, model: CrimeModel) -> dict[str, float]:
        """Every intervention's own figures, keyed ``<label>.<key>``."""
        return {f"{item.label}.{k}": float(v) for item in self.items
                for k, v in item.report(model).items()}

    def total_cost(self) -> float:
        """Total spent so far, all interventions."""
        return float(sum(item.spent_setup + item.spent_running for item in self.items))
