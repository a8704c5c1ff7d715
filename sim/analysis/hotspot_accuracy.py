"""How well a model's map of crime matches observed crime: rank, concentration, hot spots.

Three measures analysts use to judge a crime map, each on its own:

- Spearman's rank correlation of counts by area: does the model put the areas in the
  right order, whatever its level?
- The Lorenz curve and Gini coefficient of crime over areas: is crime as concentrated
  in a few areas as it is in the data (Weisburd's law of crime concentration)?
- The Prediction Accuracy Index of the model's hot spots (Chainey, Tompson & Uhlig
  2008): PAI = (share of observed crime in the cells the model ranks highest) /
  (share of the city's area those cells cover). 1 is no better than chance; the
  larger, the better the model's hot spots predict where crime was recorded.
"""

from __future__ import annotations

import math

import numpy as np


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN if either is constant."""
    from scipy.stats import spearmanr

    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return math.nan
    return float(spearmanr(a, b).statistic)


def lorenz_curve(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of areas (x) against share of crime (y), areas from least to most crime.

    Both start at 0 and end at 1; the diagonal is crime spread evenly.
    """
    c = np.sort(np.asarray(counts, np.float64).ravel())
    total = c.sum()
    y = np.concatenate([[0.0], np.cumsum(c) / total]) if total > 0 else np.linspace(
        0, 1, c.size + 1)
    x = np.linspace(0.0, 1.0, c.size + 1)
    return x, y


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of crime over areas: 0 even, towards 1 all in one area.

    Twice the area between the diagonal and the Lorenz curve (trapezoids).
    """
    x, y = lorenz_curve(counts)
    under = float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)
    return 1.0 - 2.0 * under


def top_cells(predicted: np.ndarray, share: float) -> np.ndarray:
    """Indices of the ``share`` of cells (at least one) with the most predicted crime.

    Ties at the cut are broken by cell index (lowest first), so the choice is fixed.
    """
    p = np.asarray(predicted, np.float64).ravel()
    k = max(1, int(round(share * p.size)))
    order = np.lexsort((np.arange(p.size), -p))
    return order[:k]


def pai(predicted: np.ndarray, observed: np.ndarray, share: float = 0.05) -> float:
    """Prediction Accuracy Index of the model's top ``share`` of cells.

    Args:
        predicted: The model's expected crime per cell (flat; all cells equal in area).
        observed: Observed crimes per cell, same cells.
        share: Share of the city's area taken as hot spots.

    Returns:
        (observed crime in the top cells / all observed crime) / (top cells / all cells);
        NaN if nothing was observed.
    """
    obs = np.asarray(observed, np.float64).ravel()
    if obs.sum() <= 0:
        return math.nan
    top = top_cells(predicted, share)
    return float((obs[top].sum() / obs.sum()) / (top.size / obs.size))
