"""Pieces of the perinatal model checked by hand: schedules, odds, harms, alignment."""

import math

import numpy as np
import pytest
import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.engine.service import Service
from pathway_sim.models.perinatal.care_quality import retell_probability
from pathway_sim.models.perinatal.contacts import aligned_day, attendance_probability
from pathway_sim.models.perinatal.fates import FATES
from pathway_sim.models.perinatal.maternity import antenatal_weeks
from pathway_sim.models.perinatal.odds import logistic, logit, per_period, with_odds_ratio
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.social_work import assessment_plan, conference_deadline
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman, draw_woman
from pathway_sim.models.perinatal.workload import pressure

DEFAULTS = PerinatalScenario(model="perinatal", name="t")


def test_nice_schedule_after_booking():
    mw = DEFAULTS.services.midwifery
    assert antenatal_weeks(True, 10, mw) == [16, 20, 24, 25, 28, 31, 32, 34, 36, 38, 40, 41]
    assert antenatal_weeks(False, 10, mw) == [16, 20, 24, 28, 32, 34, 36, 38, 41]
    # booked at 27.5 weeks: only contacts at least a week later
    assert antenatal_weeks(False, 27.5, mw) == [32, 34, 36, 38, 41]


def test_odds_ratio_arithmetic():
    assert with_odds_ratio(0.5, 3.0) == pytest.approx(0.75)
    assert with_odds_ratio(0.0, 5.0) == 0.0 and with_odds_ratio(1.0, 0.2) == 1.0
    assert logistic(logit(0.3)) == pytest.approx(0.3)
    assert logistic(logit(0.3) + math.log(1.76)) == pytest.approx(with_odds_ratio(0.3, 1.76))
    assert 1 - (1 - per_period(0.2, 9)) ** 9 == pytest.approx(0.2)


def _woman(**changes) -> Woman:
    base = {
        "id": 0,
        "counted": True,
        "arrival_day": 0.0,
        "known_gestation_weeks": 20.0,
        "nulliparous": False,
        "opioid_use": True,
        "in_treatment": True,
        "mental_health_need": False,
        "housing_unstable": False,
        "domestic_abuse": False,
        "trauma_history": False,
        "rural": False,
        "trust": 0.5,
        "knowledge": 0.5,
        "hub_weekday": 2.0,
        "term_gestation_weeks": 40.0,
        "nas_stay_days": 10.0,
        "fate": np.zeros(FATES),
        "in_treatment_at_known": True,
    }
    env = simpy.Environment()
    streams = Streams(1, 0)
    base.update(
        born=env.event(),
        ended=env.event(),
        contact_draws=streams.get("contacts", 0),
        durations=streams.get("durations", 0),
    )
    base.update(changes)
    woman = Woman(**base)
    woman.treatment_changes.append((0.0, woman.in_treatment))
    return woman


def test_same_woman_whatever_the_scenario():
    other = PerinatalScenario(model="perinatal", name="o", interventions={"training_coverage": 0.9})
    a = draw_woman(3, simpy.Environment(10.0), True, DEFAULTS, Streams(5, 0))
    b = draw_woman(3, simpy.Environment(10.0), True, other, Streams(5, 0))
    assert (a.known_gestation_weeks, a.trust, a.opioid_use) == (
        b.known_gestation_weeks,
        b.trust,
        b.opioid_use,
    )
    assert np.array_equal(a.fate, b.fate)


def _system(**interventions) -> CareSystem:
    scenario = PerinatalScenario(model="perinatal", name="s", interventions=interventions)
    return CareSystem(simpy.Environment(), scenario, Streams(1, 0), event_log=False)


def test_hub_day_alignment_snaps_to_her_weekday():
    system = _system(co_located_hub=True)
    woman = _woman(hub_weekday=2.0)
    assert aligned_day(system, woman, "drug_treatment", 10.0) == 9.0  # nearest day = 2 (mod 7)
    assert aligned_day(system, woman, "drug_treatment", 13.0) == 16.0
    assert aligned_day(system, woman, "ultrasound", 13.0) == 13.0  # scans stay at the hospital
    places = {name: terms.place for name, terms in system.contact_terms.items()}
    assert places["drug_treatment"] == "hub" and places["social_work"] == "home"
    assert aligned_day(_system(), woman, "drug_treatment", 13.0) == 13.0


