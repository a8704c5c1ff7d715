"""What passing the engine state to a kernel costs, per call, for each way of passing it.

A kernel called from Python pays numba's dispatch on every call: each argument is
typed and unboxed. With the baseline city's real arrays (the offenders, residents,
cell layers and per-type rates of a tick: about 55 members) this times an empty
kernel taking them

- as positional arrays (what the kernels took before the engine state existed);
- as four named tuples (``sim.kernels.arrays``);
- as four plain tuples (the kernels' *packed* form), and the same with the tuples
  built from the containers on every call, as the model does;
- as one ``StructRef`` holding the same arrays (a ``jitclass`` costs about the same:
  one pointer to unbox);
- and, for scale, the model's random generator alone.

Run ``python -m sim.bench.call_overhead``; the figures are in docs/performance.md.
StructRef (and jitclass) are the cheapest to pass, but their members are typed once,
at construction: a replaced array (the offender pool grows, victim counts widen to a
wider dtype) needs a new instance, a kernel reading a stale one reads freed arrays'
old values silently, and a ``jitclass`` argument cannot be cached (``cache=True``).
No code is generated from text here (the project's rule: no ``exec``): the positional
kernel takes ``*arrays``, which numba's dispatcher types one argument at a time, as it
does named parameters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from numba import njit
from numba.core import types
from numba.experimental import structref

from sim.kernels.arrays import OffenderArrays, ResidentArrays, packer


@structref.register
class _StateType(types.StructRef):
    pass


def _best_us(call: Callable[[], Any], n: int = 20000, repeats: int = 7) -> float:
    call()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e6


def measure() -> dict[str, float]:
    """Microseconds per call of an empty kernel, for each way of passing the state."""
    from sim.crime.model import CrimeModel

    model = CrimeModel(rng=1, agent_views=False)
    state, levers = model.state, model.levers
    packs = (state.packed_offenders(), state.packed_residents(), state.city.packed,
             levers.packed_by_type)
    named = (OffenderArrays(*packs[0]), ResidentArrays(*packs[1]), state.city.arrays,
             levers.by_type)
    flat = [x for p in packs for x in p]
    names = [f"m{i}" for i in range(len(flat))]

    @njit
    def positional(*arrays: Any) -> int:
        return arrays[0].shape[0]

    @njit
    def four(o: Any, r: Any, c: Any, t: Any) -> int:
        return o[0].shape[0]

    @njit
    def packed_kernel(o: Any, r: Any, c: Any, t: Any) -> int:
        return OffenderArrays(*o).state.shape[0]

    class StateProxy(structref.StructRefProxy):
        pass

    structref.define_proxy(StateProxy, _StateType, names)
    proxy = StateProxy(*flat)

    @njit
    def one(s: Any) -> int:
        return s.m0.shape[0]

    @njit
    def rng_only(g: Any) -> int:
        return 0

    pack_off, pack_res = packer(OffenderArrays), packer(ResidentArrays)
    return {
        f"{len(flat)} positional arrays": _best_us(lambda: positional(*flat)),
        "4 named tuples": _best_us(lambda: four(*named)),
        "4 plain tuples (packed)": _best_us(lambda: packed_kernel(*packs)),
        "4 plain tuples, packed per call": _best_us(lambda: packed_kernel(
            pack_off(state.offenders), pack_res(state.residents), state.city.packed,
            tuple(levers.by_type))),
        "StructRef": _best_us(lambda: one(proxy)),
        "the model's Generator alone": _best_us(lambda: rng_only(model.rng)),
    }


def main() -> None:
    """Print the table."""
    for label, us in measure().items():
        print(f"{label:36s} {us:6.2f} us/call")


if __name__ == "__main__":
    main()
