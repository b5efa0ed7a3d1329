"""Social work and child protection: referral, pre-birth assessment, conference, plan, placement.

The conference deadline follows the nation's guidance (a gestation, or a number
of days after a late concern). The social worker plans the assessment to meet
it: a late referral gets a hurried one (visits closer together, shorter notice,
fewer visits if even that cannot fit). Shortages of social workers then delay
visits, which pushes conferences past their deadline. What follows reads both: a
decision on less information, and one with less time to plan before birth, is
more precautionary. Where the baby lives is decided when the baby leaves
hospital, from her engagement, trust and treatment, and reviewed at core groups
through the first year.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from pathway_sim.models.perinatal import support
from pathway_sim.models.perinatal.contacts import (
    ATTENDED,
    adjust_trust,
    contact,
    retraumatise,
    retraumatise_probability,
)
from pathway_sim.models.perinatal.fates import Fate
from pathway_sim.models.perinatal.odds import logistic, logit, with_odds_ratio
from pathway_sim.models.perinatal.schema import SocialWork
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import refer, regular_visits
from pathway_sim.models.perinatal.woman import Woman

SERVICE = "social_work"


def social_work(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """From a pre-birth referral (or none) to the end of her child-protection plan."""
    if not system.available(SERVICE):
        return
    if woman.fate[Fate.SOCIAL_WORK_REFERRAL] >= referral_probability(system, woman):
        return
    env = system.env
    woman.sw_referred = True
    woman.referral_day = env.now
    refer(system, woman, SERVICE)
    deadline = conference_deadline(system, woman)
    woman.conference_deadline_day = deadline
    plan = assessment_plan(system, woman, deadline)
    woman.assessment_hurried = plan.hurried
    spec = system.spec(SERVICE, SocialWork)
    attended = yield from _assessment(system, woman, plan, deadline)
    woman.assessment_shortfall = (
        1.0 - min(attended, spec.assessment_visits) / spec.assessment_visits
    )
    woman.assessment_done_day = env.now
    woman.assessment_late = env.now > deadline - plan.notice_days
    yield from _conference(system, woman, env.now + plan.notice_days)
    if woman.cp_plan:
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


def referral_probability(system: CareSystem, woman: Woman) -> float:
    cp = system.scenario.child_protection
    p = cp.referral_probability
    if not woman.in_treatment:
        p = with_odds_ratio(p, cp.referral_not_in_treatment_odds_ratio)
    if woman.domestic_abuse:
        p = with_odds_ratio(p, cp.referral_domestic_abuse_odds_ratio)
    if woman.housing_unstable:
        p = with_odds_ratio(p, cp.referral_housing_odds_ratio)
    return p


def conference_deadline(system: CareSystem, woman: Woman) -> float:
    """The day the pre-birth conference is due, by the nation's guidance: by a gestation
    (England: local procedures under Working Together 2023, about 30 weeks; Scotland:
    National Guidance for Child Protection 2021/2023 as local procedures apply it, 28
    weeks) or, for a concern raised too late for that, a number of days after it."""
    cp = system.scenario.child_protection
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
    cap = system.scenario.capacity
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
    for _ in range(2 * plan.visits):
        outcome = yield from contact(
            system,
            woman,
            SERVICE,
            "assessment_visit",
            day,
            hours=spec.assessment_hours,
            align=False,
        )
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
    care = system.scenario.hostile_care
    outcome = yield from contact(
        system,
        woman,
        SERVICE,
        "conference",
        day,
        hours=spec.conference_hours,
        align=False,
        mandatory=True,
        place="social_work_office",
    )
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
    cp = system.scenario.child_protection
    x = _risk(system, woman) + cp.information_shortfall_log_odds * woman.assessment_shortfall
    p = logistic(logit(cp.plan_probability) + x)
    woman.cp_plan = bool(woman.fate[Fate.PLAN] < p)
    system.log(woman, "plan_decision", SERVICE, detail="plan" if woman.cp_plan else "no plan")


def _core_groups(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Core groups under the plan; after birth each one reviews where the baby lives."""
    spec = system.spec(SERVICE, SocialWork)
    care = system.scenario.hostile_care
    rng = system.streams.get("core-groups", woman.id)
    day = system.env.now + spec.core_group_interval_days
    while not (woman.ended.triggered or woman.separated):
        outcome = yield from contact(
            system,
            woman,
            SERVICE,
            "core_group",
            day,
            align=False,
            mandatory=True,
            place="social_work_office",
        )
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
    cp = system.scenario.child_protection
    p = cp.later_removal_probability
    engaged = woman.in_treatment and woman.record(SERVICE).engaged
    if not engaged:
        p = with_odds_ratio(p, cp.later_removal_disengaged_odds_ratio)
    if woman.parenting_completed:
        p = with_odds_ratio(p, cp.parenting_support_odds_ratio)
    return p


