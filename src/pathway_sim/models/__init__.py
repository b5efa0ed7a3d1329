"""The model registry: each model's scenario schema, its simulation and its KPI catalogue.

Loading a scenario reads the schema; running one calls the simulation, which is
imported on first use so that validating a file stays quick. ``kpi`` and ``label`` find a
KPI of any registered model by its column name.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from pathway_sim.models.kpis import KPI
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.queueing.kpis import QUEUE_KPIS
from pathway_sim.models.queueing.schema import QueueNetworkScenario

if TYPE_CHECKING:
    from pathway_sim.core.randomness import Streams
    from pathway_sim.models.results import ReplicationResult

Scenario = PerinatalScenario | QueueNetworkScenario
"""Any scenario a registered model accepts (the schemas' union, told apart by ``model``)."""


@dataclass(frozen=True)
class Model:
    """A registered model: its schema, where its simulation lives, and the KPIs it reports."""

    name: str
    schema: type[PerinatalScenario] | type[QueueNetworkScenario]
    simulator: str
    """``module:function`` of ``simulate(scenario, streams, event_log) -> ReplicationResult``."""
    kpis: tuple[KPI, ...]

    def simulate(self, scenario: Scenario, streams: Streams, event_log: bool) -> ReplicationResult:
        module, _, function = self.simulator.partition(":")
        result: ReplicationResult = getattr(import_module(module), function)(
            scenario, streams, event_log
        )
        return result


MODELS: dict[str, Model] = {
    model.name: model
    for model in (
        Model(
            "perinatal",
            PerinatalScenario,
            "pathway_sim.models.perinatal.model:simulate",
            PATHWAY_KPIS,
        ),
        Model(
            "queue_network",
            QueueNetworkScenario,
            "pathway_sim.models.queueing.network:simulate",
            QUEUE_KPIS,
        ),
    )
}


def model_of(scenario: Scenario) -> Model:
    """The registered model that runs ``scenario``."""
    return MODELS[scenario.model]


_KPIS = {entry.name: entry for model in MODELS.values() for entry in model.kpis}


def kpi(name: str) -> KPI | None:
    """The catalogue entry for a column name, whichever registered model reports it."""
    return _KPIS.get(name)


def label(name: str) -> str:
    """A readable label for a KPI column (the column name itself if unknown)."""
    entry = _KPIS.get(name)
    return entry.label if entry else name
