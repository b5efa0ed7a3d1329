"""Building blocks shared by every scenario schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """A frozen model that rejects unknown keys, so a typo is an error, not a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
