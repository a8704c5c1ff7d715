"""Benchmark 3: scaling of the full crime model from 10^4 to 10^7 agents.

For each size the baseline city is scaled (area and every population, as
``crimesim bench --scales`` does) to about that many agents and run in its own
process, so each size's peak resident set size is its own and no size inherits the
heap of a bigger one. In that process the model is built without Mesa views, warmed
up for a day (the kernels load, the first plans are drawn), then timed day by day:
ns per agent-step is the wall time of a day over (agents x ticks of that day). The
median day is the headline (robust to another process stealing the core for a
moment); the mean over all timed days is kept too. Small sizes are timed over more
days, since their days are short and noisier.

Start-up is measured in fresh processes with ``NUMBA_CACHE_DIR`` pointing at a new
directory: *cold* (empty cache, so every kernel the baseline run calls compiles) and
*warm* (the same directory, now filled). Warm start is the wall clock from spawning
the interpreter to the first step of the baseline city done: interpreter start,
``import sim`` (Mesa, numba, pandas ...), building the city and its people, and the
first tick, which loads that tick's kernels from the cache.

Every size runs twice, each time in a fresh process: on one thread and on two
(``NUMBA_NUM_THREADS``; ``--threads N`` for another count). The parallel kernels give
the same results either way (docs/performance.md, "Parallel kernels"), so the two
runs time the same work: parallel efficiency is ``t1 / (N tN)`` from the median days'
ns per agent-step. The 10^7-agent city's simulated year is extrapolated from its
timed days on N threads (their mean day times 365).

10^7 agents runs only if its estimated footprint (``sim.scenario.footprint`` plus the
build's scratch) fits in half the memory available now; otherwise it is skipped
with a note, so the benchmark never pushes a shared machine into swap.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sim.bench.memory import current_rss_bytes, model_memory, peak_rss_bytes
from sim.bench.phase_profile import phase_profile
from sim.scenario import Scenario

#: Agents per size and days timed (after one warm-up day): short days are noisier.
DEFAULT_SIZES: dict[int, float] = {10_000: 40.0, 100_000: 12.0, 1_000_000: 4.0,
                                   10_000_000: 2.0}
#: The schema's largest district count; scaled cities keep districts under it.
MAX_DISTRICTS = 1000
#: Threads of the parallel run of every size (the one-thread run is the other).
PARALLEL_THREADS = 2
#: Agents of the city whose simulated year is extrapolated (issue 17: 10^7).
YEAR_AGENTS = 10_000_000
#: Days in the simulated year.
YEAR_DAYS = 365
#: Use at most this share of the memory available for the biggest size.
MEMORY_SHARE = 0.5
#: Scratch per resident beyond the model's own arrays while building (sampling
#: weights, sort keys): peak memory of the build, not of the run.
SCRATCH_PER_RESIDENT = 60

_START_SCRIPT = r"""
import json, sys, time
t_import = time.time()
import sim
from sim import CrimeModel
t_imported = time.time()
m = CrimeModel(scenario=sys.argv[1], rng=1, agent_views=False)
t_built = time.time()
m.step()
t_first = time.time()
m.run_for(int(sys.argv[2]) * m.ticks_per_day - 1)
t_all = time.time()
print(json.dumps({"t_import": t_import, "t_imported": t_imported, "t_built": t_built,
                  "t_first": t_first, "t_all": t_all}))
"""


def baseline_agents(base: Scenario) -> int:
    """Agents of the unscaled scenario: residents, offenders, officers, workers, guards."""
    p = base.params
    offenders = min(p.offenders.count, p.residents.count) if p.residents.count else \
        p.offenders.count
    return (p.residents.count + offenders + p.police.count + p.services.count
            + p.security.guards)


def scenario_for_agents(base: Scenario, agents: int) -> tuple[Scenario, float]:
    """The scenario scaled to about ``agents`` agents, and the factor used.

    Uses :func:`sim.bench.sizes.scaled` (the same scaling as ``crimesim bench``); past
    the schema's 1,000 districts the base city has fewer, larger districts first, so
    the scaled city stays valid (at 10^7 agents: 990 districts instead of 3,960).
    """
    from sim.bench.sizes import scaled

    factor = agents / baseline_agents(base)
    districts = base.params.city.districts
    if round(districts * factor) > MAX_DISTRICTS:
        base = base.with_overrides({"city.districts": max(1, int(MAX_DISTRICTS // factor))})
    return scaled(base, factor).with_overrides({"agents.views": False}), factor


def estimated_bytes(scenario: Scenario) -> int:
    """Bytes a run of ``scenario`` needs at its peak: the model plus the build's scratch."""
    from sim.scenario.footprint import footprint_bytes

    p = scenario.params
    return footprint_bytes(p) + SCRATCH_PER_RESIDENT * int(p.residents.count)


