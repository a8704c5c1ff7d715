"""The scenario layer's registries: plug-in tables and family sections, filled from above."""

from __future__ import annotations

import pytest

from sim.fields import int_field, prob_field, str_field
from sim.plugins import REGISTRY
from sim.scenario import (
    SCHEMA,
    FamilySection,
    Scenario,
    ScenarioError,
    intervention_kinds,
    intervention_tables,
    reads_key,
    register_intervention_table,
    register_section,
    section_of,
    sections,
)


@pytest.fixture
def restored_schema(monkeypatch):
    """Undo a test's registrations: the schema, the sections and the plug-in tables."""
    saved = dict(SCHEMA)
    monkeypatch.setattr(sections, "_SECTIONS", dict(sections._SECTIONS))
    monkeypatch.setattr(intervention_tables, "_TABLES", dict(intervention_tables._TABLES))
    yield
    SCHEMA.clear()
    SCHEMA.update(saved)


def toy_check(values):
    if values["toy"]["low"] > values["toy"]["high"]:
        raise ScenarioError("toy.low: above toy.high")


TOY = FamilySection(model="toy", fields={"low": int_field(1, "a lower bound", 0),
                                         "high": int_field(5, "an upper bound", 0)},
                    shared_keys=("city.width",), check=toy_check)


def test_every_plug_in_registered_its_table():
    assert intervention_kinds() == sorted(REGISTRY) and len(REGISTRY) == 8


def test_a_registered_section_joins_the_schema_and_the_model_choices(restored_schema):
    register_section(TOY)
    assert section_of("toy") is TOY and "toy" in SCHEMA["model"].choices
    sc = Scenario.from_dict({"model": "toy", "city": {"width": 30}, "toy": {"high": 9}})
    assert (sc["toy.low"], sc["toy.high"], sc["city.width"]) == (1, 9, 30)
    with pytest.raises(ScenarioError, match=r"city.height: not read by model 'toy' "
                                            r"\(it reads city.width and \[toy\]\)"):
        Scenario.from_dict({"model": "toy", "city": {"height": 30}})
    with pytest.raises(ScenarioError, match="toy.low: above toy.high"):
        Scenario.from_dict({"model": "toy", "toy": {"low": 6}})
    with pytest.raises(ScenarioError, match="toy: only read when model = 'toy'"):
        Scenario.from_dict({"toy": {"low": 2}})
    assert Scenario.from_dict({"model": "toy"}).with_overrides({"toy.low": 3})["toy.low"] == 3


def test_which_keys_a_family_reads(restored_schema):
    register_section(TOY)
    assert reads_key("toy", "toy.low") and reads_key("toy", "name")
    assert reads_key("toy", "city.width") and not reads_key("toy", "city.height")
    assert reads_key("crime", "city.height") and not reads_key("crime", "toy.low")
    assert not reads_key("crime", "civil_violence.legitimacy")
    assert reads_key("civil_violence", "civil_violence.legitimacy")


def test_a_section_may_not_take_a_name_in_use(restored_schema):
    register_section(TOY)
    register_section(TOY)  # the same section again (a re-import) changes nothing
    with pytest.raises(TypeError, match="registered twice"):
        register_section(FamilySection(model="toy", fields={}))
    with pytest.raises(TypeError, match="registered twice"):
        register_section(FamilySection(model="city", fields={}))  # a base table


def test_a_registered_table_is_validated_by_its_fields(restored_schema):
    register_intervention_table("toy_plugin", lambda: {
        "type": str_field("", "the plug-in"), "start_tick": int_field(0, "start"),
        "end_tick": int_field(-1, "end", -1),
        "share": prob_field(0.5, "a share")})
    sc = Scenario.from_dict({"interventions": {"a": {"type": "toy_plugin", "share": 0.2}}})
    assert sc["interventions.a"] == {"type": "toy_plugin", "start_tick": 0, "end_tick": -1,
                                     "share": 0.2}
    with pytest.raises(ScenarioError, match=r"interventions.a.share: 2.0 is above"):
        Scenario.from_dict({"interventions": {"a": {"type": "toy_plugin", "share": 2}}})
    with pytest.raises(ScenarioError, match="unknown intervention 'nope'.*toy_plugin"):
        Scenario.from_dict({"interventions": {"nope": {}}})
    with pytest.raises(TypeError, match="registered twice"):
        register_intervention_table("toy_plugin", lambda: {})
