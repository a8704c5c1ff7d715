"""A sweep worker's warm-up loads every kernel a baseline run calls, with the same types.

The warm-up runs a small city (``sim.analysis.sweep.run.WARM_UP_CITY``) so a worker is
ready sooner; if a kernel were called only in a bigger city, the first run of every
worker would load (or, racing the other workers, compile) it. Each side runs in a
fresh interpreter, where no other test has loaded a kernel, and lists the compiled
signatures of every numba dispatcher in ``sim``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from repo_paths import BASELINE, ROOT

_LOADED = """
import json, sys
from numba.core.registry import CPUDispatcher
{run}
loaded = set()
for name, module in list(sys.modules.items()):
    if name.startswith("sim"):
        for obj in vars(module).values():
            if isinstance(obj, CPUDispatcher):
                f = obj.py_func
                loaded |= {{f"{{f.__module__}}.{{f.__qualname__}}{{sig}}"
                            for sig in obj.signatures}}
print(json.dumps(sorted(loaded)))
"""

_WARM_UP = "from sim.analysis.sweep.run import warm_up\nwarm_up()"
_BASELINE_TWO_DAYS = (
    "from sim.crime.model import CrimeModel\n"
    f"m = CrimeModel(scenario={str(BASELINE)!r}, rng=7, agent_views=False)\n"
    "m.run_for(2 * m.ticks_per_day)")


def _kernels_loaded_by(run: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", _LOADED.format(run=run)], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=600, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_warm_up_loads_every_kernel_of_a_baseline_run():
    baseline = _kernels_loaded_by(_BASELINE_TWO_DAYS)
    warm = _kernels_loaded_by(_WARM_UP)
    assert len(baseline) >= 30  # the listing found the kernels at all
    assert baseline - warm == set()
