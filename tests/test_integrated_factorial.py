"""experiments/integrated_factorial.py run tiny: files written, interaction arithmetic.

The interaction is checked against a hand computation from the four cells' stored
per-seed totals (``both - services - policing + neither``), and its interval against
the t interval computed here from those numbers.
"""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
from scipy import stats

from tests.repo_paths import ROOT


def _load():
    spec = importlib.util.spec_from_file_location(
        "integrated_factorial", ROOT / "experiments" / "integrated_factorial.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_factorial_tiny(tmp_path):
    mod = _load()
    mod.main(["--seeds", "1", "2", "--days", "10", "--out", str(tmp_path),
              "--scenario", str(ROOT / "scenarios" / "small_town_map.toml")])
    res = json.loads((tmp_path / "factorial.json").read_text())
    assert (tmp_path / "factorial.md").read_text().startswith("# Integrated action")
    cells = res["cells"]
    for k in mod.OUTCOMES:
        t = {c: np.array(cells[c]["totals"][k], float) for c in mod.CELLS}
        hand = [t["both"][i] - t["services"][i] - t["policing"][i] + t["neither"][i]
                for i in range(2)]
        it = res["interaction"][k]
        assert it["per_seed"] == hand
        assert math.isclose(it["mean"], sum(hand) / 2)
        half = stats.t.ppf(0.975, 1) * np.std(hand, ddof=1) / math.sqrt(2)
        assert math.isclose(it["low"], it["mean"] - half, abs_tol=1e-9)
        assert math.isclose(it["high"], it["mean"] + half, abs_tol=1e-9)
    # the totals stored per cell are the runs' own
    for run in res["runs"]:
        i = res["seeds"].index(run["seed"])
        assert cells[run["cell"]]["totals"]["crimes_total"][i] == run["totals"]["crimes_total"]
    # the partnership runs in every cell of a city with officers and workers
    assert set(cells["both"]["partnership"]) >= {"youth_referred", "tension_alerts"}


def test_cell_overrides():
    mod = _load()
    from sim import Scenario
    base = Scenario.load(ROOT / "scenarios" / "baseline.toml")
    assert mod.cell_overrides(base, "neither") == {}
    both = mod.cell_overrides(base, "both")
    assert both["police.count"] == 2 * base["police.count"]
    assert both["services.count"] == 2 * base["services.count"]
    assert both["integration.referral_prob"] == 0.9
    assert "integration.referral_prob" not in mod.cell_overrides(base, "policing")
