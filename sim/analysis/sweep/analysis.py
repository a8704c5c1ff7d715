"""``crimesim analyze``: summary tables, response plots, sensitivity, a Markdown report.

Writes, under the analysis folder (default ``DIR/analysis``):

- ``summary.csv``: one row per parameter point and metric: n runs, mean, sd, 95% CI;
- ``response_<metric>__<parameter>.png``: each metric against each numeric parameter
  (main effect, averaged over the other parameters), with its CI band;
- ``surface_<metric>.png``: for the first two numeric parameters of a grid;
- ``sensitivity.csv`` and ``sensitivity_<metric>.png``: Sobol or Morris indices, for
  sweeps with that design;
- ``report.md``: the sweep in brief, the headline tables, the figures.

What goes in them is the sweep's :class:`~sim.analysis.sweep.report.SweepReport`, the
same one the dashboard's Sweeps page shows; this module only writes it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from sim.analysis.sweep import plots  # noqa: E402
from sim.analysis.sweep.report import (  # noqa: E402
    FigureSpec,
    SweepReport,
    build_report,
    render_markdown,
)
from sim.analysis.sweep.results import SweepResults  # noqa: E402

#: Figure sizes in inches: a surface is taller, for its colour bar.
_SIZES = {"surface": (6.4, 4.8)}
_SIZE = (6.4, 4.2)


@dataclass
class Analysis:
    """What ``analyze`` wrote.

    Attributes:
        out: The analysis folder.
        report: The report written as report.md.
        files: Files written, in order.
        sensitivity: Indices by metric (empty for grid and LHS designs).
    """

    out: Path
    report: SweepReport
    files: list[Path] = field(default_factory=list)
    sensitivity: dict[str, pd.DataFrame] = field(default_factory=dict)


def analyze(results: SweepResults, out: str | Path, metrics: list[str] | None = None
            ) -> Analysis:
    """Write the tables, figures and report of a sweep."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(results, metrics)
    done = Analysis(out=out, report=report)
    report.summary.to_csv(out / "summary.csv", index=False)
    done.files.append(out / "summary.csv")
    done.sensitivity = {s.metric: s.sensitivity for s in report.sections
                        if s.sensitivity is not None}
    if done.sensitivity:
        table = pd.concat([t.assign(metric=m) for m, t in done.sensitivity.items()])
        table.to_csv(out / "sensitivity.csv", index=False)
        done.files.append(out / "sensitivity.csv")
    for section in report.sections:
        for spec in section.figures:
            path = out / spec.filename
            _save(_drawing(results, spec, section.sensitivity), path,
                  _SIZES.get(spec.kind, _SIZE))
            done.files.append(path)
    (out / "report.md").write_text(render_markdown(report))
    done.files.append(out / "report.md")
    return done


def _drawing(results: SweepResults, spec: FigureSpec, indices: pd.DataFrame | None
             ) -> Callable[[Axes], Axes]:
    """How to draw ``spec`` on an Axes, with :mod:`sim.analysis.sweep.plots`."""
    m, params = spec.metric, spec.parameters
    if spec.kind == "response":
        return lambda ax: plots.response_curve(ax, results.response(m, params[0]), m,
                                               params[0])
    if spec.kind == "surface":
        x, y = params
        return lambda ax: plots.surface(ax, results.surface(m, x, y), m, x, y)
    if spec.kind == "over_time":
        return lambda ax: plots.over_time(ax, results, m, params[0])
    if spec.kind == "sensitivity" and indices is not None:
        return lambda ax: plots.sensitivity_bars(ax, indices, m)
    raise ValueError(f"no drawing for a {spec.kind!r} figure")


def _save(draw: Callable[[Axes], Axes], path: Path, size: tuple[float, float]) -> None:
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    try:
        draw(ax)
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
