"""``import sim`` gets Mesa without its logging set-up reading source files, and Mesa's
logging is unchanged (sim/mesa_import.py).

Each check runs in a fresh interpreter: Mesa is imported once per process, and by the
time this test runs the test process has imported it long ago.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

from repo_paths import ROOT

from sim.mesa_import import cheap_frame_inspection


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return out.stdout.strip()


_COUNT_SOURCE_READS = """
import inspect
reads = []
real = inspect.findsource
def findsource(obj):
    reads.append(obj)
    return real(obj)
inspect.findsource = findsource
{imports}
print(len(reads))
"""


def test_importing_sim_reads_no_source_file_for_mesas_loggers():
    """Mesa's ``inspect.stack()`` reads the source of every frame on the import stack
    (about fifty while sim imports it); under sim/mesa_import.py it reads none."""
    assert _run(_COUNT_SOURCE_READS.format(imports="import sim")) == "0"
    # The count is real: the same import of plain Mesa, first, reads source files.
    assert int(_run(_COUNT_SOURCE_READS.format(imports="import mesa\nimport sim"))) > 0


def test_mesas_loggers_are_the_same_and_inspect_is_restored():
    code = """
import inspect, logging
real = (inspect.stack, inspect.getouterframes, inspect.getmodule)
import sim, mesa
assert (inspect.stack, inspect.getouterframes, inspect.getmodule) == real
assert "MESA.mesa.model" in logging.root.manager.loggerDict

records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())
logger = logging.getLogger("MESA.mesa.model")
logger.addHandler(Keep())
logger.setLevel(logging.DEBUG)
mesa.Model(rng=1)
print(records[0].split(" with ")[0])
"""
    # method_logger names the class from the caller's frame: "Model", as without sim.
    assert _run(code) == "calling Model.__init__"


def test_cheap_stack_gives_the_callers_and_their_modules():
    def caller():
        with cheap_frame_inspection():
            return inspect.stack(), inspect.getmodule(inspect.stack()[0].frame)

    stack, module = caller()
    assert [f.function for f in stack[:2]] == ["caller", "test_cheap_stack_gives_the_callers_"
                                                          "and_their_modules"]
    assert stack[0].filename == __file__ and stack[0].code_context is None
    assert module is sys.modules[__name__]
    assert inspect.stack()[0].code_context is not None  # restored after the block
