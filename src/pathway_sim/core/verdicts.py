"""One verdict on a difference, used by the terminal, the CSV files and the report alike.

A difference is judged from its interval and the KPI's minimal important difference
(MID, the smallest change that matters to a planner): "better" or "worse" when the
interval excludes zero and the mean's size is at least the MID; "too small to matter"
when the interval excludes zero but the mean is below the MID; otherwise "no clear
difference". A KPI with no better direction ("neither", e.g. contacts per woman)
cannot be better or worse: a clear change at least the MID in size is "different".
"""

from __future__ import annotations

import math

BETTER = "better"
WORSE = "worse"
TOO_SMALL = "too small to matter"
UNCLEAR = "no clear difference"
DIFFERENT = "different"
VERDICTS = (BETTER, WORSE, TOO_SMALL, UNCLEAR, DIFFERENT)
"""Every verdict word, best first for sorting and colouring."""
DEPENDS = "depends"
"""Over uncertain inputs: no one verdict holds in enough of the parameter draws."""


def _missing(*values: float | None) -> bool:
    return any(v is None or math.isnan(v) for v in values)


def excludes_zero(low: float, high: float) -> bool:
    """Whether the interval lies wholly on one side of zero."""
    return not _missing(low, high) and (low > 0 or high < 0)


def verdict(mean: float, low: float, high: float, mid: float, better: str) -> str:
    """The verdict on a difference ``mean`` with interval ``[low, high]``.

    ``mid`` is the KPI's minimal important difference (NaN or 0: any clear
    difference matters); ``better`` is "higher", "lower" or "neither".
    """
    if _missing(mean) or not excludes_zero(low, high):
        return UNCLEAR
    if not _missing(mid) and abs(mean) < mid:
        return TOO_SMALL
    if better not in ("higher", "lower"):
        return DIFFERENT
    return BETTER if (mean > 0) == (better == "higher") else WORSE


def point_verdict(difference: float, mid: float, better: str) -> str:
    """The verdict on a difference taken as known, without an interval (one parameter
    draw's mean paired difference): "too small to matter" below the MID (and at exactly
    zero), otherwise as ``verdict``."""
    if not _missing(difference) and difference == 0:
        return TOO_SMALL
    return verdict(difference, difference, difference, mid, better)


def decimals(low: float, high: float, most: int = 4) -> int:
    """Decimal places the interval supports: one significant figure of its half-width,
    so ``+0.0153 [+0.00932, +0.0213]`` is shown as ``+0.015 [+0.009, +0.021]``."""
    if _missing(low, high) or high <= low:
        return 1
    half = (high - low) / 2
    return max(0, min(most, -math.floor(math.log10(half))))


def rounded(value: float, places: int, signed: bool = False) -> str:
    """A number to ``places`` decimals with a true minus sign (and a plus when ``signed``)."""
    if _missing(value):
        return "n/a"
    text = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
    if text.lstrip("+-").strip("0.") == "":  # -0.00 or +0.00: no sign to show
        text = f"{0:.{places}f}"
    return text.replace("-", "\u2212")
