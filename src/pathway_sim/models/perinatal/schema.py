"""The perinatal pathway scenario: every parameter, with its unit and default.

Defaults are the built-in base scenario. Where they come from (source, range,
status) is in the parameter register (``pathway-sim params``); effect sizes are
on the model's scales: odds ratios multiply the odds of attending a contact
(they add ``log(OR)`` on the log-odds scale), relative risks multiply a
probability, hazard multipliers multiply a rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, TypeAdapter, model_validator

from pathway_sim.core.distributions import Distribution
from pathway_sim.core.schema import Probability, RunSettings, Strict
from pathway_sim.models.perinatal.cost_schema import Costs
from pathway_sim.models.perinatal.toc import KEY_REQUIREMENTS

Location = Literal["hospital", "community", "drug_service", "social_work_office", "home"]
"""Where a contact happens. Home visits cost the woman no trip."""

# The key requirements' ids have one home, the ToC's table (``toc.KEY_REQUIREMENTS``);
# pydantic checks them as a Literal built from it, which a type checker reads as a str.
if TYPE_CHECKING:
    KeyRequirement = str
else:
    KeyRequirement = Literal[tuple(KEY_REQUIREMENTS)]


def P(default: Any, unit: str, description: str, **constraints: Any) -> Any:
    """A parameter field: its default, unit and meaning (shown by ``pathway-sim schema``)."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


_DISTRIBUTION = TypeAdapter(Distribution)


def dist(**params: Any) -> Any:
    """A distribution default, e.g. ``dist(dist="gamma", mean=1.5, sd=0.5)``."""
    return _DISTRIBUTION.validate_python(params)


# --- run, population, site -------------------------------------------------------------------


class PathwayRun(RunSettings):
    """Warm-up: women who become known before it ends load the services but are not counted."""

    warmup_days: float = P(
        180.0, "days", "Days of arrivals simulated before women are counted.", ge=0
    )


class Population(Strict):
    """Who becomes known to services, how often and with what needs."""

    women_per_year: float = P(
        100.0, "women/year", "Pregnant women becoming known to the services per year.", gt=0
    )
    cohort_days: float = P(
        365.0, "days", "Window after the warm-up in which arriving women are counted.", gt=0
    )
    late_disclosure_probability: Probability = P(
        0.15,
        "probability",
        "Chance that services first learn of the pregnancy after 20 weeks, without fear of "
        "surveillance and without domestic abuse.",
    )
    disclosure_fear_log_odds: float = P(
        1.0,
        "log-odds",
        "Shift in late disclosure at full fear of surveillance and child removal (no service "
        "trusted: untrained staff, no co-produced information, no community hub).",
        ge=0,
    )
    disclosure_domestic_abuse_log_odds: float = P(
        0.4, "log-odds", "Shift in late disclosure with domestic abuse.", ge=0
    )
    training_fear_reduction: Probability = P(
        0.5, "proportion", "Share of that fear removed where all staff are trauma-informed trained."
    )
    coproduced_fear_reduction: Probability = P(
        0.3,
        "proportion",
        "Share of the remaining fear removed by co-produced information about services (KR3).",
    )
    hub_fear_reduction: Probability = P(
        0.2, "proportion", "Share of the remaining fear removed by a community hub."
    )
    early_known_gestation_weeks: Distribution = P(
        dist(dist="lognormal", mean=9.0, sd=3.0),
        "weeks",
        "Gestation when services learn of the pregnancy, for women who disclose early.",
    )
    late_known_gestation_weeks: Distribution = P(
        dist(dist="triangular", low=20.0, mode=23.0, high=34.0),
        "weeks",
        "Gestation when services learn of the pregnancy, for women who disclose late.",
    )
    nulliparous_probability: Probability = P(0.35, "probability", "Chance of a first pregnancy.")
    opioid_use_probability: Probability = P(
        0.7,
        "probability",
        "Chance that opioids are among the substances used (baby at risk of withdrawal).",
    )
    opioid_in_treatment_probability: Probability = P(
        0.7,
        "probability",
        "Chance that a woman who uses opioids is in drug treatment (opioid substitution) when "
        "services learn of the pregnancy.",
    )
    other_in_treatment_probability: Probability = P(
        0.3,
        "probability",
        "Chance that a woman who uses no opioids is in drug treatment when services learn of "
        "the pregnancy.",
    )
    buprenorphine_share: Probability = P(
        0.3,
        "proportion",
        "Share of women on opioid substitution who take buprenorphine rather than methadone.",
    )
    previous_removal_probability: Probability = P(
        0.3,
        "probability",
        "Chance that she has had a child removed from her care before (care proceedings).",
    )
    mental_health_need_probability: Probability = P(
        0.45, "probability", "Chance of a mental-health need warranting specialist care."
    )
    housing_unstable_probability: Probability = P(0.3, "probability", "Chance of unstable housing.")
    domestic_abuse_probability: Probability = P(
        0.3, "probability", "Chance of current domestic abuse."
    )
    trauma_history_probability: Probability = P(
        0.7, "probability", "Chance of a history of trauma."
    )
    initial_trust: Distribution = P(
        dist(dist="triangular", low=0.1, mode=0.5, high=0.9),
        "index 0-1",
        "Trust in services when first known (0 none, 1 complete).",
    )
    initial_knowledge: Distribution = P(
        dist(dist="uniform", low=0.1, high=0.5),
        "index 0-1",
        "Knowledge of how the systems work and what is expected of her.",
    )


class Trip(Strict):
    """A return trip from home to a location."""

    hours: float = P(1.0, "hours", "Door-to-door return travel time.", ge=0)
    cost_gbp: float = P(4.0, "GBP", "Return fare or fuel.", ge=0)


class Travel(Strict):
    """Trips from home to each kind of location (community also stands for a hub)."""

    hospital: Trip = Trip(hours=1.5, cost_gbp=5.0)
    community: Trip = Trip(hours=0.75, cost_gbp=2.0)
    drug_service: Trip = Trip(hours=1.0, cost_gbp=4.0)
    social_work_office: Trip = Trip(hours=1.0, cost_gbp=4.0)

    def trip(self, location: str) -> Trip | None:
        return None if location == "home" else getattr(self, location)


