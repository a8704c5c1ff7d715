"""Model families, side by side behind one registry: what runs a scenario, and how.

crimesim runs three families of model on one scenario format: the crime model on its
fast engine, the same rules written the plain Mesa way (the reference engine), and
Epstein's (2002) civil violence model. They differ in the model class, the section of
the scenario they read, their metrics, the files a run writes and the figures it
prints, and in what a run's length counts (days of the city, ticks of the lattice).
Each family is one :class:`ModelFamily` record here, and the command line
(``run``, ``validate``) and the dashboard look the family of a scenario up
(:func:`family_for`) instead of testing the scenario's ``model`` key themselves; a
fourth family is one more record.

This module sits above the families it lists and below the command line, the
dashboard and the analysis, which look families up. The scenario layer never imports
it: a family hands the scenario layer its schema section when its package is imported
(:mod:`sim.scenario.sections`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.civil_violence import METRICS as CIVIL_VIOLENCE_METRICS
from sim.civil_violence import CivilViolenceModel
from sim.civil_violence.output import write_run as write_civil_violence_run
from sim.civil_violence.report import print_headline as print_civil_violence_headline
from sim.crime.model import CrimeModel
from sim.crime.output import write_run as write_crime_run
from sim.crime.report import print_headline as print_crime_headline
from sim.metrics.recorder import METRICS as CRIME_METRICS
from sim.reference import ReferenceCrimeModel
from sim.scenario import FamilySection, Scenario, section_of

#: The engine a family runs on unless asked otherwise (``crimesim run --engine``).
DEFAULT_ENGINE = "fast"


@dataclass(frozen=True)
class ModelFamily:
    """One model family: its model class and everything a run of it needs.

    Attributes:
        name: The family's name in this registry (``crime``, ``reference``, ...).
        title: The family in words, for messages and pages.
        model: The scenario ``model`` value it runs (the reference engine runs
            ``crime`` scenarios).
        engine: ``fast`` or ``reference``; one scenario model may have both.
        model_class: The Mesa model class; built with ``scenario=`` and ``rng=``.
        metrics: The metric columns of its results, in order.
        write_run: Writes a finished run's files: ``(model, out_dir, seed,
            runtime_s) -> {name: path}``.
        print_headline: Prints a finished run's headline figures:
            ``(model, runtime_s)``.
        length_key: The scenario key giving the default run length.
        counts_days: Whether ``length_key`` counts days (else ticks).
        progress_chunk: Ticks between progress updates (None: a day).
        options: Keyword options the model class takes beyond ``scenario`` and
            ``rng`` (e.g. ``agent_views``, ``check_invariants``).
        interventions: Whether the family runs intervention plug-ins.
    """

    name: str
    title: str
    model: str
    engine: str
    model_class: type
    metrics: tuple[str, ...]
    write_run: Callable[[Any, str | Path, Any, float], dict[str, Path]]
    print_headline: Callable[[Any, float], None]
    length_key: str
    counts_days: bool
    progress_chunk: int | None = None
    options: tuple[str, ...] = ()
    interventions: bool = False

    @property
    def section(self) -> FamilySection | None:
        """The schema section the family reads (None: the crime model's base schema)."""
        return section_of(self.model)

    def build(self, scenario: Scenario, seed: Any, **options: Any) -> Any:
        """The family's model of ``scenario``, seeded with ``seed``.

        Options the family does not take are left out (a civil-violence model has no
        agent views to switch off); a caller that needs one checks :attr:`options`.
        """
        taken = {key: value for key, value in options.items() if key in self.options}
        return self.model_class(scenario=scenario, rng=seed, **taken)

    def default_length(self, scenario: Scenario) -> float:
        """The scenario's run length, in days if :attr:`counts_days`, else ticks."""
        return scenario[self.length_key]

    def run_ticks(self, scenario: Scenario, ticks_per_day: int, *,
                  ticks: int | None = None, days: float | None = None) -> int:
        """Ticks to run: ``ticks``, else ``days`` (or the scenario's length) in ticks.

        Raises:
            ValueError: ``days`` given to a family that counts ticks.
        """
        if ticks is not None:
            return ticks
        if not self.counts_days:
            if days is not None:
                raise ValueError(f"{self.title} counts ticks, not days")
            return int(self.default_length(scenario))
        days = self.default_length(scenario) if days is None else days
        return int(round(days * ticks_per_day))


CRIME = ModelFamily(
    name="crime", title="the crime model", model="crime", engine="fast",
    model_class=CrimeModel, metrics=CRIME_METRICS, write_run=write_crime_run,
    print_headline=print_crime_headline, length_key="time.days", counts_days=True,
    options=("agent_views", "check_invariants"), interventions=True)

REFERENCE = ModelFamily(
    name="reference", title="the crime model on the plain-Mesa reference engine",
    model="crime", engine="reference", model_class=ReferenceCrimeModel,
    metrics=CRIME_METRICS, write_run=write_crime_run, print_headline=print_crime_headline,
    length_key="time.days", counts_days=True, interventions=True)

CIVIL_VIOLENCE = ModelFamily(
    name="civil_violence", title="Epstein's civil violence model", model="civil_violence",
    engine="fast", model_class=CivilViolenceModel, metrics=CIVIL_VIOLENCE_METRICS,
    write_run=write_civil_violence_run, print_headline=print_civil_violence_headline,
    length_key="civil_violence.max_iters", counts_days=False, progress_chunk=100)

#: Every family, by name.
FAMILIES: dict[str, ModelFamily] = {}


def register(family: ModelFamily) -> ModelFamily:
    """Add a family to the registry.

    Raises:
        TypeError: The name, or the pair of scenario model and engine, is taken.
    """
    for known in FAMILIES.values():
        if known.name == family.name or (known.model, known.engine) == (family.model,
                                                                         family.engine):
            raise TypeError(f"model family {family.name!r} ({family.model}, "
                            f"{family.engine} engine) is registered twice")
    FAMILIES[family.name] = family
    return family


for _family in (CRIME, REFERENCE, CIVIL_VIOLENCE):
    register(_family)


def get(name: str) -> ModelFamily:
    """The family registered as ``name``; KeyError names the known ones."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise KeyError(f"unknown model family {name!r} (known: {', '.join(names())})") from None


def names() -> list[str]:
    """Registered family names, sorted."""
    return sorted(FAMILIES)


def engines(model: str) -> list[str]:
    """The engines that run scenarios with ``model = <model>``, sorted."""
    return sorted(f.engine for f in FAMILIES.values() if f.model == model)


def family_for(scenario: Scenario, engine: str = DEFAULT_ENGINE) -> ModelFamily:
    """The family that runs ``scenario`` on ``engine``.

    Raises:
        LookupError: No family runs the scenario's model on that engine; the message
            names the engines it has.
    """
    model = scenario.params.model
    for family in FAMILIES.values():
        if family.model == model and family.engine == engine:
            return family
    have = engines(model)
    if not have:
        raise LookupError(f"no model family runs model = {model!r}")
    raise LookupError(f"the {model} model has no {engine} engine (it has: {', '.join(have)})")


def runs_crime_model(scenario: Scenario) -> bool:
    """Whether ``scenario`` runs the crime model (on either engine).

    What ``compare``, ``sweep`` and ``bench`` ask before they refuse another family:
    their figures (crimes, victimisation) exist only for the crime model.
    """
    return scenario.params.model == CRIME.model


__all__ = ["CIVIL_VIOLENCE", "CRIME", "DEFAULT_ENGINE", "FAMILIES", "REFERENCE",
           "ModelFamily", "engines", "family_for", "get", "names", "register",
           "runs_crime_model"]
