"""The stylised-facts report's section "where and to whom": settings and relationships.

For each crime type, the share of crimes in each setting (home, street, commercial,
leisure, school, transit) and by the victim's relationship to the offender, pooled over
the cities; then the three sexual-violence figures the Crime Survey for England and
Wales reports for rape or assault by penetration (ONS, "Nature of sexual assault by
rape or penetration", years ending March 2017 and 2020): the offender a partner or
ex-partner in 44% of cases, the victim's own home the place in 37%, a street, park or
other open space in 9%. Their verdicts compare CIs across the cities with the ranges
of :data:`facts_verdicts.TARGETS` and say whether the figure was calibrated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from experiments.validation.facts_verdicts import describe, judge, mean_ci
from experiments.validation.report import Report, pct, table
from sim.config import CRIME_TYPES, RELATIONSHIPS, SETTINGS

if TYPE_CHECKING:
    from experiments.validation.stylised_facts import CityFacts

#: The sexual-violence figures: key in ``where["sexual_violence"]``, target key, label,
#: the survey's figure.
SV_FIGURES = (("partner", "sv_partner", "by a partner or ex-partner", "44%"),
              ("own_home", "sv_own_home", "in the victim's own home", "37%"),
              ("open_public", "sv_open_public", "in open public space (street, transit)",
               "9%"))


def pooled_shares(cities: list[CityFacts], table_key: str, names: tuple[str, ...]
                  ) -> dict[str, dict[str, float]]:
    """Shares by crime type over all the cities' crimes (each crime weighs the same).

    Args:
        cities: The cities' facts (``where[table_key]`` as from
            :func:`sim.metrics.where.by_type`).
        table_key: ``"settings"`` or ``"relationships"``.
        names: The codes' names.

    Returns:
        For ``all`` and each crime type: ``n`` and the pooled share of each name.
    """
    out: dict[str, dict[str, float]] = {}
    for key in ("all", *CRIME_TYPES):
        n = sum(c.where[table_key][key]["n"] for c in cities)
        row: dict[str, float] = {"n": n}
        for name in names:
            hits = sum(c.where[table_key][key]["n"] * c.where[table_key][key][name]
                       for c in cities if c.where[table_key][key]["n"])
            row[name] = hits / n if n else float("nan")
        out[key] = row
    return out


def _share_table(pooled: dict[str, dict[str, float]], names: tuple[str, ...]) -> str:
    rows = [[key.replace("_", " "), f"{int(pooled[key]['n']):,}",
             *(pct(pooled[key][n]) for n in names)]
            for key in (*CRIME_TYPES, "all") if pooled[key]["n"]]
    return table(["crime type", "crimes", *names], rows)


def where_section(rep: Report, cities: list[CityFacts]) -> None:
    """Add the section, its three sexual-violence verdicts and its numbers to ``rep``."""
    settings = pooled_shares(cities, "settings", SETTINGS)
    rels = pooled_shares(cities, "relationships", RELATIONSHIPS)
    sv_rows = []
    for key, target, label, survey in SV_FIGURES:
        values = [c.where["sexual_violence"][key] for c in cities]
        rep.verdict(*judge(target, values))
        sv_rows.append([label, describe(*mean_ci(values)), survey])
    n_sv = sum(c.where["sexual_violence"]["n"] for c in cities)
    rep.numbers["where"] = {"settings": settings, "relationships": rels,
                            "sexual_violence": {k: mean_ci([c.where["sexual_violence"][k]
                                                            for c in cities])[0]
                                                for k, *_ in SV_FIGURES}}
    rep.add("""## 4. Where and to whom

Each crime's setting and the victim's relationship to the offender, from the event
log, pooled over the cities (each crime weighs the same). Open public space is street
and transit (a resident on their way somewhere); "none" is a crime against no one
person (a household burgled, gang violence).

**Settings** (share of each type's crimes):

""" + _share_table(settings, SETTINGS) + """

**Relationships** (share of each type's crimes):

""" + _share_table(rels, RELATIONSHIPS) + f"""

**Sexual violence** ({n_sv:,} crimes; mean over the cities with its 95% CI), beside
the Crime Survey for England and Wales (ONS, years ending March 2017 and 2020: rape or
assault by penetration since age 16):

""" + table(["sexual violence", "model", "survey"], sv_rows) + """

The survey asks victims about their most recent assault, and counts partners and
ex-partners together; the model's `partner` relationship covers both. "Own home" is a
crime in a home setting at the victim's own home cell.""")
