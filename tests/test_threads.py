"""Thread count and threading layer of the parallel kernels (sim.kernels.threads).

Two Python threads stepping two models at once launch parallel kernels concurrently
(the dashboard does this); numba's workqueue layer aborts the process then, so the
package picks a thread-safe layer. Pool workers run their kernels on one thread.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numba
import pytest
from cli_support import assert_usage_error, crimesim

from sim.analysis.executor import ProcessExecutor
from sim.kernels.threads import OnOneThread, max_threads, set_threads

ROOT = Path(__file__).resolve().parents[1]

_TWO_THREADS = """
import threading
import numba
import numpy as np
from sim.crime.model import CrimeModel

def run(seed, out):
    m = CrimeModel(scenario="scenarios/baseline.toml", rng=seed, agent_views=False)
    m.run_for(24 * 3)
    out[seed] = m.results.column("crimes_total").copy(), m.residents.fear.copy()

together, alone = {}, {}
threads = [threading.Thread(target=run, args=(s, together)) for s in (1, 2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for s in (1, 2):
    run(s, alone)
    for a, b in zip(together[s], alone[s]):
        assert np.array_equal(a, b), s
print(numba.threading_layer())
"""


def test_two_models_stepping_in_two_threads_do_not_crash():
    """Fresh interpreter (a crash must not take pytest with it): two baseline models (30,000
    residents: the plans' prange has 8 blocks) step 3 days at once in two threads, then
    alone; the results are the same and the layer is not workqueue."""
    proc = subprocess.run([sys.executable, "-c", _TWO_THREADS], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] in ("omp", "tbb")


def _threads_in_worker(_: int) -> int:
    return numba.get_num_threads()


def test_process_pool_workers_run_one_thread():
    assert ProcessExecutor(2).map(_threads_in_worker, [0, 1]) == [1, 1]


def test_dask_jobs_set_one_thread_in_the_thread_that_runs_them():
    got = []
    worker = threading.Thread(target=lambda: got.append(OnOneThread(_threads_in_worker)(0)))
    worker.start()
    worker.join()
    assert got == [1]


def test_set_threads_checks_its_bounds():
    before = numba.get_num_threads()
    try:
        set_threads(1)
        assert numba.get_num_threads() == 1
        for bad in (0, max_threads() + 1, 1.5, True):
            with pytest.raises(ValueError, match="threads"):
                set_threads(bad)
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize("command", [("run", "scenarios/baseline.toml"), ("bench",)])
def test_threads_flag_refuses_more_than_numba_has(capsys, command):
    code, _, err = crimesim(capsys, *command, "--threads", str(max_threads() + 1))
    assert_usage_error(code, err, "--threads", f"at most {max_threads()}")


def test_run_with_threads_sets_them(capsys, tmp_path):
    before = numba.get_num_threads()
    try:
        code, _, err = crimesim(capsys, "run", "scenarios/baseline.toml", "--days", "1",
                                "--threads", "1", "--quiet")
        assert code == 0, err
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(before)
