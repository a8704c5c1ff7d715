"""Outbursts and waiting times (sim.civil_violence.analysis) on hand-made series."""

from __future__ import annotations

import numpy as np

from sim.civil_violence.analysis import find_outbursts, outbursts_of


def test_outbursts_are_runs_above_the_threshold():
    active = np.array([0, 5, 60, 80, 10, 0, 0, 70, 3, 90, 95])
    b = find_outbursts(active, 50)
    assert b.start.tolist() == [2, 7, 9]
    assert b.end.tolist() == [4, 8, 11]  # the last run is still going at the end
    assert b.peak.tolist() == [80, 70, 95]
    assert b.duration.tolist() == [2, 1, 2]
    assert b.waiting.tolist() == [5, 2]  # start to start
    s = b.summary()
    assert s["outbursts"] == 3 and s["mean_waiting_ticks"] == 3.5 and s["largest_peak"] == 95
    assert s["sd_waiting_ticks"] == np.std([5, 2], ddof=1)


def test_a_value_at_the_threshold_is_calm():
    b = find_outbursts(np.array([50, 50, 51, 50]), 50)
    assert b.start.tolist() == [2] and b.end.tolist() == [3]


def test_no_outburst_and_one_outburst_have_no_waiting_time():
    none = find_outbursts(np.zeros(20, int), 5).summary()
    assert none["outbursts"] == 0 and none["mean_waiting_ticks"] is None
    assert none["largest_peak"] == 0
    one = find_outbursts(np.array([0, 9, 0]), 5).summary()
    assert one["outbursts"] == 1 and one["mean_waiting_ticks"] is None
    assert one["sd_waiting_ticks"] is None


def test_threshold_as_a_share_of_citizens():
    b = outbursts_of(np.array([0, 56, 57, 0]), citizens=1120)  # 5%: 56
    assert b.threshold == 56.0 and b.start.tolist() == [2]
