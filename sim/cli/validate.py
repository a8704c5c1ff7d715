"""``crimesim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.scenario import Scenario, ScenarioError


def add_parser(sub: Any) -> None:
    """Register ``validate`` on the subcommand parser."""
    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario TOML files")
    p.set_defaults(func=validate_command)


def validate_command(args: argparse.Namespace) -> int:
    """Print ``ok`` or the error for each file; exit 2 if any file is bad."""
    bad = 0
    for path in args.files:
        try:
            sc = Scenario.load(path)
        except ScenarioError as exc:
            print(f"crimesim: error: {exc}", file=sys.stderr)
            bad += 1
        else:
            print(f"ok: {path} ({sc.name})")
    return 2 if bad else 0
