"""Debug mode: invariants hold on real scenarios, and each check catches its breakage."""

from __future__ import annotations

import numpy as np
import pytest
from cli_support import crimesim
from repo_paths import SCENARIOS, SMALL_OVERRIDES

from sim import CrimeModel, Scenario
from sim.config import EV_OFFENDER, FREE, JAILED
from sim.crime.invariants import InvariantError


def _small(name: str = "baseline.toml", **extra) -> Scenario:
    sc = Scenario.load(SCENARIOS / name)
    over = {"metrics.event_log": True, **extra}
    if sc.params.residents.count:
        over.update(SMALL_OVERRIDES)
    return sc.with_overrides(over)


@pytest.mark.parametrize("name", ["baseline.toml", "integrated_action.toml",
                                  "street_lighting.toml", "short2008_hotspots.toml"])
def test_invariants_hold_and_change_nothing(name):
    sc = _small(name, **({"interventions.street_lighting.start_tick": 48}
                         if name == "street_lighting.toml" else {}))
    checked = CrimeModel(scenario=sc, rng=5, agent_views=False, check_invariants=True)
    plain = CrimeModel(scenario=sc, rng=5, agent_views=False)
    checked.run_for(24 * 8)
    plain.run_for(24 * 8)
    assert checked.invariants.checks == checked.tick
    assert plain.invariants is None
    assert checked.results.to_frame().equals(plain.results.to_frame())


def test_environment_variable_switches_debug_mode_on(monkeypatch):
    monkeypatch.setenv("CRIMESIM_CHECK_INVARIANTS", "1")
    assert CrimeModel(scenario=_small(), rng=1, agent_views=False).invariants is not None
    monkeypatch.setenv("CRIMESIM_CHECK_INVARIANTS", "0")
    assert CrimeModel(scenario=_small(), rng=1, agent_views=False).invariants is None


def _running_model() -> CrimeModel:
    model = CrimeModel(scenario=_small(), rng=2, agent_views=False, check_invariants=True)
    model.run_for(30)
    return model


@pytest.mark.parametrize("breakage, message", [
    (lambda m: m.residents.legitimacy.__setitem__(0, 1.5), "resident legitimacy outside"),
    (lambda m: m.arrest_probs.__setitem__(1, -0.1), "arrest probabilities outside"),
    (lambda m: m.residents.victim_counts.__setitem__((3, 0), -1), "victimisation count"),
    (lambda m: np.put(m.offenders.state, 0, 9), "unknown state"),
    (lambda m: m.city.b.__setitem__((0, 0), np.nan), "is NaN"),
    (lambda m: m.residents.hh_size.__setitem__(0, m.residents.hh_size[0] + 1), "households"),
    (lambda m: m.guards.pos.__setitem__(0, 10**8), "guard stands outside"),
])
def test_each_check_catches_its_breakage(breakage, message):
    model = _running_model()
    breakage(model)
    with pytest.raises(InvariantError, match=message):
        model.step()


def test_an_offender_appearing_from_nowhere_is_caught():
    model = _running_model()
    dead = np.flatnonzero(model.offenders.state == 0)[0]
    model.offenders.state[dead] = FREE  # no recruitment recorded
    with pytest.raises(InvariantError, match="were recruited"):
        model.step()


def test_a_crime_by_a_jailed_offender_is_caught():
    model = _running_model()
    while True:
        before = len(model.events)
        model.step()
        if len(model.events) > before:
            break
    checker = model.invariants
    new = model.events.array[before:]
    culprit = int(new[0, EV_OFFENDER])
    checker.events_before = before
    checker.state_before[culprit] = JAILED
    with pytest.raises(InvariantError, match="not free committed a crime"):
        checker.check_offenders_free(model, model.tick - 1)


def test_cli_debug_flag(tmp_path, capsys):
    code, out, err = crimesim(capsys, "run", SCENARIOS / "baseline.toml", "--ticks", "30",
                              "--check-invariants", "--no-progress", "--set", "city.width=30",
                              "--set", "city.height=30", "--set", "residents.count=1500")
    assert code == 0, err
