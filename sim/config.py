"""Names, codes and dtypes shared by every layer of crimesim.

Kernels take plain integers and arrays, so every categorical value (land use, crime
type, age group, patrol strategy, location state) is an integer code defined here once.
Keeping the codes in one module is what lets a kernel, its numpy reference test and the
metrics agree without importing each other.
"""

from __future__ import annotations

import numpy as np

#: Floating dtype of every layer and continuous agent attribute.
FLOAT = np.float64
#: Integer dtype of cell indices, agent indices and counters.
INT = np.int64
#: Small integer dtype for categorical codes.
CODE = np.int8
#: Integer dtype of per-agent arrays of indices -- cells, residents, households,
#: offender slots, workers -- and of ticks stored per resident. Half the bytes of INT
#: (memory per agent is what limits the largest city); the schema's largest city
#: (20,000 x 20,000 cells) and populations (10^7) fit with room to spare. Arithmetic on
#: them in numba is done in int64 (numba widens integers to the machine word); numpy
#: code that multiplies them (``type * n_cells + cell``) must cast to INT first.
INDEX = np.int32
#: Fear of crime per resident, 0..1, stored in 16 bits (value / FEAR_SCALE): two bytes
#: a resident instead of eight, at a resolution (1.5e-5) far below any effect.
FEAR = np.uint16
FEAR_SCALE = 65535.0
#: Hour of day in residents' daily plans (0..36: an evening may run past midnight).
HOUR = np.int8
#: Victimisations per resident and crime type. The model widens the array before an
#: increment could overflow it (:meth:`sim.crime.state.EngineState.guard_victim_counts`),
#: so one byte suffices: few residents are victimised more than a handful of times, and
#: the five bytes saved a resident pay for the state of the newer mechanisms.
VICTIM_COUNT = np.int8
#: Ticks stored per resident are INDEX, so a run stops (with an error) at the first day
#: that starts at or past this tick: 2^30 hourly ticks are 122,000 simulated years, and
#: programmes of up to 2^30 ticks still fit.
MAX_TICKS = 2**30

# --- crime types -------------------------------------------------------------------
CRIME_TYPES: tuple[str, ...] = (
    "burglary",
    "robbery",
    "assault",
    "sexual_violence",
    "gang_violence",
)
N_CRIME = len(CRIME_TYPES)
BURGLARY, ROBBERY, ASSAULT, SEXUAL_VIOLENCE, GANG_VIOLENCE = range(N_CRIME)
#: Crime types whose victims are people in public space (chosen from those present).
STREET_CRIMES = (ROBBERY, ASSAULT, SEXUAL_VIOLENCE)

# --- land use ----------------------------------------------------------------------
LAND_USES: tuple[str, ...] = (
    "residential",
    "commercial",
    "nightlife",
    "park",
    "industrial",
    "school",
)
RESIDENTIAL, COMMERCIAL, NIGHTLIFE, PARK, INDUSTRIAL, SCHOOL = range(len(LAND_USES))
#: One-letter codes for CSV map files, in LAND_USES order.
LAND_USE_LETTERS = "RCNPIS"

# --- residents ---------------------------------------------------------------------
AGE_GROUPS: tuple[str, ...] = ("youth", "adult", "elderly")
YOUTH, ADULT, ELDERLY = range(3)
#: Where a resident is this hour: at home, sheltered at work/school, or in public space.
AT_HOME, AT_ACTIVITY, IN_PUBLIC = range(3)

#: Groups reported in metrics and prevalence tables. "women_and_girls" are all female
#: residents; "marginalised" is the flag; "everyone" is the whole population.
GROUPS: tuple[str, ...] = (
    "everyone",
    "youth",
    "adult",
    "elderly",
    "women_and_girls",
    "men_and_boys",
    "marginalised",
)

# --- police ------------------------------------------------------------------------
STRATEGIES: tuple[str, ...] = ("random", "hotspot", "community", "reactive")
RANDOM_PATROL, HOTSPOT_PATROL, COMMUNITY_PATROL, REACTIVE_PATROL = range(4)

# --- offenders ---------------------------------------------------------------------
#: Offender slot states. Slots are recycled, so "dead" slots are free for new recruits.
DEAD, FREE, JAILED = range(3)
NO_GANG = -1
#: Kinds of offender: one who goes out looking for targets (street and property
#: crime), or one who offends against a partner or family member at home.
OFFENDER_KINDS: tuple[str, ...] = ("street", "domestic")
STREET_OFFENDER, DOMESTIC_OFFENDER = range(len(OFFENDER_KINDS))

# --- event log columns (one row per crime) -------------------------------------------
EVENT_FIELDS: tuple[str, ...] = (
    "tick",
    "crime_type",
    "cell",
    "offender",
    "victim",
    "reported",
    "arrested",
    "bribed",
    "offender_home",
    "offender_resident",
    "setting",
    "relationship",
    "victim_home",
    "distance_m",
)
N_EVENT_FIELDS = len(EVENT_FIELDS)
(
    EV_TICK,
    EV_TYPE,
    EV_CELL,
    EV_OFFENDER,
    EV_VICTIM,
    EV_REPORTED,
    EV_ARRESTED,
    EV_BRIBED,
    EV_HOME,
    EV_RESIDENT,
    EV_SETTING,
    EV_RELATIONSHIP,
    EV_VICTIM_HOME,
    EV_DISTANCE,
) = range(N_EVENT_FIELDS)

#: Where a crime happened (the event log's ``setting``): a private home (the burgled
#: household's, or where the victim was at home), a street (streets, parks, industrial
#: land and other open space), a shop or office (commercial), a nightlife street
#: (leisure), a school, or on the way somewhere (transit: a resident on their route).
SETTINGS: tuple[str, ...] = ("home", "street", "commercial", "leisure", "school", "transit")
SET_HOME, SET_STREET, SET_COMMERCIAL, SET_LEISURE, SET_SCHOOL, SET_TRANSIT = range(len(SETTINGS))
#: Settings that are open public space (the surveys' "street, park or other open space").
OPEN_PUBLIC_SETTINGS = (SET_STREET, SET_TRANSIT)
#: Who the victim was to the offender (the event log's ``relationship``): a partner or
#: ex-partner, a family member, someone known (acquaintance), a stranger, or nobody in
#: particular (a household burgled, gang violence against no resident).
RELATIONSHIPS: tuple[str, ...] = ("partner", "family", "acquaintance", "stranger", "none")
REL_PARTNER, REL_FAMILY, REL_ACQUAINTANCE, REL_STRANGER, REL_NONE = range(len(RELATIONSHIPS))

# --- civil violence (Epstein 2002, Model I: sim/civil_violence) -----------------------
#: What a cell holds, and a citizen's state (the same codes, so a citizen's cell shows
#: its state): empty, a quiet citizen, an active (rebelling) citizen, a cop, a jailed
#: citizen still on its cell (only with ``civil_violence.jail_on_grid``).
CV_EMPTY, CV_QUIET, CV_ACTIVE, CV_COP, CV_JAILED = range(5)
#: How the cop-to-active ratio is rounded in the estimated arrest probability, in the
#: order of the scenario key's choices ``floor``, ``round``, ``none``.
CV_ROUNDING: tuple[str, ...] = ("floor", "round", "none")
CV_FLOOR, CV_ROUND, CV_NO_ROUNDING = range(3)
