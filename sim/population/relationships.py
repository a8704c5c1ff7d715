"""Relationships: partners, family, ex-partners and the domestic abusers among them.

Most violence against women is not a stranger's attack in the street: in the Crime
Survey for England and Wales, 44% of victims of rape or assault by penetration were
assaulted by a partner or ex-partner and 37% in their own home (ONS 2018 and 2021;
docs/evidence.md). To let violence happen at home and between people who know each
other, the model needs to know who is related to whom -- without a per-resident array
(memory per resident is at its limit):

- **partners**: in a household with adults (adults and the elderly) of both sexes,
  the first woman and the first man are a couple with ``relationships.couple_share``
  (same-sex couples are left out: with sexes drawn independently they would be a
  quarter of all pairs, against one or two per cent in censuses);
- **family**: the other members of a household (parents, children, siblings);
- **ex-partners**: an adult living alone or as the single adult of a household has an
  ex-partner elsewhere in the city (an adult of the other sex in another household)
  with ``relationships.ex_partner_share``;
- **acquaintances**: people who share a household, a school or workplace
  (``activity_cell``) or live within one cell; derived on the fly by the offending
  kernel, never stored.

Partners, family and ex-partners are drawn here only to find the **domestic
abusers**: a share of partnered or ex-partnered men (``abuser_share_men``) and women
(``abuser_share_women``) abuse their (ex-)partner, fewer where either is elderly
(``abuser_elderly_factor``: domestic abuse falls with age), and a smaller share of
adults (``family_abuser_share``) abuse another member of their household. Each abuser takes
an offender slot of kind ``DOMESTIC_OFFENDER`` holding the victim (``target``) and
who the victim is to them (``relation``: partner, which includes ex-partners, or
family); nothing else is kept. Every draw comes from the build generator, in a fixed
order, and only when ``relationships.enabled``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import (
    DOMESTIC_OFFENDER,
    ELDERLY,
    FREE,
    INDEX,
    INT,
    NO_GANG,
    REL_FAMILY,
    REL_PARTNER,
    YOUTH,
)
from sim.population.offenders import Offenders
from sim.population.residents import Residents
from sim.scenario import Params


@dataclass
class Abusers:
    """Domestic abusers chosen from the households, before they take their slots.

    Attributes:
        resident: The abuser (a resident index).
        target: Their victim (a resident index).
        relation: ``REL_PARTNER`` (partner or ex-partner) or ``REL_FAMILY``.
    """

    resident: np.ndarray
    target: np.ndarray
    relation: np.ndarray

    @property
    def n(self) -> int:
        """Number of abusers."""
        return int(self.resident.shape[0])


def couples(household: np.ndarray, n_hh: int, adult: np.ndarray, female: np.ndarray,
            u: np.ndarray, couple_share: float) -> tuple[np.ndarray, np.ndarray]:
    """The couples of the households, as two arrays of residents (woman, man).

    A household with adults of both sexes holds a couple -- its first woman and first
    man -- when its uniform ``u[h]`` is below ``couple_share``. Residents are
    contiguous by household, so "first" is the lowest index.

    Args:
        household: Household of each resident.
        n_hh: Number of households.
        adult: Whether each resident is an adult or elderly (a possible partner).
        female: Each resident's sex.
        u: One uniform per household.
        couple_share: Share of households with adults of both sexes that hold a couple.
    """
    n = household.shape[0]
    idx = np.arange(n, dtype=INT)
    none = np.iinfo(INT).max

    def first(mask: np.ndarray) -> np.ndarray:
        out = np.full(n_hh, none, INT)
        np.minimum.at(out, household[mask], idx[mask])
        return out

    first_f = first(adult & female)
    first_m = first(adult & ~female)
    is_couple = (first_f != none) & (first_m != none) & (u < couple_share)
    return first_f[is_couple], first_m[is_couple]


def choose_abusers(res: Residents, p: Params, rng: np.random.Generator) -> Abusers:
    """Draw the domestic abusers of the city, with their targets.

    Draws, in this order: one uniform per household (couples); two per couple (does
    each partner abuse the other); one per lone adult (an ex-partner?), an index for
    each ex-partner and one uniform for whether they abuse; then one uniform per adult
    in a household of two or more (a family abuser?) and an index for the member they
    abuse. A resident already an offender, or already an abuser, is passed over (one
    slot per resident).
    """
    rp = p.relationships
    n, n_hh = res.n, int(res.hh_first.shape[0])
    household = res.household.astype(INT)
    adult = res.age != YOUTH
    female = res.female.astype(bool)
    share = np.where(female, rp.abuser_share_women, rp.abuser_share_men)
    # Partner abuse falls with age: an elderly abuser or an elderly partner takes the factor.
    age_f = np.where(res.age == ELDERLY, rp.abuser_elderly_factor, 1.0)
    taken = res.offender_of >= 0
    who: list[np.ndarray] = []
    whom: list[np.ndarray] = []
    rel: list[np.ndarray] = []

    def keep(a: np.ndarray, b: np.ndarray, code: int) -> None:
        # One slot per resident: drop abusers already taken, then mark them taken.
        a, first = np.unique(a, return_index=True)
        b = b[first]
        ok = ~taken[a]
        a, b = a[ok], b[ok]
        taken[a] = True
        who.append(a)
        whom.append(b)
        rel.append(np.full(a.shape[0], code, np.int8))

    # Partners.
    pa, pb = couples(household, n_hh, adult, female, rng.random(n_hh), rp.couple_share)
    u = rng.random((2, pa.shape[0]))
    pair_f = np.minimum(age_f[pa], age_f[pb])
    a_abuses = u[0] < share[pa] * pair_f
    b_abuses = u[1] < share[pb] * pair_f
    keep(np.concatenate([pa[a_abuses], pb[b_abuses]]),
         np.concatenate([pb[a_abuses], pa[b_abuses]]), REL_PARTNER)
    # Ex-partners of lone adults (living alone or single parents).
    adults_in = np.bincount(household[adult], minlength=n_hh)
    lone = np.flatnonzero(adult & (adults_in[household] == 1))
    has_ex = lone[rng.random(lone.shape[0]) < rp.ex_partner_share]
    pool_f = np.flatnonzero(adult & female)
    pool_m = np.flatnonzero(adult & ~female)
    ex = np.full(has_ex.shape[0], -1, INT)
    for pool, victims in ((pool_m, female[has_ex]), (pool_f, ~female[has_ex])):
        k = int(victims.sum())
        if pool.shape[0] and k:
            ex[victims] = pool[rng.integers(0, pool.shape[0], k)]
    ok = ex >= 0
    ok[ok] = household[ex[ok]] != household[has_ex[ok]]
    has_ex, ex = has_ex[ok], ex[ok]
    abuses = rng.random(ex.shape[0]) < share[ex] * np.minimum(age_f[ex], age_f[has_ex])
    keep(ex[abuses], has_ex[abuses], REL_PARTNER)
    # Family: another member of a household of two or more (not the partner).
    size = res.hh_size.astype(INT)[household]
    cand = np.flatnonzero(adult & (size >= 2))
    fam = cand[rng.random(cand.shape[0]) < rp.family_abuser_share]
    first_member = res.hh_first.astype(INT)[household[fam]]
    others = size[fam] - 1
    pick = rng.integers(0, np.maximum(others, 1))
    target = first_member + pick
    target = np.where(target >= fam, target + 1, target)  # skip the abuser themself
    partner_of = np.full(n, -1, INT)
    partner_of[pa], partner_of[pb] = pb, pa
    ok = (others >= 1) & (partner_of[fam] != target)
    keep(fam[ok], target[ok], REL_FAMILY)
    return Abusers(resident=np.concatenate(who).astype(INT),
                   target=np.concatenate(whom).astype(INT),
                   relation=np.concatenate(rel))


def add_domestic_offenders(res: Residents, off: Offenders, p: Params,
                           rng: np.random.Generator) -> int:
    """Give every domestic abuser an offender slot; returns how many.

    The pool grows if it lacks room (leaving at least its usual free share for
    recruits). A slot holds the abuser as ``resident``, their home as ``home`` and
    position, the victim as ``target``, the relation, a gamma motivation as street
    offenders have (one draw each, after :func:`choose_abusers`' draws) and kind
    ``DOMESTIC_OFFENDER``; abusers are in no gang.
    """
    if not p.relationships.enabled or res.n == 0:
        return 0
    ab = choose_abusers(res, p, rng)
    k = ab.n
    if k == 0:
        return 0
    op = p.offenders
    motivation = rng.gamma(op.motivation_shape, op.motivation_mean / op.motivation_shape,
                           size=k)
    spare = max(16, off.capacity // 10)
    if int(off.free_top[0]) < k + spare:
        off.grow(off.capacity + k + spare)
    top = int(off.free_top[0])
    slots = off.free_stack[top - k: top][::-1].astype(INT)
    off.free_top[0] = top - k
    home = res.home[ab.resident]
    off.state[slots] = FREE
    off.home[slots] = home
    off.pos[slots] = home
    off.motivation[slots] = motivation
    off.gang[slots] = NO_GANG
    off.resident[slots] = ab.resident
    off.kind[slots] = DOMESTIC_OFFENDER
    off.target[slots] = ab.target.astype(INDEX)
    off.relation[slots] = ab.relation
    res.offender_of[ab.resident] = slots
    return k


__all__ = ["Abusers", "add_domestic_offenders", "choose_abusers", "couples"]
