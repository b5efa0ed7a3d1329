"""Minimal important differences: for each KPI, the smallest change that matters to a planner.

Kept beside the KPI catalogue (``kpis.py``) as its own table, one row per KPI,
with the reason. These are judgements written down for a commissioner or a
service planner, not estimates: no KPI here has a published minimal important
difference. The verdict words come from ``core/verdicts.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pathway_sim.core.verdicts import verdict
from pathway_sim.models import kpi


@dataclass(frozen=True)
class MID:
    """A minimal important difference in the KPI's own unit, and why it is that size."""

    value: float
    reason: str


_PP1 = "1 percentage point: about one family in 100 women, one or two a year at a typical site"
_PP2 = "2 percentage points: a change a service would notice in a year's audit"
_PP5 = "5 percentage points: deadlines are audited in whole cases; smaller moves are noise"
_INDEX = "0.05 on a 0-1 index: a twentieth of its range, the smallest step worth a change of plan"
_PER_WOMAN = "0.1 per woman: one event for every ten women, several a year at a typical site"
_CONTACTS = "half a contact per woman: a change in the workload a team plans around"
_COST = "GBP 50 per woman: about an hour of a band 6 professional's time with overheads"

MIDS: dict[str, MID] = {
    "retraumatised_pct": MID(2.0, _PP2),
    "retraumatising_events_per_woman": MID(0.1, _PER_WOMAN),
    "stigmatising_contacts_per_woman": MID(0.1, _PER_WOMAN),
    "support_network_at_birth": MID(0.1, "0.1 services: one woman in ten with one more "
                                   "unbroken professional relationship"),
    "continuity_breaks_per_woman": MID(0.1, _PER_WOMAN),
    "history_retold_per_woman": MID(0.25, "a quarter of a retelling per woman: one woman in "
                                    "four spared telling her history once"),
    "distinct_professionals_per_woman": MID(0.5, "half a professional per woman: one new face "
                                            "for every other woman"),
    "handover_failure_pct": MID(2.0, _PP2),
    "antenatal_attendance_pct": MID(2.0, _PP2),
    "booking_gestation_weeks": MID(1.0, "1 week: screening and scans are timed in weeks"),
    "late_booking_pct": MID(2.0, _PP2),
    "unbooked_pct": MID(1.0, _PP1),
    "drug_treatment_attendance_pct": MID(2.0, _PP2),
    "in_treatment_at_birth_pct": MID(2.0, _PP2),
    "treatment_stopped_pregnancy_pct": MID(2.0, _PP2),
    "knowledge_at_birth": MID(0.05, _INDEX),
    "staff_confidence_index": MID(0.05, _INDEX),
    "self_efficacy_index": MID(0.05, _INDEX),
    "community_support_engaged_pct": MID(2.0, _PP2),
    "baby_with_mother_at_discharge_pct": MID(1.0, _PP1),
    "baby_in_care_3m_pct": MID(1.0, _PP1),
    "baby_with_mother_at_12m_pct": MID(1.0, _PP1),
    "adequate_antenatal_care_pct": MID(2.0, _PP2),
    "preterm_birth_pct": MID(1.0, _PP1),
    "nas_treatment_pct": MID(2.0, _PP2),
    "treatment_retention_12m_pct": MID(2.0, _PP2),
    "treatment_entry_12m_pct": MID(2.0, _PP2),
    "overdoses_per_1000": MID(5.0, "5 per 1,000 women: one overdose a year fewer at a site "
                              "seeing 200 women"),
    "harm_after_removal_per_1000": MID(2.0, "2 per 1,000 women: rare events; smaller changes "
                                       "are below one a year at any site"),
    "deaths_after_removal_per_1000": MID(0.5, "0.5 per 1,000 women: any death matters, but "
                                         "below this the change is under one in a decade"),
    "suicides_per_1000": MID(0.2, "0.2 per 1,000 women: any death matters, but below this "
                             "the change is under one in a decade at a typical site"),
    **dict.fromkeys(
        ("overdose_rate_opioid_pregnancy", "overdose_rate_opioid_0_6m",
         "overdose_rate_opioid_7_12m"),
        MID(1.0, "1 per 100,000 person-days: about a tenth of the late postpartum rate, one "
            "overdose a year fewer among some 270 opioid users followed"),
    ),
    "reunifications_per_100_removals": MID(5.0, "5 per 100 removals: one more baby home "
                                           "for every twenty removed"),
    "stable_at_12m_pct": MID(2.0, _PP2),
    "contacts_per_woman": MID(1.0, "1 contact per woman: a change in workload teams plan for"),
    "missed_contact_pct": MID(2.0, _PP2),
    "antenatal_missed_pct": MID(2.0, _PP2),
    "appointments_per_week_pregnant": MID(0.1, "0.1 a week: one appointment fewer or more "
                                          "every ten weeks"),
    "locations_per_week_pregnant": MID(0.1, "0.1 places a week: one trip to another place "
                                       "every ten weeks"),
    "trips_per_woman": MID(1.0, "1 trip per woman: a journey she notices"),
    "travel_hours_per_woman": MID(1.0, "1 hour per woman over the pathway"),
    "travel_cost_per_woman": MID(5.0, "GBP 5 per woman: a return bus fare"),
    "assessment_late_pct": MID(5.0, _PP5),
    "conference_late_pct": MID(5.0, _PP5),
    "social_work_referral_pct": MID(2.0, _PP2),
    "mental_health_first_missed_pct": MID(5.0, _PP5),
    "service_cost_per_woman": MID(50.0, _COST),
    "downstream_cost_per_woman": MID(50.0, _COST),
    "total_cost_per_woman": MID(50.0, _COST),
    "staff_cost_per_woman": MID(50.0, _COST),
    "intervention_cost_per_woman": MID(50.0, _COST),
    "neonatal_cost_per_woman": MID(50.0, _COST),
    "placement_cost_per_woman": MID(50.0, _COST),
    "proceedings_cost_per_woman": MID(50.0, _COST),
    "overdose_cost_per_woman": MID(50.0, _COST),
    "throughput_per_day": MID(0.1, "0.1 visits a day: verification measure"),
    "time_in_system_mean_days": MID(0.1, "0.1 days: verification measure"),
    "wait_mean_days": MID(0.1, "0.1 days: verification measure"),
    "utilisation_mean": MID(0.05, "5% of staff time: verification measure"),
}  # fmt: skip
"""MIDs of the named KPIs; the per-service KPIs follow ``_SERVICE_MIDS``."""

_SERVICE_MIDS: dict[str, MID] = {
    "_attended_per_woman": MID(0.5, _CONTACTS),
    "_missed_per_woman": MID(0.5, _CONTACTS),
    "_wait_days": MID(1.0, "1 day beyond the planned day: appointments are booked by the day"),
    "_utilisation": MID(0.05, "5% of staff time: about two hours a week of a full-time post"),
}


def mid(name: str) -> MID | None:
    """The KPI's minimal important difference, or None for a KPI without one."""
    if name in MIDS:
        return MIDS[name]
    for suffix, value in _SERVICE_MIDS.items():
        if name.endswith(suffix):
            return value
    return None


def mid_value(name: str) -> float:
    """The MID as a number (NaN when the KPI has none: any clear difference then counts)."""
    found = mid(name)
    return found.value if found else math.nan


def kpi_verdict(name: str, mean: float, low: float, high: float) -> str:
    """The verdict on a difference in the named KPI, from its MID and better direction."""
    entry = kpi(name)
    return verdict(mean, low, high, mid_value(name), entry.better if entry else "neither")
