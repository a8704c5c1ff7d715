"""What a sweep keeps: daily and window figures against plain loops; concentration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.sweep.metrics import (
    STOCKS,
    check_metrics,
    concentration,
    daily_rows,
    window_values,
)


def _frame(rng: np.random.Generator, days: int = 3, tpd: int = 24) -> pd.DataFrame:
    ticks = np.arange(days * tpd)
    return pd.DataFrame({"tick": ticks, "day": ticks // tpd,
                         "crimes_total": rng.poisson(2, ticks.size),
                         "offenders_free": rng.integers(10, 20, ticks.size),
                         "legitimacy_everyone": rng.random(ticks.size)})


def test_daily_rows_sum_flows_and_read_stocks_at_day_end():
    frame = _frame(np.random.default_rng(3))
    metrics = ["crimes_total", "offenders_free", "legitimacy_everyone"]
    got = daily_rows(frame, metrics)
    assert got["day"].tolist() == [0, 1, 2]
    for d in range(3):
        part = frame[frame.day == d]
        assert got.loc[d, "crimes_total"] == part.crimes_total.sum()
        assert got.loc[d, "offenders_free"] == part.offenders_free.iloc[-1]
        assert got.loc[d, "legitimacy_everyone"] == part.legitimacy_everyone.iloc[-1]
    assert "offenders_free" in STOCKS and "crimes_total" not in STOCKS


def test_window_values_skip_the_warm_up():
    frame = _frame(np.random.default_rng(4))
    got = window_values(frame, ["crimes_total", "offenders_free"], start_tick=24)
    assert got["crimes_total"] == frame.crimes_total[24:].sum()
    assert got["offenders_free"] == frame.offenders_free.iloc[-1]


def test_concentration_against_sorting():
    rng = np.random.default_rng(5)
    counts = rng.poisson(rng.gamma(0.3, 3, 1000))
    for share in (0.01, 0.05, 0.2):
        k = round(share * counts.size)
        naive = np.sort(counts)[::-1][:k].sum() / counts.sum()
        assert concentration(counts, share) == pytest.approx(naive)
    assert np.isnan(concentration(np.zeros(10), 0.05))
    assert concentration(counts.reshape(20, 50), 0.05) == concentration(counts, 0.05)


def test_check_metrics_rejects_unknown_and_misplaced():
    check_metrics(["crimes_total", "prevalence_youth"], "final")
    with pytest.raises(ValueError, match="not a metric"):
        check_metrics(["hour"], "tick")
    with pytest.raises(ValueError, match="once per run"):
        check_metrics(["cost_total"], "tick")
