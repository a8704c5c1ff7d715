"""Ten simulated years of the baseline city: memory flat, no NaN, invariants every tick.

Runs in a fresh process (``long_run_probe.py``). "Flat" means the resident set grows
by no more than the history the model is asked to keep (the per-tick metrics table
and the crime log, which grow with time by design) plus a small allowance for the
allocator: nothing else accumulates.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from repo_paths import BASELINE, ROOT

PROBE = Path(__file__).with_name("long_run_probe.py")
#: Allocator and Python-object slack allowed beyond the history kept (MB).
SLACK_MB = 25.0


def test_ten_years_of_the_baseline_city():
    done = subprocess.run([sys.executable, str(PROBE), "10", str(BASELINE)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]
    years = [json.loads(line) for line in done.stdout.splitlines()]
    assert [y["year"] for y in years] == list(range(1, 11))
    first, last = years[0], years[-1]
    print(f"peak RSS year 1 {first['peak_rss_mb']:.0f} MB, year 10 {last['peak_rss_mb']:.0f} MB; "
          f"history kept {first['history_mb']:.0f} -> {last['history_mb']:.0f} MB; "
          f"{last['seconds']:.0f} s")
    growth = last["peak_rss_mb"] - first["peak_rss_mb"]
    kept = last["history_mb"] - first["history_mb"]
    assert growth <= kept + SLACK_MB, (growth, kept)
    for y in years:
        assert y["nan"] == 0
        assert y["checks"] == y["ticks"]  # invariants checked every tick, none broken
        assert y["crimes"] > 1000 and y["offenders_free"] > 50  # the city stays alive
    crimes = [y["crimes"] for y in years]
    assert max(crimes) < 2 * min(crimes)  # no drift to explosion or extinction
