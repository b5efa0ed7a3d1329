"""What a scenario costs: its services, and the downstream costs of what happens to women
and babies, in GBP at one price year (2022/23).

Every unit cost is a field of the ``costs:`` section of a scenario and a row of the
parameter register (``pathway-sim params``: value, unit, source, status); figures not
checked against a source are marked "assumption" there.

- **Service costs** are what a commissioner funds in a year: staff posts (each post's
  annual cost for its profession times the share of a full-time week it gives these
  women), the running costs of the levers switched on (hub premises, supervision,
  shared records, reminders, transport help) and set-up costs (hub fit-out, training,
  co-produced information) spread over their useful life as an equivalent annual
  cost. Fixed yearly costs are shared over the women the site expects a year
  (``population.women_per_year``); reminders and transport help are costed from the
  simulated contacts and trips of each woman.
- **Downstream costs** follow each woman's simulated events: neonatal bed-days for
  withdrawal (transitional care when mother and baby are kept together), care
  proceedings and foster or kinship placement weeks after a removal (to the end of
  follow-up, 12 months after birth: later weeks are not counted), and an ambulance,
  an emergency attendance and a share admitted for each expected overdose.
- **Discounting**: a woman's follow-up runs past a year, so costs in her second year
  (from 365 days after she became known to services) are discounted at 3.5% a year,
  the UK reference rate (HM Treasury Green Book; NICE reference case). Yearly running
  costs are costed in the year they are paid and not discounted.

Agency or locum cover is not costed: the model has no cover for vacant posts yet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathway_sim.core.units import DAYS_PER_WEEK, DAYS_PER_YEAR

if TYPE_CHECKING:
    from pathway_sim.models.perinatal.harms import ExpectedHarms
    from pathway_sim.models.perinatal.schema import PerinatalScenario
    from pathway_sim.models.perinatal.woman import Woman

PRICE_YEAR = "2022/23"
"""Every unit cost (``cost_schema.py``) is in GBP at this year's prices."""


COST_COMPONENTS = (
    "staff_cost_per_woman",
    "intervention_cost_per_woman",
    "neonatal_cost_per_woman",
    "placement_cost_per_woman",
    "proceedings_cost_per_woman",
    "overdose_cost_per_woman",
)
"""Components of the two totals: staff and interventions make the service cost, the
rest the downstream cost."""


@dataclass(frozen=True)
class WomanCosts:
    """One woman's activity-driven costs (GBP, discounted)."""

    intervention: float
    neonatal: float
    placement: float
    proceedings: float
    overdose: float


def annuity(cost: float, rate: float, years: float) -> float:
    """The equivalent annual cost of a one-off ``cost`` spread over ``years`` at ``rate``."""
    if rate == 0:
        return cost / years
    return cost * rate / (1 - (1 + rate) ** -years)


def discount(day: float, start: float, rate: float) -> float:
    """The discount factor of a cost on ``day`` for a woman known from ``start``: 1 in her
    first year, ``1/(1+rate)`` in her second (whole years, Green Book convention)."""
    return (1 + rate) ** -math.floor(max(0.0, day - start) / DAYS_PER_YEAR)


def discounted_days(first: float, last: float, start: float, rate: float) -> float:
    """Days from ``first`` to ``last``, each weighted by its year's discount factor."""
    total = 0.0
    year = math.floor(max(0.0, first - start) / DAYS_PER_YEAR)
    while True:
        low = max(first, start + DAYS_PER_YEAR * year)
        high = min(last, start + DAYS_PER_YEAR * (year + 1))
        if high <= low:
            return total
        total += (high - low) * (1 + rate) ** -year
        year += 1


# --- service costs: what is funded in a year ---------------------------------------------


def staff_cost_per_year(scenario: PerinatalScenario) -> float:
    """Every available service's posts, each at its profession's annual cost times the
    share of a full-time week it gives these women."""
    c = scenario.costs
    total = 0.0
    for name, spec in scenario.services:
        if spec.available:
            fte = spec.posts * spec.hours_per_week / c.full_time_hours_per_week
            total += fte * getattr(c.staff_per_post_year, name)
    return total


def _posts(scenario: PerinatalScenario) -> int:
    return sum(spec.posts for _, spec in scenario.services if spec.available)


def _joiners_per_year(scenario: PerinatalScenario) -> float:
    """Staff who join a year, at each service's base turnover: whom sustained training trains."""
    return sum(
        spec.posts * spec.turnover_per_year for _, spec in scenario.services if spec.available
    )


