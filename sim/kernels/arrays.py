"""The kernels' argument containers: named tuples of arrays, one per kind of thing.

A kernel that needs the offenders takes one :class:`OffenderArrays` rather than a dozen
positional arrays, and reads ``off.pos[i]``. Numba compiles a named tuple of arrays
into a plain struct of array views: inside a kernel a field read costs what a local
array costs, and passing the tuple on to an inner kernel is free. At the
Python-to-numba boundary a tuple of ``n`` arrays costs a little more than ``n``
positional arrays (numba types each member; see the call-overhead figures in
docs/performance.md), a few microseconds per call at most, which the model pays a few
times per tick.

Field names follow the population containers (:mod:`sim.population`), so a tuple is
built from a container by name (``OffenderArrays(**vars(offenders))``). Scalars stay
positional arguments.
"""

from __future__ import annotations

from typing import NamedTuple

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


class ResidentArrays(NamedTuple):
    """What the hourly kernels read of residents and households.

    ``abstract`` is true on Short et al.'s lattice (no residents): every residential
    cell is then one house.
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
    abstract: bool


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

    ``near_repeat`` marks the types that feed the near-repeat field.
    """

    rate: np.ndarray
    darkness: np.ndarray
    report: np.ndarray
    arrest: np.ndarray
    clearance: np.ndarray
    jail_ticks: np.ndarray
    near_repeat: np.ndarray


__all__ = ["CellArrays", "OffenderArrays", "PoliceArrays", "ResidentArrays", "TypeRates"]
