"""One browser session's Compare settings, checked as they are typed, without Solara.

The Compare page runs the engine behind ``crimesim compare``
(:func:`sim.analysis.compare.run_comparison`) on what the user picks: scenario files,
or the settings the user has made on the Explore page in this browser session
(:data:`EXPLORE_CHOICE`, handed in as a callable so this module needs no page). Every
browser session has its own :class:`CompareJob` (kept in
:mod:`sim.dashboard.pages.browser_state`, so the settings survive a visit to another
page), so two sessions never share anything.

Fields are checked as they are typed (replications, days, seed, workers, the
``--set``-style overrides): a bad value is remembered with a message for that field
and every other setting is kept. :meth:`CompareJob.prepare` then loads the scenarios
and checks they can be compared -- again with a message per field -- and hands a
:class:`Prepared` comparison to :func:`sim.dashboard.state.compare_result.run_prepared`
(run in the session's background thread, see :mod:`sim.dashboard.state.compare_run`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.compare import check_compatible, plan
from sim.analysis.executor import default_workers
from sim.dashboard.state.city_library import imported_cities
from sim.dashboard.state.explore_session import SCENARIO_DIR, scenario_files
from sim.families import runs_crime_model
from sim.scenario import Scenario, ScenarioError, parse_override, parse_override_value

#: Replications a new session starts with (the fewest that give a confidence interval
#: plus one: the page is for a first look; the command line does the long runs).
DEFAULT_REPS = 3
#: The base a new session starts with, and the alternative.
DEFAULT_BASE = "baseline"
DEFAULT_ALTERNATIVE = "street_lighting"

#: The choice that stands for the current Explore settings in the base and
#: alternative pickers (every other choice is a scenario file's stem).
EXPLORE_CHOICE = "Explore settings"

#: Settings typed as text, by field key.
TEXT_KEYS: tuple[str, ...] = ("reps", "days", "seed", "workers", "overrides")

#: The most replications the page runs (50 give intervals about 5 times narrower than
#: 2; beyond that, ``crimesim compare`` on a machine of its own is the tool).
MAX_REPS = 50
#: The longest run the page accepts: ten years.
MAX_DAYS = 3650
#: The longest name of a variant (it heads a table column and a file name).
MAX_NAME = 40


def max_workers() -> int:
    """The most workers the page runs: one per core of this server."""
    return max(1, os.cpu_count() or 1)


def parse_overrides(text: str) -> dict[str, Any]:
    """``--set``-style overrides: one ``KEY=VALUE`` per line (or separated by ``;``).

    Raises:
        ScenarioError: An item that is not ``KEY=VALUE``.
    """
    out: dict[str, Any] = {}
    for line in text.replace(";", "\n").splitlines():
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        if not item.partition("=")[2].strip():  # here a value is required too
            raise ScenarioError(f"{item!r}: expected KEY=VALUE, e.g. offenders.count=500")
        key, value = parse_override(item)
        out[key] = value
    return out


def format_overrides(overrides: dict[str, Any]) -> str:
    """The text of ``overrides`` as the overrides field shows it (one per line)."""
    return "\n".join(f"{k}={json.dumps(v) if isinstance(v, str) else v}"
                     for k, v in overrides.items())


def _number(text: str) -> Any:
    text = str(text).strip()
    return parse_override_value(text) if text else ""


@dataclass
class Prepared:
    """A comparison ready to run: the scenarios with overrides and the run's size."""

    base: Scenario
    alternatives: list[Scenario]
    reps: int
    ticks: int
    days: float
    seed: int
    workers: int
    settings: dict[str, Any] = field(default_factory=dict)
    sensitivity_runs: int = 0

    @property
    def n_jobs(self) -> int:
        """Runs in the comparison (replications times scenarios)."""
        return self.reps * (1 + len(self.alternatives))

    @property
    def total_runs(self) -> int:
        """The comparison's runs plus its brief's sensitivity check's (shorter) runs."""
        return self.n_jobs + self.sensitivity_runs


def explore_label(scenario: Scenario) -> str:
    """The name a comparison gives the Explore settings (its tables and file names).

    It says where the settings came from ("Explore settings (baseline)"), so that a
    base file and Explore's edits of the same file get told apart.
    """
    return f"{EXPLORE_CHOICE} ({scenario.name})"