def test_training_only_adds_trained_staff():
    low, high = _system(training_coverage=0.3), _system(training_coverage=0.8)
    posts = [p for s in low.workforce.services.values() for p in s.posts]
    trained_low = {p.staff_id for p in posts if low.training.trained(p)}
    trained_high = {
        p.staff_id
        for s in high.workforce.services.values()
        for p in s.posts
        if high.training.trained(p)
    }
    assert trained_low < trained_high


def test_named_worker_goes_to_smallest_caseload():
    system = _system()
    recs = [ServiceRecord() for _ in range(8)]
    staff = system.workforce
    for rec in recs[:7]:
        rec.named_post = staff.assign_named_worker("social_work", rec)
    assert [rec.named_post for rec in recs[:7]] == [0, 1, 2, 3, 4, 5, 0]
    staff.discharge_named_worker("social_work", recs[3])
    assert staff.assign_named_worker("social_work", recs[7]) == 3


def test_a_leavers_cases_move_to_colleagues_and_new_cases_avoid_the_post():
    system = _system()
    recs = [ServiceRecord() for _ in range(6)]
    staff = system.workforce
    for rec in recs:
        rec.named_post = staff.assign_named_worker("social_work", rec)
    post = staff.services["social_work"].posts[2]
    staff.services["social_work"].vacate(post, 100.0)
    staff.reallocate("social_work", 2)
    assert recs[2].named_post != 2 and not staff.cases["social_work"][2]
    assert staff.assign_named_worker("social_work", ServiceRecord()) != 2


def test_pressure_is_zero_below_the_threshold_and_one_when_always_busy():
    assert pressure(0.5, 0.7) == 0.0 and pressure(0.7, 0.7) == 0.0
    assert pressure(0.85, 0.7) == pytest.approx(0.5) and pressure(1.0, 0.7) == 1.0


def test_late_referral_gets_a_hurried_assessment_that_meets_the_deadline():
    system = _system()
    woman = _woman(known_gestation_weeks=33.0)  # referred on day 0 at 33 weeks
    deadline = conference_deadline(system, woman)
    assert deadline == pytest.approx(28.0)  # England: 28 days after a late concern
    plan = assessment_plan(system, woman, deadline)
    spec = system.specs["social_work"]
    assert plan.hurried and plan.visits == spec.assessment_visits
    finish = plan.first_visit_days + (plan.visits - 1) * plan.interval_days + plan.notice_days
    assert finish <= deadline
    early = _woman(known_gestation_weeks=12.0)
    assert not assessment_plan(system, early, conference_deadline(system, early)).hurried


def test_a_rushed_or_new_service_worker_asks_for_her_history_more_often():
    system = _system()
    same, new = retell_probability(system, False, 0.0), retell_probability(system, True, 0.0)
    assert same < new < 1.0
    assert retell_probability(system, False, 1.0) > same
    assert _system(shared_records=True).interventions.shared_records
    assert retell_probability(_system(shared_records=True), True, 0.0) < same


def test_removal_is_separation():
    w = _woman()
    for placement, separated in [
        ("with_mother", False),
        ("with_mother_under_plan", False),
        ("kinship_care", True),
        ("foster_care", True),
    ]:
        w.placement = placement
        assert w.separated is separated


def test_reference_attendance_when_nothing_shifts_the_odds():
    system = _system(training_coverage=0.0)
    woman = _woman(trust=0.5, knowledge=0.5)
    post = system.workforce.services["social_work"].posts[0]
    p = attendance_probability(system, woman, "social_work", "home", post)
    assert p == pytest.approx(system.specs["social_work"].attendance_probability)
    assert (
        attendance_probability(system, woman, "social_work", "social_work_office", post) < p
    )  # a trip
    woman.trust = 0.9
    assert attendance_probability(system, woman, "social_work", "home", post) > p


def test_requests_queued_for_a_post_can_be_withdrawn_to_go_elsewhere():
    env = simpy.Environment()
    staff = Service(env, "s", 2)
    got: list = []

    def hold():
        post = yield from staff.acquire(0)
        yield env.timeout(10)
        staff.release(post)

    def wait_for_post_0():
        got.append((yield from staff.acquire(0)))

    env.process(hold())
    env.process(wait_for_post_0())
    env.run(until=1)
    staff.withdraw_waiting_for(0)
    env.run(until=2)
    assert got == [None] and staff.waiting.value == 0
