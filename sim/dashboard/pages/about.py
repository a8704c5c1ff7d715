"""The About page: how to read a result, the model in brief, its sources, and more.

It opens with what a user needs before trusting a number from Compare or a sweep:
how to read a result, what its 95% confidence interval covers here (the chance
variation between paired replications with common random numbers) and what it does
not (the model's structure, its parameters' uncertainty), and that a model run is not
a forecast.

The text summarises docs/ODD.md (purpose, entities, the hourly step, the mechanisms
and their sources). The list of interventions is built from the plug-in registry, so a
new plug-in appears here with its own summary; each one's scenario and documentation
page are named beside it.
"""

from __future__ import annotations

import solara

from sim.dashboard.pages.docs import link_docs
from sim.dashboard.state.explore_session import SCENARIO_DIR
from sim.interventions import REGISTRY

#: The repository root (scenarios/ and docs/ live under it).
ROOT = SCENARIO_DIR.parent

READING = """\
## How to read a result

A result compares two scenarios of the same city: the base (no intervention) and an
alternative (the base with one or more interventions). For each measure -- crimes by
type, the share of each group victimised (% of people victimised), trust in the police
-- it shows the base's value, the alternative's, and the change, in numbers and in
per cent, with a 95% confidence interval. Read the change first and its interval
next: an interval that includes 0 means *no detectable effect at this number of
replications*, not "no effect"; more replications narrow it. Counts are for the whole
run (a year of the baseline city) in the model's city, not in a real one.

## What a 95% confidence interval means here

Each replication runs the base and the alternative with the same seed: the same city,
the same people, the same daily plans and the same random draws, so the two differ
only through what the alternative changes (paired replications with common random
numbers). The interval is Student's t over the replications' paired differences: it
says how much the change could differ by chance, from one set of random draws to
another, *within this model with these parameter values*. A test checks that it
covers a true zero 95% of the time (docs/comparison.md).

It does **not** cover:

- **the model's structure**: the mechanisms chosen and the ones left out (docs/ODD.md
  marks every assumption); another model of the same city could give another
  answer;
- **the parameters' uncertainty**: the base rates, the size of each intervention's
  effect and the vulnerability multipliers are estimates from the literature, each
  with its own error, and the interval treats them as exact. A sweep
  (`crimesim sweep`, the Sweeps page) shows how much a result moves when one of them
  does.

## This is a model, not a forecast

crimesim asks "what follows if these mechanisms and these values hold?", not "what
will happen in our city next year?". Its synthetic city is calibrated to victim
surveys as a whole (docs/calibration.md), not to a real place's crime records, and
each intervention's effect is set from published evaluations (docs/evidence.md).
Use a result to compare options, to see which assumptions matter and which groups
gain, and to ask better questions of real data and of a pilot -- not as a prediction
of crime figures.
"""

PURPOSE = """\
## What crimesim is

crimesim compares urban crime-prevention policies (street lighting, youth programmes,
anti-corruption measures, hot-spot and community policing, private security and CCTV,
focused deterrence against gangs, urban renewal) by how they change victimisation. It
reports results for everyone and for the groups that the UN's urban-security work
names: youth, women and girls, the elderly, and marginalised people. It is also a
teaching model: routine activities, near-repeat victimisation, displacement and
legitimacy each appear as a separate mechanism in the code, so a student can switch one
off and see what changes.

The baseline city is 100 × 100 cells of 50 m (5 × 5 km) with 30,000 residents in about
13,000 households, 450 offenders in 4 gangs, 24 police officers, 15 outreach workers,
30 private guards and 12 districts; one tick is one hour and a run is 365 days. The
same code, reduced, is the lattice burglary model of Short et al. (2008).
"""

ENTITIES = """\
## Entities

- **Cells**: land use, district, deprivation, street lighting, physical disorder,
  CCTV, static attractiveness A0, the near-repeat field B, standing guardianship G,
  crime counts and reported crime.
- **Residents** and their **households**: age group (youth 10–24, adult, elderly 65+),
  sex, marginalisation, employment, home and activity place, perceived legitimacy of
  the police L, vulnerability by crime type, victimisations.
- **Offenders**: position, home anchor, motivation, gang, arrests; free or in jail.
- **Police officers** (random, hot-spot, community or reactive patrol; some corrupt),
  **outreach workers** and **private security guards**.
- **Gangs** (territory and grievances) and **districts**.
"""

STEP = """\
## Each hour, in this order (docs/ODD.md §3)

- **0.** At midnight, the daily tasks: legitimacy relaxes and bribe news spreads,
  enrolments end, youth are recruited, offenders desist, everyone plans the day,
  guardianship and the hot-spot list are refreshed.
- **0b.** Interventions start, stop and act.
- **1.** Offenders whose jail term has ended are released.
- **2.** Routines: residents are at home, at school or work, or out in public.
- **3.** Police patrol; their deterrence field is recomputed.
- **4.** Outreach workers make home visits (weekdays, 9:00–17:00).
- **5.** Community officers talk to residents in public.
- **6.** Offenders go out, try to offend, and walk.
- **7.** Consequences: victims, reporting, arrests and bribes, victims' trust.
- **8.** New transient burglars appear (Short et al. scenarios only).
- **9.** The near-repeat field B is updated.
- **10.** Metrics are recorded.
"""

