"""Build hook: a wheel carries the repository's ``scenarios/`` folder as package data.

The top-level ``scenarios/`` folder stays the one source of truth in the repository;
building a wheel copies it to ``sim/scenario/package_data/scenarios``, where
``sim.scenario.shipped.shipped_dir`` finds it after ``pip install``. An editable
install (``pip install -e .``) copies nothing: it reads the repository's folder.
Everything else about the build is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "scenarios"
PACKAGED = Path("sim", "scenario", "package_data", "scenarios")


class BuildPyWithScenarios(build_py):
    """``build_py`` that also copies the scenarios (TOML files, lessons, maps)."""

    def run(self) -> None:
        """Build the modules, then copy the scenario tree into the built package."""
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / PACKAGED
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildPyWithScenarios})
