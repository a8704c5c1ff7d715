"""Explore's readout under the run controls: how long the rest takes, cost so far.

A policymaker who presses "Step 1 day" on a big city, or plays a year, needs to see
how long the rest of the run will take; one who switches an intervention on wants
its price as the city runs. These are the two lines' texts, from this session's own
model: an estimate from the measured time per simulated day (a guess from the city's
size before the first step), and the interventions' cost so far -- the plug-ins' own
accounts, in the scenario's currency. The live frame
(:mod:`sim.dashboard.pages.live_frame`) shows them, and shows "computing..." itself
from the click on a step button to the next frame.
"""

from __future__ import annotations

from sim.dashboard.state.explore_session import ExploreSession
from sim.dashboard.state.run_clock import estimate_line, first_guess_seconds_per_day


def agents_of(session: ExploreSession) -> int:
    """The city's agents as the scenario sets them (residents, offenders, staff)."""
    sc = session.scenario
    return int(sc["residents.count"] + sc["offenders.count"] + sc["police.count"]
               + sc["services.count"] + sc["security.guards"])


def estimate_text(session: ExploreSession) -> str:
    """The run-time estimate for the days left to the scenario's run length.

    Empty for a model family without days (Epstein's lattice runs until stopped).
    """
    day = session.read(lambda m: getattr(m, "day", None))
    if day is None:
        return ""
    remaining = int(session.scenario["time.days"]) - int(day)
    per_tick = session.clock.seconds_per_tick()
    if per_tick is not None:
        return estimate_line(per_tick * session.ticks_per_day, remaining, "days", True)
    return estimate_line(first_guess_seconds_per_day(agents_of(session)), remaining,
                         "days", False)


def cost_text(session: ExploreSession) -> str:
    """The interventions' cost so far with its currency ("" when none is switched on)."""
    if not session.family.interventions or not any(session.enabled.values()):
        return ""
    total, currency = session.read(lambda _m: session.cost_so_far())
    return f"Interventions' cost so far: {total:,.0f} {currency}"
