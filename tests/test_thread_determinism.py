"""Same scenario and seed, same results with 1 and with 2 numba threads.

The parallel kernels (residents' plans from the counter stream, the hourly placement's
parallel counting sort, the near-repeat field and the daily fear) must not let the
thread count into the results. Each run is a fresh interpreter with
``NUMBA_NUM_THREADS`` set (numba reads it at start-up), on the baseline scaled to
150,000 residents: two placement blocks (``2 * MIN_PLACE_BLOCK``) and, above
``PARALLEL_MIN``, the parallel plans (37 blocks) and fear, so both threads get work
(the near-repeat field's 50,000 cells stay serial; its parallel kernel is compared
with the serial one in tests/kernels/test_near_repeat.py). The metrics frame, the
event log and the final arrays must be equal exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.kernels.routines import MIN_PLACE_BLOCK
from sim.kernels.threads import PARALLEL_MIN

ROOT = Path(__file__).resolve().parents[1]
DAYS = 3
FACTOR = 5.0  # 30,000 residents x 5

_CHILD = """
import sys
import numba
import numpy as np
from sim.bench.sizes import scaled
from sim.crime.model import CrimeModel
from sim.scenario import Scenario

out, days, factor = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
scenario = scaled(Scenario.load("scenarios/baseline.toml"), factor)
m = CrimeModel(scenario=scenario, rng=11, agent_views=False)
m.run_for(24 * days)
res, c = m.residents, m.state.city.arrays
m.results.to_frame().to_parquet(out + "/metrics.parquet")
m.events.to_frame().to_parquet(out + "/events.parquet")
np.savez(out + "/arrays.npz", threads=numba.get_num_threads(), n=res.n, pos=res.pos,
         state=res.state, fear=res.fear, legitimacy=res.legitimacy,
         public_order=res.public_order, public_start=res.public_start,
         household_home=res.household_home, day_cell=res.day_cell, eve_cell=res.eve_cell,
         route_frac=res.route_frac, victims=res.victim_counts, b=c.b,
         off_pos=m.offenders.pos, off_state=m.offenders.state)
"""


def run_with_threads(out: Path, threads: int) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    out.mkdir()
    env = {**os.environ, "NUMBA_NUM_THREADS": str(threads)}
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(out), str(DAYS), str(FACTOR)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    arrays = dict(np.load(out / "arrays.npz"))
    return (pd.read_parquet(out / "metrics.parquet"), pd.read_parquet(out / "events.parquet"),
            arrays)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("threads")
    return {t: run_with_threads(base / str(t), t) for t in (1, 2)}


def test_the_runs_used_the_threads_asked_for_and_split_the_work(runs):
    for t, (_, _, arrays) in runs.items():
        assert int(arrays["threads"]) == t
        assert int(arrays["n"]) >= 2 * MIN_PLACE_BLOCK
        assert int(arrays["n"]) >= PARALLEL_MIN


def test_metrics_and_events_equal_with_one_and_two_threads(runs):
    (m1, e1, _), (m2, e2, _) = runs[1], runs[2]
    assert m1["crimes_total"].sum() > 0
    pd.testing.assert_frame_equal(m1, m2, check_exact=True)
    pd.testing.assert_frame_equal(e1, e2, check_exact=True)


def test_final_arrays_equal_with_one_and_two_threads(runs):
    a1, a2 = runs[1][2], runs[2][2]
    for name in a1:
        if name != "threads":
            np.testing.assert_array_equal(a1[name], a2[name], err_msg=name)
