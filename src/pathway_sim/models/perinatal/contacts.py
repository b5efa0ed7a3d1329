"""One contact between a woman and a service: booked, then attended, missed or cancelled.

A contact is booked for a day; on the day it is cancelled if no longer wanted, else it
queues for a staff post until she reaches her worker (or any free one); then she
attends or misses, and what happens in an attended contact changes her trust,
knowledge and protection. The chance of attending is a logistic model: the service's
reference probability on the log-odds scale, plus a term for each influence (trust,
knowledge, travel, burden, fear, support, reminders...). Odds ratios from the evidence
enter as ``log(OR)``.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from pathway_sim.core.distributions import Distribution
from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.engine.service import Post
from pathway_sim.models.perinatal.care_quality import (
    adjust_trust,
    relational_share,
    retell_probability,
    retraumatise,
    retraumatise_probability,
    stigmatise,
)
from pathway_sim.models.perinatal.engagement import disengage
from pathway_sim.models.perinatal.fates import CONTACT_DRAWS, ContactDraw
from pathway_sim.models.perinatal.odds import logistic
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.terms import NOT_TRAVELLED, ContactTerms
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman

ATTENDED, MISSED, CANCELLED = "attended", "missed", "cancelled"


@dataclass(frozen=True, slots=True)
class Booking:
    """What kind of contact is booked, whatever its day."""

    kind: str
    """Its name in the log (``booking``, ``keyworker``, ``conference``...)."""
    hours: Distribution | None = None
    """Staff time, if not the service's usual ``contact_hours``."""
    antenatal: bool = False
    """Counted as antenatal care; cancelled once she has given birth."""
    needs_baby: bool = False
    """Cancelled while her baby is not with her."""
    align: bool = True
    """Moved to her weekly hub or co-ordination day."""
    mandatory: bool = False
    """Held even when she has dropped out of the service (a child-protection meeting)."""
    place: str | None = None
    """Where it happens, if not where the service's contacts usually do."""


def contact(
    system: CareSystem,
    woman: Woman,
    service: str,
    booking: Booking,
    day: float,
    due: float | None = None,
) -> Generator[Any, Any, str]:
    """Book a contact for ``day``, wait for it, and return its outcome.

    A contact counts as scheduled once its day comes within her follow-up; it is then
    attended, missed or cancelled, exactly one of the three. Use as
    ``outcome = yield from contact(...)``. Staff time is spent whether she attends or not
    (a missed slot is lost), and runs on after the outcome (notes, admin) while she goes
    on; a cancelled contact costs nothing. The day it happened is ``rec.last_contact_day``.

    Waiting is not free: the delay from the day it was ``due`` (default: the day booked;
    a re-offered first appointment keeps its first day) beyond the grace costs her trust,
    makes her less likely to attend, and may make her give up on the service. Under
    workload pressure the contact is shorter and rushed.
    """
    env = system.env
    if booking.align:
        day = aligned_day(system, woman, service, day)
    due = day if due is None else min(due, day)
    if day > env.now:
        yield env.timeout(day - env.now)
    if woman.ended.triggered:
        return CANCELLED  # due after her follow-up: not part of her record
    booked = _Contact(system, woman, service, booking, woman.record(service))
    if not booked.wanted():
        return booked.cancel()
    draws = woman.contact_uniforms.take(CONTACT_DRAWS)
    booked.choose_place(draws)
    post = booked.queue()
    if post is None:
        post = yield from booked.wait()
    if post is None or not booked.still_wanted(post):
        return booked.cancel()
    return booked.hold(post, due, draws)


def aligned_day(system: CareSystem, woman: Woman, service: str, day: float) -> float:
    """``day`` moved to her weekly hub or co-ordination day, so contacts share trips."""
    aligned = system.contact_terms[service].hub_aligned or woman.has_coordinator
    if not aligned:
        return day
    week_start = math.floor((day - woman.hub_weekday) / DAYS_PER_WEEK) * DAYS_PER_WEEK
    before = week_start + woman.hub_weekday
    after = before + DAYS_PER_WEEK
    snapped = before if abs(before - day) <= abs(after - day) else after
    return float(max(snapped, system.env.now))


