"""Smoke test: the validation command end to end on its quick setting (tiny runs)."""

from __future__ import annotations

import pytest

from experiments.validation.__main__ import main, parse


def test_quick_run_writes_every_report_and_figure(tmp_path, capsys):
    docs = tmp_path / "docs"
    assert main(["--quick", "--workers", "1", "--out", str(tmp_path / "out"),
                 "--docs", str(docs)]) == 0
    for name in ("short2008", "stylised_facts", "dose_response"):
        text = (docs / f"{name}.md").read_text()
        assert "Quick mode" in text and "## Verdicts" in text
    figures = {p.name for p in docs.glob("*.png")}
    assert {"short2008_maps.png", "short2008_equilibrium.png", "facts_concentration.png",
            "facts_near_repeat.png", "facts_journey.png", "dose_lighting.png",
            "dose_police.png", "dose_youth.png"} <= figures
    index = (docs / "README.md").read_text()
    assert "(dose_response.md)" in index and "(short2008.md)" in index
    # A rerun resumes the stored sweeps instead of failing on their folders.
    assert main(["dose_response", "--quick", "--workers", "1", "--out",
                 str(tmp_path / "out"), "--docs", str(docs)]) == 0
    assert "4 stored before" in capsys.readouterr().out


def test_quick_reports_never_go_to_the_committed_docs(tmp_path):
    names, settings = parse(["short2008", "--quick", "--out", str(tmp_path)])
    assert names == ["short2008"]
    assert settings.docs == tmp_path / "quick" / "docs"
    _, full = parse([])
    assert full.docs.parts[-2:] == ("docs", "validation") and not full.quick


def test_unknown_experiment_is_an_error(capsys):
    with pytest.raises(SystemExit) as exc:
        parse(["nonsense"])
    assert exc.value.code == 2
    assert "unknown experiment 'nonsense'" in capsys.readouterr().err