class Site(Strict):
    """The site archetype: geography and the national rules that differ."""

    archetype: str = P("generic", "label", "Which study setting the numbers describe.")
    nation: Literal["england", "scotland"] = P("england", "label", "Which national rules apply.")
    rural_share: Probability = P(0.15, "proportion", "Share of women living far from services.")
    urban: Travel = Travel()
    rural: Travel = Travel(
        hospital=Trip(hours=4.0, cost_gbp=25.0),
        community=Trip(hours=1.5, cost_gbp=8.0),
        drug_service=Trip(hours=3.0, cost_gbp=15.0),
        social_work_office=Trip(hours=2.5, cost_gbp=12.0),
    )


# --- services --------------------------------------------------------------------------------


class ServiceSpec(Strict):
    """Staff posts, their time for this group of women, and how contacts go."""

    available: bool = P(True, "switch", "Whether the site has this service at all.")
    staff: int = P(2, "posts", "Staff posts serving these women.", gt=0)
    added_posts: int = P(
        0,
        "posts",
        "Posts a staffing intervention adds on top of `staff` (so it carries across sites).",
        ge=0,
    )
    hours_per_week: float = P(
        20.0,
        "hours/week per post",
        "Working hours per post available for these women.",
        gt=0,
        le=60,
    )
    contact_hours: Distribution = P(
        dist(dist="gamma", mean=1.5, sd=0.5),
        "staff hours",
        "Staff time per contact, preparation, travel and notes included.",
    )
    attendance_probability: Probability = P(
        0.75,
        "probability",
        "Chance of attending at reference conditions "
        "(trust and knowledge 0.5, no travel, no burden).",
    )
    location: Location = P("community", "label", "Where contacts happen.")
    named_worker: bool = P(
        True,
        "switch",
        "Each woman has a named worker who gives all her contacts (else whoever is free).",
    )
    turnover_per_year: float = P(0.15, "rate/year", "Rate at which a post's holder leaves.", ge=0)
    vacancy_days: float = P(
        90.0, "days", "Mean days a post stays empty after its holder leaves.", ge=0
    )
    stigma_probability: Probability = P(
        0.015, "probability", "Chance that a contact with untrained staff is stigmatising."
    )
    remote_eligible: bool = P(
        False,
        "switch",
        "Whether flexible contact can make some of these contacts by phone or video.",
    )

    @property
    def posts(self) -> int:
        """Posts in all: the establishment plus any added by an intervention."""
        return self.staff + self.added_posts

    rebook_days: float = P(
        7.0, "days", "Days until a missed first appointment is offered again.", gt=0
    )
    hub_hosted: bool = P(
        False,
        "switch",
        "Whether its clinic contacts move to the co-located hub when the site has one "
        "(home visits stay at home).",
    )
    navigator: bool = P(
        False,
        "switch",
        "Whether it guides her through the other services, so that its contacts teach her "
        "more (engagement.knowledge_gain_navigator).",
    )
    third_sector: bool = P(
        False,
        "switch",
        "Whether short-term grants fund it, which can lapse and restart (ToC: short-term "
        "funding; preconditions.funded_spell_days, funding_gap_days).",
    )
    funding_end_day: float | None = P(
        None,
        "days",
        "Day (from the start of the run) funding ends and the service stops; none: never.",
    )


class Midwifery(ServiceSpec):
    """Specialist and community midwives: booking, antenatal and postnatal contacts."""

    booking_target_days: float = P(
        14.0,
        "days",
        "Days from first contact to the booking appointment (NICE: within 2 weeks).",
        ge=0,
    )
    booking_hours: Distribution = P(
        dist(dist="gamma", mean=2.0, sd=0.5), "staff hours", "Staff time for a booking appointment."
    )
    nulliparous_weeks: list[float] = P(
        [16, 25, 28, 31, 34, 36, 38, 40, 41],
        "weeks",
        "Routine antenatal contacts, first pregnancy (NICE).",
    )
    parous_weeks: list[float] = P(
        [16, 28, 34, 36, 38, 41], "weeks", "Routine antenatal contacts, parous (NICE)."
    )
    specialist_weeks: list[float] = P(
        [20, 24, 32], "weeks", "Extra specialist-midwife contacts for women who use drugs."
    )
    postnatal_days: list[float] = P(
        [1, 5, 10, 21, 28],
        "days after discharge",
        "Community midwife contacts after discharge home.",
    )


class Ultrasound(ServiceSpec):
    """Scans: dating, anomaly and serial growth scans."""

    scan_weeks: list[float] = P(
        [12, 20, 28, 32, 36], "weeks", "Scans offered (dating, anomaly, growth)."
    )
    dating_scan_by_weeks: float = P(
        14.0,
        "weeks",
        "Scans due by this gestation are dating scans, offered only to a woman booked by then.",
        gt=0,
    )
    anomaly_scan_by_weeks: float = P(
        22.0,
        "weeks",
        "Later scans due by this gestation are anomaly scans, offered only to a woman booked "
        "by then; scans after it are growth scans, offered to all.",
        gt=0,
    )


class DrugTreatment(ServiceSpec):
    """Assessment, prescribing reviews and key-worker contacts."""

    referral_probability: Probability = P(
        0.7, "probability", "Chance a woman not in treatment is referred for assessment at booking."
    )
    assessment_target_days: float = P(
        21.0, "days", "Target days from referral to assessment.", ge=0
    )
    assessment_hours: Distribution = P(
        dist(dist="gamma", mean=2.5, sd=0.75),
        "staff hours",
        "Staff time for a treatment assessment.",
    )
    start_probability: Probability = P(
        0.8, "probability", "Chance of starting treatment after an attended assessment."
    )
    keyworker_interval_days: float = P(14.0, "days", "Days between key-worker contacts.", gt=0)
    review_interval_days: float = P(28.0, "days", "Days between prescribing reviews.", gt=0)
    stop_per_year_pregnant: float = P(
        0.12,
        "rate/year",
        "Rate of stopping treatment during pregnancy, apart from disengaging.",
        ge=0,
    )
    stop_per_year_postpartum: float = P(
        0.4, "rate/year", "Rate of stopping treatment after birth, apart from disengaging.", ge=0
    )
    entry_per_year_pregnant: float = P(
        0.5,
        "rate/year",
        "Rate at which a woman out of treatment in pregnancy comes forward (or is referred again) "
        "for assessment, after the referral when she first became known.",
        ge=0,
    )
    entry_per_year_postpartum: float = P(
        0.2,
        "rate/year",
        "Rate at which a woman out of treatment after birth comes forward for assessment.",
        ge=0,
    )
    removal_stop_multiplier: float = P(
        2.0, "hazard ratio", "Rate of stopping treatment while her baby is in care.", gt=0
    )


