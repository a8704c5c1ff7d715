"""Sweeps on a real Dask cluster (a LocalCluster on loopback): same rows as in-process."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_support import write_experiment

from sim.analysis.dask_executor import DaskExecutor
from sim.analysis.executor import InProcessExecutor, ProcessExecutor
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment

distributed = pytest.importorskip("distributed")


def _rows(out) -> pd.DataFrame:
    df = pd.read_parquet(out / "results")
    return df.sort_values("run_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    exp = load_experiment(write_experiment(folder, top={"record": "day"}))
    base = folder / "in_process"
    run_sweep(exp, base, InProcessExecutor())
    return exp, folder, _rows(base)


def test_local_cluster_gives_the_same_rows_as_in_process(experiment):
    exp, folder, expected = experiment
    with DaskExecutor(workers=2) as ex:
        assert ex.workers == 2
        assert set(ex.startup_seconds.values()) and all(
            s >= 0 for s in ex.startup_seconds.values())
        address = ex.client.scheduler.address
        assert address.startswith("tcp://127.0.0.1:")  # loopback only
        env = ex.client.run(lambda: __import__("os").environ.get("NUMBA_NUM_THREADS"))
        assert set(env.values()) == {"1"}
        summary = run_sweep(exp, folder / "dask", ex, executor_name="dask")
    assert summary.done == 8
    pd.testing.assert_frame_equal(_rows(folder / "dask"), expected, check_exact=True)


def test_existing_scheduler_and_process_pool_give_the_same_rows(experiment):
    exp, folder, expected = experiment
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                           dashboard_address=None)
    with cluster, DaskExecutor(address=cluster.scheduler_address) as ex:
        run_sweep(exp, folder / "remote", ex)
    pd.testing.assert_frame_equal(_rows(folder / "remote"), expected, check_exact=True)
    run_sweep(exp, folder / "pool", ProcessExecutor(2))
    pd.testing.assert_frame_equal(_rows(folder / "pool"), expected, check_exact=True)


def test_failing_run_on_the_cluster_is_recorded(experiment, tmp_path, monkeypatch):
    exp, _, expected = experiment
    victim = expected["run_id"].iloc[0]
    # Workers inherit the variable: they are spawned after it is set.
    monkeypatch.setenv("CRIMESIM_FAIL_RUN", victim)
    with DaskExecutor(workers=1, warm=False) as ex:
        summary = run_sweep(exp, tmp_path / "out", ex, retries=1)
    assert (summary.done, summary.failed) == (7, 1)
    assert victim in summary.failures


def test_unreachable_scheduler_is_one_message():
    with pytest.raises(ConnectionError, match="cannot connect"):
        DaskExecutor(address="tcp://127.0.0.1:9", warm=False, connect_timeout=2).start()
