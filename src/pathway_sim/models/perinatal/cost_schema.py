"""The ``costs:`` section of a perinatal scenario: unit costs in GBP at 2022/23 prices.

The schema only; ``costs.py`` turns the simulated activity into costs. Each field
is a row of the parameter register with its source (``pathway-sim params``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pathway_sim.core.schema import Strict


def _gbp(default: float, unit: str, description: str) -> Any:
    """A unit-cost field (its source is in the parameter register)."""
    return Field(default, ge=0, description=description, json_schema_extra={"unit": unit})


class StaffCosts(Strict):
    """Annual cost of one full-time post by profession: salary, on-costs and overheads."""

    midwifery: float = _gbp(72_000, "GBP/post-year", "Midwife, Agenda for Change band 6-7.")
    ultrasound: float = _gbp(75_000, "GBP/post-year", "Sonographer, band 7.")
    drug_treatment: float = _gbp(60_000, "GBP/post-year", "Drug-treatment keyworker, band 5-6.")
    social_work: float = _gbp(68_000, "GBP/post-year", "Children's social worker.")
    mental_health: float = _gbp(80_000, "GBP/post-year", "Perinatal mental health, band 7.")
    health_visiting: float = _gbp(72_000, "GBP/post-year", "Health visitor, band 6-7.")
    peer_advocacy: float = _gbp(38_000, "GBP/post-year", "Peer supporter or advocate.")
    parenting_support: float = _gbp(50_000, "GBP/post-year", "Parenting support worker.")
    post_removal_support: float = _gbp(55_000, "GBP/post-year", "Support-after-removal worker.")
    care_coordination: float = _gbp(62_000, "GBP/post-year", "Care co-ordinator, band 6.")


class Costs(Strict):
    """Unit costs in GBP at 2022/23 prices (``pathway-sim params`` gives each one's source)."""

    staff_per_post_year: StaffCosts = StaffCosts()
    full_time_hours_per_week: float = Field(
        37.5, gt=0, description="Hours of a full-time post (NHS Agenda for Change).",
        json_schema_extra={"unit": "hours/week"},
    )  # fmt: skip
    discount_rate_per_year: float = Field(
        0.035, ge=0, le=0.2, description="Discount rate for costs after the first year.",
        json_schema_extra={"unit": "per year"},
    )  # fmt: skip
    setup_life_years: float = Field(
        5.0, gt=0, description="Years over which set-up costs are spread.",
        json_schema_extra={"unit": "years"},
    )  # fmt: skip
    training_per_staff: float = _gbp(400, "GBP/person", "Trauma-informed training per person.")
    training_refresh_years: float = Field(
        3.0, gt=0, description="Years after which training is repeated.",
        json_schema_extra={"unit": "years"},
    )  # fmt: skip
    supervision_per_post_year: float = _gbp(
        1_800, "GBP/post-year", "Clinical supervision per post (supervisor's time)."
    )
    hub_premises_per_year: float = _gbp(30_000, "GBP/year", "Hub rooms, sessions and admin.")
    hub_setup: float = _gbp(50_000, "GBP", "Hub fit-out and opening.")
    shared_records_per_year: float = _gbp(15_000, "GBP/year", "Shared-record licences, support.")
    coproduced_information_setup: float = _gbp(
        12_000, "GBP", "Co-producing schedules and information with women (paid time)."
    )
    flexible_contact_per_year: float = _gbp(3_000, "GBP/year", "Phone, video and texting tools.")
    reminder_per_contact: float = _gbp(0.1, "GBP/contact", "One text reminder.")
    reminders_system_per_year: float = _gbp(2_000, "GBP/year", "Text-reminder system.")
    transport_admin_per_trip: float = _gbp(3.0, "GBP/trip", "Arranging a paid fare or a lift.")
    neonatal_bed_day: float = _gbp(705, "GBP/day", "Neonatal special care bed-day.")
    transitional_care_bed_day: float = _gbp(
        507, "GBP/day", "Baby's bed-day with the mother resident (transitional care)."
    )
    care_proceedings: float = _gbp(25_000, "GBP/case", "Care proceedings for one baby.")
    foster_care_per_week: float = _gbp(750, "GBP/week", "Foster placement of a baby.")
    kinship_care_per_week: float = _gbp(300, "GBP/week", "Kinship placement: allowance, support.")
    ambulance_callout: float = _gbp(450, "GBP/call-out", "Ambulance to an overdose.")
    emergency_attendance: float = _gbp(300, "GBP/attendance", "Emergency department visit.")
    overdose_admission: float = _gbp(2_500, "GBP/admission", "Admission after an overdose.")
    overdose_admitted_share: float = Field(
        0.4, ge=0, le=1, description="Share of overdoses admitted to hospital.",
        json_schema_extra={"unit": "proportion"},
    )  # fmt: skip


_STAFF = (
    "costs.staff_per_post_year.*",
    "costs.full_time_hours_per_week",
    "services.*.staff",
    "services.*.hours_per_week",
    "population.women_per_year",
)
_LEVERS = (
    "costs.training_*",
    "costs.supervision_*",
    "costs.hub_*",
    "costs.shared_records_*",
    "costs.coproduced_*",
    "costs.flexible_*",
    "costs.reminder*",
    "costs.transport_*",
    "costs.setup_life_years",
)
_NEONATAL = ("costs.*_bed_day", "birth.nas_*")
_PLACEMENT = (
    "costs.*_care_per_week",
    "costs.discount_rate_per_year",
    "child_protection.separation_*",
    "child_protection.kinship_share",
)
_PROCEEDINGS = ("costs.care_proceedings", "child_protection.separation_*")
_OVERDOSE = (
    "costs.ambulance_callout",
    "costs.emergency_attendance",
    "costs.overdose_*",
    "harms.overdose_*",
)
COST_KPI_PARAMETERS: dict[str, tuple[str, ...]] = {
    "service_cost_per_woman": (*_STAFF, *_LEVERS),
    "downstream_cost_per_woman": (*_NEONATAL, *_PLACEMENT, *_PROCEEDINGS, *_OVERDOSE),
    "total_cost_per_woman": (*_STAFF, *_LEVERS, *_NEONATAL, *_PLACEMENT, *_OVERDOSE),
    "staff_cost_per_woman": _STAFF,
    "intervention_cost_per_woman": _LEVERS,
    "neonatal_cost_per_woman": _NEONATAL,
    "placement_cost_per_woman": _PLACEMENT,
    "proceedings_cost_per_woman": _PROCEEDINGS,
    "overdose_cost_per_woman": _OVERDOSE,
}  # fmt: skip
"""Register rows each cost KPI mainly rests on (``inputs/evidence.py`` reads them)."""
