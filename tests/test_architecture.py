"""The package's layers: the import-linter contract holds, catches an upward import,
covers every part of ``sim``, and every part imports first in a fresh interpreter."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return contract


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    """Run lint-imports in ``cwd`` (its pyproject.toml), on the ``sim`` found there."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} missing: install the dev extras (pip install -e '.[dev]')")
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _parts_of_sim() -> list[str]:
    """Every subpackage and top-level module of ``sim`` (its direct children)."""
    out = []
    for path in sorted((ROOT / "sim").iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            out.append(path.name)
        elif path.suffix == ".py" and path.name != "__init__.py":
            out.append(path.stem)
    return out


def test_the_layers_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_part_of_sim_is_in_a_layer():
    layered = {name.strip() for layer in _contract()["layers"] for name in layer.split("|")}
    assert set(_parts_of_sim()) == layered


def test_an_upward_import_breaks_the_contract(tmp_path):
    """A copy of the package with the scenario layer importing the crime engine fails."""
    shutil.copytree(ROOT / "sim", tmp_path / "sim",
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr  # the copy itself is clean
    probe = tmp_path / "sim" / "scenario" / "upward_probe.py"
    probe.write_text('"""An upward import: the scenario layer reaching the engine."""\n\n'
                     "from sim.crime.model import CrimeModel  # noqa: F401\n")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout
    assert "sim.scenario is not allowed to import sim.crime" in broken.stdout
    assert "sim.scenario.upward_probe -> sim.crime.model" in broken.stdout


def _import_first(part: str) -> tuple[str, int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", f"import sim.{part}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    return part, result.returncode, result.stderr.strip().splitlines()[-1:]


def test_every_part_of_sim_imports_first_in_a_fresh_interpreter():
    """No import order is needed: each part works as a process's first import.

    One subprocess per part (a cycle shows only in a fresh interpreter, where nothing
    else has been imported yet); two at a time, as the machine has two cores.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_import_first, _parts_of_sim()))
    failed = {part: err for part, code, err in results if code != 0}
    assert not failed
    assert {part for part, _, _ in results} == set(_parts_of_sim()) != set()  # all tried


def test_loading_a_scenario_needs_no_import_but_sim_scenario(tmp_path):
    """The scenario layer sees every plug-in's table and every family's section."""
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "t"\n[interventions.street_lighting]\ncoverage = 0.5\n')
    code = ("from sim.scenario import Scenario, ScenarioError\n"
            f"sc = Scenario.load({str(scenario)!r})\n"
            "assert sc['interventions.street_lighting.coverage'] == 0.5\n"
            "assert Scenario.load('scenarios/epstein2002.toml').params.model == "
            "'civil_violence'\n"
            "try:\n"
            "    Scenario.from_dict({'interventions': {'x': {'type': 'no_such_plugin'}}})\n"
            "except ScenarioError as exc:\n"
            "    assert 'street_lighting' in str(exc), exc\n"
            "else:\n"
            "    raise AssertionError('an unknown plug-in was accepted')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_package_root_imports_in_any_order(tmp_path):
    """``sim/__init__.py`` needs no import order: each of its imports may come first."""
    shutil.copytree(ROOT / "sim", tmp_path / "sim",
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    source = (ROOT / "sim" / "__init__.py").read_text()
    statements = ast.parse(source).body
    imports = [ast.get_source_segment(source, node) for node in statements
               if isinstance(node, ast.Import | ast.ImportFrom)]
    rest = [ast.get_source_segment(source, node) for node in statements
            if not isinstance(node, ast.Import | ast.ImportFrom)]
    assert len(imports) >= 4
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    for first in imports:
        order = [first, *[line for line in reversed(imports) if line != first]]
        (tmp_path / "sim" / "__init__.py").write_text("\n".join([*order, *rest]) + "\n")
        result = subprocess.run(
            [sys.executable, "-c", "import sim; assert sim.Scenario and sim.CrimeModel"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{first} first:\n{result.stderr}"
