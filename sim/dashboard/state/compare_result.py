"""A finished comparison rendered for the Compare page, and the run that makes it.

:func:`run_prepared` runs a :class:`~sim.dashboard.state.compare_settings.Prepared`
comparison with the engine behind ``crimesim compare`` and renders its table, CSV,
JSON and figures to bytes, so the page and its downloads need no files on the server.
The headline figures a policymaker reads first are display text here, without Solara,
so they can be checked in plain tests.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.analysis.compare import Comparison
from sim.analysis.effects import Row, find
from sim.analysis.executor import make_executor
from sim.analysis.stop_signal import RunStoppedError
from sim.dashboard.state.compare_areas import AreaResult, area_results
from sim.dashboard.state.compare_settings import Prepared


class ComparisonStoppedError(Exception):
    """The user (or a closed page) stopped the comparison."""


@dataclass
class CompareResult:
    """A finished comparison, rendered for the page and its downloads.

    Attributes:
        comparison: The outcomes by scenario and replication.
        rows: The tidy effect rows (what comparison.csv holds).
        table: The terminal table of ``crimesim compare``.
        headline: Per alternative, the headline figures as display text.
        files: File name -> bytes: comparison.csv, comparison.json, effects.png and
            one change_map_<scenario>.png per alternative.
        runtime_s: Wall time of the runs.
        areas: Per alternative, the change by area (a georeferenced city only).
        settings: The Compare page's settings that made it
            (:meth:`~sim.dashboard.state.compare_settings.CompareJob.snapshot`).
        run_id: Its id in the store (:mod:`sim.dashboard.state.compare_store`), once saved.
        sensitivity: The brief's one-at-a-time check per alternative
            (:func:`sim.analysis.sensitivity_oat.brief_check`), or None if not run.
    """

    comparison: Comparison
    rows: list[Row]
    table: str
    headline: list[dict[str, str]]
    files: dict[str, bytes] = field(default_factory=dict)
    runtime_s: float = 0.0
    areas: dict[str, AreaResult] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    run_id: str | None = None
    sensitivity: dict[str, Any] | None = None

    def change_maps(self) -> dict[str, bytes]:
        """Alternative label -> its change map PNG, in the alternatives' order."""
        from sim.analysis.figures import safe_name

        return {label: self.files[f"change_map_{safe_name(label)}.png"]
                for label in self.comparison.alternatives}


def headline(cmp: Comparison, rows: list[Row]) -> list[dict[str, str]]:
    """Per alternative, the figures a policymaker reads first, as display text."""
    def pct(row: Row | None) -> str:
        return f"{row.change_pct:+.1f}" if row and math.isfinite(row.change_pct) else "n/a"

    def ci(lo: float, hi: float, digits: int, sign: bool = True) -> str:
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return "n/a"
        f = f"{{:+,.{digits}f}}" if sign else f"{{:,.{digits}f}}"
        return f"[{f.format(lo)}, {f.format(hi)}]"

    def value(row: Row | None, digits: int, sign: bool = False) -> str:
        if row is None or not math.isfinite(row.value):
            return "n/a"
        f = f"{{:+,.{digits}f}}" if sign else f"{{:,.{digits}f}}"
        return f"{f.format(row.value)} {ci(row.value_low, row.value_high, digits, sign)}"

    out = []
    for label in cmp.alternatives:
        crimes = find(rows, label, "crimes")
        victims = find(rows, label, "prevalence", "any", group="everyone")
        cost = find(rows, label, "cost")
        out.append({
            "scenario": label,
            "crimes, change %": pct(crimes),
            "95% CI": ci(crimes.ci_low, crimes.ci_high, 1) if crimes else "n/a",
            "people victimised, change %": pct(victims),
            "crimes prevented": value(find(rows, label, "crimes_prevented"), 0),
            "WDQ": value(find(rows, label, "wdq", area="treated"), 2, sign=True),
            f"cost ({cost.unit if cost else cmp.currency})":
                f"{cost.value:,.0f}" if cost and math.isfinite(cost.value) else "n/a",
            "cost per crime prevented": value(find(rows, label, "cost_per_crime_prevented"), 0),
        })
    return out


def run_prepared(prepared: Prepared, on_done: Callable[[int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 stop_file: str | None = None) -> CompareResult:
    """Run the comparison and render its table, CSV, JSON and figures to bytes.

    Args:
        prepared: From :meth:`CompareJob.prepare`.
        on_done: Called with a job index after each run (the progress indicator).
        cancelled: Polled after each run; when it returns True the comparison stops
            with :class:`ComparisonStoppedError`.
        stop_file: A :class:`~sim.analysis.stop_signal.StopSignal`'s path, polled by
            the runs in progress once per simulated day: setting it stops them
            within a day's computation, with :class:`ComparisonStoppedError`.
    """
    from sim.analysis.compare import run_comparison
    from sim.analysis.comparison_files import write_comparison_files
    from sim.analysis.comparison_table import format_table
    from sim.analysis.effects import effect_rows
    from sim.analysis.sensitivity_oat import brief_check

    def done(i: int) -> None:
        if on_done is not None:
            on_done(i)
        if cancelled is not None and cancelled():
            raise ComparisonStoppedError("comparison stopped")

    executor = make_executor(prepared.workers, stop_file)
    t0 = time.perf_counter()
    try:
        cmp = run_comparison(prepared.base, prepared.alternatives, reps=prepared.reps,
                             ticks=prepared.ticks, seed=prepared.seed, executor=executor,
                             on_done=done, stop_file=stop_file)
    except RunStoppedError as exc:
        raise ComparisonStoppedError(f"comparison stopped ({exc})") from None
    runtime = time.perf_counter() - t0
    rows = effect_rows(cmp)
    try:  # the brief's assumptions, as `crimesim compare --report` checks them
        sensitivity = brief_check(prepared.base, prepared.alternatives, cmp, rows,
                                  executor=executor, on_done=done)
    except RunStoppedError as exc:
        raise ComparisonStoppedError(f"comparison stopped ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="crimesim-compare-") as tmp:
        paths = write_comparison_files(cmp, rows, tmp, runtime, executor.workers)
        files = {path.name: path.read_bytes() for path in paths}
    return CompareResult(cmp, rows, format_table(cmp, rows), headline(cmp, rows), files,
                         runtime, area_results(cmp, prepared.base), dict(prepared.settings),
                         sensitivity=sensitivity)
