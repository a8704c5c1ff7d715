"""Every metric the models record, declared once: name, kind, dtype, unit and meaning.

The recorder's columns and dtypes, the sweep's stocks and flows, a comparison's summed
and final totals, the axis labels and the documentation's table of metrics are all
read from these declarations, so adding a metric is one :class:`Metric` here plus the
code that computes it. A family of columns (one per crime type, one per group) is one
declaration expanded over its keys (:func:`per_key`), so it cannot drift from
:data:`sim.config.CRIME_TYPES` or :data:`sim.config.GROUPS`.

A metric's *kind* says how it adds up over time, which is what every aggregation needs:

* ``flow``: a count of things that happened in the tick (crimes, arrests); summed over
  a day or a window.
* ``stock``: a level at the end of the tick (offenders free, legitimacy); read at the
  end of a day or window, never summed.
* ``clock``: the tick's place in time (day, hour); neither summed nor read as a measure.
* ``run``: measured once per run over the whole window (prevalence, crime
  concentration, cost), not per tick; only a sweep's ``record = "final"`` keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sim.config import CRIME_TYPES, GROUPS

Kind = Literal["flow", "stock", "clock", "run"]
KINDS: tuple[str, ...] = ("flow", "stock", "clock", "run")
DTYPES: tuple[str, ...] = ("int64", "float64")


@dataclass(frozen=True)
class Metric:
    """One declared metric.

    Attributes:
        name: The column name (in ``metrics.parquet``, sweeps and ``RunOutcome.totals``).
        kind: ``flow``, ``stock``, ``clock`` or ``run`` (see the module docstring).
        dtype: ``int64`` for counts, ``float64`` for means and shares: the column's
            dtype in the recorder's frame.
        unit: What one unit of the value is (``crimes``, ``0-1``); figure axes show it.
        help: One sentence on what is counted and when, for the documentation.
        label: A short readable name for figures (``robbery crimes``).
        family: For a column expanded over crime types or groups, its template
            (``crimes_<type>``), so a table can show the family as one row; else "".
    """

    name: str
    kind: Kind
    dtype: str
    unit: str
    help: str
    label: str
    family: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"metric {self.name}: kind {self.kind!r} is not one of {KINDS}")
        if self.dtype not in DTYPES:
            raise ValueError(f"metric {self.name}: dtype {self.dtype!r} is not one of {DTYPES}")
        if not (self.unit and self.help and self.label):
            raise ValueError(f"metric {self.name}: unit, help and label are required")

    @property
    def is_integer(self) -> bool:
        """Whether the column is stored as integers."""
        return self.dtype == "int64"


def per_key(template: str, keys: Iterable[str], key_name: str, *, kind: Kind, dtype: str,
            unit: str, help: str, label: str) -> tuple[Metric, ...]:
    """One metric per key, from a declaration with ``{key}`` in its name.

    ``{key}`` is replaced by the key in ``template``; ``{words}`` (the key with spaces
    for underscores) in ``help`` and ``label``.

    Args:
        template: The name with ``{key}``, e.g. ``"crimes_{key}"``.
        keys: Crime types or groups, in column order.
        key_name: What a key is (``type``, ``group``): the family is named
            ``crimes_<type>``.
        kind: As :class:`Metric`.
        dtype: As :class:`Metric`.
        unit: As :class:`Metric`.
        help: As :class:`Metric`, with ``{words}`` where the key goes.
        label: As :class:`Metric`, with ``{words}`` where the key goes.
    """
    family = template.replace("{key}", f"<{key_name}>")
    return tuple(
        Metric(template.format(key=k), kind, dtype, unit,
               help.format(words=k.replace("_", " ")), label.format(words=k.replace("_", " ")),
               family)
        for k in keys)


# --- the crime model ------------------------------------------------------------------
#: The crime model's per-tick columns, in the recorder's column order. Counts are per
#: tick; legitimacy is measured once a day (at midnight) and carried through the day.
CRIME_METRICS: tuple[Metric, ...] = (
    Metric("day", "clock", "int64", "days", "The tick's day (days completed before it).", "day"),
    Metric("hour", "clock", "int64", "hours",
           "The tick within its day (the hour, in the city).", "hour"),
    *per_key("crimes_{key}", CRIME_TYPES, "type", kind="flow", dtype="int64", unit="crimes",
             help="Crimes of type {words} committed in the tick.", label="{words} crimes"),
    Metric("crimes_total", "flow", "int64", "crimes",
           "Crimes of every type committed in the tick.", "crimes, all types"),
    Metric("reported_crimes", "flow", "int64", "crimes",
           "Crimes of the tick that their victims reported to the police.",
           "reported crimes"),
    Metric("arrests", "flow", "int64", "arrests",
           "Crimes of the tick whose offender was arrested.",
           "arrests"),
    Metric("bribes", "flow", "int64", "bribes",
           "Crimes of the tick whose offender bribed a corrupt officer to go free.",
           "bribes taken"),
    *per_key("victimisations_{key}", GROUPS, "group", kind="flow", dtype="int64",
             unit="victimisations",
             help="Victimisations in the tick of residents in the group {words} "
                  "(a burglary victimises every member of the household).",
             label="victimisations, {words}"),
    Metric("offenders_free", "stock", "int64", "offenders",
           "Offenders at large (not in jail) at the end of the tick.", "offenders free"),
    Metric("offenders_active", "stock", "int64", "offenders",
           "Offenders out and looking for a target in the tick.", "offenders active"),
    Metric("offenders_jailed", "stock", "int64", "offenders",
           "Offenders in jail at the end of the tick.", "offenders in jail"),
    Metric("gang_members", "stock", "int64", "people",
           "Gang members, free or jailed, at the end of the tick.", "gang members"),
    Metric("recruits", "flow", "int64", "offenders",
           "Residents who became offenders (daily recruitment), on the tick they count.",
           "new offenders recruited"),
    Metric("desistances", "flow", "int64", "offenders",
           "Offenders who desisted (daily), on the tick they count.", "offenders desisting"),
    Metric("releases", "flow", "int64", "offenders",
           "Offenders released from jail in the tick.", "releases from jail"),
    Metric("enrolled", "stock", "int64", "people",
           "Enrolments by outreach workers since the start of the run.",
           "enrolled in services"),
    Metric("residents_in_public", "stock", "int64", "residents",
           "Residents in public space during the tick.", "residents in public space"),
    *per_key("legitimacy_{key}", GROUPS, "group", kind="stock", dtype="float64", unit="0-1",
             help="Mean legitimacy of the police among residents in the group {words}, "
                  "measured at midnight and carried through the day.",
             label="legitimacy of police, {words}"),
    *per_key("fear_{key}", GROUPS, "group", kind="stock", dtype="float64", unit="0-1",
             help="Mean fear of crime among residents in the group {words} (0: nobody "
                  "afraid, 1: everyone; the share who would feel unsafe walking alone "
                  "after dark), measured at midnight and carried through the day; 0 "
                  "with fear off.",
             label="fear of crime, {words}"),
    *per_key("avoided_outings_{key}", GROUPS, "group", kind="flow", dtype="int64",
             unit="outings",
             help="Daytime and evening outings residents in the group {words} skipped "
                  "for fear of crime that day, counted at the day's first tick.",
             label="outings avoided for fear, {words}"),
    Metric("extortion_attempts", "flow", "int64", "approaches",
           "Businesses approached for protection money by a gang that day (the illicit "
           "market, daily), counted at the day's first tick; 0 with the market off.",
           "extortion attempts"),
    Metric("extortion_payments", "flow", "int64", "payments",
           "Approached businesses that paid (a month of protection money), counted at the "
           "day's first tick.", "extortion payments"),
    Metric("extortion_reported", "flow", "int64", "reports",
           "Approached businesses that refused and reported the extortion to the police, "
           "counted at the day's first tick.", "extortions reported"),
    Metric("extortion_arrests", "flow", "int64", "arrests",
           "Gang members arrested for a reported extortion, counted at the day's first "
           "tick (not in arrests, which counts the tick's crimes).", "extortion arrests"),
    Metric("officers_corrupt", "stock", "int64", "officers",
           "Corrupt officers at the end of the tick (the market buys and loses them daily; "
           "0 recorded with the market off).", "corrupt officers"),
    Metric("gang_revenue", "stock", "float64", "scenario currency",
           "The gangs' revenue stock from protection money (decaying with "
           "market.revenue_days), summed over gangs; 0 with the market off.",
           "gang revenue"),
    Metric("clearances", "flow", "int64", "arrests",
           "Reported crimes of the tick solved by an investigation (an arrest in the "
           "tick); 0 with justice.enabled off.", "clearances by investigation"),
    Metric("court_backlog", "stock", "int64", "cases",
           "Cases waiting for the court (arrests not yet decided) at the end of the "
           "tick; 0 with justice.enabled off.", "court backlog"),
    Metric("convictions", "flow", "int64", "cases",
           "Court convictions at the day's sitting, counted at the day's first tick; "
           "0 with justice.enabled off.", "court convictions"),
    Metric("perceived_risk_mean", "stock", "float64", "probability, 0-1",
           "Mean perceived risk of arrest among free street offenders at the end of the "
           "tick (deterrence by perceived risk, docs/ODD.md §7.10b); 0 with "
           "deterrence.enabled off.", "perceived risk of arrest, mean"),
    Metric("mean_attractiveness", "stock", "float64", "model units",
           "Mean attractiveness A = A0 + B over the cells, after the tick.",
           "mean attractiveness A"),
    Metric("mean_b", "stock", "float64", "model units",
           "Mean dynamic (near-repeat) attractiveness B over the cells, after the tick.",
           "mean dynamic attractiveness B"),
)

#: The unit prevalence is stored in (a share, 0-1) ...
PREVALENCE_SHARE_UNIT = "share of residents, 0-1"
#: ... and the unit every page and the comparisons show it in (a share times 100), as
#: :mod:`sim.analysis.effects` reports it.
PREVALENCE_PERCENT_UNIT = "% of people victimised"

#: The crime model's whole-run measures (kind ``run``), over a sweep's measured window.
CRIME_RUN_MEASURES: tuple[Metric, ...] = (
    *per_key("prevalence_{key}", GROUPS, "group", kind="run", dtype="float64",
             unit=PREVALENCE_SHARE_UNIT,
             help="Share of residents in the group {words} victimised at least once in "
                  "the window.",
             label="victimisation prevalence, {words}"),
    Metric("crime_concentration_top5", "run", "float64", "0-1",
           "Share of the window's crimes in the 5% of cells with most crime (Weisburd).",
           "share of crime in the top 5% of cells"),
    Metric("crime_concentration_top1", "run", "float64", "0-1",
           "Share of the window's crimes in the 1% of cells with most crime.",
           "share of crime in the top 1% of cells"),
    Metric("cost_total", "run", "float64", "scenario currency",
           "What the interventions cost over the run, in the scenario's currency.",
           "cost of the interventions"),
)

# --- the civil-violence model ---------------------------------------------------------
#: The civil-violence model's per-tick columns, in column order. Counts of citizens are
#: taken after the tick; ``legitimacy`` is the regime's L during the tick.
CIVIL_VIOLENCE_METRICS: tuple[Metric, ...] = (
    Metric("active", "stock", "int64", "citizens",
           "Citizens in open rebellion after the tick.", "active"),
    Metric("quiet", "stock", "int64", "citizens",
           "Citizens at large and not rebelling after the tick.", "quiet"),
    Metric("jailed", "stock", "int64", "citizens", "Citizens in jail after the tick.",
           "jailed"),
    Metric("arrests", "flow", "int64", "arrests", "Actives arrested by cops in the tick.",
           "arrests"),
    Metric("extortions", "flow", "int64", "extortions",
           "Quiet citizens extorted by corrupt cops in the tick.", "extortions"),
    Metric("legitimacy", "stock", "float64", "0-1",
           "The regime's legitimacy L during the tick.", "regime's L"),
    Metric("perceived_legitimacy", "stock", "float64", "0-1",
           "Citizens' mean perceived legitimacy L_i = L * f_i after the tick.",
           "citizens' mean L_i"),
)

#: Every declaration of each model family, per-tick columns first.
FAMILIES: dict[str, tuple[Metric, ...]] = {
    "crime": CRIME_METRICS + CRIME_RUN_MEASURES,
    "civil_violence": CIVIL_VIOLENCE_METRICS,
}


# --- derived lists ----------------------------------------------------------------------
def names(metrics: Iterable[Metric], *kinds: str) -> tuple[str, ...]:
    """The names of ``metrics`` (of the given kinds only, if any are given), in order."""
    return tuple(m.name for m in metrics if not kinds or m.kind in kinds)


def integer_names(metrics: Iterable[Metric]) -> frozenset[str]:
    """The names of the metrics stored as integers."""
    return frozenset(m.name for m in metrics if m.is_integer)


_BY_NAME: dict[str, dict[str, Metric]] = {
    family: {m.name: m for m in declared} for family, declared in FAMILIES.items()}


def lookup(name: str, family: str = "crime") -> Metric | None:
    """The declaration of ``name`` in a model family, or None if it is not declared."""
    return _BY_NAME[family].get(name)


def members(family: str, model_family: str = "crime") -> tuple[Metric, ...]:
    """The columns of a family (``crimes_<type>``), in order: one panel's lines.

    Raises:
        KeyError: If no declaration of ``model_family`` belongs to ``family``.
    """
    found = tuple(m for m in FAMILIES[model_family] if m.family == family)
    if not found:
        raise KeyError(f"no metric family {family!r} in the {model_family} model")
    return found


def markdown_table(metrics: Iterable[Metric]) -> str:
    """A Markdown table of ``metrics``, one row per metric or per family of columns.

    The documentation's tables of metrics are this function's output (a test checks
    them), so they list what the code records.
    """
    lines = ["| metric | kind | dtype | unit | meaning |", "|---|---|---|---|---|"]
    seen: set[str] = set()
    for m in metrics:
        if m.family in seen:
            continue
        if m.family:
            seen.add(m.family)
            placeholder = "<" + m.family.partition("<")[2].partition(">")[0] + ">"
            meaning = m.help.replace(_words_of(m), placeholder)
            lines.append(f"| `{m.family}` | {m.kind} | {m.dtype} | {m.unit} | {meaning} |")
        else:
            lines.append(f"| `{m.name}` | {m.kind} | {m.dtype} | {m.unit} | {m.help} |")
    return "\n".join(lines) + "\n"


def _words_of(m: Metric) -> str:
    """The key of a family member, as words (``sexual violence``)."""
    prefix, _, suffix = m.family.partition("<")
    key = m.name.removeprefix(prefix)
    tail = suffix.partition(">")[2]
    return (key.removesuffix(tail) if tail else key).replace("_", " ")


__all__ = ["CIVIL_VIOLENCE_METRICS", "CRIME_METRICS", "CRIME_RUN_MEASURES", "FAMILIES",
           "KINDS", "Kind", "Metric", "integer_names", "lookup", "markdown_table", "members",
           "names", "per_key"]
