"""The care system of one replication: a thin front over the parts the women's processes share.

Each part holds one idea in its own module: the workforce (posts, turnover, vacancies,
named caseloads; ``workforce.py``), workload pressure (``workload.py``), staff
confidence (``confidence.py``), trauma-informed training stocks (``training.py``), the
wider system of the preconditions (``wider_system.py``), funding (``funding.py``) and
the event log (``event_log.py``). The front adds the clock, the random streams, each
service's spec, the fixed terms of contacts (``terms.py``) and the scenario's parameter
sections as typed handles, and runs the weekly round that brings the parts up to date.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.models.perinatal.confidence import StaffConfidence
from pathway_sim.models.perinatal.event_log import EventLog
from pathway_sim.models.perinatal.funding import Funding
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec
from pathway_sim.models.perinatal.terms import attendance_terms, contact_terms
from pathway_sim.models.perinatal.training import Training
from pathway_sim.models.perinatal.wider_system import WiderSystem
from pathway_sim.models.perinatal.workforce import Workforce
from pathway_sim.models.perinatal.workload import Workload

S = TypeVar("S", bound=ServiceSpec)


class CareSystem:
    """Everything the women's processes share: clock, streams, services, parameters, log."""

    def __init__(
        self, env: simpy.Environment, scenario: PerinatalScenario, streams: Streams, event_log: bool
    ) -> None:
        self.env = env
        self.streams = streams
        self.specs: dict[str, ServiceSpec] = {
            name: spec for name, spec in scenario.services if spec.available
        }
        self.interventions = scenario.interventions
        self.attendance = scenario.attendance
        self.engagement = scenario.engagement
        self.hostile_care = scenario.hostile_care
        self.capacity = scenario.capacity
        self.preconditions = scenario.preconditions
        self.birth = scenario.birth
        self.child_protection = scenario.child_protection
        self.indices = scenario.indices
        self.events = EventLog(env, streams.replication, event_log)
        self.training = Training(streams, scenario)
        self.workload = Workload(self.specs, scenario.capacity)
        self.workforce = Workforce(env, self.specs, streams, scenario, self.workload.pressure)
        self.confidence = StaffConfidence(self.workforce.services, scenario, self.training)
        self.terms = attendance_terms(scenario, self.specs)
        self.contact_terms = contact_terms(scenario, self.specs, self.workforce.services)
        self.wider = WiderSystem(streams, scenario, self.training, self.terms, self.events)
        env.process(self._weekly())
        self.funding = Funding(env, self.specs, streams, scenario, self.wider.withdraw)

    def spec(self, service: str, kind: type[S]) -> S:
        """The service's parameters as its own kind of spec (its schedule, its targets)."""
        spec = self.specs[service]
        if not isinstance(spec, kind):
            raise TypeError(f"services.{service} is a {type(spec).__name__}, not {kind.__name__}")
        return spec

    def available(self, service: str) -> bool:
        """Whether the site has the service and it is funded now."""
        return self.funding.funded(service)

    def _weekly(self) -> Generator[Any, Any, None]:
        """Each week: every service's pressure from its recent utilisation, every post holder's
        confidence, and (with the preconditions) the training stocks and the wider system."""
        while True:
            yield self.env.timeout(DAYS_PER_WEEK)
            self.workload.week(self.workforce.services, self.env.now)
            self.confidence.week(self.workload.pressure)
            if self.preconditions.strength > 0:
                self.training.week(self.workforce.in_post())
                self.wider.week()
