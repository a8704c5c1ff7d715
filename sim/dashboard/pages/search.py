"""The Search page: read a finished (or running) policy search.

A council's analyst runs ``crimesim search EXPERIMENT.toml --out DIR`` (docs/search.md)
and opens ``DIR`` here. The page states the experiment in exploratory modelling's
terms (levers, uncertainties, robustness, objectives, constraints) and how far the
search got; then the Pareto figure -- harm prevented against yearly public cost, one
group at a time, the chosen mixes ringed -- with the candidates it draws and the
Pareto table, each with a CSV download; a mix picker with the mix's shares of the
budget, its cost and its harm prevented by group; the stress test's PRIM boxes in
words (under which futures the chosen mix fails); and the decision brief
(``brief/report.html``), handed over as the Compare page hands over its report.

Like the Sweeps page (:mod:`sim.dashboard.pages.sweeps`, whose folder browser and
figure boxes it reuses) it opens the newest search under ``out/`` or the ``folder``
query parameter (``/search?folder=out/search``), opens only folders under ``out/``,
says in one line beside the field why a folder cannot be read and never shows a
traceback; Reload re-reads a search still running.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara

from sim.analysis.search.search_manifest import MANIFEST
from sim.analysis.search.search_results import SearchFolderError, SearchResults
from sim.dashboard.figures.search import pareto_figure, reading_of
from sim.dashboard.figures.sweeps import figure_png
from sim.dashboard.pages.results_folder import (
    FolderKind,
    ResultsFolderPage,
    folder_in_address,
)
from sim.dashboard.pages.sweep_browser import NOTE_STYLE
from sim.dashboard.pages.sweeps import FigureBox, attempt
from sim.dashboard.state import search_folder
from sim.dashboard.state.search_folder import (
    OUT,
    figure_table,
    mix_label,
    mix_table,
    mix_table_text,
    open_search_folder,
    pareto_shown,
    search_folders,
)
from sim.dashboard.state.sweep_tables import table_csv

_ERROR_STYLE = {"color": "#b00020"}
_STATUS_STYLE = {"font-weight": "bold"}
#: The decision brief's download button.
BRIEF_LABEL = "Open the decision brief (report.html)"


def open_folder(text: str, root: str | Path = OUT) -> tuple[SearchResults | None, str | None]:
    """The search in folder ``text`` (under ``root``), or None and why it cannot be opened."""
    try:
        return open_search_folder(text, root), None
    except SearchFolderError as exc:
        return None, str(exc)


def statement_markdown(results: SearchResults) -> str:
    """The experiment's heading, description and statement as Markdown."""
    lines = [f"### Search {results.name}"]
    description = str(results.manifest.get("description", "")).strip()
    if description:
        lines += ["", description]
    lines += [""] + [f"- **{what}**: {text}" for what, text in results.statement()]
    return "\n".join(lines)


def prim_markdown(results: SearchResults) -> str:
    """The stress test's sentences as Markdown (or why there are none)."""
    if results.discovery is None:
        if int(results.manifest.get("discovery_samples", 0)) == 0:
            return ("No stress test: the experiment has no `[discovery] samples`, so PRIM "
                    "did not look for the futures in which a mix fails.")
        return "No stress test yet: it runs once every candidate is done."
    first, *boxes = results.prim_sentences()
    head = f"**Mix {results.stress_tested}**: {first}"
    return "\n".join([head, ""] + [f"- {b}" for b in boxes])


@solara.component
def MixPanel(results: SearchResults, trial: int, set_trial: Callable[[int], None]
             ) -> solara.Element:
    """The mix picker, the picked mix's shares, cost and harm prevented, its file."""
    trials = results.pareto_trials()
    labels = {mix_label(results, t): t for t in trials}
    summary = results.mix(trial)
    table = mix_table(results, summary)
    with solara.Column(gap="4px", classes=["search-mix"]) as main:
        solara.Markdown("#### A mix of the Pareto set")
        solara.Select(label="mix", values=list(labels),
                      value=mix_label(results, trial),
                      on_value=lambda label: set_trial(labels[label]))
        solara.DataFrame(mix_table_text(table, str(results.manifest["currency"])),
                         items_per_page=20)
        solara.FileDownload(table_csv(table), filename=f"{results.name}_mix_{trial}.csv",
                            mime_type="text/csv", label=f"Download mix {trial} as CSV")
        if summary.path is not None:
            solara.FileDownload(summary.path.read_bytes, filename=summary.path.name,
                                mime_type="application/toml",
                                label=f"Download {summary.path.name} (a scenario file)")
        solara.Text("Harm prevented and cost are the robust values the search ranked the "
                    "mix by (see Robustness); regret is its largest shortfall from the best "
                    "candidate in any one future.", style=NOTE_STYLE)
    return main


