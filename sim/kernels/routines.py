"""Routine activities (Cohen & Felson 1979): where each resident is, hour by hour.

Each day every resident gets a plan (drawn once, at hour 0): a daytime block at work,
school or a local outing, an optional evening outing (local or in the nightlife
streets), and any late evening carried over from the day before. The hourly kernel
then only reads the plan, so the expensive draws happen once a day, not once an hour.
A resident is at home, sheltered at an activity (work, school: not exposed to street
crime), or in public space (commuting hours, outings, nightlife: exposed).

Two rules of the first release can be replaced: where outings go (the nearest public
cell to a random nearby cell, or the gravity rule of :mod:`sim.kernels.gravity`), and
where the journeys are spent (at the destination, or along the route home-place of
:mod:`sim.kernels.routes`). Fear of crime can make a resident skip an outing.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.config import AT_ACTIVITY, AT_HOME, FEAR_SCALE, GROUPS, IN_PUBLIC, YOUTH
from sim.kernels.arrays import DayPlan
from sim.kernels.counter_rng import draw, stream_seed
from sim.kernels.gravity import GravityTable, draw_destination
from sim.kernels.grid import random_cell_near
from sim.kernels.routes import ROUTE_SCALE, route_cell

#: Positions in GROUPS of the groups counted in ``avoided`` (see :func:`count_avoided`).
_G_AGE0 = GROUPS.index("youth")
_G_FEMALE, _G_MALE = GROUPS.index("women_and_girls"), GROUPS.index("men_and_boys")
_G_MARG = GROUPS.index("marginalised")


@njit(cache=True, inline="always")
def count_avoided(avoided: np.ndarray, g: int, female: bool, marginalised: bool) -> None:
    """Count an avoided outing in every group of its resident (GROUPS order)."""
    avoided[0] += 1
    avoided[_G_AGE0 + g] += 1
    avoided[_G_FEMALE if female else _G_MALE] += 1
    if marginalised:
        avoided[_G_MARG] += 1


#: Draw numbers of a resident's plan in its counter stream (:mod:`sim.kernels.counter_rng`):
#: ``u0 .. u5`` are draws 0-5, the route position draw 6, and the gravity sampler's
#: variable number of draws start at 7 (day outing first, then the evening's).
K_ROUTE, K_GRAVITY = 6, 7
#: Residents per block of the parallel plan. Fixed, so that the blocks -- and the
#: per-block tallies summed in block order -- do not depend on the thread count.
PLAN_BLOCK = 4096


@njit(cache=True, inline="always")
def local_place(home: int, radius: int, width: int, height: int, ux: float, uy: float,
                nearest_public: np.ndarray, gravity: bool, table: GravityTable,
                seed: np.uint64, k: int) -> tuple[int, int]:
    """A local outing's place: by the gravity rule, or the first release's nearest rule.

    The nearest rule sends the resident to the public cell nearest a cell drawn
    uniformly near home (``ux``, ``uy``); the gravity rule ignores them and draws from
    the resident's stream ``seed`` from draw ``k`` on (falling back to the nearest rule
    if there are no such places). Returns the place and the next unused draw number.
    """
    if gravity:
        j, k = draw_destination(home, table, width, seed, k)
        if j >= 0:
            return j, k
    return nearest_public[random_cell_near(home, radius, width, height, ux, uy)], k


@njit(cache=True)
def plan_range(
    lo: int,
    hi: int,
    age: np.ndarray,
    employed: np.ndarray,
    female: np.ndarray,
    marginalised: np.ndarray,
    home: np.ndarray,
    activity_cell: np.ndarray,
    fear: np.ndarray,
    weekend: bool,
    key: np.uint64,
    work_start: int,
    work_end: int,
    school_end: int,
    evening_start: int,
    day_out: np.ndarray,
    evening_out: np.ndarray,
    evening_hours: np.ndarray,
    nightlife_choice: np.ndarray,
    local_radius: int,
    nearest_public: np.ndarray,
    nightlife_cells: np.ndarray,
    width: int,
    height: int,
    gravity: bool,
    local_table: GravityTable,
    night_table: GravityTable,
    routes: bool,
    avoid_day: float,
    avoid_evening: float,
    tally: np.ndarray,
    plan: DayPlan,
) -> None:
    """Plan residents ``lo .. hi - 1``; outings avoided are added to ``tally``.

    The rule of :func:`plan_day` (whose arguments these are), one block of it; called
    with ``0, n`` it is the one-thread kernel for small populations, where starting the
    threads of a parallel region would cost more than it saves (integer counts do not
    depend on the blocks, so the plans and counts are the same).
    """
    day_cell, day_start, day_end, day_public = (plan.day_cell, plan.day_start, plan.day_end,
                                                plan.day_public)
    eve_cell, eve_start, eve_end = plan.eve_cell, plan.eve_start, plan.eve_end
    early_cell, early_end = plan.early_cell, plan.early_end
    route_frac = plan.route_frac
    journey = 2 if routes else 0  # an hour out and an hour back, around the place
    n_night = nightlife_cells.shape[0]
    for i in range(lo, hi):
        seed = stream_seed(key, i)
        u0, u1, u2 = draw(seed, 0), draw(seed, 1), draw(seed, 2)
        u3, u4, u5 = draw(seed, 3), draw(seed, 4), draw(seed, 5)
        k = K_GRAVITY
        # Carry a late evening over midnight before overwriting yesterday's plan.
        if eve_cell[i] >= 0 and eve_end[i] > 24:
            early_cell[i] = eve_cell[i]
            early_end[i] = eve_end[i] - 24
        else:
            early_cell[i] = -1
            early_end[i] = 0
        if routes:
            route_frac[i] = min(int(draw(seed, K_ROUTE) * ROUTE_SCALE), ROUTE_SCALE - 1)
        g = age[i]
        # With no fear (or avoid = 0) the factor is exactly 1: the first release's test.
        scared = fear[i] / FEAR_SCALE
        day_cell[i] = -1
        day_public[i] = False
        day_start[i] = 0
        day_end[i] = 0
        if not weekend and activity_cell[i] >= 0 and (g == YOUTH or employed[i]):
            day_cell[i] = activity_cell[i]
            day_start[i] = work_start
            day_end[i] = school_end if g == YOUTH else work_end
        elif u0 < day_out[g] * (1.0 - avoid_day * scared):
            day_cell[i], k = local_place(home[i], local_radius, width, height, u1, u2,
                                         nearest_public, gravity, local_table, seed, k)
            day_public[i] = True
            day_start[i] = 10 + int(u3 * 6.0)
            day_end[i] = day_start[i] + 2 + journey
        elif u0 < day_out[g]:
            count_avoided(tally, g, female[i], marginalised[i])
        eve_cell[i] = -1
        eve_start[i] = 0
        eve_end[i] = 0
        if u4 < evening_out[g] * (1.0 - avoid_evening * scared):
            # Reuse the low bits of one uniform for the destination and start hour.
            if n_night > 0 and u5 < nightlife_choice[g]:
                j = -1
                if gravity:
                    j, k = draw_destination(home[i], night_table, width, seed, k)
                if j < 0:
                    j = nightlife_cells[int(u5 / nightlife_choice[g] * n_night) % n_night]
                eve_cell[i] = j
            else:
                if n_night > 0:
                    w = (u5 - nightlife_choice[g]) / max(1.0 - nightlife_choice[g], 1e-12)
                else:
                    w = u5  # no nightlife streets: every outing is local
                eve_cell[i], k = local_place(home[i], local_radius, width, height, w, u1,
                                             nearest_public, gravity, local_table, seed, k)
            eve_start[i] = evening_start + int(u3 * 2.0)
            eve_end[i] = eve_start[i] + evening_hours[g] + journey
        elif u4 < evening_out[g]:
            count_avoided(tally, g, female[i], marginalised[i])


@njit(cache=True, parallel=True)
def plan_day(
    age: np.ndarray,
    employed: np.ndarray,
    female: np.ndarray,
    marginalised: np.ndarray,
    home: np.ndarray,
    activity_cell: np.ndarray,
    fear: np.ndarray,
    weekend: bool,
    key: np.uint64,
    work_start: int,
    work_end: int,
    school_end: int,
    evening_start: int,
    day_out: np.ndarray,
    evening_out: np.ndarray,
    evening_hours: np.ndarray,
    nightlife_choice: np.ndarray,
    local_radius: int,
    nearest_public: np.ndarray,
    nightlife_cells: np.ndarray,
    width: int,
    height: int,
    gravity: bool,
    local_table: GravityTable,
    night_table: GravityTable,
    routes: bool,
    avoid_day: float,
    avoid_evening: float,
    avoided: np.ndarray,
    plan: DayPlan,
) -> None:
    """Draw today's plan for every resident, in parallel over blocks of residents.

    Every draw of resident ``i`` comes from the counter stream keyed by the day's
    ``key`` and ``i`` (:mod:`sim.kernels.counter_rng`): the uniforms ``u0 .. u5`` are
    draws 0-5, with ``routes`` draw 6 places the resident along their routes, and the
    gravity rule's draws follow from 7 on. A resident's plan therefore depends on the
    key and its own index only, never on the thread that drew it, and the residents are
    split into blocks of ``PLAN_BLOCK`` (``prange`` over blocks); the avoided outings
    are counted per block and the blocks' integer counts summed in block order.

    Args:
        age: Age group code per resident.
        employed: Whether an adult works (youth always have school on weekdays).
        female: Whether each resident is female (counts of avoided outings).
        marginalised: Whether each resident is marginalised (counts of avoided outings).
        home: Home cell per resident.
        activity_cell: Work or school cell per resident (-1: none).
        fear: Fear of crime per resident (value / FEAR_SCALE).
        weekend: No work or school today.
        key: The day's key (:func:`sim.kernels.counter_rng.day_key`, from the plans'
            seeded generator).
        work_start: Hour work and school start.
        work_end: Hour work ends.
        school_end: Hour school ends.
        evening_start: Earliest hour of evening outings.
        day_out: Daytime outing probability by age group (days without work/school).
        evening_out: Evening outing probability by age group.
        evening_hours: Hours spent at an evening outing's place, by age group.
        nightlife_choice: Probability an outing goes to the nightlife streets, by age.
        local_radius: Local outings (nearest rule) stay within this many cells of home.
        nearest_public: Nearest public cell (shop, park, nightlife) to every cell.
        nightlife_cells: Flat indices of the nightlife cells (may be empty).
        width: Grid width.
        height: Grid height.
        gravity: Outings choose their place by the gravity rule
            (:mod:`sim.kernels.gravity`) rather than the nearest rule.
        local_table: Gravity tables of shops and parks (read with ``gravity``).
        night_table: Gravity tables of the nightlife cells (read with ``gravity``).
        routes: Journeys are exposed (:mod:`sim.kernels.routes`): outings gain an hour
            out and an hour back, and ``route_frac`` is drawn (draw 6).
        avoid_day: Fear's weight on day outings: probability ``p (1 - avoid fear)``.
        avoid_evening: The same for evening outings.
        avoided: Out: outings avoided for fear are added here, per group (GROUPS order).
        plan: Out: today's plan. ``day_cell``: daytime cell (-1: stays home);
            ``day_start``, ``day_end``: the daytime block's hours; ``day_public``:
            whether it is spent in public space; ``eve_cell`` (in: yesterday's evening
            cell; out: today's, -1: none), ``eve_start``, ``eve_end`` (in: yesterday's
            end hour, may exceed 24; out: today's); ``early_cell``, ``early_end``: a late
            evening carried past midnight (-1: none); ``route_frac``: where on their
            routes the resident travels today (with ``routes``).
    """
    n = age.shape[0]
    n_blocks = (n + PLAN_BLOCK - 1) // PLAN_BLOCK
    n_groups = avoided.shape[0]
    part = np.zeros((n_blocks, n_groups), np.int64)
    for blk in prange(n_blocks):
        tally = part[blk]
        plan_range(
            blk * PLAN_BLOCK, min(n, (blk + 1) * PLAN_BLOCK),
            age, employed, female, marginalised, home, activity_cell, fear, weekend, key,
            work_start, work_end, school_end, evening_start, day_out, evening_out,
            evening_hours, nightlife_choice, local_radius, nearest_public, nightlife_cells,
            width, height, gravity, local_table, night_table, routes, avoid_day,
            avoid_evening, tally, plan)
    for blk in range(n_blocks):  # integer counts, summed in block order
        for q in range(n_groups):
            avoided[q] += part[blk, q]


@njit(cache=True)
def locate(
    hour: int,
    home: np.ndarray,
    household: np.ndarray,
    plan: DayPlan,
    pos: np.ndarray,
    state: np.ndarray,
    public_count: np.ndarray,
    household_home: np.ndarray,
    routes: bool,
    travelling: np.ndarray,
    width: int,
) -> int:
    """Place every resident for this hour from today's plan.

    Fills ``pos`` and ``state``, counts residents in public per cell (cleared first) and
    members at home per household (cleared first). Returns the number in public.
    The first and last hour of a work or school block are the journeys: in public, at
    the destination (the first release) or, with ``routes``, on the route between home
    and the place (:func:`sim.kernels.routes.route_cell`), as are the first and last
    hour of outings (and of a late evening carried past midnight); ``travelling`` is
    set for those hours (with ``routes`` only; it is left untouched otherwise).
    """
    day_cell, day_start, day_end, day_public = (plan.day_cell, plan.day_start, plan.day_end,
                                                plan.day_public)
    eve_cell, eve_start, eve_end = plan.eve_cell, plan.eve_start, plan.eve_end
    early_cell, early_end = plan.early_cell, plan.early_end
    route_frac = plan.route_frac
    public_count[:] = 0
    household_home[:] = 0
    n_public = 0
    for i in range(home.shape[0]):
        on_way = False
        if hour < early_end[i]:
            pos[i] = early_cell[i]
            state[i] = IN_PUBLIC
            on_way = routes and hour == early_end[i] - 1
        elif day_cell[i] >= 0 and day_start[i] <= hour < day_end[i]:
            pos[i] = day_cell[i]
            journey = hour == day_start[i] or hour == day_end[i] - 1
            if day_public[i] or journey:
                state[i] = IN_PUBLIC
            else:
                state[i] = AT_ACTIVITY
            on_way = routes and journey
        elif eve_cell[i] >= 0 and eve_start[i] <= hour < eve_end[i]:
            pos[i] = eve_cell[i]
            state[i] = IN_PUBLIC
            on_way = routes and (hour == eve_start[i] or hour == eve_end[i] - 1)
        else:
            pos[i] = home[i]
            state[i] = AT_HOME
        if routes:
            if on_way:
                pos[i] = route_cell(home[i], pos[i], route_frac[i], width)
            travelling[i] = on_way
        if state[i] == IN_PUBLIC:
            public_count[pos[i]] += 1
            n_public += 1
        elif state[i] == AT_HOME:
            household_home[household[i]] += 1
    return n_public


@njit(cache=True)
def place_block(
    hour: int,
    lo: int,
    hi: int,
    home: np.ndarray,
    plan: DayPlan,
    pos: np.ndarray,
    state: np.ndarray,
    public_count: np.ndarray,
    routes: bool,
    travelling: np.ndarray,
    width: int,
) -> int:
    """:func:`locate` for residents ``lo .. hi - 1``, without the households.

    Adds those in public to ``public_count`` (not cleared: a block's own row) and
    returns their number. The same rule as :func:`locate`, line for line.
    """
    day_cell, day_start, day_end, day_public = (plan.day_cell, plan.day_start, plan.day_end,
                                                plan.day_public)
    eve_cell, eve_start, eve_end = plan.eve_cell, plan.eve_start, plan.eve_end
    early_cell, early_end = plan.early_cell, plan.early_end
    route_frac = plan.route_frac
    n_public = 0
    for i in range(lo, hi):
        on_way = False
        if hour < early_end[i]:
            pos[i] = early_cell[i]
            state[i] = IN_PUBLIC
            on_way = routes and hour == early_end[i] - 1
        elif day_cell[i] >= 0 and day_start[i] <= hour < day_end[i]:
            pos[i] = day_cell[i]
            journey = hour == day_start[i] or hour == day_end[i] - 1
            if day_public[i] or journey:
                state[i] = IN_PUBLIC
            else:
                state[i] = AT_ACTIVITY
            on_way = routes and journey
        elif eve_cell[i] >= 0 and eve_start[i] <= hour < eve_end[i]:
            pos[i] = eve_cell[i]
            state[i] = IN_PUBLIC
            on_way = routes and (hour == eve_start[i] or hour == eve_end[i] - 1)
        else:
            pos[i] = home[i]
            state[i] = AT_HOME
        if routes:
            if on_way:
                pos[i] = route_cell(home[i], pos[i], route_frac[i], width)
            travelling[i] = on_way
        if state[i] == IN_PUBLIC:
            public_count[pos[i]] += 1
            n_public += 1
    return n_public


@njit(cache=True)
def bucket_public(
    pos: np.ndarray, state: np.ndarray, public_count: np.ndarray,
    start: np.ndarray, order: np.ndarray,
) -> None:
    """Counting sort of the residents in public by cell (sequential).

    After the call, the residents in public at cell ``c`` are
    ``order[start[c] : start[c] + public_count[c]]``, in resident-index order, so a
    kernel can pick a victim among those present without scanning everyone.
    """
    total = 0
    for c in range(public_count.shape[0]):
        start[c] = total
        total += public_count[c]
    fill = start.copy()
    for i in range(pos.shape[0]):
        if state[i] == IN_PUBLIC:
            c = pos[i]
            order[fill[c]] = i
            fill[c] += 1


#: Fewest residents per block of the parallel placement (below two blocks: sequential).
MIN_PLACE_BLOCK = 1 << 16


@njit(cache=True, parallel=True)
def locate_and_bucket_parallel(
    hour: int,
    home: np.ndarray,
    hh_first: np.ndarray,
    hh_size: np.ndarray,
    plan: DayPlan,
    pos: np.ndarray,
    state: np.ndarray,
    public_count: np.ndarray,
    household_home: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    routes: bool,
    travelling: np.ndarray,
    width: int,
    n_blocks: int,
) -> int:
    """:func:`locate` then :func:`bucket_public`, in parallel over ``n_blocks`` blocks.

    A stable counting sort in three passes, the first and last parallel. Block ``b``
    holds the households ``b H / n_blocks .. (b + 1) H / n_blocks - 1`` and so their
    members, consecutive residents (members are contiguous: ``hh_first[h] ..
    hh_first[h] + hh_size[h] - 1``): it places them, counts those in public per cell
    (``hist[b, c]``) and its households' members at home (no household is shared, so
    no shared writes). Per cell, the blocks' counts become offsets (an exclusive
    prefix over the blocks, in block order), and ``public_start`` an exclusive prefix
    over the cells (one sweep on this thread); each block then writes its residents in
    public at ``public_start[c] + hist[b, c]`` onward, in resident order. Resident
    ``i`` of block ``b`` lands after every resident of the same cell in blocks before
    ``b`` and after those before it in its own block: exactly the sequential order,
    whatever ``n_blocks``. The outputs are those of the sequential kernels, bit for
    bit; two parallel regions a call (each a fork and a join of the threads).
    """
    n = home.shape[0]
    n_cells = public_count.shape[0]
    n_hh = hh_first.shape[0]
    hist = np.empty((n_blocks, n_cells), np.int32)
    counted = np.zeros(n_blocks, np.int64)
    # Pass 1: block b holds whole households (h0 .. h1 - 1) and so their members.
    for b in prange(n_blocks):
        row = hist[b]
        for c in range(n_cells):
            row[c] = 0
        h0, h1 = b * n_hh // n_blocks, (b + 1) * n_hh // n_blocks
        lo = hh_first[h0] if h0 < n_hh else n
        hi = hh_first[h1] if h1 < n_hh else n
        counted[b] = place_block(hour, lo, hi, home, plan, pos, state, row, routes,
                                 travelling, width)
        for h in range(h0, h1):
            k = 0
            for i in range(hh_first[h], hh_first[h] + hh_size[h]):
                if state[i] == AT_HOME:
                    k += 1
            household_home[h] = k
    # Pass 2 (this thread, one sweep over the cells): per cell, the blocks' counts
    # become offsets (block order), the cell's count and its start. A sequential sweep
    # instead of two more parallel regions: each region waits for every thread, and on
    # a busy machine a thread waiting for a core costs more than the sweep.
    total = 0
    for c in range(n_cells):
        public_start[c] = total
        running = 0
        for b in range(n_blocks):
            k = hist[b, c]
            hist[b, c] = running
            running += k
        public_count[c] = running
        total += running
    # Pass 3: each block writes its residents in public, in resident order.
    for b in prange(n_blocks):
        row = hist[b]
        h0, h1 = b * n_hh // n_blocks, (b + 1) * n_hh // n_blocks
        lo = hh_first[h0] if h0 < n_hh else n
        hi = hh_first[h1] if h1 < n_hh else n
        for i in range(lo, hi):
            if state[i] == IN_PUBLIC:
                c = pos[i]
                public_order[public_start[c] + row[c]] = i
                row[c] += 1
    n_public = 0
    for b in range(n_blocks):
        n_public += counted[b]
    return n_public


@njit(cache=True)
def place_residents(
    hour: int,
    home: np.ndarray,
    household: np.ndarray,
    hh_first: np.ndarray,
    hh_size: np.ndarray,
    packed_plan: tuple,
    pos: np.ndarray,
    state: np.ndarray,
    public_count: np.ndarray,
    household_home: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    routes: bool,
    travelling: np.ndarray,
    width: int,
    n_threads: int,
) -> int:
    """Place every resident for the hour and sort those in public by cell.

    With one thread (``n_threads``: numba's current count, passed in because a
    cached kernel cannot ask for it), or fewer than ``2 * MIN_PLACE_BLOCK`` residents,
    :func:`locate` then :func:`bucket_public`; otherwise :func:`locate_and_bucket_parallel` with one
    block per thread, which gives the same arrays bit for bit (so the thread count
    changes the speed, never the result). Households' members are contiguous:
    ``household[i] == h`` exactly for ``hh_first[h] <= i < hh_first[h] + hh_size[h]``.

    ``packed_plan``: today's :class:`DayPlan`, packed (a plain tuple in its field
    order; see :mod:`sim.kernels.arrays`).
    """
    plan = DayPlan(*packed_plan)
    n_blocks = min(n_threads, home.shape[0] // MIN_PLACE_BLOCK)
    if n_blocks >= 2:
        return locate_and_bucket_parallel(
            hour, home, hh_first, hh_size, plan, pos, state, public_count, household_home,
            public_start, public_order, routes, travelling, width, n_blocks)
    n_public = locate(hour, home, household, plan, pos, state,
                      public_count, household_home, routes, travelling, width)
    bucket_public(pos, state, public_count, public_start, public_order)
    return n_public
