"""A plain-Python reference of one civil-violence tick (sim.kernels.civil_violence).

It follows Epstein's (2002) rules as the kernel's docstring states them, with none of
the kernel's devices: every citizen counts cops and actives by looking at each cell
in its vision (no kept view counts), and a mover draws cells in vision until it finds
an empty one. It takes the same random draws in the same order, so kernel and
reference must end in identical arrays.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from sim.civil_violence.world import build_lattice, vision_rows
from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_JAILED, CV_QUIET, CV_ROUNDING
from sim.kernels.civil_violence_lattice import build_seen

INT = np.int64


def neighbours(cell: int, vision: int, grid_type: str, width: int, height: int) -> list[int]:
    """Cells within vision of ``cell`` on the torus, row by row from the top, own cell out."""
    x, y = cell % width, cell // width
    out = []
    for dy in range(-vision, vision + 1):
        reach = vision if grid_type == "Moore" else vision - abs(dy)
        for dx in range(-reach, reach + 1):
            if (dx, dy) != (0, 0):
                out.append(((y + dy) % height) * width + (x + dx) % width)
    return out


def arrest_probability(cops: int, actives: int, k: float, rounding: str) -> float:
    """Epstein's estimate, with Python's own floor and (half-to-even) round."""
    ratio = cops / actives
    if rounding == "floor":
        ratio = math.floor(ratio)
    elif rounding == "round":
        ratio = round(ratio)
    return 1.0 - math.exp(-k * ratio)


def make_params(**kw) -> SimpleNamespace:
    """civil_violence parameters with small-world defaults, any overridden."""
    p = dict(citizen_density=0.55, cop_density=0.08, citizen_vision=2, cop_vision=3,
             legitimacy=0.6, max_jail_term=4, active_threshold=0.1,
             arrest_prob_constant=2.3, arrest_rounding="floor", movement=True,
             activation_order="Random", grid_type="Von Neumann", jail_on_grid=False,
             corruption=0.5, corruption_loss=0.2)
    p.update(kw)
    return SimpleNamespace(**p)


def make_world(seed: int, width: int = 13, height: int = 11, **kw) -> SimpleNamespace:
    """A lattice from ``build_lattice``, with its parameters, some citizens pre-jailed."""
    cv = make_params(**kw)
    g = np.random.default_rng(seed)
    lat = build_lattice(cv, width, height, g)
    w = SimpleNamespace(cv=cv, lat=lat, width=width, height=height)
    # Start some citizens in jail (some with term 0, due out at their next turn).
    jailed = g.random(lat.n_citizens) < 0.15
    lat.state[jailed] = CV_JAILED
    lat.jail[jailed] = g.integers(0, 3, jailed.sum())
    for i in np.nonzero(jailed)[0]:
        c = lat.pos[i]
        if cv.jail_on_grid:
            lat.kind[c] = CV_JAILED
        else:
            lat.kind[c], lat.occ[c], lat.pos[i] = CV_EMPTY, -1, -1
    # ... and some active, so the first turns already move actives and count them.
    active = (~jailed) & (g.random(lat.n_citizens) < 0.2)
    lat.state[active] = CV_ACTIVE
    lat.kind[lat.pos[: lat.n_citizens][active]] = CV_ACTIVE
    lat.trust[:] = g.uniform(0.5, 1.0, lat.n_citizens)
    half = vision_rows(cv.citizen_vision, cv.grid_type)
    build_seen(lat.kind, CV_COP, half, width, height, lat.cops_seen)
    build_seen(lat.kind, CV_ACTIVE, half, width, height, lat.actives_seen)
    return w


def ref_tick(w: SimpleNamespace, rng: np.random.Generator, legitimacy: float,
             tries: int) -> tuple[int, int]:
    """One tick of the rules on ``w.lat`` (changed in place); returns (arrests, extortions)."""
    cv, lat, W, H = w.cv, w.lat, w.width, w.height
    kind, occ, pos, state = lat.kind, lat.occ, lat.pos, lat.state
    order = lat.order
    if cv.activation_order == "Random":  # Fisher-Yates from the last entry down
        for i in range(len(order) - 1, 0, -1):
            j = int(rng.random() * (i + 1))
            order[i], order[j] = order[j], order[i]
    arrests = extortions = 0

    def move(agent: int, target: int) -> None:
        c = pos[agent]
        kind[target], occ[target], pos[agent] = kind[c], agent, target
        kind[c], occ[c] = CV_EMPTY, -1

    for a in order:
        if a < lat.n_citizens:  # --- a citizen
            if state[a] == CV_JAILED:
                if lat.jail[a] > 0:
                    lat.jail[a] -= 1
                    continue
                if pos[a] < 0:  # back on the lattice, on a random empty cell
                    while True:
                        c = int(rng.random() * kind.size)
                        if kind[c] == CV_EMPTY:
                            break
                    pos[a], occ[c] = c, a
            c = pos[a]
            seen = neighbours(c, cv.citizen_vision, cv.grid_type, W, H)
            cops = sum(kind[s] == CV_COP for s in seen)
            actives = sum(kind[s] == CV_ACTIVE for s in seen) + 1
            p = arrest_probability(cops, actives, cv.arrest_prob_constant, cv.arrest_rounding)
            grievance = lat.hardship[a] * (1.0 - legitimacy * lat.trust[a])
            new = CV_ACTIVE if grievance - lat.risk[a] * p > cv.active_threshold else CV_QUIET
            state[a] = kind[c] = new
            if cv.movement:
                target = -1
                for _ in range(tries):
                    s = seen[int(rng.random() * len(seen))]
                    if kind[s] == CV_EMPTY:
                        target = s
                        break
                if target < 0:
                    empty = [s for s in seen if kind[s] == CV_EMPTY]
                    if empty:
                        target = empty[int(rng.random() * len(empty))]
                if target >= 0:
                    move(a, target)
        else:  # --- a cop
            c = pos[a]
            seen = neighbours(c, cv.cop_vision, cv.grid_type, W, H)
            active = [occ[s] for s in seen if kind[s] == CV_ACTIVE]
            quiet = [occ[s] for s in seen if kind[s] == CV_QUIET]
            empty = [s for s in seen if kind[s] == CV_EMPTY]
            if active:
                who = active[int(rng.random() * len(active))]
                state[who] = CV_JAILED
                lat.jail[who] = int(rng.random() * (cv.max_jail_term + 1))
                cell = pos[who]
                if cv.jail_on_grid:
                    kind[cell] = CV_JAILED
                else:
                    kind[cell], occ[cell], pos[who] = CV_EMPTY, -1, -1
                    empty.append(cell)
                arrests += 1
            if lat.corrupt[a - lat.n_citizens] and quiet:
                victim = quiet[int(rng.random() * len(quiet))]
                lat.trust[victim] *= 1.0 - cv.corruption_loss
                extortions += 1
            if cv.movement and empty:
                move(a, empty[int(rng.random() * len(empty))])
    return arrests, extortions


def kernel_args(w: SimpleNamespace, legitimacy: float, tries: int,
                rng: np.random.Generator) -> tuple:
    """The arguments of ``civil_violence_tick`` for world ``w``."""
    from sim.civil_violence.world import vision_offsets, vision_size

    cv, lat = w.cv, w.lat
    half_cit = vision_rows(cv.citizen_vision, cv.grid_type)
    half_cop = vision_rows(cv.cop_vision, cv.grid_type)
    off_x, off_y = vision_offsets(half_cit)
    room = max(vision_size(half_cit), vision_size(half_cop)) + 1
    return (lat.order, cv.activation_order == "Random", lat.n_citizens, lat.pos, lat.kind,
            lat.occ, lat.cops_seen, lat.actives_seen, lat.hardship, lat.risk, lat.state,
            lat.jail, lat.trust, lat.corrupt, legitimacy, cv.active_threshold,
            cv.arrest_prob_constant, CV_ROUNDING.index(cv.arrest_rounding),
            cv.max_jail_term, cv.jail_on_grid, cv.corruption_loss, cv.movement, half_cit,
            half_cop, off_x, off_y, w.width, w.height, tries, np.zeros(room, INT),
            np.zeros(room, INT), np.zeros(room, INT), rng)
