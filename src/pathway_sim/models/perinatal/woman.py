"""A woman on the pathway: who she is, and what has happened to her so far."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import simpy

from pathway_sim.core.randomness import Streams, Uniforms
from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.models.perinatal.fates import (
    CIRCUMSTANCES,
    CIRCUMSTANCES_STREAM,
    FATES,
    Circumstance,
    Fate,
)
from pathway_sim.models.perinatal.odds import logistic, logit
from pathway_sim.models.perinatal.schema import PerinatalScenario

PLACEMENTS = ("with_mother", "with_mother_under_plan", "kinship_care", "foster_care")
"""Where the baby lives; the last two are separations (removal)."""


@dataclass(slots=True, eq=False)
class ServiceRecord:
    """Her contacts with one service and her standing with it."""

    active: bool = False
    engaged: bool = True
    closed: bool = False
    misses_in_row: int = 0
    named_post: int | None = None
    last_person: str | None = None
    same_person_streak: int = 0
    first_attended_day: float | None = None
    last_attended_day: float = float("-inf")
    last_contact_day: float | None = None
    scheduled: int = 0
    attended: int = 0
    missed: int = 0
    cancelled: int = 0
    first_attended: int = 0
    first_missed: int = 0
    continuity_breaks: int = 0
    wait_days: float = 0.0
    reengaged: simpy.Event | None = None


@dataclass(slots=True, eq=False)
class Woman:
    """Attributes drawn once from her own stream, then state the pathway changes."""

    id: int
    counted: bool
    arrival_day: float
    known_gestation_weeks: float
    nulliparous: bool
    opioid_use: bool
    in_treatment: bool
    mental_health_need: bool
    housing_unstable: bool
    domestic_abuse: bool
    trauma_history: bool
    previous_removal: bool
    buprenorphine: bool
    """Her substitution medication, if she is (or comes to be) on one: buprenorphine, else
    methadone."""
    rural: bool
    trust: float
    knowledge: float
    hub_weekday: float
    term_gestation_weeks: float
    nas_stay_days: float
    fate: np.ndarray
    born: simpy.Event
    ended: simpy.Event
    contact_draws: np.random.Generator
    durations: np.random.Generator
    in_treatment_at_known: bool = False
    treatment_started: bool = False
    """In treatment when first known, or started since: returning to the drug service puts her
    back in treatment only then (before it, she is still to be assessed)."""
    booking_gestation_weeks: float | None = None
    birth_day: float | None = None
    birth_gestation_weeks: float | None = None
    end_day: float | None = None
    nas_treated: bool = False
    baby_discharge_day: float | None = None
    placement: str = "with_mother"
    placement_at_discharge: str | None = None
    sw_referred: bool = False
    referral_day: float | None = None
    assessment_done_day: float | None = None
    assessment_late: bool = False
    assessment_shortfall: float = 0.0
    assessment_hurried: bool = False
    conference_day: float | None = None
    conference_deadline_day: float | None = None
    conference_late: bool = False
    cp_plan: bool | None = None
    parenting_completed: bool = False
    has_coordinator: bool = False
    has_advocate: bool = False
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    trips: set[tuple[int, str]] = field(default_factory=set)
    travel_hours: float = 0.0
    travel_cost_gbp: float = 0.0
    recent: deque[float] = field(default_factory=deque)
    seen_people: set[str] = field(default_factory=set)
    protection: float = 0.0
    stigmatising: int = 0
    retraumatised: int = 0
    history_retold: int = 0
    handovers: int = 0
    handover_failures: int = 0
    wider_stigma: int = 0
    trust_at_known: float = 0.0
    antenatal_scheduled: int = 0
    antenatal_attended: int = 0
    antenatal_missed: int = 0
    pregnancy_contacts: int = 0
    pregnancy_attended: int = 0
    pregnancy_trips: list[tuple[float, str]] = field(default_factory=list)
    knowledge_at_birth: float | None = None
    trust_at_birth: float | None = None
    network_at_birth: int | None = None
    in_treatment_at_birth: bool | None = None
    treatment_changes: list[tuple[float, bool]] = field(default_factory=list)
    end_state: str | None = None
    removal_days: list[float] = field(default_factory=list)
    return_home_days: list[float] = field(default_factory=list)
    care_placement: str | None = None
    contact_uniforms: Uniforms = field(init=False)
    """Her contact draws, read in blocks from ``contact_draws`` (the same numbers)."""

    def __post_init__(self) -> None:
        self.contact_uniforms = Uniforms(self.contact_draws)

    def gestation(self, day: float) -> float:
        """Weeks of gestation on ``day``."""
        return self.known_gestation_weeks + (day - self.arrival_day) / DAYS_PER_WEEK

    def day_at(self, weeks: float) -> float:
        """The day she reaches ``weeks`` of gestation."""
        return self.arrival_day + (weeks - self.known_gestation_weeks) * DAYS_PER_WEEK

    @property
    def born_day(self) -> float:
        """The day she gave birth; only asked once she has."""
        if self.birth_day is None:
            raise RuntimeError(f"woman {self.id} has not given birth")
        return self.birth_day

    @property
    def follow_up_end_day(self) -> float:
        """The day her follow-up ended; only asked once it has."""
        if self.end_day is None:
            raise RuntimeError(f"woman {self.id} is still being followed up")
        return self.end_day

    def record(self, service: str) -> ServiceRecord:
        rec = self.services.get(service)
        if rec is None:
            rec = self.services[service] = ServiceRecord()
        return rec

    @property
    def separated(self) -> bool:
        return self.placement in ("kinship_care", "foster_care")

    @property
    def removal_day(self) -> float | None:
        """The day her baby was first taken into care, if it was."""
        return self.removal_days[0] if self.removal_days else None

    def care_spells(self, until: float) -> list[tuple[float, float]]:
        """The spells her baby spent in care (removal to return home, or ``until``)."""
        ends = [*self.return_home_days, until]
        return [
            (start, min(end, until)) for start, end in zip(self.removal_days, ends, strict=False)
        ]

    def in_care_on(self, day: float) -> bool:
        """Whether her baby was in care (kinship or foster) on ``day``."""
        if not self.removal_days:
            return False  # never removed: asked at every step of her treatment hazard
        return any(start <= day < end for start, end in self.care_spells(float("inf")))

    def set_navigator(self, service: str, active: bool) -> None:
        """Whether she has the navigator this service gives her now: her care co-ordinator
        or her peer advocate (other services give none)."""
        if service == "care_coordination":
            self.has_coordinator = active
        elif service == "peer_advocacy":
            self.has_advocate = active

    def set_treatment(self, day: float, in_treatment: bool) -> None:
        if in_treatment != self.in_treatment:
            self.in_treatment = in_treatment
            self.treatment_changes.append((day, in_treatment))

    def in_treatment_on(self, day: float) -> bool:
        """Whether she was in drug treatment on ``day`` (of her follow-up)."""
        state = self.in_treatment_at_known
        for change_day, in_treatment in self.treatment_changes:
            if change_day > day:
                break
            state = in_treatment
        return state

    @property
    def opioid_exposure(self) -> str:
        """What opioid her baby was exposed to at birth: ``methadone`` or ``buprenorphine``
        (substitution treatment), ``illicit`` (opioid use out of treatment) or ``none``."""
        if not self.opioid_use:
            return "none"
        if not self.in_treatment_at_birth:
            return "illicit"
        return "buprenorphine" if self.buprenorphine else "methadone"


def draw_woman(
    index: int,
    env: simpy.Environment,
    counted: bool,
    scenario: PerinatalScenario,
    streams: Streams,
) -> Woman:
    """Her attributes, all from her own stream so that every scenario meets the same woman.

    Every draw is made whatever the outcome of earlier draws, so changing one
    probability never shifts the draws behind it. Her contacts and the staff time
    they take draw from her own further streams.
    """
    pop = scenario.population
    rng = streams.get("woman", index)
    arrival_day = env.now
    u = rng.random(FATES)
    early = pop.early_known_gestation_weeks.sample(rng)
    late = pop.late_known_gestation_weeks.sample(rng)
    domestic_abuse = bool(u[Fate.DOMESTIC_ABUSE] < pop.domestic_abuse_probability)
    late_p = late_disclosure_probability(scenario, domestic_abuse)
    known = late if u[Fate.LATE_DISCLOSURE] < late_p else early
    opioid_use = bool(u[Fate.OPIOID_USE] < pop.opioid_use_probability)
    in_treatment = bool(u[Fate.IN_TREATMENT] < in_treatment_probability(scenario, opioid_use))
    c = streams.get(CIRCUMSTANCES_STREAM, index).random(CIRCUMSTANCES)
    woman = Woman(
        id=index,
        counted=counted,
        arrival_day=arrival_day,
        known_gestation_weeks=float(min(max(known, 4.0), 41.0)),
        nulliparous=bool(u[Fate.NULLIPAROUS] < pop.nulliparous_probability),
        opioid_use=opioid_use,
        in_treatment=in_treatment,
        mental_health_need=bool(u[Fate.MENTAL_HEALTH_NEED] < pop.mental_health_need_probability),
        housing_unstable=bool(u[Fate.HOUSING_UNSTABLE] < pop.housing_unstable_probability),
        domestic_abuse=domestic_abuse,
        trauma_history=bool(u[Fate.TRAUMA_HISTORY] < pop.trauma_history_probability),
        previous_removal=bool(c[Circumstance.PREVIOUS_REMOVAL] < pop.previous_removal_probability),
        buprenorphine=bool(c[Circumstance.BUPRENORPHINE] < pop.buprenorphine_share),
        rural=bool(u[Fate.RURAL] < scenario.site.rural_share),
        trust=_unit(pop.initial_trust.sample(rng)),
        knowledge=_unit(pop.initial_knowledge.sample(rng)),
        hub_weekday=float(int(u[Fate.HUB_DAY] * 5)),
        term_gestation_weeks=scenario.birth.term_gestation_weeks.sample(rng),
        nas_stay_days=scenario.birth.nas_stay_days.sample(rng),
        in_treatment_at_known=in_treatment,
        treatment_started=in_treatment,
        fate=u,
        born=env.event(),
        ended=env.event(),
        contact_draws=streams.get("contacts", index),
        durations=streams.get("durations", index),
    )
    woman.treatment_changes.append((arrival_day, in_treatment))
    return woman


def in_treatment_probability(scenario: PerinatalScenario, opioid_use: bool) -> float:
    """Her chance of being in drug treatment when first known, by substance group: opioid
    substitution reaches opioid users far more often than treatment reaches other users."""
    pop = scenario.population
    return pop.opioid_in_treatment_probability if opioid_use else pop.other_in_treatment_probability


def late_disclosure_probability(scenario: PerinatalScenario, domestic_abuse: bool) -> float:
    """Her chance of telling services late: fear of surveillance and child removal delays
    disclosure, less where services are trusted (trained staff, co-produced information, a
    hub in the community); domestic abuse delays it further."""
    pop, iv = scenario.population, scenario.interventions
    fear = (
        (1 - pop.training_fear_reduction * iv.training_coverage)
        * (1 - pop.coproduced_fear_reduction * iv.coproduced_information)
        * (1 - pop.hub_fear_reduction * iv.co_located_hub)
    )
    x = logit(pop.late_disclosure_probability) + pop.disclosure_fear_log_odds * fear
    if domestic_abuse:
        x += pop.disclosure_domestic_abuse_log_odds
    return logistic(x)


def _unit(x: float) -> float:
    return min(max(x, 0.0), 1.0)
