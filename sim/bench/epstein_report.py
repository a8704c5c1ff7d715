"""``crimesim bench --epstein``: run benchmark 2, print its table, write JSON and a figure."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from sim.bench.epstein import LABELS, run_benchmark
from sim.bench.output import write_json_beside


def format_table(result: dict[str, Any]) -> str:
    """The timing table and the output comparison as text."""
    lines = [f"{'grid':>9}{'agents':>8}{'ours ms/step':>14}{'Mesa ms/step':>14}"
             f"{'ratio (CPU)':>13}{'ratio (wall)':>14}{'w/o collect':>13}{'Mesa steps':>12}"]
    for r in result["sizes"]:
        ours, mesa = r["ours"], r["mesa"]
        lines.append(f"{r['side']:>4} x{r['side']:>3}{ours['agents']:>8}"
                     f"{1e3 * ours['cpu_per_step']:>14.3f}{1e3 * mesa['cpu_per_step']:>14.1f}"
                     f"{r['ratio_cpu']:>12.0f}x{r['ratio_wall']:>13.0f}x"
                     f"{r['ratio_cpu_without_collect']:>12.0f}x{mesa['steps']:>12}")
    out = result["outputs"]
    lines += ["", f"active citizens at 40 x 40, {out['seeds']} seeds x {out['ticks']} ticks "
              f"each, after {out['burn_in']} ticks of burn-in:",
              f"{'':<28}{'mean':>7}{'median':>8}{'p90':>7}{'p99':>7}{'max':>6}"
              f"{'bursts/1000':>12}{'wait':>7}"]
    for name, label in LABELS.items():
        s = out["summary"][name]
        q = s["quantiles"]
        wait = s["mean_waiting_ticks"]
        lines.append(f"{label:<28}{s['mean']:>7.1f}{q['0.5']:>8.0f}{q['0.9']:>7.0f}"
                     f"{q['0.99']:>7.0f}{s['largest_peak']:>6}"
                     f"{s['outbursts_per_1000_ticks']:>12.1f}"
                     f"{'-' if wait is None else f'{wait:.0f}':>7}")
    ks = out["ks_distance"]
    lines.append(f"Kolmogorov-Smirnov D: Mesa vs ours (its rules) "
                 f"{ks['mesa_vs_ours_mesa_rules']:.2f}, vs ours (Epstein's rules) "
                 f"{ks['mesa_vs_ours_paper_rules']:.2f}; ours against ours with other "
                 f"seeds {ks['ours_vs_ours_other_seeds']:.2f} (sampling alone)")
    return "\n".join(lines)


def write_figure(result: dict[str, Any], path: Path) -> Path:
    """Active citizens over time from each engine side by side, and their distributions."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = result["outputs"]
    series = out["series"]
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), gridspec_kw={"width_ratios": [3, 3, 3, 2]})
    top = max(max(max(s) for s in runs) for runs in series.values())
    for ax, (name, label) in zip(axes[:3], LABELS.items(), strict=True):
        ax.plot(series[name][0], lw=0.8, color="C3" if name == "mesa" else "C0")
        ax.set_title(f"{label} (seed 100)", fontsize=9)
        ax.set_xlabel("tick")
        ax.set_ylim(0, top * 1.05)
        ax.axvline(out["burn_in"], color="grey", lw=0.5, ls=":")
    axes[0].set_ylabel("active citizens")
    ax = axes[3]
    for name, label in LABELS.items():
        pooled = np.sort(np.concatenate([np.asarray(s)[out["burn_in"]:]
                                         for s in series[name]]))
        ax.step(pooled, np.arange(1, pooled.size + 1) / pooled.size, where="post", label=label,
                color="C3" if name == "mesa" else None, lw=1)
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("active citizens")
    ax.set_ylabel("share of ticks at or below")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"distribution, {out['seeds']} seeds", fontsize=9)
    fig.suptitle("Epstein's civil violence at 40 x 40: Mesa's example and ours, "
                 "same parameters", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def epstein_bench(args: argparse.Namespace) -> int:
    """Run benchmark 2 and report it (the ``--epstein`` flag of ``crimesim bench``)."""
    print("Epstein's civil violence: our engine against Mesa's example at 40 x 40 and "
          "200 x 200 (Mesa's example is timed for 5 steps at 200 x 200, a few seconds "
          "each; about 2 minutes in all) ...", flush=True)
    result = run_benchmark()
    print(f"load average before {result['load_average_before'][0]:.1f}, after "
          f"{result['load_average_after'][0]:.1f} on {result['cpus']} CPUs; ms per step "
          "is CPU time of this process")
    print(format_table(result))
    if args.json:
        path = write_json_beside(args.json, "bench_epstein.json", result)
        figure = write_figure(result, path.with_suffix(".png"))
        print(f"wrote {path}, {figure}")
    return 0
