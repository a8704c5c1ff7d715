"""Import Mesa without paying for its logging set-up's stack inspection.

Mesa 3.5 names two loggers by looking at the call stack while ``mesa.model`` is being
imported: ``create_module_logger()`` calls ``inspect.stack()`` to find the calling
module, and the ``method_logger`` decorator on ``Model.__init__`` calls
``inspect.getouterframes()`` to find the class name. Both build a full ``FrameInfo`` for
every frame of the import stack, which reads the source file of each frame and, for
each frame of the import machinery (``<frozen importlib._bootstrap>``, no file),
scans all of ``sys.modules`` again; ``inspect.getmodule`` also resolves every loaded
module's path once (``os.path.realpath``, an ``lstat`` per path component). With the
1,200-1,400 modules loaded by then (numpy, pandas, scipy, networkx) and a deep import
stack (``import sim`` from a script, or a Dask worker re-running its main module), that
was 0.24 s of a 1.6 s ``import sim`` on a nearly idle 2-core machine and up to 0.76 s
under load -- the largest single item, larger than importing networkx
(docs/performance.md, Sweeps on Dask).

Only the *names* are used: the calling module and the caller's function name. While
Mesa is imported here, ``inspect.stack`` and ``inspect.getouterframes`` return the same
frames without source context (as ``context=0`` would, a documented value), and
``inspect.getmodule`` answers for a frame from the frame's own globals; afterwards the
three functions are restored. The loggers Mesa creates are the same (``MESA.mesa.model``,
and ``Model.__init__``'s debug line names ``Model``). ``sim/__init__.py`` imports this
module first, so every ``import sim...`` gets Mesa this way; a process that imported
Mesa before ``sim`` has already paid, and nothing changes for it.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Iterator
from types import FrameType, ModuleType
from typing import Any


def _frame_infos(frame: FrameType | None, context: int = 1) -> list[inspect.FrameInfo]:
    """``frame`` and its callers as ``FrameInfo``s without source lines (no file read)."""
    del context  # accepted for the signature of inspect.getouterframes; never read
    out = []
    while frame is not None:
        code = frame.f_code
        out.append(inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name,
                                     None, None, positions=None))
        frame = frame.f_back
    return out


def _stack(context: int = 1) -> list[inspect.FrameInfo]:
    """``inspect.stack()`` without source lines: the caller's frame first."""
    return _frame_infos(sys._getframe(1), context)


@contextlib.contextmanager
def cheap_frame_inspection() -> Iterator[None]:
    """Within the block, stack inspection gives names without reading files.

    Not for general use: it changes three functions of the ``inspect`` module for every
    thread while it lasts; :func:`import_mesa` holds it only for Mesa's first import.
    """
    real_stack, real_outer, real_getmodule = (inspect.stack, inspect.getouterframes,
                                              inspect.getmodule)

    def getmodule(obj: Any, _filename: str | None = None) -> ModuleType | None:
        if inspect.isframe(obj):
            module = sys.modules.get(obj.f_globals.get("__name__", ""))
            if module is not None:
                return module
        return real_getmodule(obj, _filename)

    inspect.stack, inspect.getouterframes, inspect.getmodule = (_stack, _frame_infos,
                                                                getmodule)
    try:
        yield
    finally:
        inspect.stack, inspect.getouterframes, inspect.getmodule = (real_stack, real_outer,
                                                                    real_getmodule)


def import_mesa() -> ModuleType:
    """Import ``mesa`` (once per process) under :func:`cheap_frame_inspection`."""
    if "mesa.model" not in sys.modules:
        with cheap_frame_inspection():
            import mesa  # noqa: F401
    return sys.modules["mesa"]


import_mesa()

__all__ = ["cheap_frame_inspection", "import_mesa"]