class SocialWork(ServiceSpec):
    """Pre-birth assessment, child-protection conference, core groups and visits."""

    assessment_visits: int = P(3, "contacts", "Visits that make up a pre-birth assessment.", ge=1)
    assessment_hours: Distribution = P(
        dist(dist="gamma", mean=5.0, sd=1.5),
        "staff hours",
        "Staff time per assessment visit with write-up.",
    )
    allocation_days: float = P(
        7.0, "days", "Days from referral to the first assessment visit.", ge=0
    )
    visit_interval_days: float = P(7.0, "days", "Days between assessment visits.", gt=0)
    conference_hours: Distribution = P(
        dist(dist="gamma", mean=6.0, sd=1.5),
        "staff hours",
        "Social-worker time to prepare and attend a conference.",
    )
    conference_notice_days: float = P(
        10.0, "days", "Days from completed assessment to the conference being convened.", ge=0
    )
    core_group_interval_days: float = P(
        28.0, "days", "Days between core groups under a child-protection plan.", gt=0
    )
    plan_visit_interval_days: float = P(
        14.0, "days", "Days between visits under a child-protection plan.", gt=0
    )
    assessment_offers_per_visit: int = P(
        2,
        "contacts per visit",
        "Most assessment visits offered for each one the plan needs (missed visits are "
        "offered again while the deadline allows).",
        ge=1,
    )


class MentalHealth(ServiceSpec):
    """Specialist perinatal mental health, where the site has it."""

    referral_probability: Probability = P(
        0.8, "probability", "Chance a woman with mental-health need is referred at booking."
    )
    assessment_target_days: float = P(
        28.0, "days", "Target days from referral to first assessment.", ge=0
    )
    contact_interval_days: float = P(21.0, "days", "Days between follow-up contacts.", gt=0)
    discharge_days_after_birth: float = P(
        180.0, "days", "Care continues until this many days after birth.", ge=0
    )


class HealthVisiting(ServiceSpec):
    """Health visitors: an antenatal contact, then the first-year schedule."""

    antenatal_weeks: list[float] = P([28], "weeks", "Antenatal health-visitor contacts.")
    postnatal_days: list[float] = P(
        [12, 42, 300],
        "days after birth",
        "Postnatal contacts in the first year (England's mandated visits).",
    )


class PeerAdvocacy(ServiceSpec):
    """Third-sector peer support and advocacy, which can end when funding ends."""

    uptake_probability: Probability = P(
        0.5, "probability", "Chance a woman offered peer support takes it up."
    )
    contact_interval_days: float = P(21.0, "days", "Days between contacts.", gt=0)


class ParentingSupport(ServiceSpec):
    """Practical parenting support after birth, for mothers caring for their baby."""

    start_days_after_birth: float = P(21.0, "days", "When sessions start after birth.", ge=0)
    sessions: int = P(8, "contacts", "Sessions in the programme.", ge=1)
    interval_days: float = P(7.0, "days", "Days between sessions.", gt=0)
    completion_share: Probability = P(
        0.75, "proportion", "Share of the sessions she must attend to complete the programme."
    )


class PostRemovalSupport(ServiceSpec):
    """Support for a mother whose baby is removed (Pause-like)."""

    contact_interval_days: float = P(14.0, "days", "Days between contacts.", gt=0)
    duration_days: float = P(180.0, "days", "How long support lasts after removal.", gt=0)


class CareCoordination(ServiceSpec):
    """A care co-ordinator who aligns appointments and helps her navigate services."""

    contact_interval_days: float = P(14.0, "days", "Days between co-ordinator contacts.", gt=0)


class Services(Strict):
    """Every service on the pathway; switch one off with ``available: false``."""

    midwifery: Midwifery = Midwifery(
        staff=4,
        hours_per_week=30.0,
        location="hospital",
        named_worker=False,
        attendance_probability=0.78,
        turnover_per_year=0.14,
        stigma_probability=0.02,
        hub_hosted=True,
    )
    ultrasound: Ultrasound = Ultrasound(
        staff=2,
        hours_per_week=6.0,
        location="hospital",
        named_worker=False,
        contact_hours=dist(dist="gamma", mean=0.5, sd=0.15),
        attendance_probability=0.8,
        turnover_per_year=0.1,
        stigma_probability=0.01,
    )
    drug_treatment: DrugTreatment = DrugTreatment(
        staff=4,
        hours_per_week=25.0,
        location="drug_service",
        named_worker=True,
        attendance_probability=0.75,
        turnover_per_year=0.2,
        stigma_probability=0.015,
        remote_eligible=True,
        hub_hosted=True,
    )
    social_work: SocialWork = SocialWork(
        staff=6,
        hours_per_week=20.0,
        location="home",
        named_worker=True,
        contact_hours=dist(dist="gamma", mean=2.5, sd=0.75),
        attendance_probability=0.75,
        turnover_per_year=0.159,
        vacancy_days=120.0,
        stigma_probability=0.03,
    )
    mental_health: MentalHealth = MentalHealth(
        staff=2,
        hours_per_week=15.0,
        location="hospital",
        named_worker=True,
        attendance_probability=0.805,
        turnover_per_year=0.12,
        stigma_probability=0.01,
        remote_eligible=True,
        hub_hosted=True,
    )
    health_visiting: HealthVisiting = HealthVisiting(
        staff=3,
        hours_per_week=8.0,
        location="home",
        named_worker=True,
        attendance_probability=0.85,
        turnover_per_year=0.12,
        stigma_probability=0.015,
    )
    peer_advocacy: PeerAdvocacy = PeerAdvocacy(
        staff=2,
        hours_per_week=25.0,
        location="community",
        named_worker=True,
        attendance_probability=0.75,
        turnover_per_year=0.3,
        stigma_probability=0.0,
        remote_eligible=True,
        hub_hosted=True,
        navigator=True,
        third_sector=True,
    )
    parenting_support: ParentingSupport = ParentingSupport(
        available=False,
        staff=1,
        hours_per_week=15.0,
        location="community",
        attendance_probability=0.7,
        turnover_per_year=0.25,
        stigma_probability=0.01,
        hub_hosted=True,
        third_sector=True,
    )
    post_removal_support: PostRemovalSupport = PostRemovalSupport(
        available=False,
        staff=1,
        hours_per_week=15.0,
        location="community",
        attendance_probability=0.65,
        turnover_per_year=0.25,
        stigma_probability=0.0,
        remote_eligible=True,
        hub_hosted=True,
        third_sector=True,
    )
    care_coordination: CareCoordination = CareCoordination(
        available=False,
        staff=2,
        hours_per_week=30.0,
        location="home",
        contact_hours=dist(dist="gamma", mean=1.0, sd=0.3),
        attendance_probability=0.85,
        turnover_per_year=0.15,
        stigma_probability=0.0,
        remote_eligible=True,
        hub_hosted=True,
        navigator=True,
    )


