"""Plain labels for settings: one table, keyed by scenario key, used by every widget.

A scenario key (``interventions.street_lighting.coverage``) is exact and is what a
researcher types after ``--set``, but a council member reads "street lighting
coverage (share of streets lit)". Every settings widget of the dashboard takes its
label from :func:`label_of` and shows the raw key as small secondary text, so the
two never disagree and nothing is written twice.

The table lives in the dashboard rather than as a ``label`` on
:class:`~sim.fields.Field` because labels are words for a page: the command line,
scenario files and error messages speak keys, and the ~250 field declarations
(schema and plug-ins) stay as they are. A key without an entry here gets a label
made from its own words ("crime.burglary.report_prob" -> "burglary: report prob"),
so a key added to the schema still reads as words.

Time: intervention tables count in ticks (``start_tick``, ``end_tick``), but a user
thinks in days; :data:`DAY_KEYS` are shown and typed in days and converted with
:func:`days_to_ticks` and :func:`ticks_to_days`.
"""

from __future__ import annotations

import math

#: Labels of scenario keys (the ones shown first, and every key whose words mislead).
KEY_LABELS: dict[str, str] = {
    "residents.count": "residents (people living in the city)",
    "offenders.count": "offenders at the start",
    "police.count": "police patrol units on duty",
    "services.count": "social-service outreach workers",
    "security.guards": "private security guards",
    "city.width": "city width (cells across)",
    "city.height": "city height (cells down)",
    "city.cell_size_m": "cell size (metres per side)",
    "city.districts": "number of districts",
    "time.days": "run length (days)",
    "time.ticks_per_day": "time steps per day",
    "currency": "currency of costs",
    "civil_violence.legitimacy": "legitimacy of the regime (0 to 1)",
    "civil_violence.citizen_density": "citizens (share of cells)",
    "civil_violence.cop_density": "cops (share of cells)",
    "civil_violence.citizen_vision": "citizens' vision (cells)",
    "civil_violence.cop_vision": "cops' vision (cells)",
    "civil_violence.active_threshold": "threshold to rebel",
    "civil_violence.max_jail_term": "longest jail term (ticks)",
    "civil_violence.legitimacy_drop": "fall of legitimacy",
    "civil_violence.legitimacy_drop_start": "tick the fall starts",
    "civil_violence.legitimacy_drop_ticks": "ticks the fall takes (0: sudden)",
    "civil_violence.corruption": "corruption (share of cops)",
    "civil_violence.corruption_loss": "legitimacy lost per corrupt arrest",
}

#: Labels of the keys every intervention table has (``interventions.<name>.<key>``).
INTERVENTION_KEY_LABELS: dict[str, str] = {
    "coverage": "coverage (share of the target reached)",
    "start_tick": "start day",
    "end_tick": "end day (-1: never)",
    "budget": "budget cap (0: none)",
    "setup_cost": "set-up cost per unit",
    "running_cost": "running cost per unit per day",
    "target.top_k": "target: the hottest cells (how many)",
    "target.districts": "target: districts",
    "target.most_deprived": "target: the most deprived districts (how many)",
    "target.rect": "target: rectangle (x0, y0, x1, y1 in cells)",
    "target.kind": "target: what is treated",
    "target.gi_alpha": "target: hot-spot significance level (Gi*)",
}

#: What coverage means for each plug-in: "<plug-in in words> coverage (<this>)".
COVERAGE_MEANS: dict[str, str] = {
    "street_lighting": "share of streets lit",
    "hotspot_policing": "share of officers on hot-spot patrol",
    "youth_programme": "share of young people in the target taking part",
    "anti_corruption": "share of officers audited",
    "focused_deterrence": "share of gang members and known offenders called in",
    "procedural_justice": "share of officers trained",
    "public_private_partnership": "share of business-district cells covered",
    "urban_renewal": "share of the target's cells treated",
}

#: Intervention keys counted in ticks that the page shows and takes in days.
DAY_KEYS: frozenset[str] = frozenset({"start_tick", "end_tick"})


def words(key: str) -> str:
    """A key in words: the last part, with its table ("burglary: report prob")."""
    parts = key.split(".")
    last = parts[-1].replace("_", " ")
    if len(parts) >= 3:
        return f"{parts[-2].replace('_', ' ')}: {last}"
    return last


def label_of(key: str) -> str:
    """The label a user reads for a scenario key or ``interventions.<name>.<key>``."""
    if key.startswith("interventions."):
        _, name, sub = key.split(".", 2)
        if sub == "coverage" and name in COVERAGE_MEANS:
            return f"{name.replace('_', ' ')} coverage ({COVERAGE_MEANS[name]})"
        if sub in INTERVENTION_KEY_LABELS:
            return INTERVENTION_KEY_LABELS[sub]
        return words(sub)
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    return words(key)


def is_day_key(key: str) -> bool:
    """Whether the field of ``key`` counts ticks but is shown and typed in days."""
    return key.startswith("interventions.") and key.rsplit(".", 1)[-1] in DAY_KEYS


def ticks_to_days(ticks: int, ticks_per_day: int) -> str:
    """A tick count as the days a user reads: whole days plainly, else to two places.

    ``-1`` (never) stays ``-1``.
    """
    if ticks < 0:
        return str(ticks)
    days = ticks / ticks_per_day
    return str(int(days)) if days == int(days) else f"{days:.2f}".rstrip("0")


def days_to_ticks(text: str, ticks_per_day: int) -> int | str:
    """What a user typed in days as ticks, or the text back when it is not a number.

    A number of days that is not a whole tick is rounded to the nearest tick; ``-1``
    (never) stays ``-1``; text that is not a number is returned unchanged so the
    scenario's validation names the problem in its usual words.
    """
    try:
        days = float(str(text).strip())
    except ValueError:
        return text
    if not math.isfinite(days):
        return text
    if days == -1:
        return -1
    return int(round(days * ticks_per_day))
