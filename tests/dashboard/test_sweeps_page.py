"""The Sweeps page, rendered without a browser (``solara.render``), on real sweeps.

A module-scoped fixture runs two tiny sweeps in-process (a 30 x 30 city, a few days):
a grid recorded per day and a Sobol sample recorded once per run. Other folders
(unfinished, empty, failed, broken) are made from copies of those.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import ipyvuetify as v
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import solara
from ui_support import button, choose, images, page_text, type_into

from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep import labels as sweep_labels
from sim.analysis.sweep.analysis import analyze
from sim.analysis.sweep.report import FIGURES_NOTE, build_report
from sim.analysis.sweep.results import SweepResults
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment
from sim.dashboard.figures.sweeps import response_figure, sensitivity_figure, surface_figure
from sim.dashboard.pages.sweeps import SweepsPage
from sim.dashboard.state import sweep_tables

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
TINY = """
[set]
"city.width" = 30
"city.height" = 30
"residents.count" = 2000
"agents.views" = false
"""
GRID = """
name = "t_grid"
description = "Crime against offenders and police, per day"
days = 3
replications = 2
record = "day"
metrics = ["crimes_total", "arrests", "legitimacy_everyone"]
[design]
kind = "grid"
[parameters]
"offenders.count" = [20, 60, 100]
"police.count" = {{ low = 2, high = 10, steps = 3 }}
"""
SOBOL = """
name = "t_sobol"
days = 3
record = "final"
metrics = ["crimes_total", "prevalence_everyone"]
[design]
kind = "sobol"
samples = 8
[parameters]
"offenders.count" = {{ low = 20, high = 120 }}
"police.count" = {{ low = 2, high = 20 }}
"""
MORRIS = """
name = "t_morris"
days = 2
metrics = ["crimes_total", "arrests"]
[design]
kind = "morris"
samples = 3
[parameters]
"offenders.count" = {{ low = 20, high = 120 }}
"police.count" = {{ low = 2, high = 20 }}
"""
SWITCH = """
name = "t_switch"
days = 2
metrics = ["crimes_total"]
[design]
kind = "grid"
[parameters]
"offenders.count" = [20, 80]
"agents.views" = [false, true]
"""


def make_sweep(folder: Path, body: str) -> Path:
    """Run the experiment ``body`` (on the tiny city) in-process into ``folder/out``."""
    text = f'scenario = "{BASELINE}"\n' + body.format() + TINY
    path = folder / "experiment.toml"
    path.write_text(text)
    out = folder / "out"
    run_sweep(load_experiment(path), out, InProcessExecutor())
    return out


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory) -> dict[str, Path]:
    """Sweep folders under one ``out`` root: ``grid`` (the newest), ``sobol``, and under
    ``root/more`` a Morris sample and a grid over a switch (not offered by default)."""
    root = tmp_path_factory.mktemp("sweeps")
    made = {}
    for name, body in (("morris", MORRIS), ("switch", SWITCH)):
        work = tmp_path_factory.mktemp(name)
        made[name] = shutil.copytree(make_sweep(work, body), root / "more" / name)
    for name, body in (("sobol", SOBOL), ("grid", GRID)):
        work = tmp_path_factory.mktemp(name)
        made[name] = shutil.copytree(make_sweep(work, body), root / "out" / name)
    old = made["sobol"] / "manifest.json"
    os.utime(old, (old.stat().st_atime, old.stat().st_mtime - 60))
    made["root"] = root / "out"
    return made


def partial_copy(source: Path, target: Path, keep: float) -> Path:
    """A copy of a sweep with only the first ``keep`` share of its runs, unfinished."""
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["finished"] = None
    manifest.pop("runs_stored", None)
    (target / "manifest.json").write_text(json.dumps(manifest))
    parts = sorted((target / "results").glob("part-*.parquet"))
    table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    runs = table["run_id"].drop_duplicates()
    kept = table[table["run_id"].isin(runs.iloc[:int(len(runs) * keep)])]
    schema = pq.read_schema(parts[0])
    for p in parts:
        p.unlink()
    if len(kept):
        pq.write_table(pa.Table.from_pandas(kept, schema=schema, preserve_index=False),
                       target / "results" / "part-0.parquet")
    return target


@pytest.fixture
def render(sweeps, tmp_path_factory):
    """Render the page on a folder; closes every page rendered at the end.

    A named folder opens under the tests' temporary root (the page opens folders only
    under its ``out_root``); with none, the page looks in the sweeps' ``out``.
    """
    opened = []
    everything = tmp_path_factory.getbasetemp()

    def render_(folder: Path | str | None, out_root: Path | None = None):
        root = out_root or (sweeps["root"] if folder is None else everything)
        _, rc = solara.render(SweepsPage(folder=None if folder is None else str(folder),
                                         out_root=root),
                              handle_error=False)
        opened.append(rc)
        return rc

    yield render_
    for rc in opened:
        rc.close()


def folder_field(rc):
    found = rc.find(v.TextField, label="sweep folder")
    found.assert_single()
    return found.widget


# --- the summary -------------------------------------------------------------------------
def test_summary_names_design_parameters_and_runs(render, sweeps):
    text = page_text(render(sweeps["grid"]))
    assert "Sweep t_grid" in text
    assert "Crime against offenders and police, per day" in text
    assert "grid (every combination of the values)" in text
    assert "<code>offenders.count</code>" in text and "20, 60, 100" in text
    assert "2 to 10 in 3 steps" in text
    assert "patrol units on duty" in text  # the schema's meaning of police.count
    assert "18 of 18 runs stored" in text and "0 failed" in text
    assert "3 days" in text and "2 seeds per point" in text and "per day" in text
    assert "not finished" not in text


def test_opens_the_newest_sweep_under_out_and_lists_the_others(render, sweeps):
    rc = render(None)
    assert folder_field(rc).v_model == str(sweeps["grid"])
    assert rc.find(v.Select, label=f"sweeps found under {sweeps['root']}/").widget.items == [
        str(sweeps["grid"]), str(sweeps["sobol"])]
    choose(rc, f"sweeps found under {sweeps['root']}/", str(sweeps["sobol"]))
    assert folder_field(rc).v_model == str(sweeps["sobol"])
    assert "Sweep t_sobol" in page_text(rc)


def markdown_pieces(markdown: str) -> list[str]:
    """The text of Markdown lines without the marks a renderer turns into tags."""
    pieces = []
    for line in markdown.splitlines():
        if not line.strip() or set(line) <= set("|-") or line.startswith("!["):
            continue  # table rules, blank lines, figure links (the page draws its own)
        for piece in re.split(r"[`|]|\*\*", re.sub(r"^(#+|-) ", "", line)):
            if piece.strip():
                pieces.append(piece.strip())
    return pieces


@pytest.mark.parametrize("name", ["grid", "sobol"])
def test_the_page_shows_the_brief_and_tables_analyze_writes(render, sweeps, tmp_path, name):
    results = SweepResults.open(sweeps[name])
    analyze(results, tmp_path)
    written = (tmp_path / "report.md").read_text()
    brief, sections = written.split("\n## ", 1)[0], written.split("\n## ")[1:]
    first_metric = next(s for s in sections if s.startswith(f"{results.metrics[0]}\n"))
    text = page_text(render(sweeps[name]))
    for piece in markdown_pieces(brief.replace(FIGURES_NOTE, "")) + markdown_pieces(
            "## " + first_metric):
        assert piece in text, piece
    assert "<td>" in first_metric or "|" in first_metric  # a table, not just a heading


def test_no_sweeps_under_out_says_how_to_make_one(render, tmp_path):
    rc = render(None, out_root=tmp_path)
    assert folder_field(rc).v_model == ""
    assert "No sweep folders under" in page_text(rc)
    assert images(rc) == []


# --- figures -------------------------------------------------------------------------------
def changed(before: list[bytes], after: list[bytes]) -> int:
    """How many of the figures now shown were not shown before."""
    return len(set(after) - set(before))


def test_choosing_metric_parameter_and_curves_redraws(render, sweeps):
    rc = render(sweeps["grid"])
    text = page_text(rc)
    assert "Response curve" in text and "Surface: offenders.count and police.count" in text
    assert "Over time, by offenders.count" in text  # a per-day sweep
    first = images(rc)
    assert len(first) == 3 and all(png.startswith(b"\x89PNG") for png in first)
    choose(rc, "metric", "arrests")
    by_metric = images(rc)
    assert len(by_metric) == 3 and changed(first, by_metric) == 3
    choose(rc, "x parameter", "police.count")
    by_x = images(rc)
    assert changed(by_metric, by_x) == 3  # curve, time course, and the surface turned
    assert "Over time, by police.count" in page_text(rc)
    assert "Surface: police.count and offenders.count" in page_text(rc)
    assert rc.find(v.Select, label="curves by").widget.items == ["(none: one curve)",
                                                                 "offenders.count"]
    choose(rc, "curves by", "offenders.count")
    assert changed(by_x, images(rc)) == 1  # only the response curve
    choose(rc, "curves by", "(none: one curve)")
    assert sorted(images(rc)) == sorted(by_x)


def test_a_sweep_recorded_once_per_run_has_no_time_course(render, sweeps):
    rc = render(sweeps["sobol"])
    assert "Over time" not in page_text(rc)
    assert "Response curve" in page_text(rc)


def test_response_figure_has_title_labels_units_and_a_band(sweeps):
    results = SweepResults.open(sweeps["grid"])
    table = sweep_tables.response_table(results, "crimes_total", "offenders.count")
    assert table.rows["offenders.count"].tolist() == [20, 60, 100]
    assert (table.rows["n"] == 6).all()  # 3 police values x 2 seeds each
    fig = response_figure(table, results.manifest, "crimes_total", "offenders.count",
                          results.numeric_parameters(), runs=results.final())
    ax = fig.axes[0]
    assert ax.get_title() == "Crimes, all types against offenders.count"
    assert ax.get_xlabel().startswith("offenders.count") and "offenders at the start" in \
        ax.get_xlabel()
    assert ax.get_ylabel() == "crimes, all types, days 0-3 (crimes)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["single runs", "mean",
                                                                  "95% CI"]
    assert len(ax.collections) == 2  # the runs' dots and the CI band


def test_a_per_day_sweep_counts_each_run_whole_not_its_last_day(sweeps):
    results = SweepResults.open(sweeps["grid"])
    table = sweep_tables.response_table(results, "crimes_total", "offenders.count").rows
    totals = results.rows.groupby(["run_id", "offenders.count"], as_index=False)[
        "crimes_total"].sum().groupby("offenders.count")["crimes_total"].mean()
    assert table["mean"].tolist() == pytest.approx(totals.tolist())
    assert results.response("crimes_total", "offenders.count")["mean"].tolist() == \
        pytest.approx(table["mean"].tolist())  # analyze and the page agree
    last_day = results.final().groupby("offenders.count")["crimes_total"].mean()
    assert table["mean"].sum() > last_day.sum()
    csv = pd.read_csv(io.BytesIO(sweep_tables.summary_csv(build_report(results))))
    assert csv[csv["metric"] == "crimes_total"]["mean"].sum() == pytest.approx(
        results.run_values().groupby(["offenders.count", "police.count"])["crimes_total"]
        .mean().sum())


def test_surface_uses_a_sequential_map_with_the_metric_on_its_colour_bar(sweeps):
    results = SweepResults.open(sweeps["grid"])
    grid = sweep_tables.surface_table(results, "legitimacy_everyone", "offenders.count",
                                    "police.count")
    assert grid.rows.shape == (3, 3) and not grid.rows.isna().any().any()
    fig = surface_figure(grid, results.manifest, "legitimacy_everyone", "offenders.count",
                         "police.count")
    ax, bar = fig.axes
    assert ax.collections[0].get_cmap().name == "viridis"
    assert bar.get_ylabel() == "legitimacy of police, everyone at day 3 (0-1)"


def test_sampled_parameters_are_binned_across_their_range(sweeps):
    results = SweepResults.open(sweeps["sobol"])
    assert results.final()["offenders.count"].nunique() > sweep_tables.MAX_LEVELS
    table = sweep_tables.response_table(results, "crimes_total", "offenders.count")
    centres = table.rows["offenders.count"].to_numpy()
    assert len(centres) <= sweep_tables.AXIS_BINS and ((centres > 20) & (centres < 120)).all()
    assert table.rows["n"].sum() == results.runs_stored
    ranges = list(table.labels["offenders.count"].values())
    low, high = results.final()["offenders.count"].agg(["min", "max"])
    assert float(ranges[0].split("-")[0]) == pytest.approx(low, rel=0.01)
    assert float(ranges[-1].split("-")[1]) == pytest.approx(high, rel=0.01)
    # the same numbers as the reader's (and crimesim analyze's) response curve
    pd.testing.assert_frame_equal(table.rows, results.response("crimes_total",
                                                               "offenders.count"))
    grid = SweepResults.open(sweeps["grid"])
    assert sweep_tables.response_table(grid, "arrests", "offenders.count").labels == {}


def test_value_labels_say_which_span_a_value_covers(sweeps):
    final = SweepResults.open(sweeps["sobol"]).manifest
    daily = SweepResults.open(sweeps["grid"]).manifest
    assert sweep_labels.value_label(final, "crimes_total") == "crimes, all types, days 0-3 (crimes)"
    assert sweep_labels.value_label(final, "prevalence_everyone") == (
        "victimisation prevalence, everyone, days 0-3 (share of residents, 0-1)")
    assert sweep_labels.value_label(daily, "arrests") == "arrests, days 0-3 (arrests)"
    assert sweep_labels.value_label(daily, "legitimacy_everyone") == (
        "legitimacy of police, everyone at day 3 (0-1)")
    assert sweep_labels.over_time_label(daily, "arrests") == "arrests (arrests per day)"


# --- sensitivity ---------------------------------------------------------------------------
def test_sobol_sweep_shows_its_indices_table_and_chart(render, sweeps):
    rc = render(sweeps["sobol"])
    text = page_text(rc)
    assert "Sensitivity indices of crimes_total" in text
    for column in ("S1", "S1_conf", "ST", "ST_conf"):
        assert f"<th>{column}</th>" in text
    expected = SweepResults.open(sweeps["sobol"]).sensitivity("crimes_total")
    for row in expected.itertuples():
        assert f"<td>{row.parameter}</td>" in text
        assert f"<td>{row.ST:.3g}</td>" in text
    assert len(images(rc)) == 3  # response, surface, Sobol bars
    choose(rc, "metric", "prevalence_everyone")
    assert "Sensitivity indices of prevalence_everyone" in page_text(rc)
    # prevalence in the unit of the other pages, its table too (the files keep a share)
    assert "Values of prevalence_everyone in % of people victimised" in page_text(rc)
    from sim.dashboard.pages.sweeps import shown_section

    section = build_report(SweepResults.open(sweeps["sobol"])).section("prevalence_everyone")
    shown = shown_section(section, section.sensitivity)
    assert shown.summary["mean"].tolist() == pytest.approx(
        (100 * section.summary["mean"]).tolist())


def test_morris_sweep_shows_mu_star_against_sigma(render, sweeps):
    rc = render(sweeps["morris"])
    text = page_text(rc)
    assert "Morris elementary effects (3 trajectories, 4 levels)" in text
    for column in ("mu", "mu_star", "mu_star_conf", "sigma"):
        assert f"<th>{column}</th>" in text
    assert "Morris screening: mu* is the mean absolute change" in text
    assert len(images(rc)) == 3  # response, surface, Morris plane
    table = SweepResults.open(sweeps["morris"]).sensitivity("crimes_total")
    ax = sensitivity_figure(table, "crimes_total").axes[0]
    assert ax.get_title() == "Morris screening of crimes, all types"
    assert ax.get_xlabel().startswith("mu*: mean absolute elementary effect (crimes")
    assert ax.get_xlim()[1] >= (table["mu_star"] + table["mu_star_conf"]).max()


def test_a_switch_parameter_is_drawn_as_categories(render, sweeps):
    rc = render(sweeps["switch"])
    assert "A surface needs two numeric swept parameters" in page_text(rc)
    before = images(rc)
    choose(rc, "x parameter", "agents.views")
    assert changed(before, images(rc)) == 1
    results = SweepResults.open(sweeps["switch"])
    table = sweep_tables.response_table(results, "crimes_total", "agents.views")
    fig = response_figure(table, results.manifest, "crimes_total", "agents.views",
                          results.numeric_parameters(), runs=results.run_values())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["False", "True"]
    choose(rc, "curves by", "offenders.count")
    assert "Response curve" in page_text(rc) and "cannot draw" not in page_text(rc)


def test_many_valued_curves_are_binned_into_a_few(sweeps):
    results = SweepResults.open(sweeps["sobol"])
    table = sweep_tables.response_table(results, "crimes_total", "offenders.count",
                                      by="police.count")
    assert table.rows["police.count"].nunique() == sweep_tables.CURVE_BINS
    assert len(table.labels["police.count"]) == sweep_tables.CURVE_BINS


def test_sensitivity_chart_shows_both_orders_with_error_bars(sweeps):
    table = SweepResults.open(sweeps["sobol"]).sensitivity("crimes_total")
    ax = sensitivity_figure(table, "crimes_total").axes[0]
    assert ax.get_title() == "Sobol indices of crimes, all types"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first order S1",
                                                                  "total order ST"]
    assert len(ax.patches) == 2 * len(table)


def test_a_grid_sweep_has_no_sensitivity_section(render, sweeps):
    assert "Sensitivity" not in page_text(render(sweeps["grid"]))


def test_an_unfinished_sobol_sweep_says_why_it_has_no_indices(render, sweeps, tmp_path):
    folder = partial_copy(sweeps["sobol"], tmp_path / "half", keep=0.5)
    planned = SweepResults.open(sweeps["sobol"]).manifest["runs_planned"]
    rc = render(folder)
    text = page_text(rc)
    assert f"{planned // 2} of {planned} runs stored" in text and "not finished" in text
    assert "need a run at every point of the sobol sample" in text
    assert "points have one so far" in text
    assert len(images(rc)) == 2  # the response curve and surface still show


# --- odd folders ---------------------------------------------------------------------------
def test_an_unfinished_sweep_shows_what_is_stored(render, sweeps, tmp_path):
    folder = partial_copy(sweeps["grid"], tmp_path / "part", keep=0.5)
    rc = render(folder)
    assert "9 of 18 runs stored" in page_text(rc)
    assert "not finished: still running or stopped" in page_text(rc)
    assert len(images(rc)) == 3


def test_reload_reads_the_runs_stored_since(render, sweeps, tmp_path):
    folder = partial_copy(sweeps["grid"], tmp_path / "running", keep=0.0)
    rc = render(folder)
    assert "0 of 18 runs stored" in page_text(rc) and images(rc) == []
    for part in (sweeps["grid"] / "results").glob("part-*.parquet"):
        shutil.copy(part, folder / "results" / part.name)
    button(rc, "Reload").click()
    assert "18 of 18 runs stored" in page_text(rc)
    assert len(images(rc)) == 3


def test_a_sweep_with_no_runs_yet_shows_its_summary_only(render, sweeps, tmp_path):
    rc = render(partial_copy(sweeps["grid"], tmp_path / "none", keep=0.0))
    text = page_text(rc)
    assert "0 of 18 runs stored" in text and "No run of this sweep has finished yet" in text
    assert images(rc) == []
    assert folder_field(rc).error is False


def test_failed_runs_are_counted_and_listed(render, sweeps, tmp_path):
    folder = shutil.copytree(sweeps["grid"], tmp_path / "failed")
    (folder / "failures" / "abc123.json").write_text(json.dumps(
        {"run_id": "abc123", "values": {"offenders.count": 20}, "seed": 1,
         "error": "Traceback ...\nRuntimeError: boom"}))
    rc = render(folder)
    assert "1 failed" in page_text(rc)
    assert "abc123: {'offenders.count': 20} seed 1: RuntimeError: boom" in \
        rc.find(v.Html, tag="pre").widget.children[0]


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: tmp / "missing", "no such folder"),
    (lambda tmp: tmp, "not a sweep folder (no manifest.json)"),
    (lambda tmp: (tmp / "f.txt", (tmp / "f.txt").write_text("x"))[0], "is a file"),
    (lambda tmp: (tmp, (tmp / "manifest.json").write_text("{not json"))[0],
     "cannot read the sweep"),
    (lambda tmp: (tmp, (tmp / "manifest.json").write_text("{}"))[0],
     "cannot read the sweep"),  # no design.parquet either
    (lambda tmp: "  ", "type a sweep's output folder"),
])
def test_a_bad_folder_shows_a_message_beside_the_field(render, sweeps, tmp_path, make,
                                                        message):
    rc = render(sweeps["grid"])
    assert len(images(rc)) == 3
    type_into(rc, "sweep folder", str(make(tmp_path)))
    field = folder_field(rc)
    assert field.error is True
    assert message in field.messages[0] and "Traceback" not in field.messages[0]
    assert images(rc) == [] and "Sweep t_grid" not in page_text(rc)
    type_into(rc, "sweep folder", str(sweeps["grid"]))  # a good folder opens again
    assert folder_field(rc).error is False and len(images(rc)) == 3


@pytest.mark.parametrize(("manifest", "message"), [
    ("{}", "manifest.json lacks 'name'; not a crimesim sweep folder"),
    ("[1, 2]", "manifest.json lacks 'name'"),
])
def test_a_manifest_of_something_else_is_refused(render, sweeps, tmp_path, manifest,
                                                 message):
    folder = shutil.copytree(sweeps["grid"], tmp_path / "other")
    (folder / "manifest.json").write_text(manifest)
    rc = render(folder)
    assert message in folder_field(rc).messages[0]
    assert images(rc) == []


def test_summary_csv_has_every_point_and_metric(render, sweeps):
    results = SweepResults.open(sweeps["grid"])
    table = pd.read_csv(io.BytesIO(sweep_tables.summary_csv(build_report(results))))
    assert list(table.columns) == ["offenders.count", "police.count", "metric", "n", "mean",
                                   "sd", "ci_low", "ci_high"]
    assert len(table) == 9 * 3 and set(table["metric"]) == set(results.metrics)
    arrests = table[table["metric"] == "arrests"].reset_index(drop=True)
    expected = results.run_values().groupby(["offenders.count", "police.count"])["arrests"]
    assert arrests["mean"].tolist() == pytest.approx(expected.mean().tolist())
    assert arrests["n"].tolist() == expected.count().tolist()
    rc = render(sweeps["grid"])
    assert any("Download the summary CSV" in str(c) for w in rc.find(v.Btn).widgets
               for c in w.children)


def test_the_app_opens_the_folder_named_in_the_address(sweeps, monkeypatch):
    from solara import autorouting

    from sim.dashboard.state import sweep_folder

    monkeypatch.setattr(sweep_folder, "OUT", sweeps["root"])
    from sim.dashboard.app import routes

    _, rc = solara.render(solara.RoutingProvider(
        children=[autorouting.RenderPage()], routes=routes,
        pathname=f"/sweeps?folder={sweeps['sobol']}"), handle_error=False)
    try:
        assert folder_field(rc).v_model == str(sweeps["sobol"])
        assert "Sweep t_sobol" in page_text(rc)
    finally:
        rc.close()