class _Contact:
    """A contact on its day: booked (counted as scheduled), then reached, then held."""

    __slots__ = (
        "antenatal", "booking", "logged", "queued", "rec", "service", "system", "terms",
        "wanted_post", "where", "woman",
    )  # fmt: skip

    def __init__(
        self,
        system: CareSystem,
        woman: Woman,
        service: str,
        booking: Booking,
        rec: ServiceRecord,
    ) -> None:
        self.system = system
        self.woman = woman
        self.service = service
        self.booking = booking
        self.rec = rec
        self.terms: ContactTerms = system.contact_terms[service]
        self.antenatal = booking.antenatal and service == "midwifery"
        """Whether it counts as antenatal care (a midwifery contact before birth)."""
        self.logged = system.events.keeps(woman)
        self.where = ""
        """Where it happens, once chosen."""
        self.queued = 0.0
        self.wanted_post: int | None = None
        """Her named worker's post, where the service has named workers."""
        rec.scheduled += 1
        woman.antenatal_scheduled += self.antenatal

    def wanted(self) -> bool:
        """Whether it still goes ahead: her follow-up goes on, she is engaged (or it is
        mandatory), she has not given birth (antenatal), her baby is with her (baby-focused),
        and the service is still funded."""
        woman, booking = self.woman, self.booking
        return not (
            woman.ended.triggered
            or not (self.rec.engaged or booking.mandatory)
            or (booking.antenatal and woman.born.triggered)
            or (booking.needs_baby and woman.separated)
            or not self.system.available(self.service)
        )

    def cancel(self) -> str:
        self.rec.cancelled += 1
        self.system.events.log(
            self.woman,
            f"{self.service}_cancelled",
            self.service,
            outcome=CANCELLED,
            detail=self.booking.kind,
        )
        return CANCELLED

    def choose_place(self, draws: list[float]) -> None:
        """Where it happens: remote (flexible contact, by her draw), the booking's place, or
        the service's usual one."""
        remote = (
            self.terms.remote_possible
            and draws[ContactDraw.REMOTE] < self.system.attendance.remote_share
        )
        self.where = "remote" if remote else (self.booking.place or self.terms.place)

    def queue(self) -> Post | None:
        """She queues for her named worker (any post where the service has none): the post
        if it is free now (most are), else None."""
        terms = self.terms
        self.queued = self.system.env.now
        self.wanted_post = self.rec.named_post if terms.spec.named_worker else None
        if self.logged:
            self.system.events.log(
                self.woman,
                terms.wait_begins,
                self.service,
                self.where,
                event_type="queue",
                detail=self.booking.kind,
            )
        return terms.staff.take_free(self.wanted_post)

    def wait(self) -> Generator[Any, Any, Post | None]:
        """Wait for the post; if her worker leaves and her case moves, wait for the new one.
        None if she stops waiting (follow-up over, or birth for an antenatal contact)."""
        rec, staff = self.rec, self.terms.staff
        abort = self.woman.born if self.booking.antenatal else self.woman.ended
        wanted = self.wanted_post
        post = yield from staff.acquire(wanted, abort)
        while post is None and wanted is not None and rec.named_post != wanted:
            wanted = rec.named_post  # her worker left and her case moved: queue for the new one
            if abort.triggered:
                break
            post = yield from staff.acquire(wanted, abort)
        return post

    def still_wanted(self, post: Post) -> bool:
        """Whether she still has the contact now that a post is free; if not, the post goes
        back at once."""
        if self.wanted():
            return True
        self.terms.staff.release(post)
        return False

    def hold(self, post: Post, due: float, draws: list[float]) -> str:
        """She attends or misses (she may have given up waiting); what happens follows, and
        the post's time is spent. The clock stands still in here."""
        system, woman, rec, place = self.system, self.woman, self.rec, self.where
        now = system.env.now
        rec.wait_days += now - self.queued
        rec.last_contact_day = now
        _forget_old_contacts(woman, now, system.attendance.burden_window_days)
        overdue = max(0.0, now - due - system.capacity.wait_grace_days)
        gave_up = overdue > 0 and _waited(system, woman, overdue)
        attended = not gave_up and draws[ContactDraw.ATTEND] < attendance_probability(
            system, woman, self.service, place, post, overdue
        )
        woman.recent.append(now)
        outcome = ATTENDED if attended else MISSED
        if self.logged:
            self._log_use(post, "resource_use", self.terms.begins, now, outcome)
        if attended:
            _attended(system, woman, rec, self.terms, place, post, draws)
        else:
            _missed(system, woman, rec, self.service)
            if gave_up and rec.engaged:
                system.events.log(woman, "gave_up_waiting", self.service)
                disengage(system, woman, self.service)
        self._count_in_pregnancy(attended, now)
        self._spend_staff_time(post, now)
        return outcome

    def _count_in_pregnancy(self, attended: bool, now: float) -> None:
        woman = self.woman
        if self.antenatal:
            woman.antenatal_attended += attended
            woman.antenatal_missed += not attended
        if not woman.born.triggered:
            woman.pregnancy_contacts += 1
            woman.pregnancy_attended += attended
            if attended and self.where not in NOT_TRAVELLED:
                woman.pregnancy_trips.append((now, self.where))

    def _spend_staff_time(self, post: Post, now: float) -> None:
        """The post is busy for the contact's staff time (longer with relational care, cut
        under pressure), released when it is done."""
        system = self.system
        hours = (self.booking.hours or self.terms.spec.contact_hours).sample(self.woman.durations)
        if system.interventions.relational_care:
            hours *= system.hostile_care.relational_time_multiplier
        hours *= 1 - system.capacity.rushed_time_cut * system.workload.pressure[self.service]
        busy_days = system.workforce.staff_days(self.service, hours)
        if self.logged:
            self._log_use(post, "resource_use_end", self.terms.ends, now + busy_days)
        self.terms.staff.release_after(post, busy_days)

    def _log_use(
        self, post: Post, event_type: str, event: str, time: float, outcome: str = ""
    ) -> None:
        self.system.events.log(
            self.woman,
            event,
            self.service,
            self.where,
            event_type=event_type,
            resource_id=post.index + 1,
            outcome=outcome,
            detail=self.booking.kind,
            time=time,
        )


