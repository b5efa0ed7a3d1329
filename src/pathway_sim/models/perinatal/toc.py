"""The Theory of Change's structure (Cheyne & Maxwell 2025): outcomes, problem themes, key
requirements, and the one headline KPI that speaks for each outcome.

Data only: the report draws it (``reporting/toc_panel.py``) and the replications
algorithm aims at the headline KPIs by default.
"""

from __future__ import annotations

TOC_OUTCOMES: dict[str, str] = {
    "S1": "Fewer women re-traumatised",
    "S2": "Larger professional support networks",
    "S3": "More joined-up care",
    "S4": "More engagement with drug treatment and maternity services",
    "S5": "More knowledge of how systems work and what is expected",
    "S6": "Staff more confident in delivering care",
    "M1": "Increased self-efficacy",
    "M2": "Aware of and engaged with community support",
    "I1": "More babies remain in the care of their mothers",
    "I2": "Better health for mothers and babies",
    "I3": "Fewer deaths by suicide or overdose after a child is removed",
    "I4": "Better placed to manage life's challenges (wellbeing, stability)",
    "I5": "A more understanding public discourse (outside what a service model can show)",
    "OP": "Operational: contacts, burden, travel, waits, deadlines, staff",
    "CO": "Costs to services and downstream (GBP, 2022/23 prices)",
}
"""The outcome boxes of the ToC, by id, and the two groups of measures beside them (OP, CO):
every KPI names one (``KPI.toc_outcome``)."""

PROBLEMS: tuple[str, ...] = (
    "Hostile care environment and delivery",
    "Gaps in service provision",
    "Workforce and service issues",
    "Communication and integration between services",
    "Inaccessibility of services",
    "Lack of person-centred care",
    "Disparity between guidance and delivery",
)
"""The problem themes of the ToC paper's Table 2."""

KEY_REQUIREMENTS: dict[str, tuple[str, str]] = {
    "KR1": ("Person-centred, trauma-informed systems", "strategic"),
    "KR2": ("Shared values and understanding", "strategic"),
    "KR3": ("Co-production of guidance", "strategic"),
    "KR4": ("Staff resources and infrastructure", "service"),
    "KR5": ("Service components", "service"),
    "KR6": ("Accessibility", "service"),
    "KR7": ("Approach (staff)", "staff"),
    "KR8": ("Care delivery (staff)", "staff"),
}

HEADLINE_KPIS: dict[str, str] = {
    "S1": "retraumatised_pct",
    "S2": "support_network_at_birth",
    "S3": "history_retold_per_woman",
    "S4": "antenatal_attendance_pct",
    "S5": "knowledge_at_birth",
    "S6": "staff_confidence_index",
    "M1": "self_efficacy_index",
    "M2": "community_support_engaged_pct",
    "I1": "baby_with_mother_at_12m_pct",
    "I2": "overdoses_per_1000",
    "I3": "deaths_after_removal_per_1000",
    "I4": "stable_at_12m_pct",
}
"""The one KPI each outcome box shows; the forest plot has every KPI."""
