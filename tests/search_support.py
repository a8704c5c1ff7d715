"""A tiny real policy search, run once per test session, for the tests that read one.

The reader of search folders (tests/search/test_search_results.py), the Search page
(tests/dashboard/test_search_page.py) and its browser test all read the folder this
writes: ``crimesim search`` itself on the small city (40 x 40, 3000 residents), two
levers (budget shares), one uncertainty, 4 candidates in one batch under 2 futures,
a stress test of 8 futures and a decision brief of 1 mix with 2 replications.
What the command printed is kept too: the sentences it said about the stress test
come from the search's own result, not from reading the folder back.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from repo_paths import SMALL_OVERRIDES

from sim.scenario.shipped import resolve_scenario

#: The searched interventions.
SPLIT = ("street_lighting", "youth_programme")
#: The budget per year (EUR) and the days the interventions run (from day 5 to 20).
BUDGET, START_DAY, DAYS = 400_000.0, 5, 20
EXPERIMENT = f"""
name = "tiny"
description = "Lighting or youth work for a small city, under uncertain deterrence"
scenario = "small.toml"
days = {DAYS}
start_day = {START_DAY}
seed = 101
seeds = 1
trials = 4
batch = 4
[budget]
per_year = {BUDGET:g}
split = ["{SPLIT[0]}", "{SPLIT[1]}"]
[uncertainties]
"police.deterrence" = [0.8, 1.6]
[robustness]
statistic = "quantile"
quantile = 0.25
samples = 2
[objectives]
groups = ["everyone", "women_and_girls"]
[discovery]
samples = 8
[brief]
mixes = 1
reps = 2
"""


@dataclass(frozen=True)
class TinySearch:
    """A finished search folder and what ``crimesim search`` printed writing it."""

    out: Path
    experiment: Path
    printed: str


#: The tiny search's city: the small city with 300 offenders, not 60. With 60 it has
#: about 0.6 crimes a day, so 15 measured days at the 25th percentile of two futures
#: left every candidate's harm prevented at 0 and the cheapest mix alone on the Pareto
#: set; at ~4 crimes a day the mixes differ and trade harm against cost.
SEARCH_CITY: dict[str, object] = dict(SMALL_OVERRIDES, **{"offenders.count": 300})


def small_city(folder: Path, overrides: dict[str, object] | None = None) -> Path:
    """The small baseline city (or ``overrides`` of baseline) as a scenario file in ``folder``."""
    lines = [f'extends = "{resolve_scenario("baseline")}"', 'name = "small"']
    tables: dict[str, list[str]] = {}
    for key, value in (SMALL_OVERRIDES if overrides is None else overrides).items():
        table, name = key.split(".")
        tables.setdefault(table, []).append(f"{name} = {value}")
    for table, entries in tables.items():
        lines += [f"[{table}]", *entries]
    path = folder / "small.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_tiny_search(folder: Path, pdf: bool = False) -> TinySearch:
    """Write the experiment in ``folder`` and run ``crimesim search`` into ``folder/out``.

    Without ``pdf`` the brief's report.pdf is not printed (Chromium takes seconds, and
    no reader of the folder opens the PDF); report.html is written as always.
    """
    from sim.cli.main import main
    from sim.report import render

    small_city(folder, SEARCH_CITY)
    experiment = folder / "search.toml"
    experiment.write_text(textwrap.dedent(EXPERIMENT))
    out = folder / "out"
    printed = io.StringIO()
    no_pdf = mock.patch.object(render, "write_pdf", lambda html, path: "no PDF in tests")
    with contextlib.redirect_stdout(printed), no_pdf if not pdf else contextlib.nullcontext():
        code = main(["search", str(experiment), "--workers", "1", "--out", str(out)])
    assert code == 0, printed.getvalue()
    return TinySearch(out, experiment, printed.getvalue())
