"""sim.kernels.illicit_market against plain-numpy twins written from the market's rules.

The rules (docs/ODD.md, the illicit market):

- turf: the free members of a gang standing in a district their gang holds, listed by
  district in slot order, with their summed motivation (the gang's strength there);
- extortion, per business of a cell in a gang's territory, while the district has a
  member listed: approached with ``1 - exp(-approach_rate x strength)``; pays with
  ``pay_prob x (1 - trust_refusal x L) / (1 + police_effect x honest officers)``; a
  refusal is reported with ``min(1, report_gain x L)``; a report is cleared with
  ``clearance``; the case falls to officer ``int(u x officers)``, who drops it for a
  bribe with ``bribe_prob`` if corrupt; else member ``int(u x listed)`` of the district
  is arrested (swapped with the last listed, who takes his place), and jailed with
  ``conviction_prob`` for ``max(1, int(-log(1 - u) x jail_ticks + 0.5))`` ticks;
- officers: a corrupt one turns honest with ``exit_prob``; an honest one in a gang's
  territory turns corrupt with ``1 - exp(-rate x revenue / 1000)``.

Draw order: as the kernels' docstrings say; the twins use numpy's generator seeded
like the kernel's (numba's generator gives the same stream).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config import DEAD, FREE, JAILED, NO_GANG
from sim.kernels import illicit_market as im

W = H = 12
SEEDS = (1, 2, 3, 4, 5)
TICK = 500
PARAMS = dict(approach_rate=0.02, pay_prob=0.5, police_effect=0.3, trust_refusal=0.6,
              report_gain=0.9, clearance=0.7, bribe_prob=0.6, conviction_prob=0.55,
              jail_ticks=240.0, payment=450.0)


def world(seed: int, n_slots: int = 240):
    """A 12 x 12 city in four quadrant districts; gangs 0 and 1 hold three of them."""
    g = np.random.default_rng(seed)
    x, y = np.meshgrid(np.arange(W), np.arange(H))
    district = ((y.ravel() >= H // 2) * 2 + (x.ravel() >= W // 2)).astype(np.int64)
    territory = np.array([0, 1, NO_GANG, 0], np.int64)
    cells = np.sort(g.choice(W * H, 40, replace=False)).astype(np.int64)
    return dict(
        district=district, territory=territory, business_cells=cells,
        businesses=g.integers(1, 5, cells.size).astype(np.int64),
        o_state=g.choice([DEAD, FREE, JAILED], n_slots, p=[0.2, 0.7, 0.1]).astype(np.int64),
        o_gang=g.choice([NO_GANG, 0, 1], n_slots).astype(np.int64),
        o_pos=g.integers(0, W * H, n_slots).astype(np.int64),
        o_motivation=g.gamma(2.0, 0.5, n_slots),
        o_release=np.zeros(n_slots, np.int64), o_arrests=g.integers(0, 3, n_slots),
        honest=g.integers(0, 4, 4).astype(np.float64), legit=g.uniform(0.2, 0.9, 4),
        corrupt=g.random(20) < 0.3, revenue=np.array([500.0, 1500.0]),
        off_pos=g.integers(0, W * H, 20).astype(np.int64))


def ref_turf(w):
    """Members by district: free, in a gang, standing where their gang holds the district."""
    d = w["district"][w["o_pos"]]
    ok = (w["o_state"] == FREE) & (w["o_gang"] != NO_GANG) & (
        w["territory"][d] == w["o_gang"])
    start = np.zeros(5, np.int64)
    lists, strength = [], np.zeros(4)
    for k in range(4):
        slots = np.flatnonzero(ok & (d == k))
        lists.append(slots)
        start[k + 1] = start[k] + slots.size
        strength[k] = w["o_motivation"][slots].sum()
    return start, np.concatenate(lists), strength


def run_turf(w):
    start = np.zeros(5, np.int64)
    members = np.full(w["o_state"].size, -1, np.int64)
    strength = np.zeros(4)
    n = im.gang_turf(w["o_state"], w["o_gang"], w["o_pos"], w["o_motivation"], w["district"],
                     w["territory"], start, members, strength)
    return n, start, members, strength


@pytest.mark.parametrize("seed", SEEDS)
def test_turf_lists_members_on_their_own_turf(seed):
    w = world(seed)
    n, start, members, strength = run_turf(w)
    r_start, r_members, r_strength = ref_turf(w)
    assert n == r_members.size
    np.testing.assert_array_equal(start, r_start)
    np.testing.assert_array_equal(members[:n], r_members)
    np.testing.assert_allclose(strength, r_strength, rtol=1e-12)


def ref_extort(w, start, members, strength, rng, a):
    """The extortion rule, business by business (see the module docstring)."""
    st, rel, arr = w["o_state"].copy(), w["o_release"].copy(), w["o_arrests"].copy()
    members, strength = members.copy(), strength.copy()
    count = np.diff(start)
    revenue, bribes, counts = np.zeros(2), np.zeros(4, np.int64), np.zeros(im.N_COUNTS, int)
    n_off = w["corrupt"].size
    for c, nb in zip(w["business_cells"], w["businesses"], strict=True):
        d = w["district"][c]
        gang = w["territory"][d]
        if gang == NO_GANG:
            continue
        L = w["legit"][d]
        p_pay = a["pay_prob"] * (1 - a["trust_refusal"] * L) / (
            1 + a["police_effect"] * w["honest"][d])
        p_report = min(1.0, a["report_gain"] * L)
        for _ in range(nb):
            if count[d] == 0:
                break
            if not rng.random() < 1 - math.exp(-a["approach_rate"] * max(strength[d], 0)):
                continue
            counts[im.ATTEMPTS] += 1
            if rng.random() < p_pay:
                counts[im.PAYMENTS] += 1
                revenue[gang] += a["payment"]
                continue
            if not rng.random() < p_report:
                continue
            counts[im.REPORTED] += 1
            if not rng.random() < a["clearance"]:
                continue
            counts[im.CLEARED] += 1
            officer = int(rng.random() * n_off)
            if w["corrupt"][officer] and rng.random() < a["bribe_prob"]:
                counts[im.BRIBED] += 1
                bribes[d] += 1
                continue
            first, m = start[d], count[d]
            pick, last = first + int(rng.random() * m), first + m - 1
            slot = members[pick]
            members[pick], members[last] = members[last], slot
            count[d] -= 1
            strength[d] -= w["o_motivation"][slot]
            counts[im.ARRESTS] += 1
            arr[slot] += 1
            if rng.random() < a["conviction_prob"]:
                st[slot] = JAILED
                rel[slot] = TICK + max(1, int(-np.log(1 - rng.random()) * a["jail_ticks"] + 0.5))
                counts[im.JAILINGS] += 1
    return dict(state=st, release=rel, arrests=arr, revenue=revenue, bribes=bribes,
                counts=counts)


def run_extort(w, start, members, strength, rng, a):
    got = {k: w[k].copy() for k in ("o_state", "o_release", "o_arrests")}
    revenue, bribes, counts = np.zeros(2), np.zeros(4, np.int64), np.zeros(im.N_COUNTS,
                                                                            np.int64)
    im.extort(w["business_cells"], w["businesses"], w["district"], w["territory"], start,
              members.copy(), strength.copy(), w["honest"], w["legit"], w["corrupt"],
              got["o_state"], got["o_release"], got["o_arrests"], w["o_motivation"], TICK,
              a["approach_rate"], a["pay_prob"], a["police_effect"], a["trust_refusal"],
              a["report_gain"], a["clearance"], a["bribe_prob"], a["conviction_prob"],
              a["jail_ticks"], a["payment"], revenue, bribes, counts, rng)
    return dict(state=got["o_state"], release=got["o_release"], arrests=got["o_arrests"],
                revenue=revenue, bribes=bribes, counts=counts)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("over", [{}, {"approach_rate": 0.3, "report_gain": 2.0},
                                  {"clearance": 1.0, "bribe_prob": 0.0}])
def test_extort_matches_the_rule(seed, over):
    a = {**PARAMS, **over}
    w = world(seed)
    _, start, members, strength = run_turf(w)
    got = run_extort(w, start, members, strength, np.random.default_rng(seed), a)
    want = ref_extort(w, start, members, strength, np.random.default_rng(seed), a)
    for key in ("state", "release", "arrests", "bribes", "counts"):
        np.testing.assert_array_equal(got[key], want[key], err_msg=key)
    np.testing.assert_allclose(got["revenue"], want["revenue"])


def test_extort_without_territory_draws_nothing():
    w = world(7)
    w["territory"][:] = NO_GANG
    _, start, members, strength = run_turf(w)
    rng = np.random.default_rng(7)
    before = rng.bit_generator.state
    got = run_extort(w, start, members, strength, rng, PARAMS)
    assert rng.bit_generator.state == before
    assert got["counts"].sum() == 0


def test_approaches_follow_the_hazard():
    """Over many days of one business, approaches are a binomial with p = 1 - exp(-r s)."""
    w = world(3)
    _, start, members, strength = run_turf(w)
    d = 0
    cell = int(np.flatnonzero(w["district"] == d)[0])
    w["business_cells"], w["businesses"] = np.array([cell]), np.array([1])
    a = {**PARAMS, "pay_prob": 1.0, "trust_refusal": 0.0, "approach_rate": 0.05}
    p = 1 - math.exp(-a["approach_rate"] * strength[d])
    rng = np.random.default_rng(11)
    days = 4000
    hits = sum(run_extort(w, start, members, strength, rng, a)["counts"][im.ATTEMPTS]
               for _ in range(days))
    se = math.sqrt(days * p * (1 - p))
    assert abs(hits - days * p) < 4 * se


def ref_officers(w, rng, rate, exit_prob):
    corrupt = w["corrupt"].copy()
    new = left = 0
    for j, c in enumerate(w["off_pos"]):
        if corrupt[j]:
            if rng.random() < exit_prob:
                corrupt[j] = False
                left += 1
            continue
        gang = w["territory"][w["district"][c]]
        if gang == NO_GANG or w["revenue"][gang] <= 0:
            continue
        if rng.random() < 1 - math.exp(-rate * w["revenue"][gang] / 1000):
            corrupt[j] = True
            new += 1
    return corrupt, new, left


@pytest.mark.parametrize("seed", SEEDS)
def test_officers_bought_and_leaving_match_the_rule(seed):
    w = world(seed)
    got = w["corrupt"].copy()
    n = im.corrupt_officers(w["off_pos"], got, w["district"], w["territory"], w["revenue"],
                            0.2, 0.1, np.random.default_rng(seed))
    want, new, left = ref_officers(w, np.random.default_rng(seed), 0.2, 0.1)
    np.testing.assert_array_equal(got, want)
    assert n == (new, left)


def test_corruption_share_settles_where_hazards_balance():
    """Entry h, exit x: the corrupt share tends to h / (h + x) (seeded, binomial SE)."""
    n_off, h_rate, x = 400, 0.3, 0.02
    pos = np.zeros(n_off, np.int64)  # all in district 0, held by gang 0
    district, territory = np.zeros(1, np.int64), np.array([0], np.int64)
    revenue = np.array([100.0])
    h = 1 - math.exp(-h_rate * 0.1)
    corrupt = np.zeros(n_off, np.bool_)
    rng = np.random.default_rng(5)
    shares = []
    for day in range(3000):
        im.corrupt_officers(pos, corrupt, district, territory, revenue, h_rate, x, rng)
        if day >= 1000 and day % 50 == 0:  # past the transient, roughly independent
            shares.append(corrupt.mean())
    want = h / (h + x)  # stationary share of the daily two-state chain
    se = math.sqrt(want * (1 - want) / n_off / len(shares))
    assert abs(np.mean(shares) - want) < 5 * se  # samples 50 days apart: ~independent
