"""Nothing unsafe from data: files are parsed as data, never executed or unpickled.

Scenario and experiment files are TOML (``tomllib``), masks and maps are ``.npy`` /
``.npz`` read with ``allow_pickle=False`` or CSV, results are Parquet and JSON. A
file that smuggles a pickle gets a one-line error; the source never calls eval,
exec, pickle or yaml loaders on anything.
"""

from __future__ import annotations

import pickle
import re

import numpy as np
from cli_support import assert_usage_error, crimesim
from repo_paths import ROOT

#: Calls that would turn data into code.
UNSAFE = re.compile(r"\b(eval|exec)\(|pickle\.loads?\(|allow_pickle\s*=\s*True|yaml\.load\("
                    r"|marshal\.loads?\(|shelve\.open\(|dill\.loads?\(|__import__\(")


def test_no_source_file_turns_data_into_code():
    offenders = []
    for folder in ("sim", "experiments"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                if UNSAFE.search(code):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_a_pickled_mask_file_is_refused(tmp_path, capsys):
    evil = tmp_path / "mask.npy"
    np.save(evil, np.array([{"payload": "x"}], dtype=object), allow_pickle=True)
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'extends = "%s"\n[interventions.lights]\ntype = "street_lighting"\n'
        '[interventions.lights.target]\nmask_file = "mask.npy"\n'
        % (ROOT / "scenarios" / "baseline.toml"))
    code, _, err = crimesim(capsys, "validate", scenario)
    assert_usage_error(code, err, "mask_file", "mask.npy")


def test_a_pickled_map_file_is_refused(tmp_path, capsys):
    evil = tmp_path / "city.npz"
    np.savez(evil, land_use=np.array([{"x": 1}], dtype=object))
    scenario = tmp_path / "s.toml"
    scenario.write_text('[city]\nlayout = "map"\nmap_file = "city.npz"\n')
    code, _, err = crimesim(capsys, "validate", scenario)
    assert_usage_error(code, err, "city.npz")


def test_sweep_folder_pickles_are_never_read(tmp_path, capsys):
    """A results folder is read from Parquet and JSON; a pickle dropped in is ignored."""
    (tmp_path / "manifest.json").write_text("{not json")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "part-evil.pkl").write_bytes(pickle.dumps({"a": 1}))
    code, _, err = crimesim(capsys, "analyze", tmp_path)
    assert_usage_error(code, err, "cannot read the sweep")
