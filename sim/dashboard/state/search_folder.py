"""Finding search folders and opening one for the Search page, without Solara.

The page reads a folder ``crimesim search --out DIR`` wrote through
:func:`~sim.analysis.search.search_results.open_search`. This module finds the
searches a user may mean (under ``out/``, where the Sweeps page looks too), opens the
one chosen with a one-line message for anything that is not a search, and gives the
tables the page shows beside its figure and its mix picker. As on the Sweeps page, a
served dashboard opens only folders under ``out/``, never a path elsewhere on the
server.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.search.search_manifest import MANIFEST
from sim.analysis.search.search_results import (
    MixSummary,
    SearchFolderError,
    SearchResults,
    open_search,
    share_text,
)
from sim.dashboard.state.sweep_folder import OUT, is_inside

#: The columns of the figure's table (besides the harm prevented of each group).
FIGURE_COLUMNS = ("trial", "cost_per_year", "feasible", "pareto", "chosen")


def search_folders(root: str | Path = OUT) -> list[Path]:
    """Search folders under ``root`` (one or two levels down), newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    manifests = [*root.glob(f"*/{MANIFEST}"), *root.glob(f"*/*/{MANIFEST}")]
    found = {m.parent: m.stat().st_mtime for m in manifests if m.is_file()}
    return sorted(found, key=lambda p: (-found[p], str(p)))


def open_search_folder(text: str, root: str | Path | None = OUT) -> SearchResults:
    """Open the search folder a user chose or typed.

    Args:
        text: The folder.
        root: The only folder under which searches are opened (None: anywhere).

    Raises:
        SearchFolderError: One line saying why ``text`` is not a readable search.
    """
    text = text.strip()
    if not text:
        raise SearchFolderError("type a search's output folder (crimesim search ... --out DIR)")
    if root is not None and not is_inside(text, root):
        raise SearchFolderError(f"{text}: outside {root}/; the dashboard opens only search "
                                f"folders under {root}/")
    return open_search(text)


def figure_table(results: SearchResults) -> pd.DataFrame:
    """Every candidate the Pareto figure draws: cost, harm prevented per group, marks."""
    if results.candidates is None:
        return pd.DataFrame(columns=list(FIGURE_COLUMNS))
    table = results.candidates
    chosen = table["trial"].isin(results.chosen())
    out = table[["trial", "cost_per_year", *results.harm_objectives, "feasible", "pareto"]]
    return out.assign(chosen=chosen.to_numpy()).reset_index(drop=True)


def pareto_shown(results: SearchResults) -> pd.DataFrame:
    """The Pareto table as the page shows it: best for everyone first, chosen marked."""
    if results.pareto is None or results.pareto.empty:
        return pd.DataFrame()
    order = results.pareto_trials()
    table = results.pareto.set_index("trial").loc[order].reset_index()
    return table.assign(chosen=table["trial"].isin(results.chosen()).to_numpy())


def mix_label(results: SearchResults, trial: int) -> str:
    """How the mix picker names a Pareto mix: its number, shares and role."""
    summary = results.mix(trial)
    roles = []
    if trial in results.chosen():
        roles.append("chosen")
    if trial == results.stress_tested:
        roles.append("stress-tested")
    shares = share_text(summary.shares)
    return (f"mix {trial}" + (f": {shares}" if shares else "")
            + (f" ({', '.join(roles)})" if roles else ""))


def mix_table(results: SearchResults, summary: MixSummary) -> pd.DataFrame:
    """One mix's shares of the budget and the money they are, then its results by group.

    Rows ``(what, value, unit)``: a share is a percentage and its money a year of the
    budget; harm prevented is the robust value the search ranked the mix by.
    """
    m = results.manifest
    currency, unit = str(m["currency"]), str(m["harm_unit"])
    budget = float(m["budget_per_year"])
    rows = []
    for label, share in summary.shares.items():
        rows.append((f"share of the budget: {label}", round(100 * share, 1), "%"))
        rows.append((f"budget a year: {label}", round(share * budget), currency))
    for key, value in summary.levers.items():
        rows.append((key, value, ""))
    rows.append(("public cost per year", round(summary.cost_per_year), currency))
    if summary.total_cost_per_year is not None:
        rows.append(("cost per year with partners' money", round(summary.total_cost_per_year),
                     currency))
    for group, value in summary.harm_prevented.items():
        rows.append((f"harm prevented: {group}", round(value, 1), unit))
    for group, value in summary.max_regret.items():
        rows.append((f"largest regret: {group}", round(value, 1), unit))
    return pd.DataFrame(rows, columns=["what", "value", "unit"])


def mix_table_text(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """:func:`mix_table` as the page shows it (the CSV download keeps the numbers).

    Money in whole ``currency`` units with separators, shares and harm with one
    decimal, so a council reads "281,866 EUR", not "281866.0".
    """
    def text(value: float, unit: str) -> str:
        if unit == currency:
            return f"{value:,.0f}"
        return f"{value:,.1f}" if unit else f"{value:g}"

    return table.assign(value=[text(float(v), str(u))
                               for v, u in zip(table["value"], table["unit"], strict=True)])
