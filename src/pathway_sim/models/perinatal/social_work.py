"""Social work and child protection: referral, pre-birth assessment, conference, plan, placement.

A referral is weighed when she becomes known and again each week of pregnancy, as the
contacts she attends bring concerns to light (the surveillance effect). The conference
deadline follows the nation's guidance (a gestation, or a number of days after a late
concern). The social worker plans the assessment to meet it: a late referral gets a
hurried one (visits closer together, shorter notice, fewer visits if even that cannot
fit). Shortages of social workers then delay visits, which pushes conferences past their
deadline. What follows reads both: a decision on less information, and one with less time
to plan before birth, is more precautionary. Where the baby lives is decided when the baby
leaves hospital, from her engagement, trust, treatment (for an opioid user) and risk
factors (a child removed before among them), and reviewed at core groups through the
first year.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from pathway_sim.models.perinatal import support
from pathway_sim.models.perinatal.care_quality import (
    adjust_trust,
    retraumatise,
    retraumatise_probability,
)
from pathway_sim.models.perinatal.contacts import ATTENDED, Booking, contact
from pathway_sim.models.perinatal.fates import Fate
from pathway_sim.models.perinatal.odds import logistic, logit
from pathway_sim.models.perinatal.schema import SocialWork
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import refer, regular_visits
from pathway_sim.models.perinatal.woman import Woman

SERVICE = "social_work"


def social_work(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """From a pre-birth referral (or none) to the end of her child-protection plan."""
    if not system.available(SERVICE):
        return
    if not (yield from _concern_raised(system, woman)):
        return
    env = system.env
    woman.sw_referred = True
    woman.referral_day = env.now
    refer(system, woman, SERVICE)
    deadline = conference_deadline(system, woman)
    woman.conference_deadline_day = deadline
    plan = assessment_plan(system, woman, deadline)
    woman.assessment_hurried = plan.hurried
    attended = yield from _assessment(system, woman, plan, deadline)
    visits = system.spec(SERVICE, SocialWork).assessment_visits
    woman.assessment_shortfall = 1.0 - min(attended, visits) / visits
    woman.assessment_done_day = env.now
    woman.assessment_late = env.now > deadline - plan.notice_days
    yield from _conference(system, woman, env.now + plan.notice_days)
    if woman.cp_plan:
        yield from _under_plan(system, woman)


def _under_plan(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Visits and core groups under a child-protection plan, while the baby is not in care."""
    spec = system.spec(SERVICE, SocialWork)
    env = system.env
    env.process(
        regular_visits(
            system,
            woman,
            SERVICE,
            "plan_visit",
            env.now + spec.plan_visit_interval_days,
            spec.plan_visit_interval_days,
            lambda: math.inf,
            stop=lambda: woman.separated,
        )
    )
    yield from _core_groups(system, woman)


SURVEILLANCE_CHECK_DAYS = 7.0
"""How often, in pregnancy, what services have seen of her is weighed again for a referral."""


def _concern_raised(system: CareSystem, woman: Woman) -> Generator[Any, Any, bool]:
    """A referral when she becomes known, or later in pregnancy as the contacts she attends
    bring concerns to light (the surveillance effect): her own fixed number is compared, week
    by week, with a chance that rises with every attended contact, so more contact can only
    bring a referral earlier. False if none is made before birth."""
    draw = woman.fate[Fate.SOCIAL_WORK_REFERRAL]
    while draw >= referral_probability(system, woman):
        if system.child_protection.surveillance_log_odds_per_contact == 0:
            return False
        yield system.env.timeout(SURVEILLANCE_CHECK_DAYS) | woman.born
        if woman.born.triggered or woman.ended.triggered:
            return False
    return True


def referral_probability(system: CareSystem, woman: Woman) -> float:
    """The chance she has been referred to children's social care by now: her circumstances,
    and how much of her services have seen."""
    cp = system.child_protection
    x = logit(cp.referral_probability)
    x += treatment_concern(system, woman) * math.log(cp.referral_not_in_treatment_odds_ratio)
    if woman.domestic_abuse:
        x += math.log(cp.referral_domestic_abuse_odds_ratio)
    if woman.housing_unstable:
        x += math.log(cp.referral_housing_odds_ratio)
    if woman.previous_removal:
        x += math.log(cp.referral_previous_removal_odds_ratio)
    x += cp.surveillance_log_odds_per_contact * woman.pregnancy_attended
    return logistic(x)


