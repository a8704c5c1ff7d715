"""What a sweep worker imports before its first run, checked without timing anything.

A Dask worker spawned by ``crimesim sweep`` re-imports the console script's module
(``sim.cli.main``), then unpickles its warm-up (``sim.analysis.dask_executor``) and its
job function (``sim.analysis.sweep.run``). Each module listed below was found
unneeded there and kept out (docs/performance.md, Sweeps on Dask); an import added at
the top of a module on that path that pulls one back in fails here, in a fresh
interpreter, before it shows up as a slower start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from repo_paths import ROOT

#: What a worker imports, in the order it does.
WORKER_IMPORTS = ("sim.cli.main", "sim.analysis.dask_executor", "sim.analysis.sweep.run")

#: sim modules a worker does not need: the other model families' packages and the
#: experiment files' loader (imported by sim.cli.main's ``main()``, not at its top).
NOT_SIM = ("sim.families", "sim.reference", "sim.analysis.sweep.spec", "sim.crime.report",
           "sim.crime.output", "sim.dashboard", "sim.report", "sim.geo", "sim.bench")

#: Libraries of other commands (figures, reports, search, the dashboard, city import).
NOT_LIBRARIES = ("matplotlib", "SALib", "optuna", "ema_workbench", "jinja2", "duckdb",
                 "solara", "geopandas", "shapely", "pyproj", "rasterio", "pyrosm")


def _modules_after(imports: tuple[str, ...]) -> set[str]:
    code = (f"import json, sys\nimport {', '.join(imports)}\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_worker_imports_no_other_family_and_no_other_commands_library():
    loaded = _modules_after(WORKER_IMPORTS)
    assert {"sim.crime.model", "sim.interventions"} <= loaded  # the imports did run
    tops = {name for name in loaded if name.split(".")[0] in NOT_LIBRARIES}
    assert tops == set()
    sims = {name for name in loaded if name in NOT_SIM or name.startswith(
        tuple(f"{m}." for m in NOT_SIM))}
    assert sims == set()


def test_the_command_line_still_reports_a_user_error_in_one_line():
    """The errors main() reports are imported inside it: a bad experiment file is still
    one ``crimesim: error:`` line and exit status 2."""
    out = subprocess.run([sys.executable, "-m", "sim.cli.main", "sweep", "no_such_file.toml"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2
    assert out.stderr.startswith("crimesim: error:")
    assert len(out.stderr.strip().splitlines()) == 1