def measure(scenario: Scenario, days: float, seed: int = 1) -> dict[str, Any]:
    """Build, warm up for a day and time ``days`` days of ``scenario``, in this process.

    Returns sizes, build time, per-day wall times, ns per agent-step (median day and
    mean), the memory figures of :func:`sim.bench.memory.model_memory` and, from
    one more day, ns per agent-step phase by phase
    (:func:`sim.bench.phase_profile.phase_profile`).
    """
    from sim.bench.sizes import agent_count
    from sim.crime.model import CrimeModel

    rss0 = current_rss_bytes()
    t0 = time.perf_counter()
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    build = time.perf_counter() - t0
    rss_built = current_rss_bytes()
    model.run_for(model.ticks_per_day)  # warm-up: kernels loaded, first plans drawn
    tpd = model.ticks_per_day
    day_seconds, day_agents = [], []
    for _ in range(max(1, round(days))):
        a0 = agent_count(model)
        t0 = time.perf_counter()
        model.run_for(tpd)
        day_seconds.append(time.perf_counter() - t0)
        day_agents.append((a0 + agent_count(model)) / 2)
    ns = [1e9 * s / (a * tpd) for s, a in zip(day_seconds, day_agents, strict=True)]
    agents = statistics.fmean(day_agents)
    phases = phase_profile(model, tpd, agent_count(model))  # one more day, phase by phase
    mem = model_memory(model)
    import numba

    return {
        "threads": numba.get_num_threads(),
        "agents": agents, "residents": model.residents.n, "cells": model.city.n_cells,
        "districts": model.city.n_districts, "offender_slots": model.offenders.capacity,
        "days": len(day_seconds), "ticks": len(day_seconds) * tpd,
        "build_seconds": build, "day_seconds": day_seconds,
        "ns_per_agent_step": statistics.median(ns),
        "ns_per_agent_step_mean": 1e9 * sum(day_seconds) / (agents * tpd * len(ns)),
        "agent_steps_per_second": 1e9 / statistics.median(ns),
        "crimes": int(model.results.column("crimes_total").sum()),
        "phases_ns_per_agent_step": phases,
        "memory": mem,
        "bytes_per_agent": (mem["agents"] + mem["agent_buffers"]) / agents,
        "population_bytes_per_agent": mem["agents"] / agents,
        "total_bytes_per_agent": (mem["total"] - mem["history"]) / agents,
        "history_bytes": mem["history"],
        "rss_import_bytes": rss0, "rss_built_bytes": rss_built,
        "peak_rss_bytes": peak_rss_bytes(),
    }


def measure_in_subprocess(scenario_path: str, agents: int, days: float,
                          seed: int = 1, threads: int = 1) -> dict[str, Any]:
    """Run :func:`measure` in a fresh interpreter (own peak RSS) on the scaled scenario.

    The child scales ``scenario_path`` to ``agents`` itself with
    :func:`scenario_for_agents`, so parent and child build the same city; it runs with
    ``NUMBA_NUM_THREADS=threads``.
    """
    spec = json.dumps({"scenario": scenario_path, "agents": agents, "days": days,
                       "seed": seed})
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
    proc = subprocess.run([sys.executable, "-m", "sim.bench.scaling", spec],
                          capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"size {agents:,} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def time_start(scenario_path: str, cache_dir: str, days: int = 2) -> dict[str, float]:
    """Spawn an interpreter that imports sim, builds the city, steps; time each part.

    Returns seconds from spawning to: ``interpreter`` ready, ``imported``, ``built``,
    ``first_step`` done, and ``all_kernels`` (the rest of ``days`` days done: every
    kernel the baseline run calls has been loaded or compiled).
    """
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    t_spawn = time.time()
    proc = subprocess.run([sys.executable, "-c", _START_SCRIPT, scenario_path, str(days)],
                          capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"start-up run failed:\n{proc.stderr[-2000:]}")
    t = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"interpreter": t["t_import"] - t_spawn, "imported": t["t_imported"] - t_spawn,
            "built": t["t_built"] - t_spawn, "first_step": t["t_first"] - t_spawn,
            "all_kernels": t["t_all"] - t_spawn}


