"""Where and to whom violence happens: the shares docs/calibration.md compares with the CSEW.

    .venv/bin/python experiments/relationship_shares.py [--seeds 1 2] [--days 365]
        [--set key=value ...]

For each seed, one run of the baseline; from its event log, for sexual violence and
for assault: the share by a partner or ex-partner, by family, by an acquaintance, by
a stranger; the share in the victim's own home (setting home and the victim living
in the crime's cell) and in open public space (street or transit); the share of
victims with any incident by a partner and any in their own home (the survey counts
victims, and violence at home is repeated against the same victim); plus the domestic
abusers, their crimes, and the survey prevalence figures the calibration targets.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim import CrimeModel, Scenario
from sim.config import (
    DOMESTIC_OFFENDER,
    OPEN_PUBLIC_SETTINGS,
    RELATIONSHIPS,
    SET_HOME,
)
from sim.scenario.overrides import parse_override

ROOT = Path(__file__).resolve().parents[1]


def shares(ev, k: str) -> dict[str, float]:
    """Shares (%) of crimes of type ``k`` by relationship and by setting."""
    e = ev[ev.crime_type == k]
    n = max(len(e), 1)
    out = {f"by {name}": 100.0 * float((e.relationship == code).sum()) / n
           for code, name in enumerate(RELATIONSHIPS[:4])}
    own_home = (e.setting == SET_HOME) & (e.victim_home == e.cell)
    out["own home"] = 100.0 * float(own_home.sum()) / n
    out["open public"] = 100.0 * float(e.setting.isin(OPEN_PUBLIC_SETTINGS).sum()) / n
    # The survey counts victims: the share of victims with any such incident.
    victims = max(e.victim.nunique(), 1)
    out["victims by partner"] = 100.0 * e.victim[e.relationship == 0].nunique() / victims
    out["victims in own home"] = 100.0 * e.victim[own_home].nunique() / victims
    out["crimes"] = float(len(e))
    return out


def main() -> None:
    """Run each seed and print its shares and prevalence figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    args = ap.parse_args()
    sc = Scenario.load(ROOT / "scenarios/baseline.toml")
    if args.overrides:
        sc = sc.with_overrides(dict(parse_override(o) for o in args.overrides))
    for seed in args.seeds:
        model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
        n_dom = int((model.offenders.kind == DOMESTIC_OFFENDER).sum())
        t0 = time.perf_counter()
        model.run_for(args.days * model.ticks_per_day + 1)
        seconds = time.perf_counter() - t0
        ev = model.events.to_frame()
        survey = model.yearly_prevalence[0] if model.yearly_prevalence else model.prevalence()
        dom = model.offenders.kind[ev.offender.to_numpy()] == DOMESTIC_OFFENDER
        print(f"seed {seed}: {seconds:.1f} s; domestic abusers {n_dom}, their crimes "
              f"{int(dom.sum())} ({int((dom & (ev.arrested == 1)).sum())} arrests); "
              f"events {len(ev)}")
        for k, name in (("sexual_violence", "sexual violence"), ("assault", "assault")):
            s = shares(ev, k)
            print(f"  {name:16s} " + "  ".join(
                f"{key} {value:.0f}" if key == "crimes" else f"{key} {value:.1f}%"
                for key, value in s.items()))
        fem = model.residents.female
        for k in ("sexual_violence", "assault"):
            e = ev[ev.crime_type == k]
            d = model.offenders.kind[e.offender.to_numpy()] == DOMESTIC_OFFENDER
            v = e.victim.to_numpy()
            print(f"  {k}: distinct victims, domestic women/men "
                  f"{len(set(v[d & fem[v]]))}/{len(set(v[d & ~fem[v]]))}, "
                  f"other women/men {len(set(v[~d & fem[v]]))}/{len(set(v[~d & ~fem[v]]))}")
        for group, crime in (("women_and_girls", "sexual_violence"),
                             ("men_and_boys", "sexual_violence"), ("youth", "assault"),
                             ("elderly", "assault"), ("everyone", "any")):
            print(f"  prevalence {group:16s} {crime:16s} "
                  f"{100 * survey['groups'][group][crime]:.2f}%")


if __name__ == "__main__":
    main()
