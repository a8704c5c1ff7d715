"""Civil-violence scenarios: the [civil_violence] table, its checks and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import Scenario, ScenarioError

ROOT = Path(__file__).resolve().parents[2]
EPSTEIN = ROOT / "scenarios" / "epstein2002.toml"
HEAD = 'name = "t"\nmodel = "civil_violence"\n[city]\nwidth = 40\nheight = 40\n'


def error_of(tmp_path: Path, text: str) -> str:
    path = tmp_path / "cv.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_epstein2002_has_epsteins_parameters():
    """NetLogo Rebellion's defaults for Epstein's Model I (docs/evidence.md)."""
    sc = Scenario.load(EPSTEIN)
    assert sc["model"] == "civil_violence"
    assert (sc["city.width"], sc["city.height"]) == (40, 40)
    cv = sc.params.civil_violence
    assert (cv.citizen_density, cv.cop_density, cv.citizen_vision, cv.cop_vision) == (
        0.7, 0.04, 7, 7)
    assert (cv.legitimacy, cv.max_jail_term, cv.active_threshold,
            cv.arrest_prob_constant) == (0.82, 30, 0.1, 2.3)
    assert cv.arrest_rounding == "floor" and cv.corruption == 0.0


@pytest.mark.parametrize(("table", "key", "fragment"), [
    ("legitimcy = 0.5", "civil_violence.legitimcy", "unknown key"),
    ("legitimacy = 1.5", "civil_violence.legitimacy", "above the maximum"),
    ("cop_vision = 2.5", "civil_violence.cop_vision", "expected an integer"),
    ('grid_type = "Hex"', "civil_violence.grid_type", "'Von Neumann'"),
    ('arrest_rounding = "ceil"', "civil_violence.arrest_rounding", "'floor'"),
    ("movement = 1", "civil_violence.movement", "true or false"),
    ("max_jail_term = -1", "civil_violence.max_jail_term", "below the minimum"),
    ("reversion_ticks = 0.5", "civil_violence.reversion_ticks", "below the minimum"),
])
def test_bad_values_name_the_key(tmp_path, table, key, fragment):
    message = error_of(tmp_path, HEAD + f"[civil_violence]\n{table}\n")
    assert key in message and fragment in message


def test_densities_must_fit_the_grid(tmp_path):
    message = error_of(tmp_path, HEAD + "[civil_violence]\ncitizen_density = 0.9\n"
                       "cop_density = 0.2\n")
    assert "citizen_density + cop_density must not exceed 1" in message


def test_vision_must_fit_the_torus(tmp_path):
    message = error_of(tmp_path, HEAD + "[civil_violence]\ncop_vision = 20\n")
    assert "civil_violence.cop_vision" in message and "41 cells across" in message


def test_legitimacy_cannot_drop_below_zero(tmp_path):
    message = error_of(tmp_path, HEAD + "[civil_violence]\nlegitimacy = 0.5\n"
                       "legitimacy_drop = 0.6\n")
    assert "civil_violence.legitimacy_drop" in message


def test_crime_keys_are_refused_in_a_civil_violence_scenario(tmp_path):
    message = error_of(tmp_path, HEAD + "[offenders]\ncount = 10\n")
    assert "offenders.count: not read by model 'civil_violence'" in message
    with pytest.raises(ScenarioError, match="police.count: not read"):
        Scenario.load(EPSTEIN).with_overrides({"police.count": 3})


def test_civil_violence_keys_are_refused_in_a_crime_scenario(tmp_path):
    message = error_of(tmp_path, 'name = "t"\n[civil_violence]\nlegitimacy = 0.5\n')
    assert "civil_violence: only read when model = 'civil_violence'" in message


def test_unknown_model(tmp_path):
    message = error_of(tmp_path, 'name = "t"\nmodel = "riot"\n')
    assert "model" in message and "'civil_violence'" in message


def test_overrides_reach_the_table():
    sc = Scenario.load(EPSTEIN).with_overrides({"civil_violence.legitimacy": 0.7,
                                                "city.width": 60})
    assert sc["civil_violence.legitimacy"] == 0.7 and sc["city.width"] == 60
    assert Scenario.load(EPSTEIN)["civil_violence.legitimacy"] == 0.82