def treatment_concern(system: CareSystem, woman: Woman) -> float:
    """How far her not being in drug treatment weighs in a child-protection decision: fully
    for an opioid user, by ``non_opioid_treatment_weight`` for a woman who uses no opioids
    (no evidence found that it weighs for her; default none); nothing in treatment."""
    if woman.in_treatment:
        return 0.0
    return 1.0 if woman.opioid_use else system.child_protection.non_opioid_treatment_weight


def conference_deadline(system: CareSystem, woman: Woman) -> float:
    """The day the pre-birth conference is due, by the nation's guidance: by a gestation
    (England: local procedures under Working Together 2023, about 30 weeks; Scotland:
    National Guidance for Child Protection 2021/2023 as local procedures apply it, 28
    weeks) or, for a concern raised too late for that, a number of days after it."""
    cp = system.child_protection
    return max(woman.day_at(cp.deadline_weeks), system.env.now + cp.deadline_days_after_concern)


@dataclass(frozen=True, slots=True)
class AssessmentPlan:
    """The social worker's plan to meet the deadline: when visits start, how far apart,
    how many, and the notice before the conference."""

    first_visit_days: float
    interval_days: float
    visits: int
    notice_days: float
    hurried: bool


def assessment_plan(system: CareSystem, woman: Woman, deadline: float) -> AssessmentPlan:
    """The usual plan if it meets the deadline; else every step shortened in proportion,
    to the hurried minimum interval and notice, and fewer visits if still too long."""
    spec = system.spec(SERVICE, SocialWork)
    cap = system.capacity
    visits = spec.assessment_visits
    usual = spec.allocation_days + (visits - 1) * spec.visit_interval_days
    available = deadline - system.env.now
    if usual + spec.conference_notice_days <= available:
        return AssessmentPlan(
            spec.allocation_days,
            spec.visit_interval_days,
            visits,
            spec.conference_notice_days,
            False,
        )
    scale = max(available, 0.0) / (usual + spec.conference_notice_days)
    notice = min(spec.conference_notice_days, max(spec.conference_notice_days * scale,
                                                  cap.hurried_notice_days))  # fmt: skip
    interval = min(spec.visit_interval_days, max(spec.visit_interval_days * scale,
                                                 cap.hurried_visit_interval_days))  # fmt: skip
    first = spec.allocation_days * scale
    room = available - notice - first
    fits = 1 + max(0, math.floor(room / interval)) if room >= 0 else 1
    return AssessmentPlan(first, interval, max(1, min(visits, fits)), notice, True)


def _assessment(
    system: CareSystem, woman: Woman, plan: AssessmentPlan, deadline: float
) -> Generator[Any, Any, int]:
    """Assessment visits until the plan's are attended; a missed visit is re-offered only
    while that still meets the deadline (or none is attended yet). If she drops out it is
    completed on paper. Returns the visits attended."""
    spec = system.spec(SERVICE, SocialWork)
    rec = woman.record(SERVICE)
    day = system.env.now + plan.first_visit_days
    attended = 0
    booking = Booking("assessment_visit", hours=spec.assessment_hours, align=False)
    for _ in range(spec.assessment_offers_per_visit * plan.visits):
        outcome = yield from contact(system, woman, SERVICE, booking, day)
        attended += outcome == ATTENDED
        if attended >= plan.visits or not rec.engaged or woman.ended.triggered:
            break
        day = system.env.now + plan.interval_days
        if attended and day + plan.notice_days > deadline:
            break
    return attended


def _conference(system: CareSystem, woman: Woman, day: float) -> Generator[Any, Any, None]:
    """The child-protection conference: held whether or not she comes, late or on time."""
    spec = system.spec(SERVICE, SocialWork)
    care = system.hostile_care
    conference = Booking(
        "conference",
        hours=spec.conference_hours,
        align=False,
        mandatory=True,
        place="social_work_office",
    )
    outcome = yield from contact(system, woman, SERVICE, conference, day)
    rec = woman.record(SERVICE)
    woman.conference_day = rec.last_contact_day
    deadline = woman.conference_deadline_day
    if woman.conference_day is not None and deadline is not None:
        woman.conference_late = woman.conference_day > deadline
    if outcome == ATTENDED:
        p = care.conference_retraumatise_probability
        if woman.has_advocate:
            p *= 1 - care.advocate_conference_reduction
        if woman.fate[Fate.CONFERENCE_HARM] < retraumatise_probability(system, woman, p):
            retraumatise(system, woman, "conference", SERVICE)
    if woman.cp_plan is None:
        _decide_plan(system, woman)


def _decide_plan(system: CareSystem, woman: Woman) -> None:
    woman.cp_plan = bool(woman.fate[Fate.PLAN] < plan_probability(system, woman))
    system.events.log(
        woman, "plan_decision", SERVICE, detail="plan" if woman.cp_plan else "no plan"
    )


