"""The shipped harm weights: how much one crime of each type weighs.

Counting every crime as one makes a prevented burglary weigh as much as a prevented
rape. The Cambridge Crime Harm Index (Sherman, Neyroud & Neyroud 2016, "The Cambridge
Crime Harm Index: Measuring total harm from crime based on sentencing guidelines",
Policing 10(3):171-183, doi:10.1093/police/paw003) weighs an offence by the days of
imprisonment of the *starting point* the England & Wales sentencing guidelines give
a first offender, in the offence's least serious category; non-custodial starting
points are converted to days. The values below follow that rule for the offence each
model crime type stands for; docs/comparison.md ("Harm") gives the guideline,
category and reasoning for each, and which conversions are ours.

They are the defaults of ``[harm.weights]`` (sim/scenario/schema.py): a scenario for
another jurisdiction sets its own weights there, with ``harm.index`` and
``harm.unit`` naming them.
"""

from __future__ import annotations

#: Name of the default index, as outputs print it.
CAMBRIDGE_CHI_NAME = "Cambridge Crime Harm Index (Sherman, Neyroud & Neyroud 2016)"
#: What one unit of it counts.
CAMBRIDGE_CHI_UNIT = "CHI days"

#: Crime type -> days of imprisonment (starting point, first offender).
CAMBRIDGE_CHI: dict[str, float] = {
    # Domestic burglary (Sentencing Council, Burglary Offences Definitive Guideline,
    # 2012), category 3: a high-level community order, counted as 30 days (our
    # conversion: 225 hours of unpaid work, the middle of the order's 150-300, at 7.5
    # hours a day).
    "burglary": 30.0,
    # Street robbery (Sentencing Guidelines Council, Robbery Definitive Guideline,
    # 2006), level 1 (threat or minimal force): 12 months' custody.
    "robbery": 365.0,
    # Assault occasioning actual bodily harm, s.47 (Sentencing Council, Assault
    # Definitive Guideline, 2011), category 3: a high-level community order, 30 days
    # as for burglary. The model's assault is a street attack with a victim who may
    # report it, i.e. an injury, not a push (common assault is a fine).
    "assault": 30.0,
    # Rape (Sentencing Council, Sexual Offences Definitive Guideline, 2014), category
    # 3B: 5 years' custody.
    "sexual_violence": 1825.0,
    # Wounding / causing grievous bodily harm with intent, s.18 (Assault Definitive
    # Guideline, 2011), category 3: 4 years' custody. Gang violence is armed,
    # intended serious violence between rivals.
    "gang_violence": 1460.0,
}