# --- levers and mechanisms --------------------------------------------------------------------


class Interventions(Strict):
    """Cross-service levers of the Theory of Change key requirements (KR1-KR8)."""

    training_coverage: Probability = P(
        0.3, "proportion", "Share of staff trained in trauma-informed care (KR1)."
    )
    shared_records: bool = P(
        False, "switch", "Shared records and joint care planning across services (KR2)."
    )
    coproduced_information: bool = P(
        False, "switch", "Schedules and information co-produced with women: clearer, lighter (KR3)."
    )
    supervision: bool = P(
        False, "switch", "Clinical supervision for staff, which lowers turnover (KR4)."
    )
    co_located_hub: bool = P(
        False,
        "switch",
        "A community one-stop hub hosting antenatal, drug, mental-health and support contacts "
        "(KR5, KR6).",
    )
    transport_help: bool = P(
        False, "switch", "Fares paid and lifts arranged for trips to appointments (KR6)."
    )
    flexible_contact: bool = P(
        False, "switch", "Some contacts by phone or video, and texting (KR6, KR8)."
    )
    relational_care: bool = P(
        False,
        "switch",
        "Time to build relationships: longer contacts, kinder and less stigmatising (KR7).",
    )
    text_reminders: bool = P(False, "switch", "Text reminders before appointments (KR8).")
    assertive_outreach: bool = P(
        False, "switch", "Assertive outreach to re-engage women who drop out (KR8)."
    )
    keep_together_postnatally: bool = P(
        False, "switch", "Mother and baby kept together on the ward during withdrawal care (KR5)."
    )
    sustained_training: bool = P(
        False,
        "switch",
        "Training commissioned as a standing programme: staff who join are trained at the "
        "coverage too, so turnover does not erode it (KR1).",
    )
    stable_funding: bool = P(
        False,
        "switch",
        "Third-sector services funded on stable, long-term contracts: no lapses (KR1).",
    )


class Attendance(Strict):
    """How the chance of attending a contact shifts: terms added on the log-odds scale."""

    trust_log_odds: float = P(2.0, "log-odds per unit", "Shift per unit of trust above 0.5.")
    knowledge_log_odds: float = P(
        1.0, "log-odds per unit", "Shift per unit of knowledge above 0.5."
    )
    travel_log_odds_per_hour: float = P(
        -0.2, "log-odds per hour", "Shift per hour of return travel.", le=0
    )
    cost_log_odds_per_gbp: float = P(
        -0.02, "log-odds per GBP", "Shift per pound of travel cost.", le=0
    )
    burden_log_odds_per_contact: float = P(
        -0.15,
        "log-odds per contact",
        "Shift per other contact in the burden window (burden_window_days).",
        le=0,
    )
    burden_window_days: float = P(
        7.0, "days", "How far back her other contacts count towards her appointment burden.", gt=0
    )
    fear_log_odds: float = P(
        -0.3,
        "log-odds",
        "Shift while social work is involved (fear of removal), untrained staff.",
        le=0,
    )
    known_worker_odds_ratio: float = P(
        1.3, "odds ratio", "Contact with a worker she already knows.", gt=0
    )
    reminder_odds_ratio: float = P(1.76, "odds ratio", "Text reminder sent.", gt=0)
    hub_odds_ratio: float = P(
        1.5, "odds ratio", "Contact at a co-located hub, beyond its shorter trip.", gt=0
    )
    coordinator_odds_ratio: float = P(
        1.3, "odds ratio", "She has an active care co-ordinator.", gt=0
    )
    advocate_odds_ratio: float = P(
        1.2, "odds ratio", "She has an active peer supporter or advocate.", gt=0
    )
    coproduced_odds_ratio: float = P(
        1.15, "odds ratio", "Co-produced, clear schedules and information.", gt=0
    )
    remote_odds_ratio: float = P(
        1.5, "odds ratio", "Contact by phone or video instead of in person.", gt=0
    )
    remote_share: Probability = P(
        0.3, "proportion", "Share of eligible contacts made remotely with flexible contact."
    )
    transport_travel_reduction: Probability = P(
        0.5, "proportion", "Share of the travel-time penalty removed by transport help."
    )
    coproduced_burden_reduction: Probability = P(
        0.3, "proportion", "Share of the burden penalty removed by co-produced schedules."
    )


class Engagement(Strict):
    """Trust, knowledge and dropping out: how experiences change engagement."""

    trust_gain_attended: float = P(
        0.02, "trust units", "Gain after an attended contact.", ge=0, le=1
    )
    trust_gain_known_worker: float = P(
        0.03, "trust units", "Extra gain when she sees a worker she knows.", ge=0, le=1
    )
    trust_gain_relational: float = P(
        0.02, "trust units", "Extra gain per contact with relational care.", ge=0, le=1
    )
    trust_loss_missed: float = P(0.02, "trust units", "Loss after a missed contact.", ge=0, le=1)
    trust_loss_stigma: float = P(
        0.2, "trust units", "Loss after a stigmatising contact.", ge=0, le=1
    )
    trust_loss_retraumatised: float = P(
        0.1, "trust units", "Loss after a re-traumatising event.", ge=0, le=1
    )
    trust_loss_removal: float = P(0.3, "trust units", "Loss when her baby is removed.", ge=0, le=1)
    knowledge_gain: float = P(
        0.04, "knowledge units", "Gain towards 1 after an attended contact.", ge=0, le=1
    )
    knowledge_gain_navigator: float = P(
        0.08, "knowledge units", "Gain after a co-ordinator or advocate contact.", ge=0, le=1
    )
    coproduced_knowledge_multiplier: float = P(
        2.0, "multiplier", "Knowledge gains with co-produced information.", ge=1
    )
    misses_to_disengage: int = P(
        3, "contacts", "Consecutive misses after which she drops out of a service.", ge=1
    )
    reengage_delay_days: float = P(28.0, "days", "Days between attempts to re-engage her.", gt=0)
    reengage_attempts: int = P(
        3, "attempts", "Attempts to re-engage before the service closes her case.", ge=0
    )
    reengage_probability: Probability = P(
        0.15, "probability", "Chance an ordinary attempt re-engages her."
    )
    outreach_reengage_probability: Probability = P(
        0.4, "probability", "Chance an assertive-outreach attempt re-engages her."
    )
    outreach_hours: Distribution = P(
        dist(dist="gamma", mean=2.0, sd=0.5),
        "staff hours",
        "Staff time per assertive-outreach attempt.",
    )
    coordinator_reengage_odds_ratio: float = P(
        1.5, "odds ratio", "Re-engagement odds with an active co-ordinator or advocate.", gt=0
    )


