"""Results are pinned: refactoring must not move a single metric or crime event.

The expected values are the pinned files, written by an earlier version of the code
(``make pin-results``), so a change anywhere in the engine that alters any draw, any
rate or any tally of the pinned runs fails here. The classic variant (every newer
mechanism switched off) is held to its own pins, for the first release's metric
columns, so those mechanisms provably change nothing when they are off; a metric column
added since is not in its pins and is not compared. (The classic pins were the first
release's results until the residents' plans moved to the counter-based stream, which
changed every variant's draws: tests/regression/pinned_runs.py.)
"""

from __future__ import annotations

import math

import pytest
from pinned_runs import SCENARIOS, SEEDS, VARIANTS, key, load_pins, run_pinned

PINS = {variant: load_pins(variant) for variant in VARIANTS}


@pytest.mark.parametrize("variant", VARIANTS)
def test_pinned_file_covers_every_run(variant):
    assert set(PINS[variant]) == {key(name, seed) for name in SCENARIOS for seed in SEEDS}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("seed", SEEDS)
def test_results_match_pinned(variant, name, seed):
    pinned = PINS[variant][key(name, seed)]
    got = run_pinned(name, seed, variant)
    assert got["events"] == pinned["events"]
    assert got["events_sha256"] == pinned["events_sha256"], "crime events changed"
    totals = pinned["metric_totals"]
    if variant == "current":
        assert set(got["metric_totals"]) == set(totals)
    else:
        assert set(totals) <= set(got["metric_totals"])
    moved = {col: (totals[col], got["metric_totals"][col]) for col in totals
             if not (got["metric_totals"][col] == totals[col]
                     or (math.isnan(got["metric_totals"][col]) and math.isnan(totals[col])))}
    assert not moved, f"metric totals moved (pinned, now): {moved}"
