"""The Slurm example builds a valid batch script for single-threaded crimesim workers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sweep_support import ROOT

pytest.importorskip("dask_jobqueue")


def test_slurm_example_prints_a_worker_job_script():
    done = subprocess.run(
        [sys.executable, str(ROOT / "experiments" / "slurm_cluster.py"),
         "experiments/quick_sweep.toml", "--partition", "short", "--walltime", "00:30:00",
         "--module", "python/3.12", "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    script = done.stdout
    assert script.startswith("#!/usr/bin/env bash")
    assert "#SBATCH -p short" in script and "#SBATCH -t 00:30:00" in script
    assert "#SBATCH --cpus-per-task=1" in script
    assert "export NUMBA_NUM_THREADS=1" in script
    assert "module load python/3.12" in script
    assert "--nthreads 1" in script and "--lifetime 110m" in script
