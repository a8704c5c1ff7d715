"""A candidate mix as a scenario file: what a council takes away, and compares.

The search's levers become plain scenario keys (each intervention's start and budget,
and the ``[levers]`` keys) in a file that extends the experiment's city, so the mix
can be run, compared (``crimesim compare``), edited and shared like any scenario.
The uncertainties keep the city's own values.
"""

from __future__ import annotations

from pathlib import Path

from sim.analysis.search.evaluation import budget_shares, candidate_overrides
from sim.analysis.search.experiment import SearchExperiment


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mix_toml(exp: SearchExperiment, levers: dict[str, float], name: str) -> str:
    """The scenario file's text for the mix with lever values ``levers``."""
    source = exp.scenario.source
    base = str(Path(source).resolve()) if source else "baseline.toml"
    shares = ", ".join(f"{label} {share:.0%}"
                       for label, share in budget_shares(exp, levers).items())
    lines = [f"# A mix found by crimesim search ({exp.name}); budget shares: {shares}",
             f"extends = {_quoted(base)}", f"name = {_quoted(name)}",
             f"description = {_quoted(f'{exp.name}: {shares}' if shares else exp.name)}"]
    tables: dict[str, list[str]] = {}
    for key, value in candidate_overrides(exp, levers).items():
        table, _, leaf = key.rpartition(".")
        tables.setdefault(table, []).append(f"{leaf} = {value!r}")
    for table, rows in tables.items():
        lines += ["", f"[{table}]", *rows]
    return "\n".join(lines) + "\n"
