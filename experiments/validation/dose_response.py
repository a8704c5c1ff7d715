"""Validation 3: dose-response curves of three levers, each a sweep with its curve.

Street-lighting coverage, police numbers and youth-programme coverage are swept over
their range with common random numbers (experiments/validation/dose_*.toml), through
the project's sweep engine (:func:`sim.analysis.sweep.runner.run_sweep`), and the
stored results are read back with :class:`~sim.analysis.sweep.results.SweepResults`.
The curves are read paired (:mod:`experiments.validation.dose_analysis`). What the
evidence says about each lever's direction and size is in the report beside the
measured curve.
"""

from __future__ import annotations

import dataclasses
import json
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.validation import dose_analysis as da
from experiments.validation.dose_text import write_summary, write_sweep_section
from experiments.validation.report import Report, Settings, save_figure
from experiments.validation.runs import SMALL_CITY
from sim.analysis.executor import make_executor
from sim.analysis.sweep.results import SweepResults
from sim.analysis.sweep.runner import SweepSummary, plan_jobs, run_sweep
from sim.analysis.sweep.spec import Experiment, parse_experiment

HERE = Path(__file__).resolve().parent
#: Violent crime (Chalfin & McCrary's finer category): every type but burglary.
VIOLENT = ("crimes_robbery", "crimes_assault", "crimes_sexual_violence",
           "crimes_gang_violence")


@dataclass(frozen=True)
class DoseSpec:
    """One dose-response sweep.

    Attributes:
        key: Short name (``lighting``, ``police``, ``youth``).
        file: The experiment file in this folder.
        parameter: The swept scenario key.
        title: What is swept, for headings.
        axis: The x axis label, with its unit.
        percent: Show the dose as a percentage (coverage shares).
        shown: Metrics whose paired change is drawn and tabled, with labels.
        quick_set: Extra ``[set]`` overrides for quick mode (an earlier start).
    """

    key: str
    file: str
    parameter: str
    title: str
    axis: str
    percent: bool
    shown: tuple[tuple[str, str], ...]
    quick_set: dict[str, Any] = dataclasses.field(default_factory=dict)


SPECS = (
    DoseSpec("lighting", "dose_lighting.toml", "interventions.street_lighting.coverage",
             "Street-lighting coverage",
             "share of the 150 hottest cells given bright lighting (%)", True,
             (("crimes_total", "all crime"), ("crimes_robbery", "robbery"),
              ("crimes_sexual_violence", "sexual violence"), ("crimes_burglary", "burglary")),
             {"interventions.street_lighting.start_tick": 24}),
    DoseSpec("police", "dose_police.toml", "police.count", "Police numbers",
             "patrol units on duty (baseline 24)", False,
             (("crimes_total", "all crime"), ("crimes_violent", "violent crime"),
              ("crimes_burglary", "burglary"), ("arrests", "arrests"))),
    DoseSpec("youth", "dose_youth.toml", "interventions.youth_programme.coverage",
             "Youth-programme coverage",
             "share of at-risk youth of the 3 most deprived districts enrolled (%)", True,
             (("crimes_total", "all crime"), ("crimes_violent", "violent crime"),
              ("recruits", "recruits into offending"), ("gang_members", "gang members")),
             {"interventions.youth_programme.start_tick": 24}),
)


def load(spec: DoseSpec, quick: bool) -> Experiment:
    """The spec's experiment; in quick mode two doses, two seeds, a small city, 6 days."""
    path = HERE / spec.file
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    if quick:
        values = raw["parameters"][spec.parameter]
        raw["parameters"] = {spec.parameter: [values[0], values[-1]]}
        raw.update(days=6, warmup_days=2, replications=2)
        raw["set"] = {**raw.get("set", {}), **SMALL_CITY, **spec.quick_set}
        text += "\n# quick mode: 2 doses, 2 seeds, 6 days, a 40 x 40 city\n"
    return parse_experiment(raw, text=text, source=str(path), base_dir=path.parent,
                            default_name=path.stem)


def run_one(spec: DoseSpec, settings: Settings
            ) -> tuple[Experiment, SweepResults, SweepSummary, float]:
    """Run (or resume) one sweep; return it, its stored results, what ran, its wall time.

    The sweep's folder is named by the experiment and its run settings' hash, so a
    rerun with the same settings resumes (stored runs are skipped) and a changed file
    starts a fresh folder instead of clashing with the old one.
    """
    exp = load(spec, settings.quick)
    folder = settings.out / f"{exp.name}-{exp.setup_key()[:8]}"
    t0 = time.perf_counter()

    def progress(s: SweepSummary) -> None:
        n = s.skipped + s.done + s.failed
        if n == s.planned or (s.done + s.failed) % 10 == 0 and s.done + s.failed:
            print(f"  {exp.name}: {n}/{s.planned} runs ({s.skipped} stored before, "
                  f"{s.failed} failed)", flush=True)

    summary = run_sweep(exp, folder, make_executor(max(1, settings.workers)),
                        resume=(folder / "manifest.json").exists(), progress=progress,
                        executor_name=f"validation, {settings.workers} workers")
    if summary.failed:
        print(f"  {exp.name}: {summary.failed} runs failed: "
              f"{next(iter(summary.failures.values()))}", flush=True)
    timing = folder.with_name(folder.name + ".timing.json")
    if summary.done:  # runs were computed now: remember how long they took
        timing.write_text(json.dumps({"runs": summary.done, "seconds": summary.seconds,
                                      "workers": settings.workers}), encoding="utf-8")
    res = SweepResults.open(folder)
    planned = {j.run_id for j in plan_jobs(exp)[1]}
    res = dataclasses.replace(res, rows=res.rows[res.rows["run_id"].isin(planned)])
    return exp, res, summary, time.perf_counter() - t0


