"""The classic model: every mechanism added since the first release, switched off.

The first release placed residents only at their destinations, sent every outing to
the nearest place, walked offenders from home, had no violence at home, no offender
memory and no fear of crime. Each mechanism that replaced one of those rules has a
scenario key that switches it off; :data:`CLASSIC_OVERRIDES` holds them all. With
them applied, a run gives the first release's results exactly (the regression test
``tests/regression`` holds it to that), which is how the newer mechanisms are shown to
change nothing when they are off, and how a teacher shows what each one adds.
"""

from __future__ import annotations

from typing import Any

#: Dotted scenario keys and the values that switch each newer mechanism off.
CLASSIC_OVERRIDES: dict[str, Any] = {
    "relationships.enabled": False,  # violence at home and among acquaintances
}

__all__ = ["CLASSIC_OVERRIDES"]
