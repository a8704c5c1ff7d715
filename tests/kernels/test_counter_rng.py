"""sim.kernels.counter_rng: the counter-based stream, against its numpy twin.

The stream (module docstring): ``uniform(key, i, k) = (mix64(seed + (k + 1) GAMMA) >>
11) / 2^53`` with ``seed = mix64(key + (i + 1) GAMMA)``, SplitMix64's finaliser. The
twin (counter_twin.py) computes the same formula in numpy uint64 arrays; the values
must be equal exactly. Uniformity: seeded samples, judged by the Kolmogorov-Smirnov
and binomial statistics at fixed tolerances.
"""

from __future__ import annotations

import numpy as np
import pytest
from counter_twin import mix64 as twin_mix64
from counter_twin import twin_uniform, twin_uniforms
from numba import njit, prange
from scipy import stats

from sim.kernels.counter_rng import day_key, draw, mix64, stream_seed, uniform, uniforms


@njit
def _mix_many(z):
    out = np.empty_like(z)
    for j in range(z.shape[0]):
        out[j] = mix64(z[j])
    return out


@njit
def _uniform_many(key, i, k):
    out = np.empty(i.shape[0])
    for j in range(i.shape[0]):
        out[j] = uniform(key, i[j], k[j])
    return out


@njit(parallel=True)
def _parallel_uniforms(key, n, n_draws):
    out = np.empty((n, n_draws))
    for i in prange(n):
        s = stream_seed(key, i)
        for k in range(n_draws):
            out[i, k] = draw(s, k)
    return out


def test_mix64_is_splitmix64_finaliser_known_values():
    # SplitMix64 seeded with 0: its first outputs are mix64(GAMMA), mix64(2 GAMMA), ...
    # (published reference values of splitmix64, e.g. the xoshiro authors' seeding).
    got = _mix_many(np.array([0x9E3779B97F4A7C15, 0x3C6EF372FE94F82A], np.uint64))
    assert got.tolist() == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4]


@pytest.mark.parametrize("seed", range(4))
def test_mix64_matches_twin(seed):
    z = np.random.default_rng(seed).integers(0, 2**64, 5000, dtype=np.uint64)
    np.testing.assert_array_equal(_mix_many(z), twin_mix64(z))


@pytest.mark.parametrize("seed", range(4))
def test_uniform_matches_twin_exactly(seed):
    rng = np.random.default_rng(seed)
    key = day_key(rng)
    i = rng.integers(0, 2**31, 5000)
    k = rng.integers(0, 1000, 5000)
    got = _uniform_many(key, i, k)
    np.testing.assert_array_equal(got, twin_uniform(key, i.astype(np.uint64),
                                                    k.astype(np.uint64)))
    assert ((got >= 0.0) & (got < 1.0)).all()


def test_uniforms_table_matches_twin_and_does_not_depend_on_the_loop():
    key = day_key(np.random.default_rng(9))
    want = twin_uniforms(key, 3000, 9)
    np.testing.assert_array_equal(uniforms(key, 3000, 9), want)
    np.testing.assert_array_equal(_parallel_uniforms(key, 3000, 9), want)
    # chunking: agents 1000..2999 alone give the same rows
    np.testing.assert_array_equal(twin_uniform(key, np.arange(1000, 3000, dtype=np.uint64)
                                               [:, None], np.arange(9, dtype=np.uint64)),
                                  want[1000:])


def test_keys_come_from_the_generator():
    assert day_key(np.random.default_rng(5)) == day_key(np.random.default_rng(5))
    assert day_key(np.random.default_rng(5)) != day_key(np.random.default_rng(6))


@pytest.mark.parametrize("axis", ["agents", "draws"])
def test_uniform_along_agents_and_along_draws(axis):
    """KS distance to U(0, 1) within its 0.1% critical value; decile counts binomial."""
    n = 200_000
    key = day_key(np.random.default_rng(17))
    if axis == "agents":  # draw 3 of consecutive agents
        u = twin_uniform(key, np.arange(n, dtype=np.uint64), np.uint64(3))
        u_kernel = _uniform_many(key, np.arange(n), np.full(n, 3))
    else:  # consecutive draws of agent 12345
        u = twin_uniform(key, np.uint64(12345), np.arange(n, dtype=np.uint64))
        u_kernel = _uniform_many(key, np.full(n, 12345), np.arange(n))
    np.testing.assert_array_equal(u_kernel, u)
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    counts = np.bincount((u * 10).astype(int), minlength=10)
    se = np.sqrt(n * 0.1 * 0.9)
    assert (np.abs(counts - n * 0.1) <= 4.5 * se).all(), counts


def test_neighbouring_agents_and_keys_are_uncorrelated():
    """Pearson correlation of agent i's and agent i+1's draw (and of two keys' draws)
    within 4.5 standard errors (1 / sqrt(n)) of 0."""
    n = 100_000
    key = day_key(np.random.default_rng(3))
    u = twin_uniforms(key, n + 1, 2)
    for a, b in ((u[:-1, 0], u[1:, 0]), (u[:, 0], u[:, 1]),
                 (u[:, 0], twin_uniforms(key + np.uint64(1), n + 1, 1)[:, 0])):
        r = np.corrcoef(a, b)[0, 1]
        assert abs(r) <= 4.5 / np.sqrt(n), r
