"""Which parameters each KPI mainly rests on, and whether those are mostly assumptions.

The ToC gives outcomes but no measures, and most of the model's mechanisms have
no published effect size. So every run says, KPI by KPI, what share of the
parameters it mainly depends on are assumption-status rows of the register. A
KPI that rests mainly on assumptions shows what the model's logic implies, not
a measured fact: read it as a question for sensitivity analysis. A calibrated
KPI's *level* in the base scenarios is checked against a published figure, but
its response to a lever may still rest on assumptions.
"""

from __future__ import annotations

import pandas as pd

from pathway_sim.inputs.calibration import load_targets
from pathway_sim.inputs.register import matching
from pathway_sim.models.perinatal.cost_schema import COST_KPI_PARAMETERS
from pathway_sim.models.perinatal.kpis import PATHWAY_KPIS, SERVICE_LABELS

ASSUMPTION_MAJORITY = 0.5
"""A KPI rests on assumptions when more than this share of its main parameters are assumptions."""

COLUMNS = (
    "kpi",
    "toc_outcome",
    "main_parameters",
    "assumption_share",
    "rests_on_assumptions",
    "calibrated",
)

_ATTENDANCE = (
    "attendance.*",
    "engagement.misses_to_disengage",
    "engagement.reengage_*",
    "capacity.wait_*",
)
_STOPPING = ("capacity.entry_wait_stop_hazard_ratio_per_week", "capacity.gap_stop_hazard_ratio")
"""How waits for a first assessment and gaps in key-worker contact raise treatment stopping."""
_WORKLOAD = ("capacity.workload_*", "capacity.burnout_*", "capacity.supervision_*")
_SCHEDULES = (
    "services.midwifery.*_weeks",
    "services.midwifery.postnatal_days",
    "services.ultrasound.scan_weeks",
    "services.drug_treatment.keyworker_interval_days",
    "services.social_work.*_interval_days",
    "services.mental_health.contact_interval_days",
    "services.health_visiting.*_weeks",
    "services.health_visiting.postnatal_days",
    "services.peer_advocacy.contact_interval_days",
)
_RETRAUMA = (
    "services.*.stigma_probability",
    "hostile_care.*",
    "capacity.rushed_*",
    "interventions.training_coverage",
    "population.trauma_history_probability",
    "child_protection.referral_probability",
    "child_protection.separation_probability",
)
_PLACEMENT = (
    "child_protection.referral_probability",
    "child_protection.plan_probability",
    "child_protection.separation_*",
    "child_protection.engagement_*",
    "child_protection.trust_log_odds",
    "child_protection.not_in_treatment_odds_ratio",
    "child_protection.information_shortfall_log_odds",
    "child_protection.*_information",
    "child_protection.travel_allowance",
    "child_protection.domestic_abuse_odds_ratio",
    "child_protection.housing_odds_ratio",
    "child_protection.opioid_use_odds_ratio",
    "child_protection.stopped_treatment_odds_ratio",
    "child_protection.previous_removal_odds_ratio",
    "child_protection.non_opioid_treatment_weight",
    "child_protection.surveillance_log_odds_per_contact",
    "population.previous_removal_probability",
    "child_protection.mental_health_*",
    "child_protection.short_planning_log_odds",
    "child_protection.planning_reference_days",
)
_BOOKING = (
    "population.late_disclosure_probability",
    "population.disclosure_*",
    "population.*_fear_reduction",
    "population.*_known_gestation_weeks.*",
    "services.midwifery.booking_target_days",
    "services.midwifery.rebook_days",
    "services.midwifery.attendance_probability",
)
_CONFERENCE = (
    "services.social_work.staff",
    "services.social_work.hours_per_week",
    "services.social_work.assessment_*",
    "services.social_work.allocation_days",
    "services.social_work.visit_interval_days",
    "services.social_work.conference_notice_days",
    "services.social_work.turnover_per_year",
    "child_protection.deadline_*",
    "capacity.hurried_*",
    "capacity.locum_cover_probability",
    "capacity.reallocation_days",
    "services.social_work.vacancy_days",
    "child_protection.deadline_*",
)
_REMOVAL_HARMS = ("harms.*", "child_protection.separation_probability")

