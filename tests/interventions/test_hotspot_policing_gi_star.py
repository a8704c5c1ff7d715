"""scenarios/hotspot_policing_gi_star.toml: hot-spot policing on the Gi* hot spots, end to end."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from cli_support import assert_usage_error, crimesim
from repo_paths import SCENARIOS, SMALL_OVERRIDES, small_set_args
from scipy.stats import false_discovery_control

from sim import Scenario

SCENARIO = SCENARIOS / "hotspot_policing_gi_star.toml"
LABEL = "hotspot_policing"


def test_the_treated_cells_are_the_strongest_significant_hot_spots(run_to):
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    scenario = Scenario.load(SCENARIO).with_overrides(SMALL_OVERRIDES)
    start = scenario.params.interventions.to_dict()[LABEL]["start_tick"]
    model = run_to(scenario, 3, start)
    item = model.interventions.items[0]
    assert not item.active
    city = model.city
    heat = city.reported_heat.copy()
    model.run_for(1)
    assert item.active
    # The reference: esda's Gi* with a 150 m band on 50 m cells (3 cells), BH by scipy.
    assert city.cell_size_m == 50.0 and not city.periodic
    yy, xx = np.mgrid[0:city.height, 0:city.width]
    points = np.column_stack((xx.ravel(), yy.ravel())).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = DistanceBand(points, threshold=3.0, binary=True, silence_warnings=True)
        g = G_Local(heat.ravel(), weights, transform="B", star=True, permutations=0)
    significant = (false_discovery_control(2 * g.p_norm, method="bh") <= 0.05) & (g.Zs > 0)
    assert significant.any()
    top_k = scenario.params.interventions.to_dict()[LABEL]["target"]["top_k"]
    if significant.sum() <= top_k:
        assert (item.mask == significant).all()
    else:
        assert item.mask.sum() == top_k and significant[item.mask].all()
        assert g.Zs[item.mask].min() >= g.Zs[significant & ~item.mask].max()
    # the officers' patrol list is drawn from the treated cells
    hot = model.state.justice.hot_cells
    assert hot.size and item.mask[hot].all()


def test_the_scenario_runs_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "run"
    code, _, err = crimesim(capsys, "run", SCENARIO, "--days", "32", "--quiet", "--no-progress",
                            "--out", out, *small_set_args())
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary  # written in full, and readable


def bad_file(tmp_path, body: str):
    path = tmp_path / "bad.toml"
    path.write_text(f'extends = "{SCENARIO.as_posix()}"\n\n'
                    f"[interventions.{LABEL}.target]\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "fragments"), [
    ('kind = "hotspots"', ("target.kind", "'hotspots' is not one of 'cells', 'gi_star'")),
    ("gi_alpha = 0.9", ("target.gi_alpha", "above the maximum 0.5")),
    ("gi_alpha = 0", ("target.gi_alpha", "below the minimum")),
    ('gi_correction = "holm"', ("target.gi_correction", "'holm'")),
    ("gi_distance_m = 20", ("target.gi_distance_m", "20 m is less than one cell (50 m)")),
])
def test_bad_gi_star_fields_exit_2_with_one_line(capsys, tmp_path, body, fragments):
    code, _, err = crimesim(capsys, "run", bad_file(tmp_path, body), "--days", "1",
                            "--quiet", "--no-progress", "--out", tmp_path / "out",
                            *small_set_args())
    assert_usage_error(code, err, f"interventions.{LABEL}", *fragments)
    assert not (tmp_path / "out").exists()
