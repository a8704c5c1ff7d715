"""Write tests/regression/pinned_results.json from the current code: a deliberate act.

Only the current variant is written; ``pinned_classic.json`` (every newer mechanism
off) holds the first release's results and is never regenerated.

Run: ``make pin-results`` (``.venv/bin/python tests/regression/pin_results.py``).

The pinned file guards every result of the model: ``test_pinned_results.py`` fails when
any metric total or any crime event of the pinned runs changes. Refactoring must leave it
alone. Only a change that is meant to change results (a new mechanism, a corrected rule,
recalibrated parameters) regenerates it, and the commit that does so says why in its
message, with what moved.
"""

from __future__ import annotations

import json

from pinned_runs import DAYS, PIN_FILE, SCENARIOS, SEEDS, START_DAY, key, run_pinned

NOTE = ("Pinned results: regenerating this file (make pin-results) is "
        "a deliberate act; the commit that changes it must say why results moved.")


def main() -> None:
    """Run every pinned scenario and seed and write the file."""
    runs = {key(name, seed): run_pinned(name, seed) for name in SCENARIOS for seed in SEEDS}
    PIN_FILE.write_text(json.dumps({
        "note": NOTE, "days": DAYS, "interventions_start_day": START_DAY,
        "seeds": list(SEEDS), "scenarios": list(SCENARIOS), "runs": runs,
    }, indent=1, sort_keys=False) + "\n")
    print(f"wrote {PIN_FILE} ({len(runs)} runs)")


if __name__ == "__main__":
    main()
