"""Cost arithmetic checked by hand on one woman, and the discounting rules."""

from types import SimpleNamespace

import pytest

from pathway_sim.models.perinatal.costs import (
    annuity,
    cost_kpis,
    discount,
    discounted_days,
    intervention_cost_per_year,
    staff_cost_per_year,
)
from pathway_sim.models.perinatal.harms import ExpectedHarms
from pathway_sim.models.perinatal.schema import PerinatalScenario


def _scenario(**interventions):
    return PerinatalScenario(
        model="perinatal", name="one_woman", population={"women_per_year": 1},
        interventions=interventions,
    )  # fmt: skip


def _woman():
    """Known on day 0, gave birth on day 200, baby treated 10 days for withdrawal, removed
    to foster care on day 300, follow-up ended on day 565; 20 contacts scheduled, two trips."""
    return SimpleNamespace(
        id=0, rural=False, arrival_day=0.0, born_day=200.0, follow_up_end_day=565.0,
        nas_treated=True, nas_stay_days=10.0, care_placement="foster_care",
        care_spells=lambda until: [(300.0, until)],
        services={"midwifery": SimpleNamespace(scheduled=12),
                  "drug_treatment": SimpleNamespace(scheduled=8)},
        trips={(10, "hospital"), (20, "community")},
    )  # fmt: skip


HARMS = {0: ExpectedHarms(0.1, 0.0, 0.0, 0.0, 0.0, 0.0)}


def test_staff_cost_is_each_post_at_its_share_of_a_full_time_week():
    by_hand = (
        4 * 30 / 37.5 * 72_000  # midwifery
        + 2 * 6 / 37.5 * 75_000  # ultrasound
        + 4 * 25 / 37.5 * 60_000  # drug treatment
        + 6 * 20 / 37.5 * 68_000  # social work
        + 2 * 15 / 37.5 * 80_000  # perinatal mental health
        + 3 * 8 / 37.5 * 72_000  # health visiting
        + 2 * 25 / 37.5 * 38_000  # peer advocacy (parenting, after-removal, co-ordination off)
    )
    assert staff_cost_per_year(_scenario()) == pytest.approx(by_hand)


def test_levers_cost_training_each_year_and_set_up_spread_over_its_life():
    posts = 4 + 2 + 4 + 6 + 2 + 3 + 2
    training = 0.3 * posts * 400 / 3
    assert intervention_cost_per_year(_scenario()) == pytest.approx(training)
    hub = 30_000 + 50_000 * 0.035 / (1 - 1.035**-5)
    assert intervention_cost_per_year(_scenario(co_located_hub=True)) == pytest.approx(
        training + hub
    )


def test_sustained_training_also_trains_each_years_joiners():
    plain = _scenario(training_coverage=0.9)
    joiners = sum(s.posts * s.turnover_per_year for _, s in plain.services if s.available)
    sustained = _scenario(training_coverage=0.9, sustained_training=True)
    extra = intervention_cost_per_year(sustained) - intervention_cost_per_year(plain)
    assert joiners > 0
    assert extra == pytest.approx(0.9 * joiners * 400)


def test_one_woman_by_hand():
    scenario = _scenario(transport_help=True, text_reminders=True)
    k = cost_kpis([_woman()], HARMS, scenario)
    reminders = 20 * 0.10 + 2_000  # per contact, plus the system's year over one woman a year
    transport = (5.0 + 3.0) + (2.0 + 3.0)  # hospital and community fares, plus arranging each
    neonatal = 10 * 705  # first year: not discounted
    days_in_care = (365 - 300) + (565 - 365) / 1.035  # the second year discounted at 3.5%
    placement = days_in_care / 7 * 750
    proceedings = 25_000
    overdose = 0.1 * (450 + 300 + 0.4 * 2_500)  # expected overdoses, midpoint in year one
    levers = 0.3 * 23 * 400 / 3 + reminders + transport
    assert k["intervention_cost_per_woman"] == pytest.approx(levers)
    assert k["neonatal_cost_per_woman"] == pytest.approx(neonatal)
    assert k["placement_cost_per_woman"] == pytest.approx(placement)
    assert k["proceedings_cost_per_woman"] == pytest.approx(proceedings)
    assert k["overdose_cost_per_woman"] == pytest.approx(overdose)
    downstream = neonatal + placement + proceedings + overdose
    assert k["downstream_cost_per_woman"] == pytest.approx(downstream)
    assert k["total_cost_per_woman"] == pytest.approx(
        staff_cost_per_year(scenario) + levers + downstream
    )


def test_keeping_mother_and_baby_together_costs_transitional_care_days():
    k = cost_kpis([_woman()], HARMS, _scenario(keep_together_postnatally=True))
    assert k["neonatal_cost_per_woman"] == pytest.approx(10 * 507)


def test_discounting_starts_after_her_first_year():
    assert discount(364.9, 0.0, 0.035) == 1.0
    assert discount(365.0, 0.0, 0.035) == pytest.approx(1 / 1.035)
    assert discount(800.0, 50.0, 0.035) == pytest.approx(1 / 1.035**2)
    assert discounted_days(100.0, 100.0, 0.0, 0.035) == 0.0
    assert discounted_days(300.0, 730.0 + 10, 0.0, 0.035) == pytest.approx(
        65 + 365 / 1.035 + 10 / 1.035**2
    )
    assert annuity(1_000, 0.0, 4) == 250


def test_no_women_gives_no_costs():
    assert all(v != v for v in cost_kpis([], {}, _scenario()).values())  # NaN
