"""Report pieces: Markdown tables, verdicts and the index built from the reports."""

from __future__ import annotations

import pytest

from experiments.validation.index import write_index
from experiments.validation.report import Report, fmt, pct, table


def test_table_and_numbers():
    assert table(["a", "b"], [[1, "x"]]) == "| a | b |\n|---|---|\n| 1 | x |"
    assert fmt(float("nan")) == "–" and fmt(0.123456, 3) == "0.123"
    assert pct(0.0559, 2) == "5.59%" and pct(float("nan")) == "–"


def test_a_verdict_must_be_one_of_three():
    rep = Report("x", "X")
    rep.verdict("claim", "partly", "because")
    with pytest.raises(ValueError):
        rep.verdict("claim", "maybe", "because")
    assert "| claim | **partly** | because |" in rep.markdown()


def test_index_lists_the_reports_with_their_verdicts(tmp_path):
    rep = Report("stylised_facts", "Validation 2: facts")
    rep.verdict("concentration", "does not", "too concentrated")
    rep.add("## 1. Concentration\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    rep.write(tmp_path, "header line")
    text = write_index(tmp_path).read_text()
    assert "## [Validation 2: facts](stylised_facts.md)" in text
    assert "| concentration | **does not** | too concentrated |" in text
    assert "| 1 | 2 |" not in text  # only the verdicts are copied
    assert "short2008.md" not in text  # reports not written are not listed


def test_interventions_report_page_is_listed_with_its_verdicts(tmp_path):
    from experiments.calibration.__main__ import write_report

    rows = [("street_lighting", "crime in the lit cells", "-30 to -12", "-9.7%",
             "[-16.0, -2.2]", "partly")]
    page = tmp_path / "interventions_report.md"
    write_report(page, ["--reps", "8", "--report", str(page)], "Table 1.\nTable 2.\n", rows)
    text = page.read_text()
    assert "`python -m experiments.calibration --reps 8 --report" in text
    assert ("| `street_lighting` | crime in the lit cells | -30 to -12 | -9.7% | "
            "[-16.0, -2.2] | **partly** |") in text
    assert "```text\nTable 1.\nTable 2.\n```" in text  # the printed report, verbatim
    index = write_index(tmp_path).read_text()
    assert "(interventions_report.md)" in index and "**partly** |" in index
