"""Analyzers: measures taken during a run, checked against the event log; results unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from sim import CivilViolenceModel, CrimeModel
from sim.config import CRIME_TYPES, EV_CELL, EV_TICK, EV_TYPE, N_CRIME
from sim.metrics.analyzers import REGISTRY, Analyzer, AnalyzerSet, make_analyzer, register
from sim.metrics.crime_maps import DailyCrimeMap
from sim.metrics.hot_spots import HotSpotPersistence
from sim.scenario import flatten

TPD = 24
TICKS = 24 * 6 + 7  # six days and seven hours: the last day is cut short
#: Enough crime (about 150 in the run) for maps and hot spots worth checking.
BUSY = {"metrics.event_log": True, "offenders.count": 300,
        **{f"crime.{t}.rate": 5 * flatten()[f"crime.{t}.rate"].default for t in CRIME_TYPES}}


class Calls(Analyzer):
    """Records when the model calls it."""

    name = "calls"

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []

    def start(self, model):
        self.log.append(("start", model.tick))

    def step(self, model):
        self.log.append(("step", model.tick))

    def finish(self, model):
        self.log.append(("finish", model.tick))


@pytest.fixture(scope="module")
def logged(small_scenario):
    return small_scenario.with_overrides(BUSY)


@pytest.fixture(scope="module")
def analysed(logged):
    maps = DailyCrimeMap(by_type=True, name="maps_by_type")
    hot = HotSpotPersistence(period_days=2, top_share=0.05)
    model = CrimeModel(scenario=logged, rng=11, agent_views=False,
                       analyzers=[maps, hot, Calls(), "daily_crime_map"])
    model.run_for(TICKS)
    model.finish()
    return model


def test_analyzers_change_no_result(logged, analysed):
    plain = CrimeModel(scenario=logged, rng=11, agent_views=False)
    plain.run_for(TICKS)
    assert analysed.results.to_frame().equals(plain.results.to_frame())
    np.testing.assert_array_equal(analysed.events.array, plain.events.array)
    np.testing.assert_array_equal(analysed.city.crime_count, plain.city.crime_count)
    assert analysed.rng.bit_generator.state == plain.rng.bit_generator.state  # no draws


def test_hooks_are_called_at_start_after_every_tick_and_once_at_the_end(analysed):
    log = analysed.analyzers["calls"].log
    assert log == [("start", 0), *(("step", t) for t in range(1, TICKS + 1)),
                   ("finish", TICKS)]
    analysed.finish()  # a second finish does nothing
    assert log[-1] == ("finish", TICKS) and len(log) == TICKS + 2
    with pytest.raises(RuntimeError, match="finished"):
        analysed.analyzers.step(analysed)


def test_daily_crime_map_against_the_event_log(analysed):
    ev = analysed.events.array
    city = analysed.city
    n = city.n_cells
    day = ev[:, EV_TICK] // TPD
    days = TICKS // TPD + 1
    flat = (day * N_CRIME + ev[:, EV_TYPE]) * n + ev[:, EV_CELL]
    expected = np.bincount(flat, minlength=days * N_CRIME * n).reshape(
        days, N_CRIME, city.height, city.width)
    maps = analysed.analyzers["daily_crime_map"]  # the one made by name: all types
    by_type = analysed.analyzers["maps_by_type"]
    assert by_type.maps.shape == expected.shape and by_type.partial_last
    np.testing.assert_array_equal(by_type.maps, expected)
    np.testing.assert_array_equal(maps.maps, expected.sum(axis=1))
    assert expected.sum() > 100


def test_hot_spot_persistence_against_the_event_log(analysed):
    ev = analysed.events.array
    n = analysed.city.n_cells
    k = round(0.05 * n)
    period = ev[:, EV_TICK] // (2 * TPD)
    hot = []
    for p in range(TICKS // (2 * TPD)):  # complete periods only
        counts = np.bincount(ev[period == p, EV_CELL], minlength=n)
        order = np.lexsort((np.arange(n), -counts))  # most crime first, then lower index
        hot.append(sorted(c for c in order[:k] if counts[c] > 0))
    tracker = analysed.analyzers["hot_spot_persistence"]
    assert [h.tolist() for h in tracker.hot_spots] == hot
    expected = [len(set(a) & set(b)) / len(a) for a, b in zip(hot, hot[1:], strict=False)]
    np.testing.assert_allclose(tracker.persistence, expected)
    assert tracker.mean_persistence == pytest.approx(np.mean(expected))
    assert len(hot) == 3 and all(len(h) > 20 for h in hot)  # three full periods, busy ones


def test_an_analyzer_set_refuses_clashes_and_unknown_names():
    with pytest.raises(ValueError, match="two analyzers"):
        AnalyzerSet([DailyCrimeMap(), DailyCrimeMap()])
    assert len(AnalyzerSet([DailyCrimeMap(), DailyCrimeMap(name="other")])) == 2
    with pytest.raises(ValueError, match="no analyzer named"):
        make_analyzer("no_such_analyzer")
    with pytest.raises(TypeError):
        make_analyzer(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="registered already"):
        register(type("Impostor", (Analyzer,), {"name": "daily_crime_map"}))
    assert REGISTRY["hot_spot_persistence"] is HotSpotPersistence
    assert not AnalyzerSet() and not AnalyzerSet(None)


def test_hot_spot_persistence_checks_its_arguments():
    with pytest.raises(ValueError, match="period_days"):
        HotSpotPersistence(period_days=0)
    with pytest.raises(ValueError, match="top_share"):
        HotSpotPersistence(top_share=0.0)


class PeakActive(Analyzer):
    """The most citizens active in any tick so far, and when: an outburst measure."""

    name = "peak_active"

    def start(self, model):
        self.peak, self.when = -1, -1

    def step(self, model):
        active = int(model.results.last("active"))
        if active > self.peak:
            self.peak, self.when = active, model.tick - 1


def test_civil_violence_model_takes_analyzers_too():
    scenario = {"civil_violence__max_iters": 60}
    plain = CivilViolenceModel(rng=5, **scenario)
    plain.run_for(60)
    analysed = CivilViolenceModel(rng=5, analyzers=[PeakActive(), Calls()], **scenario)
    analysed.run_for(60)
    analysed.finish()
    frame = plain.results.to_frame()
    assert analysed.results.to_frame().equals(frame)  # no result moved, no draw taken
    assert analysed.rng.bit_generator.state == plain.rng.bit_generator.state
    peak = analysed.analyzers["peak_active"]
    assert peak.peak == frame["active"].max()  # from the results table, not the analyzer
    assert peak.when == int(frame["active"].to_numpy().argmax())
    log = analysed.analyzers["calls"].log
    assert log[0] == ("start", 0) and log[-1] == ("finish", 60) and len(log) == 62