#: The mechanisms (docs/ODD.md §4): name, what it does in the model, its sources.
MECHANISMS: tuple[tuple[str, str, str], ...] = (
    ("routine activities",
     "offending hazard = motivated offender × suitable target present × absence of guardians",
     "Cohen & Felson (1979); Felson & Boba (2010)"),
    ("crime pattern theory",
     "offenders search around their home with distance decay; nightlife and shops attract",
     "Brantingham & Brantingham (1993)"),
    ("near-repeat victimisation",
     "attractiveness A = A0 + B; each burglary raises B, which spreads and decays",
     "Short et al. (2008); Johnson et al. (2007)"),
    ("legitimacy",
     "fair treatment raises trust; corruption, unanswered reports and victimisation "
     "lower it; trust drives reporting, cooperation and compliance",
     "Tyler (2004, 2006); Mazerolle et al. (2013); Epstein (2002)"),
    ("collective efficacy",
     "guardianship rises with residents' trust (an assumption)",
     "Sampson, Raudenbush & Earls (1997)"),
    ("broken windows",
     "disorder raises static attractiveness A0",
     "Wilson & Kelling (1982)"),
    ("situational prevention",
     "lighting lowers the night-time hazard; CCTV deters and detects",
     "Welsh & Farrington (2008, 2009)"),
    ("offender careers",
     "recruitment of deprived youth, gangs holding deprived districts, retaliation, desistance",
     "Farrington (1986); Thrasher (1927); Decker (1996); Laub & Sampson (2003)"),
    ("victimisation by group",
     "exposure from routines × vulnerability by age, sex and marginalisation",
     "ICVS 2004–05; CSEW 2017; Australia 2005"),
)

EMERGENCE = """\
Emerging, not imposed: where and when crime happens, hot spots, the gradients between
groups, the share of crime reported, the feedback between crime and legitimacy, the
size of the offender pool, bursts of gang violence and displacement. Imposed: the base
rate of each crime type, the vulnerability multipliers and the reporting rate at the
reference legitimacy. Every assumption is marked as such in docs/ODD.md.
"""


def mechanisms_markdown() -> str:
    """The mechanisms table and what emerges from them."""
    rows = ["## Mechanisms and their sources", "",
            "| mechanism | in the model | source |", "|---|---|---|"]
    rows += [f"| {name} | {what} | {source} |" for name, what, source in MECHANISMS]
    return "\n".join([*rows, "", EMERGENCE])


DOCS: tuple[tuple[str, str], ...] = (
    ("docs/ODD.md", "the full model description (ODD protocol), with every equation, "
                    "default, test and reference"),
    ("docs/calibration.md", "the baseline's calibration against victim surveys"),
    ("docs/interventions.md", "the interventions, how to write them into a scenario, "
                              "their costs and calibration"),
    ("docs/comparison.md", "how scenarios are compared: paired runs, confidence "
                           "intervals, the weighted displacement quotient"),
    ("docs/city.md", "how the city is generated or read from a map"),
    ("docs/performance.md", "speed and memory"),
    ("scenarios/", "the scenario files (TOML); `crimesim validate FILE` checks one"),
)


def interventions_markdown() -> str:
    """The intervention plug-ins: name, summary, scenario and documentation page."""
    rows = ["## Interventions", "",
            "Each is a plug-in in `sim/interventions/` that changes only what the "
            "mechanisms above read (lighting, attractiveness, disorder, CCTV, officers, "
            "residents' trust and enrolment, rates), from a start day, in a target area, "
            "at a coverage and a cost.", "",
            "| intervention | what it does | scenario | documentation |", "|---|---|---|---|"]
    for name in sorted(REGISTRY):
        scenario = f"scenarios/{name}.toml"
        page = f"docs/interventions/{name}.md"
        rows.append(f"| {name.replace('_', ' ')} | {REGISTRY[name].summary} "
                    f"| {'`' + scenario + '`' if (ROOT / scenario).is_file() else '-'} "
                    f"| {'`' + page + '`' if (ROOT / page).is_file() else '-'} |")
    rows += ["", "`scenarios/integrated_action.toml` combines the youth programme, focused "
             "deterrence and anti-corruption."]
    return "\n".join(rows)


def docs_markdown() -> str:
    """Where to read more: the documentation files, with their paths."""
    rows = ["## Read more", "",
            "In the project's files (each `docs/` page opens on the Docs tab, offline):", ""]
    rows += [f"- {link_docs(path) if path.endswith('.md') else '`' + path + '`'}: {what}"
             for path, what in DOCS]
    return "\n".join(rows)


def about_markdown() -> str:
    """The whole page as Markdown."""
    return "\n\n".join((link_docs(READING), PURPOSE, ENTITIES, STEP, mechanisms_markdown(),
                        interventions_markdown(), docs_markdown()))


@solara.component
def AboutPage() -> solara.Element:
    """The model in brief, its interventions and where the documentation is."""
    text = solara.use_memo(about_markdown, [])
    with solara.Column(style={"max-width": "60em"}) as main:
        solara.Markdown(text)
    return main


@solara.component
def Page() -> solara.Element:
    """The About page as Solara serves it."""
    solara.Title("crimesim - About")
    return AboutPage()
