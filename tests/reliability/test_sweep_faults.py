"""Sweeps survive faults: a killed worker, a full disk, a refused write, a killed sweep.

After each fault every run is stored exactly once and the rows are bit-identical to
an undisturbed sweep's (the killed-sweep case is in tests/sweep/test_sweep_cli.py).
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pandas as pd
import pytest
from sweep_support import write_experiment

from sim.analysis.dask_executor import DaskExecutor
from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep import store as store_module
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment
from sim.analysis.sweep.store import ResultStore


def _rows(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "results").sort_values("run_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    exp = load_experiment(write_experiment(
        folder, top={"days": 4, "replications": 3},
        parameters={"offenders.count": [20, 60], "police.count": [2, 8]}))
    run_sweep(exp, folder / "reference", InProcessExecutor())
    return exp, _rows(folder / "reference")


def _assert_complete(out: Path, expected: pd.DataFrame) -> None:
    got = _rows(out)
    assert got["run_id"].is_unique
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert not list(out.rglob(".tmp-*"))


def test_a_worker_killed_mid_sweep_has_its_run_redone_elsewhere(undisturbed, tmp_path):
    exp, expected = undisturbed
    out = tmp_path / "out"
    killed: list[int] = []
    with DaskExecutor(workers=2) as ex:
        pids = list(ex.client.run(os.getpid).values())

        def kill_one(summary) -> None:
            if summary.done == 2 and not killed:
                os.kill(pids[0], signal.SIGKILL)  # the nanny starts a new worker
                killed.append(pids[0])

        summary = run_sweep(exp, out, ex, progress=kill_one)
    assert killed and summary.failed == 0
    assert summary.done == len(expected)
    _assert_complete(out, expected)


class _FailingWrites:
    """Make the n-th Parquet write fail after writing half a file, like a full disk."""

    def __init__(self, n: int, error: OSError):
        self.n = n
        self.calls = 0
        self.error = error
        self.real = store_module.pq.write_table

    def __call__(self, table, where, **kw) -> None:
        self.calls += 1
        if self.calls == self.n:
            Path(where).write_bytes(b"PAR1 half a file")
            raise self.error
        self.real(table, where, **kw)


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   PermissionError(errno.EACCES, "Permission denied")],
                         ids=["disk-full", "permission"])
def test_a_failed_write_stops_cleanly_and_resume_completes(undisturbed, tmp_path,
                                                           monkeypatch, error):
    exp, expected = undisturbed
    out = tmp_path / "out"
    # Writes: design table first, then one part per run (flush_seconds=0): the 4th
    # write is the third run's part.
    failing = _FailingWrites(4, error)
    monkeypatch.setattr(store_module.pq, "write_table", failing)
    with pytest.raises(OSError):
        run_sweep(exp, out, InProcessExecutor(), flush_seconds=0)
    monkeypatch.undo()
    stored = ResultStore(out)
    # Two runs were stored before the failure; the one in hand is written once more on
    # the way out (the fault was one write). The half file never got a part's name.
    n = len(stored.stored_run_ids())
    assert n == len(stored.parts()) == 3
    assert not list(out.rglob(".tmp-*"))
    summary = run_sweep(exp, out, InProcessExecutor(), resume=True)
    assert summary.skipped == n and summary.done == len(expected) - n
    _assert_complete(out, expected)


def test_cli_reports_a_full_disk_in_one_line(tmp_path, capsys, monkeypatch):
    from cli_support import assert_usage_error, crimesim

    exp = write_experiment(tmp_path, top={"replications": 1}, parameters={"police.count": [2]})
    monkeypatch.setattr(store_module.pq, "write_table",
                        _FailingWrites(2, OSError(errno.ENOSPC, "No space left on device")))
    code, _, err = crimesim(capsys, "sweep", exp, "--in-process", "--out", tmp_path / "o",
                            "--no-progress", "--quiet")
    assert_usage_error(code, err, "No space left on device", "rerun with --resume")
