"""Results are pinned: refactoring must not move a single metric or crime event.

The expected values are the pinned file, written by an earlier version of the code
(``make pin-results``), so a change anywhere in the engine that
alters any draw, any rate or any tally of the pinned runs fails here.
"""

from __future__ import annotations

import math

import pytest
from pinned_runs import SCENARIOS, SEEDS, key, load_pins, run_pinned

PINS = load_pins()


def test_pinned_file_covers_every_run():
    assert set(PINS) == {key(name, seed) for name in SCENARIOS for seed in SEEDS}


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("seed", SEEDS)
def test_results_match_pinned(name, seed):
    pinned = PINS[key(name, seed)]
    got = run_pinned(name, seed)
    assert got["events"] == pinned["events"]
    assert got["events_sha256"] == pinned["events_sha256"], "crime events changed"
    assert set(got["metric_totals"]) == set(pinned["metric_totals"])
    moved = {col: (pinned["metric_totals"][col], value)
             for col, value in got["metric_totals"].items()
             if not (value == pinned["metric_totals"][col]
                     or (math.isnan(value) and math.isnan(pinned["metric_totals"][col])))}
    assert not moved, f"metric totals moved (pinned, now): {moved}"
