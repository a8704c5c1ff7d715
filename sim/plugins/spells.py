"""Offending spells an intervention has changed: which, and how to undo the change.

People-focused interventions (a youth programme, focused deterrence) lower the
motivation of particular offenders. Offenders live in recycled slots (a slot freed by
desistance is reused by the next recruit), so a change must be tied to one *spell* --
the slot, the resident it belongs to and the tick the spell began -- or undoing it
would touch a stranger who later took the same slot. The factor is applied by
multiplication and undone by division, so two interventions acting on the same
offender compose in either order and each undoes only its own share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import DEAD, INT

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Largest motivation cut an intervention may declare: division must be able to undo it.
MAX_CUT = 0.95


class SpellDamper:
    """Multiply the motivation of chosen offending spells by ``factor`` and undo it.

    Args:
        factor: Motivation multiplier in (0, 1] (``1 - effect``; the effect is capped
            at :data:`MAX_CUT` so the change can be divided out).
    """

    def __init__(self, factor: float) -> None:
        if not 0.0 < factor <= 1.0:
            raise ValueError(f"motivation factor must be in (0, 1], got {factor}")
        self.factor = float(factor)
        self.slot = np.zeros(0, INT)
        self.resident = np.zeros(0, INT)
        self.born = np.zeros(0, INT)

    def __len__(self) -> int:
        return int(self.slot.size)

    def live(self, model: CrimeModel) -> np.ndarray:
        """Which recorded spells are still running (bool per record)."""
        off = model.offenders
        s = self.slot
        return ((off.state[s] != DEAD) & (off.born[s] == self.born)
                & (off.resident[s] == self.resident))

    def tracked_slots(self, model: CrimeModel) -> np.ndarray:
        """Offender slots whose current spell is recorded here (bool per slot)."""
        out = np.zeros(model.offenders.capacity, np.bool_)
        out[self.slot[self.live(model)]] = True
        return out

    def add(self, model: CrimeModel, slots: np.ndarray) -> None:
        """Lower the motivation of the current spells in ``slots`` and record them."""
        slots = np.asarray(slots, INT)
        if slots.size == 0:
            return
        off = model.offenders
        off.motivation[slots] *= self.factor
        self.slot = np.concatenate([self.slot, slots])
        self.resident = np.concatenate([self.resident, off.resident[slots].astype(INT)])
        self.born = np.concatenate([self.born, off.born[slots].astype(INT)])
        self.prune(model)

    def prune(self, model: CrimeModel) -> None:
        """Forget spells that have ended (desisted or removed): nothing to undo there."""
        keep = self.live(model)
        self.slot, self.resident, self.born = self.slot[keep], self.resident[keep], self.born[keep]

    def restore(self, model: CrimeModel) -> int:
        """Undo the change on every spell still running; returns how many."""
        keep = self.live(model)
        slots = self.slot[keep]
        model.offenders.motivation[slots] /= self.factor
        self.slot = self.resident = self.born = np.zeros(0, INT)
        return int(slots.size)
