"""The verification network's scenario format: services in series, each with identical staff."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from pathway_sim.core.arrivals import Arrivals
from pathway_sim.core.distributions import Distribution
from pathway_sim.core.schema import RunSettings, Strict


class QueueService(Strict):
    """One service of the network: identical staff, one contact per visit."""

    staff: int = Field(gt=0, description="Number of staff (servers).")
    duration_days: Distribution = Field(description="Contact duration, in days.")


class QueueRunSettings(RunSettings):
    """Run length of a queue network: a fixed horizon."""

    horizon_days: float = Field(gt=0, description="Simulated days, warm-up included.")

    @model_validator(mode="after")
    def _warmup_inside(self) -> QueueRunSettings:
        if self.warmup_days >= self.horizon_days:
            raise ValueError("expected warmup_days < horizon_days")
        return self


class QueueNetworkScenario(Strict):
    """Arrivals visit each service of ``route`` in turn, queueing first come first served."""

    model: Literal["queue_network"]
    extends: str | None = Field(default=None, description="Scenario file this one overlays.")
    name: str
    label: str = Field(
        default="", description="Display name in tables and the report (default: the name)."
    )
    description: str = ""
    run: QueueRunSettings
    arrivals: Arrivals
    services: dict[str, QueueService] = Field(min_length=1)
    route: list[str] | None = Field(
        default=None, description="Services visited in order (default: as listed)."
    )

    @model_validator(mode="after")
    def _route_known(self) -> QueueNetworkScenario:
        unknown = [s for s in self.route or () if s not in self.services]
        if unknown:
            raise ValueError(
                f"route names unknown services {unknown}; known: {list(self.services)}"
            )
        return self

    @property
    def path(self) -> list[str]:
        return list(self.route or self.services)