KPI_PARAMETERS: dict[str, tuple[str, ...]] = {
    "retraumatised_pct": _RETRAUMA,
    "retraumatising_events_per_woman": _RETRAUMA,
    "stigmatising_contacts_per_woman": (
        "services.*.stigma_probability",
        "hostile_care.training_stigma_reduction",
        "hostile_care.ward_stigma_probability",
        "interventions.training_coverage",
    ),
    "support_network_at_birth": (
        "services.*.turnover_per_year",
        "services.*.vacancy_days",
        "services.*.staff",
        "attendance.known_worker_odds_ratio",
    ),
    "continuity_breaks_per_woman": ("services.*.turnover_per_year", "services.*.vacancy_days"),
    "history_retold_per_woman": (
        "services.*.staff",
        "services.*.turnover_per_year",
        "hostile_care.retell_probability_shared_records",
    ),
    "distinct_professionals_per_woman": ("services.*.staff", "services.*.turnover_per_year"),
    "handover_failure_pct": ("hostile_care.handover_failure_*",),
    "antenatal_attendance_pct": ("services.midwifery.attendance_probability", *_ATTENDANCE),
    "booking_gestation_weeks": _BOOKING,
    "late_booking_pct": _BOOKING,
    "unbooked_pct": (*_BOOKING, *_ATTENDANCE),
    "drug_treatment_attendance_pct": (
        "services.drug_treatment.attendance_probability",
        *_ATTENDANCE,
    ),
    "in_treatment_at_birth_pct": (
        "population.*_in_treatment_probability",
        "services.drug_treatment.referral_probability",
        "services.drug_treatment.start_probability",
        "services.drug_treatment.stop_per_year_pregnant",
        "services.drug_treatment.attendance_probability",
        *_STOPPING,
    ),
    "treatment_stopped_pregnancy_pct": (
        "services.drug_treatment.stop_per_year_pregnant",
        "services.drug_treatment.attendance_probability",
        "engagement.misses_to_disengage",
        "engagement.reengage_probability",
        *_STOPPING,
    ),
    "knowledge_at_birth": (
        "population.initial_knowledge.*",
        "engagement.knowledge_gain*",
        "engagement.coproduced_knowledge_multiplier",
    ),
    "staff_confidence_index": (
        "indices.confidence_*",
        "interventions.training_coverage",
        *_WORKLOAD,
    ),
    "self_efficacy_index": (
        "indices.efficacy_*",
        "engagement.trust_*",
        "engagement.knowledge_gain*",
    ),
    "community_support_engaged_pct": (
        "services.peer_advocacy.uptake_probability",
        "services.peer_advocacy.funding_end_day",
        "services.peer_advocacy.attendance_probability",
        "services.parenting_support.attendance_probability",
        "services.post_removal_support.attendance_probability",
    ),
    "baby_with_mother_at_discharge_pct": _PLACEMENT,
    "baby_in_care_3m_pct": (*_PLACEMENT, "child_protection.later_removal_*"),
    "baby_with_mother_at_12m_pct": (
        *_PLACEMENT,
        "child_protection.later_removal_*",
        "child_protection.parenting_support_odds_ratio",
    ),
    "adequate_antenatal_care_pct": (*_BOOKING, *_ATTENDANCE),
    "preterm_birth_pct": (
        "birth.preterm_probability",
        "birth.*_preterm_rr",
        "population.opioid_use_probability",
        "population.buprenorphine_share",
    ),
    "nas_treatment_pct": (
        "birth.nas_treatment_probability",
        "birth.*_nas_rr",
        "population.buprenorphine_share",
    ),
    "treatment_retention_12m_pct": (
        "services.drug_treatment.stop_per_year_postpartum",
        "services.drug_treatment.removal_stop_multiplier",
        "services.drug_treatment.attendance_probability",
        "engagement.misses_to_disengage",
        "engagement.reengage_probability",
        "hostile_care.handover_failure_probability",
        *_STOPPING,
    ),
    "treatment_entry_12m_pct": (
        "services.drug_treatment.entry_per_year_*",
        "services.drug_treatment.start_probability",
        "services.drug_treatment.stop_per_year_postpartum",
        *_STOPPING,
    ),
    **dict.fromkeys(
        (
            "overdose_rate_opioid_pregnancy",
            "overdose_rate_opioid_0_6m",
            "overdose_rate_opioid_7_12m",
        ),
        (
            "harms.overdose_per_100k_days_*",
            "harms.not_in_treatment_multiplier",
            "harms.recent_stop_*",
            "harms.mental_health_overdose_multiplier",
            "harms.removal_overdose_multiplier",
        ),
    ),
    "overdoses_per_1000": (
        "harms.overdose_per_100k_days_*",
        "harms.not_in_treatment_multiplier",
        "harms.non_opioid_overdose_ratio",
        "harms.recent_stop_*",
        "harms.mental_health_overdose_multiplier",
        "harms.removal_overdose_multiplier",
        *_STOPPING,
    ),
    "harm_after_removal_per_1000": _REMOVAL_HARMS,
    "deaths_after_removal_per_1000": _REMOVAL_HARMS,
    "suicides_per_1000": (
        "harms.suicide_per_100k_years",
        "harms.removal_suicide_multiplier",
        "harms.mental_health_suicide_multiplier",
        "harms.specialist_care_multiplier",
        "population.mental_health_need_probability",
    ),
    "reunifications_per_100_removals": (
        "child_protection.review_interval_days",
        "child_protection.reunification_*",
        "child_protection.*_odds_ratio",
    ),
    "stable_at_12m_pct": (
        "indices.stable_trust_threshold",
        "engagement.trust_*",
        "services.drug_treatment.stop_per_year_postpartum",
        "child_protection.separation_probability",
    ),
    "contacts_per_woman": _SCHEDULES,
    "missed_contact_pct": ("services.*.attendance_probability", *_ATTENDANCE),
    "antenatal_missed_pct": ("services.midwifery.attendance_probability", *_ATTENDANCE),
    "appointments_per_week_pregnant": _SCHEDULES,
    "locations_per_week_pregnant": _SCHEDULES,
    "trips_per_woman": (*_SCHEDULES, "site.rural_share"),
    "travel_hours_per_woman": ("site.*.hours", "site.rural_share"),
    "travel_cost_per_woman": ("site.*.cost_gbp", "site.rural_share"),
    "assessment_late_pct": _CONFERENCE,
    "conference_late_pct": _CONFERENCE,
    "social_work_referral_pct": (
        "child_protection.referral_*",
        "population.*_in_treatment_probability",
        "population.previous_removal_probability",
        "population.domestic_abuse_probability",
        "population.housing_unstable_probability",
    ),
    "mental_health_first_missed_pct": (
        "services.mental_health.attendance_probability",
        "services.mental_health.rebook_days",
        *_ATTENDANCE,
    ),
}


