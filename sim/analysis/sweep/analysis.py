"""``crimesim analyze``: summary tables, response plots, sensitivity, a Markdown report.

Writes, under the analysis folder (default ``DIR/analysis``):

- ``summary.csv``: one row per parameter point and metric: n runs, mean, sd, 95% CI;
- ``response_<metric>__<parameter>.png``: each metric against each numeric parameter
  (main effect, averaged over the other parameters), with its CI band;
- ``surface_<metric>.png``: for the first two numeric parameters of a grid;
- ``sensitivity.csv`` and ``sensitivity_<metric>.png``: Sobol or Morris indices, for
  sweeps with that design;
- ``report.md``: the sweep in brief, the headline tables, the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis.sweep import plots  # noqa: E402
from sim.analysis.sweep.results import SweepResults, summarise  # noqa: E402

#: Figures and rows above this many points are skipped in the report's tables.
MAX_TABLE_ROWS = 40


@dataclass
class Analysis:
    """What ``analyze`` wrote.

    Attributes:
        out: The analysis folder.
        files: Files written, in order.
        sensitivity: Indices by metric (empty for grid and LHS designs).
    """

    out: Path
    files: list[Path] = field(default_factory=list)
    sensitivity: dict[str, pd.DataFrame] = field(default_factory=dict)


def analyze(results: SweepResults, out: str | Path, metrics: list[str] | None = None
            ) -> Analysis:
    """Write the tables, figures and report of a sweep."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    done = Analysis(out=out)
    metrics = metrics or results.metrics
    final = results.run_values()
    summary = summary_table(results, final, metrics)
    summary.to_csv(out / "summary.csv", index=False)
    done.files.append(out / "summary.csv")
    numeric = results.numeric_parameters()
    figures: list[tuple[str, Path]] = []
    for metric in metrics:
        for param in numeric:
            path = out / f"response_{metric}__{param}.png"
            _save(lambda ax, m=metric, p=param: plots.response_curve(
                ax, results.response(m, p), m, p), path)
            figures.append((f"{metric} against {param}", path))
        if results.design_kind == "grid" and len(numeric) >= 2:
            x, y = numeric[0], numeric[1]
            path = out / f"surface_{metric}.png"
            _save(lambda ax, m=metric, x=x, y=y: plots.surface(
                ax, results.surface(m, x, y), m, x, y), path, size=(6.4, 4.8))
            figures.append((f"{metric} over {x} and {y}", path))
        if results.time_column == "tick" or results.manifest["record"] == "day":
            path = out / f"over_time_{metric}.png"
            _save(lambda ax, m=metric: plots.over_time(ax, results, m, results.parameters[0]),
                  path)
            figures.append((f"{metric} over time", path))
        indices = results.sensitivity(metric)
        if indices is not None:
            done.sensitivity[metric] = indices
            path = out / f"sensitivity_{metric}.png"
            _save(lambda ax, m=metric, t=indices: plots.sensitivity_bars(ax, t, m), path)
            figures.append((f"sensitivity of {metric}", path))
    if done.sensitivity:
        table = pd.concat([t.assign(metric=m) for m, t in done.sensitivity.items()])
        table.to_csv(out / "sensitivity.csv", index=False)
        done.files.append(out / "sensitivity.csv")
    done.files += [p for _, p in figures]
    report = out / "report.md"
    report.write_text(render_report(results, summary, done, figures, metrics))
    done.files.append(report)
    return done


def summary_table(results: SweepResults, final: pd.DataFrame, metrics: list[str]
                  ) -> pd.DataFrame:
    """Tidy: parameters, ``metric``, n, mean, sd, ci_low, ci_high per point."""
    parts = [summarise(final, results.parameters, m).assign(metric=m) for m in metrics]
    table = pd.concat(parts, ignore_index=True)
    cols = [*results.parameters, "metric", "n", "mean", "sd", "ci_low", "ci_high"]
    return table[cols]


def _save(draw: object, path: Path, size: tuple[float, float] = (6.4, 4.2)) -> None:
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    try:
        draw(ax)  # type: ignore[operator]
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)


def render_report(results: SweepResults, summary: pd.DataFrame, done: Analysis,
                  figures: list[tuple[str, Path]], metrics: list[str]) -> str:
    """The Markdown report: what was swept, how much ran, the tables, the figures."""
    m = results.manifest
    lines = [f"# Sweep {m['name']}", ""]
    if m.get("description"):
        lines += [m["description"], ""]
    params = "; ".join(_describe_parameter(p) for p in m["parameters"])
    lines += [
        f"- Experiment: `{m['experiment']}` (SHA-256 `{m['experiment_sha256'][:12]}`), "
        f"crimesim {m['crimesim_version']}, started {m['started']}",
        f"- Base scenario: `{m['scenario']}`; {m['days']:g} days per run"
        + (f", first {m['warmup_days']:g} days not measured" if m.get("warmup_days") else ""),
        f"- Design: {m['design']['kind']}; parameters: {params}",
        f"- Seeds: {', '.join(map(str, m['seeds']))}; runs stored {results.runs_stored} of "
        f"{m['runs_planned']}; failed {len(results.failures)}",
        "",
        "Figures are means over replications with 95% t-intervals (shaded); a response "
        "curve averages over the other parameters' values (the main effect).", "",
    ]
    for metric in metrics:
        part = summary[summary["metric"] == metric]
        lines += [f"## {metric}", ""]
        if len(part) <= MAX_TABLE_ROWS:
            lines += [_markdown(part.drop(columns=["metric"])), ""]
        else:
            lines += [f"{len(part)} points: see summary.csv.", ""]
        if metric in done.sensitivity:
            lines += ["Sensitivity indices:", "", _markdown(done.sensitivity[metric]), ""]
        for title, path in figures:
            if title.startswith(f"{metric} ") or title.endswith(f" {metric}"):
                lines += [f"![{title}]({path.name})", ""]
    return "\n".join(lines)


def _describe_parameter(p: dict) -> str:
    if "values" in p:
        return f"`{p['key']}` in {p['values']}"
    steps = f", {p['steps']} steps" if "steps" in p else ""
    return f"`{p['key']}` from {p['low']:g} to {p['high']:g}{steps}"


def _markdown(table: pd.DataFrame) -> str:
    """A plain Markdown table (no extra dependency), numbers to 4 significant digits."""
    cols = list(table.columns)
    head = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |"
            for row in table.itertuples(index=False)]
    return "\n".join([head, *rows])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    return str(value)
