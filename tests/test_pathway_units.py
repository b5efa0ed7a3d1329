"""Pieces of the perinatal model checked by hand: schedules, odds, harms, alignment."""

import math

import numpy as np
import pytest
import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.engine.service import Service
from pathway_sim.models.perinatal.care_quality import (
    retell_probability,
    retraumatise,
    stigmatise,
)
from pathway_sim.models.perinatal.contacts import (
    ATTENDED,
    MISSED,
    Booking,
    aligned_day,
    attendance_probability,
    contact,
)
from pathway_sim.models.perinatal.fates import (
    CONTACT_DRAWS,
    FATES,
    PRETERM_WEEKS,
    TERM_WEEKS,
    Fate,
)
from pathway_sim.models.perinatal.maternity import adequate_care_so_far, antenatal_weeks
from pathway_sim.models.perinatal.metrics import adequate_antenatal_care
from pathway_sim.models.perinatal.odds import logistic, logit, per_period, with_odds_ratio
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.social_work import assessment_plan, conference_deadline
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import ServiceRecord, Woman, draw_woman
from pathway_sim.models.perinatal.workload import pressure

from .pathway_helpers import small

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
        "previous_removal": False,
        "buprenorphine": False,
        "rural": False,
        "trust": 0.5,
        "knowledge": 0.5,
        "hub_weekday": 2.0,
        "term_gestation_weeks": 40.0,
        "nas_stay_days": 10.0,
        "fate": np.zeros(FATES),
        "in_treatment_at_known": True,
        "treatment_started": True,
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


def _scenario_system(**sections) -> CareSystem:
    scenario = PerinatalScenario(model="perinatal", name="s", **sections)
    return CareSystem(simpy.Environment(), scenario, Streams(1, 0), event_log=False)


def _loaded_system(*changes: str) -> CareSystem:
    return CareSystem(simpy.Environment(), small(*changes), Streams(1, 0), event_log=False)


def test_service_traits_are_fields_of_the_spec():
    """The hub, navigator and third-sector traits are read from each service's spec."""
    hub = "interventions.co_located_hub=true"
    default = _loaded_system(hub)
    assert default.contact_terms["drug_treatment"].place == "hub"
    assert default.contact_terms["drug_treatment"].hub_aligned
    kept_out = _loaded_system(hub, "services.drug_treatment.hub_hosted=false")
    assert kept_out.contact_terms["drug_treatment"].place == "drug_service"
    assert not kept_out.contact_terms["drug_treatment"].hub_aligned
    engagement = DEFAULTS.engagement
    navigator = _loaded_system("services.midwifery.navigator=true")
    assert default.contact_terms["midwifery"].knowledge_gain == engagement.knowledge_gain
    assert navigator.contact_terms["midwifery"].knowledge_gain == (
        engagement.knowledge_gain_navigator
    )
    assert [name for name, spec in DEFAULTS.services if spec.third_sector] == [
        "peer_advocacy",
        "parenting_support",
        "post_removal_support",
    ]


def test_funding_ends_on_its_day_for_any_service():
    system = _loaded_system("services.health_visiting.funding_end_day=30")
    assert system.available("health_visiting")
    system.env.run(until=30.0)
    assert not system.available("health_visiting") and system.available("midwifery")


def test_one_adequacy_threshold_read_by_both_definitions():
    """Adequate care so far (the preterm risk) and adequate antenatal care (the KPI) differ
    in what they count but read the same threshold, ``birth.adequate_attendance_share``."""
    woman = _woman(booking_gestation_weeks=12.0, antenatal_attended=6, antenatal_scheduled=10)
    rec = woman.record("midwifery")
    rec.attended, rec.missed = 6, 4
    for share, adequate in ((0.7, False), (0.6, True)):
        scenario = PerinatalScenario(
            model="perinatal", name="s", birth={"adequate_attendance_share": share}
        )
        assert adequate_care_so_far(woman, scenario.birth.adequate_attendance_share) is adequate
        assert adequate_antenatal_care(woman, scenario) is adequate
    late = _woman(booking_gestation_weeks=21.0, antenatal_attended=10, antenatal_scheduled=10)
    assert not adequate_antenatal_care(late, DEFAULTS)  # booked after 20 weeks
    later = PerinatalScenario(model="perinatal", name="s", indices={"late_booking_weeks": 22.0})
    assert adequate_antenatal_care(late, later)


def test_a_stigmatising_contact_costs_trust_once_even_when_it_retraumatises():
    """The stigma's trust loss stands for the event: its re-traumatisation adds no loss."""
    system = _scenario_system(hostile_care={"stigma_retraumatise_probability": 1.0})
    woman = _woman(trust=0.8)
    stigmatise(system, woman, "midwifery")
    assert (woman.stigmatising, woman.retraumatised) == (1, 1)
    assert woman.trust == pytest.approx(0.8 - DEFAULTS.engagement.trust_loss_stigma)
    other = _woman(trust=0.8)
    retraumatise(system, other, "conference")
    assert other.trust == pytest.approx(0.8 - DEFAULTS.engagement.trust_loss_retraumatised)


def test_a_contact_takes_the_same_numbers_whatever_happens_in_it():
    """Attended or missed, a contact reads its named draws (``ContactDraw``) and no more, so
    what happens in one contact never shifts the numbers of the next."""
    taken = []
    for certain in (0.0, 1.0):
        system = _scenario_system(services={"health_visiting": {"attendance_probability": certain}})
        woman = _woman()
        woman.record("health_visiting")
        booking = Booking("visit", align=False)
        process = system.env.process(contact(system, woman, "health_visiting", booking, 1.0))
        system.env.run(until=process)
        assert process.value == (ATTENDED if certain else MISSED)
        taken.append(woman.contact_uniforms.take(1))
    assert taken[0] == taken[1] == _woman().contact_uniforms.take(CONTACT_DRAWS + 1)[-1:]


def test_each_woman_draws_one_number_per_preterm_week():
    woman = draw_woman(0, simpy.Environment(), True, DEFAULTS, Streams(1, 0))
    assert len(woman.fate) == FATES == Fate.PRETERM_WEEK + len(PRETERM_WEEKS)
    assert PRETERM_WEEKS[-1] + 1 == TERM_WEEKS == 37
