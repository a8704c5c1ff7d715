"""The brief's sections from hand-built rows: harm, costs, sensitivity, evidence, limits."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pytest
from report_support import read_report

from sim.analysis.compare import Comparison
from sim.analysis.effects import Row
from sim.analysis.sensitivity_oat import SensitivityRow
from sim.plugins.evidence import EVIDENCE
from sim.plugins.registry import names
from sim.report.brief import build_brief
from sim.report.limitations import LIMITATIONS
from sim.report.render import brief_html

ROOT = Path(__file__).resolve().parents[1]
NAN = math.nan


def comparison() -> Comparison:
    return Comparison(base="baseline", alternatives=["lights"], seeds=[1, 2, 3, 4, 5],
                      ticks=240, start_tick=24, ticks_per_day=24, ring=6.0, ring_m=300.0,
                      sources={"baseline": None, "lights": None})


META = {"currency": "EUR", "seeds": [1, 2, 3, 4, 5], "reps": 5, "ticks": 240,
        "ticks_per_day": 24, "window_days": 9.0, "workers": 2,
        "cost_accounts": {"lights": [{"type": "street_lighting", "total": 1000.0}]}}


def base_rows() -> list[Row]:
    return [Row("lights", "crimes", "total", "all", "city", "crimes", 200.0, 176.0, -24.0,
                -38.0, -10.0, -12.0, -19.0, -5.0, n=5),
            Row("lights", "cost", "total", "all", "city", "EUR", 0.0, 5000.0, 5000.0, 5000.0,
                5000.0, n=5)]


def harm_rows() -> list[Row]:
    return [Row("lights", "harm", "total", "all", "city", "days", 9000.0, 7650.0, -1350.0,
                -2000.0, -700.0, -15.0, -22.0, -8.0, n=5),
            Row("lights", "harm", "total", "women_and_girls", "city", "days", 3000.0, 2400.0,
                -600.0, -900.0, -300.0, -20.0, -30.0, -10.0, n=5),
            Row("lights", "harm_prevented", "total", "all", "city", "days", NAN, 1350.0,
                value_low=700.0, value_high=2000.0, n=5),
            Row("lights", "cost_per_harm_prevented", "total", "all", "city", "EUR per day",
                NAN, 3.7, value_low=2.5, value_high=7.1, n=5),
            Row("lights", "cost", "public", "all", "city", "EUR", 0.0, 3000.0, 3000.0, 3000.0,
                3000.0, n=5),
            Row("lights", "cost", "private", "all", "city", "EUR", 0.0, 2000.0, 2000.0,
                2000.0, 2000.0, n=5)]


def test_harm_and_cost_components_appear_when_the_rows_exist():
    meta = META | {"price_year": 2024, "horizon_years": 10}
    html = brief_html(build_brief(comparison(), base_rows() + harm_rows(), meta, figures=[]))
    assert "reduces crime harm by 15% (95% CI 8-22%)" in html
    assert "women and girls" in html and "cost per unit of harm prevented" in html
    assert "3.7 EUR per unit of harm prevented" in html  # currency from the row's unit
    assert "cost: public" in html and "cost: private" in html
    assert "Price year: 2024" in html and "spread\nover: 10 years" in html
    assert "Harm: not measured" not in html


def test_missing_harm_and_sensitivity_say_so():
    html = brief_html(build_brief(comparison(), base_rows(), META, figures=[]))
    assert "Harm: not measured in this comparison." in html
    assert "Sensitivity check: not run for this comparison." in html
    assert "Price year: not stated" in html


def test_sensitivity_rows_are_listed_largest_swing_first():
    rows = [SensitivityRow("a.b", "small one", 1, 2, -5.0, -6.0, 1.0),
            SensitivityRow("c.d", "large one", 0.1, 0.9, -2.0, -14.0, 12.0)]
    check = SimpleNamespace(rows=rows, noise_pct=3.0)
    html = brief_html(build_brief(comparison(), base_rows(), META, {"lights": check},
                                  figures=[]))
    assert html.index("large one") < html.index("small one")
    assert "-2.0% / -14.0%" in html
    # 12 points > 1.96 x 3 points of noise; 1 point is within it
    assert html.count("<td>yes</td>") == 1 and "no (noise about 3.0)" in html


def test_the_brief_names_the_group_columns_and_the_evidence():
    reader = read_report(brief_html(build_brief(comparison(), base_rows(), META, figures=[])))
    for column in ("everyone", "youth", "women and girls", "elderly people",
                   "marginalised people"):
        assert column in reader.headers
    assert {"verdicts", "groups", "harm", "where", "costs", "assumptions", "evidence",
            "limitations", "provenance"} <= set(reader.sections)
    assert reader.verdicts[0].startswith("lights: reduces crime by 12% (95% CI 5-19%)")


def test_every_plugin_has_evidence_and_the_docs_cite_the_same_sources():
    assert set(EVIDENCE) == set(names())
    table = (ROOT / "docs" / "evidence.md").read_text()
    for evidence in EVIDENCE.values():
        for source in evidence.source.split("; "):
            if source != "none":
                assert source in table, source


@pytest.mark.parametrize("limitation", LIMITATIONS, ids=lambda x: x.odd_title[:30])
def test_each_limitation_is_still_in_the_odd(limitation):
    odd = (ROOT / "docs" / "ODD.md").read_text()
    limits = odd[odd.index("## 10. Known limitations"):]
    assert f"- **{limitation.odd_title}" in limits


def test_no_pdf_engine_still_writes_the_report(tmp_path, monkeypatch):
    import sys

    from sim.report.render import write_report_with_note

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    brief = build_brief(comparison(), base_rows(), META, figures=[])
    paths, note = write_report_with_note(brief, tmp_path)
    assert paths == [tmp_path / "report.html"]
    assert note == "no PDF: playwright is not installed"
    assert read_report((tmp_path / "report.html").read_text()).verdicts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_commit_only_from_the_top_of_a_checkout(tmp_path):
    import subprocess

    from sim.report.provenance import NOT_A_CHECKOUT, git_commit

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert git_commit(ROOT).split()[0] == head
    assert git_commit(ROOT / "sim" / "report") == NOT_A_CHECKOUT  # inside, not the top
    assert git_commit(tmp_path) == NOT_A_CHECKOUT
