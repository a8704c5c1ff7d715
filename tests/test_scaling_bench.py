"""Benchmark 3 (sim/bench/scaling.py): sizes, figures, report and CLI wiring.

The full benchmark takes minutes (a cold compile, then up to 10^7 agents); these tests
run its parts on tiny cities and check the arithmetic and the wiring.
"""

from __future__ import annotations

import argparse
import json

import pytest

from sim.bench import scaling as sb
from sim.scenario import Scenario


@pytest.fixture(scope="module")
def base(baseline: Scenario) -> Scenario:
    return baseline


def test_parse_sizes():
    assert sb.parse_sizes("1e4:40, 1e5") == {10_000: 40.0, 100_000: 12.0}
    assert sb.parse_sizes("2000") == {2000: 2.0}
    with pytest.raises(ValueError):
        sb.parse_sizes("0")


@pytest.mark.parametrize("agents", [10_000, 1_000_000])
def test_scaled_scenarios_have_about_the_agents_asked_for(base, agents):
    sc, factor = sb.scenario_for_agents(base, agents)
    p = sc.params
    n = (p.residents.count + p.offenders.count + p.police.count + p.services.count
         + p.security.guards)
    assert abs(n - agents) / agents < 0.01
    assert factor == pytest.approx(agents / sb.baseline_agents(base))
    assert p.agents.views is False


def test_ten_million_agents_keep_the_schema_valid(base):
    sc, factor = sb.scenario_for_agents(base, 10_000_000)
    assert sc.params.city.districts <= sb.MAX_DISTRICTS
    assert sc.params.residents.count > 9_000_000
    assert sb.estimated_bytes(sc) > 10_000_000 * 100


def test_measure_reports_time_and_memory_per_agent(base):
    small = base.with_overrides({"city.width": 30, "city.height": 30, "city.districts": 3,
                                 "residents.count": 1500, "offenders.count": 30,
                                 "police.count": 3, "services.count": 2,
                                 "security.guards": 2, "city.schools": 2})
    r = sb.measure(small, days=2)
    assert r["days"] == 2 and r["ticks"] == 48 and len(r["day_seconds"]) == 2
    assert r["ns_per_agent_step"] > 0
    assert r["agent_steps_per_second"] == pytest.approx(1e9 / r["ns_per_agent_step"])
    assert 1500 <= r["agents"] <= 1600
    mem = r["memory"]
    assert r["bytes_per_agent"] == pytest.approx(
        (mem["agents"] + mem["agent_buffers"]) / r["agents"])
    assert r["peak_rss_bytes"] >= r["rss_built_bytes"] > 0
    phases = r["phases_ns_per_agent_step"]
    assert {"place residents", "offenders' hour", "daily tasks", "other"} <= set(phases)
    assert all(v >= 0 for k, v in phases.items() if k != "other")
    json.dumps(r)  # what the child process prints


def test_phase_profile_times_the_plan_and_changes_nothing(small_scenario):
    import pandas as pd

    from sim.bench.phase_profile import phase_labels, phase_profile
    from sim.crime.model import CrimeModel
    from sim.crime.plan import HOURLY_PLAN

    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    phases = phase_profile(model, 24, 3000)
    assert set(phases) - {"other"} <= set(phase_labels(model))
    assert phases["place residents"] > 0 and phases["daily tasks"] > 0
    assert set(phase_labels(model)) >= {ph.name for ph in HOURLY_PLAN}
    detail = phase_profile(model, 24, 3000, daily_detail=True)
    assert detail["daily: residents' plans"] > 0 and "daily tasks" not in detail
    plain = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    plain.run_for(48)
    pd.testing.assert_frame_equal(model.results.to_frame(), plain.results.to_frame())


def test_instrument_wraps_every_phase_until_removed(small_scenario):
    from sim.crime.model import CrimeModel

    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    seen: list[str] = []

    def wrap(phase):
        def run(state, levers, clock):
            seen.append(phase.name)
            phase.run(state, levers, clock)
        return run

    model.instrument(wrap)
    model.run_for(2)
    daily_plan, hourly_plan = model.plan
    names = [ph.name for ph in hourly_plan]
    assert seen == [ph.name for ph in daily_plan] + names + names
    model.instrument(None)
    model.run_for(1)
    assert len(seen) == len(daily_plan) + 2 * len(names)


