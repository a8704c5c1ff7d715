"""The crime model's clock in its own unit: hours of a city day, or Short et al.'s t.

The crime model counts ticks and groups them into "days" of ``time.ticks_per_day``.
In a city a tick is an hour and a day has 24 of them, so "day 3, 14:00" is true. The
Short et al. (2008) lattice scenarios reuse the same model with ``dt = 0.01`` and 100
ticks per model time unit: there "day 57, 40:00" would be nonsense, so these scenarios
show the model's own time ``t = tick * dt`` and step by ``dt`` and by one time unit.
Every label the Explore page and its figures show about time comes from here.
"""

from __future__ import annotations

from typing import Any

#: Ticks of a city day: one tick per hour.
HOURS_PER_DAY = 24


def counts_hours(model: Any) -> bool:
    """Whether a tick of ``model`` is an hour of a 24-hour day (a city, not a lattice).

    A model that does not say how many ticks its day has (a stand-in that only knows
    its day and hour) counts hours.
    """
    return int(getattr(model, "ticks_per_day", HOURS_PER_DAY)) == HOURS_PER_DAY


def clock_text(model: Any) -> str:
    """Where the run is, in the model's unit: "day 3, 14:00" or "t = 57.40"."""
    if counts_hours(model):
        return f"day {model.day}, {model.hour:02d}:00"
    return f"t = {model.tick * float(model.dt):.2f}"


def status_clock(model: Any) -> str:
    """The clock with its tick count, for the status line."""
    if counts_hours(model):
        return f"{clock_text(model)} (tick {model.tick})"
    return (f"{clock_text(model)} (step {model.tick} of dt = {float(model.dt):g}; "
            f"{model.ticks_per_day} steps per time unit)")


def step_buttons(model: Any) -> tuple[tuple[str, int], ...]:
    """The step buttons of ``model``: label and ticks each, in the model's unit."""
    if counts_hours(model):
        return (("Step 1 hour", 1), ("Step 1 day", int(model.ticks_per_day)))
    return ((f"Step dt ({float(model.dt):g})", 1),
            (f"Step 1 time unit ({model.ticks_per_day} steps)", int(model.ticks_per_day)))


def speed_label(model: Any) -> str:
    """The speed chooser's label, with the unit a frame advances by."""
    return "speed (hours per frame)" if counts_hours(model) else "speed (steps of dt per frame)"
