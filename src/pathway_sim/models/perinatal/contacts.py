"""One contact between a woman and a service: scheduled, then attended, missed or cancelled.

The chance of attending is a logistic model: the service's reference probability
on the log-odds scale, plus a term for each influence (trust, knowledge, travel,
burden, fear, support, reminders...). Odds ratios from the evidence enter as
``log(OR)``. What happens at the contact then changes her trust, knowledge and
engagement, which is how one stigmatising contact can undo good work elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from pathway_sim.core.distributions import Distribution
from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.engine.service import Post
from pathway_sim.models.perinatal.engagement import disengage
from pathway_sim.models.perinatal.odds import logistic
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman

ATTENDED, MISSED, CANCELLED = "attended", "missed", "cancelled"


def contact(
    system: CareSystem,
    woman: Woman,
    service: str,
    kind: str,
    day: float,
    *,
    hours: Distribution | None = None,
    antenatal: bool = False,
    needs_baby: bool = False,
    align: bool = True,
    mandatory: bool = False,
    place: str | None = None,
    due: float | None = None,
) -> Generator[Any, Any, str]:
    """Schedule a contact for ``day``, wait for it, and return its outcome.

    A contact counts as scheduled once its day comes within her follow-up; it is
    then attended, missed or cancelled, exactly one of the three.
    Use as ``outcome = yield from contact(...)``. Staff time is spent whether she
    attends or not (a missed slot is lost), and runs on after the outcome (notes,
    admin) while she goes on; a cancelled contact costs nothing. A
    ``mandatory`` contact (a child-protection meeting) goes ahead even when she
    has dropped out of the service. ``place`` overrides the service's usual
    location. The day it happened is ``rec.last_contact_day``.

    Waiting is not free: the delay from the day it was ``due`` (default: the day
    booked; a re-offered first appointment keeps its first day) beyond the grace
    costs her trust, makes her less likely to attend, and may make her give up on
    the service. Under workload pressure the contact is shorter and rushed.
    """
    env = system.env
    if align:
        day = system.align(woman, service, day)
    due = day if due is None else min(due, day)
    if day > env.now:
        yield env.timeout(day - env.now)
    if woman.ended.triggered:
        return CANCELLED  # due after her follow-up: not part of her record
    rec = woman.record(service)
    rec.scheduled += 1
    counts_antenatal = antenatal and service == "midwifery"
    woman.antenatal_scheduled += counts_antenatal
    if not _wanted(system, woman, rec, service, antenatal, needs_baby, mandatory):
        return _cancel(system, woman, rec, service, kind)
    terms = system.contact_terms[service]
    spec = terms.spec
    draws = woman.contact_uniforms.take(5)
    remote = terms.remote_possible and draws[0] < system.scenario.attendance.remote_share
    place = "remote" if remote else (place or terms.place)
    abort = woman.born if antenatal else woman.ended
    queued = env.now
    staff = terms.staff
    wanted = rec.named_post if spec.named_worker else None
    logged = system.logs(woman)  # three rows a contact: skip building them when unlogged
    if logged:
        system.log(woman, terms.wait_begins, service, place, event_type="queue", detail=kind)
    post = staff.take_free(wanted)
    if post is None:
        post = yield from staff.acquire(wanted, abort)
    while post is None and wanted is not None and rec.named_post != wanted:
        wanted = rec.named_post  # her worker left and her case moved: queue for the new one
        if abort.triggered:
            break
        post = yield from staff.acquire(wanted, abort)
    if post is None or not _wanted(system, woman, rec, service, antenatal, needs_baby, mandatory):
        if post is not None:
            staff.release(post)
        return _cancel(system, woman, rec, service, kind)
    now = env.now  # no more waiting: the clock stands still from here
    rec.wait_days += now - queued
    rec.last_contact_day = now
    _forget_old_contacts(woman, now, system.scenario.attendance.burden_window_days)
    overdue = max(0.0, now - due - system.scenario.capacity.wait_grace_days)
    gave_up = overdue > 0 and _waited(system, woman, overdue)
    attended = not gave_up and draws[1] < attendance_probability(
        system, woman, service, place, post, overdue
    )
    woman.recent.append(now)
    outcome = ATTENDED if attended else MISSED
    if logged:
        system.log(
            woman,
            terms.begins,
            service,
            place,
            event_type="resource_use",
            resource_id=post.index + 1,
            outcome=outcome,
            detail=kind,
        )
    if attended:
        _attended(system, woman, rec, service, place, post, draws)
    else:
        _missed(system, woman, rec, service)
        if gave_up and rec.engaged:
            system.log(woman, "gave_up_waiting", service)
            disengage(system, woman, service)
    if counts_antenatal:
        woman.antenatal_attended += attended
        woman.antenatal_missed += not attended
    if not woman.born.triggered:
        woman.pregnancy_contacts += 1
        if attended and place not in ("home", "remote"):
            woman.pregnancy_trips.append((now, place))
    staff_hours = (hours or spec.contact_hours).sample(woman.durations)
    if system.iv.relational_care:
        staff_hours *= system.scenario.hostile_care.relational_time_multiplier
    staff_hours *= 1 - system.scenario.capacity.rushed_time_cut * system.pressure[service]
    busy_days = system.staff_days(service, staff_hours)
    if logged:
        system.log(
            woman,
            terms.ends,
            service,
            place,
            event_type="resource_use_end",
            resource_id=post.index + 1,
            detail=kind,
            time=now + busy_days,
        )
    staff.release_after(post, busy_days)
    return outcome


def _waited(system: CareSystem, woman: Woman, overdue: float) -> bool:
    """The cost of ``overdue`` days of waiting: lost trust; True if she gives up."""
    cap = system.scenario.capacity
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
    a, terms = system.scenario.attendance, system.terms
    x = terms.base_logit[service]
    x += system.scenario.capacity.wait_log_odds_per_week * overdue / DAYS_PER_WEEK
    x += a.trust_log_odds * (woman.trust - 0.5) + a.knowledge_log_odds * (woman.knowledge - 0.5)
    if place not in ("home", "remote"):
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
        x += system.hub_term
    if place == "remote":
        x += terms.remote
    if woman.has_coordinator and service != "care_coordination":
        x += system.coordinator_term
    if woman.has_advocate and service != "peer_advocacy":
        x += terms.advocate
    if woman.sw_referred and not woman.separated:
        x += system.fear
    return logistic(x)


def _wanted(
    system: CareSystem,
    woman: Woman,
    rec: ServiceRecord,
    service: str,
    antenatal: bool,
    needs_baby: bool,
    mandatory: bool,
) -> bool:
    return not (
        woman.ended.triggered
        or not (rec.engaged or mandatory)
        or (antenatal and woman.born.triggered)
        or (needs_baby and woman.separated)
        or not system.available(service)
    )


def _cancel(system: CareSystem, woman: Woman, rec: ServiceRecord, service: str, kind: str) -> str:
    rec.cancelled += 1
    system.log(woman, f"{service}_cancelled", service, outcome=CANCELLED, detail=kind)
    return CANCELLED


def _forget_old_contacts(woman: Woman, now: float, window: float) -> None:
    """Keep only the contacts of the last ``window`` days: her recent appointment burden."""
    recent = woman.recent
    while recent and recent[0] <= now - window:
        recent.popleft()


def _attended(
    system: CareSystem,
    woman: Woman,
    rec: ServiceRecord,
    service: str,
    place: str,
    post: Post,
    draws: Any,
) -> None:
    now = system.env.now
    eng = system.scenario.engagement
    care = system.scenario.hostile_care
    iv = system.iv
    rec.attended += 1
    rec.misses_in_row = 0
    rec.last_attended_day = now
    if rec.first_attended_day is None:
        rec.first_attended_day = now
    person = post.staff_id
    new_to_service = rec.last_person is None
    if person == rec.last_person:
        rec.same_person_streak += 1
    else:
        if system.specs[service].named_worker and rec.last_person is not None:
            rec.continuity_breaks += 1
        rec.same_person_streak = 1
    rec.last_person = person
    system.note_contact(post)
    rush = system.pressure[service]
    cap = system.scenario.capacity
    relational = 1 - cap.rushed_relational_cut * rush
    known = person in woman.seen_people
    gain = eng.trust_gain_attended + (eng.trust_gain_known_worker if known else 0.0)
    kindness = system.relational_share(post, rush) if iv.relational_care else 0.0
    if iv.relational_care:
        gain += eng.trust_gain_relational * kindness
    adjust_trust(woman, gain * relational)
    if not known:
        woman.seen_people.add(person)
        if draws[2] < retell_probability(system, new_to_service, rush, woman.has_coordinator):
            woman.history_retold += 1
            if draws[3] < retraumatise_probability(
                system, woman, care.retell_retraumatise_probability
            ):
                retraumatise(system, woman, "history_retold", service)
    stigma = system.specs[service].stigma_probability * (1 + cap.rushed_stigma_increase * rush)
    if known:  # stigma comes mostly from staff she does not know (the wider team)
        stigma *= 1 - care.known_worker_stigma_reduction
    if system.trained(post):
        stigma *= 1 - care.training_stigma_reduction
    if iv.relational_care:
        stigma *= 1 - care.relational_stigma_reduction * kindness
    if draws[4] < stigma:
        stigmatise(system, woman, service)
    elif known:  # a good contact with someone she knows: later harm is less likely
        woman.protection += care.protection_gain_good_contact * (1.0 - woman.protection)
    gain = system.contact_terms[service].knowledge_gain
    woman.knowledge += min(gain * relational, 1.0) * (1.0 - woman.knowledge)
    if place not in ("home", "remote"):
        trip_key = (int(now), place)
        if trip_key not in woman.trips:
            woman.trips.add(trip_key)
            trip = system.terms.trips[woman.rural, place]
            woman.travel_hours += trip.hours
            woman.travel_cost_gbp += trip.cost_gbp


def _missed(system: CareSystem, woman: Woman, rec: ServiceRecord, service: str) -> None:
    eng = system.scenario.engagement
    rec.missed += 1
    rec.misses_in_row += 1
    adjust_trust(woman, -eng.trust_loss_missed)
    if rec.misses_in_row >= eng.misses_to_disengage and rec.engaged:
        disengage(system, woman, service)


def adjust_trust(woman: Woman, delta: float) -> None:
    woman.trust = min(max(woman.trust + delta, 0.0), 1.0)


def retell_probability(
    system: CareSystem, new_to_service: bool, rush: float, coordinated: bool = False
) -> float:
    """Chance she must tell her history to a worker she has not met: less when the service
    already knows her or records are shared, more when a rushed worker has not read them.

    With the preconditions, shared records help only as far as staff have time to read
    them, and a co-ordinator who carries her story spares her some retelling."""
    care, s = system.scenario.hostile_care, system.strength
    unshared = (
        care.retell_probability_new_service
        if new_to_service
        else care.retell_probability_same_service
    )
    p = unshared
    if system.iv.shared_records:
        p = care.retell_probability_shared_records
        if s > 0:
            p += s * rush * (unshared - p)
    if coordinated and s > 0:
        p *= 1 - s * system.pre.coordinator_retell_reduction
    return p + (1.0 - p) * system.scenario.capacity.rushed_retell_increase * rush


def retraumatise_probability(system: CareSystem, woman: Woman, base: float) -> float:
    """Chance an event with reference chance ``base`` re-traumatises her: higher with a
    trauma history, lower where staff are trained and where good contacts protect her."""
    care = system.scenario.hostile_care
    p = base * (care.trauma_history_multiplier if woman.trauma_history else 1.0)
    p *= 1 - care.training_retraumatise_reduction * system.coverage
    p *= 1 - care.relationship_protection * woman.protection
    return min(p, 1.0)


def retraumatise(system: CareSystem, woman: Woman, cause: str, service: str = "") -> None:
    """A re-traumatising event (ToC short-term outcome 1): counted, and trust falls."""
    woman.retraumatised += 1
    adjust_trust(woman, -system.scenario.engagement.trust_loss_retraumatised)
    system.log(woman, "retraumatised", service, detail=cause)


def stigmatise(system: CareSystem, woman: Woman, service: str) -> None:
    """A stigmatising contact: it undoes trust built anywhere and may re-traumatise her."""
    woman.stigmatising += 1
    adjust_trust(woman, -system.scenario.engagement.trust_loss_stigma)
    system.log(woman, "stigmatised", service, detail="stigma")
    p = retraumatise_probability(
        system, woman, system.scenario.hostile_care.stigma_retraumatise_probability
    )
    if system.streams.get("harm", woman.id).random() < p:
        woman.retraumatised += 1
        system.log(woman, "retraumatised", service, detail="stigma")
