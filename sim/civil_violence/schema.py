"""The ``[civil_violence]`` section of a scenario, registered with the scenario layer.

Epstein's model reads its own table and the lattice's size (``city.width``,
``city.height``); every other key of its scenarios is refused, since the model would
ignore it. The scenario layer sits below this family, so the family hands it the
section (:func:`sim.scenario.sections.register_section`) when this module is imported
by :mod:`sim.civil_violence`.
"""

from __future__ import annotations

from typing import Any

from sim.errors import ScenarioError
from sim.fields import Field
from sim.fields import bool_field as _b
from sim.fields import float_field as _f
from sim.fields import int_field as _i
from sim.fields import prob_field as _p
from sim.fields import str_field as _s
from sim.scenario.sections import FamilySection, register_section

#: Largest tick count or jail term a scenario may set.
BIG = 10_000_000

# Epstein's (2002) Model I, read only when model = "civil_violence". The first keys carry
# the names of Mesa's bundled example (mesa.examples.advanced.epstein_civil_violence) so
# its users can carry parameters over; defaults are Epstein's and NetLogo's Rebellion
# (docs/evidence.md), not the example's (cop_density 0.074, legitimacy 0.8, jail 1000).
# docs/ODD.md section 11 explains every key.
FIELDS: dict[str, Field] = {
    "citizen_density": _p(0.7, "share of cells holding a citizen at the start"),
    "cop_density": _p(0.04, "share of cells holding a cop"),
    "citizen_vision": _i(7, "radius in cells a citizen sees and moves within", 1, 10_000),
    "cop_vision": _i(7, "radius in cells a cop sees and moves within", 1, 10_000),
    "legitimacy": _p(0.82, "the regime's legitimacy L: grievance = hardship x (1 - L)"),
    "max_jail_term": _i(30, "jail terms are drawn uniformly from 0..max_jail_term ticks", 0, BIG),
    "active_threshold": _p(0.1, "T: a citizen rebels iff grievance - net risk > T"),
    "arrest_prob_constant": _f(2.3, "k in the estimated arrest probability 1 - exp(-k C/A)"),
    "arrest_rounding": _s("floor", "how C/A is rounded: floor (NetLogo's Rebellion), round "
                          "(Mesa's example) or none (the formula as printed)",
                          ("floor", "round", "none")),
    "movement": _b(True, "agents move to a random empty cell within vision each tick"),
    "activation_order": _s("Random", "agents act in a new random order each tick, or in "
                           "creation order", ("Random", "Sequential")),
    "grid_type": _s("Von Neumann", "shape of vision: Von Neumann (|dx|+|dy| <= v) or "
                    "Moore (max(|dx|,|dy|) <= v), on a torus", ("Von Neumann", "Moore")),
    "jail_on_grid": _b(False, "jailed citizens keep and block their cell (Mesa's example) "
                       "instead of leaving the lattice until released (Epstein 2002)"),
    "max_iters": _i(1000, "default run length in ticks", 0, BIG),
    "legitimacy_drop": _p(0.0, "total fall of legitimacy during the run (0: constant)"),
    "legitimacy_drop_start": _i(0, "tick the fall begins", 0, BIG),
    "legitimacy_drop_ticks": _i(0, "ticks over which legitimacy falls linearly (0: at once)",
                                0, BIG),
    "corruption": _p(0.0, "share of corrupt cops, who each tick also extort a quiet citizen "
                     "in vision"),
    "corruption_loss": _p(0.05, "share of perceived legitimacy a citizen loses when extorted"),
    "reversion_ticks": _f(50.0, "ticks for lost perceived legitimacy to recover half-way",
                          1.0),
}


def check(values: dict[str, Any]) -> None:
    """Cross-checks of a civil-violence scenario's validated values.

    Raises:
        ScenarioError: The densities over-fill the lattice, a vision does not fit in
            the grid, or legitimacy would fall below zero.
    """
    cv, city = values["civil_violence"], values["city"]
    if cv["citizen_density"] + cv["cop_density"] > 1.0:
        raise ScenarioError(
            "civil_violence: citizen_density + cop_density must not exceed 1, got "
            f"{cv['citizen_density'] + cv['cop_density']:g}")
    side = min(city["width"], city["height"])
    for who in ("citizen_vision", "cop_vision"):
        if 2 * cv[who] + 1 > side:
            raise ScenarioError(
                f"civil_violence.{who}: {cv[who]} needs a grid at least {2 * cv[who] + 1} "
                f"cells across (2 x vision + 1), got {side}")
    if cv["legitimacy_drop"] > cv["legitimacy"]:
        raise ScenarioError(
            f"civil_violence.legitimacy_drop: {cv['legitimacy_drop']:g} is more than "
            f"legitimacy {cv['legitimacy']:g}")


SECTION = FamilySection(model="civil_violence", fields=FIELDS,
                        shared_keys=("city.width", "city.height"), check=check)
register_section(SECTION)
