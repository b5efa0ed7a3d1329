"""The perinatal KPI catalogue: what each output column of ``metrics.py`` measures, and the
Theory of Change outcome it serves.

The ToC ids (``toc.TOC_OUTCOMES``) follow the paper's order: S1-S6 short-term outcomes,
M1-M2 medium-term, I1-I5 impacts; OP marks the operational measures planners ask for and
CO the costs. Adding a KPI means a row here and its value in ``metrics.py``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from pathway_sim.models.kpis import KPI

if TYPE_CHECKING:
    import pandas as pd

SERVICE_LABELS: dict[str, str] = {
    "midwifery": "Midwifery",
    "ultrasound": "Ultrasound",
    "drug_treatment": "Drug treatment",
    "social_work": "Social work",
    "mental_health": "Perinatal mental health",
    "health_visiting": "Health visiting",
    "peer_advocacy": "Peer support and advocacy",
    "parenting_support": "Parenting support",
    "post_removal_support": "Support after removal",
    "care_coordination": "Care co-ordination",
}
"""Every service's display label, in the order of its per-service KPIs and ``women.csv``."""

_PATHWAY: tuple[KPI, ...] = (
    KPI(
        "retraumatised_pct",
        "S1",
        "Re-traumatisation index (assumed)",
        "An index, not a measured prevalence: the share of simulated women with at least one "
        "event the model counts as re-traumatising, each with an assumed probability (a "
        "stigmatising contact, telling her history again, a child-protection meeting; removal "
        "of her baby always counts). Good contacts with known workers make each less likely. "
        "Its level follows the assumed probabilities; compare scenarios with it, do not read "
        "it as how many women are re-traumatised.",
        "index: % of women",
        "lower",
        "Assumption: no published per-event probabilities exist; every probability it counts "
        "is an assumption-status register row to vary.",
    ),
    KPI(
        "retraumatising_events_per_woman",
        "S1",
        "Re-traumatising events per woman",
        "Mean number of re-traumatising events per woman from first contact to 12 months "
        "after birth.",
        "events/woman",
        "lower",
        "Assumption-based event probabilities.",
    ),
    KPI(
        "stigmatising_contacts_per_woman",
        "S1",
        "Stigmatising contacts per woman",
        "Mean number of stigmatising encounters (contacts and the birth admission) per woman.",
        "contacts/woman",
        "lower",
        "Assumed per-contact probabilities, lowered by training.",
    ),
    KPI(
        "support_network_at_birth",
        "S2",
        "Professional relationships at birth",
        "Services with which she has an unbroken relationship at birth: "
        "her last two or more attended "
        "contacts were with the same worker, the latest within 8 weeks.",
        "services/woman",
        "higher",
        "Model construct; turnover rates are sourced.",
    ),
    KPI(
        "continuity_breaks_per_woman",
        "S2",
        "Changes of professional per woman",
        "Times the professional she saw within a service changed from one attended contact to "
        "the next, in every service (a new named worker after turnover, or another member of "
        "a team without named workers).",
        "changes/woman",
        "lower",
        "Turnover from workforce statistics; allocation of contacts to posts is a model rule.",
    ),
    KPI(
        "history_retold_per_woman",
        "S3",
        "Times history retold",
        "Times she had to tell her history to a professional she had not met before: likelier "
        "with a service's first worker than with a new worker of a service whose notes she "
        "is in, rarer with shared records, likelier with rushed staff.",
        "times/woman",
        "lower",
        "Assumption; fewer with shared records.",
    ),
    KPI(
        "distinct_professionals_per_woman",
        "S3",
        "Different professionals met",
        "Number of different staff she attended a contact with.",
        "people/woman",
        "lower",
    ),
    KPI(
        "handover_failure_pct",
        "S3",
        "Failed hand-overs",
        "Share of hospital-to-community hand-overs (midwifery, prescribing) that failed.",
        "% of hand-overs",
        "lower",
        "Assumption.",
    ),
    KPI(
        "antenatal_attendance_pct",
        "S4",
        "Antenatal contacts attended",
        "Attended midwifery contacts before birth (booking offers included) as a share of those "
        "scheduled; contacts cancelled because she had dropped out count as not attended.",
        "% of contacts",
        "higher",
        "Calibrated to DNA rates of 15-40% (register section 2).",
    ),
    KPI(
        "booking_gestation_weeks",
        "S4",
        "Gestation at booking",
        "Mean gestation at the attended booking appointment, among women booked before birth.",
        "weeks",
        "lower",
        "Calibrated to 15-18 weeks among women on OST.",
    ),
    KPI(
        "late_booking_pct",
        "S4",
        "Booked after 20 weeks",
        "Share of women booked before birth whose booking was after 20 weeks.",
        "% of booked women",
        "lower",
        "Calibrated to 25-45% among women on methadone.",
    ),
    KPI(
        "unbooked_pct",
        "S4",
        "Never booked",
        "Share of women who gave birth without an attended booking.",
        "% of women",
        "lower",
    ),
    KPI(
        "drug_treatment_attendance_pct",
        "S4",
        "Drug-treatment contacts attended",
        "Attended drug-treatment contacts as a share of those scheduled.",
        "% of contacts",
        "higher",
    ),
    KPI(
        "in_treatment_at_birth_pct",
        "S4",
        "In drug treatment at birth",
        "Share of women in drug treatment when they gave birth.",
        "% of women",
        "higher",
    ),
    KPI(
        "treatment_stopped_pregnancy_pct",
        "S4",
        "Left drug treatment in pregnancy",
        "Of women in drug treatment when services learned of the pregnancy, the share not in "
        "treatment when they gave birth (stopped or dropped out).",
        "% of women",
        "lower",
        "Calibrated to 0-33% stopping methadone in pregnancy (Wilder 2015).",
    ),
    KPI(
        "knowledge_at_birth",
        "S5",
        "Knowledge of systems at birth",
        "Mean knowledge index at birth (0-1): grows with each contact, faster with clear, "
        "co-produced information and with a co-ordinator or advocate.",
        "index 0-1",
        "higher",
        "Model construct; no outcome measure exists yet.",
    ),
    KPI(
        "staff_confidence_index",
        "S6",
        "Staff confidence",
        "Index (0-1), a simulated state of each post holder: a newcomer's level (training), "
        "moving weekly towards one raised by supervision and experience with these women and "
        "lowered by workload pressure, reset by turnover; mean over filled posts and weeks.",
        "index 0-1",
        "higher",
        "Nothing quantitative found: structure and weights are assumptions.",
    ),
    KPI(
        "self_efficacy_index",
        "M1",
        "Self-efficacy at 12 months",
        "Index (0-1) at 12 months after birth from trust, knowledge, being in treatment and caring "
        "for her baby.",
        "index 0-1",
        "higher",
        "Model construct with assumed weights.",
    ),
    KPI(
        "community_support_engaged_pct",
        "M2",
        "Engaged with community support at 12 months",
        "Share of women who attended community (third-sector) support at some time from first "
        "contact to 12 months after birth: peer support and advocacy, parenting support or "
        "support after removal (those the site has).",
        "% of women",
        "higher",
        "Depends on third-sector availability.",
    ),
    KPI(
        "baby_with_mother_at_discharge_pct",
        "I1",
        "Babies going home with their mothers",
        "Share of babies discharged from hospital to their mother's care (with or without a plan).",
        "% of babies",
        "higher",
        "Calibrated to 80-85% (82-83% in two cohorts, register section 4).",
    ),
    KPI(
        "baby_in_care_3m_pct",
        "I1",
        "Babies in care within 3 months",
        "Share of babies removed from their mother's care (kinship or foster care) within 91 days "
        "of birth.",
        "% of babies",
        "lower",
        "Calibrated to 12-20% (register section 4).",
    ),
    KPI(
        "baby_with_mother_at_12m_pct",
        "I1",
        "Babies with their mothers at 12 months",
        "Share of babies in their mother's care 12 months after birth.",
        "% of babies",
        "higher",
    ),
    KPI(
        "adequate_antenatal_care_pct",
        "I2",
        "Adequate antenatal care",
        "Share of women booked by 20 weeks who attended at least 70% of scheduled antenatal "
        "contacts.",
        "% of women",
        "higher",
        "Definition is a proposal.",
    ),
    KPI(
        "preterm_birth_pct",
        "I2",
        "Preterm births",
        "Share of births before 37 weeks.",
        "% of births",
        "lower",
        "Base risk assumed; continuity RR 0.77 (Cochrane).",
    ),
    KPI(
        "nas_treatment_pct",
        "I2",
        "Babies treated for withdrawal",
        "Share of opioid-exposed babies treated for neonatal withdrawal.",
        "% of exposed babies",
        "lower",
        "Assumption.",
    ),
    KPI(
        "treatment_retention_12m_pct",
        "I2",
        "Still in treatment at 12 months",
        "Of women in drug treatment at birth, the share in treatment 12 months later.",
        "% of women",
        "higher",
        "Calibrated to 60-80% (Massachusetts 64%, 80% if treated throughout pregnancy; NSW 79%).",
    ),
    KPI(
        "treatment_entry_12m_pct",
        "S4",
        "Entered treatment after birth",
        "Of women who use opioids and were out of drug treatment when they gave birth, the share "
        "in treatment 12 months later (came forward, were assessed and started).",
        "% of women",
        "higher",
        "Entry rates are assumptions (no UK figure found).",
    ),
    KPI(
        "overdoses_per_1000",
        "I2",
        "Expected overdoses",
        "Expected overdoses (fatal and non-fatal) per 1,000 women from first contact to 12 months "
        "after birth (integrated hazards): by period, opioid use, treatment and the weeks after "
        "leaving it, mental-health need and care, and removal.",
        "per 1,000 women",
        "lower",
        "Rates from Schiff et al. 2018 (US); multipliers partly assumed.",
    ),
    KPI(
        "harm_after_removal_per_1000",
        "I3",
        "Overdoses and suicides after removal",
        "Expected overdoses (fatal and non-fatal) and suicides while her baby is in care "
        "after removal (until it returns home), per 1,000 women.",
        "per 1,000 women",
        "lower",
        "Removal multipliers from Canadian cohorts; support effect assumed.",
    ),
    KPI(
        "deaths_after_removal_per_1000",
        "I3",
        "Deaths after removal",
        "Expected deaths (fatal overdose and suicide) while her baby is in care after removal, "
        "per 1,000 women.",
        "per 1,000 women",
        "lower",
        "As above.",
    ),
    KPI(
        "suicides_per_1000",
        "I2",
        "Expected suicides",
        "Expected suicides per 1,000 women from first contact to 12 months after birth, all "
        "women (integrated hazards): higher with a perinatal mental-health need, lower in "
        "specialist care, higher while her baby is in care.",
        "per 1,000 women",
        "lower",
        "Base rate and mental-health multipliers assumed; removal multiplier from a Canadian "
        "cohort.",
    ),
    *(
        KPI(
            name,
            "I2",
            f"Overdose rate of opioid users, {period}",
            f"Expected overdoses (fatal and non-fatal) per 100,000 person-days among women who "
            f"use opioids, {period}: the profile the published rates describe.",
            "per 100,000 person-days",
            "lower",
            "Reference rates calibrated to Schiff et al. 2018 (US) in the base scenario.",
        )
        for name, period in (
            ("overdose_rate_opioid_pregnancy", "in pregnancy (from first contact)"),
            ("overdose_rate_opioid_0_6m", "0-6 months after birth"),
            ("overdose_rate_opioid_7_12m", "7-12 months after birth"),
        )
    ),
    KPI(
        "reunifications_per_100_removals",
        "I1",
        "Babies returned home",
        "Returns home from care (reviews of a baby in care) in the first year, per 100 removals.",
        "per 100 removals",
        "higher",
        "Review chances assumed; support effect anchored on the Family Drug and Alcohol Court "
        "evaluation.",
    ),
    KPI(
        "stable_at_12m_pct",
        "I4",
        "Stable at 12 months",
        "Share of women who at 12 months are in treatment (or do not use opioids), have trust at "
        "or above the threshold, and are caring for their baby (returned home included). "
        "Receiving a service (support after removal) does not count as stability.",
        "% of women",
        "higher",
        "Model construct.",
    ),
    KPI(
        "contacts_per_woman",
        "OP",
        "Contacts per woman",
        "Contacts attended or missed per woman, all services.",
        "contacts/woman",
        "neither",
    ),
    KPI(
        "missed_contact_pct",
        "OP",
        "Contacts missed",
        "Missed contacts as a share of contacts attended or missed, all services.",
        "% of contacts",
        "lower",
    ),
    KPI(
        "antenatal_missed_pct",
        "OP",
        "Antenatal contacts missed (DNA)",
        "Missed midwifery contacts before birth as a share of those attended or missed.",
        "% of contacts",
        "lower",
        "Register: 25% (15-40%) among women who use drugs.",
    ),
    KPI(
        "appointments_per_week_pregnant",
        "OP",
        "Appointments per week in pregnancy",
        "Contacts attended or missed per week from first contact to birth.",
        "contacts/week",
        "lower",
    ),
    KPI(
        "locations_per_week_pregnant",
        "OP",
        "Places visited per week in pregnancy",
        "Mean over pregnancy weeks with a trip of the number of distinct places she travelled to.",
        "places/week",
        "lower",
    ),
    KPI(
        "trips_per_woman",
        "OP",
        "Trips per woman",
        "Journeys to appointments (same place, same day counts once).",
        "trips/woman",
        "lower",
    ),
    KPI(
        "travel_hours_per_woman",
        "OP",
        "Travel time per woman",
        "Door-to-door travel hours to attended appointments.",
        "hours/woman",
        "lower",
        "Door-to-door times are assumptions.",
    ),
    KPI(
        "travel_cost_per_woman",
        "OP",
        "Travel cost per woman",
        "Fares and fuel she paid (nothing when transport help pays).",
        "GBP/woman",
        "lower",
    ),
    KPI(
        "assessment_late_pct",
        "OP",
        "Pre-birth assessments late",
        "Share of pre-birth assessments finished too late for the conference deadline.",
        "% of assessments",
        "lower",
    ),
    KPI(
        "conference_late_pct",
        "OP",
        "Conferences after their deadline",
        "Share of pre-birth child-protection conferences held after the deadline.",
        "% of conferences",
        "lower",
    ),
    KPI(
        "social_work_referral_pct",
        "OP",
        "Referred to children's social care",
        "Share of women referred to children's social care before birth.",
        "% of women",
        "neither",
        "Calibrated to 55% of pregnant women in a specialist drug service (n=85).",
    ),
    KPI(
        "mental_health_first_missed_pct",
        "OP",
        "Perinatal mental health: first assessments missed",
        "Missed first-assessment appointments (re-offers included) as a share of those attended or "
        "missed.",
        "% of appointments",
        "lower",
        "Calibrated to 35.3% (40% clinic-based), one audit.",
    ),
)