def decide_placement(system: CareSystem, woman: Woman) -> None:
    """Where the baby goes on leaving hospital."""
    if woman.placement_at_discharge is not None or woman.ended.triggered:
        return
    cp = system.scenario.child_protection
    if woman.sw_referred and woman.cp_plan is None:
        _decide_plan(system, woman)
    if woman.cp_plan:
        x = logit(cp.separation_probability) + _risk(system, woman) + _precaution(system, woman)
    else:
        x = logit(cp.separation_no_plan_probability)
    if woman.has_advocate:
        x += math.log(cp.advocate_odds_ratio)
    if woman.fate[Fate.SEPARATION] < logistic(x):
        kinship = woman.fate[Fate.KINSHIP] < cp.kinship_share
        removal(system, woman, "kinship_care" if kinship else "foster_care")
    else:
        woman.placement = "with_mother_under_plan" if woman.cp_plan else "with_mother"
    woman.placement_at_discharge = woman.placement
    system.log(woman, "placement", SERVICE, detail=woman.placement)


def removal(system: CareSystem, woman: Woman, placement: str) -> None:
    """Her baby is taken into care: trauma, lost trust, higher risks; support if there is any."""
    woman.placement = placement
    woman.removal_day = system.env.now
    woman.sw_referred = True
    adjust_trust(woman, -system.scenario.engagement.trust_loss_removal)
    retraumatise(system, woman, "removal", SERVICE)
    system.log(woman, "removal", SERVICE, detail=placement)
    if system.available("post_removal_support"):
        system.env.process(support.post_removal_support(system, woman))


def _precaution(system: CareSystem, woman: Woman) -> float:
    """Log-odds shift of separation from a hurried or late process: less information from
    the assessment, and less time between conference and birth to plan and to show change
    (all of it missing when no conference was held before the decision)."""
    cp = system.scenario.child_protection
    x = cp.information_shortfall_log_odds * woman.assessment_shortfall
    held = woman.conference_day
    planning = 0.0 if held is None else max(0.0, woman.born_day - held)
    x += cp.short_planning_log_odds * max(0.0, 1.0 - planning / cp.planning_reference_days)
    return x


def _risk(system: CareSystem, woman: Woman) -> float:
    """Log-odds shift of plan and separation decisions from her engagement, trust and treatment.

    Engagement is the share of her antenatal contacts she attended: read at birth it does
    not depend on how long the baby stays in hospital, which would otherwise move a
    placement decision onto a different record."""
    cp = system.scenario.child_protection
    attendance = (
        woman.antenatal_attended / woman.antenatal_scheduled if woman.antenatal_scheduled else 0.0
    )
    x = cp.engagement_log_odds * (attendance - cp.engagement_reference)
    x += cp.trust_log_odds * (woman.trust - 0.5)
    if not woman.in_treatment:
        x += math.log(cp.not_in_treatment_odds_ratio)
    return x
