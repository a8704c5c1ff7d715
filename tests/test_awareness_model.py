"""The awareness space in the model: journeys lengthen, crimes gather around non-home
nodes, the dashboard's view of one offender, and the switch.

Expected values come from the rule, not from the code under test: with the classic
walk every crime lies on a walk from home (6 moves an hour, outings of about an hour),
so few crimes are far from home; with outings anchored at nodes, a crime happens
during an outing to a node, and the share far from home must rise well above that.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CrimeModel
from sim.config import DEAD, STREET_OFFENDER

DAYS = 30


def run(small_scenario, on: bool, seed: int = 5) -> CrimeModel:
    m = CrimeModel(scenario=small_scenario, rng=seed, agent_views=False,
                   **{"awareness.enabled": on, "repeat.enabled": on,
                      "offenders.count": 300})
    m.run_days(DAYS)
    return m


@pytest.fixture(scope="module")
def pair(small_scenario):
    return run(small_scenario, False), run(small_scenario, True)


def cheb(a, b, width):
    return np.maximum(abs(a % width - b % width), abs(a // width - b // width))


def test_journeys_lengthen(pair):
    classic, aware = (m.events.to_frame() for m in pair)
    assert len(classic) > 30 and len(aware) > 30
    far_classic = (classic.distance_m > 400).mean()
    far_aware = (aware.distance_m > 400).mean()
    # Binomial SEs of both shares: the gap must exceed 4 of them.
    se = np.sqrt(far_classic * (1 - far_classic) / len(classic)
                 + far_aware * (1 - far_aware) / len(aware))
    assert far_aware - far_classic > 4 * se
    assert aware.distance_m.median() > classic.distance_m.median()


def test_crimes_happen_around_non_home_nodes(pair):
    m = pair[1]
    ev = m.events.to_frame()
    off, width = m.offenders, m.city.width
    near_node = np.zeros(len(ev), bool)
    far_home = cheb(ev.cell.to_numpy(), ev.offender_home.to_numpy(), width) > 3
    for k in range(3):
        nodes = off.aw_nodes[ev.offender.to_numpy(), k]
        near_node |= (nodes >= 0) & (cheb(ev.cell.to_numpy(), nodes, width) <= 3)
    acts = m.residents.activity_cell[ev.offender_resident.clip(0).to_numpy()]
    near_node |= (acts >= 0) & (cheb(ev.cell.to_numpy(), acts, width) <= 3)
    # Slots may be reused by later recruits; still, a good share of crimes must lie
    # away from home and near one of the offender's other nodes.
    share = (near_node & far_home).mean()
    assert share > 0.2, share


def test_awareness_space_view(pair):
    classic, aware = pair
    # a street offender's slot that is live in both runs (violence at home gives the
    # aware run more live slots: its abusers')
    n = min(aware.offenders.capacity, classic.offenders.capacity)
    live = ((aware.offenders.state[:n] != DEAD) & (aware.offenders.kind[:n] == STREET_OFFENDER)
            & (classic.offenders.state[:n] != DEAD))
    slot = int(np.flatnonzero(live)[0])
    view = aware.awareness_space(slot)
    assert view["home"] == aware.offenders.home[slot]
    kinds = [k for k, _ in view["nodes"]]
    assert {"leisure", "family"} <= set(kinds)
    cells = {c for _, c in view["nodes"]}
    assert cells <= set(view["paths"].tolist())
    assert view["home"] in set(view["paths"].tolist())
    assert classic.awareness_space(slot)["nodes"] == []
    free = int(np.flatnonzero(aware.offenders.state == DEAD)[0])
    with pytest.raises(ValueError, match="holds no offender"):
        aware.awareness_space(free)
    with pytest.raises(ValueError):
        aware.awareness_space(10**9)


def test_outings_keep_the_share_of_time_out(pair):
    """The start hazard is derived so offenders are out about as often as before."""
    out = [m.results.to_frame()["offenders_active"].to_numpy() for m in pair]
    free = [m.results.to_frame()["offenders_free"].to_numpy() for m in pair]
    shares = [o.sum() / f.sum() for o, f in zip(out, free, strict=True)]
    assert abs(shares[1] - shares[0]) < 0.25 * shares[0], shares
