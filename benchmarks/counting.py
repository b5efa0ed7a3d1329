"""Counting simpy events without touching the model: a benchmark-only environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import simpy


def count_events(fn: Callable[[], Any]) -> int:
    """Events processed by every environment ``fn()`` creates through ``simpy.Environment``.

    The counting step costs a Python call per event, so time runs without it.
    """
    created: list[Any] = []

    class CountingEnvironment(simpy.Environment):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.steps = 0
            created.append(self)

        def step(self) -> None:
            super().step()  # an empty schedule or the end of the run raises: not counted
            self.steps += 1

    with mock.patch.object(simpy, "Environment", CountingEnvironment):
        fn()
    return sum(env.steps for env in created)