def computed_seconds(spec: DoseSpec, settings: Settings) -> float | None:
    """Seconds the sweep's runs took when they were last computed (None if unknown)."""
    exp = load(spec, settings.quick)
    path = settings.out / f"{exp.name}-{exp.setup_key()[:8]}.timing.json"
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return None


def with_violent(final: pd.DataFrame) -> pd.DataFrame:
    """Add ``crimes_violent`` (every type but burglary) where the sweep kept the types."""
    if all(m in final.columns for m in VIOLENT):
        final = final.assign(crimes_violent=final[list(VIOLENT)].sum(axis=1))
    return final


def curve_figure(spec: DoseSpec, exp: Experiment, res: SweepResults,
                 curves: dict[str, pd.DataFrame]) -> Figure:
    """Crimes against the dose (mean, 95% CI) and the paired change per metric."""
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    ax_m, ax_c = fig.subplots(1, 2)
    scale = 100.0 if spec.percent else 1.0
    resp = res.response("crimes_total", spec.parameter)
    x = resp[spec.parameter].to_numpy(dtype=float) * scale
    ax_m.errorbar(x, resp["mean"], yerr=[resp["mean"] - resp["ci_low"],
                                         resp["ci_high"] - resp["mean"]],
                  fmt="o-", color="tab:blue", capsize=3, lw=1.2)
    window = f"days {exp.warmup_days:g}–{exp.days:g}"
    ax_m.set_xlabel(spec.axis)
    ax_m.set_ylabel(f"crimes in the city, {window} (mean, 95% CI)")
    ax_m.set_title(f"{spec.title}: all crime ({len(exp.seeds)} seeds per dose; CI "
                   "across cities, unpaired)", fontsize=10)
    ax_m.grid(alpha=0.3)
    doses = np.asarray(curves[spec.shown[0][0]]["dose"], dtype=float) * scale
    width = (doses.max() - doses.min() if doses.size > 1 else 1.0) * 0.015
    colours = ("tab:blue", "tab:red", "tab:green", "tab:purple")
    for k, ((metric, label), colour) in enumerate(zip(spec.shown, colours, strict=False)):
        if metric not in curves:
            continue
        c = curves[metric]
        xs = doses + (k - (len(spec.shown) - 1) / 2) * width
        ax_c.errorbar(xs, c["change_pct"], yerr=[c["change_pct"] - c["ci_low"],
                                                  c["ci_high"] - c["change_pct"]],
                      fmt="o-", color=colour, capsize=3, lw=1.1, ms=4, label=label)
    ax_c.axhline(0.0, color="0.3", lw=0.8)
    ax_c.set_xlabel(spec.axis)
    ax_c.set_ylabel("change from the lowest dose (%, paired 95% CI)")
    ax_c.set_title(f"{spec.title}: change by outcome (same seeds at every dose)",
                   fontsize=10)
    ax_c.grid(alpha=0.3)
    ax_c.legend(fontsize=8)
    return fig


def analyse(spec: DoseSpec, exp: Experiment, res: SweepResults) -> dict[str, Any]:
    """Paired curves, slopes and (for police) elasticities of one sweep."""
    final = with_violent(res.final())
    metrics = [m for m in dict.fromkeys([m for m, _ in spec.shown] + ["crimes_total"])
               if m in final.columns]
    curves = {m: da.paired_curve(final, spec.parameter, m) for m in metrics}
    slopes = {m: da.relative_slope(final, spec.parameter, m) for m in metrics}
    out: dict[str, Any] = {"curves": curves, "slopes": slopes, "runs": len(final),
                           "failed": len(res.failures),
                           "monotone": da.monotone_decreasing(curves["crimes_total"])}
    if spec.key == "police" and "bribes" in final.columns:
        means = final.groupby(spec.parameter)[["arrests", "bribes"]].mean()
        out["bribes"] = {"dose": list(means.index), "arrests": list(means["arrests"]),
                         "bribes": list(means["bribes"])}
    if spec.key == "police":
        out["elasticity"] = {m: da.elasticity(final, spec.parameter, m, 12, 48)
                             for m in ("crimes_total", "crimes_violent", "crimes_burglary")
                             if m in final.columns}
    return out


def run(settings: Settings) -> Report:
    """Run the three sweeps, analyse them, draw their curves and write the report."""
    t0 = time.perf_counter()
    rep = Report("dose_response", "Validation 3: dose-response curves")
    found: dict[str, dict[str, Any]] = {}
    sections = []
    for spec in SPECS:
        exp, res, summary, seconds = run_one(spec, settings)
        result = analyse(spec, exp, res)
        result["seconds"] = seconds
        result["reused"] = summary.skipped
        result["computed_seconds"] = computed_seconds(spec, settings)
        fig = save_figure(curve_figure(spec, exp, res, result["curves"]), settings.docs,
                          f"dose_{spec.key}", rep)
        sections.append(write_sweep_section(rep, spec, exp, result, fig))
        found[spec.key] = result
    write_summary(rep, settings, found, sections)
    rep.numbers = {k: {"slopes": v["slopes"], "elasticity": v.get("elasticity"),
                       "full_change": {m: c.iloc[-1][["change_pct", "ci_low", "ci_high"]]
                                       .to_dict() for m, c in v["curves"].items()}}
                   for k, v in found.items()}
    rep.seconds = time.perf_counter() - t0
    return rep
