"""Arrivals as simulation events, at the times an arrival process (``core.arrivals``) draws."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import simpy


def arrival_process(
    env: simpy.Environment,
    times: Iterator[float],
    on_arrival: Callable[[int], None],
    until: float = float("inf"),
) -> Generator[Any, Any, None]:
    """Call ``on_arrival(i)`` at each arrival time before ``until``."""
    for i, t in enumerate(times):
        if t >= until:
            return
        yield env.timeout(t - env.now)
        on_arrival(i)
