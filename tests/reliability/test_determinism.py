"""Determinism: a cold numba cache (kernels compiled afresh) changes nothing.

Other determinism checks live beside the code they cover: across processes and hash
seeds (tests/test_reproducibility.py), in-process vs a process pool vs a Dask
LocalCluster vs a cluster by address (tests/sweep/test_dask_executor.py), after a
resume or a killed worker (tests/reliability/test_sweep_faults.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
from cli_support import crimesim
from repo_paths import BASELINE, ROOT, small_set_args


def test_cold_numba_cache_gives_bit_identical_metrics(tmp_path, capsys):
    args = ["run", str(BASELINE), "--days", "4", "--seed", "11", "--quiet", *small_set_args()]
    code, _, err = crimesim(capsys, *args, "--out", tmp_path / "warm")
    assert code == 0, err
    cache = tmp_path / "empty_cache"
    cache.mkdir()
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-m", "sim.cli.main", *args, "--out",
                           str(tmp_path / "cold")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert any(cache.rglob("*.nbi")), "the kernels were not compiled into the empty cache"
    warm = pd.read_parquet(tmp_path / "warm" / "metrics.parquet")
    cold = pd.read_parquet(tmp_path / "cold" / "metrics.parquet")
    pd.testing.assert_frame_equal(cold, warm, check_exact=True)
