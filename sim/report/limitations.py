"""What the model does not include, in words a council member can read.

A maintained short list: each entry restates one of docs/ODD.md's "Known
limitations" (section 10) in plain words; ``odd_title`` is that entry's bold title
there, and a test checks each still exists, so the brief never lists a limitation
the ODD no longer has.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limitation:
    """One thing the model leaves out.

    Attributes:
        odd_title: The bold title of the entry in docs/ODD.md section 10.
        text: The same in plain words.
    """

    odd_title: str
    text: str


LIMITATIONS: tuple[Limitation, ...] = (
    Limitation("No ageing, births, deaths or migration.",
               "Nobody is born, dies, ages or moves in or out during a run."),
    Limitation("Violence at home is a fixed cast.",
               "Who abuses whom at home is fixed at the start; couples do not separate, "
               "and stalking and coercive control are not modelled."),
    Limitation("Gang violence has no injury.",
               "A gang member attacked by a rival goes on as before; injuries are not "
               "modelled."),
    Limitation("No street graph.",
               "People move in straight lines across the grid, not along streets."),
    Limitation("Fear changes only whether residents go out",
               "Fear of crime changes whether people go out, not where they go."),
    Limitation("Trust in the police stands in for collective efficacy",
               "Neighbours looking out for each other is represented only through trust "
               "in the police."),
    Limitation("Age bands differ from the surveys.",
               "Age groups differ from those of crime surveys, so group figures are "
               "not directly comparable with them."),
)