class HostileCare(Strict):
    """Stigma, repeated history and re-traumatisation."""

    training_stigma_reduction: Probability = P(
        0.6, "proportion", "Relative reduction of stigma by a trauma-informed trained worker."
    )
    relational_stigma_reduction: Probability = P(
        0.3, "proportion", "Relative reduction of stigma with relational care."
    )
    relational_time_multiplier: float = P(
        1.25, "multiplier", "Staff time per contact with relational care.", ge=1
    )
    retell_probability_new_service: Probability = P(
        0.9,
        "probability",
        "Chance she must tell her history to the first worker of a service, no shared records.",
    )
    retell_probability_same_service: Probability = P(
        0.4,
        "probability",
        "Chance she must tell it again to a new worker of a service that knows her "
        "(its notes travel), no shared records.",
    )
    retell_probability_shared_records: Probability = P(
        0.2,
        "probability",
        "Chance she must still tell her history to a new worker with shared records.",
    )
    retell_retraumatise_probability: Probability = P(
        0.03,
        "probability",
        "Chance that telling her history again re-traumatises (no trauma history).",
    )
    known_worker_stigma_reduction: Probability = P(
        0.7,
        "proportion",
        "Relative reduction of a contact's stigma chance when she already knows the worker.",
    )
    stigma_retraumatise_probability: Probability = P(
        0.8, "probability", "Chance a stigmatising contact re-traumatises her (no protection)."
    )
    relationship_protection: Probability = P(
        0.7,
        "proportion",
        "Relative reduction of re-traumatisation when good contacts have fully protected her.",
    )
    protection_gain_good_contact: Probability = P(
        0.1,
        "proportion",
        "Share of the remaining protection a good contact (known worker, no stigma) adds.",
    )
    trauma_history_multiplier: float = P(
        2.0, "multiplier", "Re-traumatisation risk with a trauma history.", ge=1
    )
    core_group_retraumatise_probability: Probability = P(
        0.1, "probability", "Chance a core group meeting re-traumatises her."
    )
    ward_stigma_probability: Probability = P(
        0.1,
        "probability",
        "Chance her birth admission brings a stigmatising encounter, untrained ward staff.",
    )
    conference_retraumatise_probability: Probability = P(
        0.3, "probability", "Chance a conference where her history is shared re-traumatises her."
    )
    advocate_conference_reduction: Probability = P(
        0.5, "proportion", "Relative reduction of that chance when an advocate supports her."
    )
    training_retraumatise_reduction: Probability = P(
        0.4, "proportion", "Relative reduction of re-traumatisation where all staff are trained."
    )
    handover_failure_probability: Probability = P(
        0.2,
        "probability",
        "Chance a hand-over (hospital to community) fails without shared records.",
    )
    handover_failure_probability_shared: Probability = P(
        0.05, "probability", "Chance a hand-over fails with shared records."
    )
    handover_delay_days: float = P(
        7.0, "days", "Delay to the first community contact after a failed hand-over.", ge=0
    )
    supervision_turnover_multiplier: float = P(
        0.7, "multiplier", "Turnover with clinical supervision.", gt=0, le=1
    )


class Preconditions(Strict):
    """How much each lever's effect depends on the others (the ToC's preconditions).

    ``strength`` 0 leaves every lever an independent log-odds switch; 1 is the Theory of
    Change as written: relational care needs time and training, training is a stock that
    turnover erodes, the wider team can undo specialist work, third-sector funding lapses,
    and what the next professional knows depends on records and a co-ordinator.
    """

    strength: Probability = P(
        1.0, "weight", "How strongly the preconditions couple the levers: 0 off, 1 as the ToC."
    )
    relational_slack_power: float = P(
        2.0,
        "exponent",
        "Relational care's effect scales with slack (1 - workload pressure) to this power.",
        ge=0,
    )
    relational_untrained_share: Probability = P(
        0.3, "proportion", "Share of relational care's effect an untrained worker can give."
    )
    newcomer_training_probability: Probability = P(
        0.3,
        "probability",
        "Chance a worker who joins is already trained, without sustained training.",
    )
    wider_team_turnover_per_year: float = P(
        0.15,
        "rate/year",
        "Turnover of the wider team (ward, GP, pharmacy, duty social work), eroding its training.",
        ge=0,
    )
    pharmacy_contacts_per_week: float = P(
        1.0,
        "contacts/week",
        "Wider-team contacts at the community pharmacy while in opioid treatment "
        "(supervised dispensing).",
        ge=0,
    )
    gp_contacts_per_week: float = P(
        0.1, "contacts/week", "Wider-team contacts with her GP practice.", ge=0
    )
    duty_social_work_contacts_per_week: float = P(
        0.1,
        "contacts/week",
        "Wider-team contacts with duty social workers while social work is involved.",
        ge=0,
    )
    wider_stigma_probability: Probability = P(
        0.04, "probability", "Chance a wider-team contact with an untrained worker stigmatises."
    )
    wider_stigma_undo_share: Probability = P(
        0.5,
        "proportion",
        "Share of the trust she built above where she started, and of her protection, "
        "that a stigmatising wider-team contact undoes.",
    )
    hostile_system_floor: Probability = P(
        0.3,
        "proportion",
        "Share of a hub's and co-ordinator's attendance effect left in a wholly untrained "
        "wider team (all of it where the wider team is all trained).",
    )
    funded_spell_days: float = P(
        730.0, "days", "Mean length of a third-sector service's funded spell.", gt=0
    )
    funding_gap_days: float = P(
        120.0, "days", "Mean gap before a lapsed third-sector service is funded again.", ge=0
    )
    coordinator_retell_reduction: Probability = P(
        0.5,
        "proportion",
        "Relative reduction of retelling when her co-ordinator carries her story.",
    )


