"""Maternity: booking, antenatal contacts and scans, birth, the ward, community midwife care."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from pathway_sim.models.perinatal import drug_treatment, social_work
from pathway_sim.models.perinatal.care_quality import stigmatise
from pathway_sim.models.perinatal.engagement import reengage
from pathway_sim.models.perinatal.fates import PRETERM_WEEKS, TERM_WEEKS, Fate
from pathway_sim.models.perinatal.odds import per_period
from pathway_sim.models.perinatal.schema import Midwifery, Ultrasound
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.visits import first_appointment, fixed_schedule, handover, refer
from pathway_sim.models.perinatal.woman import Woman

RELATIONSHIP_CONTACTS = 2
"""Attended contacts in a row with the same worker that make a relationship (support network)."""


def antenatal_weeks(nulliparous: bool, booked_at_weeks: float, midwifery: Any) -> list[float]:
    """Routine (NICE) and specialist contacts due at least a week after booking."""
    routine = midwifery.nulliparous_weeks if nulliparous else midwifery.parous_weeks
    weeks = sorted(set(routine) | set(midwifery.specialist_weeks))
    return [w for w in weeks if w >= booked_at_weeks + 1]


def antenatal_care(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Booking (re-offered when missed), then the antenatal schedule, until birth."""
    spec = system.spec("midwifery", Midwifery)
    refer(system, woman, "midwifery")
    booked = yield from first_appointment(
        system,
        woman,
        "midwifery",
        "booking",
        woman.arrival_day + spec.booking_target_days,
        hours=spec.booking_hours,
        antenatal=True,
    )
    if not booked:
        return
    woman.booking_gestation_weeks = woman.gestation(system.env.now)
    system.env.process(scans(system, woman))
    weeks = antenatal_weeks(woman.nulliparous, woman.booking_gestation_weeks, spec)
    yield from fixed_schedule(
        system, woman, "midwifery", "antenatal", [woman.day_at(w) for w in weeks], antenatal=True
    )


