"""Displacement and diffusion of benefits: the weighted displacement quotient.

When crime falls in a treated area, did it move next door (displacement) or fall
there too (diffusion of benefits)? Bowers & Johnson (2003) answer with three areas --
the treated area R, a buffer ring D around it and a control area C -- counted before
(b) and after (a) the intervention:

    WDQ = (D_a/C_a - D_b/C_b) / (R_a/C_a - R_b/C_b)

The denominator (the "success measure") is the change in the treated area relative
to the control area's trend and must be negative for the quotient to mean anything.
Then WDQ > 0 is diffusion of benefits (the buffer improved too), 0 is no change in the
buffer, -1 < WDQ < 0 is some displacement, smaller than the benefit, and WDQ < -1 is
displacement exceeding the benefit (the scheme made things worse overall).

In the simulation "before" is the *base run with the same seed over the same window*
and "after" is the alternative run: a simulated counterfactual rather than a
before/after comparison, so the control ratio removes only what the intervention
itself changed city-wide (e.g. through legitimacy), not seasonal trends.

Over replications the WDQ is a ratio estimator -- the mean numerator over the mean
denominator -- with Fieller's (1954) 95% interval (sim.analysis.ratio).
Per-replication quotients are not averaged: in a replication where the treated area
barely changes, the denominator is near zero and the quotient explodes or flips
sign, so their mean has no finite variance. The ratio of means is consistent, and
Fieller's interval is honest about a denominator that is not clearly negative: it
becomes unbounded (reported as n/a).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import distance_transform_edt

#: Default width of the buffer ring: 300 m. Bowers & Johnson (2003) drew buffers of a
#: few hundred metres, about as far as an offender displaced from a treated street
#: would plausibly go; 300 m also covers the near-repeat reach of docs/ODD.md (200 m).
DEFAULT_RING_M = 300.0


def wdq(r_b: float, d_b: float, c_b: float, r_a: float, d_a: float, c_a: float) -> float:
    """Bowers & Johnson's (2003) weighted displacement quotient.

    Args:
        r_b: Crimes in the treated area before.
        d_b: Crimes in the buffer ring before.
        c_b: Crimes in the control area before.
        r_a: Crimes in the treated area after.
        d_a: Crimes in the buffer ring after.
        c_a: Crimes in the control area after.

    Returns:
        The quotient, or NaN when it is undefined: a control area without crime (no
        trend to weigh by) or no change at all in the treated area (nothing to
        weigh the buffer's change against).
    """
    num, den = wdq_terms(r_b, d_b, c_b, r_a, d_a, c_a)
    if not (math.isfinite(num) and math.isfinite(den)) or den == 0:
        return math.nan
    return num / den


def wdq_terms(r_b: float, d_b: float, c_b: float, r_a: float, d_a: float, c_a: float
              ) -> tuple[float, float]:
    """The WDQ's numerator (buffer displacement measure) and denominator (success measure).

    Both are NaN when either control count is zero.
    """
    if c_b == 0 or c_a == 0:
        return math.nan, math.nan
    return d_a / c_a - d_b / c_b, r_a / c_a - r_b / c_b


def interpret_wdq(value: float, success: float) -> str:
    """A policymaker's reading of a WDQ, given its success measure (denominator)."""
    if not math.isfinite(value) or not math.isfinite(success):
        return "n/a"
    if success >= 0:
        return "no fall in the treated area"
    if value > 0:
        return "diffusion of benefits"
    if value == 0:
        return "no displacement"
    if value > -1:
        return "displacement smaller than the benefit"
    return "displacement exceeds the benefit"


def buffer_ring(treated: np.ndarray, width: int, height: int, ring: float) -> np.ndarray:
    """Untreated cells whose centre lies within ``ring`` cells of a treated cell's centre.

    The distance is Euclidean, so a "300 m" ring is a band of 300 m all round the
    treated area. A square (Chebyshev) window would reach 300 m * sqrt(2) = 424 m at
    its corners and put cells in the buffer that are farther away than the ring the
    report names. Cells outside the grid are neither treated nor in the ring: an area
    at the edge simply has a ring clipped by the edge.

    Args:
        treated: Flat bool mask of the treated cells (row-major, ``height * width``).
        width: Grid width.
        height: Grid height.
        ring: Ring radius in cells, possibly fractional (the ring's metres over the
            cell size); below 1 the ring is empty, as no other centre is that close.

    Returns:
        Flat bool mask of the ring's cells, in the same order as ``treated``.
    """
    mask = np.asarray(treated, bool).reshape(height, width)
    if ring <= 0 or not mask.any() or mask.all():
        return np.zeros(mask.size, bool)
    # Distance from every untreated cell to the nearest treated cell (the zeros).
    dist = distance_transform_edt(~mask)
    # Squared centre distances are whole numbers: compare them with a relative
    # tolerance so that a ring of 0.3 / 0.1 (= 2.9999999999999996) cells keeps the
    # cells at distance 3.
    inside = np.rint(dist * dist) <= ring * ring * (1 + 1e-9)
    return (inside & ~mask).ravel()


def ring_cells(metres: float, cell_size_m: float) -> float:
    """The ring radius in cells for ``metres``: exact, but at least one cell.

    The Euclidean ring needs no rounding to whole cells, so the ring the reports
    name is the one requested. Below one cell it would be empty (no other cell
    centre is that close) and the WDQ would read "no displacement" for want of a
    buffer, so it is widened to one cell: the four neighbours sharing an edge.
    """
    return max(1.0, float(metres) / float(cell_size_m))


@dataclass(frozen=True)
class AreaCounts:
    """Crimes in the treated area, buffer ring and control area for one replication pair.

    Attributes:
        r_b, d_b, c_b: Base run (before).
        r_a, d_a, c_a: Alternative run with the same seed (after).
        cells: Cells in (R, D, C).
    """

    r_b: float
    d_b: float
    c_b: float
    r_a: float
    d_a: float
    c_a: float
    cells: tuple[int, int, int]

    @property
    def net_prevented(self) -> float:
        """Crimes prevented in the treated area and buffer together (positive = fewer)."""
        return (self.r_b + self.d_b) - (self.r_a + self.d_a)

    def terms(self) -> tuple[float, float]:
        """The WDQ's numerator and denominator for this pair."""
        return wdq_terms(self.r_b, self.d_b, self.c_b, self.r_a, self.d_a, self.c_a)


def area_counts(base_map: np.ndarray, alt_map: np.ndarray, treated: np.ndarray,
                width: int, height: int, ring: float) -> AreaCounts:
    """Split two crime maps (cells, or types x cells) into the R, D and C totals."""
    treated = np.asarray(treated, bool)
    buffer = buffer_ring(treated, width, height, ring)
    control = ~(treated | buffer)
    base = np.asarray(base_map, float).reshape(-1, treated.size).sum(axis=0)
    alt = np.asarray(alt_map, float).reshape(-1, treated.size).sum(axis=0)
    return AreaCounts(
        float(base[treated].sum()), float(base[buffer].sum()), float(base[control].sum()),
        float(alt[treated].sum()), float(alt[buffer].sum()), float(alt[control].sum()),
        (int(treated.sum()), int(buffer.sum()), int(control.sum())))
