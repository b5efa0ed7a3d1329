"""Expected overdoses and suicides: hazards integrated over her follow-up, not sampled.

Deaths are rare (a few per 100,000 person-days), so sampling them would make
every comparison noise. Instead each woman contributes her expected number of
events, the integral of a piecewise-constant hazard over her follow-up, cut
wherever its rate changes: the period (pregnancy, early or late postpartum);
treatment, and the first weeks after leaving it; the spells her baby is in
care; support after removal; and specialist perinatal mental-health care.

The overdose rates by period are those of a reference opioid user: in treatment, without
a mental-health need, her baby not in care. Out of treatment, in the weeks after leaving
it, with a need, in specialist care, after removal and with support after removal they
are multiplied. The reference rates are calibrated so that the opioid users of the base
scenario average the published profile of women with opioid use disorder (Schiff et al.
2018: 3.3, 7.8 and 12.3 per 100,000 person-days in pregnancy, 0-6 and 7-12 months after
birth; ``docs/calibration.md``); a woman who uses no opioids has a fixed fraction of the
reference rate, whatever her treatment.
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
    suicides: float
    overdoses_by_period: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """Overdoses in pregnancy, months 0-6 and months 7-12 after birth."""


@dataclass(frozen=True)
class HarmSpans:
    """The days her hazards change, apart from period and treatment."""

    supported_from: float | None
    specialist_care: tuple[float, float] | None
    """From her first attended specialist mental-health contact to one contact interval
    after her last (the care she was in)."""


def expected_harms(woman: Woman, harms: Harms, spans: HarmSpans) -> ExpectedHarms:
    """Integrate her hazards from becoming known to the end of follow-up."""
    birth = woman.born_day
    start, end = woman.arrival_day, woman.follow_up_end_day
    spells = woman.care_spells(end)
    stops = _stops(woman)
    cuts = {start, end, birth, birth + EARLY_POSTPARTUM_DAYS}
    cuts.update(day for day, _ in woman.treatment_changes)
    cuts.update(day + harms.recent_stop_days for day in stops)
    cuts.update(day for spell in spells for day in spell)
    if spans.supported_from is not None:
        cuts.add(spans.supported_from)
    if spans.specialist_care is not None:
        cuts.update(spans.specialist_care)
    points = sorted(t for t in cuts if start <= t <= end)
    suicide_rate = harms.suicide_per_100k_years / 1e5 / DAYS_PER_YEAR
    overdoses = after_removal = suicides = suicides_removed = 0.0
    by_period = [0.0, 0.0, 0.0]
    for t0, t1 in itertools.pairwise(points):
        span = t1 - t0
        removed = woman.in_care_on(t0)
        common = 1.0
        if spans.supported_from is not None and t0 >= spans.supported_from:
            common *= harms.post_removal_support_multiplier
        if woman.mental_health_need:
            care = spans.specialist_care
            if care is not None and care[0] <= t0 < care[1]:
                common *= harms.specialist_care_multiplier
        rate = _reference_rate(harms, t0, birth) * common
        if woman.opioid_use:
            if not woman.in_treatment_on(t0):
                rate *= harms.not_in_treatment_multiplier
                if any(s <= t0 < s + harms.recent_stop_days for s in stops):
                    rate *= harms.recent_stop_multiplier
        else:
            rate *= harms.non_opioid_overdose_ratio
        suicide = suicide_rate * common
        if woman.mental_health_need:
            rate *= harms.mental_health_overdose_multiplier
            suicide *= harms.mental_health_suicide_multiplier
        if removed:
            rate *= harms.removal_overdose_multiplier
            suicide *= harms.removal_suicide_multiplier
            after_removal += rate * span
            suicides_removed += suicide * span
        overdoses += rate * span
        by_period[_period(t0, birth)] += rate * span
        suicides += suicide * span
    fatal = harms.overdose_fatal_share
    return ExpectedHarms(
        overdoses,
        overdoses * fatal,
        after_removal,
        after_removal * fatal,
        suicides_removed,
        suicides,
        (by_period[0], by_period[1], by_period[2]),
    )


def _period(day: float, birth: float) -> int:
    """0 pregnancy, 1 months 0-6 after birth, 2 months 7-12."""
    return 0 if day < birth else 1 if day < birth + EARLY_POSTPARTUM_DAYS else 2


def _reference_rate(harms: Harms, day: float, birth: float) -> float:
    """The reference overdoses per person-day in the period ``day`` falls in."""
    per_100k = (
        harms.overdose_per_100k_days_pregnant,
        harms.overdose_per_100k_days_early_postpartum,
        harms.overdose_per_100k_days_late_postpartum,
    )[_period(day, birth)]
    return per_100k / 1e5


def _stops(woman: Woman) -> list[float]:
    """The days she left treatment after first becoming known."""
    return [day for day, on in woman.treatment_changes[1:] if not on]
