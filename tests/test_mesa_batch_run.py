"""Mesa compatibility: ``mesa.batch_run`` sweeps the model like any Mesa model."""

from __future__ import annotations

import mesa
import pandas as pd
import pytest
from repo_paths import BASELINE

from sim import CrimeModel, Scenario

SMALL = {"city__width": 24, "city__height": 24, "residents__count": 800,
         "offenders__count": 40, "city__districts": 4, "city__schools": 2}


def test_batch_run_sweeps_keyword_parameters_with_rng_seeds():
    rows = mesa.batch_run(CrimeModel, parameters={"scenario": str(BASELINE), **SMALL,
                                                  "police__count": [2, 10]},
                          rng=[1, 2], max_steps=48, number_processes=1,
                          data_collection_period=-1, display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 4
    assert set(zip(df["police__count"], df["rng"], strict=True)) == {(2, 1), (2, 2), (10, 1),
                                                                     (10, 2)}
    assert {"crimes_total", "arrests", "legitimacy_everyone"} <= set(df.columns)
    # Same parameters and seed as a direct run: same figures.
    direct = CrimeModel(scenario=str(BASELINE), rng=2, police__count=10,
                        **SMALL)
    direct.run_for(int(df["Step"].iloc[0]))
    row = df[(df.police__count == 10) & (df.rng == 2)].iloc[0]
    assert row["crimes_total"] == direct.datacollector.get_model_vars_dataframe()[
        "crimes_total"].iloc[-1]


def test_keyword_parameters_are_scenario_keys():
    model = CrimeModel(scenario=Scenario.default(), rng=1, police__count=3, **SMALL)
    assert model.p.police.count == 3 and model.police.n == 3
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="police.cuont: unknown key"):
        CrimeModel(rng=1, police__cuont=3)
