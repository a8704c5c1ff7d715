"""Validation 1: Short et al. (2008), the four parameter sets of their Figure 3.

With residents, police and services off and transient burglars, the crime model *is*
Short et al.'s lattice model (scenarios/short2008.toml). This experiment runs the
four Figure 3 sets from the homogeneous equilibrium, measures the equilibrium values
against the formulas (:mod:`experiments.validation.equilibrium`), and names the
regime each set settles into from its maps: flat, stationary hotspots or dynamic
hotspots, as the paper reports them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from experiments.validation.equilibrium import (
    FIGURE3,
    ShortParams,
    burglary_rate,
    classify,
    map_correlation,
    ou_mean_se,
    spatial_cv,
)
from experiments.validation.report import (
    Report,
    Settings,
    figure_link,
    fmt,
    save_figure,
    table,
)
from experiments.validation.runs import LatticeJob, lattice_run
from sim.analysis.executor import make_executor

#: Regime thresholds: CV of the averaged B map below this is flat ...
CV_FLAT = 0.2
#: ... and hotspots whose maps correlate above this across ``lag`` units stay put.
PERSISTENT = 0.7


@dataclass(frozen=True)
class ShortConfig:
    """Run lengths of the experiment.

    Attributes:
        size: Lattice side.
        units: Time units per run.
        burn_in: Units skipped before the equilibrium averages.
        seeds: Replications per set.
        window: Units averaged into each B map.
        lag: Units between the two maps whose correlation measures persistence.
    """

    size: int
    units: int
    burn_in: int
    seeds: int
    window: int
    lag: int


FULL = ShortConfig(size=128, units=200, burn_in=75, seeds=3, window=5, lag=50)
QUICK = ShortConfig(size=24, units=12, burn_in=4, seeds=1, window=2, lag=6)


def jobs(cfg: ShortConfig, seed: int) -> list[LatticeJob]:
    """One job per set and seed; seeds ``seed .. seed + seeds - 1`` for every set."""
    return [LatticeJob(params=p, seed=seed + k, units=cfg.units, size=cfg.size,
                       window=cfg.window, lag=cfg.lag)
            for p in FIGURE3 for k in range(cfg.seeds)]


def _pooled(values: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean of per-seed means and its SE (independent seeds)."""
    m = float(np.mean([v for v, _ in values]))
    se = math.sqrt(sum(s * s for _, s in values)) / len(values)
    return m, se


def measure(p: ShortParams, runs: list[dict[str, Any]], burn_in: int) -> dict[str, Any]:
    """Equilibrium and pattern measures of one set over its seeds.

    Returns:
        ``b`` and ``b_se`` (time-averaged lattice mean of B), ``n``/``n_se`` (burglars
        per site), ``rate``/``rate_se`` (burglaries per site per unit time), the
        map measures ``cv`` (CV of the late averaged B map), ``persistence`` (its
        correlation with the map ``lag`` units earlier), ``cv_a`` (CV of the final A),
        the regime they name, and the formulas' values.
    """
    b, n, rate, cv, pers, cv_a = [], [], [], [], [], []
    for r in runs:
        spu = r["steps_per_unit"]
        skip = burn_in * spu
        b.append(ou_mean_se(r["mean_b"][skip:], spu, p.omega))
        n.append(ou_mean_se(r["burglars"][skip:] / r["n_sites"], spu, p.omega))
        rate.append(burglary_rate(r["burglaries"][skip:], r["burglars"][skip:], r["n_sites"],
                                  spu, p.gamma))
        cv.append(spatial_cv(r["b_late"]))
        pers.append(map_correlation(r["b_early"], r["b_late"]))
        cv_a.append(spatial_cv(r["a_final"]))
    out: dict[str, Any] = {}
    out["b"], out["b_se"] = _pooled(b)
    out["n"], out["n_se"] = _pooled(n)
    out["rate"], out["rate_se"] = _pooled(rate)
    out["cv"] = float(np.mean(cv))
    out["persistence"] = float(np.nanmean(pers))
    out["cv_a"] = float(np.mean(cv_a))
    out["regime"] = classify(out["cv"], out["persistence"], CV_FLAT, PERSISTENT)
    out["b_bar"], out["a_bar"], out["n_bar"] = p.b_bar, p.a_bar, p.n_bar
    out["z_b"] = (out["b"] - p.b_bar) / out["b_se"] if out["b_se"] > 0 else float("nan")
    out["z_rate"] = ((out["rate"] - p.gamma) / out["rate_se"] if out["rate_se"] > 0
                     else float("nan"))
    # Burglars and A are not spread evenly: n moves off n_bar by a relative amount of
    # order CV(A)^2 (the allowance of tests/test_short2008.py), either way.
    out["n_bias"] = out["cv_a"] ** 2
    return out


