"""The calibration's objective and its confidence intervals: Poisson deviance and profiles.

Recorded crimes in an area in a month are counts, so the fit is judged by the Poisson
deviance ``2 sum(y log(y / mu) - (y - mu))`` of the observed counts ``y`` against
the model's expected counts ``mu`` (by area and crime type): the likelihood-ratio
statistic against a perfect fit, the natural distance for counts (McCullagh & Nelder
1989). Crime is over-dispersed and a simulated ``mu`` is itself noisy, so intervals use
the quasi-likelihood dispersion ``phi`` = Pearson chi-square / degrees of freedom
(at least 1): a parameter's 95% interval is the range of values whose profile
deviance is within ``phi * 3.84`` (chi-square, 1 df) of the best.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: 95% quantile of the chi-square distribution with one degree of freedom.
CHI2_95_1DF = 3.841458820694124


def poisson_deviance(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Unit Poisson deviances, element by element (0 where both are 0).

    Args:
        observed: Observed counts y >= 0.
        expected: Expected counts mu > 0 (callers floor them; see :func:`floor_expected`).
    """
    y = np.asarray(observed, np.float64)
    mu = np.asarray(expected, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return 2.0 * (term - (y - mu))


def floor_expected(expected: np.ndarray, floor: float) -> np.ndarray:
    """Expected counts raised to ``floor`` (half a simulated crime, in the callers).

    A run that saw no crime in an area gives an expected count of "less than half a
    simulated crime", not zero, whose deviance against any observed crime would be
    infinite.
    """
    return np.maximum(np.asarray(expected, np.float64), floor)


def dispersion(observed: np.ndarray, expected: np.ndarray, n_params: int,
               variance_factor: float = 1.0) -> float:
    """Quasi-likelihood dispersion: Pearson chi-square over residual df, at least 1.

    Args:
        observed: Observed counts.
        expected: Fitted expected counts.
        n_params: Parameters fitted (taken off the degrees of freedom).
        variance_factor: Variance of ``y - mu`` over ``mu`` when the counts are
            Poisson: 1 for a known ``mu``, more when ``mu`` is itself a noisy estimate.
    """
    y = np.asarray(observed, np.float64).ravel()
    mu = np.asarray(expected, np.float64).ravel()
    df = max(1, y.size - n_params)
    pearson = np.sum((y - mu) ** 2 / (mu * variance_factor))
    return max(1.0, float(pearson / df))


@dataclass(frozen=True)
class ProfileInterval:
    """A parameter's confidence interval from the profile of the deviance over trials.

    Attributes:
        low: Lower bound, on the parameter's own scale.
        high: Upper bound.
        open_low: No trial below the interval was worse than the threshold: the lower
            bound is the search range's (the data do not bound it there).
        open_high: The same above.
    """

    low: float
    high: float
    open_low: bool
    open_high: bool


def profile_interval(values: np.ndarray, deviances: np.ndarray, threshold: float,
                     bounds: tuple[float, float]) -> ProfileInterval:
    """The interval of values whose profile deviance is within ``threshold`` of the best.

    The profile at a value is the lowest deviance of the trials there (the other
    parameters take whatever values did best). Trials are points, not a curve, and
    between two trials the profile is not known, so each bound reaches halfway from
    the outermost trial inside the threshold to the nearest trial beyond it; with no
    trial beyond, the bound is the search range's.

    Args:
        values: Each trial's parameter value, on the search scale (log for rates).
        deviances: Each trial's deviance (the part this parameter acts on).
        threshold: Largest excess over the best deviance inside the interval.
        bounds: The search range, on the same scale.
    """
    x = np.asarray(values, np.float64)
    d = np.asarray(deviances, np.float64)
    ok = np.isfinite(d)
    x, d = x[ok], d[ok]
    cut = d.min() + threshold
    inside = d <= cut
    lo_in, hi_in = x[inside].min(), x[inside].max()

    def crossing(edge: float, beyond: np.ndarray, fallback: float) -> tuple[float, bool]:
        if not beyond.any():
            return fallback, True
        nearest = x[beyond][np.argmin(np.abs(x[beyond] - edge))]
        return (edge + nearest) / 2.0, False

    low, open_low = crossing(lo_in, x < lo_in, bounds[0])
    high, open_high = crossing(hi_in, x > hi_in, bounds[1])
    return ProfileInterval(float(low), float(high), open_low, open_high)
