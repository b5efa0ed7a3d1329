"""The workforce: every service's posts, who leaves them, the vacancies, and named caseloads.

Leavers come at a rate workload pressure raises (burnout) and supervision lowers. A
leaver's post is covered by a locum after ``reallocation_days`` (with the locum chance)
until it is filled; without one, the team reallocates the leaver's named cases to
colleagues, who are then asked for instead.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.core.units import DAYS_PER_WEEK, DAYS_PER_YEAR
from pathway_sim.engine.service import Post, Service
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec
from pathway_sim.models.perinatal.woman import ServiceRecord


class Workforce:
    """The staff of every service (``Service`` posts), their turnover and named caseloads."""

    def __init__(
        self,
        env: simpy.Environment,
        specs: Mapping[str, ServiceSpec],
        streams: Streams,
        scenario: PerinatalScenario,
        pressure: Mapping[str, float],
    ) -> None:
        self.env = env
        self._specs = specs
        self._streams = streams
        self._capacity = scenario.capacity
        self._pressure = pressure
        self._supervised = scenario.interventions.supervision
        self._supervised_turnover = scenario.hostile_care.supervision_turnover_multiplier
        self.services = {name: Service(env, name, spec.posts) for name, spec in specs.items()}
        self.cases: dict[str, list[dict[ServiceRecord, None]]] = {
            name: [{} for _ in range(spec.posts)] for name, spec in specs.items()
        }
        """Each post's named cases (an ordered set of her records with the service)."""
        for name, spec in specs.items():
            for post in self.services[name].posts:
                env.process(self._turnover(spec, post))

    def staff_days(self, service: str, hours: float) -> float:
        """Calendar days of one post's time that ``hours`` of work take."""
        return hours / self._specs[service].hours_per_week * DAYS_PER_WEEK

    def in_post(self) -> list[Post]:
        """Every post whose holder is not leaving, service by service."""
        return [p for service in self.services.values() for p in service.posts if not p.leaving]

    # --- named caseloads --------------------------------------------------------------------

    def assign_named_worker(self, service: str, rec: ServiceRecord) -> int:
        """The post with the smallest caseload among those not being vacated (lowest index
        on ties): a team does not allocate new cases to a worker who has left."""
        post = self._lightest_post(service)
        self.cases[service][post][rec] = None
        return post

    def discharge_named_worker(self, service: str, rec: ServiceRecord) -> None:
        """Her case leaves her named worker's caseload."""
        if rec.named_post is not None:
            self.cases[service][rec.named_post].pop(rec, None)

    def _lightest_post(self, service: str) -> int:
        posts = self.services[service].posts
        loads = self.cases[service]
        staying = [p.index for p in posts if not p.leaving] or [p.index for p in posts]
        return min(staying, key=lambda i: (len(loads[i]), i))

    def reallocate(self, service: str, index: int) -> None:
        """Her worker has gone: the team manager moves the post's cases to colleagues."""
        posts = self.services[service].posts
        if all(p.leaving for p in posts):
            return  # nobody to take them: they wait for the post to be filled
        moving = list(self.cases[service][index])
        self.cases[service][index] = {}
        for rec in moving:
            rec.named_post = self.assign_named_worker(service, rec)
        self.services[service].withdraw_waiting_for(index)  # they queue for the new worker

    # --- turnover and vacancies -------------------------------------------------------------

    def _turnover(self, spec: ServiceSpec, post: Post) -> Generator[Any, Any, None]:
        """Leavers at a rate that rises with workload pressure (burnout), by thinning: candidate
        times at the highest rate, each kept with the chance the current rate gives."""
        cap = self._capacity
        rate = spec.turnover_per_year
        burnout = cap.burnout_turnover_increase
        if self._supervised:
            rate *= self._supervised_turnover
            burnout *= 1 - cap.supervision_burnout_reduction
        if rate <= 0:
            return
        highest = rate * (1 + burnout)
        rng = self._streams.get(f"turnover:{post.service}", post.index)
        while True:
            yield self.env.timeout(rng.exponential(DAYS_PER_YEAR / highest))
            if rng.random() * highest > rate * (1 + burnout * self._pressure[post.service]):
                continue
            vacancy = rng.exponential(spec.vacancy_days) if spec.vacancy_days > 0 else 0.0
            yield from self._vacancy(post, vacancy, rng.random())

    def _vacancy(self, post: Post, vacancy: float, cover_draw: float) -> Generator[Any, Any, None]:
        """A leaver's post: after ``reallocation_days`` a locum covers it until it is filled,
        or (no locum) the team reallocates the leaver's cases."""
        cap = self._capacity
        staff = self.services[post.service]
        gap = min(cap.reallocation_days, vacancy)
        if cover_draw < cap.locum_cover_probability and gap < vacancy:
            staff.vacate(post, gap)  # the locum is a new person in the post
            yield self.env.timeout(vacancy)
            staff.vacate(post, 0.0)  # the permanent appointment: another new person
            return
        staff.vacate(post, vacancy)
        yield self.env.timeout(gap)
        if post.leaving and self._specs[post.service].named_worker:
            self.reallocate(post.service, post.index)
        yield self.env.timeout(vacancy - gap)