def _title(p: ShortParams) -> str:
    return f"({p.label}) η={p.eta:g}, θ={p.theta:g}, Γ={p.gamma:g}"


def maps_figure(by_set: dict[str, list[dict[str, Any]]], found: dict[str, dict]) -> Figure:
    """The final attractiveness map of each set (first seed), as in the paper's Figure 3."""
    fig = Figure(figsize=(11.5, 10), layout="constrained")
    axes = fig.subplots(2, 2)
    for ax, p in zip(axes.ravel(), FIGURE3, strict=True):
        a = by_set[p.label][0]["a_final"].astype(float)
        lo = max(float(a.min()), 1e-3)
        im = ax.imshow(a, cmap="viridis", origin="lower", interpolation="nearest",
                       norm=LogNorm(vmin=lo, vmax=max(float(a.max()), lo * 1.01)))
        ax.set_title(f"{_title(p)}\npaper: {p.regime}; here: {found[p.label]['regime']}",
                     fontsize=9)
        ax.set_xlabel("x (lattice sites)")
        ax.set_ylabel("y (lattice sites)")
        fig.colorbar(im, ax=ax, shrink=0.85, label="attractiveness A = A0 + B (log scale)")
    units = by_set[FIGURE3[0].label][0]["mean_b"].size // by_set[FIGURE3[0].label][0][
        "steps_per_unit"]
    fig.suptitle(f"Short et al. (2008) Figure 3 sets: attractiveness after {units} time "
                 f"units (first seed)", fontsize=12)
    return fig


def series_figure(by_set: dict[str, list[dict[str, Any]]], burn_in: int) -> Figure:
    """Mean B and burglars per site over time, relative to the formulas (first seed)."""
    fig = Figure(figsize=(11, 4), layout="constrained")
    ax_b, ax_n = fig.subplots(1, 2)
    colours = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    for p, c in zip(FIGURE3, colours, strict=True):
        r = by_set[p.label][0]
        t = np.arange(r["mean_b"].size) / r["steps_per_unit"]
        ax_b.plot(t, r["mean_b"] / p.b_bar, lw=0.8, color=c, label=_title(p))
        ax_n.plot(t, r["burglars"] / r["n_sites"] / p.n_bar, lw=0.8, color=c, label=_title(p))
    for ax, what in ((ax_b, "lattice mean of B / (θΓ/ω)"),
                     (ax_n, "burglars per site / n̄ (homogeneous formula)")):
        ax.axhline(1.0, color="0.2", lw=0.8, ls="--")
        ax.axvspan(0, burn_in, color="0.9", zorder=0, label="burn-in (not averaged)")
        ax.set_xlabel("time (model units; 100 steps of dt = 0.01)")
        ax.set_ylabel(what)
    ax_b.set_title("Mean attractiveness B against its equilibrium")
    ax_n.set_title("Burglars on the lattice against the homogeneous n̄")
    ax_n.legend(fontsize=8, loc="lower left")
    return fig


def run(settings: Settings) -> Report:
    """Run the four sets, measure them, draw the figures and write the report's text."""
    t0 = time.perf_counter()
    cfg = QUICK if settings.quick else FULL
    todo = jobs(cfg, settings.seed)
    results = make_executor(max(1, settings.workers)).map(lattice_run, todo)
    by_set: dict[str, list[dict[str, Any]]] = {p.label: [] for p in FIGURE3}
    for r in results:
        by_set[r["label"]].append(r)
    found = {p.label: measure(p, by_set[p.label], cfg.burn_in) for p in FIGURE3}
    rep = Report("short2008", "Validation 1: Short et al. (2008), Figure 3")
    _write(rep, cfg, settings, found)
    maps = save_figure(maps_figure(by_set, found), settings.docs, "short2008_maps", rep)
    series = save_figure(series_figure(by_set, cfg.burn_in), settings.docs,
                         "short2008_equilibrium", rep)
    rep.add("## Figures\n\n" + figure_link(
        maps, "Final attractiveness A of each Figure 3 set (first seed; log colour scale, "
        "one scale per panel).") + "\n\n" + figure_link(
        series, "Lattice mean of B and burglars per site over time, divided by the "
        "homogeneous-equilibrium formulas (first seed)."))
    rep.numbers = {p.label: found[p.label] for p in FIGURE3}
    rep.seconds = time.perf_counter() - t0
    return rep


