"""``crimesim scenarios`` and ``crimesim init``: the scenarios that come with crimesim.

After ``pip install`` there is no ``scenarios/`` folder to look in; these two commands
list what is shipped (``crimesim run NAME`` runs one) and copy it all to a folder of
the user's, to edit and run by path.
"""

from __future__ import annotations

import argparse
from typing import Any

from sim.scenario.shipped import copy_shipped, shipped_dir, shipped_scenarios


def add_parsers(sub: Any) -> None:
    """Register ``scenarios`` and ``init`` on the subcommand parser."""
    p = sub.add_parser("scenarios", help="list the shipped scenarios and lessons")
    p.set_defaults(func=scenarios_command)
    p = sub.add_parser("init", help="copy the shipped scenarios and maps to a folder, to edit")
    p.add_argument("folder", metavar="DIR", help="a new or empty folder")
    p.set_defaults(func=init_command)


def scenarios_command(args: argparse.Namespace) -> int:
    """Print each shipped scenario's name and description, the lessons last."""
    shipped = shipped_scenarios()
    width = max(len(s.name) for s in shipped)
    cities = [s for s in shipped if not s.is_lesson]
    lessons = [s for s in shipped if s.is_lesson]
    print(f"Scenarios (crimesim run NAME; the files are in {shipped_dir()}):")
    for s in cities:
        print(f"  {s.name:<{width}}  {s.description}")
    print("Lessons (the Learn page's presets; crimesim run lessons/NAME):")
    for s in lessons:
        print(f"  {s.name:<{width}}  {s.description}")
    print("Copy them to edit: crimesim init DIR")
    return 0


def init_command(args: argparse.Namespace) -> int:
    """Copy the shipped scenarios into a new or empty folder and say how to run one."""
    files = copy_shipped(args.folder)
    n_scenarios = sum(1 for f in files if f.suffix == ".toml")
    n_maps = len(files) - n_scenarios
    print(f"copied {n_scenarios} scenario files and {n_maps} map file{'s' * (n_maps != 1)} "
          f"to {args.folder}")
    print(f"run one: crimesim run {args.folder}/baseline.toml --days 30 --out out/baseline")
    return 0
