"""One replication of the perinatal pathway.

Women become known to services as a Poisson process. Those who arrive during
the warm-up load the services but are not counted; those arriving in the next
``cohort_days`` are counted and followed to 12 months after birth. Arrivals go
on until the last counted woman's follow-up ends, so the services she meets are
as busy at the end as in the middle.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import asdict
from typing import Any

import simpy

from pathway_sim.core.arrivals import PoissonArrivals
from pathway_sim.core.randomness import Streams
from pathway_sim.core.units import DAYS_PER_YEAR
from pathway_sim.engine.arrivals import arrival_process
from pathway_sim.models.perinatal import drug_treatment, maternity, social_work, support, weekly
from pathway_sim.models.perinatal.metrics import replication_kpis
from pathway_sim.models.perinatal.schema import PerinatalScenario
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import Woman, draw_woman
from pathway_sim.models.results import ReplicationResult

JOURNEY = (
    support.care_coordination,
    support.peer_advocacy,
    maternity.antenatal_care,
    maternity.pregnancy,
    drug_treatment.drug_treatment,
    social_work.social_work,
    support.mental_health,
    support.health_visiting,
    support.parenting_support,
)
"""Her processes, started together when she becomes known (navigators first, so the
others see them)."""


def simulate(
    scenario: PerinatalScenario, streams: Streams, event_log: bool = False
) -> ReplicationResult:
    """Run one replication and summarise the counted women."""
    env = simpy.Environment()
    system = CareSystem(env, scenario, streams, event_log)
    run, pop = scenario.run, scenario.population
    cohort_end = run.warmup_days + pop.cohort_days
    counted: list[Woman] = []
    done = env.event()
    open_women = [0]

    def on_end(_: simpy.Event) -> None:
        open_women[0] -= 1
        if open_women[0] == 0 and env.now >= cohort_end and not done.triggered:
            done.succeed()

    def on_arrival(index: int) -> None:
        is_counted = run.warmup_days <= env.now < cohort_end
        woman = draw_woman(index, env, is_counted, scenario, streams)
        if is_counted:
            counted.append(woman)
            open_women[0] += 1
            woman.ended.callbacks.append(on_end)
        start_journey(system, woman)

    arrivals = PoissonArrivals(process="poisson", rate_per_day=pop.women_per_year / DAYS_PER_YEAR)
    env.process(arrival_process(env, arrivals.times(streams.get("arrivals")), on_arrival))
    env.process(_measure_after_warmup(system, run.warmup_days))
    env.process(_close_cohort(env, cohort_end, open_women, done))
    env.run(until=done)
    while env.peek() == env.now:  # settle what the last woman's end set in motion
        env.step()

    stats = {name: service.stats() for name, service in system.workforce.services.items()}
    kpis, rows = replication_kpis(counted, scenario, stats, system.confidence.index())
    return ReplicationResult(
        replication=streams.replication,
        seed=streams.seed,
        women=len(counted),
        kpis=kpis,
        services=[asdict(s) for s in stats.values()],
        woman_rows=rows,
        events=system.events.rows,
        engagement_weeks=weekly.engagement_weeks(system.events.rows, rows) if event_log else [],
        burden_weeks=weekly.burden_weeks(system.events.rows, rows) if event_log else [],
    )


def start_journey(system: CareSystem, woman: Woman) -> None:
    """She becomes known to services: every service she may meet starts its process."""
    system.events.log(
        woman,
        "arrival",
        event_type="arrival_departure",
        detail="known_to_services",
        value=round(woman.known_gestation_weeks, 1),
    )
    system.wider.join(woman)
    for process in JOURNEY:
        system.env.process(process(system, woman))


def _measure_after_warmup(system: CareSystem, warmup_days: float) -> Generator[Any, Any, None]:
    yield system.env.timeout(warmup_days)
    for service in system.workforce.services.values():
        service.reset()
    system.confidence.start_measuring()


def _close_cohort(
    env: simpy.Environment, cohort_end: float, open_women: list[int], done: simpy.Event
) -> Generator[Any, Any, None]:
    yield env.timeout(cohort_end)
    if open_women[0] == 0 and not done.triggered:
        done.succeed()
