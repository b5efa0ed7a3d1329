"""From the women of one replication to its KPI values and per-woman rows.

Each KPI here is defined in the catalogue (``pathway_sim.models.kpis``); percentages are
0-100. A KPI with no one to measure (no removals, say) is NaN, not zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from pathway_sim.core.units import DAYS_PER_WEEK
from pathway_sim.engine.service import ServiceStats
from pathway_sim.models.perinatal.costs import cost_kpis
from pathway_sim.models.perinatal.fates import TERM_WEEKS
from pathway_sim.models.perinatal.harms import (
    EARLY_POSTPARTUM_DAYS,
    ExpectedHarms,
    HarmSpans,
    expected_harms,
)
from pathway_sim.models.perinatal.kpis import SERVICE_LABELS
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.woman import Woman


def pct(flags: Iterable[bool]) -> float:
    values = list(flags)
    return 100.0 * sum(values) / len(values) if values else math.nan


def mean(values: Iterable[float | None]) -> float:
    data = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(data)) if data else math.nan


def ratio(num: float, den: float, scale: float = 100.0) -> float:
    return scale * num / den if den else math.nan


def replication_kpis(
    women: list[Woman],
    scenario: PerinatalScenario,
    stats: dict[str, ServiceStats],
    staff_confidence: float,
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """KPI values for the replication, in the catalogue's order, and one row per woman
    (staff confidence is the care system's simulated state, averaged over the measured
    weeks)."""
    harms = {w.id: _harms(w, scenario) for w in women}
    kpis: dict[str, float] = {
        **_care_quality(women),
        **_engagement(women, scenario),
        "staff_confidence_index": staff_confidence,
        **_self_efficacy_and_community(women, scenario),
        **_impacts(women, harms, scenario),
        **_operations(women),
        **_per_service(women, stats),
        **cost_kpis(women, harms, scenario),
    }
    rows = [woman_row(w, harms[w.id], scenario) for w in women]
    return kpis, rows


def _care_quality(women: list[Woman]) -> dict[str, float]:
    """S1-S3: re-traumatisation and stigma, support network, joined-up care."""
    return {
        "retraumatised_pct": pct(w.retraumatised > 0 for w in women),
        "retraumatising_events_per_woman": mean(w.retraumatised for w in women),
        "stigmatising_contacts_per_woman": mean(w.stigmatising for w in women),
        "support_network_at_birth": mean(w.network_at_birth for w in women),
        "continuity_breaks_per_woman": mean(
            sum(r.continuity_breaks for r in w.services.values()) for w in women
        ),
        "history_retold_per_woman": mean(w.history_retold for w in women),
        "distinct_professionals_per_woman": mean(len(w.seen_people) for w in women),
        "handover_failure_pct": ratio(
            sum(w.handover_failures for w in women), sum(w.handovers for w in women)
        ),
    }


def _engagement(women: list[Woman], scenario: PerinatalScenario) -> dict[str, float]:
    """S4-S5: engagement with maternity and drug treatment, knowledge at birth."""
    booked = [w.booking_gestation_weeks for w in women if w.booking_gestation_weeks is not None]
    late = scenario.indices.late_booking_weeks
    return {
        "antenatal_attendance_pct": ratio(
            sum(w.antenatal_attended for w in women), sum(w.antenatal_scheduled for w in women)
        ),
        "booking_gestation_weeks": mean(booked),
        "late_booking_pct": pct(weeks > late for weeks in booked),
        "unbooked_pct": pct(w.booking_gestation_weeks is None for w in women),
        "drug_treatment_attendance_pct": ratio(*_attended_of_scheduled(women, "drug_treatment")),
        "in_treatment_at_birth_pct": pct(bool(w.in_treatment_at_birth) for w in women),
        "treatment_stopped_pregnancy_pct": pct(
            not w.in_treatment_at_birth for w in women if w.in_treatment_at_known
        ),
        "knowledge_at_birth": mean(w.knowledge_at_birth for w in women),
    }


def _self_efficacy_and_community(
    women: list[Woman], scenario: PerinatalScenario
) -> dict[str, float]:
    """M1-M2: self-efficacy, engagement with community (third-sector) support."""
    community = [name for name, spec in scenario.services if spec.third_sector]
    return {
        "self_efficacy_index": mean(self_efficacy(w, scenario) for w in women),
        "community_support_engaged_pct": pct(_community_engaged(w, community) for w in women),
    }


def _impacts(
    women: list[Woman], harms: dict[int, ExpectedHarms], scenario: PerinatalScenario
) -> dict[str, float]:
    """I1-I4: babies with their mothers, health, deaths after removal, stability."""
    n = len(women)
    expected = harms.values()
    in_treatment_at_birth = [w for w in women if w.in_treatment_at_birth]
    in_care_window = scenario.indices.in_care_window_days
    return {
        "baby_with_mother_at_discharge_pct": pct(
            w.placement_at_discharge in ("with_mother", "with_mother_under_plan") for w in women
        ),
        "baby_in_care_3m_pct": pct(in_care_within(w, in_care_window) for w in women),
        "baby_with_mother_at_12m_pct": pct(not w.separated for w in women),
        "adequate_antenatal_care_pct": pct(adequate_antenatal_care(w, scenario) for w in women),
        "preterm_birth_pct": pct(born_preterm(w) for w in women),
        "nas_treatment_pct": pct(w.nas_treated for w in women if w.opioid_use),
        "treatment_retention_12m_pct": pct(w.in_treatment for w in in_treatment_at_birth),
        "treatment_entry_12m_pct": pct(
            w.in_treatment for w in women if w.opioid_use and not w.in_treatment_at_birth
        ),
        "overdoses_per_1000": _per_1000(expected, lambda h: h.overdoses, n),
        "harm_after_removal_per_1000": _per_1000(
            expected, lambda h: h.overdoses_after_removal + h.suicides_after_removal, n
        ),
        "deaths_after_removal_per_1000": _per_1000(
            expected, lambda h: h.overdose_deaths_after_removal + h.suicides_after_removal, n
        ),
        "suicides_per_1000": _per_1000(expected, lambda h: h.suicides, n),
        **_opioid_overdose_profile(women, harms),
        "reunifications_per_100_removals": ratio(
            sum(len(w.return_home_days) for w in women), sum(len(w.removal_days) for w in women)
        ),
        "stable_at_12m_pct": pct(stable(w, scenario) for w in women),
    }


def _operations(women: list[Woman]) -> dict[str, float]:
    """OP: contacts and their burden, travel, child-protection deadlines, first assessments."""
    total = _totals(women)
    referred = [w for w in women if w.conference_deadline_day is not None]
    conferences = [w for w in referred if w.conference_day is not None]
    return {
        "contacts_per_woman": ratio(total["attended"] + total["missed"], len(women), 1.0),
        "missed_contact_pct": ratio(total["missed"], total["attended"] + total["missed"]),
        "antenatal_missed_pct": ratio(
            sum(w.antenatal_missed for w in women),
            sum(w.antenatal_missed + w.antenatal_attended for w in women),
        ),
        "appointments_per_week_pregnant": mean(_appointments_per_week(w) for w in women),
        "locations_per_week_pregnant": mean(_locations_per_week(w) for w in women),
        "trips_per_woman": mean(len(w.trips) for w in women),
        "travel_hours_per_woman": mean(w.travel_hours for w in women),
        "travel_cost_per_woman": mean(w.travel_cost_gbp for w in women),
        "assessment_late_pct": pct(
            w.assessment_late for w in referred if w.assessment_done_day is not None
        ),
        "conference_late_pct": pct(w.conference_late for w in conferences),
        "social_work_referral_pct": pct(w.referral_day is not None for w in women),
        "mental_health_first_missed_pct": ratio(*_first_missed_of_offered(women, "mental_health")),
    }


def _per_service(women: list[Woman], stats: dict[str, ServiceStats]) -> dict[str, float]:
    """OP, for every service (available or not): contacts, misses, waits, utilisation."""
    n = len(women)
    kpis: dict[str, float] = {}
    for service in SERVICE_LABELS:
        recs = [w.services[service] for w in women if service in w.services]
        kpis[f"{service}_attended_per_woman"] = ratio(sum(r.attended for r in recs), n, 1.0)
        kpis[f"{service}_missed_per_woman"] = ratio(sum(r.missed for r in recs), n, 1.0)
        kpis[f"{service}_wait_days"] = ratio(
            sum(r.wait_days for r in recs), sum(r.attended + r.missed for r in recs), 1.0
        )
        s = stats.get(service)
        kpis[f"{service}_utilisation"] = s.utilisation if s else math.nan
    return kpis


def adequate_antenatal_care(w: Woman, scenario: PerinatalScenario) -> bool:
    """Adequate antenatal care as the KPI measures it over her whole pregnancy: booked by the
    late-booking gestation and attending at least the adequate share of the antenatal contacts
    scheduled (``maternity.adequate_care_so_far`` is the preterm risk's reading, so far)."""
    booked = w.booking_gestation_weeks
    if booked is None or booked > scenario.indices.late_booking_weeks:
        return False
    return w.antenatal_attended >= scenario.birth.adequate_attendance_share * w.antenatal_scheduled


def in_care_within(w: Woman, days: float) -> bool:
    """Her baby was removed (kinship or foster care) within ``days`` of birth."""
    return w.removal_day is not None and w.removal_day - w.born_day <= days


def born_preterm(w: Woman) -> bool:
    """Her baby was born before 37 weeks."""
    return w.birth_gestation_weeks is not None and w.birth_gestation_weeks < TERM_WEEKS


def self_efficacy(w: Woman, scenario: PerinatalScenario) -> float:
    ix = scenario.indices
    return (
        ix.efficacy_trust_weight * w.trust
        + ix.efficacy_knowledge_weight * w.knowledge
        + ix.efficacy_treatment_weight * (w.in_treatment or not w.opioid_use)
        + ix.efficacy_baby_weight * (not w.separated)
    )


def stable(w: Woman, scenario: PerinatalScenario) -> bool:
    """Stable at 12 months: in treatment (or not using opioids), trusting services, and
    caring for her baby (reunified included). Receiving a service is not stability."""
    return (
        (w.in_treatment or not w.opioid_use)
        and w.trust >= scenario.indices.stable_trust_threshold
        and not w.separated
    )


def _community_engaged(w: Woman, community: list[str]) -> bool:
    """She attended a community (third-sector) service at some time in her follow-up, from
    first contact to 12 months after birth (so a funding gap late in the year does not erase
    the engagement she had)."""
    return any(s in w.services and w.services[s].first_attended_day is not None for s in community)


def _attended_of_scheduled(women: list[Woman], service: str) -> tuple[float, float]:
    recs = [w.services[service] for w in women if service in w.services]
    return sum(r.attended for r in recs), sum(r.scheduled for r in recs)


def _first_missed_of_offered(women: list[Woman], service: str) -> tuple[float, float]:
    recs = [w.services[service] for w in women if service in w.services]
    return sum(r.first_missed for r in recs), sum(r.first_missed + r.first_attended for r in recs)


def _totals(women: list[Woman]) -> dict[str, int]:
    total = {"attended": 0, "missed": 0}
    for w in women:
        for r in w.services.values():
            total["attended"] += r.attended
            total["missed"] += r.missed
    return total


def _appointments_per_week(w: Woman) -> float:
    weeks = max((w.born_day - w.arrival_day) / DAYS_PER_WEEK, 1.0)
    return w.pregnancy_contacts / weeks


def _locations_per_week(w: Woman) -> float:
    weeks: dict[int, set[str]] = {}
    for day, place in w.pregnancy_trips:
        weeks.setdefault(int((day - w.arrival_day) // DAYS_PER_WEEK), set()).add(place)
    return mean(len(places) for places in weeks.values()) if weeks else math.nan


def _supported_from(w: Woman) -> float | None:
    rec = w.services.get("post_removal_support")
    return rec.first_attended_day if rec else None


def _specialist_care(w: Woman, scenario: PerinatalScenario) -> tuple[float, float] | None:
    """From her first attended specialist mental-health contact to one contact interval after
    her last attended one: the time she was in that care."""
    rec = w.services.get("mental_health")
    if rec is None or rec.first_attended_day is None:
        return None
    interval = scenario.services.mental_health.contact_interval_days
    return rec.first_attended_day, rec.last_attended_day + interval


def _harms(w: Woman, scenario: PerinatalScenario) -> ExpectedHarms:
    return expected_harms(
        w, scenario.harms, HarmSpans(_supported_from(w), _specialist_care(w, scenario))
    )


OVERDOSE_PROFILE = (
    "overdose_rate_opioid_pregnancy",
    "overdose_rate_opioid_0_6m",
    "overdose_rate_opioid_7_12m",
)
"""The opioid users' overdose rate by period, in the order of ``overdoses_by_period``."""


def _opioid_overdose_profile(
    women: list[Woman], harms: dict[int, ExpectedHarms]
) -> dict[str, float]:
    """Expected overdoses per 100,000 person-days among women who use opioids, in pregnancy
    (from first contact) and months 0-6 and 7-12 after birth: the profile the published
    rates describe."""
    users = [w for w in women if w.opioid_use]
    events = [sum(harms[w.id].overdoses_by_period[k] for w in users) for k in range(3)]
    days = [sum(person_days_by_period(w)[k] for w in users) for k in range(3)]
    return {
        name: ratio(e, d, 1e5) for name, e, d in zip(OVERDOSE_PROFILE, events, days, strict=True)
    }


def person_days_by_period(w: Woman) -> tuple[float, float, float]:
    """Her days followed in pregnancy, months 0-6 and months 7-12 after birth."""
    birth, end = w.born_day, w.follow_up_end_day
    split = min(birth + EARLY_POSTPARTUM_DAYS, end)
    return birth - w.arrival_day, split - birth, max(end - split, 0.0)


def _per_1000(
    harms: Iterable[ExpectedHarms], pick: Callable[[ExpectedHarms], float], n: int
) -> float:
    return 1000.0 * sum(pick(h) for h in harms) / n if n else math.nan


def woman_row(w: Woman, harms: ExpectedHarms, scenario: PerinatalScenario) -> dict[str, Any]:
    """Her attributes and outcomes, for subgroup analysis (``women.csv``)."""
    row: dict[str, Any] = {
        "woman_id": w.id,
        "arrival_day": w.arrival_day,
        "birth_day": w.birth_day,
        "end_day": w.end_day,
        "rural": w.rural,
        "nulliparous": w.nulliparous,
        "opioid_use": w.opioid_use,
        "in_treatment_at_known": w.in_treatment_at_known,
        "mental_health_need": w.mental_health_need,
        "housing_unstable": w.housing_unstable,
        "domestic_abuse": w.domestic_abuse,
        "trauma_history": w.trauma_history,
        "previous_removal": w.previous_removal,
        "known_gestation_weeks": w.known_gestation_weeks,
        "booking_gestation_weeks": w.booking_gestation_weeks,
        "birth_gestation_weeks": w.birth_gestation_weeks,
        "opioid_exposure": w.opioid_exposure,
        "nas_treated": w.nas_treated,
        "sw_referred": w.conference_deadline_day is not None,
        "conference_late": w.conference_late,
        "cp_plan": bool(w.cp_plan),
        "placement_at_discharge": w.placement_at_discharge,
        "end_state": w.end_state,
        "in_treatment_at_birth": w.in_treatment_at_birth,
        "in_treatment_at_6m": w.in_treatment_on(w.born_day + EARLY_POSTPARTUM_DAYS),
        "in_treatment_at_end": w.in_treatment,
        "trust_at_end": w.trust,
        "knowledge_at_birth": w.knowledge_at_birth,
        "retraumatised": w.retraumatised,
        "stigmatising": w.stigmatising,
        "wider_team_stigma": w.wider_stigma,
        "history_retold": w.history_retold,
        "trips": len(w.trips),
        "travel_hours": w.travel_hours,
        "travel_cost_gbp": w.travel_cost_gbp,
        "antenatal_scheduled": w.antenatal_scheduled,
        "antenatal_attended": w.antenatal_attended,
        "antenatal_missed": w.antenatal_missed,
        "removed": bool(w.removal_days),
        "reunified": len(w.return_home_days),
        "self_efficacy": self_efficacy(w, scenario),
        "expected_overdoses": harms.overdoses,
        "expected_deaths_after_removal": harms.overdose_deaths_after_removal
        + harms.suicides_after_removal,
        "expected_suicides": harms.suicides,
        "expected_overdoses_pregnancy": harms.overdoses_by_period[0],
        "expected_overdoses_0_6m": harms.overdoses_by_period[1],
        "expected_overdoses_7_12m": harms.overdoses_by_period[2],
    }
    for service in SERVICE_LABELS:
        rec = w.services.get(service)
        for field in ("scheduled", "attended", "missed", "cancelled"):
            row[f"{service}_{field}"] = getattr(rec, field) if rec else 0
    return row
