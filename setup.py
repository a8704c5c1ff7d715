"""Build hook: a wheel carries the repository's ``scenarios/`` and ``docs/`` folders.

The top-level folders stay the one source of truth in the repository; building a
wheel copies ``scenarios/`` to ``sim/scenario/package_data/scenarios``, where
``sim.scenario.shipped.shipped_dir`` finds it after ``pip install``, and ``docs/`` to
``sim/dashboard/package_data/docs``, which the dashboard's Docs tab shows offline. An
editable install (``pip install -e .``) copies nothing: it reads the repository's
folders. Everything else about the build is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Repository folder -> where a wheel carries it.
COPIES = {"scenarios": Path("sim", "scenario", "package_data", "scenarios"),
          "docs": Path("sim", "dashboard", "package_data", "docs")}


class BuildPyWithData(build_py):
    """``build_py`` that also copies the scenarios (TOML files, lessons, maps) and docs."""

    def run(self) -> None:
        """Build the modules, then copy the folders into the built package."""
        super().run()
        if self.editable_mode:
            return
        for folder, packaged in COPIES.items():
            target = Path(self.build_lib) / packaged
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / folder, target,
                            ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildPyWithData})
