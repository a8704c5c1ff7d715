"""A crime type's rate and its interval, read from an emulator fitted to the trials.

A run's count of a crime type is noisy: every trial runs the same seeds, but a new
rate changes every later draw, so two close trials differ by the city's chance
variation as much as by their rates. Reading the best trial alone, or the lowest
deviance near each value, mistakes luck for fit. The emulator smooths that noise
away: across all trials, a type's expected crimes in the training months follow
``log mu = a + b log(rate) + sum_j c_j z_j`` (a Poisson regression of each trial's
crimes, over its runs, on its log rate and on the other fitted keys ``z_j``, which
move the total too: a stronger deprivation gain makes every cell more attractive).
With the other keys at the best trial's values, the observed total ``y`` then gives
the rate where ``mu = y``, and the 95% interval is the set of rates
whose Poisson deviance of ``y`` against ``mu`` is within ``phi x 3.84`` of the best,
the profile likelihood of the emulated total. ``phi`` is the larger of the
between-run dispersion of the model's counts and the emulator's lack of fit, so the
interval covers the chance variation of a city's crime, not just counting noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.count_likelihood import CHI2_95_1DF


@dataclass(frozen=True)
class RateEstimate:
    """A fitted rate on the log scale, with its interval.

    Attributes:
        log_rate: The estimate (log of the rate), inside the search range.
        low: The interval's lower bound (log rate).
        high: The upper bound (log rate).
        open_low: The data do not bound the rate from below within the range.
        open_high: The same above.
        slope: The emulator's ``b``: how crime grows with the rate (1: in proportion).
        phi: The dispersion the interval uses.
    """

    log_rate: float
    low: float
    high: float
    open_low: bool
    open_high: bool
    slope: float
    phi: float


def fit_emulator(design: np.ndarray, totals: np.ndarray, runs: int) -> np.ndarray:
    """Poisson regression ``log E[total / runs] = c0 + design @ c`` (IRLS).

    Args:
        design: Each trial's covariates, shape (trials, k) (log rate and other keys).
        totals: Each trial's crimes summed over its runs.
        runs: Runs per trial (the exposure).

    Returns:
        The coefficients ``[c0, c1, ..., ck]``.
    """
    y = np.asarray(totals, np.float64)
    design = np.asarray(design, np.float64).reshape(len(y), -1)
    full = np.column_stack([np.ones(len(y)), design])
    eta = np.log((y + 0.5) / runs)
    coef = np.zeros(full.shape[1])
    for _ in range(100):
        mu = runs * np.exp(eta)
        z = eta + (y - mu) / mu
        w = np.sqrt(mu)
        coef = np.linalg.lstsq(full * w[:, None], z * w, rcond=None)[0]
        new = np.clip(full @ coef, -50.0, 50.0)  # a flat or empty type must not overflow
        if np.max(np.abs(new - eta)) < 1e-10:
            break
        eta = new
    return coef


def _deviance(y: float, mu: float) -> float:
    return 2.0 * ((y * math.log(y / mu) if y > 0 else 0.0) - (y - mu))


def _mu_bound(y: float, cut: float, above: bool) -> float:
    """The expected count on one side of ``y`` where the deviance of ``y`` equals ``cut``."""
    if not above and y == 0:
        return 0.0
    lo, hi = (y, max(2 * y, 1.0)) if above else (0.0, y)
    if above:
        while _deviance(y, hi) < cut:
            hi *= 2.0
    else:
        lo = y * 1e-12
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        inside = _deviance(y, mid) <= cut
        if above:
            lo, hi = (mid, hi) if inside else (lo, mid)
        else:
            lo, hi = (lo, mid) if inside else (mid, hi)
    return 0.5 * (lo + hi)


def estimate_rate(design: np.ndarray, totals: np.ndarray, runs: int, observed: float,
                  spread: float, bounds: tuple[float, float], column: int,
                  at: np.ndarray) -> RateEstimate:
    """The rate whose emulated crimes match the observed, and its 95% interval.

    Args:
        design: Each trial's fitted keys on their search scales, (trials, keys).
        totals: Each trial's crimes of the type in the training months, over its runs.
        runs: Runs per trial.
        observed: The observed crimes of the type in the training months.
        spread: Between-run dispersion of the model's counts (variance over mean).
        bounds: The search range of the log rate.
        column: The column of ``design`` holding this type's log rate.
        at: The values of every key the other keys are held at (``at[column]`` unused).
    """
    design = np.asarray(design, np.float64).reshape(len(totals), -1)
    totals = np.asarray(totals, np.float64)
    coef = fit_emulator(design, totals, runs)
    mu = runs * np.exp(coef[0] + design @ coef[1:])
    df = max(1, len(totals) - len(coef))
    lack = float(np.sum((totals - mu) ** 2 / mu) / df)
    phi = max(1.0, spread, lack)
    b = float(coef[1 + column])
    others = np.delete(np.asarray(at, np.float64), column)
    a = float(coef[0] + others @ np.delete(coef[1:], column))
    lo_b, hi_b = bounds
    if b <= 0:
        mid = 0.5 * (lo_b + hi_b)
        return RateEstimate(mid, lo_b, hi_b, True, True, b, phi)
    cut = phi * CHI2_95_1DF

    def log_rate(count: float) -> float:
        return (math.log(count) - a) / b if count > 0 else -math.inf

    best = min(max(log_rate(observed), lo_b), hi_b)
    low = log_rate(_mu_bound(observed, cut, above=False))
    high = log_rate(_mu_bound(observed, cut, above=True))
    return RateEstimate(best, max(low, lo_b), min(high, hi_b), low <= lo_b, high >= hi_b,
                        b, phi)