def start_times(scenario_path: str, repeats: int = 3) -> dict[str, Any]:
    """Cold compile (empty numba cache) once, then ``repeats`` warm starts."""
    with tempfile.TemporaryDirectory(prefix="crimesim-numba-") as cache:
        cold = time_start(scenario_path, cache)
        kernels = sum(1 for _ in Path(cache).rglob("*.nbi"))
        warm = [time_start(scenario_path, cache) for _ in range(repeats)]
    best = min(warm, key=lambda w: w["first_step"])
    median = sorted(warm, key=lambda w: w["first_step"])[len(warm) // 2]
    return {"cold": cold, "cached_kernels": kernels, "warm_runs": warm,
            "warm": median, "warm_best": best,
            "cold_compile_seconds": cold["all_kernels"] - median["all_kernels"]}


def with_parallel(one: dict[str, Any], par: dict[str, Any], threads: int) -> dict[str, Any]:
    """A size's row: the one-thread figures, the parallel run beside them, efficiency."""
    return {**one, "parallel_threads": threads, "parallel": par,
            "parallel_ns_per_agent_step": par["ns_per_agent_step"],
            "parallel_efficiency": one["ns_per_agent_step"] / (threads
                                                                 * par["ns_per_agent_step"])}


def year_estimate(row: dict[str, Any]) -> dict[str, Any]:
    """A simulated year of a size, extrapolated from its parallel run's timed days."""
    par = row["parallel"]
    day = statistics.fmean(par["day_seconds"])
    return {"agents": par["agents"], "threads": row["parallel_threads"],
            "days_timed": len(par["day_seconds"]), "mean_day_seconds": day,
            "year_seconds": day * YEAR_DAYS, "bytes_per_agent": par["bytes_per_agent"]}


def run_scaling(scenario_path: str = "scenarios/baseline.toml",
                sizes: dict[int, float] | None = None, starts: int = 3,
                progress: Any = print, threads: int = PARALLEL_THREADS) -> dict[str, Any]:
    """Run the start-up and scaling measurements (each size on 1 and on ``threads``)."""
    from sim.scenario.footprint import available_bytes

    sizes = DEFAULT_SIZES if sizes is None else sizes
    base = Scenario.load(scenario_path)
    t_begin = time.perf_counter()
    result: dict[str, Any] = {
        "machine": platform.platform(), "processor": _cpu_model(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_before": os.getloadavg(), "scenario": scenario_path, "sizes": [],
        "skipped": [], "parallel_threads": threads}
    progress("start-up: cold compile (empty numba cache), then warm starts ...")
    result["start"] = start_times(scenario_path, starts)
    for agents, days in sorted(sizes.items()):
        scenario, factor = scenario_for_agents(base, agents)
        need, have = estimated_bytes(scenario), available_bytes()
        if have is not None and need > MEMORY_SHARE * have:
            note = (f"{agents:,} agents skipped: needs about {need / 1e9:.1f} GB, "
                    f"{have / 1e9:.1f} GB available (at most {MEMORY_SHARE:.0%} used)")
            result["skipped"].append({"agents": agents, "note": note})
            progress(note)
            continue
        progress(f"{agents:,} agents (scale {factor:.3g}): {days:g} days on 1 thread, "
                 f"then on {threads} ...")
        one = measure_in_subprocess(scenario_path, agents, days, threads=1)
        par = measure_in_subprocess(scenario_path, agents, days, threads=threads)
        row = {"target_agents": agents, "scale": factor, "estimated_bytes": need,
               **with_parallel(one, par, threads)}
        result["sizes"].append(row)
        if agents >= YEAR_AGENTS:
            result["year"] = year_estimate(row)
    result["load_after"] = os.getloadavg()
    result["seconds"] = time.perf_counter() - t_begin
    return result


def _cpu_model() -> str:
    """The CPU's model name (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def format_report(r: dict[str, Any]) -> str:
    """The figures as the printed table (and the lines under it)."""
    n_par = r.get("parallel_threads", PARALLEL_THREADS)
    lines = [f"scaling of the crime model on {r['processor']} ({r['cpus']} cores), "
             f"Python {r['python']}; load {r['load_before'][0]:.2f} before, "
             f"{r['load_after'][0]:.2f} after",
             f"{'agents':>11}{'cells':>11}{'days':>6}{'build s':>9}{'ns/step 1 thr':>15}"
             f"{f'ns/step {n_par} thr':>15}{'efficiency':>11}{'M steps/s':>11}"
             f"{'B/agent':>9}{'total B/agent':>15}{'peak RSS MB':>13}"]
    for s in r["sizes"]:
        par = s.get("parallel", s)
        eff = s.get("parallel_efficiency")
        lines.append(
            f"{s['agents']:>11,.0f}{s['cells']:>11,}{s['days']:>6}{s['build_seconds']:>9.2f}"
            f"{s['ns_per_agent_step']:>15.1f}{par['ns_per_agent_step']:>15.1f}"
            f"{'' if eff is None else f'{eff:.0%}':>11}"
            f"{par['agent_steps_per_second'] / 1e6:>11.1f}"
            f"{s['bytes_per_agent']:>9.1f}{s['total_bytes_per_agent']:>15.1f}"
            f"{s['peak_rss_bytes'] / 1e6:>13.0f}")
    lines += [f"  {x['note']}" for x in r["skipped"]]
    lines.append(f"parallel efficiency = t1 / ({n_par} t{n_par}) from the median days "
                 "(target >= 80% at 10^6 agents and up); M steps/s on "
                 f"{n_par} threads; results are the same for any thread count")
    y = r.get("year")
    if y:
        lines.append(f"10^7 year: {y['year_seconds']:.0f} s ({y['year_seconds'] / 60:.1f} min) "
                     f"for {y['agents']:,.0f} agents on {y['threads']} threads, extrapolated "
                     f"from {y['days_timed']} days (mean day {y['mean_day_seconds']:.2f} s; "
                     f"target < 10 min); {y['bytes_per_agent']:.1f} B per agent "
                     "(target < 100)")
    else:
        lines.append("10^7 year: not measured (no size of 10^7 agents in this run)")
    for s in r["sizes"]:
        ph = s.get("phases_ns_per_agent_step") or {}
        top = ", ".join(f"{k} {v:.1f}" for k, v in
                        [(k, v) for k, v in ph.items() if k != "other"][:5])
        if top:
            lines.append(f"  ns/agent-step by phase at {s['agents']:,.0f}: {top}; other "
                         f"{ph.get('other', 0.0):.1f}")
    if r["sizes"]:
        ns = [s["ns_per_agent_step"] for s in r["sizes"] if s["target_agents"] <= 1_000_000]
        lines.append(f"flatness 10^4..10^6: slowest/fastest ns per agent-step = "
                     f"{max(ns) / min(ns):.2f}x (target <= 1.5x); target >= 20 M "
                     "agent-steps/s at 10^6")
    st = r["start"]
    w = st["warm"]
    lines.append(f"warm start (spawn -> import sim -> baseline city built -> first step): "
                 f"{w['first_step']:.2f} s (interpreter {w['interpreter']:.2f}, import "
                 f"{w['imported'] - w['interpreter']:.2f}, build "
                 f"{w['built'] - w['imported']:.2f}, first step "
                 f"{w['first_step'] - w['built']:.2f}); best of {len(st['warm_runs'])} "
                 f"{st['warm_best']['first_step']:.2f} s (target <= 1.5 s)")
    lines.append(f"cold compile: {st['cold']['all_kernels']:.1f} s to two days done with an "
                 f"empty cache ({st['cached_kernels']} kernels cached) vs "
                 f"{w['all_kernels']:.1f} s warm: {st['cold_compile_seconds']:.1f} s compiling")
    lines.append("B/agent: population arrays plus the model's per-agent buffers over agents "
                 "(views off); total: every array incl. cell layers (not the run's history)")
    return "\n".join(lines)


def scaling_bench(args: argparse.Namespace) -> int:
    """``crimesim bench --scaling``: run, print the table, write the JSON."""
    from sim.bench.output import write_json_beside
    from sim.errors import UsageError

    try:
        sizes = parse_sizes(args.scaling_sizes) if args.scaling_sizes else None
    except ValueError as exc:
        raise UsageError(f"--scaling-sizes: {exc}") from None
    threads = getattr(args, "threads", None) or PARALLEL_THREADS
    r = run_scaling(args.scenario, sizes, progress=lambda m: print(m, flush=True),
                    threads=threads)
    print()
    print(format_report(r))
    if args.json:
        print(f"wrote {write_json_beside(args.json, 'bench_scaling.json', r)}")
    return 0


def parse_sizes(text: str) -> dict[int, float]:
    """``"1e4:40,1e5,1e6:4"`` -> {agents: days}; days default to DEFAULT_SIZES' or 2."""
    from sim.bench.sizes import agent_sizes

    return agent_sizes(text, DEFAULT_SIZES, 2.0)


def _child(spec_json: str) -> None:
    """Entry of the per-size process: measure and print one JSON line."""
    spec = json.loads(spec_json)
    scenario, _ = scenario_for_agents(Scenario.load(spec["scenario"]), spec["agents"])
    print(json.dumps(measure(scenario, spec["days"], spec["seed"])))


if __name__ == "__main__":
    _child(sys.argv[1])


__all__ = ["DEFAULT_SIZES", "PARALLEL_THREADS", "baseline_agents", "estimated_bytes",
           "format_report", "measure", "parse_sizes", "run_scaling", "scaling_bench",
           "scenario_for_agents", "start_times", "with_parallel", "year_estimate"]