def _write(rep: Report, cfg: ShortConfig, settings: Settings, found: dict[str, dict]) -> None:
    """The report's text: set-up, formulas, the tables and the discussion."""
    seeds = ", ".join(str(settings.seed + k) for k in range(cfg.seeds))
    rep.add(f"""
## Set-up

`scenarios/short2008.toml` (every cell one house; no residents, police or services;
burglars spawned at rate Γ per site, walking to a neighbour with probability
A_n / ΣA, burgling with p = 1 − exp(−A dt) and then removed) with the four Figure 3
parameter sets of Short et al. (2008): {cfg.size} × {cfg.size} periodic lattice,
dt = 0.01, ω = 1/15, A0 = 1/30. Each set starts at its homogeneous equilibrium (B = B̄
everywhere, n̄ burglars per site) and runs {cfg.units} time units
({cfg.units * 100:,} steps) with seeds {seeds}; the equilibrium averages skip the first
{cfg.burn_in} units. Code: `experiments/validation/short2008.py`.

**Formulas** (Short et al. 2008; [evidence.md](../evidence.md); `tests/test_short2008.py`),
and why they hold on the lattice, not only in the continuum limit:

- B̄ = θΓ/ω. Averaged over the lattice the diffusion term cancels; in steady state
  burglaries per site per step equal spawns, Γ dt, so B̄ = B̄(1 − ω dt) + θΓ dt. This
  holds in *every* regime.
- Ā = A0 + B̄ and n̄ = Γ dt / (1 − exp(−Ā dt)): each burglar burgles with probability
  1 − exp(−A dt) per step and is then removed, so n̄ (1 − exp(−Ā dt)) = Γ dt. This
  needs A to be the same everywhere: with hotspots, burglars crowd onto high A and are
  used up faster, so fewer of them are on the lattice.
- Burglaries per site per unit time = Γ (spawns balance removals) in every regime.

**Uncertainty.** The lattice mean of B is an Ornstein–Uhlenbeck process with
correlation time 1/ω = 15 units, so a series of T units holds about Tω/2 independent
values: SE = sd·√(2/(ωT)), pooled over seeds. A formula "matches" when it lies within
3 SE of the measurement (|z| ≤ 3).
""")
    rows = []
    for p in FIGURE3:
        f = found[p.label]
        rows.append([
            f"({p.label})", f"{p.eta:g}", f"{p.theta:g}", f"{p.gamma:g}",
            f"{f['b_bar']:.4f}", f"{f['b']:.4f} ± {1.96 * f['b_se']:.4f}",
            f"{f['z_b']:+.1f}", f"{p.gamma:g}",
            f"{f['rate']:.5f} ± {1.96 * f['rate_se']:.5f}", f"{f['z_rate']:+.1f}"])
    rep.add("## Equilibrium values against the formulas\n\nMeasured values are time "
            "averages with 95% CIs.\n\n" + table(
                ["set", "η", "θ", "Γ", "B̄ = θΓ/ω", "mean B measured", "z",
                 "burglary rate Γ", "rate measured (per site per unit)", "z"], rows))
    rows = []
    for p in FIGURE3:
        f = found[p.label]
        ratio = f["n"] / f["n_bar"]
        rows.append([f"({p.label})", f"{f['a_bar']:.4f}", f"{f['n_bar']:.5f}",
                     f"{f['n']:.5f} ± {1.96 * f['n_se']:.5f}", f"{ratio:.3f}",
                     fmt(f["n_bias"], 2), p.regime])
    rep.add("### Burglars per site\n\n" + table(
        ["set", "Ā = A0 + B̄", "n̄ (homogeneous)", "n measured", "measured / n̄",
         "CV(A)² (allowed deviation if flat)", "paper's regime"], rows) + """

n̄ is the homogeneous formula. Where A is nearly flat, its small unevenness (burglars
burgle faster on high-A sites and drift towards them) moves n off n̄ by a relative
amount of order CV(A)², which `tests/test_short2008.py` allows. Where hotspots form,
the formula does not apply and n falls below it, as expected.""")
    rows = []
    for p in FIGURE3:
        f = found[p.label]
        rows.append([f"({p.label})", p.regime, fmt(f["cv"], 3), fmt(f["persistence"], 3),
                     fmt(f["cv_a"], 3), f["regime"]])
    rep.add(f"## Regimes\n\nCV is the spatial coefficient of variation of B averaged over "
            f"the last {cfg.window} units; persistence is the correlation of that map with "
            f"the one {cfg.lag} units earlier. Flat below CV {CV_FLAT}; stationary "
            f"hotspots at persistence ≥ {PERSISTENT}, dynamic below (thresholds chosen "
            "here, between the sets' values; the maps show the same).\n\n" + table(
                ["set", "paper", "CV of B", "persistence", "CV of final A", "measured"],
                rows))
    _verdicts(rep, found)
    rep.add(_discussion(found))


