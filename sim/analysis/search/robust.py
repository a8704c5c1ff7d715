"""Robust objectives: one number per candidate from its results across the futures.

A candidate is evaluated under every uncertainty sample; a council needs one figure
per objective to compare candidates by. The search optimises either a quantile of
harm prevented across the samples (0.25 by default: what the mix achieves in the
worse quarter of the futures; McPhail et al. 2018 list this "percentile" family among
the robustness metrics of decision making under deep uncertainty) or the mean. Cost
is summarised at the opposite quantile (0.75 when harm uses 0.25): a pessimistic
reading of both.

Regret -- how far a candidate falls short of the best candidate in each future,
at its worst (Savage's minimax regret) -- compares each candidate with all the
others, so it cannot steer a search that proposes candidates one batch at a time; it
is computed afterwards over every candidate evaluated (:func:`max_regret`) and
reported beside the Pareto set.
"""

from __future__ import annotations

import numpy as np


def robust_value(values: np.ndarray, statistic: str, quantile: float, maximise: bool
                 ) -> float:
    """One candidate's objective across the samples.

    Args:
        values: The objective in each uncertainty sample.
        statistic: ``quantile`` or ``mean``.
        quantile: The quantile taken of an objective to maximise; an objective to
            minimise takes ``1 - quantile`` (the same pessimism).
        maximise: Whether more is better.
    """
    values = np.asarray(values, float)
    if statistic == "mean":
        return float(values.mean())
    q = quantile if maximise else 1.0 - quantile
    return float(np.quantile(values, q))


def max_regret(table: np.ndarray) -> np.ndarray:
    """Each candidate's largest shortfall from the best candidate in any sample.

    Args:
        table: ``(candidates, samples)`` values of an objective to maximise.

    Returns:
        ``(candidates,)``: ``max over samples of (best in that sample - this one)``;
        0 for a candidate that is best in every sample.
    """
    table = np.asarray(table, float)
    return (table.max(axis=0, keepdims=True) - table).max(axis=1)


def non_dominated(points: np.ndarray, maximise: list[bool]) -> np.ndarray:
    """Which rows are on the Pareto front.

    A row is dominated when another is at least as good in every objective and
    better in one.

    Args:
        points: ``(n, objectives)``.
        maximise: Per objective, whether more is better.

    Returns:
        A boolean mask of the non-dominated rows (ties: both kept).
    """
    signs = np.where(np.asarray(maximise), 1.0, -1.0)
    scores = np.asarray(points, float) * signs  # now more is better everywhere
    keep = np.ones(len(scores), bool)
    for i, row in enumerate(scores):
        others = np.delete(scores, i, axis=0)
        dominated = np.any(np.all(others >= row, axis=1) & np.any(others > row, axis=1))
        keep[i] = not dominated
    return keep
