"""Reading a search folder back: what ``crimesim search --out DIR`` wrote, finished or not.

The dashboard's Search page (and anyone with the folder) needs the experiment's
statement, how far the search got, the Pareto table, the chosen mixes, the stress
test's PRIM boxes in words and the decision brief -- without the experiment file and
without rerunning anything. :func:`open_search` reads them from the files the search
wrote (:mod:`~sim.analysis.search.search_run`):

- ``search.json`` (:mod:`~sim.analysis.search.search_manifest`): the statement and
  the settings; without it the folder is not a search this reader can open;
- ``study.log``: how many candidates are done (read with optuna, as ``--resume``
  reads it; a search still running keeps appending to it, and optuna reads only its
  whole lines);
- ``candidates.csv`` and ``pareto.csv``, written when the loop ends, so a running
  search has none yet (or, while a resumed one runs, the previous run's);
- ``mixes/mix_<trial>.toml``, ``discovery.csv`` and ``prim_boxes.csv``,
  ``brief/report.html``.

A folder that is not a search, or whose manifest or tables cannot be read, is one
line (:class:`SearchFolderError`); an optional part that cannot be read (the stress
test, say) is a line in :attr:`SearchResults.problems` and the rest still opens.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.search.discovery import Discovery, chosen_mixes
from sim.analysis.search.optimiser import STUDY_LOG, STUDY_NAME
from sim.analysis.search.prim_boxes import NO_RESTRICTION, TABLE_COLUMNS, PrimBox
from sim.analysis.search.search_manifest import KIND, MANIFEST

#: Manifest keys the reader relies on.
MANIFEST_KEYS = ("name", "trials", "split", "levers", "uncertainties", "groups",
                 "objectives", "statistic", "quantile", "samples", "seeds",
                 "budget_per_year", "currency", "harm_unit", "days", "start_day")
#: The decision brief, inside the folder.
BRIEF = Path("brief") / "report.html"


class SearchFolderError(ValueError):
    """A folder that cannot be read as a search; the message says why, in one line."""


@dataclass(frozen=True)
class MixSummary:
    """One Pareto mix as a council reads it.

    Attributes:
        trial: Its candidate number in the search.
        shares: Intervention -> its share of the budget (0-1), for the split.
        levers: Every other searched key -> its value.
        cost_per_year: Robust yearly public cost.
        total_cost_per_year: The same with the partners' money (None if not recorded).
        harm_prevented: Group -> robust harm prevented over the window.
        max_regret: Group -> largest shortfall from the best candidate in any future.
        path: Its scenario file (``mixes/mix_<trial>.toml``), if it is a chosen mix.
    """

    trial: int
    shares: dict[str, float]
    levers: dict[str, float]
    cost_per_year: float
    total_cost_per_year: float | None
    harm_prevented: dict[str, float]
    max_regret: dict[str, float]
    path: Path | None


@dataclass(frozen=True)
class SearchResults:
    """What a search folder holds (see the module docstring).

    Attributes:
        root: The folder.
        manifest: ``search.json``.
        done: Candidates finished (from ``study.log``; the tables' rows without one).
        running: Candidates being evaluated now (or left unfinished by a killed run).
        candidates: ``candidates.csv`` (None until the loop has ended once).
        pareto: ``pareto.csv`` (likewise).
        mixes: The chosen mixes' scenario files by trial, best first.
        discovery: The stress test of :attr:`stress_tested` (None without one).
        stress_tested: The trial the stress test ran on (the first chosen mix).
        brief: ``brief/report.html`` if written.
        problems: One line per optional part that is there but cannot be read.
    """

    root: Path
    manifest: dict[str, Any]
    done: int
    running: int
    candidates: pd.DataFrame | None
    pareto: pd.DataFrame | None
    mixes: dict[int, Path]
    discovery: Discovery | None
    stress_tested: int | None
    brief: Path | None
    problems: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        """The experiment's name."""
        return str(self.manifest["name"])

    @property
    def wanted(self) -> int:
        """Candidates the search is to finish (a resumed search may be past the file's)."""
        return max(int(self.manifest["trials"]), self.done)

    @property
    def tables_current(self) -> bool:
        """Whether the tables hold every finished candidate (not an earlier run's)."""
        return self.candidates is not None and len(self.candidates) >= self.done

    @property
    def finished(self) -> bool:
        """Every candidate done, the tables written from them, the brief if one is due."""
        brief_due = int(self.manifest.get("brief_mixes", 0)) > 0 and bool(self.mixes)
        return (self.done >= self.wanted and self.running == 0 and self.tables_current
                and (self.brief is not None or not brief_due))

    @property
    def harm_objectives(self) -> list[str]:
        """``harm_prevented.<group>`` per group, ``everyone`` first."""
        return [f"harm_prevented.{g}" for g in self.manifest["groups"]]

    def status(self) -> str:
        """One line: how far the search got, and what a reader of an unfinished one sees."""
        head = f"{self.done} of {self.wanted} candidates done"
        if self.finished:
            return head + "; finished."
        if self.running:
            head += f", {self.running} running (or left unfinished by a stopped run)"
        if self.candidates is None:
            if not (self.root / STUDY_LOG).is_file():
                return (f"{head}: the search is starting (the base city's runs come first), "
                        "or stopped before its first candidate.")
            return (f"{head}: still running, or stopped (crimesim search ... --resume "
                    "continues it); the tables appear when every candidate is done.")
        if not self.tables_current:
            return (f"{head}: still running, or stopped; the tables below are the "
                    f"{len(self.candidates)} candidates of the run before.")
        return (f"{head}: the stress test or the decision brief is still being written, "
                "or the search stopped before it.")

    def statement(self) -> list[tuple[str, str]]:
        """The experiment in the terms of exploratory modelling: (what, text) pairs."""
        m = self.manifest
        money = f"{float(m['budget_per_year']):,.0f} {m['currency']}"
        levers = []
        if m["split"]:
            levers.append(f"the budget of {money} a year, split between "
                          f"{_and(list(m['split']))}")
        levers += [_range_text(r) for r in m["levers"]]
        uncertain = [_range_text(r) for r in m["uncertainties"]] or ["none"]
        futures = int(m["samples"])
        seeds = int(m["seeds"])
        if m["statistic"] == "mean":
            reading = f"the mean over {futures} futures per candidate (cost too)"
        else:
            q = float(m["quantile"])
            reading = (f"the {_ordinal(q)} percentile of harm prevented over {futures} "
                       f"futures per candidate (cost at the {_ordinal(1 - q)}: a "
                       "pessimistic reading of both)")
        reading += f", {seeds} seed{'s' if seeds != 1 else ''} each, the same for every candidate"
        groups = _and([str(g) for g in m["groups"]])
        limits = [f"public cost within {money} a year"]
        limits += [f"{label} reaches at least {float(v):.0%} coverage"
                   for label, v in dict(m.get("floors", {})).items()]
        return [("Levers", "; ".join(levers)),
                ("Uncertainties", "; ".join(uncertain)),
                ("Robustness", reading),
                ("Objectives", f"most harm prevented ({m['harm_unit']}) for {groups}; "
                               "least public cost per year"),
                ("Constraints", "; ".join(limits)),
                ("Runs", f"harm and cost counted from day {float(m['start_day']):g} to "
                         f"day {float(m['days']):g}; city "
                         f"{Path(str(m.get('scenario') or '?')).name}")]

    def chosen(self) -> list[int]:
        """The chosen mixes' trials, best first."""
        return list(self.mixes)

    def pareto_trials(self) -> list[int]:
        """The Pareto mixes' trials: most harm prevented for everyone first."""
        if self.pareto is None or self.pareto.empty:
            return []
        return chosen_mixes(self.pareto, self.harm_objectives[0], len(self.pareto))

    def mix(self, trial: int) -> MixSummary:
        """The Pareto (or any) candidate ``trial`` in a council's terms.

        Raises:
            SearchFolderError: No such candidate in the tables.
        """
        table = self.candidates if self.candidates is not None else self.pareto
        rows = None if table is None else table[table["trial"] == trial]
        if rows is None or rows.empty:
            raise SearchFolderError(f"no candidate {trial} in {self.root / 'candidates.csv'}")
        row = rows.iloc[0]
        split = list(self.manifest["split"])
        total = row.get("total_cost_per_year")
        return MixSummary(
            trial=int(trial),
            shares={label: float(row[f"budget_share.{label}"]) for label in split},
            levers={str(r["key"]): float(row[r["key"]]) for r in self.manifest["levers"]
                    if r["key"] in row},
            cost_per_year=float(row["cost_per_year"]),
            total_cost_per_year=None if total is None or pd.isna(total) else float(total),
            harm_prevented={g: float(row[f"harm_prevented.{g}"])
                            for g in self.manifest["groups"]},
            max_regret={g: float(row[f"max_regret.harm_prevented.{g}"])
                        for g in self.manifest["groups"]
                        if f"max_regret.harm_prevented.{g}" in row},
            path=self.mixes.get(int(trial)))

    def prim_sentences(self) -> list[str]:
        """What the stress test found, in words ([] when there was none)."""
        return self.discovery.sentences() if self.discovery is not None else []


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _ordinal(share: float) -> str:
    n = round(share * 100)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _range_text(r: dict[str, Any]) -> str:
    low, high = float(r["low"]), float(r["high"])
    return f"{r['key']} from {low:g} to {high:g}" + (" (whole numbers)" if r.get("integer")
                                                     else "")


def _manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        if (root / STUDY_LOG).is_file():
            raise SearchFolderError(
                f"{root}: no {MANIFEST}: an older crimesim search wrote this folder; run "
                "the same search again with --resume (it reuses every candidate) to add it")
        raise SearchFolderError(f"{root}: not a search folder (no {MANIFEST})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SearchFolderError(f"{root}: cannot read {MANIFEST} ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise SearchFolderError(f"{root}: {MANIFEST} is not a crimesim search's manifest")
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing:
        raise SearchFolderError(f"{root}: {MANIFEST} lacks {missing[0]!r}; not a crimesim "
                                "search folder")
    return manifest


def study_progress(path: Path) -> tuple[int, int]:
    """Candidates finished and running in the journal ``path`` (optuna reads it).

    Raises:
        SearchFolderError: The journal holds no search study.
    """
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.load_study(storage=JournalStorage(JournalFileBackend(str(path))),
                                  study_name=STUDY_NAME)
        states = [t.state for t in study.get_trials(deepcopy=False)]
    except (KeyError, ValueError, OSError) as exc:
        raise SearchFolderError(f"cannot read {path.name} ({exc})") from None
    return states.count(TrialState.COMPLETE), states.count(TrialState.RUNNING)


def _table(root: Path, name: str, needed: list[str]) -> pd.DataFrame:
    try:
        table = pd.read_csv(root / name)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise SearchFolderError(f"{root}: cannot read {name} ({exc})") from None
    missing = [c for c in needed if c not in table.columns]
    if missing and not table.empty:
        raise SearchFolderError(f"{root}: {name} lacks the column {missing[0]!r}; not a "
                                "table this search wrote")
    return table


def _tables(root: Path, manifest: dict[str, Any]) -> tuple[pd.DataFrame | None,
                                                            pd.DataFrame | None]:
    there = [(root / n).is_file() for n in ("candidates.csv", "pareto.csv")]
    if not any(there):
        return None, None
    if not all(there):
        lost = "pareto.csv" if there[0] else "candidates.csv"
        raise SearchFolderError(f"{root}: {lost} is missing beside "
                                f"{'candidates.csv' if there[0] else 'pareto.csv'}; the "
                                "folder is incomplete (run the search again with --resume)")
    needed = ["trial", *manifest["objectives"], "feasible", "pareto",
              *[f"budget_share.{s}" for s in manifest["split"]]]
    candidates = _table(root, "candidates.csv", needed)
    pareto = _table(root, "pareto.csv", needed)
    return candidates, pareto


def _mix_files(root: Path, pareto: pd.DataFrame | None, objective: str) -> dict[int, Path]:
    """The chosen mixes' files, in the search's order (most harm prevented first)."""
    found = {}
    for path in (root / "mixes").glob("mix_*.toml"):
        number = path.stem.removeprefix("mix_")
        if number.isdigit():
            found[int(number)] = path
    if pareto is None or pareto.empty:
        return dict(sorted(found.items()))
    order = chosen_mixes(pareto[pareto["trial"].isin(list(found))], objective, len(found))
    return {t: found[t] for t in order + sorted(set(found) - set(order))}


def read_boxes(table: pd.DataFrame, futures: pd.DataFrame) -> list[PrimBox]:
    """``prim_boxes.csv`` back into boxes (counts from the shares and the futures)."""
    missing = [c for c in TABLE_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"prim_boxes.csv lacks the column {missing[0]!r}")
    failures = int(futures["failed"].astype(bool).sum())
    boxes = []
    for _, rows in table.groupby("box", sort=True):
        first = rows.iloc[0]
        limits = {str(r["uncertainty"]): (float(r["lower"]), float(r["upper"]))
                  for _, r in rows.iterrows() if r["uncertainty"] != NO_RESTRICTION}
        mass, coverage = float(first["mass"]), float(first["coverage"])
        boxes.append(PrimBox(limits, coverage, float(first["density"]), mass,
                             int(round(mass * len(futures))),
                             int(round(coverage * failures))))
    return boxes


def _discovery(root: Path, trial: int | None) -> tuple[Discovery | None, str | None]:
    """The stress test as written, or None and (if it is there but unreadable) why."""
    futures_path, boxes_path = root / "discovery.csv", root / "prim_boxes.csv"
    if trial is None or not futures_path.is_file():
        return None, None
    try:
        futures = pd.read_csv(futures_path)
        if "failed" not in futures.columns:
            raise ValueError("discovery.csv lacks the column 'failed'")
        futures["failed"] = futures["failed"].astype(bool)
        if not boxes_path.is_file():
            raise ValueError("prim_boxes.csv is missing")
        table = pd.read_csv(boxes_path)
        boxes = read_boxes(table, futures) if not table.empty else []
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        return None, f"the stress test cannot be read: {exc}"
    return Discovery(trial, futures, boxes), None


def open_search(folder: str | Path) -> SearchResults:
    """Read the search folder ``folder`` (see the module docstring).

    Raises:
        SearchFolderError: One line saying why it is not a search this can read.
    """
    root = Path(folder).expanduser()
    if not root.exists():
        raise SearchFolderError(f"{root}: no such folder")
    if not root.is_dir():
        raise SearchFolderError(f"{root}: is a file; choose the folder crimesim search "
                                "--out wrote")
    manifest = _manifest(root)
    candidates, pareto = _tables(root, manifest)
    problems = []
    done, running = (len(candidates) if candidates is not None else 0), 0
    if (root / STUDY_LOG).is_file():
        try:
            done, running = study_progress(root / STUDY_LOG)
        except SearchFolderError as exc:
            problems.append(f"{exc}; counted from candidates.csv")
    objective = f"harm_prevented.{manifest['groups'][0]}"
    mixes = _mix_files(root, pareto, objective)
    stress_tested = next(iter(mixes), None)
    discovery, problem = _discovery(root, stress_tested)
    if problem:
        problems.append(problem)
    brief = root / BRIEF
    return SearchResults(root, manifest, done, running, candidates, pareto, mixes,
                         discovery, stress_tested if discovery is not None else None,
                         brief if brief.is_file() else None, tuple(problems))


def share_text(shares: dict[str, float]) -> str:
    """Budget shares as "street_lighting 27%, youth_programme 73%"."""
    return ", ".join(f"{label} {share:.0%}" for label, share in shares.items()
                     if math.isfinite(share))
