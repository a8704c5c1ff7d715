"""The Compare page's decision brief: verdicts, the per-group table and report.html.

The sentences and the table come from the same functions as ``crimesim compare
--report`` (:mod:`sim.report`), so the page and the file a council receives say the
same thing. The Report button builds report.html for the page's comparison on click
(no PDF: the browser prints one if wanted) and hands it over as a download.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import solara

from sim.dashboard.state.compare_result import CompareResult
from sim.report.brief import Table, build_brief, figures_from_files, group_table, verdicts
from sim.report.render import REPORT_NAME, write_report


def brief_sentences(result: CompareResult) -> list[str]:
    """Every verdict sentence of the comparison, headline first per intervention."""
    out = []
    for v in verdicts(result.rows, list(result.comparison.alternatives)):
        out += [v.headline, *v.groups]
    return out


def report_bytes(result: CompareResult) -> bytes:
    """report.html of the page's comparison, as the CLI's ``--report`` writes it."""
    meta = json.loads(result.files["comparison.json"])
    brief = build_brief(result.comparison, result.rows, meta,
                        sensitivity=getattr(result, "sensitivity", None),
                        figures=figures_from_files(result.files))
    with tempfile.TemporaryDirectory(prefix="crimesim-report-") as tmp:
        write_report(brief, tmp, pdf=False)
        return (Path(tmp) / REPORT_NAME).read_bytes()


def _markdown(table: Table) -> str:
    lines = ["| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.header)]
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    return "\n".join(lines)


@solara.component
def CompareBrief(result: CompareResult) -> solara.Element:
    """Verdict sentences per intervention, the per-group table and the Report button."""
    labels = list(result.comparison.alternatives)
    with solara.Column(gap="6px", classes=["compare-brief"]) as main:
        solara.Markdown("#### The verdict")
        for v in verdicts(result.rows, labels):
            with solara.Column(gap="0px", classes=["brief-verdict"]):
                solara.Markdown(f"**{v.headline}**")
                solara.Markdown("\n".join(f"- {sentence}" for sentence in v.groups))
        solara.Markdown("Change in the share of people victimised, by group "
                        "(95% CI; significance in words):")
        solara.Markdown(_markdown(group_table(result.rows, labels)))
        solara.FileDownload(lambda: report_bytes(result), filename=REPORT_NAME,
                            label="Report", mime_type="text/html")
    return main
