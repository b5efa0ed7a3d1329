"""Expected harms: overdose and suicide hazards integrated exactly, checked against hand
integrals for hand-built women."""

import pytest

from pathway_sim.models.perinatal.harms import EARLY_POSTPARTUM_DAYS, HarmSpans, expected_harms
from pathway_sim.models.perinatal.schema import Harms

from .test_pathway_units import _woman

NONE = HarmSpans(supported_from=None, specialist_care=None)
BIRTH, END = 140.0, 505.0
LATE_DAYS = 365.0 - EARLY_POSTPARTUM_DAYS


def _reference(h: Harms) -> float:
    """The reference rates integrated over pregnancy (140 days) and the first year."""
    return (
        140 * h.overdose_per_100k_days_pregnant
        + EARLY_POSTPARTUM_DAYS * h.overdose_per_100k_days_early_postpartum
        + LATE_DAYS * h.overdose_per_100k_days_late_postpartum
    ) / 1e5


def _followed(**changes):
    w = _woman(**changes)
    w.birth_day, w.end_day = BIRTH, END
    return w


def test_an_opioid_user_in_treatment_has_the_reference_rate():
    h = Harms()
    got = expected_harms(_followed(), h, NONE)
    assert got.overdoses == pytest.approx(_reference(h))
    assert got.overdose_deaths == pytest.approx(_reference(h) * h.overdose_fatal_share)
    assert got.suicides_after_removal == 0 and got.overdoses_after_removal == 0


def test_non_users_overdose_less_than_users_whatever_their_treatment():
    h = Harms()
    user = expected_harms(_followed(), h, NONE).overdoses
    non_user = expected_harms(_followed(opioid_use=False, in_treatment=False), h, NONE)
    assert non_user.overdoses == pytest.approx(_reference(h) * h.non_opioid_overdose_ratio)
    assert non_user.overdoses < user


def test_overdose_risk_is_highest_in_the_weeks_after_leaving_treatment():
    h = Harms()
    w = _followed()
    w.set_treatment(300.0, False)
    got = expected_harms(w, h, NONE).overdoses
    early = h.overdose_per_100k_days_early_postpartum / 1e5
    late = h.overdose_per_100k_days_late_postpartum / 1e5
    t, r = h.not_in_treatment_multiplier, h.recent_stop_multiplier
    split = BIRTH + EARLY_POSTPARTUM_DAYS
    stop_end = 300.0 + h.recent_stop_days
    expected = (
        140 * h.overdose_per_100k_days_pregnant / 1e5
        + early * (300 - BIRTH)
        + early * t * r * (split - 300)
        + late * t * r * (stop_end - split)
        + late * t * (END - stop_end)
    )
    assert got == pytest.approx(expected)
    never_left = _followed(in_treatment=False, in_treatment_at_known=False)
    never_left.set_treatment(300.0, False)  # no change: she was never in treatment
    assert not never_left.treatment_changes[1:]


def test_mental_health_need_raises_harms_and_specialist_care_lowers_them():
    h = Harms()
    without = expected_harms(_followed(), h, NONE)
    need = expected_harms(_followed(mental_health_need=True), h, NONE)
    assert need.overdoses == pytest.approx(without.overdoses * h.mental_health_overdose_multiplier)
    assert need.suicides == pytest.approx(without.suicides * h.mental_health_suicide_multiplier)
    care = HarmSpans(supported_from=None, specialist_care=(50.0, 250.0))
    treated = expected_harms(_followed(mental_health_need=True), h, care)
    assert treated.overdoses < need.overdoses and treated.suicides < need.suicides
    suicide_day = h.suicide_per_100k_years / 1e5 / 365 * h.mental_health_suicide_multiplier
    assert treated.suicides == pytest.approx(
        suicide_day * (365 + 140 - 200 + 200 * h.specialist_care_multiplier)
    )
    no_need = expected_harms(_followed(), h, care)  # care without need changes nothing
    assert no_need.suicides == pytest.approx(without.suicides)


def test_every_woman_has_a_suicide_hazard():
    h = Harms()
    got = expected_harms(_followed(opioid_use=False), h, NONE)
    assert got.suicides == pytest.approx(h.suicide_per_100k_years / 1e5 / 365 * (END - 0.0))


def test_harms_after_removal_count_the_spell_in_care_only():
    h = Harms()
    w = _followed()
    w.removal_days, w.return_home_days = [150.0], [250.0]
    w.set_treatment(200.0, False)
    got = expected_harms(w, h, HarmSpans(supported_from=180.0, specialist_care=None))
    early = h.overdose_per_100k_days_early_postpartum / 1e5
    r, t, s = (
        h.removal_overdose_multiplier,
        h.not_in_treatment_multiplier,
        h.post_removal_support_multiplier,
    )
    recent = h.recent_stop_days  # left treatment on day 200: raised risk for 4 weeks
    out = s * t * (h.recent_stop_multiplier * recent + (50 - recent))
    after = early * r * (30 + s * 20 + out)
    assert got.overdoses_after_removal == pytest.approx(after)
    suicide = h.suicide_per_100k_years / 1e5 / 365 * h.removal_suicide_multiplier
    assert got.suicides_after_removal == pytest.approx(suicide * (30 + s * 70))


def test_overdoses_by_period_add_up():
    h = Harms()
    got = expected_harms(_followed(mental_health_need=True), h, NONE)
    assert sum(got.overdoses_by_period) == pytest.approx(got.overdoses)
    k = h.mental_health_overdose_multiplier
    assert got.overdoses_by_period[0] == pytest.approx(
        k * 140 * h.overdose_per_100k_days_pregnant / 1e5
    )