class Capacity(Strict):
    """How waiting, workload, vacancies and deadlines shape care.

    A wait is the time from the day a contact was due (a first appointment: the
    day it was first offered) to the day it happens; only the part beyond
    ``wait_grace_days`` costs her anything. Workload is a service's utilisation
    over the last ``workload_window_days``; pressure is how far it runs above
    ``workload_threshold``, scaled to 0-1 at full utilisation.
    """

    wait_grace_days: float = P(
        7.0, "days", "Delay beyond a contact's due day that costs her nothing.", ge=0
    )
    wait_trust_loss_per_week: float = P(
        0.01, "trust units per week", "Trust lost per week of delay beyond the grace.", ge=0, le=1
    )
    wait_log_odds_per_week: float = P(
        -0.1,
        "log-odds per week",
        "Shift in the chance of attending per week of delay beyond the grace.",
        le=0,
    )
    wait_give_up_per_week: float = P(
        0.05,
        "rate/week",
        "Hazard of giving up on the service while she waits beyond the grace "
        "(she drops out of it).",
        ge=0,
    )
    gap_stop_hazard_ratio: float = P(
        2.0,
        "hazard ratio",
        "Rate of stopping drug treatment while her key-worker contact is overdue.",
        ge=1,
    )
    entry_wait_stop_hazard_ratio_per_week: float = P(
        1.05,
        "hazard ratio per week",
        "Rate of stopping treatment per week she waited for her assessment beyond the grace.",
        ge=1,
    )
    workload_window_days: float = P(
        28.0, "days", "Window over which a service's recent utilisation is measured.", gt=0
    )
    workload_threshold: Probability = P(
        0.7, "utilisation", "Recent utilisation above which staff are under pressure."
    )
    rushed_time_cut: Probability = P(
        0.25, "proportion", "Share of a contact's staff time cut at full pressure."
    )
    rushed_relational_cut: Probability = P(
        0.5,
        "proportion",
        "Share of the trust and knowledge a contact builds lost at full pressure.",
    )
    rushed_stigma_increase: float = P(
        1.0, "relative increase", "Increase in a contact's stigma chance at full pressure.", ge=0
    )
    rushed_retell_increase: Probability = P(
        0.5,
        "proportion",
        "Share of the remaining chance of not retelling her history lost at full pressure "
        "(notes unread).",
    )
    burnout_turnover_increase: float = P(
        1.0, "relative increase", "Increase in staff turnover at full pressure.", ge=0
    )
    supervision_burnout_reduction: Probability = P(
        0.5, "proportion", "Share of the burnout increase that clinical supervision prevents."
    )
    reallocation_days: float = P(
        14.0,
        "days",
        "Days after a named worker leaves until her cases are reallocated or a locum starts.",
        ge=0,
    )
    locum_cover_probability: Probability = P(
        0.5,
        "probability",
        "Chance a vacancy is covered by an agency or locum worker from then until it is filled.",
    )
    hurried_notice_days: float = P(
        5.0, "days", "Shortest notice at which a conference is convened when time is short.", ge=0
    )
    hurried_visit_interval_days: float = P(
        2.0, "days", "Shortest interval between assessment visits when time is short.", gt=0
    )


class Birth(Strict):
    """Birth, prematurity and neonatal withdrawal care."""

    preterm_probability: Probability = P(
        0.11,
        "probability",
        "Chance of birth at 28-37 weeks (spread evenly by week) for a woman who uses no opioids, "
        "with hospital-based, adequate antenatal care.",
    )
    opioid_preterm_rr: float = P(
        1.6, "relative risk", "Preterm birth when she uses opioids (illicit or prescribed).", gt=0
    )
    treatment_preterm_rr: float = P(
        0.86,
        "relative risk",
        "Preterm birth of an opioid user while she is on opioid substitution treatment.",
        gt=0,
    )
    buprenorphine_preterm_rr: float = P(
        0.67,
        "relative risk",
        "Preterm birth on buprenorphine rather than methadone.",
        gt=0,
    )
    continuity_preterm_rr: float = P(
        0.77, "relative risk", "Preterm birth with midwife continuity of carer.", gt=0
    )
    community_preterm_rr: float = P(
        1.0,
        "relative risk",
        "Preterm birth with community-based antenatal care, beyond what continuity of carer "
        "and adequate care already give.",
        gt=0,
    )
    inadequate_care_preterm_rr: float = P(
        1.5, "relative risk", "Preterm birth without adequate antenatal care.", gt=0
    )
    adequate_attendance_share: Probability = P(
        0.7,
        "proportion",
        "Share of her antenatal contacts attended that makes her care adequate: for the "
        "preterm risk (so far in pregnancy) and for the adequate antenatal care KPI.",
    )
    term_gestation_weeks: Distribution = P(
        dist(dist="triangular", low=37.0, mode=39.5, high=42.0),
        "weeks",
        "Gestation of a term birth.",
    )
    mother_stay_days: float = P(2.0, "days", "Mother's postnatal ward stay.", gt=0)
    observation_days: float = P(
        4.0, "days", "Baby's observation for withdrawal after opioid exposure.", ge=0
    )
    nas_treatment_probability: Probability = P(
        0.45,
        "probability",
        "Chance a baby exposed to prescribed methadone needs treatment for withdrawal.",
    )
    buprenorphine_nas_rr: float = P(
        0.9,
        "relative risk",
        "Withdrawal treatment of a baby exposed to buprenorphine rather than methadone.",
        gt=0,
    )
    illicit_nas_rr: float = P(
        0.7,
        "relative risk",
        "Withdrawal treatment of a baby exposed to illicit opioids only (mother not on opioid "
        "substitution at birth) rather than to methadone.",
        gt=0,
    )
    buprenorphine_nas_stay_ratio: float = P(
        0.57,
        "ratio",
        "Baby's stay when treated for withdrawal after buprenorphine exposure, relative to "
        "methadone.",
        gt=0,
    )
    keep_together_nas_rr: float = P(
        0.6, "relative risk", "Withdrawal treatment when mother and baby stay together.", gt=0
    )
    nas_stay_days: Distribution = P(
        dist(dist="gamma", mean=14.0, sd=5.0),
        "days",
        "Baby's stay when treated for withdrawal after methadone (or illicit opioid) exposure.",
    )
    follow_up_days: float = P(365.0, "days", "Follow-up after birth.", gt=0)


