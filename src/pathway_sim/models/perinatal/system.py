"""The care system of one replication: services, their staff, and the event log."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any, TypeVar

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.engine.service import Post, Service
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec
from pathway_sim.models.perinatal.terms import attendance_terms
from pathway_sim.models.perinatal.woman import Woman

HUB_SERVICES = frozenset(
    {
        "midwifery",
        "drug_treatment",
        "mental_health",
        "peer_advocacy",
        "parenting_support",
        "post_removal_support",
        "care_coordination",
    }
)
"""Services whose clinic contacts move to a co-located hub when there is one."""

DAYS_PER_WEEK = 7.0
S = TypeVar("S", bound=ServiceSpec)


class CareSystem:
    """Everything the women's processes share: clock, services, staff, parameters, log."""

    def __init__(
        self, env: simpy.Environment, scenario: PerinatalScenario, streams: Streams, event_log: bool
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        self.event_log = event_log
        self.events: list[tuple] = []
        self.specs: dict[str, ServiceSpec] = {
            name: spec for name, spec in scenario.services if spec.available
        }
        self.services = {name: Service(env, name, spec.posts) for name, spec in self.specs.items()}
        self.caseload = {name: [0] * spec.posts for name, spec in self.specs.items()}
        self._funded_until = {
            name: getattr(spec, "funding_end_day", None) or float("inf")
            for name, spec in self.specs.items()
        }
        self._trained: dict[str, bool] = {}
        self.iv = scenario.interventions
        self.terms = attendance_terms(scenario, self.specs)
        for name, spec in self.specs.items():
            for post in self.services[name].posts:
                env.process(self._turnover(spec, post))

    def spec(self, service: str, kind: type[S]) -> S:
        """The service's parameters as its own kind of spec (its schedule, its targets)."""
        spec = self.specs[service]
        if not isinstance(spec, kind):
            raise TypeError(f"services.{service} is a {type(spec).__name__}, not {kind.__name__}")
        return spec

    # --- staff ----------------------------------------------------------------------------

    def staff_days(self, service: str, hours: float) -> float:
        """Calendar days of one post's time that ``hours`` of work take."""
        spec = self.specs[service]
        return hours / spec.hours_per_week * DAYS_PER_WEEK

    def trained(self, post: Post) -> bool:
        """Whether this post's current holder is trained in trauma-informed care.

        Each holder's draw is fixed, so raising coverage only adds trained staff.
        """
        key = post.staff_id
        trained = self._trained.get(key)
        if trained is None:
            draw = self.streams.get(f"training:{post.service}", post.index, post.person).random()
            trained = self._trained[key] = bool(draw < self.iv.training_coverage)
        return trained

    def assign_named_worker(self, service: str) -> int:
        """The post with the smallest caseload (lowest index on ties)."""
        loads = self.caseload[service]
        post = loads.index(min(loads))
        loads[post] += 1
        return post

    def discharge_named_worker(self, service: str, post: int | None) -> None:
        if post is not None:
            self.caseload[service][post] -= 1

    def _turnover(self, spec: ServiceSpec, post: Post) -> Generator[Any, Any, None]:
        rate = spec.turnover_per_year
        if self.iv.supervision:
            rate *= self.scenario.hostile_care.supervision_turnover_multiplier
        if rate <= 0:
            return
        rng = self.streams.get(f"turnover:{post.service}", post.index)
        while True:
            yield self.env.timeout(rng.exponential(365.0 / rate))
            vacancy = rng.exponential(spec.vacancy_days) if spec.vacancy_days > 0 else 0.0
            self.services[post.service].vacate(post, vacancy)
            yield self.env.timeout(vacancy)

    # --- places and days -----------------------------------------------------------------

    def available(self, service: str) -> bool:
        """Whether the service exists and (for third-sector services) is still funded."""
        return self.env.now < self._funded_until.get(service, float("-inf"))

    def location(self, service: str) -> str:
        """Where this service's contacts happen in this scenario ('hub' when co-located)."""
        place = self.specs[service].location
        if self.iv.co_located_hub and service in HUB_SERVICES and place != "home":
            return "hub"
        return place

    def align(self, woman: Woman, service: str, day: float) -> float:
        """Move an appointment to her weekly hub or co-ordination day, so contacts share trips."""
        aligned = (self.iv.co_located_hub and service in HUB_SERVICES) or woman.has_coordinator
        if not aligned:
            return day
        week_start = math.floor((day - woman.hub_weekday) / DAYS_PER_WEEK) * DAYS_PER_WEEK
        before = week_start + woman.hub_weekday
        after = before + DAYS_PER_WEEK
        snapped = before if abs(before - day) <= abs(after - day) else after
        return float(max(snapped, self.env.now))

    # --- log ------------------------------------------------------------------------------

    def log(
        self,
        woman: Woman,
        activity: str,
        service: str = "",
        location: str = "",
        staff_id: str = "",
        outcome: str = "",
    ) -> None:
        if self.event_log and woman.counted:
            self.events.append(
                (
                    self.streams.replication,
                    woman.id,
                    self.env.now,
                    activity,
                    service,
                    location,
                    staff_id,
                    outcome,
                )
            )
