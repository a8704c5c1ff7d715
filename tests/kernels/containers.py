"""Build the kernels' argument containers (sim.kernels.arrays) from a test's arrays.

A kernel test names only the arrays its kernel reads; every other field gets an empty
array of the dtype the model uses, so the kernel compiles for the model's types and
a field the kernel should not read fails loudly (index out of bounds) if it does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config import FLOAT, IN_PUBLIC, INDEX, N_CRIME
from sim.kernels.arrays import CellArrays, OffenderArrays, PoliceArrays, ResidentArrays, TypeRates

_SCALARS = {"width": 1, "height": 1, "periodic": False}
_BOOL = {"female", "marginalised", "active", "acted", "corrupt", "travelling"}
_FLOAT = {"legitimacy", "vuln_table", "hh_vuln_table", "motivation", "lighting", "cctv", "a0",
          "b", "guardianship", "police_field", "e_field", "reported_heat", "rate", "darkness",
          "report", "arrest", "clearance", "jail_ticks", "repeat_boost"}


def _empty(name: str) -> Any:
    if name in _SCALARS:
        return _SCALARS[name]
    if name in ("vuln_table",):
        return np.zeros((0, N_CRIME), FLOAT)
    if name in ("victim_counts", "crime_count"):
        return np.zeros((0, N_CRIME) if name == "victim_counts" else (N_CRIME, 0), np.int64)
    if name in _BOOL:
        return np.zeros(0, np.bool_)
    if name in _FLOAT:
        return np.zeros(0, FLOAT)
    if name == "risk":
        return np.zeros(0, np.float32)
    if name == "near_repeat":
        return np.zeros(N_CRIME, np.bool_)
    return np.zeros(0, INDEX)


def _build(cls: Any, given: dict[str, Any]) -> Any:
    unknown = set(given) - set(cls._fields)
    assert not unknown, f"{cls.__name__} has no field {sorted(unknown)}"
    return cls(**{f: given[f] if f in given else _empty(f) for f in cls._fields})


def offenders(**arrays: Any) -> OffenderArrays:
    """An :class:`OffenderArrays` with the given fields (others empty)."""
    return _build(OffenderArrays, arrays)


def residents(**arrays: Any) -> ResidentArrays:
    """A :class:`ResidentArrays` with the given fields (others empty)."""
    return _build(ResidentArrays, arrays)


def cells(**arrays: Any) -> CellArrays:
    """A :class:`CellArrays` with the given fields (others empty)."""
    return _build(CellArrays, arrays)


def police(**arrays: Any) -> PoliceArrays:
    """A :class:`PoliceArrays` with the given fields (others empty)."""
    return _build(PoliceArrays, arrays)


def rates(**arrays: Any) -> TypeRates:
    """A :class:`TypeRates` with the given fields (others empty)."""
    return _build(TypeRates, arrays)


def public_buckets(pos: np.ndarray, state: np.ndarray,
                   n_cells: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Residents in public bucketed by cell (``public_count``, ``public_start``, ``public_order``).

    These are the public-index fields of :class:`ResidentArrays`, built the model's way.
    Residents in state IN_PUBLIC are listed by cell (stably, in resident order within a
    cell); ``public_order`` is padded with zeros to one entry per resident. Shared so
    every kernel test reads the same index the same way. Arrays are int64.
    """
    in_public = np.flatnonzero(state == IN_PUBLIC)
    order = np.zeros(pos.shape[0], np.int64)
    order[: in_public.size] = in_public[np.argsort(pos[in_public], kind="stable")]
    count = np.bincount(pos[in_public], minlength=n_cells).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return count, start, order
