"""One browser session's live model: its scenario, its settings and its run controls.

The Explore page lets a user edit a scenario field by field while a model runs. This
class holds everything that edit-and-run needs, with no Solara in it, so it can be
tested directly and so two sessions never share anything: every session creates its
own :class:`ExploreSession` (kept per browser session by
:mod:`sim.dashboard.pages.browser_state`) and with it its own model -- a
:class:`~sim.crime.model.CrimeModel`, or a :class:`~sim.civil_violence.CivilViolenceModel`
for a scenario with ``model = "civil_violence"``: the scenario's
:class:`~sim.dashboard.model_family.ModelFamily` says which, and which keys and
controls go with it.

A field edit is a *candidate*: the session builds the scenario (and the model, since
intervention targets are only checked against a city) with the new value, and only if
that succeeds does the value become a setting. A bad value leaves every setting as it
was and is remembered as a message for that field -- the same one-line message
``crimesim run --set`` prints, from :class:`~sim.scenario.ScenarioError` or
:class:`~sim.interventions.InterventionError` -- so the app never shows a traceback and
never loses the user's other settings.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sim.dashboard.labels import days_to_ticks, is_day_key, ticks_to_days
from sim.dashboard.model_family import CRIME_KEYS, ModelFamily, family_of
from sim.dashboard.state.run_clock import PendingChange, RunClock
from sim.fields import Field
from sim.interventions import REGISTRY, InterventionError
from sim.scenario import Scenario, ScenarioError, parse_override_value
from sim.scenario.schema import flatten
from sim.scenario.shipped import shipped_dir

LOG = logging.getLogger(__name__)

#: Where the scenario files live: the shipped scenarios (the repository's
#: ``scenarios/`` in a clone, the wheel's copy after ``pip install``).
SCENARIO_DIR = shipped_dir()

#: Scenario keys the Explore page offers as fields for the crime model (the ones a
#: teacher or policymaker changes first); every other key keeps the file's value.
SCENARIO_KEYS: tuple[str, ...] = CRIME_KEYS

#: Keys of an intervention table the page offers besides the plug-in's own params.
INTERVENTION_COMMON_KEYS: tuple[str, ...] = ("coverage", "start_tick", "end_tick", "budget")
#: Target keys the page offers (``target.<key>``): the ones a user can type.
TARGET_KEYS: tuple[str, ...] = ("top_k", "districts", "most_deprived", "rect", "kind", "gi_alpha")

_SCHEMA_FIELDS = flatten()
T = TypeVar("T")


def scenario_files(folder: Path = SCENARIO_DIR) -> list[Path]:
    """The scenario files a user can choose, sorted by name."""
    return sorted(folder.glob("*.toml"))


def parse_text(text: str, field: Field | None) -> Any:
    """Turn what a user typed into the value a scenario key expects.

    Numbers and booleans use TOML rules (as ``--set`` does); list fields take
    comma-separated items. Text that is not a valid value is returned as text, so
    the scenario's own validation names the problem ("expected an integer, got a
    string") in the words the command line uses.
    """
    text = text.strip() if isinstance(text, str) else text
    if not isinstance(text, str):
        return text
    if field is not None and field.kind in ("str_list", "int_list"):
        items = [item.strip() for item in text.split(",") if item.strip()]
        if field.kind == "int_list":
            return [parse_override_value(item) for item in items]
        return items
    if field is not None and field.kind in ("str", "path"):
        return text
    return parse_override_value(text) if text else text


def intervention_field(name: str, key: str) -> Field | None:
    """The declared Field of ``key`` (``coverage``, ``lighting``, ``target.top_k``)."""
    fields: Any = REGISTRY[name].fields()
    for part in key.split("."):
        if not isinstance(fields, dict) or part not in fields:
            return None
        fields = fields[part]
    return fields if isinstance(fields, Field) else None


def _short(message: str, source: str | None) -> str:
    """Drop the ``file: `` prefix of a scenario message (the field shows where)."""
    if source and message.startswith(f"{source}: "):
        return message[len(source) + 2:]
    return message


class ExploreSession:
    """A scenario with user edits, and the live model built from it.

    Args:
        scenario_path: The scenario file to start from.
        overrides: Dotted scenario keys to apply on top of the file (e.g. a small
            city for tests); they count as the user's settings. Keys the file's model
            family does not read are left out (a small crime city's counts mean
            nothing to Epstein's lattice).
        seed: The model's random seed.

    Attributes:
        family: The scenario's model family (what runs, and how the page shows it).
        model: The live model (rebuilt on reset and on every accepted edit).
        errors: Message per field key whose last edit was refused.
        texts: The text last typed per field key (kept when refused, so the user
            sees what was wrong).
        version: Increases whenever the model or the settings change; views redraw
            when it does.
        playing: Whether the page's play loop should advance the model.
        speed: Ticks (hours) per frame while playing.
        clock: How long this session's model takes per tick, and whether a step is
            computing now (the page's busy indicator and run-time estimate).
        pending: A settings change waiting for the user to confirm that it restarts
            a city that has run (see :meth:`request`), else None.
        cancels: How many such changes the user cancelled (the page redraws its
            fields from the settings when it changes).
        step_error: Why the last background step failed (shown on the status line),
            or None.
    """

    def __init__(self, scenario_path: str | Path, overrides: dict[str, Any] | None = None,
                 seed: int = 1) -> None:
        self._lock = threading.RLock()
        self.seed = seed
        self.overrides: dict[str, Any] = dict(overrides or {})
        self.errors: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.version = 0
        self.playing = False
        self.speed = 1
        self.clock = RunClock()
        self.pending: PendingChange | None = None
        self.cancels = 0
        self.step_error: str | None = None
        self._load(Path(scenario_path))
        self.overrides = self._kept(self.overrides)
        self.scenario, self.model = self._build(self.overrides, self.tables, self.enabled)

    # --- settings -----------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        """Read a scenario file: its keys, and its intervention tables by plug-in name."""
        file = Scenario.load(path)
        self.family: ModelFamily = family_of(file)
        self.scenario_path = path
        raw = file.raw()
        self._source = file.source
        self._base_dir = file.base_dir
        self._base_raw = {k: v for k, v in raw.items() if k != "interventions"}
        self.labels = {name: name for name in REGISTRY}
        self.tables: dict[str, dict[str, Any]] = {name: {} for name in REGISTRY}
        self.enabled = dict.fromkeys(REGISTRY, False)
        for label, table in raw.get("interventions", {}).items():
            kind = table.get("type", label)
            self.labels[kind] = label
            self.tables[kind] = {k: v for k, v in table.items() if k != "type"}
            self.enabled[kind] = True

    def _scenario(self, overrides: dict[str, Any], tables: dict[str, dict[str, Any]],
                  enabled: dict[str, bool]) -> Scenario:
        """The validated scenario of these settings (raises ScenarioError)."""
        raw = copy.deepcopy(self._base_raw)
        if self.family.interventions:
            raw["interventions"] = {
                self.labels[name]: {**copy.deepcopy(tables[name]), "type": name}
                for name in REGISTRY if enabled[name]
            }
        scenario = Scenario(raw, source=self._source, base_dir=self._base_dir)
        if overrides:
            scenario = scenario.with_overrides(overrides)
        return scenario

    def _build(self, overrides: dict[str, Any], tables: dict[str, dict[str, Any]],
               enabled: dict[str, bool]) -> tuple[Scenario, Any]:
        """The scenario and a fresh model from these settings (raises on a bad one).

        The model is built too because an intervention's target (a district name, a
        rectangle) can only be checked against the city it falls on.
        """
        scenario = self._scenario(overrides, tables, enabled)
        return scenario, self.family.build(scenario, self.seed)

    def _kept(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """The overrides the current family reads (the others would be refused)."""
        return {key: value for key, value in overrides.items() if self.family.reads(key)}

    def _try(self, key: str, overrides: dict[str, Any], tables: dict[str, dict[str, Any]],
             enabled: dict[str, bool]) -> str | None:
        """Adopt the candidate settings if they build; else keep the old and note why."""
        try:
            scenario, model = self._build(overrides, tables, enabled)
        except (ScenarioError, InterventionError) as exc:
            self.errors[key] = _short(str(exc), self._source)
            self.version += 1
            return self.errors[key]
        with self._lock:
            self.overrides, self.tables, self.enabled = overrides, tables, enabled
            self.scenario, self.model = scenario, model
            self.clock.restarted()
            self.errors.pop(key, None)
            self.version += 1
        return None

    def value(self, key: str) -> Any:
        """The current value of a scenario key, or of ``interventions.<name>.<key>``."""
        if key.startswith("interventions."):
            _, name, rest = key.split(".", 2)
            node: Any = self.tables[name]
            for part in rest.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                node = _default(intervention_field(name, rest))
            return node
        return self.scenario[key]

    @property
    def ticks_per_day(self) -> int:
        """Ticks in one day of this scenario (1 for a family without days)."""
        return int(getattr(self.model, "ticks_per_day", 1))

    def text(self, key: str) -> str:
        """What a field shows: the text last typed, else the current value.

        Keys counted in ticks show days (:func:`~sim.dashboard.labels.is_day_key`).
        """
        if key in self.texts:
            return self.texts[key]
        value = self.value(key)
        if is_day_key(key) and isinstance(value, int):
            return ticks_to_days(value, self.ticks_per_day)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def _candidate(self, key: str, text: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The overrides and intervention tables with ``key`` set from what was typed."""
        tables = copy.deepcopy(self.tables)
        if not key.startswith("interventions."):
            value = parse_text(text, _SCHEMA_FIELDS.get(key))
            return {**self.overrides, key: value}, tables
        _, name, rest = key.split(".", 2)
        value = (days_to_ticks(text, self.ticks_per_day) if is_day_key(key)
                 else parse_text(text, intervention_field(name, rest)))
        node = tables[name]
        *parents, last = rest.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        return dict(self.overrides), tables

    def check_field(self, key: str, text: Any) -> str | None:
        """The message the scenario's own checks give ``set_field(key, text)``, or None.

        Types, ranges and impossible combinations, without building a model. The
        page asks before a change restarts a city that has run; a change that would be
        refused anyway is refused at once instead (nothing restarts).
        """
        if key.startswith("interventions.") and key.split(".")[1] not in REGISTRY:
            return f"{key}: unknown intervention {key.split('.')[1]!r}"
        overrides, tables = self._candidate(key, text)
        try:
            self._scenario(overrides, tables, self.enabled)
        except ScenarioError as exc:
            return _short(str(exc), self._source)
        return None

    def set_field(self, key: str, text: Any) -> str | None:
        """Set a scenario key or ``interventions.<name>.<key>`` from what the user typed.

        Returns:
            None if accepted (the model is rebuilt with it), else the message for the
            field; a refused value changes no setting.
        """
        self.texts[key] = text if isinstance(text, str) else str(text)
        if key.startswith("interventions."):
            name = key.split(".")[1]
            if name not in REGISTRY:
                self.errors[key] = f"{key}: unknown intervention {name!r}"
                return self.errors[key]
            overrides, tables = self._candidate(key, text)
            if not self.enabled[name]:  # check it now, so switching it on cannot fail late
                try:
                    self._scenario(self.overrides, tables, {**self.enabled, name: True})
                except ScenarioError as exc:
                    self.errors[key] = _short(str(exc), self._source)
                    self.version += 1
                    return self.errors[key]
        else:
            overrides, tables = self._candidate(key, text)
        result = self._try(key, overrides, tables, dict(self.enabled))
        if result is None:
            self.texts.pop(key, None)
        return result

    def set_enabled(self, name: str, on: bool) -> str | None:
        """Switch an intervention on or off; returns a message if it cannot run."""
        key = f"interventions.{name}"
        return self._try(key, dict(self.overrides), copy.deepcopy(self.tables),
                         {**self.enabled, name: bool(on)})

    def choose_scenario(self, path: str | Path) -> str | None:
        """Start from another scenario file, keeping the user's scenario-key edits.

        Only the edits the new file's model family reads are kept (the grid size
        carries from the crime city to Epstein's lattice and back; the counts of
        residents do not), with their texts and messages.
        """
        old = (self.family, self.scenario_path, self._source, self._base_dir,
               self._base_raw, self.labels, self.tables, self.enabled)
        try:
            self._load(Path(path))
        except ScenarioError as exc:
            self.errors["scenario"] = str(exc)
            return self.errors["scenario"]
        result = self._try("scenario", self._kept(self.overrides), self.tables, self.enabled)
        if result is not None:
            (self.family, self.scenario_path, self._source, self._base_dir,
             self._base_raw, self.labels, self.tables, self.enabled) = old
            return result
        for notes in (self.texts, self.errors):
            for key in [k for k in notes if k != "seed" and not self._reads(k)]:
                del notes[key]
        return None

    def _reads(self, key: str) -> bool:
        """Whether a field key (scenario or ``interventions.``) belongs to this family."""
        if key.startswith("interventions."):
            return self.family.interventions
        return self.family.reads(key)

    def describe(self) -> str:
        """The accepted settings in one line, for a page that offers to run them.

        The Compare page shows it beside its "Explore settings" choice, so the user
        sees what that choice will compare without going back to Explore.
        """
        changed = ", ".join(f"{k}={v}" for k, v in self.overrides.items())
        if self.family.interventions:
            on = ", ".join(self.labels[n] for n in REGISTRY if self.enabled[n]) or "none"
            runs = f"interventions on: {on}"
        else:
            runs = self.family.title
        return (f"{self.scenario_path.name}"
                + (f" with {changed}" if changed else "")
                + f"; {runs}")

    # --- running ------------------------------------------------------------------------
    def step(self, ticks: int = 1) -> None:
        """Advance the model by ``ticks`` ticks (hours of the crime model).

        The clock times the step and marks the session busy while it computes.
        """
        with self._lock, self.clock.timing(max(int(ticks), 0)):
            for _ in range(max(int(ticks), 0)):
                self.model.step()
            self.version += 1

    def step_in_background(self, ticks: int, done: Callable[[], None]) -> bool:
        """Step in a thread of its own, then call ``done``.

        The page stays live (its busy indicator shows) while the model computes.

        Returns:
            False (and does nothing) if a step is computing already.
        """
        if self.clock.busy:
            return False

        def run() -> None:
            # ``done`` is called whatever happens: the page's "computing..." lasts until
            # the next frame, so a step that fails must still bring one (with the reason)
            try:
                self.step(ticks)
                self.step_error = None
            except Exception as exc:  # noqa: BLE001 -- shown on the page and logged
                self.step_error = f"the last step failed ({type(exc).__name__}: {exc})"
                self.version += 1
                LOG.exception("Explore: a step of %s failed", self.scenario_path)
            finally:
                done()

        threading.Thread(target=run, name="explore-step", daemon=True).start()
        return True

    # --- changes that restart a city that has run ---------------------------------------
    def has_run(self) -> bool:
        """Whether the model has advanced since it was built (a change would lose it)."""
        return self.clock.ticks_since_build > 0

    def progress(self) -> str:
        """Where the run is, in the model's own time ("day 57", "tick 12")."""
        day = getattr(self.model, "day", None)
        return f"day {day}" if day is not None else f"tick {self.clock.ticks_since_build}"

    def request(self, what: str, change: Callable[[], Any],
                refused: Callable[[], str | None] | None = None) -> None:
        """Make a settings change now, or hold it for confirmation if the city has run.

        Every accepted change rebuilds the model, so after the first step it throws the
        run away; the page asks first (:attr:`pending`, :meth:`confirm`, :meth:`cancel`).

        Args:
            what: The setting in words, for the question ("street lighting coverage").
            change: Makes the change (e.g. ``lambda: session.set_field(key, text)``).
            refused: Says cheaply whether the change will be refused (its message, e.g.
                :meth:`check_field`); a refused change is made at once -- it records
                its message and keeps the city -- instead of asking.
        """
        if not self.has_run() or (refused is not None and refused() is not None):
            change()
            return
        self.pending = PendingChange(what, self.progress(), change)
        self.version += 1

    def confirm(self) -> None:
        """Make the held change (the city restarts from day 0 with it)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.change()
        self.version += 1

    def cancel(self) -> None:
        """Drop the held change: the city keeps running as it was."""
        self.pending = None
        self.cancels += 1
        self.version += 1

    def cost_so_far(self) -> tuple[float, str]:
        """The interventions' cost so far and its currency (0 for a family without them).

        The sum of the plug-ins' own accounts (:meth:`~sim.plugins.runner.
        InterventionSet.total_cost`), so the page shows what a run's results report.
        """
        runner = getattr(self.model, "interventions", None)
        total = runner.total_cost() if runner is not None else 0.0
        return total, str(self.scenario["currency"])

    def district_names(self) -> list[str]:
        """The city's district (or imported area) names, in the city's order."""
        city = getattr(self.model, "city", None)
        return list(getattr(city, "district_names", []) or [])

    def read(self, view: Callable[[Any], T]) -> T:
        """``view(model)`` while no step runs (the play loop steps in another thread)."""
        with self._lock:
            return view(self.model)

    def step_day(self) -> None:
        """Advance the crime model by one day (a civil-violence tick has no day)."""
        self.step(getattr(self.model, "ticks_per_day", 1))

    def reset(self) -> None:
        """A fresh model from the current settings (same seed: the same run again)."""
        with self._lock:
            self.playing = False
            self.scenario, self.model = self._build(self.overrides, self.tables, self.enabled)
            self.clock.restarted()
            self.version += 1

    def set_seed(self, text: Any) -> str | None:
        """Set the random seed (a non-negative integer) and reset."""
        value = parse_override_value(str(text).strip()) if str(text).strip() else ""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.texts["seed"] = str(text)
            self.errors["seed"] = f"seed: expected a non-negative integer, got {text!r}"
            self.version += 1
            return self.errors["seed"]
        self.seed = value
        self.texts.pop("seed", None)
        self.errors.pop("seed", None)
        self.reset()
        return None


def _default(field: Field | None) -> Any:
    return None if field is None else field.default