class ChildProtection(Strict):
    """Referral to social work, the conference deadline, plans and where the baby lives."""

    referral_probability: Probability = P(
        0.26, "probability", "Chance of a pre-birth referral to social work, reference risk."
    )
    referral_not_in_treatment_odds_ratio: float = P(
        2.0, "odds ratio", "Referral if not in treatment.", gt=0
    )
    referral_domestic_abuse_odds_ratio: float = P(
        2.0, "odds ratio", "Referral with domestic abuse.", gt=0
    )
    referral_housing_odds_ratio: float = P(
        1.5, "odds ratio", "Referral with unstable housing.", gt=0
    )
    referral_previous_removal_odds_ratio: float = P(
        6.0, "odds ratio", "Referral when she has had a child removed before.", gt=0
    )
    surveillance_log_odds_per_contact: float = P(
        0.015,
        "log-odds per contact",
        "Rise in the chance of referral for each contact she attends in pregnancy: more contact "
        "with professionals brings concerns to light (0 switches the surveillance effect off).",
        ge=0,
    )
    non_opioid_treatment_weight: Probability = P(
        0.0,
        "proportion",
        "Share of the treatment-status odds ratios of referral, plan, separation, later removal "
        "and return home that applies to a woman who uses no opioids (0: her treatment status "
        "does not enter these decisions).",
    )
    deadline_weeks: float = P(
        30.0, "weeks", "Gestation by which the pre-birth conference must be held.", gt=0, le=42
    )
    deadline_days_after_concern: float = P(
        28.0,
        "days",
        "Minimum days after referral allowed for a late-referred woman's conference.",
        ge=0,
    )
    information_shortfall_log_odds: float = P(
        0.8,
        "log-odds per unit",
        "Shift in plan and separation per unit of assessment missing (visits not held or "
        "not attended): less information, more precaution.",
        ge=0,
    )
    planning_reference_days: float = P(
        70.0,
        "days",
        "Days between conference and birth that give time to plan and to show change.",
        gt=0,
    )
    short_planning_log_odds: float = P(
        0.8,
        "log-odds per unit",
        "Shift in separation per unit of that planning time missing (no conference by birth: "
        "all of it).",
        ge=0,
    )
    plan_probability: Probability = P(
        0.4,
        "probability",
        "Chance the conference puts the baby on a child-protection plan, reference risk.",
    )
    separation_probability: Probability = P(
        0.12,
        "probability",
        "Chance the baby is separated at birth under a plan, reference engagement.",
    )
    separation_no_plan_probability: Probability = P(
        0.02, "probability", "Chance of separation at birth without a plan."
    )
    engagement_reference: Probability = P(
        0.8,
        "proportion",
        "Share of her antenatal contacts due so far that she attended at which plan and "
        "separation chances are the reference ones.",
    )
    engagement_log_odds: float = P(
        -1.5,
        "log-odds per unit",
        "Shift in plan and separation per unit of that attended share above the reference.",
        le=0,
    )
    trust_log_odds: float = P(
        -1.5, "log-odds per unit", "Shift in separation per unit of trust above 0.5.", le=0
    )
    not_in_treatment_odds_ratio: float = P(
        2.0, "odds ratio", "Separation if not in treatment at birth.", gt=0
    )
    parenting_support_odds_ratio: float = P(
        0.7, "odds ratio", "Later removal with parenting support completed (FDAC-informed).", gt=0
    )
    advocate_odds_ratio: float = P(
        0.85, "odds ratio", "Separation with an advocate supporting her.", gt=0
    )
    kinship_share: Probability = P(
        0.4, "proportion", "Share of separations to kinship care (else foster care)."
    )
    later_removal_probability: Probability = P(
        0.0025,
        "probability",
        "Chance a core group after birth removes the baby when she is engaged and in treatment.",
    )
    later_removal_disengaged_odds_ratio: float = P(
        4.0, "odds ratio", "Later removal when she is out of treatment or disengaged.", gt=0
    )
    domestic_abuse_odds_ratio: float = P(
        2.0, "odds ratio", "Plan, separation and later removal with current domestic abuse.", gt=0
    )
    housing_odds_ratio: float = P(
        1.5, "odds ratio", "Plan, separation and later removal with unstable housing.", gt=0
    )
    opioid_use_odds_ratio: float = P(
        1.3, "odds ratio", "Plan, separation and later removal when she uses opioids.", gt=0
    )
    previous_removal_odds_ratio: float = P(
        3.0,
        "odds ratio",
        "Plan, separation and later removal (and, inverted, return home) when she has had a "
        "child removed before.",
        gt=0,
    )
    stopped_treatment_odds_ratio: float = P(
        1.5,
        "odds ratio",
        "Plan, separation and later removal when she has left the treatment she was in when "
        "first known.",
        gt=0,
    )
    mental_health_odds_ratio: float = P(
        1.5,
        "odds ratio",
        "Plan, separation and later removal with a mental-health need not under specialist care.",
        gt=0,
    )
    mental_health_in_care_odds_ratio: float = P(
        1.1,
        "odds ratio",
        "Plan, separation and later removal with a mental-health need under specialist care.",
        gt=0,
    )
    travel_allowance: Probability = P(
        1.0,
        "proportion",
        "Share of the extra travel penalty of living far from services that the social worker "
        "allows for when reading her missed contacts.",
    )
    shared_records_information: Probability = P(
        0.5,
        "proportion",
        "Share of an assessment's missing information that shared records supply.",
    )
    coordinator_information: Probability = P(
        0.3,
        "proportion",
        "Share of the remaining missing information that her care co-ordinator supplies.",
    )
    review_interval_days: float = P(
        91.0, "days", "Days between reviews of a baby in care (looked-after child reviews).", gt=0
    )
    reunification_probability: Probability = P(
        0.2,
        "probability",
        "Chance a review returns the baby home, reference risk, engaged and in treatment.",
    )
    reunification_support_odds_ratio: float = P(
        1.76, "odds ratio", "Return home when she attended support after removal.", gt=0
    )
    reunification_disengaged_odds_ratio: float = P(
        0.3,
        "odds ratio",
        "Return home when she is out of treatment (opioid use) or disengaged from social work.",
        gt=0,
    )