def scans(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Scans still useful at booking: dating by 14 weeks, anomaly by 22, then growth scans."""
    booked = woman.booking_gestation_weeks
    if booked is None:
        return
    spec = system.spec("ultrasound", Ultrasound)
    due = [w for w in spec.scan_weeks if w >= booked and _scan_useful(w, booked, spec)]
    if due:
        refer(system, woman, "ultrasound")
        yield from fixed_schedule(
            system, woman, "ultrasound", "scan", [woman.day_at(w) for w in due], antenatal=True
        )


def _scan_useful(week: float, booked: float, spec: Ultrasound) -> bool:
    """A dating or anomaly scan only for a woman booked in time for it; growth scans for all."""
    if week <= spec.dating_scan_by_weeks:
        return booked <= spec.dating_scan_by_weeks
    if week <= spec.anomaly_scan_by_weeks:
        return booked <= spec.anomaly_scan_by_weeks
    return True


def pregnancy(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Wait for birth: a weekly chance of preterm birth from 28 weeks, else at term."""
    env = system.env
    for k, week in enumerate(PRETERM_WEEKS):
        if woman.gestation(env.now) >= week + 1:
            continue
        start = woman.day_at(week)
        if start > env.now:
            yield env.timeout(start - env.now)
        if woman.fate[Fate.PRETERM_WEEK + k] < per_period(
            preterm_risk(system, woman), len(PRETERM_WEEKS)
        ):
            birth = max(env.now, woman.day_at(week + woman.fate[Fate.PRETERM_DAY]))
            yield env.timeout(birth - env.now)
            yield from give_birth(system, woman)
            return
    birth = max(env.now, woman.day_at(max(woman.term_gestation_weeks, float(TERM_WEEKS))))
    yield env.timeout(birth - env.now)
    yield from give_birth(system, woman)


def preterm_risk(system: CareSystem, woman: Woman) -> float:
    """Chance of a preterm birth given her opioid use and treatment now, and the care she is
    getting: opioids raise it (illicit or prescribed); substitution treatment lowers it a
    little, buprenorphine more than methadone; continuity of carer and adequate antenatal
    care are the routes by which services move it."""
    b = system.birth
    midwifery = system.specs["midwifery"]
    risk = b.preterm_probability
    if woman.opioid_use:
        risk *= b.opioid_preterm_rr
        if woman.in_treatment:
            risk *= b.treatment_preterm_rr
            if woman.buprenorphine:
                risk *= b.buprenorphine_preterm_rr
    if midwifery.named_worker:
        risk *= b.continuity_preterm_rr
    if system.contact_terms["midwifery"].place in ("community", "hub"):
        risk *= b.community_preterm_rr
    if not adequate_care_so_far(woman, b.adequate_attendance_share):
        risk *= b.inadequate_care_preterm_rr
    return min(risk, 1.0)


def adequate_care_so_far(woman: Woman, share: float) -> bool:
    """Adequate care so far in pregnancy, as her preterm risk reads it: booked, still engaged
    with midwifery, and attending at least ``share`` of the midwifery contacts due so far
    (``metrics.adequate_antenatal_care`` is the KPI's definition, over the whole pregnancy)."""
    rec = woman.services.get("midwifery")
    if woman.booking_gestation_weeks is None or rec is None or not rec.engaged:
        return False
    due = rec.attended + rec.missed
    return due == 0 or rec.attended / due >= share


def give_birth(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """Birth in hospital; the ward stay; withdrawal care; then home and the postnatal year."""
    env = system.env
    b = system.birth
    iv = system.interventions
    woman.birth_day = env.now
    woman.birth_gestation_weeks = woman.gestation(env.now)
    woman.born.succeed()
    _snapshot_at_birth(system, woman)
    system.events.log(
        woman, "birth", "midwifery", "hospital", value=round(woman.birth_gestation_weeks, 1)
    )
    reengage(system, woman, "midwifery", "admitted for birth")
    drug_treatment.prescribing_handover(system, woman)
    env.process(_follow_up(system, woman, b.follow_up_days))
    ward = system.hostile_care
    ward_stigma = ward.ward_stigma_probability * (
        1 - ward.training_stigma_reduction * system.training.wider_coverage
    )
    if woman.fate[Fate.WARD_STIGMA] < ward_stigma:
        stigmatise(system, woman, "midwifery")
    baby_days = b.mother_stay_days
    if woman.opioid_use:
        woman.nas_treated = bool(woman.fate[Fate.NAS_TREATMENT] < nas_probability(system, woman))
        baby_days = max(baby_days, b.observation_days)
        if woman.nas_treated:
            baby_days = woman.nas_stay_days
            if woman.opioid_exposure == "buprenorphine":
                baby_days *= b.buprenorphine_nas_stay_ratio
    mother_days = (
        max(b.mother_stay_days, baby_days) if iv.keep_together_postnatally else b.mother_stay_days
    )
    env.process(_baby_discharge(system, woman, baby_days))
    yield env.timeout(mother_days)
    system.events.log(woman, "discharged", "midwifery", "hospital")
    yield from postnatal_midwifery(system, woman)


def nas_probability(system: CareSystem, woman: Woman) -> float:
    """Chance her opioid-exposed baby is treated for withdrawal: from what it was exposed to
    at birth (methadone, buprenorphine or illicit opioids; treatment does not prevent it),
    less when mother and baby stay together."""
    b = system.birth
    p = (
        b.nas_treatment_probability
        * {
            "methadone": 1.0,
            "buprenorphine": b.buprenorphine_nas_rr,
            "illicit": b.illicit_nas_rr,
        }[woman.opioid_exposure]
    )
    if system.interventions.keep_together_postnatally:
        p *= b.keep_together_nas_rr
    return min(p, 1.0)


def _baby_discharge(system: CareSystem, woman: Woman, days: float) -> Generator[Any, Any, None]:
    yield system.env.timeout(days)
    woman.baby_discharge_day = system.env.now
    social_work.decide_placement(system, woman)


def postnatal_midwifery(system: CareSystem, woman: Woman) -> Generator[Any, Any, None]:
    """The hand-over to community midwives, then home visits after discharge."""
    delay = handover(system, woman, "midwifery", woman.fate[Fate.HANDOVER_MIDWIFERY])
    days = [system.env.now + delay + d for d in system.spec("midwifery", Midwifery).postnatal_days]
    yield from fixed_schedule(system, woman, "midwifery", "postnatal", days)


def _snapshot_at_birth(system: CareSystem, woman: Woman) -> None:
    """Outcomes measured at birth: knowledge, trust, support network, treatment."""
    now = system.env.now
    woman.knowledge_at_birth = woman.knowledge
    woman.trust_at_birth = woman.trust
    woman.in_treatment_at_birth = woman.in_treatment
    woman.network_at_birth = sum(
        1
        for rec in woman.services.values()
        if rec.engaged
        and rec.same_person_streak >= RELATIONSHIP_CONTACTS
        and rec.last_attended_day >= now - system.indices.network_recent_days
    )


def _follow_up(system: CareSystem, woman: Woman, days: float) -> Generator[Any, Any, None]:
    yield system.env.timeout(days)
    woman.end_day = system.env.now
    woman.end_state = woman.placement
    for service, rec in woman.services.items():
        system.workforce.discharge_named_worker(service, rec)
    system.events.log(woman, "depart", event_type="arrival_departure", detail=woman.end_state)
    woman.ended.succeed()
