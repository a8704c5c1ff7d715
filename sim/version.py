"""The installed package's version, for the files a run writes and ``--version``.

It lives in the core layer, not in ``sim/__init__.py``, so a module low in the layers
(a run's writers) can stamp its files without importing the package root, which
imports every model family.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crimesim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"

__all__ = ["__version__"]
