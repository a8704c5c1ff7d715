"""The Compare page, rendered without a browser (``solara.render``), and its job."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
from ui_support import button, text_field, type_into

from sim.dashboard.compare_job import (
    CompareJob,
    ComparisonStoppedError,
    parse_overrides,
    run_prepared,
)
from sim.dashboard.compare_page import ComparePage
from sim.scenario import ScenarioError


@pytest.fixture
def compare(small_overrides):
    box, rc = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
    yield rc
    rc.close()








def page_text(rc) -> str:
    """All Markdown and plain text of the page, joined."""
    parts = [w.template for w in rc.find(v.VuetifyTemplate).widgets
             if isinstance(w.template, str)]  # Markdown
    parts += [str(c) for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]
    return "\n".join(parts)


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
    deadline = time.monotonic() + 60
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
