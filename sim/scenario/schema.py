"""The scenario schema: every key a scenario file may hold, its type, range and default.

The schema is data, not code, so one walker validates files and applies dotted
overrides, and docs/ODD.md can list the keys from one place. Defaults describe the
baseline city of ``scenarios/baseline.toml``; docs/calibration.md explains where each
calibrated number comes from. Model families other than the crime model add their
own table when they register (:mod:`sim.scenario.sections`; ``[civil_violence]`` is
declared in ``sim/civil_violence/schema.py``).
"""

from __future__ import annotations

from typing import Any

from sim.config import AGE_GROUPS, CRIME_TYPES
from sim.fields import Field
from sim.fields import bool_field as _b
from sim.fields import float_field as _f
from sim.fields import int_field as _i
from sim.fields import prob_field as _p
from sim.fields import str_field as _s
from sim.scenario.harm_weights import CAMBRIDGE_CHI, CAMBRIDGE_CHI_NAME, CAMBRIDGE_CHI_UNIT

BIG = 10_000_000

# Per-crime-type defaults: (rate per hour, report prob, arrest prob if police present,
# clearance prob if reported, mean jail days, darkness factor).
_CRIME_DEFAULTS: dict[str, tuple[float, float, float, float, float, float]] = {
    "burglary": (0.0080, 0.75, 0.20, 0.08, 120.0, 0.3),
    "robbery": (0.0053, 0.50, 0.30, 0.12, 240.0, 0.82),
    "assault": (0.0078, 0.38, 0.40, 0.25, 90.0, 0.5),
    "sexual_violence": (0.0060, 0.17, 0.30, 0.15, 365.0, 0.82),
    "gang_violence": (0.0150, 0.60, 0.40, 0.20, 300.0, 0.5),
}

# Vulnerability multipliers by crime type: youth, adult, elderly, female, male, marginalised.
# Sources in docs/calibration.md (ICVS, CSEW 2017, Australian Crime Victimisation Survey).
_VULNERABILITY: dict[str, tuple[float, float, float, float, float, float]] = {
    "burglary": (1.0, 1.0, 1.0, 1.0, 1.0, 1.4),
    "robbery": (1.6, 1.0, 1.2, 0.9, 1.1, 1.5),
    "assault": (2.2, 1.0, 0.37, 0.8, 1.2, 1.5),
    "sexual_violence": (1.4, 1.0, 0.15, 1.0, 0.25, 1.6),
    "gang_violence": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0),  # unused: see _vulnerability_table
}


def _vulnerability_table(name: str) -> dict[str, Field]:
    """The victim-choice multipliers a crime type uses.

    Burglary picks a household (only marginalisation is a household trait here); gang
    violence hits a rival gang member or a bystander drawn uniformly, so it has none.
    """
    vul = _VULNERABILITY[name]
    fields = {
        "youth": _f(vul[0], "victim-choice multiplier for youth"),
        "adult": _f(vul[1], "victim-choice multiplier for adults"),
        "elderly": _f(vul[2], "victim-choice multiplier for the elderly"),
        "female": _f(vul[3], "victim-choice multiplier for women and girls"),
        "male": _f(vul[4], "victim-choice multiplier for men and boys"),
        "marginalised": _f(vul[5], "extra multiplier for marginalised residents"),
    }
    if name == "burglary":
        return {"marginalised": _f(vul[5], "multiplier for marginalised households")}
    if name == "gang_violence":
        return {}
    return fields


def _crime_table(name: str) -> dict[str, Any]:
    rate, rep, arr, clr, jail, dark = _CRIME_DEFAULTS[name]
    table: dict[str, Any] = {
        "rate": _f(rate, "base hazard per hour per unit attractiveness and suitability"),
        "report_prob": _p(rep, "probability a victim reports, at the reference legitimacy"),
        "arrest_prob": _p(arr, "probability an officer who sees the crime makes an arrest"),
        "clearance_prob": _p(clr, "probability a reported crime leads to an arrest later"),
        "jail_days": _f(jail, "mean jail term in days after a conviction"),
        "darkness": _f(dark, "extra hazard at night in unlit cells (x(1+darkness*(1-lighting)))"),
    }
    vulnerability = _vulnerability_table(name)
    if vulnerability:
        table["vulnerability"] = vulnerability
    return table


