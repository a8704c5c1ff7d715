"""Victimisation prevalence by group, in the style of the ICVS.

Prevalence is the share of people victimised at least once in a period (a survey's
"were you a victim of ... in the last 12 months"), as opposed to incidence (crimes
per 100 people). Burglary is a household crime: every member of a burgled household
counts as a victim, and the household rate is reported separately.
"""

from __future__ import annotations

import numpy as np

from sim.config import ADULT, CRIME_TYPES, ELDERLY, GROUPS, YOUTH


def group_masks(age: np.ndarray, female: np.ndarray, marginalised: np.ndarray
                ) -> dict[str, np.ndarray]:
    """Boolean masks of residents for every group in GROUPS."""
    return {
        "everyone": np.ones(age.shape[0], bool),
        "youth": age == YOUTH,
        "adult": age == ADULT,
        "elderly": age == ELDERLY,
        "women_and_girls": female.astype(bool),
        "men_and_boys": ~female.astype(bool),
        "marginalised": marginalised.astype(bool),
    }


def prevalence_table(
    victim_counts: np.ndarray, masks: dict[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """``{group: {crime_type | "any": share victimised at least once}}``.

    Args:
        victim_counts: Victimisations per resident and crime type over the period.
        masks: Group masks from :func:`group_masks`.
    """
    hit = victim_counts > 0
    any_hit = hit.any(axis=1)
    out: dict[str, dict[str, float]] = {}
    for g in GROUPS:
        m = masks[g]
        n = int(m.sum())
        row = {t: (float(hit[m, k].mean()) if n else float("nan"))
               for k, t in enumerate(CRIME_TYPES)}
        row["any"] = float(any_hit[m].mean()) if n else float("nan")
        row["n"] = n
        out[g] = row
    return out


def household_burglary_rate(victim_counts: np.ndarray, hh_first: np.ndarray) -> float:
    """Share of households burgled at least once.

    Read from each household's first member: all members share its burglaries.
    """
    if hh_first.size == 0:
        return float("nan")
    return float((victim_counts[hh_first, 0] > 0).mean())


class CountSnapshot:
    """Victimisation counts at one moment, kept sparse: only residents with any count.

    A survey period's prevalence needs each resident's count at its start. Most
    residents have never been victimised, so keeping the rows with a count (their
    index and their row) takes a fraction of a full copy -- a full copy would be as big
    as the counts themselves, one more array per resident for the whole run.

    Args:
        counts: Victimisations per resident and crime type, ``(residents, types)``.
    """

    def __init__(self, counts: np.ndarray) -> None:
        self.rows = np.flatnonzero(counts.any(axis=1))
        self.values = counts[self.rows]
        self.shape = counts.shape

    def since(self, counts: np.ndarray) -> np.ndarray:
        """``counts`` minus the snapshot: victimisations since it was taken (a new array)."""
        out = counts.copy()
        out[self.rows] -= self.values
        return out

    @property
    def nbytes(self) -> int:
        """Bytes held (the rows with a count and their indices)."""
        return int(self.rows.nbytes + self.values.nbytes)


def annualise(share: float, days: float) -> float:
    """Scale a prevalence over ``days`` to a year, assuming a constant hazard."""
    if days <= 0 or not np.isfinite(share) or share >= 1.0:
        return share
    return float(1.0 - (1.0 - share) ** (365.0 / days))
