"""Patterns of contact the services share: first appointments, fixed schedules, regular visits."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import Any

from pathway_sim.core.distributions import Distribution
from pathway_sim.models.perinatal.contacts import ATTENDED, CANCELLED, MISSED, Booking, contact
from pathway_sim.models.perinatal.engagement import wait_until_engaged
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import Woman


def refer(system: CareSystem, woman: Woman, service: str) -> None:
    """Put her on the service's caseload, with a named worker where the service has them."""
    rec = woman.record(service)
    if rec.active:
        return
    rec.active = True
    if system.specs[service].named_worker:
        rec.named_post = system.workforce.assign_named_worker(service, rec)
    system.events.log(woman, "referred", service)


def first_appointment(
    system: CareSystem,
    woman: Woman,
    service: str,
    kind: str,
    day: float,
    hours: Distribution | None = None,
    antenatal: bool = False,
) -> Generator[Any, Any, bool]:
    """Offer a first appointment until she attends; False if it never happens.

    A miss is re-offered after the service's ``rebook_days``; if she drops out,
    the offer waits for her to be re-engaged. Every re-offer is due on the day of
    the first, so rebooking counts as waiting.
    """
    rec = woman.record(service)
    rebook = system.specs[service].rebook_days
    booking = Booking(kind, hours=hours, antenatal=antenatal, align=False)
    due = day
    while True:
        outcome = yield from contact(system, woman, service, booking, day, due=due)
        rec.first_attended += outcome == ATTENDED
        rec.first_missed += outcome == MISSED
        if outcome == ATTENDED:
            return True
        if (outcome == CANCELLED and rec.engaged) or (antenatal and woman.born.triggered):
            return False
        if rec.engaged:
            day = system.env.now + rebook
            continue
        if not (yield from wait_until_engaged(system, woman, service)):
            return False
        day = system.env.now


def fixed_schedule(
    system: CareSystem,
    woman: Woman,
    service: str,
    kind: str,
    days: Iterable[float],
    *,
    antenatal: bool = False,
    needs_baby: bool = False,
) -> Generator[Any, Any, list[str]]:
    """Contacts booked for given days (an antenatal or health-visiting schedule)."""
    outcomes = []
    booking = Booking(kind, antenatal=antenatal, needs_baby=needs_baby)
    for day in sorted(days):
        if woman.ended.triggered or (antenatal and woman.born.triggered):
            break
        outcome = yield from contact(system, woman, service, booking, day)
        outcomes.append(outcome)
    return outcomes


def regular_visits(
    system: CareSystem,
    woman: Woman,
    service: str,
    kind: Callable[[int], str] | str,
    first_day: float,
    interval_days: float,
    until_day: Callable[[], float],
    *,
    needs_baby: bool = False,
    stop: Callable[[], bool] | None = None,
) -> Generator[Any, Any, int]:
    """Contacts every ``interval_days`` until ``until_day()``; pauses while she is disengaged.

    Returns the number of contacts attended.
    """
    attended = 0
    n = 0
    day = first_day
    rec = woman.record(service)
    while True:
        if not rec.engaged and not (yield from wait_until_engaged(system, woman, service)):
            return attended
        day = max(day, system.env.now)
        ended = woman.ended.triggered or day >= until_day() or (stop and stop())
        if ended or not system.available(service):
            return attended
        name = kind(n) if callable(kind) else kind
        booking = Booking(name, needs_baby=needs_baby)
        outcome = yield from contact(system, woman, service, booking, day)
        attended += outcome == ATTENDED
        n += 1
        day += interval_days


def handover(system: CareSystem, woman: Woman, service: str, draw: float) -> float:
    """A hospital-to-community hand-over; a failure delays the next contact. Returns the delay.

    With the preconditions, shared records alone help only as far as the receiving team
    has time to read them; a co-ordinator carries her story whatever the pressure."""
    care, s = system.hostile_care, system.preconditions.strength
    joined_up = system.interventions.shared_records or woman.has_coordinator
    p_fail = (
        care.handover_failure_probability_shared if joined_up else care.handover_failure_probability
    )
    if s > 0 and joined_up and not woman.has_coordinator:
        rush = system.workload.pressure[service]
        p_fail += s * rush * (care.handover_failure_probability - p_fail)
    woman.handovers += 1
    if draw < p_fail:
        woman.handover_failures += 1
        system.events.log(woman, "handover_failed", service)
        return care.handover_delay_days
    return 0.0
