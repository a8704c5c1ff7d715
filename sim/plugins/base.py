"""The intervention plug-in interface: declared parameters, target, timing and cost.

An intervention changes the model only through its layers (lighting, CCTV, A0,
disorder), its agent arrays (officers' strategy and integrity, residents' legitimacy
and enrolment, offenders' motivation) and its rates (``model.levers``) -- never a
kernel's code -- so every policy runs through the same documented mechanisms as the
baseline (docs/ODD.md) and the kernels stay tested once.

A plug-in subclass declares:

- ``name`` (the word scenario files use), ``summary`` and ``unit`` (what one unit of
  cost buys, e.g. "lit cell");
- ``params``: its own :class:`~sim.fields.Field` declarations, validated like every
  scenario key;
- ``defaults``: its defaults for the common keys (coverage, costs, target);
- ``apply(model)`` (make the changes; return the units put in place),
  optionally ``daily(model, day)``, ``hourly(model, tick)`` and ``undo(model)``.

The base class does the rest the same way for every plug-in: it resolves the target,
scales coverage down to the budget, starts and stops on the given ticks and keeps the
cost account (set-up cost per unit once, running cost per unit per day active, and the
officer-days of officers it takes from other duties, which the comparison prices with
``costs.officer_day``: sim/analysis/cost_account.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from sim.city.target import TARGET_FIELDS, TargetError, resolve_target
from sim.fields import Field, float_field, int_field, prob_field, str_field

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


class InterventionError(ValueError):
    """An intervention cannot be set up; the message names the key and the problem."""


#: Keys every ``[interventions.<label>]`` table may hold, whatever the plug-in.
COMMON_FIELDS: dict[str, Field] = {
    "type": str_field("", "plug-in name; defaults to the table's label"),
    "start_tick": int_field(0, "tick the intervention starts (24 ticks a day)"),
    "end_tick": int_field(-1, "tick it ends and its changes are undone (-1: never)", -1),
    "coverage": prob_field(1.0, "share of the target reached (meaning per plug-in)"),
    "budget": float_field(
        0.0, "spending cap over the planned period, in the scenario's currency (0: none); "
        "coverage is scaled down to fit"),
    "setup_cost": float_field(0.0, "one-off cost per unit, in the scenario's currency"),
    "running_cost": float_field(0.0, "cost per unit per day active, in the scenario's currency"),
}


class Intervention:
    """Base class of intervention plug-ins (see the module docstring).

    Args:
        label: The scenario's name for this instance (``[interventions.<label>]``).
        settings: Its validated settings: common keys, plug-in params and ``target``.
        rng: The instance's own random stream (derived from the model's seed and the
            label), so adding one intervention never shifts another's draws.

    Attributes:
        mask: Treated cells (flat bool) once started, else None.
        units: Units in place (lit cells, participants, officers, ...).
        coverage: Coverage actually used, after the budget.
        spent_setup, spent_running: Costs so far.
        officer_days: Days of officers taken from other duties so far (one officer on
            the intervention for one model day is one officer-day).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    unit: ClassVar[str] = "unit"
    params: ClassVar[dict[str, Field]] = {}
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, label: str, settings: dict[str, Any], rng: np.random.Generator) -> None:
        self.label = label
        self.settings = settings
        self.rng = rng
        self.start_tick: int = settings["start_tick"]
        self.end_tick: int = settings["end_tick"]
        self.mask: np.ndarray | None = None
        self.units = 0.0
        self.coverage: float = settings["coverage"]
        self.spent_setup = 0.0
        self.spent_running = 0.0
        self.days_active = 0
        self.officer_days = 0.0
        self.active = False
        self.finished = False

    # --- declaration ------------------------------------------------------------------
    @classmethod
    def fields(cls) -> dict[str, Any]:
        """The schema of this plug-in's table: common keys, params and the target."""
        out: dict[str, Any] = {}
        for key, field in COMMON_FIELDS.items():
            if key in cls.defaults:
                field = Field(field.kind, cls.defaults[key], field.help, field.low, field.high,
                              field.choices)
            out[key] = field
        out.update(cls.params)
        target_defaults = cls.defaults.get("target", {})
        out["target"] = {
            key: Field(f.kind, target_defaults.get(key, f.default), f.help, f.low, f.high,
                       f.choices)
            for key, f in TARGET_FIELDS.items()
        }
        return out

    def __getitem__(self, key: str) -> Any:
        """A setting by name: ``self["lighting"]``."""
        return self.settings[key]

    # --- what plug-ins implement ------------------------------------------------------
    def apply(self, model: CrimeModel) -> float:
        """Make the changes on ``self.mask`` at ``self.coverage``; return the units used."""
        raise NotImplementedError

    def full_units(self, model: CrimeModel) -> float:
        """Units needed at coverage 1 (for the budget); by default the treated cells."""
        return float(self.mask.sum()) if self.mask is not None else 0.0

    def daily(self, model: CrimeModel, day: int) -> None:  # noqa: B027 - optional hook
        """Called at the first tick of every day while active (after the model's tasks)."""

    def hourly(self, model: CrimeModel, tick: int) -> None:  # noqa: B027 - optional hook
        """Called at every tick while active, before the model's mechanisms run."""

    def undo(self, model: CrimeModel) -> None:  # noqa: B027 - optional hook
        """Reverse the changes at ``end_tick`` (a project ends; lamps stay if not undone)."""

    def officers_redeployed(self) -> float:
        """Officers this intervention keeps from their other duties today (0: none).

        Plug-ins that move officers (hot-spot patrols, community beats) override it;
        their pay is not a new bill, but their time is taken from other work, so the
        comparison charges it as an opportunity cost.
        """
        return 0.0

    def public_share(self) -> float:
        """Share of every bill paid from public money (1: all of it)."""
        return 1.0

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Figures only this intervention can know (e.g. its participants' offending).

        Comparisons and the calibration read them as ``<label>.<key>``.
        """
        return {}

    def reach(self, pool: np.ndarray) -> np.ndarray:
        """The ``coverage`` share of ``pool`` the intervention reaches, sorted.

        Drawn without replacement from the instance's own stream (one ``choice`` call,
        none when everyone is reached), so the same seed and label reach the same
        cells, officers or people in every scenario: common random numbers.
        """
        pool = np.asarray(pool)
        n = int(round(self.coverage * pool.size))
        if n >= pool.size:
            return pool
        return np.sort(self.rng.choice(pool, size=n, replace=False))

    # --- the shared life cycle ----------------------------------------------------------
    def target_mask(self, model: CrimeModel) -> np.ndarray:
        """Resolve the target on the model's city (raises InterventionError).

        Before ``start_tick`` (the check when the model is built) a ``gi_star``
        target's hot spots are not known yet: the rest of the target is checked and
        every cell stands in for them.
        """
        city = model.city
        try:
            return resolve_target(
                self.settings["target"], width=city.width, height=city.height,
                district=city.flat("district"), district_names=list(city.district_names),
                land_use=city.flat("land_use"), heat=city.flat("reported_heat"),
                attractiveness=(city.a0 + city.b).ravel(),
                district_deprivation=city.district_deprivation(),
                cell_size_m=city.cell_size_m, periodic=city.periodic,
                preview=model.tick < self.start_tick)
        except TargetError as exc:
            raise InterventionError(f"interventions.{self.label}.target.{exc}") from None

    def planned_days(self, model: CrimeModel) -> float:
        """Days the intervention is planned to run (to the scenario's end if open)."""
        tpd = model.ticks_per_day
        end = self.end_tick if self.end_tick >= 0 else model.p.time.days * tpd
        return max(end - self.start_tick, 0) / tpd

    def cost_per_unit(self, model: CrimeModel) -> float:
        """One unit's set-up plus its running cost over the planned days (for the budget)."""
        return self.settings["setup_cost"] + self.settings["running_cost"] * (
            self.planned_days(model))

    def start(self, model: CrimeModel) -> None:
        """Fix the target, fit coverage to the budget, apply, and book the set-up cost."""
        self.mask = self.target_mask(model)
        budget = self.settings["budget"]
        if budget > 0:
            full = self.full_units(model) * self.cost_per_unit(model)
            if full > 0:
                self.coverage = min(self.coverage, budget / full)
        self.units = float(self.apply(model))
        self.spent_setup = self.settings["setup_cost"] * self.units
        self.active = True

    def stop(self, model: CrimeModel) -> None:
        """End the intervention and undo what it changed."""
        self.undo(model)
        self.active = False
        self.finished = True

    def book_day(self) -> None:
        """Add one day of running cost and of redeployed officers' time."""
        self.days_active += 1
        self.spent_running += self.settings["running_cost"] * self.units
        self.officer_days += self.officers_redeployed()

    def cost(self) -> dict[str, Any]:
        """The cost account so far.

        ``setup``, ``running`` and ``total`` are what the plug-in books (for a
        partnership, the public part); ``setup_all_payers`` and ``running_all_payers``
        are the whole bills, ``public_share`` the public part of them, and
        ``officer_days`` the redeployed officers' time.
        """
        return {
            "label": self.label, "type": self.name, "unit": self.unit, "units": self.units,
            "coverage": self.coverage, "days_active": self.days_active,
            "setup": self.spent_setup, "running": self.spent_running,
            "total": self.spent_setup + self.spent_running,
            "setup_all_payers": self.spent_setup, "running_all_payers": self.spent_running,
            "public_share": self.public_share(), "officer_days": self.officer_days,
        }
