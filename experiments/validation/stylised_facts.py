"""Validation 2: stylised facts of crime on the baseline city.

Three regularities every credible model of urban crime should show, measured on
seeded years of the baseline city (scenarios/baseline.toml) from its crime event log:

- **concentration** (Weisburd 2015): about 50% of crime at 2-6% of street segments
  and 25% at 0.4-1.6%, measured on 100 m blocks, cells kept as a finer row
  (:mod:`experiments.validation.concentration`, :mod:`sim.metrics.places`);
- **near-repeat burglary** (Johnson et al. 2007): homes within ~200 m of a burglary at
  raised risk for ~2 weeks (:mod:`experiments.validation.near_repeat`);
- **journey to crime**: decays with distance from the offender's home; about half of
  burglaries within ~0.8 km in one UK study, most trips under ~2 km
  (:mod:`experiments.validation.journey`, :mod:`sim.metrics.journeys`);
- **where and to whom**: the settings and relationships of crime by type, and for
  sexual violence the shares by a partner, in the victim's own home and in open public
  space against the Crime Survey for England and Wales (:mod:`sim.metrics.where`).

Verdicts compare CIs across the cities with the published ranges
(:mod:`experiments.validation.facts_verdicts`), and say which targets were calibrated.

Some of these figures were calibration targets (docs/calibration.md §11); the report
says for each verdict whether it checks a calibration or is a prediction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from experiments.validation import concentration as conc
from experiments.validation import journey
from experiments.validation.facts_figures import (
    concentration_figure,
    journey_figure,
    near_repeat_figure,
)
from experiments.validation.facts_text import write_report
from experiments.validation.geometry import Grid
from experiments.validation.near_repeat import KnoxTable, knox_table
from experiments.validation.report import Report, Settings, save_figure
from experiments.validation.runs import SMALL_CITY, CityJob, city_run
from sim.analysis.executor import make_executor
from sim.config import (
    ADULT,
    ASSAULT,
    BURGLARY,
    CRIME_TYPES,
    EV_CELL,
    EV_HOME,
    EV_RELATIONSHIP,
    EV_TICK,
    EV_TYPE,
    EVENT_FIELDS,
    REL_FAMILY,
    SEXUAL_VIOLENCE,
    YOUTH,
)
from sim.metrics import places
from sim.metrics.journeys import journeys
from sim.metrics.where import relationships_by_type, settings_by_type, sexual_violence


@dataclass(frozen=True)
class FactsConfig:
    """Run lengths of the experiment.

    Attributes:
        seeds: Cities (each seed draws its own city, people and plans).
        days: Days each city runs.
        permutations: Knox permutations per city.
        overrides: Scenario overrides (quick mode shrinks the city).
    """

    seeds: int
    days: int
    permutations: int
    overrides: dict[str, Any] = field(default_factory=dict)


FULL = FactsConfig(seeds=6, days=365, permutations=199)
QUICK = FactsConfig(seeds=1, days=20, permutations=9, overrides=SMALL_CITY)


@dataclass
class CityFacts:
    """The stylised facts of one city.

    Attributes:
        seed: The city's seed.
        grid: Its geometry.
        crime_map: Crimes per cell, all types.
        by_type: Crimes per cell by type name.
        concentration: ``top5``, ``top1``, ``cells_50``, ``cells_25`` of all crime.
        concentration_by_type: The same per crime type.
        null: The same if the city's crimes fell uniformly at random.
        blocks: The same four figures on 100 m blocks (``cells_50`` is then the share
            of blocks), with ``block_cells`` (cells per block side).
        blocks_by_type: The block figures per crime type.
        blocks_null: The block figures if the crimes fell uniformly at random.
        journeys: :func:`sim.metrics.journeys.journeys` of the event log.
        where: ``settings`` and ``relationships`` by type, and ``sexual_violence``
            (:mod:`sim.metrics.where`).
        knox: The burglary Knox table.
        lengths: Journey lengths (m) by crime type name, and ``all``.
        homes: The offenders' home cells of those journeys, by the same keys.
        seconds: Simulation wall time.
        contrasts: Median journey of juvenile minus adult offenders' crimes
            (``youth_minus_adult_m``), of assault and sexual violence minus burglary
            (``violence_minus_burglary_m``).
    """

    seed: int
    grid: Grid
    crime_map: np.ndarray
    by_type: dict[str, np.ndarray]
    concentration: dict[str, float]
    concentration_by_type: dict[str, dict[str, float]]
    null: dict[str, float]
    knox: KnoxTable
    lengths: dict[str, np.ndarray]
    homes: dict[str, np.ndarray]
    seconds: float
    blocks: dict[str, float] = field(default_factory=dict)
    blocks_by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    blocks_null: dict[str, float] = field(default_factory=dict)
    journeys: dict[str, Any] = field(default_factory=dict)
    where: dict[str, Any] = field(default_factory=dict)
    contrasts: dict[str, float] = field(default_factory=dict)


def concentration_figures(counts: np.ndarray) -> dict[str, float]:
    """Weisburd's four figures of a crime map: top 5% and 1% shares, cells for 50% and 25%."""
    f = places.concentration_figures(counts)
    return {"top5": f["top5"], "top1": f["top1"], "cells_50": f["places_50"],
            "cells_25": f["places_25"]}


