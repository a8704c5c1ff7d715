"""How much memory a scenario needs, checked before a model allocates it.

The schema allows cities of up to 20,000 x 20,000 cells and ten million of each kind
of agent, which is right for a cluster node and wrong for a laptop. Rather than die
halfway through set-up with a MemoryError (or be killed by the operating system),
a model estimates its footprint first and refuses, in one line, a scenario this
machine cannot hold.

The per-item figures were measured on the baseline city scaled to 10^4-10^6 agents
(``crimesim bench --scaling``, which counts every array a model holds): a cell ~145 B
of layers and buffers plus 24 B of the residents' per-cell offsets; a resident 80 B
of arrays (``sim.config.INDEX`` cells and ticks, one-byte hours and group codes) plus
~3 B of its household; an offender slot 82 B (55 B, 22 B of the awareness space and
5 B of a domestic abuser's target and relation, since issue 13) plus its row of the
event buffer (40 B).
Each figure has headroom for the daily temporaries (a day's plan is drawn in chunks,
so its scratch does not grow with the city); together they cover the growth of peak
resident memory with the city's size (~180 B an agent, measured).
"""

from __future__ import annotations

import os
from typing import Any

from sim.errors import ScenarioError

#: Measured bytes per cell, resident and offender slot (see the module docstring).
BYTES_PER_CELL = 200
BYTES_PER_RESIDENT = 120
BYTES_PER_OFFENDER_SLOT = 100
BYTES_PER_OTHER_AGENT = 64
#: Use at most this share of the memory available now.
HEADROOM = 0.8


def footprint_bytes(p: Any) -> int:
    """Estimated bytes a model of the scenario parameters ``p`` allocates (no views)."""
    cells = int(p.city.width) * int(p.city.height)
    offenders = int(p.offenders.capacity) or max(4 * int(p.offenders.count), 1024)
    others = int(p.police.count) + int(p.services.count) + int(p.security.guards)
    return (cells * BYTES_PER_CELL + int(p.residents.count) * BYTES_PER_RESIDENT
            + offenders * BYTES_PER_OFFENDER_SLOT + others * BYTES_PER_OTHER_AGENT)


def available_bytes() -> int | None:
    """Memory available to this process now (Linux ``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_footprint(p: Any) -> None:
    """Raise ScenarioError if the scenario cannot fit in the memory available now."""
    need = footprint_bytes(p)
    have = available_bytes()
    if have is not None and need > HEADROOM * have:
        cells = int(p.city.width) * int(p.city.height)
        raise ScenarioError(
            f"too big for this machine: {cells:,} cells and {int(p.residents.count):,} "
            f"residents need about {need / 1e9:.1f} GB, {have / 1e9:.1f} GB is available; "
            "reduce city.width/city.height or the populations")
