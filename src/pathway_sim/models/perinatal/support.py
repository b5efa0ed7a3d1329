"""Mental health, health visiting, peer support and advocacy, care co-ordination,
parenting support, and support after removal."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from pathway_sim.models.perinatal.contacts import ATTENDED
from pathway_sim.models.perinatal.fates import Fate
from pathway_sim.models.perinatal.schema import (
    CareCoordination,
    HealthVisiting,
    MentalHealth,
    ParentingSupport,
    PeerAdvocacy,
    PostRemovalSupport,
)
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import (
    first_appointment,
    fixed_schedule,
    refer,
    regular_visits,
)
from pathway_sim.models.perinatal.woman import Woman


def mental_health(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Specialist perinatal mental health for women with need, where the site has it."""
    service = "mental_health"
    if not (woman.mental_health_need and system.available(service)):
        return
    spec = system.spec(service, MentalHealth)
    if woman.fate[Fate.MENTAL_HEALTH_REFERRAL] >= spec.referral_probability:
        return
    refer(system, woman, service)
    env = system.env
    seen = yield from first_appointment(
        system, woman, service, "assessment", env.now + spec.assessment_target_days
    )
    if not seen:
        return
    interval = spec.contact_interval_days

    def until() -> float:
        born = woman.birth_day
        return math.inf if born is None else born + spec.discharge_days_after_birth

    yield from regular_visits(
        system, woman, service, "follow_up", env.now + interval, interval, until
    )


def health_visiting(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """The antenatal contact, then the first-year visits while the baby is with her."""
    service = "health_visiting"
    if not system.available(service):
        return
    spec = system.spec(service, HealthVisiting)
    refer(system, woman, service)
    antenatal = [woman.day_at(w) for w in spec.antenatal_weeks if woman.day_at(w) >= system.env.now]
    yield from fixed_schedule(system, woman, service, "antenatal_visit", antenatal, antenatal=True)
    yield woman.born | woman.ended
    if woman.ended.triggered:
        return
    days = [woman.born_day + d for d in spec.postnatal_days]
    yield from fixed_schedule(system, woman, service, "postnatal_visit", days, needs_baby=True)


def peer_advocacy(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Peer support and advocacy for women who take it up, while funding lasts."""
    service = "peer_advocacy"
    if not system.available(service):
        return
    spec = system.spec(service, PeerAdvocacy)
    if woman.fate[Fate.PEER_UPTAKE] >= spec.uptake_probability:
        return
    refer(system, woman, service)
    interval = spec.contact_interval_days
    while True:
        woman.has_advocate = True
        yield from regular_visits(
            system, woman, service, "peer_support", system.env.now, interval, lambda: math.inf
        )
        woman.has_advocate = False
        if not (yield from _funding_restored(system, woman, service)):
            return


def _funding_restored(system: CareSystem, woman: Woman, service: str) -> Generator[Any, Any, bool]:
    """If her support stopped because its funding lapsed, wait for it to restart (her case
    is kept and she goes back to her worker); False if it ended for good or she left."""
    restored = system.funding.lapsed(service)
    if restored is None or woman.ended.triggered:
        return False
    yield restored | woman.ended
    return not woman.ended.triggered


def care_coordination(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """A named co-ordinator from first contact to the end of follow-up."""
    service = "care_coordination"
    if not system.available(service):
        return
    refer(system, woman, service)
    woman.has_coordinator = True
    interval = system.spec(service, CareCoordination).contact_interval_days
    yield from regular_visits(
        system, woman, service, "coordination", system.env.now, interval, lambda: math.inf
    )
    woman.has_coordinator = False


def parenting_support(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """A parenting programme after birth for mothers caring for their baby."""
    service = "parenting_support"
    if not system.available(service):
        return
    yield woman.born | woman.ended
    if woman.ended.triggered:
        return
    spec = system.spec(service, ParentingSupport)
    start = woman.born_day + spec.start_days_after_birth
    yield system.env.timeout(max(0.0, start - system.env.now))
    if woman.separated or woman.ended.triggered:
        return
    refer(system, woman, service)
    days = [start + k * spec.interval_days for k in range(spec.sessions)]
    outcomes = yield from fixed_schedule(
        system, woman, service, "parenting_session", days, needs_baby=True
    )
    woman.parenting_completed = (
        sum(o == ATTENDED for o in outcomes) >= spec.completion_share * spec.sessions
    )


def post_removal_support(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Support for a mother after removal (Pause-like); attending it lowers her risks of harm."""
    service = "post_removal_support"
    spec = system.spec(service, PostRemovalSupport)
    refer(system, woman, service)
    until = system.env.now + spec.duration_days
    while True:
        yield from regular_visits(
            system,
            woman,
            service,
            "post_removal_support",
            system.env.now,
            spec.contact_interval_days,
            lambda: until,
        )
        if system.env.now >= until or not (yield from _funding_restored(system, woman, service)):
            return
