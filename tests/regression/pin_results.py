"""Write tests/regression/pinned_results.json from the current code: a deliberate act.

Only the current variant is written; ``pinned_classic.json`` (every newer mechanism
off) is regenerated only with ``--classic``, when the random streams themselves change
for every variant (as when the residents' plans moved to the counter-based stream of
the parallel kernels): it then holds the classic variant's results from that commit
on, for the first release's metric columns only.

Run: ``make pin-results`` (``.venv/bin/python tests/regression/pin_results.py``).

The pinned file guards every result of the model: ``test_pinned_results.py`` fails when
any metric total or any crime event of the pinned runs changes. Refactoring must leave it
alone. Only a change that is meant to change results (a new mechanism, a corrected rule,
recalibrated parameters) regenerates it, and the commit that does so says why in its
message, with what moved.
"""

from __future__ import annotations

import json
import sys

from pinned_runs import (
    CLASSIC_PIN_FILE,
    DAYS,
    PIN_FILE,
    SCENARIOS,
    SEEDS,
    START_DAY,
    key,
    load_pins,
    run_pinned,
)

NOTE = ("Pinned results: regenerating this file (make pin-results) is "
        "a deliberate act; the commit that changes it must say why results moved.")


def main(argv: list[str]) -> None:
    """Run every pinned scenario and seed and write the file (``--classic``: both)."""
    runs = {key(name, seed): run_pinned(name, seed) for name in SCENARIOS for seed in SEEDS}
    write(PIN_FILE, runs)
    if "--classic" in argv:
        old = load_pins("classic")
        classic = {}
        for name in SCENARIOS:
            for seed in SEEDS:
                got = run_pinned(name, seed, "classic")
                columns = old.get(key(name, seed), got)["metric_totals"]  # first release's
                got["metric_totals"] = {c: got["metric_totals"][c] for c in columns}
                classic[key(name, seed)] = got
        write(CLASSIC_PIN_FILE, classic)


def write(path, runs: dict) -> None:
    """Write one pinned file."""
    path.write_text(json.dumps({
        "note": NOTE, "days": DAYS, "interventions_start_day": START_DAY,
        "seeds": list(SEEDS), "scenarios": list(SCENARIOS), "runs": runs,
    }, indent=1, sort_keys=False) + "\n")
    print(f"wrote {path} ({len(runs)} runs)")


if __name__ == "__main__":
    main(sys.argv[1:])