def _waited(system: CareSystem, woman: Woman, overdue: float) -> bool:
    """The cost of ``overdue`` days of waiting: lost trust; True if she gives up."""
    cap = system.capacity
    weeks = overdue / DAYS_PER_WEEK
    adjust_trust(woman, -cap.wait_trust_loss_per_week * weeks)
    give_up = 1.0 - math.exp(-cap.wait_give_up_per_week * weeks)
    return bool(system.streams.get("waiting", woman.id).random() < give_up)


def attendance_probability(
    system: CareSystem, woman: Woman, service: str, place: str, post: Post, overdue: float = 0.0
) -> float:
    """Chance she attends this contact, from the logistic attendance model; ``overdue`` is
    how many days late (beyond the grace) the contact comes."""
    p = system.specs[service].attendance_probability
    if p in (0.0, 1.0):
        return p  # certain either way, whatever shifts the odds
    a, terms, wider = system.attendance, system.terms, system.wider
    x = terms.base_logit[service]
    x += system.capacity.wait_log_odds_per_week * overdue / DAYS_PER_WEEK
    x += a.trust_log_odds * (woman.trust - 0.5) + a.knowledge_log_odds * (woman.knowledge - 0.5)
    if place not in NOT_TRAVELLED:
        x += terms.trips[woman.rural, place].log_odds
    burden = a.burden_log_odds_per_contact * len(woman.recent)
    if terms.burden_factor is not None:
        burden *= terms.burden_factor
        x += terms.coproduced
    x += burden
    if post.staff_id in woman.seen_people:
        x += terms.known_worker
    if terms.reminder is not None:
        x += terms.reminder
    if place == "hub":
        x += wider.hub
    if place == "remote":
        x += terms.remote
    if woman.has_coordinator and service != "care_coordination":
        x += wider.coordinator
    if woman.has_advocate and service != "peer_advocacy":
        x += terms.advocate
    if woman.sw_referred and not woman.separated:
        x += wider.fear
    return logistic(x)


def _forget_old_contacts(woman: Woman, now: float, window: float) -> None:
    """Keep only the contacts of the last ``window`` days: her recent appointment burden."""
    recent = woman.recent
    while recent and recent[0] <= now - window:
        recent.popleft()


