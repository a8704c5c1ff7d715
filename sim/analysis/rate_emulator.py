"""A crime type's rate and its interval, read from an emulator fitted to the trials.

A run's count of a crime type is noisy: every trial runs the same seeds, but a new
rate changes every later draw, so two close trials differ by the city's chance
variation as much as by their rates. Reading the best trial alone, or the lowest
deviance near each value, mistakes luck for fit. The emulator smooths that noise
away: across all trials, a type's expected crimes in the training months follow
``log mu = a + b log(rate)`` (a Poisson regression of each trial's crimes, over its
runs, on its log rate; the other keys move the total little). The observed total
``y`` then gives the rate where ``mu = y``, and the 95% interval is the set of rates
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


def fit_emulator(x: np.ndarray, totals: np.ndarray, runs: int) -> tuple[float, float]:
    """Poisson regression ``log E[total / runs] = a + b x`` by iteratively reweighted LS.

    Args:
        x: Each trial's log rate.
        totals: Each trial's crimes summed over its runs.
        runs: Runs per trial (the exposure).
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(totals, np.float64)
    design = np.column_stack([np.ones_like(x), x])
    eta = np.log((y + 0.5) / runs)
    for _ in range(50):
        mu = runs * np.exp(eta)
        z = eta + (y - mu) / mu
        w = mu
        coef = np.linalg.lstsq(design * np.sqrt(w)[:, None], z * np.sqrt(w), rcond=None)[0]
        new = design @ coef
        if np.max(np.abs(new - eta)) < 1e-10:
            break
        eta = new
    return float(coef[0]), float(coef[1])


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


def estimate_rate(x: np.ndarray, totals: np.ndarray, runs: int, observed: float,
                  spread: float, bounds: tuple[float, float]) -> RateEstimate:
    """The rate whose emulated crimes match the observed, and its 95% interval.

    Args:
        x: Each trial's log rate.
        totals: Each trial's crimes of the type in the training months, over its runs.
        runs: Runs per trial.
        observed: The observed crimes of the type in the training months.
        spread: Between-run dispersion of the model's counts (variance over mean).
        bounds: The search range of the log rate.
    """
    x = np.asarray(x, np.float64)
    totals = np.asarray(totals, np.float64)
    a, b = fit_emulator(x, totals, runs)
    mu = runs * np.exp(a + b * x)
    df = max(1, x.size - 2)
    lack = float(np.sum((totals - mu) ** 2 / mu) / df)
    phi = max(1.0, spread, lack)
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
