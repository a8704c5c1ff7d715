"""A counter-based random stream: uniforms as a hash of (key, agent, draw number).

A sequential generator (``np.random.Generator``) hands out numbers in call order, so
a loop split across threads would give each agent different numbers depending on
which thread reached it first and how the work was cut. A counter-based stream has
no order: the ``k``-th uniform of agent ``i`` under ``key`` is a fixed function

    uniform(key, i, k) = bits(mix64(seed(key, i) + (k + 1) * GAMMA)) / 2^53,
    seed(key, i)       = mix64(key + (i + 1) * GAMMA),

where ``mix64`` is the finaliser of SplitMix64 (Steele, Lea & Flood 2014; Stafford's
"variant 13" constants) and ``GAMMA`` the golden-ratio increment. ``seed(key, i)`` is
the ``i``-th output of SplitMix64 started at ``key``, and an agent's draws are the
outputs of SplitMix64 started at that seed: a stream per agent, found by a hash
instead of by running a generator. The result therefore does not depend on the
number of threads, on how agents are split into blocks or chunks, or on which agents
were drawn for before -- only on ``key``, ``i`` and ``k``. ``key`` is one 64-bit draw
from the model's seeded generator (per day for the residents' plans), so every
number still comes from the run's seed.

SplitMix64 passes BigCrush; two agents' streams could only overlap if their seeds
differed by a multiple of ``GAMMA`` smaller than the draws they make (a chance of
about draws^2 / 2^64). The top 53 bits of each 64-bit output make the float64, as
numpy's generators do, so a uniform is in [0, 1) with 2^-53 resolution.

The kernels here are inlined into their callers; the constants are ``np.uint64`` so
numba keeps the arithmetic in unsigned 64 bits (wrapping, as the hash requires)
instead of promoting a mix of signed and unsigned integers to float64.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: SplitMix64's increment (2^64 / golden ratio, odd).
GAMMA = np.uint64(0x9E3779B97F4A7C15)
#: The finaliser's multipliers (Stafford's variant 13).
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_ONE = np.uint64(1)
#: 2^-53: the weight of the lowest of the 53 bits kept.
TWO_M53 = 1.0 / 9007199254740992.0


@njit(cache=True, inline="always")
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64's finaliser: a bijection of 64-bit words that scatters every bit."""
    z = (z ^ (z >> _S30)) * MIX1
    z = (z ^ (z >> _S27)) * MIX2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def stream_seed(key: np.uint64, i: int) -> np.uint64:
    """The seed of agent ``i``'s stream under ``key`` (computed once per agent)."""
    return mix64(np.uint64(key) + (np.uint64(i) + _ONE) * GAMMA)


@njit(cache=True, inline="always")
def draw(seed: np.uint64, k: int) -> float:
    """The ``k``-th uniform in [0, 1) of the stream with ``seed`` (:func:`stream_seed`)."""
    bits = mix64(np.uint64(seed) + (np.uint64(k) + _ONE) * GAMMA)
    return np.float64(bits >> _S11) * TWO_M53


@njit(cache=True, inline="always")
def uniform(key: np.uint64, i: int, k: int) -> float:
    """The ``k``-th uniform of agent ``i`` under ``key``: ``draw(stream_seed(key, i), k)``."""
    return draw(stream_seed(key, i), k)


@njit(cache=True)
def uniforms(key: np.uint64, n: int, n_draws: int) -> np.ndarray:
    """The first ``n_draws`` uniforms of agents ``0 .. n - 1``, shape (n, n_draws)."""
    out = np.empty((n, n_draws), np.float64)
    for i in range(n):
        s = stream_seed(key, i)
        for k in range(n_draws):
            out[i, k] = draw(s, k)
    return out


def day_key(rng: np.random.Generator) -> np.uint64:
    """One 64-bit key drawn from the model's seeded generator (one per day or tick)."""
    return np.uint64(rng.integers(0, 2**64, dtype=np.uint64))


__all__ = ["GAMMA", "MIX1", "MIX2", "TWO_M53", "day_key", "draw", "mix64", "stream_seed",
           "uniform", "uniforms"]
