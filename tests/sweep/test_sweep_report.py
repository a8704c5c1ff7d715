"""The sweep report: built once from a sweep folder, rendered as Markdown.

``crimesim analyze`` writes it as report.md and the dashboard's Sweeps page shows
its brief and tables (tests/dashboard/test_sweeps_page.py checks the two agree); here
the report itself: its numbers against the stored runs read directly, its figures
against the files ``analyze`` writes, and how it renders tables and indices.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sweep_support import write_experiment

from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep.analysis import analyze
from sim.analysis.sweep.report import (
    MAX_TABLE_ROWS,
    FigureSpec,
    MetricSection,
    build_report,
    number_text,
    render_markdown,
    render_section,
)
from sim.analysis.sweep.results import SweepResults
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> SweepResults:
    """A finished 2x2 grid, two seeds a point, recorded once per run."""
    folder = tmp_path_factory.mktemp("report")
    out = folder / "out"
    run_sweep(load_experiment(write_experiment(folder)), out, InProcessExecutor())
    return SweepResults.open(out)


def test_the_brief_says_what_was_swept_and_how_much_ran(grid):
    report = build_report(grid)
    assert report.name == "tiny"
    assert report.facts[0] == "Design: grid (every combination of the values)"
    assert "**8 of 8 runs stored**, 0 failed" in report.facts[1]
    assert report.facts[2].startswith("Each run: 3 days; 2 seeds per point (1, 2)")
    assert [(p.key, p.values) for p in report.parameters] == [
        ("offenders.count", "20, 60"), ("police.count", "2, 8")]
    assert report.parameters[1].meaning == "patrol units on duty"


def test_tables_are_the_mean_of_the_stored_runs(grid):
    report = build_report(grid)
    stored = pd.read_parquet(grid.root / "results")
    expected = stored.groupby(["offenders.count", "police.count"])["crimes_total"].agg(
        ["mean", "count"])
    table = report.section("crimes_total").summary.set_index(
        ["offenders.count", "police.count"])
    assert len(table) == 4 and (table["n"] == 2).all()
    for point, row in expected.iterrows():
        assert table.loc[point, "mean"] == pytest.approx(row["mean"])
    assert len(report.summary) == 4 * 3  # four points, three metrics
    assert report.section("arrests").sensitivity is None  # a grid has no indices


def test_figure_specs_name_the_files_analyze_writes(grid, tmp_path):
    done = analyze(grid, tmp_path)
    written = {p.name for p in tmp_path.glob("*.png")}
    specs = {f.filename for s in done.report.sections for f in s.figures}
    assert specs == written
    assert "surface_crimes_total.png" in written  # a grid of two numeric parameters
    text = (tmp_path / "report.md").read_text()
    assert text == render_markdown(done.report)
    for name in written:
        assert f"]({name})" in text


def test_a_page_leaves_the_figure_links_out(grid):
    report = build_report(grid)
    assert "![" not in render_markdown(report, heading_level=3, figure_links=False)
    assert render_markdown(report, heading_level=3).startswith("### Sweep tiny")


@pytest.mark.parametrize("value, text", [
    (1234.6, "1,235"), (0.123456, "0.123"), (12.0, "12"), (math.nan, ""),
    (np.float64(2.5), "2.5"), (7, "7"), (np.int64(20000), "20,000"), (True, "True"),
    ("street_lighting", "street_lighting"),
])
def test_numbers_read_at_three_digits_and_counts_keep_theirs(value, text):
    assert number_text(value) == text


def section_with(rows: int, sensitivity: pd.DataFrame | None = None, note: str = ""
                 ) -> MetricSection:
    summary = pd.DataFrame({"police.count": np.arange(rows), "n": 2, "mean": 1.5, "sd": 0.5,
                            "ci_low": 1.0, "ci_high": 2.0})
    return MetricSection("arrests", summary, sensitivity, note,
                         (FigureSpec("response", "arrests", ("police.count",),
                                     "arrests against police.count"),))


def test_a_long_table_points_to_the_csv():
    assert "| police.count | n | mean |" in render_section(section_with(MAX_TABLE_ROWS))
    long = render_section(section_with(MAX_TABLE_ROWS + 1))
    assert f"{MAX_TABLE_ROWS + 1} points: see summary.csv." in long and "| n |" not in long


def test_indices_come_with_their_reading_and_the_top_parameter():
    indices = pd.DataFrame({"parameter": ["offenders.count", "police.count"],
                            "S1": [0.2, 0.5], "S1_conf": [0.1, 0.1],
                            "ST": [0.3, 0.7], "ST_conf": [0.1, 0.2]})
    section = section_with(3, indices, "Sobol indices: how to read them.")
    text = render_section(section, heading_level=4, figure_links=False)
    assert text.startswith("#### arrests")
    assert "Sensitivity indices of arrests:" in text
    assert "| police.count | 0.5 | 0.1 | 0.7 | 0.2 |" in text
    assert "Sobol indices: how to read them." in text
    assert section.most_influential == ("police.count", "ST", 0.7)
    assert section_with(3).most_influential is None
