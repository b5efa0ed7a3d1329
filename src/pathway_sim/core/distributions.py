"""Probability distributions declared by name in scenario files.

A distribution is written as a mapping with a ``dist`` key and its parameters,
e.g. ``{dist: lognormal, mean: 25, sd: 8}``. Every parameter is in the unit of
the field that holds the distribution: ``duration_days`` is in days,
``booking_gestation_weeks`` in weeks. Means and standard deviations are given on
the natural scale (not the log scale), because that is how evidence reports them.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from pathway_sim.core.schema import Strict

if TYPE_CHECKING:
    import numpy as np

PositiveFloat = Annotated[float, Field(gt=0)]

MIN_CV, MAX_CV = 1e-6, 1e3
"""Bounds of sd / mean for gamma and lognormal: outside them the draws overflow or are
indistinguishable from a fixed value (use ``fixed``)."""

UNBOUNDED = (0.0, math.inf)


def _check_spread(mean: float, sd: float) -> None:
    if not MIN_CV <= sd / mean <= MAX_CV:
        raise ValueError(
            f"expected sd between {MIN_CV:g} and {MAX_CV:g} times the mean, got sd {sd!r} "
            f"for mean {mean!r} (for no spread use dist: fixed)"
        )


class Exponential(Strict):
    """Exponential with the given mean (memoryless; Poisson gaps)."""

    dist: Literal["exponential"]
    mean: PositiveFloat = Field(description="Mean, in the field's unit.")

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean))

    @property
    def support(self) -> tuple[float, float]:
        return UNBOUNDED

    @property
    def expected(self) -> float:
        return self.mean


class _MeanAndSpread(Strict):
    """A positive distribution given by its mean and standard deviation on the natural
    scale, with a spread the draws can bear (``MIN_CV`` to ``MAX_CV`` times the mean)."""

    dist: str  # each subclass names itself; declared here so ``dist`` stays the first key
    mean: PositiveFloat = Field(description="Mean, in the field's unit.")
    sd: PositiveFloat = Field(description="Standard deviation, in the field's unit.")

    @model_validator(mode="after")
    def _spread(self) -> _MeanAndSpread:
        _check_spread(self.mean, self.sd)
        return self

    @property
    def support(self) -> tuple[float, float]:
        return UNBOUNDED

    @property
    def expected(self) -> float:
        return self.mean


class Lognormal(_MeanAndSpread):
    """Lognormal given by its mean and standard deviation on the natural scale."""

    dist: Literal["lognormal"]

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.lognormal(*_log_scale(self.mean, self.sd)))


class Gamma(_MeanAndSpread):
    """Gamma given by its mean and standard deviation."""

    dist: Literal["gamma"]

    def sample(self, rng: np.random.Generator) -> float:
        shape = (self.mean / self.sd) ** 2
        return float(rng.gamma(shape, self.sd**2 / self.mean))


class Triangular(Strict):
    """Triangular between ``low`` and ``high`` with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: float = Field(description="Minimum, in the field's unit.")
    mode: float = Field(description="Most likely value, in the field's unit.")
    high: float = Field(description="Maximum, in the field's unit.")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("expected low <= mode <= high and low < high")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.triangular(self.low, self.mode, self.high))

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    @property
    def expected(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Uniform(Strict):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: float = Field(description="Minimum, in the field's unit.")
    high: float = Field(description="Maximum, in the field's unit.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("expected low < high")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    @property
    def expected(self) -> float:
        return (self.low + self.high) / 2


class Fixed(Strict):
    """Always the same value: for deterministic verification runs."""

    dist: Literal["fixed"]
    value: float = Field(ge=0, description="The value, in the field's unit.")

    def sample(self, rng: np.random.Generator) -> float:
        return self.value

    @property
    def support(self) -> tuple[float, float]:
        return self.value, self.value

    @property
    def expected(self) -> float:
        return self.value


@functools.lru_cache(maxsize=256)
def _log_scale(mean: float, sd: float) -> tuple[float, float]:
    """The underlying normal's mean and standard deviation, worked out once per (mean, sd):
    contact durations are drawn tens of thousands of times a replication."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


Distribution = Annotated[
    Exponential | Lognormal | Gamma | Triangular | Uniform | Fixed,
    Field(discriminator="dist"),
]
"""Any named distribution; the ``dist`` key selects which."""
