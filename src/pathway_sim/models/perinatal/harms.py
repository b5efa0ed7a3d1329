"""Expected overdoses and suicides: hazards integrated over her follow-up, not sampled.

Deaths are rare (a few per 100,000 person-days), so sampling them would make
every comparison noise. Instead each woman contributes her expected number of
events, the integral of a piecewise-constant hazard that depends on the period
(pregnancy, early or late postpartum), treatment, removal and support.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pathway_sim.core.units import DAYS_PER_YEAR
from pathway_sim.models.perinatal.schema import Harms
from pathway_sim.models.perinatal.woman import Woman

EARLY_POSTPARTUM_DAYS = 182.5


@dataclass(frozen=True)
class ExpectedHarms:
    """Expected events for one woman over her follow-up."""

    overdoses: float
    overdose_deaths: float
    overdoses_after_removal: float
    overdose_deaths_after_removal: float
    suicides_after_removal: float


def expected_harms(woman: Woman, harms: Harms, supported_from: float | None) -> ExpectedHarms:
    """Integrate her hazards from becoming known to the end of follow-up."""
    birth = woman.born_day
    start, end = woman.arrival_day, woman.follow_up_end_day
    cuts = {start, end, birth, birth + EARLY_POSTPARTUM_DAYS}
    cuts.update(day for day, _ in woman.treatment_changes)
    for day in (woman.removal_day, supported_from):
        if day is not None:
            cuts.add(day)
    points = sorted(t for t in cuts if start <= t <= end)
    overdoses = after_removal = suicides = 0.0
    for t0, t1 in itertools.pairwise(points):
        span = t1 - t0
        removed = woman.removal_day is not None and t0 >= woman.removal_day
        support = (
            harms.post_removal_support_multiplier
            if (supported_from is not None and t0 >= supported_from)
            else 1.0
        )
        rate = _overdose_rate(harms, t0, birth) * support
        if not _in_treatment(woman, t0):
            rate *= harms.not_in_treatment_multiplier
        if removed:
            rate *= harms.removal_overdose_multiplier
            after_removal += rate * span
            suicides += (
                harms.suicide_per_100k_years
                / 1e5
                / DAYS_PER_YEAR
                * harms.removal_suicide_multiplier
                * support
                * span
            )
        overdoses += rate * span
    fatal = harms.overdose_fatal_share
    return ExpectedHarms(
        overdoses, overdoses * fatal, after_removal, after_removal * fatal, suicides
    )


def _overdose_rate(harms: Harms, day: float, birth: float) -> float:
    """Overdoses per person-day in the period ``day`` falls in."""
    if day < birth:
        per_100k = harms.overdose_per_100k_days_pregnant
    elif day < birth + EARLY_POSTPARTUM_DAYS:
        per_100k = harms.overdose_per_100k_days_early_postpartum
    else:
        per_100k = harms.overdose_per_100k_days_late_postpartum
    return per_100k / 1e5


def _in_treatment(woman: Woman, day: float) -> bool:
    state = woman.in_treatment_at_known
    for change_day, in_treatment in woman.treatment_changes:
        if change_day > day:
            break
        state = in_treatment
    return state