class Harms(Strict):
    """Overdose and suicide hazards, integrated into expected events (not sampled)."""

    overdose_per_100k_days_pregnant: float = P(
        2.3,
        "per 100,000 person-days",
        "Overdose rate in pregnancy of an opioid user in treatment, without a mental-health "
        "need, her baby not in care (the reference the multipliers act on).",
        ge=0,
    )
    overdose_per_100k_days_early_postpartum: float = P(
        4.1,
        "per 100,000 person-days",
        "Overdose rate in the first 6 months after birth, reference opioid user as above.",
        ge=0,
    )
    overdose_per_100k_days_late_postpartum: float = P(
        5.9,
        "per 100,000 person-days",
        "Overdose rate 7-12 months after birth, reference opioid user as above.",
        ge=0,
    )
    overdose_fatal_share: Probability = P(0.045, "proportion", "Share of overdoses that are fatal.")
    not_in_treatment_multiplier: float = P(
        2.0, "hazard ratio", "Overdose hazard out of treatment.", gt=0
    )
    removal_overdose_multiplier: float = P(
        1.55, "hazard ratio", "Overdose hazard after removal.", gt=0
    )
    suicide_per_100k_years: float = P(
        30.0,
        "per 100,000 person-years",
        "Suicide rate, women who use drugs, perinatal, without a mental-health need.",
        ge=0,
    )
    removal_suicide_multiplier: float = P(
        3.45, "rate ratio", "Suicide rate after a child is taken into care.", gt=0
    )
    post_removal_support_multiplier: float = P(
        0.8, "hazard ratio", "Overdose and suicide hazards with support after removal.", gt=0
    )
    non_opioid_overdose_ratio: Probability = P(
        0.2,
        "rate ratio",
        "Overdose rate of a woman who does not use opioids, as a share of the reference rate.",
    )
    recent_stop_days: float = P(
        28.0, "days", "Weeks after leaving treatment of raised overdose risk.", ge=0
    )
    recent_stop_multiplier: float = P(
        2.0,
        "hazard ratio",
        "Overdose hazard in those weeks, on top of being out of treatment.",
        gt=0,
    )
    mental_health_overdose_multiplier: float = P(
        1.5, "hazard ratio", "Overdose hazard with a perinatal mental-health need.", gt=0
    )
    mental_health_suicide_multiplier: float = P(
        3.0, "rate ratio", "Suicide rate with a perinatal mental-health need.", gt=0
    )
    specialist_care_multiplier: float = P(
        0.7,
        "hazard ratio",
        "Overdose and suicide hazards of a woman with need while in specialist perinatal "
        "mental-health care.",
        gt=0,
    )


class Indices(Strict):
    """How the composite outcome indices are built (proposals, as the ToC has no measures yet)."""

    confidence_base: Probability = P(
        0.5, "index 0-1", "Staff confidence with no training, no supervision, no strain."
    )
    confidence_training_weight: Probability = P(
        0.3, "index per unit", "Confidence added by full training coverage."
    )
    confidence_supervision_weight: Probability = P(
        0.15, "index", "Confidence added by clinical supervision."
    )
    confidence_strain_weight: float = P(
        0.3, "index per unit", "Confidence lost per unit of workload pressure.", ge=0
    )
    confidence_experience_weight: Probability = P(
        0.15, "index", "Confidence a worker gains with full experience of this group."
    )
    confidence_experience_contacts: float = P(
        150.0,
        "contacts",
        "Contacts with these women that give a worker 63% of full experience.",
        gt=0,
    )
    confidence_adjust_per_week: Probability = P(
        0.1,
        "proportion per week",
        "Share of the gap to its current level confidence closes weekly.",
    )
    efficacy_trust_weight: Probability = P(0.35, "weight", "Weight of trust in self-efficacy.")
    efficacy_knowledge_weight: Probability = P(
        0.35, "weight", "Weight of knowledge in self-efficacy."
    )
    efficacy_treatment_weight: Probability = P(
        0.15, "weight", "Weight of being in treatment in self-efficacy."
    )
    efficacy_baby_weight: Probability = P(
        0.15, "weight", "Weight of caring for her baby in self-efficacy."
    )
    stable_trust_threshold: Probability = P(
        0.5, "trust", "Trust at 12 months counted as stable engagement."
    )
    network_recent_days: float = P(
        56.0,
        "days",
        "Window before birth in which her latest contact with a worker must fall for that "
        "relationship to count in her support network at birth.",
        gt=0,
    )
    in_care_window_days: float = P(
        91.0,
        "days",
        "Days after birth within which a removal counts for the babies-in-care KPI (three "
        "months: the window of the published 'fostered or in care' figures).",
        gt=0,
    )
    late_booking_weeks: float = P(
        20.0,
        "weeks",
        "Gestation after which a booking is late; adequate antenatal care needs booking by then.",
        gt=0,
    )


class PerinatalScenario(Strict):
    """A perinatal pathway scenario: the services, the site, the levers switched on."""

    model: Literal["perinatal"]
    extends: str | None = Field(default=None, description="Scenario file this one overlays.")
    name: str
    label: str = Field(
        default="", description="Display name in tables and the report (default: the name)."
    )
    description: str = ""
    key_requirements: list[KeyRequirement] = P(
        [], "labels", "Theory of Change key requirements this scenario acts on."
    )
    changes: str = P(
        "", "text", "In plain words, what this scenario changes from the one it extends."
    )
    run: PathwayRun = PathwayRun()
    population: Population = Population()
    site: Site = Site()
    services: Services = Services()
    interventions: Interventions = Interventions()
    attendance: Attendance = Attendance()
    engagement: Engagement = Engagement()
    hostile_care: HostileCare = HostileCare()
    capacity: Capacity = Capacity()
    preconditions: Preconditions = Preconditions()
    birth: Birth = Birth()
    child_protection: ChildProtection = ChildProtection()
    harms: Harms = Harms()
    indices: Indices = Indices()
    costs: Costs = Costs()

    @model_validator(mode="after")
    def _core_services(self) -> PerinatalScenario:
        for name in ("midwifery", "ultrasound"):
            if not getattr(self.services, name).available:
                raise ValueError(f"services.{name} cannot be switched off: every woman needs it")
        return self

    @classmethod
    def builtin_defaults(cls) -> dict[str, Any]:
        """The built-in base scenario as data, the first layer every file overlays."""
        base = cls(model="perinatal", name="defaults")
        return base.model_dump(mode="json", exclude={"name", "extends", "label"})