def _service_patterns(service: str) -> dict[str, tuple[str, ...]]:
    s = f"services.{service}"
    capacity = (
        f"{s}.staff",
        f"{s}.hours_per_week",
        f"{s}.contact_hours.*",
        "population.women_per_year",
    )
    return {
        f"{service}_attended_per_woman": (f"{s}.attendance_probability", *_ATTENDANCE),
        f"{service}_missed_per_woman": (f"{s}.attendance_probability", *_ATTENDANCE),
        f"{service}_wait_days": (
            *capacity,
            f"{s}.turnover_per_year",
            f"{s}.vacancy_days",
            "capacity.locum_cover_probability",
            "capacity.reallocation_days",
            *_WORKLOAD,
        ),
        f"{service}_utilisation": capacity,
    }


def main_parameters(kpi: str) -> tuple[str, ...]:
    """Patterns of the register rows a pathway KPI mainly depends on."""
    if kpi in KPI_PARAMETERS:
        return KPI_PARAMETERS[kpi]
    if kpi in COST_KPI_PARAMETERS:
        return COST_KPI_PARAMETERS[kpi]
    for service in SERVICE_LABELS:
        patterns = _service_patterns(service)
        if kpi in patterns:
            return patterns[kpi]
    raise KeyError(f"no main parameters recorded for KPI {kpi!r}")


def assumption_share(patterns: tuple[str, ...]) -> float:
    """Share of the register rows matching ``patterns`` whose status is assumption."""
    rows = matching(patterns)
    if not rows:
        raise KeyError(f"no register row matches {patterns}")
    return sum(p.is_assumption for p in rows) / len(rows)


def kpi_evidence() -> pd.DataFrame:
    """One row per pathway KPI: its main parameters and whether they are mostly assumptions."""
    calibrated = {t.kpi for t in load_targets()}
    rows = []
    for k in PATHWAY_KPIS:
        patterns = main_parameters(k.name)
        share = assumption_share(patterns)
        rows.append(
            {
                "kpi": k.name,
                "toc_outcome": k.toc_outcome,
                "main_parameters": "; ".join(patterns),
                "assumption_share": round(share, 3),
                "rests_on_assumptions": share > ASSUMPTION_MAJORITY,
                "calibrated": k.name in calibrated,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