@solara.component
def SearchFigure(results: SearchResults, picked: int | None) -> solara.Element:
    """The Pareto figure for one group (picked on the page), with the table it draws."""
    groups = [str(g) for g in results.manifest["groups"]]
    group, set_group = solara.use_state(groups[0])
    group = group if group in groups else groups[0]
    table = solara.use_memo(lambda: figure_table(results), [results])
    m = results.manifest
    title = f"{results.name}: {len(table)} candidate mixes"
    png = solara.use_memo(lambda: attempt(lambda: figure_png(pareto_figure(
        table, group, float(m["budget_per_year"]), str(m["currency"]), str(m["harm_unit"]),
        reading_of(str(m["statistic"]), float(m["quantile"])), picked, title))),
        [results, group, picked])
    with solara.Column(gap="4px") as main:
        if len(groups) > 1:
            solara.Select(label="harm prevented for", values=groups, value=group,
                          on_value=set_group)
        FigureBox("Harm prevented against cost", *png, table=table,
                  note="Each point a candidate mix; the picked mix in orange.",
                  csv_name=f"{results.name}_candidates.csv")
    return main


@solara.component
def ParetoTable(results: SearchResults) -> solara.Element:
    """The Pareto set: ``pareto.csv``'s columns and a ``chosen`` one, best first; a download."""
    shown = pareto_shown(results)
    with solara.Column(gap="2px") as main:
        solara.Markdown("#### The Pareto set")
        solara.Text(f"{len(shown)} mixes that no feasible candidate beats on every objective, "
                    f"most harm prevented for {results.manifest['groups'][0]} first; "
                    "chosen: in the decision brief.", style=NOTE_STYLE)
        if len(shown):
            with solara.Details(summary=f"The Pareto table ({len(shown)} mixes)"):
                solara.DataFrame(shown.round(4), items_per_page=10)
                name = f"{results.name}_pareto.csv"
                solara.FileDownload(table_csv(shown), filename=name, mime_type="text/csv",
                                    label=f"Download {name}")
    return main


@solara.component
def SearchView(results: SearchResults) -> solara.Element:
    """One opened search: its statement, status, mix and brief left; figures right."""
    trials = results.pareto_trials()
    picked, set_picked = solara.use_state(trials[0] if trials else None)
    picked = picked if picked in trials else (trials[0] if trials else None)
    with solara.Columns([1, 2]) as main:
        with solara.Column(gap="8px"):
            solara.Markdown(statement_markdown(results))
            solara.Text(results.status(), style=_STATUS_STYLE, classes=["search-status"])
            for problem in results.problems:
                solara.Text(problem, style=_ERROR_STYLE)
            if picked is not None:
                MixPanel(results, picked, set_picked)
            elif results.candidates is not None:
                solara.Text("No candidate met the budget and the floors, so there is no "
                            "Pareto set: raise [budget] per_year or lower [floors].",
                            style=NOTE_STYLE)
            solara.Markdown("#### The decision brief")
            if results.brief is not None:
                solara.FileDownload(results.brief.read_bytes, filename="report.html",
                                    mime_type="text/html", label=BRIEF_LABEL)
                solara.Text(f"The chosen mixes ({', '.join(f'mix {t}' for t in results.chosen())})"
                            " against the city without them, as crimesim compare --report "
                            "writes it.", style=NOTE_STYLE)
            else:
                solara.Text("No decision brief in this folder"
                            + (" (the experiment's [brief] mixes is 0)."
                               if not int(results.manifest.get("brief_mixes", 0))
                               else " yet."), style=NOTE_STYLE)
        with solara.Column(gap="12px"):
            if results.candidates is not None:
                SearchFigure(results, picked)
                ParetoTable(results)
            solara.Markdown("#### When does the chosen mix fail?")
            solara.Markdown(prim_markdown(results))
            prim_png = results.root / "prim_boxes.png"
            if results.discovery is not None and prim_png.is_file():
                solara.Image(prim_png.read_bytes(), width="80%")
    return main


#: What the Search page opens (:mod:`sim.dashboard.pages.results_folder`).
SEARCHES = FolderKind(
    noun="search", plural="searches", command="crimesim search",
    first_run="crimesim search experiments/budget_search.toml --out {out}/search",
    marker=MANIFEST, list_folders=search_folders, open_folder=open_folder, view=SearchView,
    empty="Open a policy search's folder: the folder `crimesim search EXPERIMENT --out DIR` "
          "wrote. For a first one, run `crimesim search experiments/budget_search.toml "
          "--workers 2 --out out/search` (docs/search.md), then press Reload.")
#: The field's label (the tests and the docs name it).
FIELD = SEARCHES.field


def SearchPage(folder: str | None = None, out_root: str | Path = OUT) -> solara.Element:
    """The Search page: the folder chooser, then the opened search.

    Args:
        folder: The folder to open first (default: the newest search under ``out_root``).
        out_root: Where to look for search folders to offer.
    """
    return ResultsFolderPage(SEARCHES, folder, out_root)


@solara.component
def Page() -> solara.Element:
    """The Search page as Solara serves it (``?folder=DIR`` opens that folder)."""
    solara.Title("crimesim - Search")
    folder = folder_in_address()
    return SearchPage(folder=folder, out_root=search_folder.OUT)
