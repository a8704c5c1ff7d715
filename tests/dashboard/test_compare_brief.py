"""The Compare page's brief says what the CLI's report.html says, for the same comparison."""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
from report_support import cli_report, read_report

from sim.dashboard.pages.compare_brief import CompareBrief, brief_sentences, report_bytes
from sim.dashboard.state.compare_result import run_prepared
from sim.dashboard.state.compare_settings import CompareJob


@pytest.fixture(scope="module")
def same_comparison(small_overrides, small_args):
    """The page's comparison and the CLI's report.html of the same settings."""
    job = CompareJob(small_overrides)
    for key, value in (("reps", "2"), ("days", "34"), ("seed", "3"), ("workers", "1")):
        assert job.set_field(key, value) is None
    prepared = job.prepare()
    assert prepared is not None
    assert [Path(sc.source).name for sc in (prepared.base, *prepared.alternatives)] == [
        "baseline.toml", "street_lighting.toml"]  # what cli_report compares
    result = run_prepared(prepared)
    out, _ = cli_report(tuple(small_args))
    return result, (out / "report.html").read_text()


def page_text(rc) -> str:
    """The page's Markdown as plain text."""
    parts = [w.template for w in rc.find(v.VuetifyTemplate).widgets
             if isinstance(w.template, str)]
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(parts)))


def test_page_verdicts_equal_the_cli_reports(same_comparison):
    result, cli_html = same_comparison
    sentences = brief_sentences(result)
    assert sentences == read_report(cli_html).verdicts
    box, rc = solara.render(CompareBrief(result), handle_error=False)
    try:
        text = " ".join(page_text(rc).split())
        for sentence in sentences:
            assert sentence in text
        for column in ("women and girls", "elderly people", "marginalised people"):
            assert column in text
        labels = [str(c) for w in rc.find(v.Btn).widgets for c in w.children]
        assert "Report" in labels
    finally:
        rc.close()


def test_the_report_button_gives_the_same_brief(same_comparison):
    result, cli_html = same_comparison
    page_report = read_report(report_bytes(result).decode())
    cli_report = read_report(cli_html)
    assert page_report.verdicts == cli_report.verdicts
    assert page_report.headers == cli_report.headers
    assert all(src.startswith("data:image/png;base64,") for src in page_report.resources)
