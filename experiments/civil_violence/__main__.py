"""Rerun the civil-violence experiments and write their report with figures.

    .venv/bin/python -m experiments.civil_violence [--out docs/civil_violence]

Every run is seeded, so the report is the same on every machine (figures and numbers;
only the run time differs). Takes a few minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.civil_violence import corruption, legitimacy, punctuated  # noqa: E402
from experiments.civil_violence.report import write_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the three experiments, then write report.md, results.json and the PNGs."""
    import matplotlib

    matplotlib.use("Agg")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "civil_violence"),
                        help="folder for report.md, results.json and the figures")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results = {}
    for name, step in (("punctuated", punctuated.long_run), ("cop_density", punctuated.cop_density),
                       ("legitimacy", legitimacy.experiment),
                       ("corruption", corruption.experiment)):
        print(f"{name} ...", flush=True)
        results[name] = step(out)
    results["runtime_seconds"] = time.perf_counter() - t0
    (out / "results.json").write_text(json.dumps(results, indent=1, default=float) + "\n")
    path = write_report(results, out / "report.md")
    print(f"wrote {path} and its figures in {results['runtime_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
