"""Explore's readout under the run controls: busy, how long the rest takes, cost so far.

A policymaker who presses "Step 1 day" on a big city, or plays a year, needs to see
that the model is computing and how long the rest of the run will take; one who
switches an intervention on wants its price as the city runs. This component shows
the three, from this session's own model: a busy indicator (a still icon and
"computing...") while a step computes
(:class:`~sim.dashboard.state.run_clock.RunClock` tells it when that changes, from
the stepping thread), an estimate from the measured time per simulated day (a guess
from the city's size before the first step), and the interventions' cost so far --
the plug-ins' own accounts, in the scenario's currency.
"""

from __future__ import annotations

import solara

from sim.dashboard.state.explore_session import ExploreSession
from sim.dashboard.state.run_clock import estimate_line, first_guess_seconds_per_day

#: How the readout's lines look.
READOUT_STYLE = {"font-size": "0.85em", "color": "#444"}


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


@solara.component
def ExploreStatus(session: ExploreSession, version: int) -> solara.Element:
    """Busy indicator, run-time estimate and running cost of this session's model.

    Args:
        session: This browser session's model holder.
        version: The frame shown (a new value re-reads the estimate and the cost).
    """
    busy, set_busy = solara.use_state(session.clock.busy)
    solara.use_effect(lambda: session.clock.watch(set_busy), [session])
    with solara.Row(gap="12px", style={"align-items": "center", "min-height": "28px",
                                       "flex-wrap": "wrap"}) as main:
        if busy:
            # a still icon, not a spinner: a spinning circle costs a page its CPU for as
            # long as the step waits, and with twenty sessions waiting at once that
            # drawing took the CPU the steps needed (issue 16, many users at once)
            solara.v.Icon(children=["mdi-timer-sand"], small=True, color="primary")
            solara.Text("computing...", classes=["explore-busy"], style=READOUT_STYLE)
        estimate = estimate_text(session)
        if estimate:
            solara.Text(estimate, classes=["explore-estimate"], style=READOUT_STYLE)
        cost = cost_text(session)
        if cost:
            solara.Text(cost, classes=["explore-cost"], style=READOUT_STYLE)
    return main
