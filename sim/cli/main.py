"""The ``crimesim`` command line: every subcommand, from run and compare to city and crimes.

Bad input never shows a traceback: every user error becomes one line on stderr,
``crimesim: error: ...``, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sim.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line (no usage dump) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from sim.cli import (
        analyze,
        bench,
        calibrate,
        city,
        compare,
        crimes,
        dashboard,
        run,
        scenarios,
        search,
        sensitivity,
        sweep,
        validate,
    )

    parser = _Parser(prog="crimesim", description="Simulate urban crime prevention policies.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    run.add_parser(sub)
    compare.add_parser(sub)
    sensitivity.add_parser(sub)
    sweep.add_parser(sub)
    analyze.add_parser(sub)
    validate.add_parser(sub)
    bench.add_parser(sub)
    dashboard.add_parser(sub)
    city.add_parser(sub)
    crimes.add_parser(sub)
    calibrate.add_parser(sub)
    search.add_parser(sub)
    scenarios.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status.

    The errors it reports are imported here, not at the top of the module: a Dask
    worker spawned by ``crimesim sweep`` re-imports the console script's module (as
    multiprocessing does for a spawned process's main module), and at the top these
    imports would load every model family's package (the reference engine's too) in
    each worker before its first run (docs/performance.md, Sweeps on Dask).
    """
    from sim.analysis.sweep.spec import SweepError
    from sim.crime.invariants import InvariantError
    from sim.interventions import InterventionError
    from sim.scenario import ScenarioError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            from sim.version import __version__

            print(f"crimesim {__version__}")
            return 0
        if not args.command:
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except (UsageError, ScenarioError, InterventionError, SweepError) as exc:
        print(f"crimesim: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("crimesim: interrupted", file=sys.stderr)
        return 130
    except InvariantError as exc:  # a bug in the model, not in the input
        print(f"crimesim: model invariant broken ({exc}); please report it with the "
              "scenario and seed", file=sys.stderr)
        return 1
    except MemoryError:
        print("crimesim: error: out of memory: make the city or its populations smaller "
              "(city.width, city.height, residents.count, offenders.count)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"crimesim: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
