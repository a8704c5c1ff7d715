"""Scenario loading, validation, overrides and digests (sim.scenario)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.scenario import SCHEMA, Field, Scenario, ScenarioError, flatten, parse_override_value

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.toml"

FILES = sorted(SCENARIOS.glob("*.toml"))


def load_text(tmp_path: Path, text: str | bytes, name: str = "sc.toml") -> Scenario:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return Scenario.load(path)


def error_of(tmp_path: Path, text: str | bytes) -> str:
    """The message of the one ScenarioError that loading ``text`` raises."""
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, text)
    assert type(info.value) is ScenarioError
    message = str(info.value)
    assert "\n" not in message, f"message is not one line: {message!r}"
    assert message.strip() == message and message
    return message


# --- the shipped scenarios ----------------------------------------------------------
def test_there_are_scenario_files():
    names = {f.name for f in FILES}
    assert {"baseline.toml", "short2008.toml", "short2008_hotspots.toml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_scenario_file_validates(path):
    sc = Scenario.load(path)
    assert sc.name and sc.name != "unnamed"
    assert sc.source == str(path)
    # Every schema key has a value of the schema's type.
    for dotted, field in flatten().items():
        value = sc[dotted]
        want = {"int": int, "float": float, "bool": bool, "str": str, "path": str}[field.kind]
        assert type(value) is want, (dotted, value)


def test_defaults_fill_in_unset_keys(tmp_path):
    sc = load_text(tmp_path, 'name = "tiny"\n[offenders]\ncount = 7\n')
    assert sc.name == "tiny"
    assert sc["offenders.count"] == 7
    assert sc.params.offenders.count == 7
    fields = flatten()
    # Keys not in the file take their schema defaults, nested tables included.
    for key in ("offenders.gangs", "police.count", "crime.robbery.rate",
                "crime.burglary.vulnerability.marginalised", "routines.day_out.youth",
                "time.ticks_per_day", "agents.views"):
        assert sc[key] == fields[key].default, key
    full = sc.to_dict()
    assert set(full) == set(SCHEMA) | {"interventions"}
    assert sc.raw() == {"name": "tiny", "offenders": {"count": 7}}


def test_default_scenario_equals_schema_defaults():
    sc = Scenario.default()
    for dotted, field in flatten().items():
        if dotted != "name":
            assert sc[dotted] == field.default, dotted


def test_params_are_read_only(baseline):
    with pytest.raises(AttributeError):
        baseline.params.offenders.count = 3
    d = baseline.to_dict()
    d["offenders"]["count"] = 3
    assert baseline["offenders.count"] == 450
    with pytest.raises(KeyError):
        baseline["offenders.cuont"]


# --- bad input: one ScenarioError naming the key and the problem -------------------------
@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        # unknown keys
        ('nmae = "x"\n', "nmae", "unknown key"),
        ("[offenders]\ncuont = 5\n", "offenders.cuont", "unknown key"),
        ("[crime.robbery]\nrat = 0.1\n", "crime.robbery.rat", "unknown key"),
        ("[polise]\ncount = 5\n", "polise", "unknown key"),
        # wrong types
        ('[offenders]\ncount = "500"\n', "offenders.count", "expected an integer"),
        ("[offenders]\ncount = 60.5\n", "offenders.count", "expected an integer"),
        ("[offenders]\ncount = true\n", "offenders.count", "expected an integer"),
        ("[police]\ndetect_prob = true\n", "police.detect_prob", "expected a number"),
        ('[police]\ndetect_prob = "0.3"\n', "police.detect_prob", "expected a number"),
        ("[offenders.count]\nx = 1\n", "offenders.count", "expected an integer"),
        ("[city]\nperiodic = 1\n", "city.periodic", "expected true or false"),
        ("name = 5\n", "name", "expected a string"),
        ("[city]\nlayout = \"hexagonal\"\n", "city.layout", "not one of"),
        ("offenders = 5\n", "offenders", "expected a table"),
        ('[crime]\nrobbery = "high"\n', "crime.robbery", "expected a table"),
        ("[offenders]\ncount = [1, 2]\n", "offenders.count", "expected an integer"),
        # out of range
        ("[offenders]\ncount = -5\n", "offenders.count", "below the minimum"),
        ("[residents]\ncount = -1\n", "residents.count", "below the minimum"),
        ("[police]\ndetect_prob = 1.5\n", "police.detect_prob", "above the maximum"),
        ("[crime.assault]\nreport_prob = -0.1\n", "crime.assault.report_prob",
         "below the minimum"),
        ("[city]\nwidth = 1\n", "city.width", "below the minimum"),
        ("[city]\nneighbourhood = 6\n", "city.neighbourhood", "4 or 8"),
        # not finite
        ("[police]\ndetect_prob = nan\n", "police.detect_prob", "finite"),
        ("[crime.robbery]\nrate = inf\n", "crime.robbery.rate", "finite"),
        ("[offenders]\nmotivation_mean = -inf\n", "offenders.motivation_mean", "finite"),
        ("[offenders]\ncount = nan\n", "offenders.count", "integer"),
        ("[offenders]\ncount = inf\n", "offenders.count", "integer"),
        # cross-field
        ("[police]\ncount = 5\nrandom = 0.6\n", "police", "sum to 1"),
        ('[city]\nlayout = "map"\n', "city.map_file", "required"),
        ("[residents]\nyouth_share = 0.6\nelderly_share = 0.5\n", "residents", "exceed 1"),
    ],
)
def test_bad_value_gives_one_error_naming_key_and_problem(tmp_path, text, key, problem):
    message = error_of(tmp_path, text)
    assert f"{key}:" in message, message
    assert problem in message, message
    assert str(tmp_path / "sc.toml") in message  # the file is named too


def test_integral_float_for_int_is_never_stored_as_float(tmp_path):
    """``count = 60.0`` is either rejected or stored as the int 60, never as a float."""
    try:
        sc = load_text(tmp_path, "[offenders]\ncount = 60.0\n")
    except ScenarioError as exc:
        assert "offenders.count" in str(exc)
    else:
        assert type(sc["offenders.count"]) is int and sc["offenders.count"] == 60


def test_loaded_floats_are_finite(tmp_path):
    """A float key accepts finite values only: every loaded float is finite."""
    sc = load_text(tmp_path, "[police]\ndetect_prob = 0.0\n[crime.robbery]\nrate = 1e-300\n")
    for dotted, field in flatten().items():
        if field.kind == "float":
            assert math.isfinite(sc[dotted]), dotted


def test_police_shares_only_checked_with_police(tmp_path):
    sc = load_text(tmp_path, "[police]\ncount = 0\nrandom = 0.6\n")
    assert sc["police.count"] == 0
    sc = load_text(tmp_path, "[police]\nrandom = 0.25\nhotspot = 0.25\n")  # 0.25*4 = 1
    assert sc["police.hotspot"] == 0.25


def test_missing_map_file(tmp_path):
    message = error_of(tmp_path, '[city]\nlayout = "map"\nmap_file = "no_such_map.npz"\n')
    assert "city.map_file" in message
    assert "not found" in message
    assert "no_such_map.npz" in message


def test_map_file_is_resolved_relative_to_the_scenario(tmp_path):
    (tmp_path / "city.csv").write_text("RC\nNP\n")
    sc = load_text(tmp_path, '[city]\nlayout = "map"\nmap_file = "city.csv"\n')
    assert Path(sc["city.map_file"]) == tmp_path / "city.csv"


def test_not_toml(tmp_path):
    message = error_of(tmp_path, "this is not = = toml [[\n")
    assert "not valid TOML" in message


def test_not_utf8(tmp_path):
    message = error_of(tmp_path, b'name = "caf\xe9"\n')
    assert "UTF-8" in message


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        Scenario.load(tmp_path / "nope.toml")
    message = str(info.value)
    assert "nope.toml" in message and "not found" in message
    assert "\n" not in message


def test_directory_is_not_a_scenario(tmp_path):
    with pytest.raises(ScenarioError):
        Scenario.load(tmp_path)


def test_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)


def test_every_number_field_has_a_sane_default():
    for dotted, field in flatten().items():
        assert isinstance(field, Field)
        if field.kind in ("int", "float"):
            if field.low is not None:
                assert field.default >= field.low, dotted
            if field.high is not None:
                assert field.default <= field.high, dotted
        if field.choices:
            assert field.default in field.choices, dotted


# --- overrides --------------------------------------------------------------------------
def test_with_overrides_returns_a_new_scenario(baseline):
    new = baseline.with_overrides({"offenders.count": 500, "police.detect_prob": 0.5})
    assert new is not baseline
    assert new["offenders.count"] == 500
    assert new["police.detect_prob"] == 0.5
    assert baseline["offenders.count"] == 450  # the old one is unchanged
    assert baseline["police.detect_prob"] == flatten()["police.detect_prob"].default
    assert new.name == baseline.name
    assert new != baseline
    # Keyword form and chaining.
    kw = baseline.with_overrides(**{"offenders.count": 500, "police.detect_prob": 0.5})
    assert kw == new
    assert baseline.with_overrides({"offenders.count": 450}) == baseline


def test_with_overrides_keeps_the_file_settings(baseline):
    new = baseline.with_overrides({"offenders.count": 10})
    assert new["residents.count"] == 30000
    assert new["city.cell_size_m"] == 50.0
    assert new.raw()["offenders"]["gangs"] == 4


@pytest.mark.parametrize("key", ["offenders.cuont", "cuont", "crime.robbery.rat",
                                 "offenders.count.x", "offenders"])
def test_with_overrides_rejects_unknown_keys(baseline, key):
    with pytest.raises(ScenarioError) as info:
        baseline.with_overrides({key: 1})
    assert key.split(".")[0] in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [("offenders.count", -1, "below the minimum"),
     ("offenders.count", "abc", "expected an integer"),
     ("police.detect_prob", 2.0, "above the maximum"),
     ("police.detect_prob", float("nan"), "finite"),
     ("city.periodic", "yes", "expected true or false")],
)
def test_with_overrides_validates_values(baseline, key, value, problem):
    with pytest.raises(ScenarioError) as info:
        baseline.with_overrides({key: value})
    assert key in str(info.value) and problem in str(info.value)
    assert baseline[key] != value


def test_override_error_leaves_original_usable(baseline):
    with pytest.raises(ScenarioError):
        baseline.with_overrides({"offenders.count": -1})
    assert baseline.with_overrides({"offenders.count": 1})["offenders.count"] == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [("500", 500), ("-3", -3), ("0.25", 0.25), ("1e3", 1000.0), ("true", True),
     ("false", False), ("abc", "abc"), ('"123"', "123"), ("'x y'", "x y"),
     ("hello world", "hello world"), ("map.csv", "map.csv"), ('""', "")],
)
def test_parse_override_value(text, value):
    got = parse_override_value(text)
    assert got == value
    assert type(got) is type(value)


def test_parse_override_value_then_override(baseline):
    sc = baseline.with_overrides({"offenders.count": parse_override_value("500"),
                                  "city.periodic": parse_override_value("true"),
                                  "name": parse_override_value("renamed")})
    assert sc["offenders.count"] == 500 and sc["city.periodic"] is True
    assert sc.name == "renamed"


# --- digest -----------------------------------------------------------------------------
def test_digest_is_stable(baseline):
    again = Scenario.load(BASELINE)
    assert baseline.digest() == again.digest()
    assert baseline.digest() == baseline.digest()
    assert hash(baseline) == hash(again) and baseline == again
    d = baseline.digest()
    assert isinstance(d, str) and len(d) >= 8


def test_digest_changes_with_any_parameter(baseline):
    base = baseline.digest()
    digests = {base}
    for key, value in [("offenders.count", 451), ("police.detect_prob", 0.36),
                       ("crime.robbery.vulnerability.youth", 1.7), ("agents.views", False),
                       ("name", "other")]:
        d = baseline.with_overrides({key: value}).digest()
        assert d not in digests, key
        digests.add(d)


def test_digest_ignores_how_a_default_was_given(tmp_path):
    explicit = load_text(tmp_path, 'name = "a"\n[offenders]\ngangs = 4\n', "a.toml")
    implicit = load_text(tmp_path, 'name = "a"\n', "b.toml")
    assert explicit.digest() == implicit.digest()
