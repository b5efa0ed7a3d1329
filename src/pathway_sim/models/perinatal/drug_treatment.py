"""Drug treatment: assessment, starting treatment, key-worker contacts and prescribing reviews.

She leaves treatment by dropping out (repeated misses, or giving up while she
waits) or by stopping, a hazard in continuous time that is higher after birth,
higher still after her baby is removed, higher while her key-worker contact is
overdue, and higher the longer she waited to start; outreach can bring her back.
Out of treatment, with her case closed or never opened, she may come forward later
(in pregnancy or after birth) at the entry rates, and is assessed again.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator
from typing import Any

import numpy as np

from pathway_sim.core.units import DAYS_PER_WEEK, DAYS_PER_YEAR
from pathway_sim.models.perinatal.engagement import disengage, reengage, wait_until_engaged
from pathway_sim.models.perinatal.fates import Fate
from pathway_sim.models.perinatal.schema import DrugTreatment
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import first_appointment, handover, refer, regular_visits
from pathway_sim.models.perinatal.woman import Woman

SERVICE = "drug_treatment"


def drug_treatment(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Her time with the drug service, to the end of follow-up: treatment if she is in it,
    else a referral when she becomes known; out of treatment (never started, or her case
    closed after she left), she may come forward later, in pregnancy or after birth."""
    if not system.available(SERVICE):
        return
    if woman.in_treatment:
        refer(system, woman, SERVICE)
        yield from _in_treatment(system, woman, 0.0)
    elif (
        woman.fate[Fate.TREATMENT_REFERRAL]
        < system.spec(SERVICE, DrugTreatment).referral_probability
    ):
        start = woman.fate[Fate.TREATMENT_START]
        entry_overdue = yield from _assessed_and_started(system, woman, start)
        if entry_overdue is not None:
            yield from _in_treatment(system, woman, entry_overdue)
    rng = system.streams.get("treatment-entry", woman.id)
    while not woman.ended.triggered:
        if not (yield from _comes_forward(system, woman, rng)):
            return
        entry_overdue = yield from _assessed_and_started(system, woman, rng.random())
        if entry_overdue is not None:
            yield from _in_treatment(system, woman, entry_overdue)


def _assessed_and_started(
    system: CareSystem, woman: Woman, start_draw: float
) -> Generator[Any, Any, float | None]:
    """Referral, an assessment offered until she attends, and the decision to start: the days
    she waited beyond the grace to be assessed, or None if she did not start."""
    spec = system.spec(SERVICE, DrugTreatment)
    env = system.env
    rec = woman.record(SERVICE)
    woman.treatment_started = False  # a new episode: in treatment again only once started
    if not rec.engaged:
        reengage(system, woman, SERVICE, "came forward")
    refer(system, woman, SERVICE)
    offered = env.now + spec.assessment_target_days
    assessed = yield from first_appointment(
        system, woman, SERVICE, "assessment", offered, hours=spec.assessment_hours
    )
    if not assessed or start_draw >= spec.start_probability or woman.ended.triggered:
        return None
    woman.treatment_started = True
    woman.set_treatment(env.now, True)
    system.events.log(woman, "treatment_started", SERVICE)
    return max(0.0, env.now - offered - system.capacity.wait_grace_days)


def _in_treatment(
    system: CareSystem, woman: Woman, entry_overdue: float
) -> Generator[Any, Any, None]:
    """Key-worker contacts and prescribing reviews while she stays in treatment; returns when
    her case is closed (she left and was not brought back) or her follow-up ends."""
    spec = system.spec(SERVICE, DrugTreatment)
    env = system.env
    every = max(1, round(spec.review_interval_days / spec.keyworker_interval_days))

    def kind(n: int) -> str:
        return "prescribing_review" if n % every == every - 1 else "keyworker"

    env.process(_stopping(system, woman, entry_overdue))
    interval = spec.keyworker_interval_days
    yield from regular_visits(
        system, woman, SERVICE, kind, env.now + interval, interval, lambda: math.inf
    )


def _comes_forward(
    system: CareSystem, woman: Woman, rng: np.random.Generator
) -> Generator[Any, Any, bool]:
    """Wait until she comes forward for treatment: a hazard in continuous time, at the
    pregnancy rate until birth and the postpartum rate after, compared with a unit-exponential
    threshold of her own. False if her follow-up ends first (or the rate is nil)."""
    spec = system.spec(SERVICE, DrugTreatment)
    env = system.env
    need = rng.exponential()
    while not woman.ended.triggered:
        born = woman.born.triggered
        rate = spec.entry_per_year_postpartum if born else spec.entry_per_year_pregnant
        rate /= DAYS_PER_YEAR
        if rate <= 0 and born:
            return False
        start = env.now
        until = env.timeout(need / rate) if rate > 0 else env.event()
        yield until | woman.ended | (woman.ended if born else woman.born)
        need -= rate * (env.now - start)
        if need <= 1e-12 and not woman.ended.triggered:
            return True
    return False