def plan_probability(system: CareSystem, woman: Woman) -> float:
    """The chance the conference (or, without one, the decision at discharge) makes a plan."""
    cp = system.child_protection
    x = _risk(system, woman) + cp.information_shortfall_log_odds * information_shortfall(
        system, woman
    )
    return logistic(logit(cp.plan_probability) + x)


def _core_groups(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Core groups under the plan; after birth each one reviews where the baby lives."""
    spec = system.spec(SERVICE, SocialWork)
    care = system.hostile_care
    rng = system.streams.get("core-groups", woman.id)
    day = system.env.now + spec.core_group_interval_days
    core_group = Booking("core_group", align=False, mandatory=True, place="social_work_office")
    while not (woman.ended.triggered or woman.separated):
        outcome = yield from contact(system, woman, SERVICE, core_group, day)
        draws = rng.random(2)
        if outcome == ATTENDED and draws[0] < retraumatise_probability(
            system, woman, care.core_group_retraumatise_probability
        ):
            retraumatise(system, woman, "core_group", SERVICE)
        if (
            woman.placement_at_discharge is not None
            and not woman.separated
            and not woman.ended.triggered
            and draws[1] < later_removal_probability(system, woman)
        ):
            removal(system, woman, "foster_care")
        day = system.env.now + spec.core_group_interval_days


def later_removal_probability(system: CareSystem, woman: Woman) -> float:
    cp = system.child_protection
    x = logit(cp.later_removal_probability)
    x += _disengaged(system, woman) * math.log(cp.later_removal_disengaged_odds_ratio)
    if woman.parenting_completed:
        x += math.log(cp.parenting_support_odds_ratio)
    return logistic(x + risk_factors(system, woman))


def _disengaged(system: CareSystem, woman: Woman) -> float:
    """How far she reads as disengaged at a review: out of social work's reach (fully), or
    out of drug treatment (by ``treatment_concern``)."""
    if not woman.record(SERVICE).engaged:
        return 1.0
    return treatment_concern(system, woman)


def decide_placement(system: CareSystem, woman: Woman) -> None:
    """Where the baby goes on leaving hospital."""
    if woman.placement_at_discharge is not None or woman.ended.triggered:
        return
    cp = system.child_protection
    if woman.sw_referred and woman.cp_plan is None:
        _decide_plan(system, woman)
    if woman.fate[Fate.SEPARATION] < separation_probability(system, woman):
        kinship = woman.fate[Fate.KINSHIP] < cp.kinship_share
        removal(system, woman, "kinship_care" if kinship else "foster_care")
    else:
        woman.placement = "with_mother_under_plan" if woman.cp_plan else "with_mother"
    woman.placement_at_discharge = woman.placement
    system.events.log(woman, "placement", SERVICE, detail=woman.placement)


def separation_probability(system: CareSystem, woman: Woman) -> float:
    """The chance her baby is separated on leaving hospital: under a plan, from her risk,
    engagement and the precaution of a hurried or late process."""
    cp = system.child_protection
    if woman.cp_plan:
        x = logit(cp.separation_probability) + _risk(system, woman) + _precaution(system, woman)
    else:
        x = logit(cp.separation_no_plan_probability)
    if woman.has_advocate:
        x += math.log(cp.advocate_odds_ratio)
    return logistic(x)


def removal(system: CareSystem, woman: Woman, placement: str) -> None:
    """Her baby is taken into care: trauma, lost trust, higher risks; support if there is any."""
    woman.placement = placement
    woman.removal_days.append(system.env.now)
    woman.care_placement = placement
    woman.sw_referred = True
    adjust_trust(woman, -system.engagement.trust_loss_removal)
    retraumatise(system, woman, "removal", SERVICE)
    system.events.log(woman, "removal", SERVICE, detail=placement)
    if system.available("post_removal_support"):
        system.env.process(support.post_removal_support(system, woman))
    system.env.process(_reviews_in_care(system, woman))


def _reviews_in_care(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Reviews of the baby in care (looked-after child reviews) at a fixed interval through
    her follow-up; each may return the baby home, under a plan."""
    cp = system.child_protection
    rng = system.streams.get("reunification", woman.id)
    while True:
        yield system.env.timeout(cp.review_interval_days)
        if woman.ended.triggered or not woman.separated:
            return
        if rng.random() < reunification_probability(system, woman):
            return_home(system, woman)
            return


def reunification_probability(system: CareSystem, woman: Woman) -> float:
    """A review's chance of returning the baby home: higher when she attended support after
    removal, lower out of treatment or disengaged and with the risk factors that remain."""
    cp = system.child_protection
    x = logit(cp.reunification_probability) - risk_factors(system, woman)
    rec = woman.services.get("post_removal_support")
    if rec is not None and rec.last_attended_day >= woman.removal_days[-1]:
        x += math.log(cp.reunification_support_odds_ratio)
    x += _disengaged(system, woman) * math.log(cp.reunification_disengaged_odds_ratio)
    return logistic(x)


def return_home(system: CareSystem, woman: Woman) -> None:
    """Her baby comes home under a child-protection plan, with its visits and core groups."""
    woman.placement = "with_mother_under_plan"
    woman.return_home_days.append(system.env.now)
    system.events.log(woman, "reunification", SERVICE, detail=woman.placement)
    if system.available(SERVICE):
        system.env.process(_under_plan(system, woman))


def information_shortfall(system: CareSystem, woman: Woman) -> float:
    """The share of an assessment's information still missing at a decision: shared records
    and her care co-ordinator (at the preconditions' strength) fill part of what the visits
    did not supply, as the next professional then knows what the others know."""
    cp = system.child_protection
    strength = system.preconditions.strength
    missing = woman.assessment_shortfall
    if system.interventions.shared_records:
        missing *= 1 - strength * cp.shared_records_information
    if woman.has_coordinator:
        missing *= 1 - strength * cp.coordinator_information
    return missing


def _precaution(system: CareSystem, woman: Woman) -> float:
    """Log-odds shift of separation from a hurried or late process: less information from
    the assessment, and less time between conference and birth to plan and to show change
    (all of it missing when no conference was held before the decision)."""
    cp = system.child_protection
    x = cp.information_shortfall_log_odds * information_shortfall(system, woman)
    held = woman.conference_day
    planning = 0.0 if held is None else max(0.0, woman.born_day - held)
    x += cp.short_planning_log_odds * max(0.0, 1.0 - planning / cp.planning_reference_days)
    return x


def _risk(system: CareSystem, woman: Woman) -> float:
    """Log-odds shift of plan and separation decisions from her engagement, trust, treatment
    and the risk factors a social worker reads."""
    cp = system.child_protection
    x = cp.engagement_log_odds * (read_engagement(system, woman) - cp.engagement_reference)
    x += cp.trust_log_odds * (woman.trust - 0.5)
    x += treatment_concern(system, woman) * math.log(cp.not_in_treatment_odds_ratio)
    return x + risk_factors(system, woman)


def risk_factors(system: CareSystem, woman: Woman) -> float:
    """Log-odds from her circumstances: a child removed before, domestic abuse, unstable
    housing, opioid use, having left treatment (as far as ``treatment_concern`` weighs it),
    and a mental-health need (less if under specialist care)."""
    cp = system.child_protection
    x = 0.0
    if woman.previous_removal:
        x += math.log(cp.previous_removal_odds_ratio)
    if woman.domestic_abuse:
        x += math.log(cp.domestic_abuse_odds_ratio)
    if woman.housing_unstable:
        x += math.log(cp.housing_odds_ratio)
    if woman.opioid_use:
        x += math.log(cp.opioid_use_odds_ratio)
    if woman.in_treatment_at_known:
        x += treatment_concern(system, woman) * math.log(cp.stopped_treatment_odds_ratio)
    if woman.mental_health_need:
        in_care = in_specialist_care(woman)
        x += math.log(
            cp.mental_health_in_care_odds_ratio if in_care else cp.mental_health_odds_ratio
        )
    return x


def in_specialist_care(woman: Woman) -> bool:
    """Seen by specialist perinatal mental health and still engaged with it."""
    rec = woman.services.get("mental_health")
    return rec is not None and rec.engaged and rec.first_attended_day is not None


def read_engagement(system: CareSystem, woman: Woman) -> float:
    """Her engagement as the social worker reads it: the share of the antenatal contacts she
    was offered and could attend that she attended. Cancelled contacts (falling after the
    birth, while her baby is in hospital, or after she dropped out) are not read, and a missed
    contact counts less when she lives far from services: the extra travel penalty, allowed
    for on the odds scale, is what the social worker expects of a long trip."""
    attended = woman.antenatal_attended
    missed = woman.antenatal_missed * _travel_discount(system, woman)
    return attended / (attended + missed) if attended + missed > 0 else 0.0


def _travel_discount(system: CareSystem, woman: Woman) -> float:
    if not woman.rural:
        return 1.0
    place = system.contact_terms["midwifery"].place
    if place == "home":
        return 1.0
    trips = system.terms.trips
    excess = trips[True, place].log_odds - trips[False, place].log_odds
    return min(1.0, math.exp(system.child_protection.travel_allowance * excess))
