"""The Compare page's stored results, stale marking, caps, variants and Stop.

A stored comparison must come back equal (rows, settings, table) and its CSV must be
readable by a CSV reader; a Stop must end runs in progress long before their end,
counted in ticks run, not in seconds.
"""

from __future__ import annotations

import csv
import math
import os
import threading
import time

import pytest

from sim.analysis.compare import run_comparison
from sim.analysis.effects import COLUMNS
from sim.analysis.executor import ProcessExecutor
from sim.analysis.outcome import measure_run
from sim.analysis.stop_signal import RunStoppedError, StopSignal
from sim.crime.model import CrimeModel
from sim.dashboard.state.compare_estimate import calibrate
from sim.dashboard.state.compare_result import ComparisonStoppedError, run_prepared
from sim.dashboard.state.compare_run import CompareRun
from sim.dashboard.state.compare_settings import (
    EXPLORE_CHOICE,
    MAX_DAYS,
    MAX_REPS,
    CompareJob,
)
from sim.dashboard.state.compare_store import (
    STALE_PARTIAL_S,
    StoredRunError,
    keep_count,
    load_result,
    prune,
    recent_runs,
    save_result,
    store_root,
)


def small_job(small_overrides, **fields: str) -> CompareJob:
    job = CompareJob(small_overrides)
    for key, text in {"reps": "2", "days": "31", "workers": "1", **fields}.items():
        assert job.set_field(key, text) is None
    return job


@pytest.fixture(scope="module")
def finished(small_overrides):
    """One tiny real comparison (2 replications of 31 days), rendered for the page."""
    return run_prepared(small_job(small_overrides).prepare())


def test_a_stored_comparison_comes_back_equal(finished):
    run_id = save_result(finished)
    back = load_result(run_id)
    assert back.run_id == run_id
    assert repr(back.rows) == repr(finished.rows)  # repr: NaN equals NaN, floats exact
    assert back.settings == finished.settings
    assert back.settings["reps"] == 2 and back.settings["days"] == 31.0
    assert back.table == finished.table and back.headline == finished.headline
    folder = store_root() / run_id
    assert (folder / "comparison.csv").read_bytes() == finished.files["comparison.csv"]
    with open(folder / "comparison.csv", newline="") as f:  # the CLI's file, read back
        table = list(csv.DictReader(f))
    assert len(table) == len(finished.rows) and tuple(table[0]) == COLUMNS
    for row, read in zip(finished.rows, table, strict=True):
        assert read["metric"] == row.metric and read["scenario"] == row.scenario
        if math.isfinite(row.value):
            assert float(read["value"]) == pytest.approx(row.value, rel=1e-5)  # 6 digits
    assert [p.name for p in store_root().iterdir() if p.name.startswith(".")] == []
    listed = recent_runs()
    assert [r.run_id for r in listed] == [run_id]
    assert "baseline against street_lighting, 2 replications of 31 days" in listed[0].summary


def test_the_brief_and_the_description_come_back_too(finished):
    """The stored result carries what the brief needs: the sensitivity check and the
    comparison's description (its runs' arrays are not kept), so the reloaded page
    writes the same report.html."""
    from sim.dashboard.pages.compare_brief import report_bytes

    back = load_result(save_result(finished))
    assert finished.sensitivity and back.sensitivity.keys() == finished.sensitivity.keys()
    for label, check in finished.sensitivity.items():
        assert repr(back.sensitivity[label].rows) == repr(check.rows)
        assert repr(back.sensitivity[label].noise_pct) == repr(check.noise_pct)
    cmp, old = back.comparison, finished.comparison
    assert (cmp.base, cmp.alternatives, cmp.seeds, cmp.window_days) == (
        old.base, old.alternatives, old.seeds, old.window_days)
    assert report_bytes(back) == report_bytes(finished)


def test_a_pickle_dropped_into_the_store_is_never_read(tmp_path):
    """A run folder is read as JSON: a pickle there (which could run code) is not a run."""
    import pickle

    folder = tmp_path / "20260101-120000-abcdef"
    folder.mkdir()
    (folder / "result.pickle").write_bytes(pickle.dumps({"payload": "x"}))
    (folder / "settings.json").write_text("{}")
    with pytest.raises(StoredRunError, match="no stored comparison"):
        load_result("20260101-120000-abcdef", root=tmp_path)
    assert recent_runs(root=tmp_path) == []
    (folder / "result.json").write_text('{"format": 1, "files": ["../../etc/passwd"]}')
    with pytest.raises(StoredRunError, match="cannot be read"):
        load_result("20260101-120000-abcdef", root=tmp_path)


@pytest.mark.parametrize(("run_id", "words"), [
    ("../../etc", "not a comparison id"),
    ("20260101-120000-abcdef", "no stored comparison"),
])
def test_a_bad_run_id_is_refused_with_one_line(run_id, words):
    with pytest.raises(StoredRunError, match=words) as caught:
        load_result(run_id)
    assert "\n" not in str(caught.value)