def _verdicts(rep: Report, found: dict[str, dict]) -> None:
    for p in FIGURE3:
        f = found[p.label]
        b_ok = abs(f["z_b"]) <= 3 and abs(f["z_rate"]) <= 3
        regime_ok = f["regime"] == p.regime
        if p.label == "a":
            n_ok = abs(f["n"] / f["n_bar"] - 1) <= f["n_bias"] + 3 * f["n_se"] / f["n_bar"]
            b_ok = b_ok and n_ok
        verdict = "matches" if b_ok and regime_ok else ("partly" if b_ok or regime_ok
                                                        else "does not")
        why = (f"B̄ z = {f['z_b']:+.1f}, rate z = {f['z_rate']:+.1f}; regime "
               f"{f['regime']} (paper: {p.regime})")
        if p.label == "a":
            why += f"; n/n̄ = {f['n'] / f['n_bar']:.3f}"
        rep.verdict(f"set ({p.label}): equilibrium and regime", verdict, why)


def _discussion(found: dict[str, dict]) -> str:
    a, b, c, d = (found[k] for k in "abcd")
    zb = max(abs(f["z_b"]) for f in found.values())
    zr = max(abs(f["z_rate"]) for f in found.values())
    lines = ["## Discussion", ""]
    if zb <= 3 and zr <= 3:
        lines.append(
            f"- **The equilibrium formulas hold.** Mean B sits on θΓ/ω in all four sets "
            f"(|z| ≤ {zb:.1f}) and burglaries per site per unit time on Γ (|z| ≤ {zr:.1f}). "
            "Both are exact balances of the discrete model in every regime, so they check "
            "the bookkeeping of spawning, burglary, removal and the B update (spawning "
            "with probability Γ instead of Γ dt, a known slip of public "
            "reimplementations, would put the rate 100 times off).")
    else:
        lines.append(
            f"- **An equilibrium balance fails.** The largest deviations are |z| = "
            f"{zb:.1f} for mean B and {zr:.1f} for the burglary rate, beyond the 3 SE "
            "allowed: look at the sets' rows above.")
    lines.append(
        f"- **n̄ is a homogeneous-state formula.** In set (a) the lattice holds "
        f"{a['n'] / a['n_bar']:.3f} × n̄ burglars per site (allowance CV(A)² = "
        f"{a['n_bias']:.3f} plus 3 SE). In the patterned sets it holds "
        f"{b['n'] / b['n_bar']:.2f} × n̄ (b), {c['n'] / c['n_bar']:.2f} × (c) and "
        f"{d['n'] / d['n_bar']:.2f} × (d): burglars are absorbed quickly in hotspots, "
        "the more so the stronger the hotspots. That is what the model should do.")
    same = [p.label for p in FIGURE3 if found[p.label]["regime"] == p.regime]
    lines.append(
        f"- **Regimes.** {len(same)} of 4 sets settle into the regime the paper reports. "
        f"Set (a) has CV {a['cv']:.2f}; set (c) CV {c['cv']:.2f} with persistence "
        f"{c['persistence']:.2f} over the lag; sets (b) and (d), with ten times fewer "
        f"burglars and ten times larger jumps of B, have persistence {b['persistence']:.2f} "
        f"and {d['persistence']:.2f}. Set (b)'s pattern is weak (CV {b['cv']:.2f}): "
        "in the continuum limit η = 0.2 is stable, and its hotspots are the noise of "
        "few burglars that the paper describes, not a linear instability.")
    lines.append(
        "- **Limits of the comparison.** The paper's figure is a picture; its snapshot "
        "times and colour scales are not matched here, so patterns are compared by "
        "regime, not by hotspot size or count. The regime thresholds are this report's "
        "choice, set between the sets' values; the maps carry the same information "
        "without them.")
    return "\n".join(lines) + "\n"