def _attended(
    system: CareSystem,
    woman: Woman,
    rec: ServiceRecord,
    terms: ContactTerms,
    place: str,
    post: Post,
    draws: list[float],
) -> None:
    """What happens in an attended contact: continuity, trust, perhaps retelling her history
    to someone new, stigma or protection, knowledge, and the trip she made."""
    now = system.env.now
    rec.attended += 1
    rec.misses_in_row = 0
    rec.last_attended_day = now
    if rec.first_attended_day is None:
        rec.first_attended_day = now
    new_to_service = rec.last_person is None
    _continuity(system, rec, post)
    rush = system.workload.pressure[post.service]
    relational = 1 - system.capacity.rushed_relational_cut * rush
    known = post.staff_id in woman.seen_people
    kindness = relational_share(system, post, rush) if system.interventions.relational_care else 0.0
    _build_trust(system, woman, known, kindness, relational)
    if not known:
        woman.seen_people.add(post.staff_id)
        _meet_someone_new(system, woman, post.service, new_to_service, rush, draws)
    _stigma_or_protection(system, woman, post, known, kindness, rush, draws)
    woman.knowledge += min(terms.knowledge_gain * relational, 1.0) * (1.0 - woman.knowledge)
    if place not in NOT_TRAVELLED:
        _travel(system, woman, place, now)


def _continuity(system: CareSystem, rec: ServiceRecord, post: Post) -> None:
    """Whether she saw the same person as last time in this service; any change of
    professional within a service is a break, whether or not it has named workers."""
    person = post.staff_id
    if person == rec.last_person:
        rec.same_person_streak += 1
    else:
        if rec.last_person is not None:
            rec.continuity_breaks += 1
        rec.same_person_streak = 1
    rec.last_person = person
    system.confidence.note_contact(post)


def _build_trust(
    system: CareSystem, woman: Woman, known: bool, kindness: float, relational: float
) -> None:
    """Trust an attended contact builds: more with a worker she knows and with relational
    care, less when the worker is rushed."""
    eng = system.engagement
    gain = eng.trust_gain_attended + (eng.trust_gain_known_worker if known else 0.0)
    if system.interventions.relational_care:
        gain += eng.trust_gain_relational * kindness
    adjust_trust(woman, gain * relational)


def _meet_someone_new(
    system: CareSystem,
    woman: Woman,
    service: str,
    new_to_service: bool,
    rush: float,
    draws: list[float],
) -> None:
    """A worker she has not met may make her tell her history again, which may
    re-traumatise her."""
    retell = retell_probability(system, new_to_service, rush, woman.has_coordinator)
    if draws[ContactDraw.RETELL] < retell:
        woman.history_retold += 1
        base = system.hostile_care.retell_retraumatise_probability
        if draws[ContactDraw.RETRAUMATISE] < retraumatise_probability(system, woman, base):
            retraumatise(system, woman, "history_retold", service)


def _stigma_or_protection(
    system: CareSystem,
    woman: Woman,
    post: Post,
    known: bool,
    kindness: float,
    rush: float,
    draws: list[float],
) -> None:
    """The contact may stigmatise her (likelier when rushed; less with a worker she knows,
    a trained worker or relational care); a good one with a known worker protects her."""
    care, service = system.hostile_care, post.service
    stigma = system.specs[service].stigma_probability * (
        1 + system.capacity.rushed_stigma_increase * rush
    )
    if known:  # stigma comes mostly from staff she does not know (the wider team)
        stigma *= 1 - care.known_worker_stigma_reduction
    if system.training.trained(post):
        stigma *= 1 - care.training_stigma_reduction
    if system.interventions.relational_care:
        stigma *= 1 - care.relational_stigma_reduction * kindness
    if draws[ContactDraw.STIGMA] < stigma:
        stigmatise(system, woman, service)
    elif known:
        woman.protection += care.protection_gain_good_contact * (1.0 - woman.protection)


def _travel(system: CareSystem, woman: Woman, place: str, now: float) -> None:
    """Her trip to ``place`` today, counted once however many contacts it served."""
    trip_key = (int(now), place)
    if trip_key not in woman.trips:
        woman.trips.add(trip_key)
        trip = system.terms.trips[woman.rural, place]
        woman.travel_hours += trip.hours
        woman.travel_cost_gbp += trip.cost_gbp


def _missed(system: CareSystem, woman: Woman, rec: ServiceRecord, service: str) -> None:
    """A missed contact costs trust; enough misses in a row and she drops out."""
    eng = system.engagement
    rec.missed += 1
    rec.misses_in_row += 1
    adjust_trust(woman, -eng.trust_loss_missed)
    if rec.misses_in_row >= eng.misses_to_disengage and rec.engaged:
        disengage(system, woman, service)
