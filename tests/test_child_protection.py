"""Child-protection decisions read what social workers read; babies can return home."""

import math

import numpy as np
import pytest
import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.models.perinatal import metrics
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.social_work import (
    later_removal_probability,
    plan_probability,
    read_engagement,
    referral_probability,
    reunification_probability,
    separation_probability,
)
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import late_disclosure_probability
from pathway_sim.runs.runner import run_replication

from .pathway_helpers import kpi_values, paired_difference, small
from .test_pathway_units import _woman


def _system(**sections) -> CareSystem:
    scenario = PerinatalScenario(model="perinatal", name="s", **sections)
    return CareSystem(simpy.Environment(), scenario, Streams(1, 0), event_log=False)


def _under_plan(**changes):
    w = _woman(**changes)
    w.cp_plan = True
    w.antenatal_attended, w.antenatal_missed = 8, 2
    w.birth_day = w.conference_day = 0.0
    return w


@pytest.mark.parametrize(
    ("risk", "name"),
    [
        ({"domestic_abuse": True}, "domestic_abuse_odds_ratio"),
        ({"housing_unstable": True}, "housing_odds_ratio"),
        ({"mental_health_need": True}, "mental_health_odds_ratio"),
    ],
)
def test_separation_reads_each_risk_factor_as_its_odds_ratio(risk, name):
    system = _system()
    ratio = getattr(system.child_protection, name)
    p0 = separation_probability(system, _under_plan())
    p1 = separation_probability(system, _under_plan(**risk))
    odds = (p1 / (1 - p1)) / (p0 / (1 - p0))
    assert p1 > p0 and odds == pytest.approx(ratio)
    assert plan_probability(system, _under_plan(**risk)) > plan_probability(system, _under_plan())


def test_separation_is_higher_out_of_treatment_and_after_leaving_it():
    system = _system()
    in_treatment = separation_probability(system, _under_plan())
    never = separation_probability(
        system, _under_plan(in_treatment=False, in_treatment_at_known=False)
    )
    left = separation_probability(system, _under_plan(in_treatment=False))
    assert in_treatment < never < left


def test_cancelled_contacts_do_not_change_the_engagement_read():
    system = _system()
    w = _under_plan()
    read = read_engagement(system, w)
    p = separation_probability(system, w)
    w.antenatal_scheduled += 3  # due after the birth, while her baby is in hospital: cancelled
    w.record("midwifery").cancelled += 3
    assert read_engagement(system, w) == read == pytest.approx(0.8)
    assert separation_probability(system, w) == p


def test_a_missed_contact_far_from_services_counts_less():
    system = _system()
    urban, rural = _under_plan(), _under_plan(rural=True)
    assert read_engagement(system, rural) > read_engagement(system, urban)
    raw = _system(child_protection={"travel_allowance": 0.0})
    assert read_engagement(raw, rural) == read_engagement(raw, urban)


def test_shared_records_and_a_coordinator_fill_an_assessments_shortfall_at_strength_one():
    def p(system, coordinator=False):
        w = _under_plan()
        w.assessment_shortfall, w.has_coordinator = 2 / 3, coordinator
        return separation_probability(system, w)

    base, shared = _system(), _system(interventions={"shared_records": True})
    assert p(shared) < p(base) and p(base, coordinator=True) < p(base)
    off = {"preconditions": {"strength": 0.0}}
    shared_off = _system(interventions={"shared_records": True}, **off)
    assert p(shared_off) == p(_system(**off)) and p(_system(**off), True) == p(_system(**off))


def test_return_home_is_likelier_with_support_after_removal_and_in_treatment():
    system = _system()
    w = _woman()
    w.removal_days = [10.0]
    p = reunification_probability(system, w)
    rec = w.record("post_removal_support")
    rec.last_attended_day = 40.0
    supported = reunification_probability(system, w)
    odds = (supported / (1 - supported)) / (p / (1 - p))
    assert odds == pytest.approx(system.child_protection.reunification_support_odds_ratio)
    w.in_treatment = False
    assert reunification_probability(system, w) < supported
    w.domestic_abuse = True
    assert reunification_probability(system, _woman()) > 0  # defined before any removal too


def test_babies_return_home_only_after_removal_and_stay_counted_as_removed():
    scenario = small()
    women = []
    for rep in range(3):
        result = run_replication(scenario, 3, rep)
        women += result.woman_rows
    reunified = [w for w in women if w["reunified"]]
    assert reunified and all(w["removed"] for w in reunified)
    assert all(w["end_state"] in ("with_mother_under_plan", "kinship_care", "foster_care")
               for w in reunified)  # fmt: skip


def test_stable_does_not_count_a_separated_mother_who_had_support():
    scenario = PerinatalScenario(model="perinatal", name="s")
    w = _woman(trust=0.9)
    w.placement = "foster_care"
    w.record("post_removal_support").first_attended_day = 20.0
    assert not metrics.stable(w, scenario)
    w.placement = "with_mother_under_plan"  # returned home
    assert metrics.stable(w, scenario)


