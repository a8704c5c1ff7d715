"""``crimesim validate``: check scenario files without running them.

Each file is loaded (every key's type and range, cross-checks), then its city is
built and every intervention's target area resolved against it, as a run would, so
a rectangle outside the city or a district that does not exist is caught here, not
at the start of a long run. ``--schema-only`` skips the city.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.families import family_for
from sim.scenario import SCHEMA, Scenario, ScenarioError
from sim.scenario.shipped import resolve_scenario


def add_parser(sub: Any) -> None:
    """Register ``validate`` on the subcommand parser."""
    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario TOML files or shipped scenario names")
    p.add_argument("--schema-only", action="store_true",
                   help="check keys and values only; do not build the city and targets")
    p.set_defaults(func=validate_command)


def validate_command(args: argparse.Namespace) -> int:
    """Print ``ok`` or the error for each file; exit 2 if any file is bad."""
    from sim.interventions import InterventionError

    bad = 0
    for path in args.files:
        try:
            sc = Scenario.load(resolve_scenario(path))
            if not args.schema_only:
                check_build(sc)
        except (ScenarioError, InterventionError) as exc:
            text = str(exc)
            where = "" if text.startswith(str(path)) else f"{path}: "
            print(f"crimesim: error: {where}{text}", file=sys.stderr)
            bad += 1
        else:
            default = SCHEMA["model"].default
            family = "" if sc.params.model == default else f", model {sc.params.model}"
            print(f"ok: {path} ({sc.name}{family})")
    return 2 if bad else 0


def check_build(scenario: Scenario) -> None:
    """Build the scenario's model (no agent views, no step) as a run would start it."""
    family_for(scenario).build(scenario, 0, agent_views=False)
