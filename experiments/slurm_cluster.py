r"""Run a crimesim sweep on a Slurm cluster with dask-jobqueue.

On the cluster's login node, in the project's environment::

    pip install -e '.[slurm]'          # adds dask-jobqueue
    python experiments/slurm_cluster.py experiments/quick_sweep.toml \
        --jobs 20 --partition normal --walltime 02:00:00 --out out/quick_sweep

This starts a Dask scheduler here, asks Slurm for ``--jobs`` single-core worker jobs
(each a ``dask worker`` with ``NUMBA_NUM_THREADS=1``), runs the sweep on them exactly
as ``crimesim sweep`` does, and releases the jobs at the end. If the login node may
not run long processes, start the scheduler elsewhere (``--print-address`` keeps the
cluster up and prints its address) and point the sweep at it from anywhere::

    crimesim sweep experiments/quick_sweep.toml --scheduler tcp://HOST:PORT --resume

``--resume`` makes the sweep safe to restart when jobs hit their wall time: stored
runs are skipped. ``--dry-run`` prints the batch script Slurm would get, and stops.

Workers share the project's source tree (a shared file system): numba's kernel cache
sits beside the kernels, so warm it once (``crimesim run scenarios/baseline.toml
--days 1``) before a big sweep, or give each node its own ``NUMBA_CACHE_DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_cluster(args: argparse.Namespace):  # noqa: ANN201 - dask_jobqueue is optional
    """A SLURMCluster of single-core, single-thread worker jobs."""
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        sys.exit("dask-jobqueue is missing: pip install -e '.[slurm]'")
    return SLURMCluster(
        cores=1, processes=1, memory=args.memory, walltime=args.walltime,
        queue=args.partition, account=args.account, job_name="crimesim-worker",
        scheduler_options={"dashboard_address": None},
        job_script_prologue=[
            f"cd {ROOT}",
            "export NUMBA_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1",
            *(f"module load {m}" for m in args.module),
        ],
        worker_extra_args=["--lifetime", args.lifetime, "--lifetime-stagger", "2m"],
    )


def main(argv: list[str] | None = None) -> int:
    """Parse flags, start the Slurm workers, run the sweep (or print the job script)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("experiment", help="experiment TOML file")
    p.add_argument("--jobs", type=int, default=10, help="worker jobs to request")
    p.add_argument("--partition", default=None, help="Slurm partition (queue)")
    p.add_argument("--account", default=None, help="Slurm account to charge")
    p.add_argument("--walltime", default="02:00:00", help="wall time of each worker job")
    p.add_argument("--lifetime", default="110m",
                   help="workers retire gracefully before the wall time kills them")
    p.add_argument("--memory", default="2GB", help="memory per worker job")
    p.add_argument("--module", action="append", default=[], help="`module load` this first")
    p.add_argument("--out", default=None, help="output folder (default out/<name>)")
    p.add_argument("--dry-run", action="store_true", help="print the job script and stop")
    p.add_argument("--print-address", action="store_true",
                   help="keep the cluster up, print the scheduler address, wait for Ctrl-C")
    args = p.parse_args(argv)

    cluster = build_cluster(args)
    try:
        if args.dry_run:
            print(cluster.job_script())
            return 0
        cluster.scale(jobs=args.jobs)
        if args.print_address:
            print(f"scheduler: {cluster.scheduler_address}  (Ctrl-C to release the jobs)")
            while True:
                time.sleep(60)
        from sim.cli.main import main as crimesim

        flags = ["--scheduler", cluster.scheduler_address, "--resume"]
        if args.out:
            flags += ["--out", args.out]
        return crimesim(["sweep", args.experiment, *flags])
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.close()


if __name__ == "__main__":
    sys.exit(main())