def test_late_disclosure_falls_with_training_and_coproduced_information():
    def p(domestic_abuse=False, **iv):
        scenario = PerinatalScenario(model="perinatal", name="s", interventions=iv)
        return late_disclosure_probability(scenario, domestic_abuse)

    base = p()
    assert p(training_coverage=0.9) < base
    assert p(coproduced_information=True) < base
    assert p(co_located_hub=True) < base
    assert p(domestic_abuse=True) > base
    pop = PerinatalScenario(model="perinatal", name="s").population
    assert p(training_coverage=0.0) == pytest.approx(
        1 / (1 + math.exp(-(math.log(0.15 / 0.85) + pop.disclosure_fear_log_odds)))
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "lever", ["interventions.training_coverage=0.9", "interventions.coproduced_information=true"]
)
def test_late_booking_falls_with_training_and_coproduced_information(lever):
    base = kpi_values(small(), "late_booking_pct", 20)
    changed = kpi_values(small(lever), "late_booking_pct", 20)
    mean, _, high = paired_difference(base, changed, confidence=0.95)
    assert mean < 0 and high < 0
    assert np.all(np.isfinite(base))


def _log_odds(p: float) -> float:
    return math.log(p / (1 - p))


def _decisions(system, woman) -> dict[str, float]:
    """Every child-protection decision's log-odds for her (plan, separation, referral, later
    removal, return home after a removal)."""
    woman.removal_days = [10.0]
    return {
        "referral": _log_odds(referral_probability(system, woman)),
        "plan": _log_odds(plan_probability(system, woman)),
        "separation": _log_odds(separation_probability(system, woman)),
        "later removal": _log_odds(later_removal_probability(system, woman)),
        "return home": _log_odds(reunification_probability(system, woman)),
    }


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_treatment_weighs_for_women_who_use_no_opioids_only_as_its_parameter_says(weight):
    """Out of treatment (and having left it) against in treatment, for a woman who uses no
    opioids: each decision's log-odds moves by ``weight`` times what it moves for an
    opioid user, and not at all at the default weight 0."""
    system = _system(child_protection={"non_opioid_treatment_weight": weight})

    def shift(opioid_use: bool) -> dict[str, float]:
        treated = _decisions(system, _under_plan(opioid_use=opioid_use))
        left = _decisions(system, _under_plan(opioid_use=opioid_use, in_treatment=False))
        return {k: left[k] - treated[k] for k in treated}

    user, non_user = shift(True), shift(False)
    for decision, moved in non_user.items():
        assert moved == pytest.approx(weight * user[decision], abs=1e-12), decision
    assert all(abs(v) > 0.1 for v in user.values())  # it does weigh for opioid users
    default = _system().child_protection.non_opioid_treatment_weight
    assert default == 0.0


def test_a_child_removed_before_raises_referral_and_removal_odds_by_their_odds_ratios():
    system = _system()
    cp = system.child_protection
    before = _decisions(system, _under_plan())
    after = _decisions(system, _under_plan(previous_removal=True))
    assert after["referral"] - before["referral"] == pytest.approx(
        math.log(cp.referral_previous_removal_odds_ratio)
    )
    for decision in ("plan", "separation", "later removal"):
        assert after[decision] - before[decision] == pytest.approx(
            math.log(cp.previous_removal_odds_ratio)
        )
    assert after["return home"] < before["return home"]


def test_referral_rises_with_contacts_attended_unless_surveillance_is_off():
    w = _woman(domestic_abuse=True)
    on, off = _system(), _system(child_protection={"surveillance_log_odds_per_contact": 0})
    before_on, before_off = referral_probability(on, w), referral_probability(off, w)
    w.pregnancy_attended = 12
    assert referral_probability(on, w) > before_on
    assert referral_probability(off, w) == before_off


@pytest.mark.slow
def test_prior_removals_raise_removal_on_the_same_women():
    """Every woman with a child removed before against none, on common random numbers: more
    babies are removed (paired over replications)."""
    none = kpi_values(small("population.previous_removal_probability=0"), "baby_in_care_3m_pct", 10)
    every = kpi_values(
        small("population.previous_removal_probability=1"), "baby_in_care_3m_pct", 10
    )
    mean, low, _ = paired_difference(none, every, confidence=0.95)
    assert mean > 0 and low > 0


@pytest.mark.slow
def test_referral_responds_to_contact_through_surveillance_and_not_without_it():
    """More antenatal contact attended brings more referrals when the surveillance effect is
    on (at the top of its register range, so ten replications see it); with it off, referral
    reads fixed attributes only, so it is the same replication by replication."""
    fewer, more = (
        "services.midwifery.attendance_probability=0.4",
        ("services.midwifery.attendance_probability=0.95"),
    )
    on = "child_protection.surveillance_log_odds_per_contact=0.025"
    low, high = (kpi_values(small(on, c), "social_work_referral_pct", 10) for c in (fewer, more))
    mean, ci_low, _ = paired_difference(low, high, confidence=0.95)
    assert mean > 0 and ci_low > 0
    off = "child_protection.surveillance_log_odds_per_contact=0"
    low, high = (kpi_values(small(off, c), "social_work_referral_pct", 10) for c in (fewer, more))
    assert np.array_equal(low, high)