def fake_size(agents: float, ns: float, ns_two: float, day_seconds: list[float]) -> dict:
    one = {"agents": agents, "cells": 3249, "days": len(day_seconds), "build_seconds": 0.2,
           "ns_per_agent_step": ns, "agent_steps_per_second": 1e9 / ns,
           "bytes_per_agent": 99.0, "total_bytes_per_agent": 150.0, "peak_rss_bytes": 3e8,
           "day_seconds": day_seconds}
    two = dict(one, ns_per_agent_step=ns_two, agent_steps_per_second=1e9 / ns_two,
               day_seconds=[d * ns_two / ns for d in day_seconds], bytes_per_agent=95.0)
    return {"target_agents": round(agents, -3), **sb.with_parallel(one, two, 2)}


def fake_result() -> dict:
    size = fake_size(10_010.0, 40.0, 25.0, [0.01] * 40)
    big = fake_size(1_000_100.0, 20.0, 12.5, [0.5] * 4)
    huge = fake_size(10_000_000.0, 30.0, 16.0, [7.5, 8.5])  # 2-thread days 4.0 and 4.533 s
    start = {"interpreter": 0.05, "imported": 1.0, "built": 1.3, "first_step": 1.35,
             "all_kernels": 1.5}
    return {"processor": "test cpu", "cpus": 2, "python": "3.12", "load_before": (0.5, 0, 0),
            "load_after": (0.6, 0, 0), "sizes": [size, big, huge], "parallel_threads": 2,
            "year": sb.year_estimate(huge),
            "skipped": [{"agents": 30_000_000, "note": "30,000,000 agents skipped: test"}],
            "start": {"cold": dict(start, all_kernels=20.0), "warm": start,
                      "warm_best": start, "warm_runs": [start], "cached_kernels": 30,
                      "cold_compile_seconds": 18.5}}


def test_parallel_efficiency_and_year_by_hand():
    row = fake_size(1_000_000.0, 20.0, 12.5, [0.5] * 4)
    assert row["parallel_efficiency"] == pytest.approx(20.0 / (2 * 12.5))  # 0.8
    assert row["parallel_ns_per_agent_step"] == 12.5
    assert row["ns_per_agent_step"] == 20.0  # the one-thread figures stay the row's own
    y = sb.year_estimate(fake_size(10_000_000.0, 30.0, 16.0, [7.5, 8.5]))
    # two-thread days: 7.5 * 16 / 30 = 4.0 s and 8.5 * 16 / 30 = 4.5333 s; mean * 365
    assert y["year_seconds"] == pytest.approx((4.0 + 4.5333333) / 2 * 365)
    assert y["days_timed"] == 2 and y["threads"] == 2 and y["bytes_per_agent"] == 95.0


def test_report_shows_the_table_and_the_targets():
    text = sb.format_report(fake_result())
    assert "ns/step 1 thr" in text and "ns/step 2 thr" in text and "1,000,100" in text
    assert "80%" in text  # 20 / (2 x 12.5) at 10^6
    assert "2.00x" in text  # 40 ns at 10^4 over 20 ns at 10^6 (one thread)
    assert "30,000,000 agents skipped" in text
    assert "10^7 year: 1557 s (26.0 min)" in text and "from 2 days" in text
    assert "warm start" in text and "1.35 s" in text
    assert "cold compile" in text and "18.5 s" in text


def test_cli_flag_runs_the_scaling_bench(monkeypatch, tmp_path, capsys):
    from sim.cli import bench

    seen = {}

    def fake_run(scenario, sizes, progress=print, threads=2):
        seen["sizes"] = sizes
        seen["threads"] = threads
        return fake_result()

    monkeypatch.setattr(sb, "run_scaling", fake_run)
    parser = argparse.ArgumentParser()
    bench.add_parser(parser.add_subparsers())
    args = parser.parse_args(["bench", "--scaling", "--scaling-sizes", "1e4:3",
                              "--json", str(tmp_path / "bench.json")])
    assert args.func(args) == 0
    assert seen["sizes"] == {10_000: 3.0}
    assert seen["threads"] == 2
    out = json.loads((tmp_path / "bench_scaling.json").read_text())
    assert out["sizes"][0]["ns_per_agent_step"] == 40.0
    assert out["sizes"][0]["parallel_ns_per_agent_step"] == 25.0
    assert out["year"]["days_timed"] == 2
    assert "ns/step 2 thr" in capsys.readouterr().out


def test_each_size_runs_in_a_process_with_the_threads_asked_for(base):
    """A cheap size (2,000 agents, one day) on one thread and on two."""
    for threads in (1, 2):
        r = sb.measure_in_subprocess("scenarios/baseline.toml", 2000, 1, threads=threads)
        assert r["threads"] == threads
        assert r["days"] == 1 and r["ns_per_agent_step"] > 0
