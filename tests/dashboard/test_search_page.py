"""The Search page, rendered without a browser (``solara.render``), on a real search.

The folder is the session's tiny search (tests/search_support.py), copied under a
temporary ``out`` root (the page opens folders only under its root); unfinished and
broken folders are copies of it.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import ipyvuetify as v
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
import solara
from PIL import Image
from solara.components.datatable import DataTableWidget
from ui_support import button, choose, images, page_text, type_into

from sim.analysis.search.search_results import open_search
from sim.dashboard.figures.search import ORANGE, pareto_figure
from sim.dashboard.pages.search import BRIEF_LABEL, FIELD, SearchPage
from sim.dashboard.state.search_folder import (
    figure_table,
    mix_table,
    pareto_shown,
    search_folders,
)


@pytest.fixture(scope="module")
def out_root(tiny_search, tmp_path_factory) -> Path:
    """An ``out`` root holding the tiny search as ``out/tiny`` (and nothing else)."""
    root = tmp_path_factory.mktemp("search-page") / "out"
    shutil.copytree(tiny_search.out, root / "tiny")
    return root


@pytest.fixture
def render(out_root):
    """Render the page (on ``folder``, or the newest under the root); closes them after."""
    opened = []

    def render_(folder: Path | str | None = None, root: Path | None = None):
        _, rc = solara.render(SearchPage(folder=None if folder is None else str(folder),
                                         out_root=root or out_root), handle_error=False)
        opened.append(rc)
        return rc

    yield render_
    for rc in opened:
        rc.close()


def redrawn(before: list[bytes], after: list[bytes]) -> int:
    """How many of the figures now shown were not shown before."""
    return len(set(after) - set(before))


def field(rc):
    found = rc.find(v.TextField, label=FIELD)
    found.assert_single()
    return found.widget


def downloads(rc) -> list[str]:
    return [c for w in rc.find(v.Btn).widgets for c in w.children
            if isinstance(c, str) and c.startswith(("Download", "Open"))]


def test_opens_the_newest_search_under_out_with_its_statement(render, out_root):
    rc = render()
    assert field(rc).v_model == str(out_root / "tiny")
    text = page_text(rc)
    assert "Search tiny" in text
    assert "Lighting or youth work for a small city" in text
    assert "split between street_lighting and youth_programme" in text
    assert "police.deterrence from 0.8 to 1.6" in text
    assert "25th percentile of harm prevented" in text
    assert "4 of 4 candidates done; finished." in text
    assert rc.find(v.Select, label=f"searches found under {out_root}/").widget.items == [
        str(out_root / "tiny")]


def test_the_figure_its_table_and_the_pareto_table_with_downloads(render, out_root):
    rc = render(out_root / "tiny")
    chosen = open_search(out_root / "tiny").chosen()[0]  # the mix shown first
    pngs = images(rc)
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)  # figure, PRIM
    assert sorted(downloads(rc)) == sorted([BRIEF_LABEL, f"Download mix {chosen} as CSV",
                                            f"Download mix_{chosen}.toml (a scenario file)",
                                            "Download tiny_candidates.csv",
                                            "Download tiny_pareto.csv"])
    text = page_text(rc)
    assert "Harm prevented against cost" in text and "The Pareto set" in text


def test_the_figure_table_holds_every_candidate_and_marks_the_chosen(out_root):
    results = open_search(out_root / "tiny")
    table = figure_table(results)
    written = pd.read_csv(out_root / "tiny" / "candidates.csv")
    assert table["trial"].tolist() == written["trial"].tolist()
    assert table["cost_per_year"].tolist() == written["cost_per_year"].tolist()
    assert table["chosen"].tolist() == [t in results.chosen() for t in written["trial"]]


def test_the_pareto_table_is_pareto_csv_best_first_with_the_chosen_marked(out_root):
    results = open_search(out_root / "tiny")
    shown = pareto_shown(results)
    written = pd.read_csv(out_root / "tiny" / "pareto.csv")
    by_hand = written.sort_values(["harm_prevented.everyone", "cost_per_year"],
                                  ascending=[False, True])
    assert shown["trial"].tolist() == by_hand["trial"].tolist()
    pd.testing.assert_frame_equal(shown.drop(columns="chosen"),
                                  by_hand.reset_index(drop=True))
    assert shown["chosen"].tolist() == [t in results.chosen() for t in shown["trial"]]


def _orange_pixels(png: bytes) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    target = np.array([int(c * 255) for c in mcolors.to_rgb(ORANGE)])
    return int((np.abs(pixels - target).sum(axis=2) < 30).sum())


def test_the_picked_mix_is_drawn_in_orange(out_root):
    from sim.dashboard.figures.sweeps import figure_png

    results = open_search(out_root / "tiny")
    table = figure_table(results)
    args = (table, "everyone", 400_000.0, "EUR", "CHI days", "25th percentile over futures")
    assert _orange_pixels(figure_png(pareto_figure(*args, picked=None))) == 0
    assert _orange_pixels(figure_png(pareto_figure(*args, picked=0))) > 20


def test_picking_a_mix_shows_its_shares_cost_and_harm_and_redraws(render, out_root):
    rc = render(out_root / "tiny")
    results = open_search(out_root / "tiny")
    mixes = rc.find(v.Select, label="mix").widget.items
    assert len(mixes) == len(results.pareto_trials())
    assert mixes[0].startswith(f"mix {results.chosen()[0]}: street_lighting ")
    assert mixes[0].endswith("(chosen, stress-tested)")
    before = images(rc)
    other = next(t for t in results.pareto_trials() if t not in results.chosen())
    choose(rc, "mix", next(m for m in mixes if m.startswith(f"mix {other}:")))
    assert redrawn(before, images(rc)) == 1  # the figure, not the stress test's
    assert f"Download mix {other} as CSV" in downloads(rc)
    for trial in (other, results.chosen()[0]):  # a scenario file only for a chosen mix shown
        assert f"Download mix_{trial}.toml (a scenario file)" not in downloads(rc)
    tables = [w.items for w in rc.find(DataTableWidget).widgets
              if w.items and "what" in w.items[0]]
    assert len(tables) == 1
    summary = results.mix(other)
    by_what = {row["what"]: float(str(row["value"]).replace(",", "")) for row in tables[0]}
    assert by_what["share of the budget: street_lighting"] == pytest.approx(
        100 * summary.shares["street_lighting"], abs=0.05)
    assert by_what["budget a year: youth_programme"] == pytest.approx(
        summary.shares["youth_programme"] * 400_000, abs=0.5)
    assert by_what["harm prevented: everyone"] == pytest.approx(
        summary.harm_prevented["everyone"], abs=0.05)


def test_mix_table_money_is_the_share_of_the_budget(out_root):
    results = open_search(out_root / "tiny")
    summary = results.mix(results.chosen()[0])
    table = mix_table(results, summary).set_index("what")
    money = sum(table.loc[f"budget a year: {s}", "value"] for s in summary.shares)
    assert money == pytest.approx(400_000, abs=1)  # every candidate spends the whole budget
    assert table.loc["public cost per year", "unit"] == "EUR"


def test_a_second_group_redraws_the_figure(render, out_root):
    rc = render(out_root / "tiny")
    before = images(rc)
    choose(rc, "harm prevented for", "women_and_girls")
    assert redrawn(before, images(rc)) == 1


def test_the_prim_sentences_and_the_brief(render, out_root):
    rc = render(out_root / "tiny")
    results = open_search(out_root / "tiny")
    text = page_text(rc)
    first, *boxes = results.prim_sentences()
    assert f"Mix {results.stress_tested}" in text and first in text
    for box in boxes:
        assert box in text
    brief = [w for w in rc.find(v.Btn).widgets if BRIEF_LABEL in w.children]
    assert len(brief) == 1
    report = (out_root / "tiny" / "brief" / "report.html").read_bytes()
    download = rc.find(solara.components.file_download.FileDownloadWidget).widgets
    assert any(w.filename == "report.html" for w in download)
    assert b"<html" in report.lower()


def test_no_searches_under_out_says_how_to_make_one(render, tmp_path):
    rc = render(root=tmp_path)
    assert field(rc).v_model == ""
    assert "No search folders under" in page_text(rc)
    assert images(rc) == []
    assert search_folders(tmp_path) == []


def test_a_running_search_shows_its_status_and_reload_reads_the_tables(render, out_root,
                                                                       tmp_path):
    folder = Path(shutil.copytree(out_root / "tiny", out_root / "running"))
    try:
        tables = {n: (folder / n).read_bytes() for n in ("candidates.csv", "pareto.csv")}
        for name in tables:
            (folder / name).unlink()
        rc = render(folder)
        text = page_text(rc)
        assert "the tables appear when every candidate is done" in text
        assert "Harm prevented against cost" not in text
        for name, data in tables.items():
            (folder / name).write_bytes(data)
        button(rc, "Reload").click()
        assert "4 of 4 candidates done; finished." in page_text(rc)
        assert len(images(rc)) == 2
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(("make", "message"), [
    (lambda root, tmp: root / "missing", "no such folder"),
    (lambda root, tmp: "/etc", "outside"),
    (lambda root, tmp: "  ", "type a search's output folder"),
    (lambda root, tmp: root, "not a search folder (no search.json)"),
])
def test_a_bad_folder_shows_a_message_beside_the_field(render, out_root, tmp_path, make,
                                                        message):
    rc = render(out_root / "tiny")
    assert images(rc)
    type_into(rc, FIELD, str(make(out_root, tmp_path)))
    widget = field(rc)
    assert widget.error is True
    assert message in widget.messages[0] and "Traceback" not in widget.messages[0]
    assert images(rc) == [] and "Search tiny" not in page_text(rc)
    type_into(rc, FIELD, str(out_root / "tiny"))
    assert field(rc).error is False and len(images(rc)) == 2


def test_a_broken_manifest_is_one_line(render, out_root):
    folder = Path(shutil.copytree(out_root / "tiny", out_root / "broken"))
    try:
        (folder / "search.json").write_text(json.dumps({"kind": "crimesim search"}))
        rc = render(folder)
        assert "search.json lacks 'name'" in field(rc).messages[0]
        assert images(rc) == []
    finally:
        shutil.rmtree(folder)


def test_the_app_opens_the_folder_named_in_the_address(out_root, monkeypatch):
    from solara import autorouting

    from sim.dashboard.state import search_folder

    monkeypatch.setattr(search_folder, "OUT", out_root)
    from sim.dashboard.app import routes

    assert [r.label for r in routes].index("Search") == [r.label for r in routes].index(
        "Sweeps") + 1
    _, rc = solara.render(solara.RoutingProvider(
        children=[autorouting.RenderPage()], routes=routes,
        pathname=f"/search?folder={out_root / 'tiny'}"), handle_error=False)
    try:
        assert field(rc).v_model == str(out_root / "tiny")
        assert "Search tiny" in page_text(rc)
    finally:
        rc.close()
