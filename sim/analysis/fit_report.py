"""What ``crimesim calibrate`` leaves in its folder: the calibrated scenario and the report.

``scenario.toml`` extends the scenario fitted and sets only the fitted keys, each with
its interval in a comment; ``fit.md`` says how well the fit matches the data, in and out
of sample; ``trials.csv`` lists every trial; the figures are PNGs under ``figures/``.
Everything is written to a hidden folder first and moved into place at the end, file
by file, so no file is ever half-written and a failed report leaves nothing behind.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.analysis.calibrate_city import CalibrationResult, floored
from sim.analysis.hotspot_accuracy import gini, lorenz_curve, pai, spearman, top_cells

#: Share of the city's cells taken as the model's hot spots for the PAI.
HOTSPOT_SHARE = 0.05
#: The files written, relative to the folder.
OUTPUTS = ("scenario.toml", "fit.md", "trials.csv", "figures")


def _number(value: float) -> str:
    """A float as TOML: six significant digits, always with a point or exponent."""
    text = f"{value:.6g}"
    return text if any(ch in text for ch in ".eEn") else text + ".0"


def _interval_text(res: CalibrationResult, key: str) -> str:
    iv = res.intervals[key]
    low = f"{'<= ' if iv.open_low else ''}{iv.low:.4g}"
    high = f"{'>= ' if iv.open_high else ''}{iv.high:.4g}"
    return f"{low} to {high}"


def scenario_text(res: CalibrationResult, out: Path) -> str:
    """The calibrated scenario: extends the input, sets the fitted keys with their CIs."""
    setup = res.setup
    try:
        parent = os.path.relpath(setup.scenario_path.resolve(), out.resolve())
    except ValueError:  # another drive (Windows)
        parent = str(setup.scenario_path.resolve())
    obs = setup.observed
    lines = [
        f"# Calibrated by `crimesim calibrate` to {setup.observed_path.name}, months "
        f"{obs.train_months[0]} to {obs.train_months[-1]}.",
        "# Each comment is the key's 95% confidence interval (profile likelihood over the",
        "# trials; see fit.md). Only the fitted keys are set here.",
        f"extends = {_toml_string(Path(parent).as_posix())}",
        f"name = {_toml_string(setup.scenario.name + '-calibrated')}",
    ]
    tables: dict[str, list[str]] = {}
    for k in setup.keys:
        table, _, leaf = k.key.rpartition(".")
        tables.setdefault(table, []).append(
            f"{leaf} = {_number(res.fitted[k.key])}  # 95% CI {_interval_text(res, k.key)}")
    for table, rows in tables.items():
        lines += ["", f"[{table}]", *rows]
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _trials_csv(res: CalibrationResult, path: Path) -> None:
    types = res.setup.observed.types
    keys = [k.key for k in res.setup.keys]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["trial", *keys, "deviance", *[f"deviance_{t}" for t in types],
                    "holdout_deviance"])
        for t in res.trials:
            w.writerow([t.number, *[repr(t.params[k]) for k in keys], repr(t.deviance),
                        *[repr(v) for v in t.deviance_by_type], repr(t.holdout_deviance)])


def accuracy(res: CalibrationResult) -> dict[str, float]:
    """Rank correlation, concentration and hot-spot accuracy of the calibrated scenario."""
    setup, obs = res.setup, res.setup.observed
    sim = floored(setup, res.final.expected)
    out = {
        "spearman_all": spearman(obs.train.sum(axis=1), sim.sum(axis=1)),
        "gini_observed": gini(obs.train.sum(axis=1)),
        "gini_simulated": gini(res.final.expected.sum(axis=1)),
        "pai_train": pai(res.best_cells, obs.cells_train, HOTSPOT_SHARE),
        "pai_holdout": pai(res.best_cells, obs.cells_holdout, HOTSPOT_SHARE),
    }
    for i, t in enumerate(obs.types):
        out[f"spearman_{t}"] = spearman(obs.train[:, i], sim[:, i])
    return out


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}g}"


def fit_markdown(res: CalibrationResult) -> str:
    """The report: inputs, the fitted keys with their intervals, and the fit's quality."""
    setup, obs, best = res.setup, res.setup.observed, res.best
    start = res.trials[0]
    acc = accuracy(res)
    n_cells = obs.train.size
    held = ("none" if not obs.holdout_months else obs.holdout_months[0]
            if len(obs.holdout_months) == 1
            else f"{obs.holdout_months[0]} to {obs.holdout_months[-1]}")
    lines = [
        f"# Calibration of {setup.scenario.name} to {setup.observed_path.name}", "",
        f"- Scenario: `{setup.scenario_path.name}`; calibrated: `scenario.toml`",
        f"- Training months: {obs.train_months[0]} to {obs.train_months[-1]} "
        f"({len(obs.train_months)}); held out: {held}",
        f"- Crime types fitted: {', '.join(obs.types)}; {len(obs.areas)} areas",
        f"- Trials: {len(res.trials)} (best: trial {best.number}); each runs "
        f"{len(setup.seeds)} simulation(s) ({setup.burn_in_days} days of burn-in, then "
        f"every month) with seeds "
        f"{', '.join(map(str, setup.seeds))} (the same for every trial); --seed {setup.seed}",
        "",
        "## Fitted keys", "",
        "95% confidence intervals by profile likelihood. A rate: an emulator fitted to "
        "every trial (Poisson regression of the type's simulated crimes on the log "
        "rate and the other keys) gives the rate whose crimes match the observed "
        "total, and the interval holds the rates whose deviance of the observed "
        "total is within phi x 3.84 of the best, phi being the larger of how much a "
        "city's crime varies between runs "
        f"({res.between_runs:.3g}, variance over mean, pooled over trials and types) and "
        "the emulator's lack of fit, and widened over the spatial keys' intervals. A "
        "spatial key: each trial's crimes are scaled to the recorded total of each type, "
        "so what is left is where crime falls (the shape deviance); a quadratic surface "
        "fitted to every trial's shape deviance gives the value (its minimum) and the "
        f"interval (where its profile is within {res.phi:.3g} x 3.84 of the minimum); "
        "when the surface has no minimum, the trial with the best shape and the values "
        f"of the trials within {res.phi:.3g} x 3.84 of it, each bound halfway to the "
        f"nearest trial beyond it; {res.phi:.3g} is the noise of a mean over "
        f"{len(setup.seeds)} run(s) (1 + 1/{len(setup.seeds)}) times the between-run "
        "dispersion times the "
        "Pearson over-dispersion by area of the best fit (each at least 1). A bound "
        "written `<=` or `>=` is the search range's: the data do not close the interval "
        "there.", "",
        "| key | scenario | fitted | 95% CI | searched |",
        "|---|---|---|---|---|",
    ]
    for k in setup.keys:
        lines.append(f"| `{k.key}` | {k.start:.4g} | {res.fitted[k.key]:.4g} | "
                     f"{_interval_text(res, k.key)} | {k.low:.4g} to {k.high:.4g}"
                     f"{' (log)' if k.log else ''} |")
    final = res.final
    sim_train = floored(setup, final.expected)
    lines += [
        "", "## Fit", "",
        "Objective: Poisson deviance of the recorded crimes by area and type in the "
        "training months against the model's mean reported crimes in the same months "
        f"({n_cells} counts). The calibrated scenario (the fitted values, run once more "
        "with the same seeds) is what the rest of this report and the figures show.", "",
        f"| | scenario as given (trial 0) | best trial ({best.number}) | calibrated "
        "scenario |", "|---|---|---|---|",
        f"| training deviance | {start.deviance:.4g} | {best.deviance:.4g} | "
        f"{final.deviance:.4g} |",
        f"| held-out deviance | {_fmt(start.holdout_deviance, 4)} | "
        f"{_fmt(best.holdout_deviance, 4)} | {_fmt(final.holdout_deviance, 4)} |",
        "", "Crimes by type, training months (recorded / calibrated scenario):", "",
        "| type | observed | simulated | Spearman by area |", "|---|---|---|---|",
    ]
    for i, t in enumerate(obs.types):
        lines.append(f"| {t} | {obs.train[:, i].sum():.0f} | {sim_train[:, i].sum():.1f} | "
                     f"{_fmt(acc[f'spearman_{t}'])} |")
    lines += [
        f"| all | {obs.train.sum():.0f} | {sim_train.sum():.1f} | "
        f"{_fmt(acc['spearman_all'])} |", "",
        "## Where crime is", "",
        f"- Gini of crime over areas: observed {_fmt(acc['gini_observed'])}, simulated "
        f"{_fmt(acc['gini_simulated'])} (0: even; towards 1: in a few areas). Lorenz "
        "curves: `figures/lorenz.png`.",
        f"- Hot spots: the model's top {HOTSPOT_SHARE:.0%} of cells hold a share of the "
        f"observed crime; PAI = that share / {HOTSPOT_SHARE:.0%}. Training months: "
        f"{_fmt(acc['pai_train'])}; held-out months: {_fmt(acc['pai_holdout'])} "
        "(1 = chance). Map: `figures/hotspots.png`.",
        "- Observed against simulated counts by area and type, with the 1:1 line: "
        "`figures/observed_vs_simulated.png`.",
        "- Every trial: `trials.csv`.", "",
    ]
    return "\n".join(lines)


