"""``crimesim analyze``: tables, response plots and sensitivity indices of a sweep.

    crimesim analyze DIR [--out ANALYSIS_DIR] [--metric NAME ...]

Reads the sweep folder ``DIR`` (finished or not) and writes ``summary.csv``, the
figures and ``report.md`` to ``DIR/analysis`` unless told otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import writable_folder


def add_parser(sub: Any) -> None:
    """Register ``analyze`` on the subcommand parser."""
    p = sub.add_parser("analyze", help="summarise a sweep: tables, plots, sensitivity")
    p.add_argument("folder", metavar="DIR", help="a sweep's output folder")
    p.add_argument("--out", help="where to write the analysis (default DIR/analysis)")
    p.add_argument("--metric", dest="metrics", action="append", default=None, metavar="NAME",
                   help="analyse only this metric (repeatable; default: all)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=analyze_command)


def analyze_command(args: argparse.Namespace) -> int:
    """Open the sweep, analyse it, print where everything went."""
    from sim.analysis.sweep.analysis import analyze
    from sim.analysis.sweep.results import SweepFolderError, SweepResults
    from sim.errors import UsageError

    try:
        results = SweepResults.open(args.folder)
        for m in args.metrics or []:
            if m not in results.metrics:
                raise SweepFolderError(f"--metric {m}: not a metric of this sweep (it has: "
                                       f"{', '.join(results.metrics)})")
    except SweepFolderError as exc:
        raise UsageError(str(exc)) from None
    if results.runs_stored == 0:
        raise UsageError(f"{args.folder}: no run has finished yet; nothing to analyse")
    out = writable_folder(args.out or f"{args.folder}/analysis")
    done = analyze(results, out, args.metrics)
    if not args.quiet:
        m = results.manifest
        print(f"sweep {m['name']}: {results.runs_stored} of {m['runs_planned']} runs stored, "
              f"{len(results.failures)} failed")
        print(f"wrote {len(done.files)} files to {out}: report.md, summary.csv"
              + (", sensitivity.csv" if done.sensitivity else "") + ", figures")
        for section in done.report.sections:
            if section.most_influential:
                name, index, value = section.most_influential
                print(f"  {section.metric}: most influential {name} ({index} {value:.3g})")
    return 0
