"""Referral (arrival) processes as scenario fields: Poisson or on a fixed schedule.

Each draws its arrival times from a generator; ``engine.arrivals`` turns them into
simulation events.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from pathway_sim.core.schema import Strict

if TYPE_CHECKING:
    import numpy as np


class PoissonArrivals(Strict):
    """Arrivals one at a time with exponential gaps (a Poisson process)."""

    process: Literal["poisson"]
    rate_per_day: float = Field(gt=0, description="Mean arrivals per day.")

    def times(self, rng: np.random.Generator) -> Iterator[float]:
        t = 0.0
        while True:
            t += rng.exponential(1.0 / self.rate_per_day)
            yield t


class ScheduledArrivals(Strict):
    """Arrivals at regular intervals, the first on ``first_day``."""

    process: Literal["scheduled"]
    interval_days: float = Field(gt=0, description="Days between arrivals.")
    first_day: float = Field(default=0.0, ge=0, description="Day of the first arrival.")

    def times(self, rng: np.random.Generator) -> Iterator[float]:
        i = 0
        while True:
            yield self.first_day + i * self.interval_days
            i += 1


Arrivals = Annotated[PoissonArrivals | ScheduledArrivals, Field(discriminator="process")]