def _scatter(res: CalibrationResult, path: Path) -> None:
    setup, obs = res.setup, res.setup.observed
    sim = floored(setup, res.final.expected)
    fig = Figure(figsize=(5.5, 5))
    ax = fig.add_subplot()
    for i, t in enumerate(obs.types):
        ax.scatter(sim[:, i], obs.train[:, i], s=14, alpha=0.7, label=t)
    top = max(float(sim.max()), float(obs.train.max()), 1.0) * 1.05
    ax.plot([0, top], [0, top], color="black", lw=1, label="1:1")
    ax.set(xlim=(0, top), ylim=(0, top), xlabel="simulated (expected) crimes",
           ylabel="observed crimes",
           title="Crimes by area and type, training months")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=110)


def _lorenz(res: CalibrationResult, path: Path) -> None:
    obs = res.setup.observed
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    for label, counts in (("observed", obs.train.sum(axis=1)),
                          ("simulated", res.final.expected.sum(axis=1))):
        x, y = lorenz_curve(counts)
        ax.plot(x, y, label=f"{label} (Gini {gini(counts):.2f})")
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="even")
    ax.set(xlabel="share of areas (least crime first)", ylabel="share of crime",
           title="Concentration of crime over areas")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=110)


def _hotspots(res: CalibrationResult, path: Path) -> None:
    obs = res.setup.observed
    shape = (obs.height, obs.width)
    fig = Figure(figsize=(10, 4.5))
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    im = left.imshow(res.best_cells.reshape(shape), cmap="magma")
    fig.colorbar(im, ax=left, shrink=0.8, label="expected crimes per month")
    left.set_title("Model: expected crime per cell")
    hot = np.zeros(obs.width * obs.height)
    hot[top_cells(res.best_cells, HOTSPOT_SHARE)] = 1
    right.imshow(hot.reshape(shape), cmap="Greys", vmin=0, vmax=2)
    seen = obs.cells_train + obs.cells_holdout
    rows, cols = np.divmod(np.flatnonzero(seen), obs.width)
    right.scatter(cols, rows, s=4 + 4 * seen[seen > 0], color="crimson", alpha=0.6)
    right.set_title(f"Model's top {HOTSPOT_SHARE:.0%} cells (grey), observed crime (red)")
    for ax in (left, right):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.savefig(path, dpi=110)


def write_report(res: CalibrationResult, out: Path) -> list[Path]:
    """Write the calibrated scenario, fit.md, trials.csv and figures into ``out``.

    Returns:
        The paths written.
    """
    out = Path(out)
    tmp = Path(tempfile.mkdtemp(prefix=".report-", dir=out))
    try:
        (tmp / "scenario.toml").write_text(scenario_text(res, out), encoding="utf-8")
        (tmp / "fit.md").write_text(fit_markdown(res), encoding="utf-8")
        _trials_csv(res, tmp / "trials.csv")
        figures = tmp / "figures"
        figures.mkdir()
        _scatter(res, figures / "observed_vs_simulated.png")
        _lorenz(res, figures / "lorenz.png")
        _hotspots(res, figures / "hotspots.png")
        written = []
        for name in OUTPUTS:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(tmp / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
