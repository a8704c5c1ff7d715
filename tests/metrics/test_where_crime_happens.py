"""Concentration on cells and blocks, journeys, settings and relationships: hand-made logs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import (
    ASSAULT,
    BURGLARY,
    EV_CELL,
    EV_DISTANCE,
    EV_HOME,
    EV_RELATIONSHIP,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM_HOME,
    N_EVENT_FIELDS,
    REL_ACQUAINTANCE,
    REL_NONE,
    REL_PARTNER,
    REL_STRANGER,
    SET_COMMERCIAL,
    SET_HOME,
    SET_STREET,
    SET_TRANSIT,
    SEXUAL_VIOLENCE,
)
from sim.metrics.events import EventLog
from sim.metrics.journeys import journey_figures, journeys
from sim.metrics.places import (
    block_counts,
    block_side,
    concentration,
    places_for_share,
    top_share,
)
from sim.metrics.where import relationships_by_type, settings_by_type, sexual_violence
from sim.metrics.where_summary import where_summary


def _events(rows: list[dict[int, int]]) -> np.ndarray:
    """An event log whose rows set only the given columns (the rest 0, homes -1)."""
    ev = np.zeros((len(rows), N_EVENT_FIELDS), np.int64)
    ev[:, EV_HOME] = -1
    ev[:, EV_VICTIM_HOME] = -1
    ev[:, EV_DISTANCE] = -1
    for i, r in enumerate(rows):
        for col, v in r.items():
            ev[i, col] = v
    return ev


def test_block_side_is_about_100_m():
    assert block_side(50.0) == 2
    assert block_side(25.0) == 4
    assert block_side(100.0) == 1
    assert block_side(150.0) == 1  # never less than one cell
    assert block_side(40.0) == 2  # round(2.5) is 2 (banker's rounding; either is ~100 m)


def test_block_counts_keep_partial_edge_blocks():
    m = np.arange(15, dtype=float).reshape(3, 5)
    b = block_counts(m, 2)
    # By hand: rows {0,1} and {2}; columns {0,1}, {2,3}, {4}.
    expected = np.array([[0 + 1 + 5 + 6, 2 + 3 + 7 + 8, 4 + 9],
                         [10 + 11, 12 + 13, 14]], dtype=float)
    np.testing.assert_array_equal(b, expected)
    assert b.sum() == m.sum()


def test_concentration_on_blocks_is_coarser_than_on_cells():
    # A 10 x 10 map of 50 m cells, all crime in one 2 x 2 block: 4 of 100 cells (4%),
    # 1 of 25 blocks (4%). Half the crime sits in 2 cells (2%) but still 1 block (4%).
    m = np.zeros((10, 10))
    m[2:4, 4:6] = 5
    c = concentration(m, 50.0)
    assert c["block_cells"] == 2 and c["block_m"] == 100.0
    assert c["cells"]["places"] == 100 and c["blocks"]["places"] == 25
    assert c["cells"]["places_50"] == pytest.approx(0.02)
    assert c["cells"]["places_25"] == pytest.approx(0.01)
    assert c["blocks"]["places_50"] == pytest.approx(0.04)
    assert c["blocks"]["places_25"] == pytest.approx(0.04)
    assert c["blocks"]["top1"] == 1.0  # round(0.25) -> at least one block
    assert c["cells"]["top5"] == 1.0  # 5 cells hold all 4 hot ones


def test_places_for_share_and_top_share_match_hand_counts():
    counts = np.array([50] + [1] * 50 + [0] * 49, dtype=float)
    assert places_for_share(counts, 0.5) == pytest.approx(0.01)
    assert places_for_share(counts, 0.75) == pytest.approx(0.26)
    assert top_share(counts, 0.05) == pytest.approx(54 / 100)
    assert np.isnan(places_for_share(np.zeros(4), 0.5))
    assert np.isnan(top_share(np.zeros(4), 0.05))


def test_journey_figures_quantiles_and_shares_by_hand():
    d = np.array([-1, 100, 200, 300, 400, 900, 1500, 2500, 3500])  # -1: no home, dropped
    f = journey_figures(d)
    assert f["n"] == 8
    # Linear interpolation over 8 sorted values: p50 between the 4th and 5th.
    assert f["quantiles_m"]["p50"] == pytest.approx((400 + 900) / 2)
    assert f["quantiles_m"]["p25"] == pytest.approx(np.quantile(d[1:], 0.25))
    assert f["within_km"] == {"1": 5 / 8, "2": 6 / 8, "3": 7 / 8}
    assert f["mean_m"] == pytest.approx(9400 / 8)
    empty = journey_figures(np.array([-1, -1]))
    assert empty["n"] == 0 and np.isnan(empty["quantiles_m"]["p50"])


def test_journeys_by_type_and_overall():
    ev = _events([{EV_TYPE: BURGLARY, EV_DISTANCE: 500},
                  {EV_TYPE: BURGLARY, EV_DISTANCE: 1500},
                  {EV_TYPE: ASSAULT, EV_DISTANCE: 2500},
                  {EV_TYPE: ASSAULT, EV_DISTANCE: -1}])
    j = journeys(ev)
    assert j["all"]["n"] == 3
    assert j["burglary"]["quantiles_m"]["p50"] == 1000.0
    assert j["assault"]["within_km"]["3"] == 1.0
    assert j["robbery"]["n"] == 0
    assert journeys(np.zeros((0, N_EVENT_FIELDS), np.int64))["all"]["n"] == 0


def test_setting_and_relationship_shares_by_type():
    ev = _events([{EV_TYPE: BURGLARY, EV_SETTING: SET_HOME, EV_RELATIONSHIP: REL_NONE},
                  {EV_TYPE: ASSAULT, EV_SETTING: SET_STREET, EV_RELATIONSHIP: REL_STRANGER},
                  {EV_TYPE: ASSAULT, EV_SETTING: SET_COMMERCIAL,
                   EV_RELATIONSHIP: REL_STRANGER},
                  {EV_TYPE: ASSAULT, EV_SETTING: SET_STREET,
                   EV_RELATIONSHIP: REL_ACQUAINTANCE}])
    s = settings_by_type(ev)
    assert s["assault"]["n"] == 3
    assert s["assault"]["street"] == pytest.approx(2 / 3)
    assert s["assault"]["commercial"] == pytest.approx(1 / 3)
    assert s["burglary"]["home"] == 1.0
    assert s["all"]["street"] == 0.5
    assert np.isnan(s["robbery"]["home"])
    r = relationships_by_type(ev)
    assert r["assault"]["stranger"] == pytest.approx(2 / 3)
    assert r["all"]["none"] == 0.25
    assert sum(v for k, v in r["all"].items() if k != "n") == pytest.approx(1.0)


def test_sexual_violence_partner_own_home_and_open_public():
    sv = SEXUAL_VIOLENCE
    ev = _events([
        # partner, in the victim's own home
        {EV_TYPE: sv, EV_SETTING: SET_HOME, EV_RELATIONSHIP: REL_PARTNER, EV_CELL: 7,
         EV_VICTIM_HOME: 7},
        # acquaintance, at home but someone else's (the victim lives in cell 9)
        {EV_TYPE: sv, EV_SETTING: SET_HOME, EV_RELATIONSHIP: REL_ACQUAINTANCE, EV_CELL: 8,
         EV_VICTIM_HOME: 9},
        # stranger, on the way somewhere (open public space)
        {EV_TYPE: sv, EV_SETTING: SET_TRANSIT, EV_RELATIONSHIP: REL_STRANGER, EV_CELL: 3},
        # stranger, in a shop
        {EV_TYPE: sv, EV_SETTING: SET_COMMERCIAL, EV_RELATIONSHIP: REL_STRANGER},
        # not sexual violence: ignored
        {EV_TYPE: ASSAULT, EV_SETTING: SET_HOME, EV_RELATIONSHIP: REL_PARTNER, EV_CELL: 1,
         EV_VICTIM_HOME: 1},
    ])
    f = sexual_violence(ev)
    assert f == {"n": 4, "partner": 0.25, "own_home": 0.25, "open_public": 0.25}
    none = sexual_violence(ev[4:])
    assert none["n"] == 0 and np.isnan(none["partner"])


def test_where_summary_without_an_event_log_has_concentration_only():
    m = np.zeros((4, 4))
    m[0, 0] = 3
    out = where_summary(None, m, 50.0)
    assert set(out) == {"concentration"}
    full = where_summary(_events([{EV_TYPE: BURGLARY, EV_DISTANCE: 10}]), m, 50.0)
    assert set(full) == {"concentration", "journey", "settings", "relationships",
                         "sexual_violence"}


def test_event_frame_names_setting_and_relationship():
    log = EventLog(capacity=2)
    log.append(_events([{EV_TYPE: SEXUAL_VIOLENCE, EV_SETTING: SET_TRANSIT,
                         EV_RELATIONSHIP: REL_PARTNER, EV_VICTIM_HOME: 12,
                         EV_DISTANCE: 850}]))
    df = log.to_frame()
    assert isinstance(df["setting"].dtype, pd.CategoricalDtype)
    assert df["setting"].iloc[0] == "transit"
    assert df["relationship"].iloc[0] == "partner"
    assert df["crime_type"].iloc[0] == "sexual_violence"
    assert df["victim_home"].dtype == np.int64 and df["victim_home"].iloc[0] == 12
    assert df["distance_m"].dtype == np.int64 and df["distance_m"].iloc[0] == 850
    assert list(df["setting"].cat.categories)[0] == "home"


def test_a_run_summary_and_events_file_agree(small_scenario, tmp_path):
    """summary.json's new figures recomputed by hand from events.parquet and the map."""
    import json

    from sim import CrimeModel
    from sim.crime.output import write_run

    sc = small_scenario.with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=sc, rng=3, agent_views=False)
    model.run_for(2 * model.ticks_per_day)
    write_run(model, tmp_path, 3)
    summary = json.loads((tmp_path / "summary.json").read_text())
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert len(events) > 0
    assert summary["settings"]["all"]["n"] == len(events)
    known = events["distance_m"].to_numpy()
    known = known[known >= 0]
    assert summary["journey"]["all"]["n"] == known.size
    if known.size:
        assert summary["journey"]["all"]["quantiles_m"]["p50"] == pytest.approx(
            float(np.median(known)))
    for name in ("street", "commercial"):
        assert summary["settings"]["all"][name] == pytest.approx(
            float((events["setting"] == name).mean()))
    counts = model.city.crime_count.sum(axis=0)
    blocks = counts.shape[0] // 2 * (counts.shape[1] // 2)  # 40 x 40 cells of 50 m
    assert summary["concentration"]["blocks"]["places"] == blocks
    assert summary["concentration"]["cells"]["places"] == counts.size