def block_figures(crime_map: np.ndarray, cell_m: float) -> dict[str, float]:
    """Weisburd's four figures on 100 m blocks (keys as :func:`concentration_figures`)."""
    k = places.block_side(cell_m)
    return {**concentration_figures(places.block_counts(crime_map, k)), "block_cells": k}


def analyse_city(run: dict[str, Any], permutations: int, rng: np.random.Generator
                 ) -> CityFacts:
    """Measure the three facts on one city's run (:func:`~runs.city_run`'s result)."""
    grid = Grid(run["width"], run["height"], run["cell_m"], run["periodic"])
    ev = run["events"]
    crime_map = run["crime_count"].sum(axis=0)
    by_type = {name: run["crime_count"][k] for k, name in enumerate(CRIME_TYPES)}
    total = int(crime_map.sum())
    burg = ev[ev[:, EV_TYPE] == BURGLARY]
    x, y = grid.xy(burg[:, EV_CELL])
    days = burg[:, EV_TICK] / run["ticks_per_day"]
    dist = None
    if grid.periodic:
        i, j = np.triu_indices(burg.shape[0], 1)
        dist = grid.distance_m(burg[i, EV_CELL], burg[j, EV_CELL])
    knox = knox_table(x * grid.cell_m, y * grid.cell_m, days, rng, permutations,
                      distance=dist)
    lengths: dict[str, np.ndarray] = {}
    homes: dict[str, np.ndarray] = {}
    keep = ev[:, EV_HOME] >= 0
    for key, mask in [("all", keep)] + [(name, keep & (ev[:, EV_TYPE] == k))
                                        for k, name in enumerate(CRIME_TYPES)]:
        lengths[key] = journey.journey_lengths(ev[mask, EV_HOME], ev[mask, EV_CELL], grid)
        homes[key] = ev[mask, EV_HOME]
    k = places.block_side(grid.cell_m)
    return CityFacts(
        contrasts=journey_contrasts(ev, run.get("offender_age"), grid),
        seed=run["seed"], grid=grid, crime_map=crime_map, by_type=by_type,
        concentration=concentration_figures(crime_map),
        concentration_by_type={n: concentration_figures(m) for n, m in by_type.items()},
        null=conc.uniform_null(total, grid.n_cells, rng, draws=50),
        knox=knox, lengths=lengths, homes=homes, seconds=run["seconds"],
        blocks=block_figures(crime_map, grid.cell_m),
        blocks_by_type={n: block_figures(m, grid.cell_m) for n, m in by_type.items()},
        blocks_null=conc.uniform_null(total, grid.n_cells, rng, draws=50,
                                      shape=crime_map.shape, block=k),
        journeys=journeys(ev),
        where={"settings": settings_by_type(ev), "relationships": relationships_by_type(ev),
               "sexual_violence": sexual_violence(ev)})


