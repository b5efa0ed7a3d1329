"""What a contact reads that is fixed for the replication, worked out once.

A contact's chance of attending adds many fixed terms on the log-odds scale
(``log(OR)`` of each lever, the logit of each service's reference probability,
the travel term of each trip), and each service's contacts have a usual place, a
knowledge gain and event names. They depend on the scenario alone, so they are
computed here once rather than at each of the tens of thousands of contacts of a
replication; the arithmetic is the same, so the results are identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pathway_sim.engine.service import Service
from pathway_sim.models.perinatal.odds import logit
from pathway_sim.models.perinatal.schema import PerinatalScenario, ServiceSpec, Travel

TRIP_PLACES = ("hospital", "community", "drug_service", "social_work_office", "hub")
"""Places she travels to; a hub is reached like a community venue."""
NOT_TRAVELLED = ("home", "remote")
"""Where a contact happens without a trip: a home visit, or by phone or video."""


@dataclass(frozen=True, slots=True)
class TripTerms:
    """One trip as the attendance model and her travel record see it."""

    log_odds: float
    hours: float
    cost_gbp: float


@dataclass(frozen=True, slots=True)
class AttendanceTerms:
    """The fixed log-odds terms of the attendance model for one scenario."""

    base_logit: dict[str, float]
    trips: dict[tuple[bool, str], TripTerms]
    burden_factor: float | None
    coproduced: float
    known_worker: float
    reminder: float | None
    hub: float
    remote: float
    coordinator: float
    advocate: float
    fear: float


def attendance_terms(scenario: PerinatalScenario, specs: dict[str, ServiceSpec]) -> AttendanceTerms:
    """The terms for ``scenario``'s services (those in ``specs``)."""
    a, iv = scenario.attendance, scenario.interventions
    site = scenario.site
    return AttendanceTerms(
        base_logit={name: logit(spec.attendance_probability) for name, spec in specs.items()},
        trips={
            (rural, place): _trip_terms(scenario, travel, place)
            for rural, travel in ((False, site.urban), (True, site.rural))
            for place in TRIP_PLACES
        },
        burden_factor=1 - a.coproduced_burden_reduction if iv.coproduced_information else None,
        coproduced=math.log(a.coproduced_odds_ratio),
        known_worker=math.log(a.known_worker_odds_ratio),
        reminder=math.log(a.reminder_odds_ratio) if iv.text_reminders else None,
        hub=math.log(a.hub_odds_ratio),
        remote=math.log(a.remote_odds_ratio),
        coordinator=math.log(a.coordinator_odds_ratio),
        advocate=math.log(a.advocate_odds_ratio),
        fear=a.fear_log_odds * (1 - iv.training_coverage),
    )


def _trip_terms(scenario: PerinatalScenario, travel: Travel, place: str) -> TripTerms:
    a, help_ = scenario.attendance, scenario.interventions.transport_help
    trip = travel.trip("community" if place == "hub" else place)
    if trip is None:
        raise ValueError(f"no trip to {place!r}")
    hours = trip.hours * (1 - a.transport_travel_reduction) if help_ else trip.hours
    cost = 0.0 if help_ else trip.cost_gbp
    return TripTerms(
        log_odds=a.travel_log_odds_per_hour * hours + a.cost_log_odds_per_gbp * cost,
        hours=trip.hours,
        cost_gbp=cost,
    )


@dataclass(frozen=True, slots=True)
class ContactTerms:
    """What a contact with one service reads that is fixed for the replication."""

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


def contact_terms(
    scenario: PerinatalScenario, specs: dict[str, ServiceSpec], staff: dict[str, Service]
) -> dict[str, ContactTerms]:
    """The terms of each of ``scenario``'s services (those in ``specs``, staffed by ``staff``)."""
    eng, iv = scenario.engagement, scenario.interventions
    terms = {}
    for service, spec in specs.items():
        gain = eng.knowledge_gain_navigator if spec.navigator else eng.knowledge_gain
        if iv.coproduced_information:
            gain *= eng.coproduced_knowledge_multiplier
        terms[service] = ContactTerms(
            spec=spec,
            staff=staff[service],
            place=usual_place(spec, iv.co_located_hub),
            remote_possible=spec.remote_eligible and iv.flexible_contact,
            hub_aligned=iv.co_located_hub and spec.hub_hosted,
            knowledge_gain=gain,
            wait_begins=f"{service}_wait_begins",
            begins=f"{service}_begins",
            ends=f"{service}_ends",
        )
    return terms


def usual_place(spec: ServiceSpec, hub: bool) -> str:
    """Where the service's contacts happen: its location, or the hub when there is one and
    the service is hosted there (home visits stay at home)."""
    if hub and spec.hub_hosted and spec.location != "home":
        return "hub"
    return spec.location