def test_settings_come_back_from_a_stored_result(finished, small_overrides):
    job = CompareJob()
    job.restore(finished.settings)
    assert (job.base, job.alternatives, job.reps, job.days, job.workers) == \
        ("baseline", ["street_lighting"], 2, 31.0, 1)
    assert job.overrides == small_overrides


@pytest.mark.parametrize(("key", "text", "words"), [
    ("reps", str(MAX_REPS + 1), f"reps: at most {MAX_REPS}"),
    ("days", str(MAX_DAYS + 1), f"days: at most {MAX_DAYS} (ten years)"),
    ("workers", str((os.cpu_count() or 1) + 1), f"workers: at most {os.cpu_count() or 1}"),
])
def test_caps_refuse_values_above_them_with_a_message(key, text, words):
    job = CompareJob()
    before = getattr(job, key)
    assert words in job.set_field(key, text)
    assert getattr(job, key) == before and words in job.errors[key]
    at_cap = {"reps": MAX_REPS, "days": MAX_DAYS, "workers": os.cpu_count() or 1}[key]
    assert job.set_field(key, str(at_cap)) is None and key not in job.errors


def test_named_variants_are_copies_that_can_be_renamed_and_removed(small_scenario,
                                                                   small_overrides):
    explore = {"scenario": small_scenario.with_overrides({"offenders.count": 50})}
    job = CompareJob(small_overrides, explore=lambda: explore["scenario"])
    assert job.add_variant("fewer offenders") is None
    explore["scenario"] = small_scenario.with_overrides({"offenders.count": 90})
    assert job.add_variant("more offenders") is None
    assert "is taken" in job.add_variant("more offenders")
    assert "is taken" in job.add_variant("baseline")  # a scenario file's name
    assert "type a name" in job.add_variant("  ")
    assert job.alternatives == ["street_lighting", "fewer offenders", "more offenders"]
    assert job.choices[:3] == [EXPLORE_CHOICE, "fewer offenders", "more offenders"]
    assert job.scenario("fewer offenders")["offenders.count"] == 50  # not the later edit
    assert job.scenario("more offenders")["offenders.count"] == 90
    assert job.rename_variant("fewer offenders", "50 offenders") is None
    job.remove_variant("more offenders")
    assert job.alternatives == ["street_lighting", "50 offenders"]
    prepared = job.prepare()
    assert [a.name for a in prepared.alternatives] == ["street_lighting", "50 offenders"]
    again = CompareJob()  # the variants travel with the settings of a stored result
    again.restore(prepared.settings)
    assert again.scenario("50 offenders")["offenders.count"] == 50


def test_no_variant_before_explore_was_opened():
    assert "open the Explore page first" in CompareJob().add_variant("x")


class Finisher:
    """A fake comparison: the first call returns ``result``, later ones wait for a gate."""

    def __init__(self, result) -> None:
        self.result, self.calls, self.gate = result, 0, threading.Event()

    def __call__(self, prepared, on_done, cancelled, stop_file=None):
        self.calls += 1
        if self.calls > 1:
            self.gate.wait(30)
        return self.result


def test_the_last_result_is_marked_stale_while_a_new_one_runs(finished, small_overrides):
    prepared = small_job(small_overrides).prepare()
    run = CompareRun(Finisher(finished), saver=lambda result: "20260101-000000-000001")
    assert not run.stale
    run.start(prepared)
    run.join(10)
    assert run.result is finished and not run.stale
    run.start(prepared)
    assert run.running and run.stale  # the page greys it and names its settings
    run._runner.gate.set()
    run.join(10)
    assert not run.stale


def test_a_stop_request_ends_a_run_at_the_next_simulated_day(small_scenario):
    sc = small_scenario.with_overrides({"metrics.event_log": True})
    model = CrimeModel(scenario=sc, rng=1, agent_views=False)
    polls = []

    def stop() -> bool:
        polls.append(model.tick)
        return len(polls) > 3  # three days run, then stop

    with pytest.raises(RunStoppedError) as caught:
        measure_run(model, 30 * 24, 0, stop)
    assert caught.value.ticks_run == 3 * 24 == model.tick
    assert polls == [0, 24, 48, 72]


