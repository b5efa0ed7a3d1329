"""Dropping out of a service and being brought back (outreach)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from pathway_sim.models.perinatal.odds import with_odds_ratio
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman


def disengage(system: CareSystem, woman: Woman, service: str) -> None:
    """She stops coming: booked contacts are cancelled and re-engagement is attempted."""
    rec = woman.record(service)
    if not rec.engaged:
        return
    rec.engaged = False
    rec.reengaged = system.env.event()
    _engagement_changed(system, woman, service, False)
    system.events.log(woman, "disengaged", service)
    system.env.process(_reengagement_attempts(system, woman, service))


def reengage(system: CareSystem, woman: Woman, service: str, cause: str) -> None:
    """She is back with the service (outreach, her own return, or admission for birth)."""
    rec = woman.record(service)
    if rec.engaged:
        return
    rec.engaged = True
    rec.closed = False
    rec.misses_in_row = 0
    if rec.reengaged is not None and not rec.reengaged.triggered:
        rec.reengaged.succeed()
    _engagement_changed(system, woman, service, True)
    system.events.log(woman, "reengaged", service, detail=cause)


def wait_until_engaged(system: CareSystem, woman: Woman, service: str) -> Generator[Any, Any, bool]:
    """Wait while she is disengaged; False once her case is closed or follow-up ends."""
    rec = woman.record(service)
    while not rec.engaged:
        if rec.closed or woman.ended.triggered:
            return False
        yield _reengaged(rec) | woman.ended
    return not woman.ended.triggered


def _reengagement_attempts(
    system: CareSystem, woman: Woman, service: str
) -> Generator[Any, Any, None]:
    eng = system.engagement
    outreach = system.interventions.assertive_outreach
    rec = woman.record(service)
    rng = system.streams.get(f"reengage:{service}", woman.id)
    for _ in range(eng.reengage_attempts):
        yield system.env.timeout(eng.reengage_delay_days)
        if rec.engaged or woman.ended.triggered or not system.available(service):
            return
        draw = rng.random()
        if outreach:
            yield from _outreach_visit(system, woman, service)
            if woman.ended.triggered:
                return
        p = eng.outreach_reengage_probability if outreach else eng.reengage_probability
        if woman.has_coordinator or woman.has_advocate:
            p = with_odds_ratio(p, eng.coordinator_reengage_odds_ratio)
        if draw < p:
            reengage(system, woman, service, "outreach" if outreach else "returned")
            return
    if not rec.engaged:
        rec.closed = True
        system.events.log(woman, "case_closed", service)
        back = _reengaged(rec)
        if not back.triggered:
            back.succeed()


def _reengaged(rec: ServiceRecord) -> simpy.Event:
    """The event of her coming back, which exists from the moment she drops out."""
    if rec.reengaged is None:
        raise RuntimeError("she has not dropped out of this service")
    return rec.reengaged


def _outreach_visit(system: CareSystem, woman: Woman, service: str) -> Generator[Any, Any, None]:
    """An assertive-outreach attempt: staff time spent finding her, whatever the result."""
    spec = system.specs[service]
    rec = woman.record(service)
    staff = system.workforce.services[service]
    post = yield from staff.acquire(rec.named_post if spec.named_worker else None, woman.ended)
    if post is None:
        return
    system.events.log(woman, "outreach", service, "home", resource_id=post.index + 1)
    hours = system.engagement.outreach_hours.sample(woman.durations)
    staff.release_after(post, system.workforce.staff_days(service, hours))


def _engagement_changed(system: CareSystem, woman: Woman, service: str, engaged: bool) -> None:
    """Her standing with a service changes what it gives her: dropping out of drug treatment
    ends her treatment, and coming back restores it only if she had started (a woman still to
    be assessed is not in treatment until she starts)."""
    if service == "drug_treatment":
        woman.set_treatment(system.env.now, engaged and woman.treatment_started)
    else:
        woman.set_navigator(service, engaged)
