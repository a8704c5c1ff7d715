"""The published evidence each intervention plug-in was checked against.

One entry per registered plug-in name: the effect the literature reports and its
source, as in the table of docs/evidence.md (a test keeps the two in step). The
decision brief (sim.report) prints them next to the simulated effect, so a reader
can see whether the model's result sits in the published range. A figure the docs
mark "(check)" is recalled, not yet confirmed against the source; ``checked`` is
False for it and the brief says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """What is published about one intervention.

    Attributes:
        intervention: The plug-in's registered name.
        effect: The published effect, in words and figures.
        source: Authors, year (and journal where it helps find it).
        checked: False where docs/evidence.md marks the figure "(check)".
    """

    intervention: str
    effect: str
    source: str
    checked: bool = True


EVIDENCE: dict[str, Evidence] = {e.intervention: e for e in (
    Evidence("street_lighting",
             "crime -21% in treated against control areas; Stoke-on-Trent: prevalence -26% "
             "treated, -21% adjacent (diffusion of benefits)",
             "Welsh & Farrington 2008; Painter & Farrington 1999", checked=False),
    Evidence("hotspot_policing",
             "a small significant fall: d = 0.12 (about 8%) to a log-RIRR of about 16%; "
             "diffusion of benefits outweighs displacement",
             "Braga et al. 2019; Braga & Weisburd 2020"),
    Evidence("focused_deterrence",
             "a moderate fall, d about 0.38, gang programmes about 0.66; High Point: "
             "violent crime -34%",
             "Braga, Weisburd & Turchan 2018", checked=False),
    Evidence("youth_programme",
             "summer jobs: violent-crime arrests -43% over 16 months among participants; "
             "mentoring and CBT: total arrests -28% to -35%",
             "Heller 2014; Heller et al. 2017"),
    Evidence("public_private_partnership",
             "business improvement districts: robbery -12% (95% CI -2% to -24%), violent "
             "crime -8%; crime prevented worth about twenty times the security spending",
             "MacDonald et al. 2010; Cook & MacDonald 2011"),
    Evidence("urban_renewal",
             "vacant-lot greening: gun violence -29%, burglary -22%, total crime -13% "
             "(poor areas)",
             "Branas et al. 2018"),
    Evidence("procedural_justice",
             "better satisfaction, confidence, compliance and cooperation (direction only)",
             "Mazerolle et al. 2013"),
    Evidence("anti_corruption",
             "no published effect size found: crimesim's target for it is an assumption",
             "none"),
)}


def evidence_for(intervention: str) -> Evidence | None:
    """The published evidence for a plug-in name, or None when none is recorded."""
    return EVIDENCE.get(intervention)
