"""The Compare page, rendered without a browser (``solara.render``), and its job."""

from __future__ import annotations

import threading
import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
from ui_support import button, page_text, text_field, type_into

from sim.dashboard.pages import browser_state
from sim.dashboard.pages.compare import ComparePage
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.state.compare_result import ComparisonStoppedError, run_prepared
from sim.dashboard.state.compare_run import CompareRun
from sim.dashboard.state.compare_settings import EXPLORE_CHOICE, CompareJob, parse_overrides
from sim.scenario import ScenarioError


@pytest.fixture
def compare(small_overrides):
    box, rc = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
    yield rc
    rc.close()


def open_explore(small_overrides) -> None:
    """Open Explore in this browser session, switch street lighting on, leave."""
    _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    state = browser_state.current()
    assert state.explore.set_enabled("street_lighting", True) is None
    assert state.explore.set_field("offenders.count", "70") is None
    page.close()


def wait_for(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_page_renders_settings_and_run_button(compare):
    for label in ("replications", "days", "seed", "workers"):
        text_field(compare, label)
    button(compare, "Run comparison")
    assert button(compare, "Stop").disabled
    assert "Choose a base" in page_text(compare)


def test_bad_fields_show_messages_and_keep_other_settings(compare):
    type_into(compare, "days", "40")
    type_into(compare, "replications", "1")
    field = text_field(compare, "replications")
    assert field.error is True
    assert "at least 2" in field.messages[0]
    assert field.v_model == "1"
    assert text_field(compare, "days").v_model == "40"  # kept
    type_into(compare, "days", "-2")
    assert text_field(compare, "days").messages == ["days: expected a positive number, got '-2'"]
    assert text_field(compare, "replications").error is True  # still marked
    button(compare, "Run comparison").click()
    assert "fix the settings" in page_text(compare)
    type_into(compare, "replications", "2")
    assert text_field(compare, "replications").error is False


def test_small_comparison_runs_in_the_background_and_shows_the_table(compare):
    type_into(compare, "replications", "2")
    type_into(compare, "days", "33")
    type_into(compare, "workers", "1")
    button(compare, "Run comparison").click()
    assert not button(compare, "Stop").disabled  # running, and the page still answers
    assert button(compare, "Run comparison").disabled
    assert "running:" in page_text(compare)
    deadline = time.monotonic() + 240  # 4 runs of 33 days: seconds alone, minutes under load
    while time.monotonic() < deadline and len(compare.find(widgets.Image).widgets) < 2:
        time.sleep(0.05)
    text = page_text(compare)
    assert "street_lighting" in text and "cost per crime prevented" in text
    assert "WDQ" in text and "95% CI" in text
    assert len(compare.find(widgets.Image).widgets) == 2  # effects + one change map
    downloads = " ".join(str(c) for w in compare.find(v.Btn).widgets for c in w.children)
    for name in ("comparison.csv", "effects.png", "change_map_street_lighting.png"):
        assert f"Download {name}" in downloads
    assert not button(compare, "Run comparison").disabled


def test_run_with_an_empty_window_marks_days(small_overrides):
    job = CompareJob(small_overrides)
    assert job.set_field("days", "20") is None
    assert job.prepare() is None
    assert "run longer" in job.errors["days"]
    job.set_alternatives([])
    assert job.prepare() is None and "alternatives" in job.errors
    assert "days" not in job.errors  # the window was not checked this time
    job.set_alternatives(["street_lighting"])
    job.set_field("days", "35")
    assert job.prepare() is not None and not job.errors


def test_bad_override_is_refused_and_keeps_the_old_ones(small_overrides):
    job = CompareJob(small_overrides)
    message = job.set_field("overrides", "city.width=40\nno.such_key=3")
    assert message == "no.such_key: unknown key"
    assert job.overrides == small_overrides
    assert job.set_field("overrides", "city.width 40")
    with pytest.raises(ScenarioError):
        parse_overrides("offenders.count")
    assert parse_overrides("a.b=1; c.d=x\n# note") == {"a.b": 1, "c.d": "x"}


def test_two_sessions_have_their_own_jobs(small_overrides):
    one, two = CompareJob(small_overrides), CompareJob(small_overrides)
    one.set_field("reps", "4")
    assert two.reps != 4 and one.reps == 4


def test_stop_ends_the_comparison_after_the_run_in_progress(small_overrides):
    job = CompareJob(small_overrides)
    job.set_field("days", "31")
    job.set_field("workers", "1")
    prepared = job.prepare()
    done: list[int] = []
    with pytest.raises(ComparisonStoppedError):
        run_prepared(prepared, done.append, cancelled=lambda: True)
    assert done == [0]


def test_stop_cancels_the_runs_not_started_in_a_process_pool(small_overrides):
    job = CompareJob(small_overrides)
    job.set_field("days", "31")
    job.set_field("workers", "2")
    job.set_field("reps", "4")  # 8 runs; a stop after the first skips most of them
    done: list[int] = []
    with pytest.raises(ComparisonStoppedError):
        run_prepared(job.prepare(), done.append, cancelled=lambda: True)
    assert len(done) == 1


def test_explore_settings_are_offered_once_explore_was_opened(small_overrides):
    _, rc = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
    pickers = {w.label: w for w in rc.find(v.Select).widgets}
    assert EXPLORE_CHOICE not in pickers["base scenario"].items
    assert "offered once Explore has been opened" in page_text(rc)
    rc.close()
    open_explore(small_overrides)
    _, rc = solara.render(ComparePage(), handle_error=False)
    try:
        pickers = {w.label: w for w in rc.find(v.Select).widgets}
        for label in ("base scenario", "alternatives"):
            assert pickers[label].items[0] == EXPLORE_CHOICE
        assert "baseline.toml with" in page_text(rc)
        assert "offenders.count=70" in page_text(rc)
        assert "interventions on: street_lighting" in page_text(rc)
    finally:
        rc.close()


def test_explore_settings_compare_as_the_scenario_explore_runs(small_overrides):
    open_explore(small_overrides)
    explore = browser_state.current().explore
    # Compare's overrides go on top of every scenario; leave Explore's edit alone
    shared = {k: v for k, v in small_overrides.items() if k != "offenders.count"}
    job = browser_state.current().compare_job(shared)
    assert job.set_base("baseline") is None
    assert job.set_alternatives([EXPLORE_CHOICE]) is None
    job.set_field("days", "33")
    prepared = job.prepare()
    assert prepared is not None, job.errors
    alt = prepared.alternatives[0]
    assert alt.name == "Explore settings (baseline)"
    assert alt["offenders.count"] == 70 and "street_lighting" in alt.raw()["interventions"]
    assert alt.to_dict() | {"name": None} == explore.scenario.to_dict() | {"name": None}
    # the settings of the moment the comparison is prepared
    explore.set_enabled("street_lighting", False)
    assert not job.prepare().alternatives[0].raw()["interventions"]


def test_explore_settings_refused_before_explore_was_opened(small_overrides):
    job = browser_state.current().compare_job(small_overrides)
    assert job.set_base(EXPLORE_CHOICE) == f"base: no scenario file {EXPLORE_CHOICE!r}"
    assert job.base == "baseline"


def test_comparison_goes_on_while_away_and_shows_on_return(small_overrides):
    """Explore settings as the alternative; leave mid-run, come back to the result."""
    open_explore(small_overrides)
    _, rc = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
    alternatives = rc.find(v.Select, label="alternatives").widget
    alternatives.v_model = [EXPLORE_CHOICE]
    type_into(rc, "replications", "2")
    type_into(rc, "days", "33")
    type_into(rc, "workers", "1")
    button(rc, "Run comparison").click()
    assert "running:" in page_text(rc)
    rc.close()  # the user opens another tab while it runs
    run = browser_state.current().compare_run
    assert run.running
    _, rc = solara.render(ComparePage(), handle_error=False)
    try:
        assert "running:" in page_text(rc) or run.result is not None
        wait_for(lambda: "cost per crime prevented" in page_text(rc))
        assert "Explore settings (baseline)" in page_text(rc)
        assert not button(rc, "Run comparison").disabled
        assert text_field(rc, "days").v_model == "33"  # the settings came back too
        rc.close()
        _, rc = solara.render(ComparePage(), handle_error=False)  # and once more, finished
        assert "Explore settings (baseline)" in page_text(rc)
        assert len(rc.find(widgets.Image).widgets) == 2
    finally:
        rc.close()


class Gate:
    """A fake comparison that runs until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, prepared, on_done, cancelled, stop_file=None):
        on_done(0)
        self.gate.wait(30)
        if cancelled():
            raise ComparisonStoppedError("stopped")
        raise RuntimeError("no result in this fake")


def test_compare_run_reports_progress_stop_and_failure(small_overrides):
    job = CompareJob(small_overrides)
    job.set_field("days", "31")
    prepared = job.prepare()
    fake = Gate()
    run = CompareRun(fake)
    seen = run.version
    assert run.start(prepared) and run.running
    assert not run.start(prepared)  # one at a time
    seen = run.wait_for_change(seen, 5)
    wait_for(lambda: run.progress == (1, prepared.total_runs))
    run.stop()
    fake.gate.set()
    run.join(10)
    assert not run.running and run.failure.startswith("stopped")
    fake.gate.clear()
    assert run.start(prepared)
    fake.gate.set()
    run.join(10)
    assert run.failure == "the comparison failed: RuntimeError: no result in this fake"
    assert run.result is None


def test_two_browser_sessions_have_their_own_comparisons(small_overrides, browser_sessions):
    one, two = browser_sessions("one"), browser_sessions("two")
    fake = Gate()
    try:
        with one:
            browser_state.current().compare_run = CompareRun(fake)
            _, page = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
            type_into(page, "replications", "5")
            button(page, "Run comparison").click()
            wait_for(lambda: "running:" in page_text(page))
            page.close()
        with two:
            _, page = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
            assert "running:" not in page_text(page)
            assert not button(page, "Run comparison").disabled
            assert text_field(page, "replications").v_model == "3"
            page.close()
            assert not browser_state.current().compare_run.running
    finally:
        fake.gate.set()
