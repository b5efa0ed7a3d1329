"""Drug treatment: assessment, starting treatment, key-worker contacts and prescribing reviews.

She leaves treatment by dropping out (repeated misses) or by stopping, at a rate
that is higher after birth and higher still after her baby is removed;
outreach can bring her back.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from pathway_sim.models.perinatal.engagement import disengage
from pathway_sim.models.perinatal.fates import Fate
from pathway_sim.models.perinatal.schema import DrugTreatment
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import first_appointment, handover, refer, regular_visits
from pathway_sim.models.perinatal.woman import Woman

SERVICE = "drug_treatment"


def drug_treatment(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Her time with the drug service, from referral (if needed) to the end of follow-up."""
    if not system.available(SERVICE):
        return
    spec = system.spec(SERVICE, DrugTreatment)
    env = system.env
    if not woman.in_treatment:
        if woman.fate[Fate.TREATMENT_REFERRAL] >= spec.referral_probability:
            return
        refer(system, woman, SERVICE)
        assessed = yield from first_appointment(
            system,
            woman,
            SERVICE,
            "assessment",
            env.now + spec.assessment_target_days,
            hours=spec.assessment_hours,
        )
        if not assessed or woman.fate[Fate.TREATMENT_START] >= spec.start_probability:
            return
        woman.set_treatment(env.now, True)
        system.log(woman, "treatment_started", SERVICE)
    else:
        refer(system, woman, SERVICE)
    every = max(1, round(spec.review_interval_days / spec.keyworker_interval_days))

    def kind(n: int) -> str:
        return "prescribing_review" if n % every == every - 1 else "keyworker"

    rng = system.streams.get("treatment-stop", woman.id)
    interval = spec.keyworker_interval_days
    yield from regular_visits(
        system,
        woman,
        SERVICE,
        kind,
        env.now + interval,
        interval,
        lambda: math.inf,
        before_visit=lambda: _maybe_stop(system, woman, rng),
    )


def _maybe_stop(system: CareSystem, woman: Woman, rng: Any) -> None:
    """Stopping treatment apart from missed contacts: a chance over each key-worker interval."""
    spec = system.spec(SERVICE, DrugTreatment)
    rate = spec.stop_per_year_postpartum if woman.born.triggered else spec.stop_per_year_pregnant
    if woman.separated:
        rate *= spec.removal_stop_multiplier
    stops = rng.random() < 1.0 - math.exp(-rate * spec.keyworker_interval_days / 365.0)
    if stops and woman.in_treatment:
        system.log(woman, "stopped_treatment", SERVICE)
        disengage(system, woman, SERVICE)


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
