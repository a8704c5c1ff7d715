"""What a calibration module declares: the evidence its headline is checked against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A headline effect and the range the evidence gives, in percent change.

    Attributes:
        headline: What is measured, e.g. "crime in the treated area".
        low: Lower end of the accepted range (most negative change).
        high: Upper end of the accepted range.
        point: The published point estimate.
        source: The study.
        check: True where docs/evidence.md marks the figure "(check)".
    """

    headline: str
    low: float
    high: float
    point: float
    source: str
    check: bool = False
