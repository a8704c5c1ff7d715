"""Plain-numpy twin of sim.kernels.counter_rng, written from its formula.

SplitMix64 in numpy uint64 arrays (which wrap modulo 2^64, as the hash needs):
``seed(key, i) = mix64(key + (i + 1) * GAMMA)``, ``uniform = (mix64(seed + (k + 1) *
GAMMA) >> 11) * 2^-53``. Shared by test_counter_rng.py and the plan tests, whose
references draw their uniforms here.
"""

from __future__ import annotations

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)


def mix64(z):
    z = np.atleast_1d(np.asarray(z, np.uint64))  # arrays wrap silently; scalars warn
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def twin_seed(key, i):
    i = np.atleast_1d(np.asarray(i, np.uint64))
    return mix64(np.uint64(key) + (i + np.uint64(1)) * GAMMA)


def twin_draw(seed, k):
    k = np.atleast_1d(np.asarray(k, np.uint64))
    bits = mix64(np.atleast_1d(np.asarray(seed, np.uint64)) + (k + np.uint64(1)) * GAMMA)
    return (bits >> np.uint64(11)).astype(np.float64) / 2.0**53


def twin_uniform(key, i, k):
    return twin_draw(twin_seed(key, i), k)


def twin_uniforms(key, n, n_draws):
    """Shape (n, n_draws): agent i's first n_draws uniforms under key."""
    i = np.arange(n, dtype=np.uint64)[:, None]
    k = np.arange(n_draws, dtype=np.uint64)[None, :]
    return twin_uniform(key, i, k)


class TwinStream:
    """One agent's stream from draw ``k0`` on, with a generator's ``random()``."""

    def __init__(self, key, i, k0):
        self.seed = twin_seed(key, i)
        self.k = k0

    def random(self):
        u = float(twin_draw(self.seed, self.k)[0])
        self.k += 1
        return u
