"""Building blocks shared by every scenario schema.

Every input model derives from ``Strict``: unknown keys are errors, numbers are strict
(``yes`` or ``true`` is not 1, ``"3"`` is not 3), every float is finite, and a field's
value must lie in the range its name's unit allows (``UNIT_RANGES``: a duration in days
is never negative nor longer than a century, a gestation lies within 0-45 weeks), so
that a value which would run for ever or exhaust memory is refused when it is read.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

MAX_DAYS = 36_525.0
"""A century: longer than any horizon, delay or interval a scenario can mean."""
MAX_GESTATION_WEEKS = 45.0
MAX_STAFF = 10_000
MAX_COUNT = 1_000_000
"""Largest whole number other than a seed (contacts, sessions, attempts, ...)."""
MAX_MAGNITUDE = 1e9
"""Largest magnitude of any other number: beyond it a value is a typo, not a parameter."""

UNIT_RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("interval_days", 1e-5, MAX_DAYS, "days between events (a second or more)"),
    ("rate_per_day", 0.0, 10_000.0, "arrivals per day"),
    ("_days", 0.0, MAX_DAYS, "days"),
    ("_day", 0.0, MAX_DAYS, "days"),
    ("_weeks", 0.0, MAX_GESTATION_WEEKS, "weeks of gestation"),
    ("_hours", 0.0, 24.0 * 366, "hours"),
    ("staff", 0.0, MAX_STAFF, "staff posts"),
    ("added_posts", 0.0, MAX_STAFF, "staff posts"),
    ("women_per_year", 0.0, 1_000_000.0, "women per year"),
    ("odds_ratio", 0.0, 1_000.0, "an odds ratio"),
    ("_rr", 0.0, 1_000.0, "a relative risk"),
    ("_multiplier", 0.0, 1_000.0, "a multiplier"),
)
"""Field-name ending -> (lowest, highest, what the unit is); the first match applies.
A distribution in such a field must start at or above the lowest and have its highest
value (or, if unbounded, its mean) at or below the highest."""

BOUNDED_UNITS: dict[str, tuple[float, float, str]] = {
    "index 0-1": (0.0, 1.0, "an index"),
    "probability": (0.0, 1.0, "a probability"),
}
"""A field's declared unit (``json_schema_extra``) -> its range: every value a
distribution in such a field can take must lie inside it."""

NAME_PATTERN = re.compile(r"[A-Za-z0-9_.+\-]{1,100}")
NAME_RULE = (
    "expected a name of 1-100 letters, digits and _ . + - (it names a results "
    "directory), not . or .."
)


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot name a results directory, or None if it can."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name) or name in (".", ".."):
        return f"{NAME_RULE}, got {name!r}"
    return None


def _valid_name(name: str) -> str:
    problem = name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


Name = Annotated[str, AfterValidator(_valid_name)]
"""A scenario, variant, experiment or sensitivity name: safe as one path component."""


def unit_range(field: str) -> tuple[float, float, str] | None:
    """The range a field's unit allows, from the ending of its name."""
    for ending, low, high, unit in UNIT_RANGES:
        if field.endswith(ending):
            return low, high, unit
    return None


def value_problem(field: str, value: Any, unit: str | None = None) -> str | None:
    """Why ``value`` cannot be the value of ``field`` (whose declared unit is ``unit``),
    or None; distributions are checked over their support, lists item by item."""
    if isinstance(value, (list, tuple)):
        return next((p for p in (value_problem(field, v, unit) for v in value) if p), None)
    support: tuple[float, float] | None = getattr(value, "support", None)
    if support is not None and unit in BOUNDED_UNITS:
        low, high = support
        return _outside(low, high, BOUNDED_UNITS[unit], "the distribution's values")
    bounds = unit_range(field)
    if support is not None and bounds is not None:
        low, high = support
        top = high if math.isfinite(high) else value.expected
        return _outside(low, top, bounds, "the distribution's values")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if bounds is not None:
        return _outside(value, value, bounds, "")
    if isinstance(value, int) and field != "seed" and abs(value) > MAX_COUNT:
        return f"expected at most {MAX_COUNT:,} in magnitude, got {value}"
    if isinstance(value, float) and abs(value) > MAX_MAGNITUDE:
        return f"expected a number of magnitude at most {MAX_MAGNITUDE:g}, got {value!r}"
    return None


def _outside(low: float, high: float, bounds: tuple[float, float, str], what: str) -> str | None:
    lowest, highest, unit = bounds
    if lowest <= low and high <= highest:
        return None
    subject = f"{what} ({low:g} to {high:g})" if what else f"{low!r}"
    return f"expected {unit}, from {lowest:g} to {highest:g}, got {subject}"


class Strict(BaseModel):
    """A frozen model that rejects unknown keys, so a typo is an error, not a default;
    strict and finite numbers, each within its unit's range."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _within_unit_ranges(self) -> Any:
        for field, info in type(self).model_fields.items():
            extra = info.json_schema_extra
            unit = extra.get("unit") if isinstance(extra, dict) else None
            problem = value_problem(
                field, getattr(self, field), unit if isinstance(unit, str) else None
            )
            if problem:
                raise PydanticCustomError(
                    "unit_range", "{field}: {problem}", {"field": field, "problem": problem}
                )
        return self


Probability = Annotated[float, Field(ge=0, le=1)]
"""A probability or a proportion, between 0 and 1 inclusive."""


class RunSettings(Strict):
    """How many replications to run and from which root seed."""

    warmup_days: float = Field(
        default=0.0,
        ge=0,
        description="Days simulated before statistics are collected (collectors are reset).",
    )
    replications: int = Field(default=30, gt=0, description="Number of replications.")
    seed: int = Field(default=1, ge=0, description="Root seed of the SeedSequence.")

    @property
    def counted_from_day(self) -> float:
        """The day the counted cohort starts: the warm-up's end, before which no one is
        counted. ``animate --weeks`` and the app's animation count weeks from it."""
        return self.warmup_days