def intervention_cost_per_year(scenario: PerinatalScenario) -> float:
    """The fixed yearly costs of the levers switched on, set-up spread over its life."""
    c, iv = scenario.costs, scenario.interventions
    setup = lambda cost: annuity(cost, c.discount_rate_per_year, c.setup_life_years)  # noqa: E731
    posts = _posts(scenario)
    total = iv.training_coverage * posts * c.training_per_staff / c.training_refresh_years
    if iv.sustained_training:
        total += iv.training_coverage * _joiners_per_year(scenario) * c.training_per_staff
    if iv.supervision:
        total += posts * c.supervision_per_post_year
    if iv.co_located_hub:
        total += c.hub_premises_per_year + setup(c.hub_setup)
    if iv.shared_records:
        total += c.shared_records_per_year
    if iv.coproduced_information:
        total += setup(c.coproduced_information_setup)
    if iv.flexible_contact:
        total += c.flexible_contact_per_year
    if iv.text_reminders:
        total += c.reminders_system_per_year
    return total


# --- each woman's activity-driven costs --------------------------------------------------


def fare(scenario: PerinatalScenario, rural: bool, place: str) -> float:
    """The return fare transport help pays for a trip to ``place`` from an urban or rural
    home (a hub is a community trip)."""
    travel = scenario.site.rural if rural else scenario.site.urban
    trip = travel.trip("community" if place == "hub" else place)
    return trip.cost_gbp if trip is not None else 0.0


def woman_costs(w: Woman, harms: ExpectedHarms, scenario: PerinatalScenario) -> WomanCosts:
    """Her reminders and transport help, and the downstream costs of what happened to her."""
    c, iv = scenario.costs, scenario.interventions
    rate, start = c.discount_rate_per_year, w.arrival_day
    scheduled = sum(r.scheduled for r in w.services.values())
    own = c.reminder_per_contact * scheduled if iv.text_reminders else 0.0
    if iv.transport_help:
        own += sum(
            fare(scenario, w.rural, place) + c.transport_admin_per_trip for _, place in w.trips
        )
    neonatal = 0.0
    if w.nas_treated:
        bed = c.transitional_care_bed_day if iv.keep_together_postnatally else c.neonatal_bed_day
        neonatal = w.nas_stay_days * bed * discount(w.born_day, start, rate)
    placement = proceedings = 0.0
    for removed, returned in w.care_spells(w.follow_up_end_day):
        weekly = (
            c.kinship_care_per_week
            if w.care_placement == "kinship_care"
            else c.foster_care_per_week
        )
        days = discounted_days(removed, returned, start, rate)
        placement += weekly * days / DAYS_PER_WEEK
        proceedings += c.care_proceedings * discount(removed, start, rate)
    per_overdose = (
        c.ambulance_callout + c.emergency_attendance
        + c.overdose_admitted_share * c.overdose_admission
    )  # fmt: skip
    middle = (start + w.follow_up_end_day) / 2  # expected overdoses have no one day
    overdose = harms.overdoses * per_overdose * discount(middle, start, rate)
    return WomanCosts(own, neonatal, placement, proceedings, overdose)


def cost_kpis(
    women: Iterable[Woman], harms: Mapping[int, ExpectedHarms], scenario: PerinatalScenario
) -> dict[str, float]:
    """The cost KPIs of one replication, per counted woman (GBP at 2022/23 prices)."""
    women = list(women)
    n = len(women)
    if n == 0:
        return dict.fromkeys((*COST_COMPONENTS, *COST_TOTALS), math.nan)
    each = [woman_costs(w, harms[w.id], scenario) for w in women]
    per_year = scenario.population.women_per_year
    k = {
        "staff_cost_per_woman": staff_cost_per_year(scenario) / per_year,
        "intervention_cost_per_woman": intervention_cost_per_year(scenario) / per_year
        + sum(x.intervention for x in each) / n,
        "neonatal_cost_per_woman": sum(x.neonatal for x in each) / n,
        "placement_cost_per_woman": sum(x.placement for x in each) / n,
        "proceedings_cost_per_woman": sum(x.proceedings for x in each) / n,
        "overdose_cost_per_woman": sum(x.overdose for x in each) / n,
    }
    k["service_cost_per_woman"] = k["staff_cost_per_woman"] + k["intervention_cost_per_woman"]
    k["downstream_cost_per_woman"] = sum(k[name] for name in COST_COMPONENTS[2:])
    k["total_cost_per_woman"] = k["service_cost_per_woman"] + k["downstream_cost_per_woman"]
    return {name: k[name] for name in (*COST_TOTALS, *COST_COMPONENTS)}  # the catalogue's order


COST_TOTALS = ("service_cost_per_woman", "downstream_cost_per_woman", "total_cost_per_woman")