def _stopping(system: CareSystem, woman: Woman, entry_overdue: float) -> Generator[Any, Any, None]:
    """Stopping treatment apart from missed contacts, as a hazard in continuous time.

    She stops when her cumulative hazard passes a unit-exponential threshold of her own.
    The hazard is integrated exactly over each step, split where its rate changes (birth,
    removal, falling overdue for a key-worker contact), so a gap in care carries risk for
    its whole length; a step ends where her next contact falls overdue, where the
    threshold would be reached at the current rate, or after ``HAZARD_STEP_DAYS``.
    After she stops (or drops out) and is brought back, a new threshold is drawn.
    """
    rec = woman.record(SERVICE)
    rng = system.streams.get("treatment-stop", woman.id)
    env = system.env
    hazard_rate = StopRate(system, entry_overdue)
    while not woman.ended.triggered:
        if not (yield from wait_until_engaged(system, woman, SERVICE)):
            return
        threshold, hazard, since = rng.exponential(), 0.0, env.now
        while rec.engaged and not woman.ended.triggered:
            start = env.now
            overdue_from = max(rec.last_attended_day, since) + hazard_rate.overdue_after
            rate = hazard_rate.at(woman, start, overdue_from)
            if start < overdue_from:
                step = min(HAZARD_STEP_DAYS, overdue_from - start)
            else:  # overdue: look again soon, as a contact would lower the rate
                step = OVERDUE_STEP_DAYS
            if rate > 0:
                step = min(step, max((threshold - hazard) / rate, 0.0))
            yield env.timeout(step)
            if not rec.engaged or woman.ended.triggered:
                break
            hazard += hazard_rate.integrated(woman, start, env.now, overdue_from)
            if hazard >= threshold * (1 - 1e-9):
                system.events.log(woman, "stopped_treatment", SERVICE)
                disengage(system, woman, SERVICE)


HAZARD_STEP_DAYS = 28.0
"""Longest step between checks of her cumulative hazard against her threshold."""
OVERDUE_STEP_DAYS = 7.0
"""Step while her contact is overdue (a contact in the step is seen at its end)."""


class StopRate:
    """Her rate of stopping treatment, per day: higher after birth, while her baby is in
    care, while her key-worker contact is overdue, and the longer she waited to start."""

    def __init__(self, system: CareSystem, entry_overdue: float) -> None:
        spec = system.spec(SERVICE, DrugTreatment)
        cap = system.capacity
        entry = cap.entry_wait_stop_hazard_ratio_per_week ** (entry_overdue / DAYS_PER_WEEK)
        self.pregnant = spec.stop_per_year_pregnant / DAYS_PER_YEAR * entry
        self.postpartum = spec.stop_per_year_postpartum / DAYS_PER_YEAR * entry
        self.removal = spec.removal_stop_multiplier
        self.gap = cap.gap_stop_hazard_ratio
        self.overdue_after = spec.keyworker_interval_days + cap.wait_grace_days
        """Days after her last contact (or the start) that the next one is overdue."""

    def at(self, woman: Woman, day: float, overdue_from: float) -> float:
        born = woman.birth_day is not None and day >= woman.birth_day
        rate = self.postpartum if born else self.pregnant
        if woman.in_care_on(day):
            rate *= self.removal
        if day >= overdue_from:
            rate *= self.gap
        return rate

    def integrated(self, woman: Woman, start: float, end: float, overdue_from: float) -> float:
        """The rate integrated from ``start`` to ``end``, split where it changed."""
        changes = (overdue_from, woman.birth_day, *woman.removal_days, *woman.return_home_days)
        cuts = [t for t in changes if t is not None and start < t < end]
        if not cuts:
            return self.at(woman, start, overdue_from) * (end - start)
        points = [start, *sorted(cuts), end]
        return sum(
            self.at(woman, t0, overdue_from) * (t1 - t0) for t0, t1 in itertools.pairwise(points)
        )


def prescribing_handover(system: CareSystem, woman: Woman) -> None:
    """Hospital-to-community prescribing at discharge: a failure leaves a gap in treatment."""
    if not (woman.in_treatment and system.available(SERVICE)):
        return
    gap = handover(system, woman, SERVICE, woman.fate[Fate.HANDOVER_PRESCRIBING])
    if gap > 0:
        woman.set_treatment(system.env.now, False)
        system.env.process(_resume_after_gap(system, woman, gap))


def _resume_after_gap(system: CareSystem, woman: Woman, gap: float) -> Generator[Any, Any, None]:
    yield system.env.timeout(gap)
    if not woman.ended.triggered and woman.record(SERVICE).engaged:
        woman.set_treatment(system.env.now, True)
