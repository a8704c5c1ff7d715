"""Every kind of agent of the reference model, in one place for readers.

- :class:`Resident` (and the :class:`Household` it belongs to): routine activities.
- :class:`Offender`: goes out, weighs a crime, walks (and the :class:`Crime` record).
- :class:`PoliceOfficer`, :class:`OutreachWorker`, :class:`Guard`: capable guardians.
"""

from sim.reference.guardians import Guard, OutreachWorker, PoliceOfficer
from sim.reference.offenders import Crime, Offender
from sim.reference.residents import Household, Plan, Resident

__all__ = ["Crime", "Guard", "Household", "Offender", "OutreachWorker", "Plan",
           "PoliceOfficer", "Resident"]
