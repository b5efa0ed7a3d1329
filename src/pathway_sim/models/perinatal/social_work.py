"""Social work and child protection: referral, pre-birth assessment, conference, plan, placement.

Shortages of social workers delay assessment visits, which pushes conferences
past their deadline; the model records each late one. Where the baby lives is
decided when the baby leaves hospital, from her engagement, trust and treatment,
and reviewed at core groups through the first year.
"""

from __future__ import annotations

import math
from collections.abc import Generator
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
    cp = system.scenario.child_protection
    if woman.fate[Fate.SOCIAL_WORK_REFERRAL] >= referral_probability(system, woman):
        return
    env = system.env
    woman.sw_referred = True
    woman.referral_day = env.now
    refer(system, woman, SERVICE)
    deadline = max(woman.day_at(cp.deadline_weeks), env.now + cp.deadline_days_after_concern)
    woman.conference_deadline_day = deadline
    yield from _assessment(system, woman)
    spec = system.spec(SERVICE, SocialWork)
    woman.assessment_done_day = env.now
    woman.assessment_late = env.now > deadline - spec.conference_notice_days
    yield from _conference(system, woman, env.now + spec.conference_notice_days)
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


def _assessment(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Assessment visits until enough are attended; if she drops out it is completed on paper."""
    spec = system.spec(SERVICE, SocialWork)
    rec = woman.record(SERVICE)
    day = system.env.now + spec.allocation_days
    attended = 0
    for _ in range(2 * spec.assessment_visits):
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
        if attended >= spec.assessment_visits or not rec.engaged or woman.ended.triggered:
            return
        day = system.env.now + spec.visit_interval_days


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
    p = logistic(logit(cp.plan_probability) + _risk(system, woman))
    woman.cp_plan = bool(woman.fate[Fate.PLAN] < p)
    system.log(woman, "plan_decision", SERVICE, outcome="plan" if woman.cp_plan else "no plan")


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
        x = logit(cp.separation_probability) + _risk(system, woman)
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
    system.log(woman, "placement", SERVICE, outcome=woman.placement)


def removal(system: CareSystem, woman: Woman, placement: str) -> None:
    """Her baby is taken into care: trauma, lost trust, higher risks; support if there is any."""
    woman.placement = placement
    woman.removal_day = system.env.now
    woman.sw_referred = True
    adjust_trust(woman, -system.scenario.engagement.trust_loss_removal)
    retraumatise(system, woman, "removal", SERVICE)
    system.log(woman, "removal", SERVICE, outcome=placement)
    if system.available("post_removal_support"):
        system.env.process(support.post_removal_support(system, woman))


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
