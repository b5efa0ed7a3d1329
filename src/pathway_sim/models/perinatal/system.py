"""The care system of one replication: services, their staff, and the event log."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import simpy

from pathway_sim.core.randomness import Streams, Uniforms
from pathway_sim.core.units import DAYS_PER_WEEK, DAYS_PER_YEAR
from pathway_sim.engine.service import Post, Service
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec
from pathway_sim.models.perinatal.terms import attendance_terms
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman
from pathway_sim.models.results import EventRow

S = TypeVar("S", bound=ServiceSpec)


def pressure(utilisation: float, threshold: float) -> float:
    """Workload pressure 0-1: how far recent utilisation runs above the threshold, scaled so
    that a service busy all the time is at full pressure."""
    if utilisation <= threshold:
        return 0.0
    return min((utilisation - threshold) / (1.0 - threshold), 1.0) if threshold < 1 else 1.0


@dataclass(slots=True)
class Holder:
    """The person in a post as the model sees them: experience with these women, confidence."""

    person: int
    contacts: int
    confidence: float


@dataclass(frozen=True, slots=True)
class ContactTerms:
    """What a contact with one service reads that is fixed for the replication: worked out
    once per service here instead of looked up through the scenario at each of the tens of
    thousands of contacts (the same values, so the same results)."""

    spec: ServiceSpec
    staff: Service
    place: str
    """Where its contacts usually happen in this scenario ('hub' when co-located)."""
    remote_possible: bool
    """Whether flexible contact can make one of its contacts by phone or video."""
    hub_aligned: bool
    """Whether its appointments move to her weekly hub day."""
    knowledge_gain: float
    """What an attended contact teaches her before workload pressure: navigators more,
    co-produced information more still."""
    wait_begins: str
    begins: str
    ends: str
    """The names of its contact events in the log."""


class CareSystem:
    """Everything the women's processes share: clock, services, staff, parameters, log."""

    def __init__(
        self, env: simpy.Environment, scenario: PerinatalScenario, streams: Streams, event_log: bool
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        self.event_log = event_log
        self.events: list[EventRow] = []
        self.specs: dict[str, ServiceSpec] = {
            name: spec for name, spec in scenario.services if spec.available
        }
        self.services = {name: Service(env, name, spec.posts) for name, spec in self.specs.items()}
        self.cases: dict[str, list[dict[ServiceRecord, None]]] = {
            name: [{} for _ in range(spec.posts)] for name, spec in self.specs.items()
        }
        self.pressure = dict.fromkeys(self.specs, 0.0)
        self._funded_until = {
            name: spec.funding_end_day or float("inf") for name, spec in self.specs.items()
        }
        self._trained: dict[str, bool] = {}
        self.iv = scenario.interventions
        self.terms = attendance_terms(scenario, self.specs)
        self.pre = scenario.preconditions
        self.contact_terms = {name: self._contact_terms(name) for name in self.specs}
        self.strength = self.pre.strength
        self.coverage = self.iv.training_coverage
        """Share of the specialist staff trained now, as the model reads it."""
        self.wider_coverage = self.iv.training_coverage
        """Share of the wider team (ward, GP, pharmacy, duty social work) trained now."""
        self._wider_stock = self.iv.training_coverage
        self.fear = self.terms.fear
        self.hub_term = self.terms.hub
        self.coordinator_term = self.terms.coordinator
        self._women: dict[Woman, Uniforms] = {}
        """The women known to services now, each with her weekly wider-team draws."""
        self._lapsed: dict[str, simpy.Event] = {}
        self.holders = {
            name: [self._newcomer(post) for post in self.services[name].posts]
            for name in self.specs
        }
        self._confidence_samples: list[float] = []
        for name, spec in self.specs.items():
            for post in self.services[name].posts:
                env.process(self._turnover(spec, post))
        env.process(self._watch_workload())
        if self.strength > 0 and not self.iv.stable_funding and self.pre.funding_gap_days > 0:
            for name, spec in self.specs.items():
                if spec.third_sector:
                    env.process(self._funding(name))

    def _contact_terms(self, service: str) -> ContactTerms:
        spec, eng = self.specs[service], self.scenario.engagement
        gain = eng.knowledge_gain_navigator if spec.navigator else eng.knowledge_gain
        if self.iv.coproduced_information:
            gain *= eng.coproduced_knowledge_multiplier
        return ContactTerms(
            spec=spec,
            staff=self.services[service],
            place=self.location(service),
            remote_possible=spec.remote_eligible and self.iv.flexible_contact,
            hub_aligned=self.iv.co_located_hub and spec.hub_hosted,
            knowledge_gain=gain,
            wait_begins=f"{service}_wait_begins",
            begins=f"{service}_begins",
            ends=f"{service}_ends",
        )

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
            trained = self._trained[key] = bool(draw < self._training_chance(post))
        return trained

    def _training_chance(self, post: Post) -> float:
        """Holders at the start are trained at the coverage; a worker who joins later only
        at the background rate unless training is sustained (the stock erodes)."""
        coverage = self.iv.training_coverage
        if post.person == 0 or self.strength == 0:
            return coverage
        joiner = coverage if self.iv.sustained_training else self.pre.newcomer_training_probability
        return coverage + self.strength * (joiner - coverage)

    def relational_share(self, post: Post, rush: float) -> float:
        """How much of relational care this worker can give: it needs slack (1 - pressure)
        and training (ToC: it cannot be achieved without training, support, staffing)."""
        if self.strength == 0:
            return 1.0
        pre = self.pre
        skill = 1.0 if self.trained(post) else pre.relational_untrained_share
        possible = (1.0 - rush) ** pre.relational_slack_power * skill
        return 1.0 - self.strength + self.strength * possible

    def assign_named_worker(self, service: str, rec: ServiceRecord) -> int:
        """The post with the smallest caseload among those not being vacated (lowest index
        on ties): a team does not allocate new cases to a worker who has left."""
        post = self._lightest_post(service)
        self.cases[service][post][rec] = None
        return post

    def discharge_named_worker(self, service: str, rec: ServiceRecord) -> None:
        if rec.named_post is not None:
            self.cases[service][rec.named_post].pop(rec, None)

    def note_contact(self, post: Post) -> None:
        """The post's holder has seen one more of these women: experience builds."""
        self.holders[post.service][post.index].contacts += 1

    def _lightest_post(self, service: str) -> int:
        posts = self.services[service].posts
        loads = self.cases[service]
        staying = [p.index for p in posts if not p.leaving] or [p.index for p in posts]
        return min(staying, key=lambda i: (len(loads[i]), i))

    def _reallocate(self, service: str, index: int) -> None:
        """Her worker has gone: the team manager moves the post's cases to colleagues."""
        posts = self.services[service].posts
        if all(p.leaving for p in posts):
            return  # nobody to take them: they wait for the post to be filled
        moving = list(self.cases[service][index])
        self.cases[service][index] = {}
        for rec in moving:
            rec.named_post = self.assign_named_worker(service, rec)
        self.services[service].withdraw_waiting_for(index)  # they queue for the new worker

    def _turnover(self, spec: ServiceSpec, post: Post) -> Generator[Any, Any, None]:
        """Leavers at a rate that rises with workload pressure (burnout), by thinning: candidate
        times at the highest rate, each kept with the chance the current rate gives."""
        cap = self.scenario.capacity
        rate = spec.turnover_per_year
        burnout = cap.burnout_turnover_increase
        if self.iv.supervision:
            rate *= self.scenario.hostile_care.supervision_turnover_multiplier
            burnout *= 1 - cap.supervision_burnout_reduction
        if rate <= 0:
            return
        highest = rate * (1 + burnout)
        rng = self.streams.get(f"turnover:{post.service}", post.index)
        while True:
            yield self.env.timeout(rng.exponential(DAYS_PER_YEAR / highest))
            if rng.random() * highest > rate * (1 + burnout * self.pressure[post.service]):
                continue
            vacancy = rng.exponential(spec.vacancy_days) if spec.vacancy_days > 0 else 0.0
            yield from self._vacancy(post, vacancy, rng.random())

    def _vacancy(self, post: Post, vacancy: float, cover_draw: float) -> Generator[Any, Any, None]:
        """A leaver's post: after ``reallocation_days`` a locum covers it until it is filled,
        or (no locum) the team reallocates the leaver's cases."""
        cap = self.scenario.capacity
        staff = self.services[post.service]
        gap = min(cap.reallocation_days, vacancy)
        if cover_draw < cap.locum_cover_probability and gap < vacancy:
            staff.vacate(post, gap)  # the locum is a new person in the post
            yield self.env.timeout(vacancy)
            staff.vacate(post, 0.0)  # the permanent appointment: another new person
            return
        staff.vacate(post, vacancy)
        yield self.env.timeout(gap)
        if post.leaving and self.specs[post.service].named_worker:
            self._reallocate(post.service, post.index)
        yield self.env.timeout(vacancy - gap)

    # --- workload and confidence ------------------------------------------------------------

    def _watch_workload(self) -> Generator[Any, Any, None]:
        """Each week: every service's utilisation over the recent window sets its pressure,
        and every post holder's confidence moves towards what their situation supports."""
        cap = self.scenario.capacity
        keep = max(1, round(cap.workload_window_days / DAYS_PER_WEEK))
        history = {name: deque([(0.0, 0.0)], maxlen=keep + 1) for name in self.specs}
        while True:
            yield self.env.timeout(DAYS_PER_WEEK)
            now = self.env.now
            for name, service in self.services.items():
                areas = history[name]
                busy, filled = service.busy.area(now), service.filled.area(now)
                if busy < areas[-1][0] or filled < areas[-1][1]:
                    areas.clear()  # the measured period began: areas restarted from zero
                    areas.append((0.0, 0.0))
                areas.append((busy, filled))
                staffed = filled - areas[0][1]
                recent = (busy - areas[0][0]) / staffed if staffed > 0 else 1.0
                self.pressure[name] = pressure(recent, cap.workload_threshold)
            self._update_confidence()
            if self.strength > 0:
                self._update_preconditions()
                self._wider_team_week()

    # --- preconditions: training stocks, the wider team, funding ----------------------------

    def _update_preconditions(self) -> None:
        """The week's trained shares (specialist posts filled now; the wider team, eroding
        at its turnover towards its joiners' rate) and the terms that read them."""
        s, pre, coverage = self.strength, self.pre, self.iv.training_coverage
        holders = [p for service in self.services.values() for p in service.posts if not p.leaving]
        if holders:
            stock = sum(self.trained(p) for p in holders) / len(holders)
            self.coverage = coverage + s * (stock - coverage)
        joiners = coverage if self.iv.sustained_training else pre.newcomer_training_probability
        leaving = 1.0 - math.exp(-pre.wider_team_turnover_per_year * DAYS_PER_WEEK / DAYS_PER_YEAR)
        self._wider_stock += leaving * (joiners - self._wider_stock)
        self.wider_coverage = coverage + s * (self._wider_stock - coverage)
        self.fear = self.scenario.attendance.fear_log_odds * (1 - self.coverage)
        system_works = pre.hostile_system_floor + (1 - pre.hostile_system_floor) * self._wider_stock
        self.hub_term = self.terms.hub * (1 - s + s * system_works)
        self.coordinator_term = self.terms.coordinator * (1 - s + s * system_works)

    def join(self, woman: Woman) -> None:
        """She is known to services: from now she also meets the wider team."""
        if self.strength > 0:
            woman.trust_at_known = woman.trust
            self._women[woman] = Uniforms(self.streams.get("wider_team", woman.id))
            woman.ended.callbacks.append(lambda _: self._leave(woman))

    def _leave(self, woman: Woman) -> None:
        """Her follow-up has ended: she meets the wider team no more."""
        self._women.pop(woman, None)

    def _wider_team_week(self) -> None:
        """A week of contacts with staff outside the specialist team (pharmacy while in
        opioid treatment, GP, duty social workers): cheap draws, one per woman a week,
        from her own stream, drawn whatever happens so the numbers stay common."""
        pre = self.pre
        stigma = (
            self.strength
            * pre.wider_stigma_probability
            * (1 - self.scenario.hostile_care.training_stigma_reduction * self._wider_stock)
        )
        for woman, draws in self._women.items():
            rate = pre.gp_contacts_per_week
            if woman.opioid_use and woman.in_treatment:
                rate += pre.pharmacy_contacts_per_week
            if woman.sw_referred and not woman.separated:
                rate += pre.duty_social_work_contacts_per_week
            if draws.one() < 1.0 - math.exp(-rate * stigma):
                self._wider_stigma(woman)

    def _wider_stigma(self, woman: Woman) -> None:
        """A stigmatising wider-team contact undoes part of the trust she built with
        services and of the protection good contacts gave her (ToC: continuity undone)."""
        undo = self.pre.wider_stigma_undo_share
        woman.wider_stigma += 1
        woman.trust -= undo * max(0.0, woman.trust - woman.trust_at_known)
        woman.protection *= 1 - undo
        self.log(woman, "wider_team_stigma", detail="stigma")

    def _funding(self, service: str) -> Generator[Any, Any, None]:
        """Funded spells and gaps in turn; a gap is the longer the stronger the
        preconditions (none at strength 0)."""
        rng = self.streams.get(f"funding:{service}")
        while True:
            yield self.env.timeout(rng.exponential(self.pre.funded_spell_days))
            gap = self.strength * rng.exponential(self.pre.funding_gap_days)
            restored = self._lapsed[service] = self.env.event()
            if service == "peer_advocacy":
                for woman in self._women:
                    woman.has_advocate = False
            yield self.env.timeout(gap)
            del self._lapsed[service]
            restored.succeed()

    def lapsed(self, service: str) -> simpy.Event | None:
        """The event of its funding restarting, while a third-sector service is unfunded."""
        return self._lapsed.get(service)

    def _newcomer(self, post: Post) -> Holder:
        return Holder(post.person, 0, self._confidence_target(post, 0, 0.0, experienced=False))

    def _confidence_target(
        self, post: Post, contacts: int, strain: float, experienced: bool = True
    ) -> float:
        ix = self.scenario.indices
        level = ix.confidence_base + ix.confidence_training_weight * self.trained(post)
        if experienced:
            level += (ix.confidence_supervision_weight if self.iv.supervision else 0.0) + (
                ix.confidence_experience_weight
                * (1 - math.exp(-contacts / ix.confidence_experience_contacts))
            )
            level -= ix.confidence_strain_weight * strain
        return min(max(level, 0.0), 1.0)

    def _update_confidence(self) -> None:
        rate = self.scenario.indices.confidence_adjust_per_week
        total = weight = 0.0
        for name, service in self.services.items():
            holders = self.holders[name]
            for post in service.posts:
                if holders[post.index].person != post.person:  # a newcomer's confidence
                    holders[post.index] = self._newcomer(post)
                holder = holders[post.index]
                target = self._confidence_target(post, holder.contacts, self.pressure[name])
                holder.confidence += rate * (target - holder.confidence)
                if not post.leaving:
                    total += holder.confidence
                    weight += 1
        if weight:
            self._confidence_samples.append(total / weight)

    def start_measuring(self) -> None:
        """The warm-up is over: confidence is averaged from now."""
        self._confidence_samples.clear()

    def confidence_index(self) -> float:
        """Staff confidence over the measured weeks: the mean over filled posts and weeks."""
        samples = self._confidence_samples
        return sum(samples) / len(samples) if samples else math.nan

    # --- places and days -----------------------------------------------------------------

    def available(self, service: str) -> bool:
        """Whether the service exists and (for third-sector services) is still funded."""
        return (
            self.env.now < self._funded_until.get(service, -math.inf)
            and service not in self._lapsed
        )

    def location(self, service: str) -> str:
        """Where this service's contacts happen in this scenario ('hub' when co-located)."""
        spec = self.specs[service]
        if self.iv.co_located_hub and spec.hub_hosted and spec.location != "home":
            return "hub"
        return spec.location

    def align(self, woman: Woman, service: str, day: float) -> float:
        """Move an appointment to her weekly hub or co-ordination day, so contacts share trips."""
        aligned = self.contact_terms[service].hub_aligned or woman.has_coordinator
        if not aligned:
            return day
        week_start = math.floor((day - woman.hub_weekday) / DAYS_PER_WEEK) * DAYS_PER_WEEK
        before = week_start + woman.hub_weekday
        after = before + DAYS_PER_WEEK
        snapped = before if abs(before - day) <= abs(after - day) else after
        return float(max(snapped, self.env.now))

    # --- log ------------------------------------------------------------------------------

    def logs(self, woman: Woman) -> bool:
        """Whether her events go into the log: a log is kept and she is counted."""
        return self.event_log and woman.counted

    def log(
        self,
        woman: Woman,
        event: str,
        service: str = "",
        location: str = "",
        *,
        event_type: str = "other",
        resource_id: int | None = None,
        outcome: str = "",
        detail: str = "",
        value: float | None = None,
        time: float | None = None,
    ) -> None:
        """One event-log row; draws nothing, changes nothing."""
        if self.logs(woman):
            self.events.append(
                EventRow(
                    run=self.streams.replication,
                    entity_id=woman.id,
                    event_type=event_type,
                    event=event,
                    time=self.env.now if time is None else time,
                    service=service,
                    resource_id=resource_id,
                    location=location,
                    outcome=outcome,
                    detail=detail,
                    value=value,
                )
            )
