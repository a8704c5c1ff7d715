"""``crimesim run``: one simulation, its headline figures, and its output files."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.cli.arguments import add_threads, apply_threads, nonneg_float, nonneg_int
from sim.errors import UsageError
from sim.families import DEFAULT_ENGINE, ModelFamily, family_for
from sim.scenario import Scenario, ScenarioError, parse_override
from sim.scenario.classic import classic
from sim.scenario.shipped import resolve_scenario


def add_parser(sub: Any) -> None:
    """Register ``run`` on the subcommand parser."""
    p = sub.add_parser("run", help="run one scenario and write its results")
    p.add_argument("scenario", help="scenario TOML file, or the name of a shipped scenario "
                                    "(crimesim scenarios lists them)")
    p.add_argument("--seed", type=nonneg_int, default=1, help="random seed (default 1)")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--ticks", type=nonneg_int, help="ticks to run")
    length.add_argument("--days", type=nonneg_float, help="days to run (default: time.days)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key, e.g. --set offenders.count=500 (repeatable)")
    p.add_argument("--out", help="folder for metrics.parquet, summary.json, fields.npz "
                                 "(and areas.csv, areas.gpkg, crime.tif on a georeferenced "
                                 "city)")
    p.add_argument("--check-invariants", action="store_true",
                   help="debug mode: check the model's invariants after every tick")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_threads(p)
    p.add_argument("--engine", choices=("fast", "reference"), default="fast",
                   help="fast (numba kernels, default) or reference (the same rules as "
                        "plain Mesa agents: slow, for reading and checking; sim/reference)")
    p.set_defaults(func=run_command)


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["a.b=1", "c=x"]`` -> ``{"a.b": 1, "c": "x"}`` with TOML value parsing."""
    out: dict[str, Any] = {}
    for item in items:
        try:
            key, value = parse_override(item)
        except ScenarioError as exc:
            raise ScenarioError(f"--set {exc}") from None
        out[key] = value
    return out


def load_scenario(path: str, overrides: list[str]) -> Scenario:
    """Load a scenario file and apply ``--set`` overrides."""
    scenario = Scenario.load(path)
    if overrides:
        scenario = scenario.with_overrides(parse_overrides(overrides))
    return scenario


def run_command(args: argparse.Namespace) -> int:
    """Run the scenario on its family's model, print the headline figures, write the files."""
    apply_threads(args)
    args.scenario = str(resolve_scenario(args.scenario))
    scenario = load_scenario(args.scenario, args.overrides)
    family = choose_family(scenario, args)
    if family.engine == "reference":
        # The reference engine implements the classic model: switch the newer mechanisms
        # off (and restore their first-release rates) before the user's own --set.
        scenario = classic(Scenario.load(args.scenario))
        if args.overrides:
            scenario = scenario.with_overrides(parse_overrides(args.overrides))
        if not args.quiet:
            print("reference engine: the classic model (newer mechanisms off; "
                  "sim.scenario.classic)")
    if args.out:
        check_map(scenario)
    options = {"check_invariants": True} if args.check_invariants else {}
    model = family.build(scenario, args.seed, **options)
    ticks = family.run_ticks(scenario, getattr(model, "ticks_per_day", 1),
                             ticks=args.ticks, days=args.days)
    return run_and_report(model, ticks, args, family.write_run, family.print_headline,
                          chunk=family.progress_chunk)


def check_map(scenario: Scenario) -> None:
    """Refuse a map whose georeference cannot be written to GIS files, before the run.

    A georeferenced map's results are also written as a GeoPackage and a GeoTIFF
    (:mod:`sim.geo.area_files`) at the end of the run; an unreadable CRS is said at
    the start instead.
    """
    city = scenario.params.city
    if city.layout == "map" and city.map_file:
        from sim.geo.area_files import check_map_crs

        check_map_crs(city.map_file)


def choose_family(scenario: Scenario, args: argparse.Namespace) -> ModelFamily:
    """The family that runs ``scenario`` on ``--engine``, refusing flags it cannot honour.

    Raises:
        UsageError: The scenario's model has no such engine, does not check
            invariants, or counts ticks and ``--days`` was given.
    """
    engine = getattr(args, "engine", DEFAULT_ENGINE)
    try:
        family = family_for(scenario, engine)
    except LookupError as exc:
        raise UsageError(f"--engine: {exc}; leave --engine out") from None
    model = scenario.params.model
    if getattr(args, "check_invariants", False) and "check_invariants" not in family.options:
        raise UsageError(f"--check-invariants: not available for a {model} scenario "
                         f"(on {family.title}, its kernel tests check the invariants)")
    if getattr(args, "days", None) is not None and not family.counts_days:
        raise UsageError(f"--days: a {model} scenario counts ticks; use --ticks "
                         f"(default {family.length_key} = "
                         f"{family.default_length(scenario)})")
    return family


def run_and_report(model: Any, ticks: int, args: argparse.Namespace,
                   write: Callable[..., dict[str, Path]],
                   headline: Callable[[Any, float], None], chunk: int | None = None) -> int:
    """Run, then write the files and print the headline as the flags ask.

    ``write`` and ``headline`` are the family's (:class:`sim.families.ModelFamily`).
    """
    t0 = time.perf_counter()
    run_with_progress(model, ticks, show=not (args.quiet or args.no_progress), chunk=chunk)
    runtime = time.perf_counter() - t0
    paths = write(model, args.out, args.seed, runtime) if args.out else {}
    if not args.quiet:
        headline(model, runtime)
        if paths:
            print("wrote " + ", ".join(str(p) for p in paths.values()))
    return 0


def run_with_progress(model: Any, ticks: int, show: bool = True,
                      chunk: int | None = None) -> None:
    """Run ``ticks`` ticks in chunks (a day by default), with a progress bar.

    The progress bar appears only if the run takes more than two seconds.
    """
    from tqdm import tqdm

    chunk = chunk or model.ticks_per_day
    with tqdm(total=ticks, unit="tick", disable=not show, delay=2.0, leave=False,
              desc=model.scenario.name) as bar:
        done = 0
        while done < ticks:
            n = min(chunk, ticks - done)
            model.run_for(n)
            done += n
            bar.update(n)
