"""What every validation report shares: its settings, Markdown pieces and figure files.

Each experiment module produces a :class:`Report` -- Markdown text with the measured
numbers beside the published ones and a verdict per claim -- and saves its figures
next to it. Figures are drawn on ``matplotlib.figure.Figure`` (no pyplot, no GUI
backend), as the comparison figures are, so the command runs headless anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[2]
#: Where the reports and figures go by default (they are documentation).
DOCS = ROOT / "docs" / "validation"
#: Where raw results (sweep datasets) go by default.
OUT = ROOT / "out" / "validation"

#: The three verdicts a claim can get.
VERDICTS = ("matches", "partly", "does not")


@dataclass(frozen=True)
class Settings:
    """How a validation run is done.

    Attributes:
        quick: Small, short runs (a smoke test: numbers are not meaningful).
        workers: Processes for the simulations (1: in this process).
        out: Folder for raw results.
        docs: Folder for the Markdown reports and PNG figures.
        seed: First seed; every draw of the experiments derives from it.
    """

    quick: bool = False
    workers: int = 2
    out: Path = OUT
    docs: Path = DOCS
    seed: int = 1


@dataclass
class Report:
    """One experiment's report.

    Attributes:
        name: File stem (``short2008`` writes ``short2008.md``).
        title: The report's heading.
        sections: Markdown blocks, in order.
        figures: Figure file names written beside the report.
        verdicts: One line per claim: (claim, verdict, one-line reason).
        seconds: Wall time of the experiment.
        numbers: Headline figures by name (for the command's summary and the index).
    """

    name: str
    title: str
    sections: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    numbers: dict[str, Any] = field(default_factory=dict)

    def add(self, text: str) -> None:
        """Append a Markdown block."""
        self.sections.append(text.strip("\n"))

    def verdict(self, claim: str, verdict: str, reason: str) -> None:
        """Record a claim's verdict (one of :data:`VERDICTS`)."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict {verdict!r} is not one of {VERDICTS}")
        self.verdicts.append((claim, verdict, reason))

    def verdict_table(self) -> str:
        """The verdicts as a Markdown table."""
        return table(["claim", "verdict", "why"],
                     [[c, f"**{v}**", r] for c, v, r in self.verdicts])

    def markdown(self, header: str = "") -> str:
        """The whole report: title, header, verdicts, then the sections."""
        parts = [f"# {self.title}", header.strip("\n")] if header else [f"# {self.title}"]
        if self.verdicts:
            parts.append("## Verdicts\n\n" + self.verdict_table())
        parts += self.sections
        return "\n\n".join(p for p in parts if p) + "\n"

    def write(self, folder: Path, header: str = "") -> Path:
        """Write ``<folder>/<name>.md``; return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.md"
        path.write_text(self.markdown(header), encoding="utf-8")
        return path


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table; cells are written with ``str``."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; a dash for NaN."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:.{digits}g}"


def pct(x: float, digits: int = 1) -> str:
    """A share as a percentage; a dash for NaN."""
    if x is None or not math.isfinite(x):
        return "–"
    return f"{100.0 * x:.{digits}f}%"


def save_figure(fig: Figure, folder: Path, name: str, report: Report) -> str:
    """Save ``fig`` as ``<folder>/<name>.png`` (150 dpi), note it in ``report``; return the name."""
    folder.mkdir(parents=True, exist_ok=True)
    file = f"{name}.png"
    fig.savefig(folder / file, dpi=150, bbox_inches="tight")
    report.figures.append(file)
    return file


def figure_link(file: str, caption: str) -> str:
    """Markdown for a figure beside the report, with its caption."""
    return f"![{caption}]({file})\n\n*{caption}*"