@pytest.mark.parametrize("workers", [1, 2])
def test_stop_ends_ten_year_runs_in_progress(small_overrides, workers):
    """Stopped a second in, a ten-year comparison ends long before its runs would.

    In-process, the run itself stops at a day's end: the ticks it ran are counted.
    In a pool, the workers are ended: the comparison returns within a tenth of one
    run's measured time (3650 timed days).
    """
    job = small_job(small_overrides, days=str(MAX_DAYS), workers=str(workers))
    prepared = job.prepare()
    one_run_s = calibrate(prepared.base).run_seconds(MAX_DAYS)
    signal = StopSignal()
    set_at: list[float] = []

    def stop() -> None:
        set_at.append(time.monotonic())
        signal.set()

    timer = threading.Timer(1.0, stop)
    timer.start()
    with pytest.raises(ComparisonStoppedError) as caught:
        run_prepared(prepared, stop_file=signal.path)
    stopped = time.monotonic()
    timer.join()
    signal.close()
    # One worker: the run in this process notices at the end of a simulated day. Two:
    # the pool ends its workers, unless a worker's run noticed first (both are a stop).
    if workers == 1 or "worker processes were ended" not in str(caught.value):
        ticks_run, ticks = (int(n) for n in str(caught.value).split("after ")[1]
                            .rstrip(" ticks)").split(" of "))
        assert ticks == prepared.ticks == MAX_DAYS * 24
        assert ticks_run < 0.5 * ticks, "the run ended long before its ten years"
    assert stopped - set_at[0] < 0.1 * one_run_s + 2  # 2 s: a day's end, a pool's exit


def test_a_stopped_pool_ends_its_workers_mid_job():
    """Jobs that would sleep 60 s each end within seconds of the stop."""
    signal = StopSignal()
    threading.Timer(2.0, signal.set).start()
    t0 = time.monotonic()
    with pytest.raises(RunStoppedError, match="worker processes were ended"):
        ProcessExecutor(2, signal.path).map(time.sleep, [60, 60, 60])
    assert time.monotonic() - t0 < 30
    signal.close()


def test_run_comparison_without_a_stop_file_is_unchanged(small_scenario):
    """Stepping a day at a time (a stop file that is never set) gives the same runs."""
    alt = small_scenario.with_overrides({"offenders.count": 70})
    plain = run_comparison(small_scenario, [alt], reps=2, ticks=5 * 24)
    signal = StopSignal()
    polled = run_comparison(small_scenario, [alt], reps=2, ticks=5 * 24,
                            stop_file=signal.path)
    signal.close()
    for label in plain.outcomes:
        for a, b in zip(plain.outcomes[label], polled.outcomes[label], strict=True):
            assert a.totals == b.totals
            assert (a.crime_map == b.crime_map).all()


def test_the_page_greys_a_stale_result_under_a_banner_naming_its_settings(finished,
                                                                          small_overrides):
    import ipyvuetify as v
    import solara

    from sim.dashboard.pages import browser_state
    from sim.dashboard.pages.compare import ComparePage

    fake = Finisher(finished)
    browser_state.current().compare_run = run = CompareRun(
        fake, saver=lambda result: "20260101-000000-000002")
    prepared = small_job(small_overrides).prepare()
    run.start(prepared)
    run.join(10)
    run.start(prepared)  # the second run waits for the gate
    _, rc = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
    try:
        assert run.stale
        banner = rc.find(v.Alert)
        banner.assert_single()
        assert banner.widget.class_ == "stale-banner"
        text = str(banner.widget.children)
        assert "Results below are from the previous run (baseline against " \
               "street_lighting, 2 replications of 31 days, seed 1)" in text
        greyed = rc.find(v.Sheet, class_="d-flex ma-0 stale-result")
        greyed.assert_single()
        assert "opacity:0.45" in greyed.widget.style_
    finally:
        fake.gate.set()
        run.join(10)
        rc.close()


def test_a_save_keeps_only_the_newest_runs(finished, tmp_path, monkeypatch):
    monkeypatch.setenv("CRIMESIM_COMPARE_KEEP", "2")
    (tmp_path / "notes").mkdir()  # not a run of the store: never touched
    crashed = tmp_path / ".partial-20200101-000000-abcdef"
    crashed.mkdir()
    old = time.time() - STALE_PARTIAL_S - 60
    os.utime(crashed, (old, old))
    fresh = tmp_path / ".partial-20990101-000000-abcdef"  # a save in progress elsewhere
    fresh.mkdir()
    ids = []
    for _ in range(3):
        ids.append(save_result(finished, root=tmp_path))
        time.sleep(1.05)  # run ids carry the save's second
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([fresh.name, "notes", ids[1], ids[2]])
    assert [r.run_id for r in recent_runs(root=tmp_path)] == [ids[2], ids[1]]


def test_prune_by_hand(tmp_path):
    names = ["20260101-000000-aaaaaa", "20260102-000000-aaaaaa", "20260103-000000-aaaaaa"]
    for name in names:
        (tmp_path / name).mkdir()
    assert prune(tmp_path, keep=1) == names[:2][::-1]  # the two oldest, newest first
    assert [p.name for p in tmp_path.iterdir()] == [names[2]]


@pytest.mark.parametrize("text", ["0", "-3", "abc", "2.5"])
def test_a_bad_keep_count_is_one_line(monkeypatch, text):
    monkeypatch.setenv("CRIMESIM_COMPARE_KEEP", text)
    with pytest.raises(StoredRunError, match="CRIMESIM_COMPARE_KEEP: expected a positive "
                                             "whole number of comparisons to keep"):
        keep_count()
