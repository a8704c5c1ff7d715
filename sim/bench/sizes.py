"""Benchmark sizes: how many agents a benchmark times, and the city scaled to hold them.

``crimesim bench`` and the benchmark modules (sim/bench/scaling.py, reference.py)
share these, so they live with the benchmarks rather than with the command line: a
library module never imports the CLI.
"""

from __future__ import annotations

import math
from typing import Any

from sim.config import DEAD
from sim.scenario import Scenario


def scaled(scenario: Scenario, factor: float) -> Scenario:
    """The scenario with city area and every population multiplied by ``factor``."""
    p = scenario.params
    side = math.sqrt(factor)
    over = {
        "city.width": max(2, round(p.city.width * side)),
        "city.height": max(2, round(p.city.height * side)),
        "city.districts": max(1, round(p.city.districts * factor)),
        "residents.count": round(p.residents.count * factor),
        "offenders.count": round(p.offenders.count * factor),
        "police.count": round(p.police.count * factor),
        "services.count": round(p.services.count * factor),
        "security.guards": round(p.security.guards * factor),
        "city.schools": round(p.city.schools * factor),
    }
    return scenario.with_overrides(over)


def agent_count(model: Any) -> int:
    """Agents stepped each tick: residents, offenders alive, officers, workers, guards."""
    return (model.residents.n + int((model.offenders.state != DEAD).sum()) + model.police.n
            + model.workers.n + model.guards.n)


def agent_sizes(text: str, default_days: dict[int, float], fallback_days: float
                ) -> dict[int, float]:
    """``"1e4:40,1e5"`` -> ``{10000: 40.0, 100000: default}``: benchmark sizes.

    Each item is an agent count, optionally ``:days`` to time; without days an item
    takes ``default_days`` for that count, else ``fallback_days``.

    Raises:
        ValueError: An item is not a positive number of agents or a number of days.
    """
    out: dict[int, float] = {}
    for item in str(text).split(","):
        if not item.strip():
            continue
        agents, _, days = item.partition(":")
        try:
            count = float(agents)
            d = float(days) if days.strip() else default_days.get(int(count), fallback_days)
        except (ValueError, OverflowError):
            raise ValueError(f"{item.strip()!r} is not agents[:days]") from None
        if not math.isfinite(count) or count < 1 or count != int(count):
            raise ValueError(f"{agents.strip()!r} is not a whole number of agents >= 1")
        if not math.isfinite(d) or d <= 0:
            raise ValueError(f"{item.strip()!r}: the days must be a finite number > 0")
        out[int(count)] = d
    return out
