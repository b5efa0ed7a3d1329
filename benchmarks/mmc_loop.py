"""A minimal hand-written simpy M/M/c loop: the yardstick for the engine's overhead.

It draws its gaps and durations from the same named streams as the engine's
queue network (``arrivals``, ``duration:<service>``), so on the M/M/c
verification scenario both simulate the same contacts, and the ratio of their
run times is what the engine's generality costs.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from pathway_sim.core.randomness import Streams
from pathway_sim.models.queueing.schema import QueueNetworkScenario


@dataclass(frozen=True)
class LoopResult:
    """Contacts that started after the warm-up, and their mean wait in queue (days)."""

    contacts: int
    wait_mean_days: float


def run_mmc_loop(scenario: QueueNetworkScenario, seed: int, index: int) -> LoopResult:
    """Simulate the scenario's single service with a plain ``simpy.Resource``."""
    ((name, spec),) = scenario.services.items()
    streams = Streams(seed, index)
    gaps, durations = streams.get("arrivals"), streams.get(f"duration:{name}")
    mean_gap, mean_duration = 1.0 / scenario.arrivals.rate_per_day, spec.duration_days.mean
    warmup, horizon = scenario.run.warmup_days, scenario.run.horizon_days
    env = simpy.Environment()
    staff = simpy.Resource(env, spec.staff)
    waits: list[float] = []

    def visit() -> Generator[Any, Any, None]:
        arrived = env.now
        with staff.request() as granted:
            yield granted
            if env.now >= warmup:
                waits.append(env.now - arrived)
            yield env.timeout(float(durations.exponential(mean_duration)))

    def arrive() -> Generator[Any, Any, None]:
        t = float(gaps.exponential(mean_gap))
        while t < horizon:
            yield env.timeout(t - env.now)
            env.process(visit())
            t += float(gaps.exponential(mean_gap))

    env.process(arrive())
    env.run(until=horizon)
    return LoopResult(len(waits), sum(waits) / len(waits) if waits else float("nan"))