def journey_contrasts(ev: np.ndarray, offender_age: np.ndarray | None, grid: Grid
                      ) -> dict[str, float]:
    """Median journeys compared: juvenile against adult offenders, violence against burglary.

    Journeys from a known home only, and crimes away from home only: violence by a
    partner or relative at home (ODD §7.22) is no journey, and counting its zeros would
    make adults' and violence's journeys short by construction. NaN where a group has
    no crimes.
    """
    known = (ev[:, EV_HOME] >= 0) & (ev[:, EV_RELATIONSHIP] > REL_FAMILY)
    d = np.full(ev.shape[0], np.nan)
    d[known] = journey.journey_lengths(ev[known, EV_HOME], ev[known, EV_CELL], grid)

    def median(mask: np.ndarray) -> float:
        x = d[mask & known]
        return float(np.median(x)) if x.size else float("nan")

    kind = ev[:, EV_TYPE]
    violent = np.isin(kind, (ASSAULT, SEXUAL_VIOLENCE))
    out = {"violence_minus_burglary_m": median(violent) - median(kind == BURGLARY)}
    if offender_age is not None and offender_age.size == ev.shape[0]:
        out["youth_minus_adult_m"] = (median(offender_age == YOUTH)
                                      - median(offender_age == ADULT))
    else:
        out["youth_minus_adult_m"] = float("nan")
    return out


def pooled_knox(cities: list[CityFacts]) -> KnoxTable:
    """The cities' burglary Knox tables added up."""
    out = cities[0].knox
    for c in cities[1:]:
        out = out + c.knox
    return out


def pooled_journeys(cities: list[CityFacts], key: str) -> dict[str, Any]:
    """Journeys of one crime type (or ``all``) over the cities.

    Returns:
        ``lengths`` (every journey), ``summary``, ``share`` per 100 m band and
        ``rate`` per available cell per band (crimes over cells, summed over cities).
    """
    lengths = np.concatenate([c.lengths[key] for c in cities])
    counts = np.zeros(len(journey.BAND_EDGES) - 1)
    avail = np.zeros_like(counts)
    for c in cities:
        counts += journey.band_counts(c.lengths[key])
        avail += journey.available_cells(c.homes[key], c.grid)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(avail > 0, counts / avail, np.nan)
    return {"lengths": lengths, "summary": journey.summarise(lengths),
            "share": journey.histogram(lengths), "rate": rate}


def save_runs(runs: list[dict[str, Any]], folder: Path) -> None:
    """Keep each city's event log and crime map (``city_<seed>.npz``) for re-analysis."""
    folder.mkdir(parents=True, exist_ok=True)
    for r in runs:
        np.savez_compressed(folder / f"city_{r['seed']}.npz", events=r["events"],
                            crime_count=r["crime_count"],
                            columns=np.array(EVENT_FIELDS),
                            geometry=np.array([r["width"], r["height"], r["cell_m"],
                                               r["periodic"], r["ticks_per_day"]]))


def run(settings: Settings) -> Report:
    """Run the cities, measure the three facts, draw the figures, write the report."""
    t0 = time.perf_counter()
    cfg = QUICK if settings.quick else FULL
    jobs = [CityJob(seed=settings.seed + k, days=cfg.days, overrides=cfg.overrides)
            for k in range(cfg.seeds)]
    runs = make_executor(max(1, settings.workers)).map(city_run, jobs)
    save_runs(runs, settings.out / "stylised_facts")
    # One generator per city for its permutations and null draws, from the city's seed.
    cities = [analyse_city(r, cfg.permutations,
                           np.random.default_rng([settings.seed, 2008, r["seed"]]))
              for r in runs]
    knox = pooled_knox(cities)
    trips = {k: pooled_journeys(cities, k) for k in ("all", *CRIME_TYPES)}
    rep = Report("stylised_facts", "Validation 2: stylised facts on the baseline city")
    figs = {
        "concentration": save_figure(concentration_figure(cities), settings.docs,
                                     "facts_concentration", rep),
        "near_repeat": save_figure(near_repeat_figure(knox), settings.docs,
                                   "facts_near_repeat", rep),
        "journey": save_figure(journey_figure(trips), settings.docs, "facts_journey", rep),
    }
    write_report(rep, cfg, settings, cities, knox, trips, figs)
    rep.seconds = time.perf_counter() - t0
    return rep
