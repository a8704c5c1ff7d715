"""Copy a fast model's state into a reference model built from the same scenario and seed.

Both engines build the same city and people from the same seed, but their runs draw
different random numbers. Copying the fast engine's state (where everyone is, plans,
trust, offenders, officers, the fields) into the reference lets a test ask both
engines the same question about the same world: which hazards, which moves, which
fields -- rule against rule, with no randomness in the way.
"""

from __future__ import annotations

import numpy as np

from sim.config import DEAD, FREE
from sim.crime.model import CrimeModel
from sim.reference.model import ReferenceCrimeModel
from sim.reference.offenders import Offender
from sim.reference.residents import Plan


def sync(fast: CrimeModel, ref: ReferenceCrimeModel) -> dict[int, Offender]:
    """Make ``ref``'s state equal ``fast``'s; returns the reference offender per slot."""
    cells = ref.cells
    city, rcity = fast.city, ref.city
    for name in ("b", "a0", "lighting", "guardianship", "reported_heat", "cctv"):
        getattr(rcity, name)[:] = getattr(city, name)
    rcity.crime_count[:] = city.crime_count
    ref.police_field[:] = fast.state.fields.police_field.reshape(ref.police_field.shape)
    ref.tick = fast.tick
    res = fast.residents
    for i, person in enumerate(ref.residents):
        person.plan = Plan(
            early_cell=cells[res.early_cell[i]] if res.early_cell[i] >= 0 else None,
            early_end=int(res.early_end[i]),
            day_cell=cells[res.day_cell[i]] if res.day_cell[i] >= 0 else None,
            day_start=int(res.day_start[i]), day_end=int(res.day_end[i]),
            day_public=bool(res.day_public[i]),
            eve_cell=cells[res.eve_cell[i]] if res.eve_cell[i] >= 0 else None,
            eve_start=int(res.eve_start[i]), eve_end=int(res.eve_end[i]))
        person.go(cells[res.pos[i]], int(res.state[i]))
        person.legitimacy = float(res.legitimacy[i])
        person.enrolled_until = int(res.enrolled_until[i])
        person.enrolled_by = ref.workers[res.enrolled_by[i]] if res.enrolled_by[i] >= 0 else None
        person.victimisations = [int(v) for v in res.victim_counts[i]]
    for o in ref.offenders:
        o.leave()
    off = fast.offenders
    by_slot = {}
    for s in np.flatnonzero(off.state != DEAD):
        o = Offender(ref, cells[off.pos[s]], cells[off.home[s]] if off.home[s] >= 0 else None,
                     float(off.motivation[s]), int(off.gang[s]),
                     ref.residents[off.resident[s]] if off.resident[s] >= 0 else None)
        o.state = int(off.state[s])
        o.release = int(off.release[s])
        o.out = bool(off.active[s])
        o.offended = bool(off.acted[s])
        by_slot[int(s)] = o
    for j, officer in enumerate(ref.officers):
        officer.cell = cells[fast.police.pos[j]]
        t = fast.police.target[j]
        officer.target = cells[t] if t >= 0 else None
    for w, worker in enumerate(ref.workers):
        worker.cell = cells[fast.workers.pos[w]]
        worker.caseload = int(fast.workers.caseload[w])
    ref.grievance = fast.state.justice.grievance.tolist()
    ref.tension = fast.state.justice.tension.tolist()
    ref.hot_cells = [cells[c] for c in fast.state.justice.hot_cells]
    ref.calls = [cells[c] for c in fast.state.justice.calls]
    ref.bribes = [int(b) for b in fast.state.justice.bribes]
    hour = fast.tick % fast.ticks_per_day
    ref.is_night = hour >= fast.p.routines.night_start or hour < fast.p.routines.night_end
    return by_slot


def free_slots(fast: CrimeModel) -> np.ndarray:
    """Slots of free offenders."""
    return np.flatnonzero(fast.offenders.state == FREE)