def _service_kpis(service: str, label: str) -> tuple[KPI, ...]:
    return (
        KPI(
            f"{service}_attended_per_woman",
            "OP",
            f"{label}: contacts attended",
            f"{label} contacts attended per woman.",
            "contacts/woman",
            "neither",
        ),
        KPI(
            f"{service}_missed_per_woman",
            "OP",
            f"{label}: contacts missed",
            f"{label} contacts missed per woman.",
            "contacts/woman",
            "lower",
        ),
        KPI(
            f"{service}_wait_days",
            "OP",
            f"{label}: mean wait",
            f"Mean days a {label.lower()} contact waited for staff beyond its planned day.",
            "days",
            "lower",
        ),
        KPI(
            f"{service}_utilisation",
            "OP",
            f"{label}: staff utilisation",
            f"Share of filled {label.lower()} staff time spent on contacts "
            "(missed slots included).",
            "proportion",
            "neither",
        ),
    )


_COST_EVIDENCE = "Unit costs partly assumed (pathway-sim params: costs.*)."


def _cost(name: str, label: str, definition: str) -> KPI:
    return KPI(name, "CO", label, definition, "GBP/woman", "lower", _COST_EVIDENCE)


_COSTS: tuple[KPI, ...] = (
    _cost("service_cost_per_woman", "Service cost per woman",
          "Staff posts and the levers' running and set-up costs for a year, shared over the "
          "women the site expects a year, plus her reminders and transport help."),
    _cost("downstream_cost_per_woman", "Downstream cost per woman",
          "Neonatal withdrawal bed-days, care proceedings, foster or kinship placement weeks to "
          "12 months after birth, and overdoses (ambulance, emergency, admission); discounted "
          "at 3.5% after her first year."),
    _cost("total_cost_per_woman", "Total cost per woman", "Service plus downstream cost."),
    _cost("staff_cost_per_woman", "Staff cost per woman",
          "Posts by profession, each for the share of a full-time week it gives these women."),
    _cost("intervention_cost_per_woman", "Levers' cost per woman",
          "Training, supervision, hub, shared records, co-produced information, flexible "
          "contact, reminders and transport help."),
    _cost("neonatal_cost_per_woman", "Neonatal withdrawal care cost per woman",
          "Bed-days of babies treated for withdrawal (transitional care if kept together)."),
    _cost("placement_cost_per_woman", "Placement cost per woman",
          "Foster and kinship placement weeks from removal to 12 months after birth."),
    _cost("proceedings_cost_per_woman", "Care proceedings cost per woman",
          "Care proceedings for each baby removed."),
    _cost("overdose_cost_per_woman", "Overdose cost per woman",
          "Expected overdoses times an ambulance, an emergency attendance and a share admitted."),
)  # fmt: skip

PATHWAY_KPIS: tuple[KPI, ...] = (
    _PATHWAY
    + tuple(
        kpi for service, label in SERVICE_LABELS.items() for kpi in _service_kpis(service, label)
    )
    + _COSTS
)


def catalogue() -> pd.DataFrame:
    """The pathway KPI catalogue as a table, in the paper's order of outcomes."""
    import pandas as pd  # slow to import: only the commands that print tables need it

    return pd.DataFrame([asdict(k) for k in PATHWAY_KPIS])
