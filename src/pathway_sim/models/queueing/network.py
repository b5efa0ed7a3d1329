"""A generic open network of services in series, run on the engine's own classes.

It is what the verification scenarios use (M/M/c, tandem queues): the results
must match Erlang C and Jackson-network theory, which checks the engine that the
perinatal pathway is built on.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import asdict
from typing import Any

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.engine.arrivals import arrival_process
from pathway_sim.engine.monitors import Tally
from pathway_sim.engine.service import Service
from pathway_sim.models.queueing.schema import QueueNetworkScenario
from pathway_sim.models.results import EventRow, ReplicationResult


def simulate(
    scenario: QueueNetworkScenario, streams: Streams, event_log: bool = False
) -> ReplicationResult:
    """Run one replication of the network up to the horizon."""
    env = simpy.Environment()
    run = scenario.run
    services = {name: Service(env, name, spec.staff) for name, spec in scenario.services.items()}
    durations = {
        name: (spec.duration_days, streams.get(f"duration:{name}"))
        for name, spec in scenario.services.items()
    }
    path = [(services[name], *durations[name]) for name in scenario.path]
    sojourns = Tally()
    events: list[EventRow] = []
    rep = streams.replication
    counted = [0]

    def log(entity: int, kind: str, event: str, service: str = "", post: int | None = None) -> None:
        if event_log:
            events.append(_event(rep, entity, kind, event, env.now, service, post))

    def visit(entity: int) -> Generator[Any, Any, None]:
        arrived = env.now
        if arrived >= run.warmup_days:
            counted[0] += 1
        for service, duration, rng in path:
            name = service.name
            log(entity, "queue", f"{name}_wait_begins", name)
            post = yield from service.acquire()
            if post is None:  # only an abort event withdraws a request, and none is given
                raise RuntimeError(f"{service.name}: a request without abort was withdrawn")
            log(entity, "resource_use", f"{name}_begins", name, post.index + 1)
            yield env.timeout(duration.sample(rng))
            service.release(post)
            log(entity, "resource_use_end", f"{name}_ends", name, post.index + 1)
        log(entity, "arrival_departure", "depart")
        if arrived >= run.warmup_days:
            sojourns.record(env.now - arrived)

    def on_arrival(entity: int) -> None:
        log(entity, "arrival_departure", "arrival")
        env.process(visit(entity))

    times = scenario.arrivals.times(streams.get("arrivals"))
    env.process(arrival_process(env, times, on_arrival, until=run.horizon_days))
    if run.warmup_days > 0:
        env.run(until=run.warmup_days)
        for service in services.values():
            service.reset()
    env.run(until=run.horizon_days)

    measured = run.horizon_days - run.warmup_days
    stats = [services[name].stats() for name in scenario.services]
    return ReplicationResult(
        replication=rep,
        seed=streams.seed,
        women=counted[0],
        kpis={
            "throughput_per_day": len(sojourns) / measured,
            "time_in_system_mean_days": sojourns.mean(),
            "wait_mean_days": sum(s.wait_mean_days for s in stats),
            "utilisation_mean": sum(s.utilisation for s in stats) / len(stats),
        },
        services=[asdict(s) for s in stats],
        events=events,
    )


def _event(
    run: int, entity: int, kind: str, event: str, time: float, service: str, post: int | None
) -> EventRow:
    """An event-log row of the network: no places or details, and every contact attended."""
    return EventRow(
        run=run,
        entity_id=entity,
        event_type=kind,
        event=event,
        time=time,
        service=service,
        resource_id=post,
        location="",
        outcome="attended" if kind == "resource_use" else "",
        detail="",
        value=None,
    )