class CompareJob:
    """The Compare page's settings for one browser session.

    Args:
        overrides: ``--set``-style keys applied to every scenario (e.g. a small city).
        folder: Where the scenario files are.
        explore: Returns the scenario of this session's Explore settings (None when
            there is none, e.g. in a job made outside the dashboard); it is read when
            the comparison is prepared, so the run takes the settings of that moment.

    Attributes:
        base: The base: a scenario file's stem or :data:`EXPLORE_CHOICE`.
        alternatives: The alternatives, likewise, in the order chosen.
        reps, days, seed, workers: The accepted settings (``days`` None: the base
            scenario's own ``time.days``).
        overrides: The accepted overrides.
        texts: The text last typed per field (kept when refused).
        errors: Message per field whose last value was refused.
    """

    def __init__(self, overrides: dict[str, Any] | None = None,
                 folder: Path = SCENARIO_DIR,
                 explore: Callable[[], Scenario | None] | None = None) -> None:
        self.files = {p.stem: p for p in scenario_files(folder)}
        if folder == SCENARIO_DIR:  # and the cities imported on this server
            self.files.update(imported_cities())
        self._explore = explore or (lambda: None)
        self.base = DEFAULT_BASE if DEFAULT_BASE in self.files else next(iter(self.files))
        self.alternatives = [DEFAULT_ALTERNATIVE] if DEFAULT_ALTERNATIVE in self.files else []
        self.reps = DEFAULT_REPS
        self.days: float | None = None
        self.seed = 1
        self.workers = default_workers()
        self.overrides: dict[str, Any] = dict(overrides or {})
        self.texts: dict[str, str] = {"overrides": format_overrides(self.overrides)}
        self.errors: dict[str, str] = {}
        self.variants: dict[str, Scenario] = {}
        self._checked: set[str] = set()  # fields marked by the last prepare()

    # --- settings -----------------------------------------------------------------------
    @property
    def choices(self) -> list[str]:
        """What the pickers offer: the Explore settings (if any), the variants, the files."""
        rest = [*self.variants, *sorted(self.files)]
        return [EXPLORE_CHOICE, *rest] if self._explore() is not None else rest

    # --- named variants -----------------------------------------------------------------
    def _name_problem(self, name: str, keep: str | None = None) -> str | None:
        """Why ``name`` cannot name a variant (``keep``: the variant being renamed)."""
        if not name:
            return "variant: type a name first"
        if len(name) > MAX_NAME:
            return f"variant: a name of at most {MAX_NAME} characters, got {len(name)}"
        taken = name == EXPLORE_CHOICE or name in self.files or (
            name in self.variants and name != keep)
        return f"variant: {name!r} is taken; choose another name" if taken else None

    def add_variant(self, name: str) -> str | None:
        """Keep the current Explore settings as the variant ``name``, an alternative.

        The variant is a copy: later edits in Explore do not change it, so several
        variants made one after another compare side by side in one run.

        Returns:
            None if added, else the message for the variant field.
        """
        name = str(name).strip()
        explore = self._explore()
        if explore is None:
            return self._refuse("variant", "variant: open the Explore page first; a "
                                           "variant is a copy of its current settings")
        problem = self._name_problem(name)
        if problem:
            return self._refuse("variant", problem)
        self.variants[name] = explore.with_overrides({"name": name})
        self.alternatives.append(name)
        self.errors.pop("variant", None)
        return None

    def rename_variant(self, old: str, new: str) -> str | None:
        """Rename the variant ``old`` to ``new`` wherever it is chosen."""
        new = str(new).strip()
        if old not in self.variants:
            return self._refuse("variant", f"variant: no variant {old!r}")
        problem = self._name_problem(new, keep=old)
        if problem:
            return self._refuse("variant", problem)
        self.variants = {(new if k == old else k): (v.with_overrides({"name": new})
                                                    if k == old else v)
                         for k, v in self.variants.items()}
        self.alternatives = [new if a == old else a for a in self.alternatives]
        if self.base == old:
            self.base = new
        self.errors.pop("variant", None)
        return None

    def remove_variant(self, name: str) -> None:
        """Forget the variant ``name`` (and drop it from the base and alternatives)."""
        self.variants.pop(name, None)
        self.alternatives = [a for a in self.alternatives if a != name]
        if self.base == name:
            self.base = DEFAULT_BASE if DEFAULT_BASE in self.files else next(iter(self.files))

    # --- saved with a result ------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The settings as JSON-ready data (saved next to a result, see :meth:`restore`).

        The current Explore settings are saved as what they were, under their label.
        """
        variants = {name: _scenario_data(sc) for name, sc in self.variants.items()}
        explore = self._explore()
        if explore is not None and EXPLORE_CHOICE in (self.base, *self.alternatives):
            variants[explore_label(explore)] = _scenario_data(
                explore.with_overrides({"name": explore_label(explore)}))

        def label(choice: str) -> str:
            return (explore_label(explore) if choice == EXPLORE_CHOICE
                    and explore is not None else choice)

        return {"base": label(self.base), "alternatives": [label(a) for a in self.alternatives],
                "reps": self.reps, "days": self.days, "seed": self.seed,
                "workers": self.workers, "overrides": dict(self.overrides),
                "variants": variants}

    def restore(self, settings: dict[str, Any]) -> None:
        """Take back the settings of :meth:`snapshot` (a stored result's).

        Saved variants (and Explore settings) come back as variants; a scenario file
        that has gone since is left out of the choice, with a message.
        """
        for name, data in settings.get("variants", {}).items():
            if name not in self.files and name != EXPLORE_CHOICE:
                self.variants[name] = Scenario(
                    data["raw"], source=data.get("source"),
                    base_dir=Path(data["base_dir"]) if data.get("base_dir") else None)
        missing = [c for c in (settings.get("base"), *settings.get("alternatives", []))
                   if c is not None and not self._known(c)]
        if settings.get("base") in self.files or settings.get("base") in self.variants:
            self.base = settings["base"]
        self.alternatives = [a for a in settings.get("alternatives", []) if self._known(a)]
        for key in ("reps", "seed", "workers"):
            if isinstance(settings.get(key), int):
                setattr(self, key, settings[key])
        days = settings.get("days")
        self.days = float(days) if isinstance(days, int | float) else None
        self.overrides = dict(settings.get("overrides", {}))
        self.texts = {"overrides": format_overrides(self.overrides)}
        self.errors = {}
        if missing:
            self.errors["alternatives"] = (f"alternatives: {', '.join(map(repr, missing))} "
                                           "no longer on this server")

    def scenario(self, choice: str) -> Scenario:
        """The scenario of a choice, without the overrides (raises ScenarioError).

        The Explore settings are renamed (:func:`explore_label`) so the comparison's
        table, CSV and change maps name them.
        """
        if choice == EXPLORE_CHOICE:
            explore = self._explore()
            if explore is None:
                raise ScenarioError(f"{EXPLORE_CHOICE}: open the Explore page first")
            return explore.with_overrides({"name": explore_label(explore)})
        if choice in self.variants:
            return self.variants[choice]
        if choice not in self.files:
            raise ScenarioError(f"no scenario file {choice!r}")
        return Scenario.load(self.files[choice])

    def _known(self, choice: str) -> bool:
        return choice in self.files or choice in self.variants or (choice == EXPLORE_CHOICE
                                         and self._explore() is not None)

    def text(self, key: str) -> str:
        """What a text field shows: the text last typed, else the accepted value."""
        if key in self.texts:
            return self.texts[key]
        value = getattr(self, key)
        if key == "days" and value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)

    def _refuse(self, key: str, message: str) -> str:
        self.errors[key] = message
        self._checked.discard(key)  # a typed value's message stays until it is fixed
        return message

    def _mark(self, key: str, message: str) -> None:
        """A message from :meth:`prepare` (cleared by the next check)."""
        self.errors[key] = message
        self._checked.add(key)

    def set_field(self, key: str, text: Any) -> str | None:
        """Set ``reps``, ``days``, ``seed``, ``workers`` or ``overrides`` from typed text.

        Returns:
            None if accepted, else the message for the field; a refused value changes
            no setting.
        """
        text = "" if text is None else str(text)
        self.texts[key] = text
        if key == "overrides":
            try:
                overrides = parse_overrides(text)
                if overrides:
                    self.scenario(self.base).with_overrides(overrides)
            except ScenarioError as exc:
                return self._refuse(key, _short(str(exc)))
            self.overrides = overrides
        elif key == "days":
            value = _number(text)
            if value == "":
                self.days = None
            elif isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value) or value <= 0:
                return self._refuse(key, f"days: expected a positive number, got {text!r}")
            elif value > MAX_DAYS:
                return self._refuse(key, f"days: at most {MAX_DAYS} (ten years) on this "
                                         f"page, got {text!r}; crimesim compare runs longer")
            else:
                self.days = float(value)
        elif key in ("reps", "seed", "workers"):
            value = _number(text)
            least = {"reps": 2, "seed": 0, "workers": 1}[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                what = {"reps": "a whole number of at least 2 (a confidence interval "
                                "needs two replications)",
                        "seed": "a non-negative integer",
                        "workers": "a whole number of at least 1"}[key]
                return self._refuse(key, f"{key}: expected {what}, got {text!r}")
            cap = {"reps": MAX_REPS, "workers": max_workers()}.get(key)
            if cap is not None and value > cap:
                why = {"reps": "on this page; crimesim compare runs more",
                       "workers": "(one per core of this server)"}[key]
                return self._refuse(key, f"{key}: at most {cap} {why}, got {text!r}")
            setattr(self, key, value)
        else:
            raise KeyError(key)
        self.errors.pop(key, None)
        if key != "overrides":  # the overrides field keeps the user's own layout
            self.texts.pop(key, None)
        return None

    def set_base(self, choice: str) -> str | None:
        """Choose the base: a scenario file's stem or :data:`EXPLORE_CHOICE`."""
        if not self._known(choice):
            return self._refuse("base", f"base: no scenario file {choice!r}")
        self.base = choice
        self.errors.pop("base", None)
        return None

    def set_alternatives(self, choices: list[str]) -> str | None:
        """Choose the alternatives (file stems or :data:`EXPLORE_CHOICE`), in order."""
        unknown = [c for c in choices if not self._known(c)]
        if unknown:
            return self._refuse("alternatives", f"alternatives: no scenario file {unknown[0]!r}")
        self.alternatives = list(choices)
        self.errors.pop("alternatives", None)
        return None

    # --- running ------------------------------------------------------------------------
    def prepare(self) -> Prepared | None:
        """Load the scenarios and check the comparison can run.

        Returns:
            The prepared comparison, or None with a message in :attr:`errors` beside
            the field to fix (a field that still holds a refused value counts too).
        """
        for key in self._checked:  # the last check's messages; typed-value ones stay
            self.errors.pop(key, None)
        self._checked = set()
        if any(key in self.errors for key in TEXT_KEYS):
            return None
        if not self.alternatives:
            self._mark("alternatives", "alternatives: choose at least one scenario to "
                                         "compare with the base")
            return None

        def load(choice: str, key: str) -> Scenario | None:
            try:
                sc = self.scenario(choice)
            except ScenarioError as exc:
                self._mark(key, f"{key}: {exc}" if choice == EXPLORE_CHOICE else str(exc))
                return None
            if not runs_crime_model(sc):  # e.g. Epstein's lattice: no crimes to compare
                self._mark(key, f"{key}: {choice}: model = {sc.params.model!r}: Compare "
                                "runs the crime model only (run it in Explore or with "
                                "crimesim run)")
                return None
            try:
                return sc.with_overrides(self.overrides) if self.overrides else sc
            except ScenarioError as exc:
                self._mark("overrides", f"{choice}: {_short(str(exc))}")
                return None

        base = load(self.base, "base")
        alts = [load(stem, "alternatives") for stem in self.alternatives]
        if base is None or any(a is None for a in alts):
            return None
        alternatives = [a for a in alts if a is not None]
        try:
            check_compatible([base, *alternatives])
        except ScenarioError as exc:
            self._mark("alternatives", str(exc))
            return None
        tpd = base.params.time.ticks_per_day
        days = float(base.params.time.days) if self.days is None else self.days
        ticks = int(round(days * tpd))
        try:
            plan(base, alternatives, ticks)
        except ScenarioError as exc:
            self._mark("days", str(exc).replace("(--days)", "(days)"))
            return None
        from sim.analysis.sensitivity_defaults import BRIEF_REPS
        from sim.analysis.sensitivity_oat import planned_runs

        return Prepared(base, alternatives, self.reps, ticks, days, self.seed, self.workers,
                        self.snapshot(), planned_runs(base, alternatives, reps=BRIEF_REPS))


def _scenario_data(scenario: Scenario) -> dict[str, Any]:
    """A scenario as JSON-ready data: its keys and where it came from."""
    return {"raw": scenario.raw(), "source": scenario.source,
            "base_dir": str(scenario.base_dir) if scenario.base_dir else None}


def _short(message: str) -> str:
    """Drop a leading ``<file>.toml: `` (the field says which settings it is about)."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.endswith(".toml") else message
