"""The kernels' argument containers: named tuples of arrays, one per kind of thing.

A kernel that needs the offenders takes one :class:`OffenderArrays` rather than a dozen
positional arrays, and reads ``off.pos[i]``. Numba compiles a named tuple of arrays
into a plain struct of array views: inside a kernel a field read costs what a local
array costs, and passing the tuple on to an inner kernel is free.

At the Python-to-numba boundary numba must type every argument on every call, and it
types a named tuple member by member in Python (about 0.1 us a member; five tuples
of 50 to 60 arrays cost 10 to 15 us a tick, 2-3% of a small city's tick), while a
plain ``tuple`` of arrays is typed by its C fast path, as positional arrays are. So the
kernels the model calls from Python take their containers *packed*: plain tuples in
the field order of the named tuple (:func:`packer` makes them from a container by
name), named again inside the kernel with ``OffenderArrays(*off)``, which costs
nothing. Inner kernels, and the tests that call them, take the named tuples.

Every array passed costs at the boundary (typed and unboxed, read or not: about
0.05 us), so a kernel takes a container when it reads most of it, and a kernel that
reads a few arrays (community contacts: four of the residents') takes those
positionally. Inside a kernel, fields are read into locals before the loops: a field
read inside a hot loop is not always hoisted and cost the offenders' hour 2-4 us a
tick. Field names follow the population containers (:mod:`sim.population`). Scalars
stay positional arguments.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np


class OffenderArrays(NamedTuple):
    """The offender pool's slot arrays (:class:`sim.population.offenders.Offenders`)."""

    state: np.ndarray
    pos: np.ndarray
    home: np.ndarray
    motivation: np.ndarray
    gang: np.ndarray
    resident: np.ndarray
    release: np.ndarray
    born: np.ndarray
    arrests: np.ndarray
    active: np.ndarray
    acted: np.ndarray
    free_stack: np.ndarray
    free_top: np.ndarray
    kind: np.ndarray
    mem_cell: np.ndarray
    mem_days: np.ndarray
    target: np.ndarray
    relation: np.ndarray
    risk: np.ndarray  # perceived risk of arrest (float32; sim.kernels.perceived_risk)


class ResidentArrays(NamedTuple):
    """What the hourly kernels read of residents and households.

    Without residents (``vuln_group`` empty: Short et al.'s lattice) every
    residential cell is one house.
    """

    age: np.ndarray
    female: np.ndarray
    marginalised: np.ndarray
    legitimacy: np.ndarray
    enrolled_until: np.ndarray
    offender_of: np.ndarray
    victim_counts: np.ndarray
    vuln_table: np.ndarray
    vuln_group: np.ndarray
    hh_first: np.ndarray
    hh_size: np.ndarray
    hh_vuln_table: np.ndarray
    hh_group: np.ndarray
    household_home: np.ndarray
    cell_hh_start: np.ndarray
    cell_hh_count: np.ndarray
    public_count: np.ndarray
    public_start: np.ndarray
    public_order: np.ndarray
    home: np.ndarray
    state: np.ndarray
    travelling: np.ndarray
    household: np.ndarray
    activity_cell: np.ndarray


class DayPlan(NamedTuple):
    """Every resident's plan for the day (drawn daily, read every hour).

    A daytime block (work, school or an outing: ``day_*``), an evening outing
    (``eve_*``; ``eve_end`` may pass 24) and yesterday's late evening carried past
    midnight (``early_*``). Cells are -1 where there is no such block. ``route_frac``
    (uint16, /2^16): where along their routes the resident travels today.
    """

    day_cell: np.ndarray
    day_start: np.ndarray
    day_end: np.ndarray
    day_public: np.ndarray
    eve_cell: np.ndarray
    eve_start: np.ndarray
    eve_end: np.ndarray
    early_cell: np.ndarray
    early_end: np.ndarray
    route_frac: np.ndarray


class CellArrays(NamedTuple):
    """The city's flat cell layers and the per-cell fields, with the grid's shape.

    ``crime_count`` is ``(crime types, cells)``; every other array has one entry per
    cell.
    """

    land_use: np.ndarray
    district: np.ndarray
    lighting: np.ndarray
    cctv: np.ndarray
    a0: np.ndarray
    b: np.ndarray
    guardianship: np.ndarray
    police_field: np.ndarray
    e_field: np.ndarray
    crime_count: np.ndarray
    reported_heat: np.ndarray
    width: int
    height: int
    periodic: bool


class PoliceArrays(NamedTuple):
    """Officers (:class:`sim.population.guardians.Police`)."""

    pos: np.ndarray
    strategy: np.ndarray
    target: np.ndarray
    beat: np.ndarray
    corrupt: np.ndarray


class TypeRates(NamedTuple):
    """Per-crime-type rates, in ``CRIME_TYPES`` order (the model's levers).

    ``near_repeat`` marks the types that feed the near-repeat field; ``repeat_boost``
    multiplies an offender's hazard of the type within one cell of the burglary he
    remembers (repeat victimisation, :mod:`sim.kernels.awareness`; 1: none).
    """

    rate: np.ndarray
    darkness: np.ndarray
    report: np.ndarray
    arrest: np.ndarray
    clearance: np.ndarray
    jail_ticks: np.ndarray
    near_repeat: np.ndarray
    repeat_boost: np.ndarray


def packer(cls: type[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A function packing a container into a plain tuple in ``cls``'s field order.

    ``packer(OffenderArrays)(offenders)`` reads the fields of that name from any object
    (a :class:`sim.population.offenders.Offenders`, a named tuple), in C.
    """
    return operator.attrgetter(*cls._fields)


__all__ = ["CellArrays", "DayPlan", "OffenderArrays", "PoliceArrays", "ResidentArrays",
           "TypeRates", "packer"]