SCHEMA: dict[str, Any] = {
    "name": _s("unnamed", "short name of the scenario"),
    "description": _s("", "what the scenario represents"),
    # Other families add their name here, and their own table below, when they
    # register their section (sim.scenario.sections).
    "model": _s("crime", "model family: the crime model, or another family such as "
                "civil_violence (which reads only its own table and the keys it names)",
                ("crime",)),
    "currency": _s("EUR", "currency unit of intervention costs (a label, e.g. EUR or USD)"),
    "price_year": _i(2024, "year whose prices the costs are stated in (printed next to the "
                     "currency)", 1900, 2200),
    "costs": {
        "officer_day": _f(1450.0, "full cost of one officer kept on a task for one model day "
                          "(round the clock: about three shifts), charged for officers an "
                          "intervention takes from other duties (docs/comparison.md)"),
        "horizon_years": _f(5.0, "years over which set-up costs are spread (straight line, "
                            "or an annuity with discount_rate)", 0.01),
        "discount_rate": _p(0.035, "yearly discount rate of the annuity that spreads set-up "
                            "costs (HM Treasury Green Book: 3.5%); 0 for straight line"),
    },
    "harm": {
        "index": _s(CAMBRIDGE_CHI_NAME, "name of the harm index the weights come from"),
        "unit": _s(CAMBRIDGE_CHI_UNIT, "what one unit of harm counts (e.g. CHI days)"),
        "weights": {t: _f(w, f"harm of one {t.replace('_', ' ')} in harm.unit")
                    for t, w in CAMBRIDGE_CHI.items()},
    },
    "time": {
        "dt": _f(1.0, "hazard time step per tick (hours in the city; Short et al.'s dt)", 1e-6),
        "ticks_per_day": _i(24, "ticks in one day (24 for hourly ticks)", 1, 100_000),
        "days": _i(365, "default run length in days", 0, 100_000),
    },
    "city": {
        "layout": _s("generated", "how the grid is made", ("generated", "lattice", "map")),
        "map_file": Field("path", "", "map file (.npz or .csv) when layout = 'map'"),
        "seed": _i(-1, "seed of the city alone, so every replication treats the same city "
                   "(-1: the run's seed makes the city too)", -1, 2**63 - 1),
        "width": _i(100, "cells across", 2, 20_000),
        "height": _i(100, "cells down", 2, 20_000),
        "cell_size_m": _f(100.0, "side of one cell in metres", 1.0),
        "periodic": _b(False, "wrap edges (a torus, as in Short et al. 2008)"),
        "neighbourhood": _i(8, "neighbours per cell for walking: 4 (von Neumann) or 8", 4, 8),
        "districts": _i(12, "number of districts", 1, 1000),
        "deprivation_spread": _p(0.35, "spread of district deprivation around its mean"),
        "deprivation_mean": _p(0.4, "mean district deprivation (0 affluent, 1 deprived)"),
        "centre_radius": _f(7.0, "radius of the commercial centre in cells"),
        "nightlife_streets": _i(4, "number of nightlife streets radiating from the centre"),
        "park_share": _p(0.06, "share of cells that are parks"),
        "industrial_share": _p(0.05, "share of cells that are industrial"),
        "schools": _i(25, "number of school cells"),
        "lighting_mean": _p(0.7, "mean street-lighting level in affluent districts"),
        "lighting_deprivation_gap": _p(0.35, "how much less lighting the most deprived areas have"),
        "cctv_share": _p(0.15, "share of commercial and nightlife cells with CCTV"),
        "disorder_deprivation": _p(0.6, "disorder level at deprivation 1 (broken windows)"),
    },
    "attractiveness": {
        "residential": _f(1.0, "static attractiveness A0 of residential cells"),
        "commercial": _f(1.6, "static attractiveness A0 of commercial cells"),
        "nightlife": _f(2.2, "static attractiveness A0 of nightlife cells"),
        "park": _f(1.3, "static attractiveness A0 of parks"),
        "industrial": _f(0.6, "static attractiveness A0 of industrial cells"),
        "school": _f(0.5, "static attractiveness A0 of schools"),
        "deprivation_gain": _f(0.6, "A0 multiplier gain per unit deprivation"),
        "disorder_gain": _f(0.5, "A0 multiplier gain per unit disorder"),
    },
    "near_repeat": {
        "theta": _f(1.5, "increase of B at a cell per crime there"),
        "eta": _p(0.05, "share of B that spreads to the neighbours each tick"),
        "omega": _f(1.0 / (14 * 24), "decay rate of B per unit time (1/14 days)"),
        "initial_b": _f(0.0, "dynamic attractiveness B at the start"),
        "crime_types": _s("burglary", "which crimes raise B", ("burglary", "all")),
    },
    "residents": {
        "count": _i(30_000, "number of residents", 0, BIG),
        "youth_share": _p(0.22, "share aged 10-24"),
        "elderly_share": _p(0.18, "share aged 65+"),
        "female_share": _p(0.51, "share female"),
        "marginalised_share": _p(0.12, "share marginalised (concentrated in deprived districts)"),
        "household_size": _f(2.3, "mean household size", 1.0),
        "legitimacy_mean": _p(0.6, "mean perceived legitimacy of police"),
        "legitimacy_sd": _p(0.12, "spread of legitimacy between residents"),
        "legitimacy_deprivation_gap": _p(0.2, "legitimacy lower by this at deprivation 1"),
        "legitimacy_marginalised_gap": _p(0.1, "legitimacy lower by this for marginalised"),
    },
    "routines": {
        "work_start": _i(8, "hour adults start work and youth school", 0, 23),
        "work_end": _i(17, "hour work ends", 0, 24),
        "school_end": _i(15, "hour school ends", 0, 24),
        "evening_start": _i(19, "hour evening leisure starts", 0, 23),
        "night_start": _i(20, "first dark hour", 0, 23),
        "night_end": _i(6, "first light hour", 0, 23),
        "employment": _p(0.7, "share of adults going to work on a weekday"),
        "day_out": {
            "youth": _p(0.5, "share of youth in public on a day without school"),
            "adult": _p(0.35, "share of adults in public on a day off"),
            "elderly": _p(0.4, "share of elderly in public in the day"),
        },
        "evening_out": {
            "youth": _p(0.35, "share of youth out in the evening"),
            "adult": _p(0.18, "share of adults out in the evening"),
            "elderly": _p(0.05, "share of elderly out in the evening"),
        },
        "evening_hours": {
            "youth": _i(5, "hours youth stay out", 1, 12),
            "adult": _i(4, "hours adults stay out", 1, 12),
            "elderly": _i(2, "hours elderly stay out", 1, 12),
        },
        "nightlife_choice": {
            "youth": _p(0.55, "share of youth outings spent in nightlife streets"),
            "adult": _p(0.35, "share of adult outings spent in nightlife streets"),
            "elderly": _p(0.05, "share of elderly outings spent in nightlife streets"),
        },
        "local_radius": _i(6, "cells within which local outings and day trips stay "
                           "(destination_rule = 'nearest')", 1, 1000),
        "destination_rule": _s("gravity", "where outings go: 'gravity' (a place of the kind "
                               "drawn with P ~ attraction / (distance + gravity_offset)^"
                               "gravity_beta; Huff 1964, Wilson 1971) or 'nearest' (the "
                               "first release: the public cell nearest a random cell within "
                               "local_radius; nightlife streets uniformly)",
                               ("gravity", "nearest")),
        "gravity_beta": _f(2.0, "distance-decay exponent of the gravity rule (0: distance "
                           "does not matter)"),
        "gravity_offset": _f(1.0, "distance offset d0 of the gravity rule, in cells (keeps "
                             "the place next door from taking every trip)", 0.01),
        "attraction": {
            "commercial": _f(1.0, "attraction of a shop cell for local outings (gravity)"),
            "park": _f(0.6, "attraction of a park cell for local outings (gravity)"),
            "nightlife": _f(1.0, "attraction of a nightlife cell for nightlife outings "
                            "(gravity)"),
        },
        "route_exposure": _b(True, "the first and last hour away from home are the journey "
                             "out and back, spent in public on the straight line between "
                             "home and the place (outings gain those two hours); false: "
                             "the first release (commuters in public at the destination)"),
        "transit_share": _p(0.3, "share of a journey hour a traveller is actually on the "
                            "street (a trip in town takes about 20 minutes): their weight "
                            "as a target of street crime while travelling"),
    },
    "offenders": {
        "count": _i(450, "offenders at the start (drawn from residents if any)", 0, BIG),
        "capacity": _i(0, "slots for offenders (0: 4x the initial count, at least 1024)", 0, BIG),
        "motivation_mean": _f(1.0, "mean motivation (gamma distributed)", 1e-9),
        "motivation_shape": _f(2.0, "gamma shape of motivation (1/CV^2)", 1e-3),
        "gang_share": _p(0.25, "share of initial offenders in gangs"),
        "gangs": _i(4, "number of gangs (each holds the most deprived districts)", 0, 64),
        "moves_per_tick": _i(6, "cells walked per active tick", 1, 1000),
        "home_decay": _f(0.05, "distance decay of the walk from home, per cell"),
        "awareness_radius": _i(40, "furthest distance from home in cells (0: none)", 0, 100_000),
        "active_day": _p(0.08, "probability an offender is out in a day hour"),
        "active_evening": _p(0.25, "probability an offender is out in an evening hour"),
        "active_night": _p(0.15, "probability an offender is out in a night hour"),
        "always_active": _b(False, "offenders are always out (Short et al.'s burglars)"),
        "transient": _b(False, "an offender leaves the model after one crime (Short et al.)"),
        "spawn_rate": _f(0.0, "new transient offenders per cell per unit time (Gamma)"),
        "compliance": _p(0.5, "how much legitimacy lowers an offender's hazard"),
    },
    "awareness": {
        "enabled": _b(True, "offenders go on outings anchored at their activity nodes (home, "
                      "school or work, leisure places, a family home, gang turf) and search "
                      "around the anchor (crime pattern theory); false: the hourly coin toss "
                      "and the walk from home of the first release"),
        "outing_hours": _i(3, "mean length of an outing in hours (drawn uniformly from 1 to "
                           "2 x mean - 1)", 1, 127),
        "leisure_km": _f(0.8, "mean distance from home of an offender's leisure places (km)",
                         0.0),
        "family_km": _f(4.0, "mean distance from home of a friend's or family home (km)", 0.0),
        "youth_reach": _f(0.8, "juveniles' node distances as a share of adults'", 0.0),
        "weight_home": _f(0.05, "weight of home as an outing's anchor", 0.0),
        "weight_activity": _f(0.5, "weight of the school or work place as an anchor", 0.0),
        "weight_leisure": _f(1.0, "weight of each leisure place as an anchor", 0.0),
        "weight_family": _f(1.0, "weight of the friend's or family home as an anchor", 0.0),
        "weight_turf": _f(1.0, "weight of the gang's turf as an anchor (gang members)", 0.0),
    },
    "repeat": {
        "enabled": _b(True, "after a burglary the offender remembers the cell and returns to "
                      "it (repeat and near-repeat victimisation); needs awareness.enabled"),
        "memory_days": _i(14, "days an offender remembers a burglary's cell", 1, 255),
        "return_prob": _p(0.3, "probability an outing goes back to the remembered cell"),
        "boost": _f(20.0, "burglary hazard multiplier of an offender within one cell of the "
                    "burglary he remembers (he knows the place: Bernasco 2008)", 0.0),
    },
    "police": {
        "count": _i(24, "patrol units on duty", 0, BIG),
        "random": _p(0.5, "share patrolling at random"),
        "hotspot": _p(0.0, "share patrolling the top cells by reported crime"),
        "community": _p(0.25, "share on community beats in deprived districts"),
        "reactive": _p(0.25, "share answering reported crimes"),
        "speed": _i(6, "cells moved per tick", 1, 1000),
        "deterrence": _f(1.2, "hazard reduction per officer within the deterrence radius"),
        "deterrence_radius": _i(1, "radius (cells) of deterrence and detection", 0, 50),
        "detect_prob": _p(0.35, "probability an officer nearby notices a crime"),
        "corrupt_share": _p(0.12, "share of corrupt officers"),
        "bribe_prob": _p(0.6, "probability a corrupt officer takes a bribe instead of arresting"),
        "corrupt_deterrence": _p(0.5, "deterrence of a corrupt officer relative to an honest one"),
        "hotspot_cells": _i(20, "cells on the hot-spot list", 1, BIG),
        "hotspot_refresh_days": _i(7, "days between hot-spot list refreshes", 1, 10_000),
        "community_contacts": _i(2, "residents a community officer talks to per tick", 0, 1000),
        "conviction_prob": _p(0.55, "probability an arrest ends in a jail term"),
    },
    "services": {
        "count": _i(15, "social-service outreach workers", 0, BIG),
        "contacts": _i(3, "youth a worker meets per working hour", 0, 1000),
        "enrol_prob": _p(0.15, "probability a contacted at-risk youth enrols"),
        "capacity": _i(30, "caseload per worker", 0, BIG),
        "programme_days": _i(180, "length of enrolment in days", 1, 10_000),
        "motivation_effect": _p(0.45, "fall in an enrolled offender's hazard"),
        "recruitment_effect": _p(0.6, "fall in an enrolled youth's recruitment risk"),
        "desistance_boost": _f(2.0, "desistance multiplier while enrolled", 1.0),
    },
    "integration": {
        "enabled": _b(True, "integrated action of police and services as a mechanism: police "
                      "refer arrested youth and reported victims of violence at home to "
                      "services, services alert police to gang tension, and both work from "
                      "one shared case list (needs officers and outreach workers; off: the "
                      "two work apart, as in the classic model)"),
        "referral_prob": _p(0.3, "probability police refer an arrested young offender, or a "
                            "reported victim of violence at home by a partner or relative, to "
                            "services (usual practice; an assumption, docs/ODD.md)"),
        "victim_support_effect": _p(0.5, "fall in the abuser's hazard against a referred "
                                    "victim while the case is open (safety planning, protection "
                                    "orders: docs/evidence.md)"),
        "case_days": _i(90, "days a case stays open on the shared list (extended by a new "
                        "referral or alert)", 1, 10_000),
        "tension_threshold": _f(0.93, "gang grievance (1 just after a rival's attack, fading "
                                "with flows.retaliation_days) above which outreach workers in "
                                "the gang's territory alert police (0.93: an attack within "
                                "the last day, with the 14-day fading)", 0.0),
        "tension_days": _i(7, "days a tension alert keeps the gang's territory on the shared "
                           "list (a conflict brewing is watched for a week: an assumption)",
                           1, 10_000),
        "shared_cases": _b(True, "police read the open cases' cells: they join the hot-spot "
                           "list and the calls for service, so officers visit them"),
        "case_slots": _i(256, "capacity of the shared case list (referrals to a full list "
                         "are dropped)", 1, 1_000_000),
    },
    "security": {
        "guards": _i(30, "private security guards at commercial and nightlife cells", 0, BIG),
        "guard_deterrence": _f(0.8, "hazard reduction per guard in the cell"),
        "cctv_deterrence": _f(0.25, "hazard reduction in a cell with CCTV"),
        "cctv_detection": _p(0.1, "probability CCTV leads to an arrest for a crime in view"),
    },
    "guardianship": {
        "crowd": _f(0.04, "natural surveillance: hazard / (1 + crowd * people present)"),
        "cooperation": _f(0.6, "hazard reduction per unit of residents' legitimacy"),
    },
    "legitimacy": {
        "fair_contact_gain": _p(0.03, "gain toward 1 from a fair police contact"),
        "corruption_loss": _p(0.01, "loss per bribe seen in the home district that day"),
        "victim_loss": _p(0.02, "loss after being victimised"),
        "unanswered_loss": _p(0.02, "loss when a reported crime gets no arrest"),
        "reversion_days": _f(365.0, "days for legitimacy to relax half-way to its baseline", 1.0),
        "report_slope": _f(2.0, "log-odds-like slope of reporting on legitimacy"),
        "contacts_enabled": _b(True, "every patrolling officer stops or talks to residents "
                               "in public (fair or unfair), contacts are news in the "
                               "district (vicarious experience), and a victim whose case "
                               "a corrupt officer sold loses trust; off: only community "
                               "officers' contacts, as in the first release"),
        "contacts_per_hour": _f(0.1, "residents an officer on patrol stops or talks to per "
                                "hour when people are present (calibrated to ~11% of "
                                "residents a year with a police-initiated contact: BJS "
                                "PPCS 2015)", 0.0),
        "fair_share": _p(0.9, "share of an honest officer's contacts that are fair (PPCS "
                         "2005: ~9 in 10 with contact said police acted properly); "
                         "procedural justice training raises it"),
        "solicit_prob": _p(0.25, "probability a corrupt officer's contact is a bribe "
                           "solicitation, an unfair contact (assumption)"),
        "bad_contact_weight": _f(7.0, "an unfair contact moves trust this many times as far "
                                 "as a fair one (Skogan 2006: 4 to 14; 7 keeps the "
                                 "baseline city's news about neutral)", 0.0),
        "hearsay_weight": _f(0.004, "trust moved per unit of district contact news per "
                             "1,000 residents, daily (vicarious experience; assumption, "
                             "calibrated so the baseline drifts little)", 0.0),
        "corrupt_case_loss": _p(0.25, "loss of a victim who reported a crime whose case a "
                                "corrupt officer sold (assumption)"),
    },
    "flows": {
        "recruitment_rate": _f(0.000021, "daily recruitment hazard of an at-risk youth"),
        "recruitment_deprivation": _f(3.0, "recruitment multiplier gain per unit deprivation"),
        "recruitment_gang": _f(1.5, "recruitment multiplier gain in gang territory"),
        "gang_join": _p(0.35, "probability a recruit in gang territory joins the gang"),
        "desistance_rate": _f(1.0 / (4 * 365), "daily desistance hazard of an offender"),
        "retaliation": _f(3.0, "gang-violence multiplier after a rival's attack"),
        "gang_radius": _i(3, "cells within which rival gang members clash", 0, 1000),
        "retaliation_days": _f(14.0, "days a gang's grievance lasts (above 0: a grievance "
                               "decays by exp(-1 / days) a day)", 0.01),
        "bystander_prob": _p(0.15, "probability gang violence also hurts a resident present"),
    },
    "market": {
        "enabled": _b(True, "an illicit market: gangs extort the businesses of their "
                      "territory, the payments are gang revenue, revenue buys officers "
                      "(corruption rises with it; corrupt officers leave at exit_days) and "
                      "funds recruitment (off: no extortion, the corrupt share stays "
                      "police.corrupt_share, gang recruitment is flows.recruitment_gang)"),
        "businesses_commercial": _i(4, "businesses per commercial cell (an assumption: a "
                                    "50 m street frontage holds a few shops)", 0, 10_000),
        "businesses_nightlife": _i(3, "businesses per nightlife cell (bars, clubs; an "
                                   "assumption)", 0, 10_000),
        "approach_rate": _f(4.5e-5, "daily hazard a business is approached, per unit of "
                            "motivation of the gang's free members on turf in its district "
                            "(calibrated: about 17% of businesses in gang territory "
                            "approached a year, INEGI ENVE 2022)", 0.0),
        "pay_prob": _p(0.7, "probability an approached business pays, with no trust in "
                       "police and no officer in the district (an assumption: the baseline "
                       "then pays about 30% of approaches, between the 6.7% and 44.8% "
                       "reported from INEGI ENVE 2022)"),
        "police_effect": _f(0.25, "payment probability / (1 + police_effect x honest "
                            "officers in the district at the day's first tick; an "
                            "assumption)", 0.0),
        "trust_refusal": _p(0.5, "payment probability x (1 - trust_refusal x the district's "
                            "mean legitimacy): businesses that trust police refuse (an "
                            "assumption)"),
        "report_gain": _f(0.25, "a refusing business reports with min(1, report_gain x the "
                          "district's mean legitimacy) (ENVE: about 9 in 10 crimes against "
                          "businesses go unreported)", 0.0),
        "clearance": _p(0.3, "probability a reported extortion is cleared (a fixed rate, an "
                        "assumption); the case officer, drawn at random, drops it for a "
                        "bribe if corrupt (police.bribe_prob)"),
        "jail_days": _f(365.0, "mean jail term in days of a convicted extortionist (an "
                        "assumption)", 0.0),
        "payment": _f(450.0, "one payment: a month of protection money, in the scenario's "
                      "currency (Palermo estimates: about 450 EUR a month for a shop)", 0.0),
        "revenue_days": _f(30.0, "days a gang's revenue lasts (the revenue stock decays "
                           "with this time constant)", 0.01),
        "corruption_rate": _f(0.00045, "daily hazard an honest officer standing in a gang's "
                              "territory is bought, per 1,000 of that gang's revenue stock "
                              "(calibrated so the baseline corrupt share stays about "
                              "police.corrupt_share)", 0.0),
        "exit_days": _f(730.0, "mean days an officer stays corrupt before leaving the force "
                        "or being disciplined by routine supervision (an assumption)", 1.0),
        "recruitment_revenue": _p(0.5, "share of the gang-territory recruitment gain "
                                  "(flows.recruitment_gang) that scales with the gang's "
                                  "revenue per free member (an assumption)"),
        "reference_revenue": _f(20.0, "revenue per free member at which the gain is "
                                "flows.recruitment_gang (the baseline's level)", 1e-9),
    },
    "relationships": {
        "enabled": _b(True, "violence at home and among acquaintances: partners, family and "
                      "ex-partners from the households, domestic abusers who offend at home, "
                      "and street offenders who may pick someone they know (off: the classic "
                      "model, where every victim of violence is a stranger in public)"),
        "couple_share": _p(0.75, "share of households with adults of both sexes whose first "
                           "woman and first man are a couple"),
        "ex_partner_share": _p(0.3, "share of adults living alone or as single parents who "
                               "have an ex-partner (of the other sex) elsewhere in the city"),
        "abuser_share_men": _p(0.06, "share of partnered or ex-partnered men who abuse their "
                               "partner (calibrated: docs/calibration.md)"),
        "abuser_share_women": _p(0.005, "share of partnered or ex-partnered women who abuse "
                                 "their partner (calibrated)"),
        "abuser_elderly_factor": _p(0.3, "abuser shares where the abuser or the partner is "
                                    "elderly, relative to younger adults (domestic abuse "
                                    "falls with age)"),
        "family_abuser_share": _p(0.004, "share of adults in a household with other members "
                                  "who abuse one of them (not their partner; calibrated)"),
        "assault_rate": _f(0.0003, "hazard per hour of an assault by a domestic abuser while "
                           "abuser and target are together at the target's home (x motivation "
                           "x (1 - compliance x legitimacy))"),
        "sexual_violence_rate": _f(0.00054, "hazard per hour of sexual violence by a partner or "
                                   "ex-partner, as assault_rate"),
        "family_sexual_factor": _p(0.1, "sexual-violence hazard of a family abuser relative to "
                                   "a partner"),
        "ex_contact": _p(0.25, "hazard of an ex-partner relative to a co-resident partner: the "
                         "share of hours the ex finds the victim at home and comes round"),
        "night_factor": _f(1.5, "hazard multiplier of violence at home in the dark hours", 0.0),
        "acquaintance_weight": _f(3.0, "victim-choice weight of people a street offender knows "
                                  "(household, same school or workplace, home within one "
                                  "cell) relative to strangers present (1: no preference)", 0.0),
    },
    "crime": {name: _crime_table(name) for name in CRIME_TYPES},
    "justice": {
        "enabled": _b(True, "capacity-limited justice: investigators' time per reported crime "
                      "sets the chance a case is solved, victims who trust the police "
                      "cooperate more, and arrests wait for a court of limited pace, on bail "
                      "or remanded (off: the classic model, a fixed clearance probability and "
                      "an immediate verdict)"),
        "investigator_share": _f(0.25, "investigators per patrol unit on the force (police."
                                 "count): no officers, no investigations (calibrated: "
                                 "docs/calibration.md)", 0.0),
        "investigator_hours": _f(6.0, "hours of casework per investigator a day", 0.0),
        "reference_ratio": _f(1.0, "investigation hours given / hours demanded at which a "
                              "reported case is solved with the crime table's clearance_prob",
                              0.01),
        "demand_days": _f(7.0, "days of reported crimes the investigators' rolling demand "
                          "remembers (time constant)", 0.01),
        "effort_hours": {
            t: _f(h, f"standard investigation hours per reported {t.replace('_', ' ')} case "
                  "(an assumption: relative effort)", 0.0)
            for t, h in zip(CRIME_TYPES, (4.0, 12.0, 6.0, 20.0, 12.0), strict=True)
        },
        "clearance": {
            t: _p(c, f"probability a reported {t.replace('_', ' ')} is solved by an "
                  "investigation at the reference effort ratio (replaces crime."
                  f"{t}.clearance_prob while justice is on; calibrated to the FBI's 2019 "
                  "clearance rates: docs/evidence.md)")
            for t, c in zip(CRIME_TYPES, (0.13, 0.28, 0.48, 0.30, 0.48), strict=True)
        },
        "cooperation_slope": _f(1.0, "relative gain in a case's chance of being solved per "
                                "unit of the reporting victim's legitimacy above "
                                "residents.legitimacy_mean (Tyler & Fagan 2008; the size is "
                                "an assumption)", 0.0),
        "remand_share": _p(0.1, "share of the arrested remanded in custody until the court "
                           "decides (the rest are bailed: free)"),
        "hearing_days": _f(60.0, "days from arrest until the court can decide a case "
                           "(charge to completion in magistrates' courts, Time Intervals "
                           "Survey)", 0.0),
        "court_cases_per_100k": _f(6.7, "cases the court decides a day at most, per 100,000 "
                                   "residents (6.7: two a day in the 30,000-resident "
                                   "baseline, above its arrests a day, so the queue is "
                                   "stable; a city of any size gets the same pace per "
                                   "head)", 0.0),
    },
    "fear": {
        "enabled": _b(True, "fear of crime: residents' fear relaxes toward a baseline, rises "
                      "with victimisation and crimes near home, and keeps them in (off: "
                      "nobody is afraid and nobody stays in for fear)"),
        "baseline": {
            "youth": _p(0.10, "baseline fear of a male youth (share feeling unsafe after dark)"),
            "adult": _p(0.07, "baseline fear of an adult man"),
            "elderly": _p(0.15, "baseline fear of an elderly man"),
        },
        "female_extra": _p(0.34, "baseline fear added for women and girls"),
        "marginalised_extra": _p(0.08, "baseline fear added for marginalised residents"),
        "memory_days": _f(30.0, "days for fear to relax half-way back to its baseline", 0.01),
        "victim_gain": _p(0.3, "share of the way to 1 a victimisation moves fear"),
        "heard_gain": _p(0.02, "share of the way to 1 each crime near home moves fear"),
        "heard_radius": _i(2, "half-side in cells of the square around home whose crimes "
                           "a resident hears of (0: the home cell)", 0, 1000),
        "lighting_effect": _p(0.15, "baseline fear added per unit of darkness (1 - lighting) "
                              "of the home cell"),
        "trust_effect": _f(0.3, "baseline fear removed per unit of trust in police "
                           "(legitimacy) above residents.legitimacy_mean"),
        "avoid_day": _p(0.1, "an afraid resident's daytime outing is skipped with probability "
                        "avoid_day x fear"),
        "avoid_evening": _p(0.4, "an afraid resident's evening outing is skipped with "
                            "probability avoid_evening x fear"),
    },
    "deterrence": {
        "enabled": _b(True, "deterrence by perceived risk and police presence with memory: "
                      "officers leave a presence that decays after they go and is seen "
                      "beyond their cell; each offender holds a perceived risk of arrest, "
                      "learnt from his own arrests, crimes unpunished, bribes and police "
                      "seen, that lowers his hazard (off: the classic 3x3 field of the "
                      "moment and no perceived risk)"),
        "presence_half_life_min": _f(20.0, "minutes for an officer's presence in a cell to "
                                     "halve after they leave (residual deterrence: Koper "
                                     "1995)", 1.0),
        "visibility_m": _f(100.0, "distance within which an officer's presence deters, its "
                           "weight falling linearly from 1 in the officer's cell (an "
                           "assumption)", 0.0),
        "prior_risk": _p(0.2, "perceived probability of arrest of a new offender, and where "
                         "beliefs drift back to (an assumption)"),
        "learning": _p(0.1, "weight of one crime's outcome in the offender's belief: arrested "
                       "moves it this share of the way to 1, unpunished to 0"),
        "bribe_learning": _p(0.2, "share of the way to 0 a bribe paid moves the belief "
                             "(corrupt police teach impunity)"),
        "sighting_weight": _p(0.1, "share of the way to 1 an hour out among police presence "
                              "P moves the belief, times 1 - exp(-P)"),
        "drift_days": _f(60.0, "days for a belief to relax half-way back to the prior", 0.01),
        "sensitivity": _f(3.0, "the offending hazard is multiplied by "
                          "exp(-sensitivity x (perceived risk - prior_risk))", 0.0),
        "avoidance": _f(1.0, "offenders' walk: a neighbour's weight is multiplied by "
                        "exp(-avoidance x police deterrence there)", 0.0),
    },
    "metrics": {
        "event_log": _b(True, "keep one row per crime (tick, type, cell, ...)"),
        "collect_every": _i(24, "ticks between Mesa DataCollector collections", 1, BIG),
    },
    "agents": {
        "views": _b(True, "create mesa.Agent views of every agent (off for big sweeps)"),
    },
}

#: Age-group keys used in per-group tables.
AGE_KEYS = AGE_GROUPS


def flatten(schema: dict[str, Any] | None = None, prefix: str = "") -> dict[str, Field]:
    """Return the schema as ``{"dotted.key": Field}``, e.g. ``"offenders.count"``."""
    schema = SCHEMA if schema is None else schema
    out: dict[str, Field] = {}
    for key, value in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Field):
            out[dotted] = value
        else:
            out.update(flatten(value, dotted + "."))
    return out
